"""A bare Textual app that shows one line: the floor for first-frame times.

``python bench/bare_app.py`` shows :data:`MARKER` and quits on ``q`` or
``Ctrl+C``. It imports nothing but Textual, so its first frame is what any
Textual app pays before doing its own work. ``j`` redraws the line with a
count of the keys pressed: the floor for a key's round trip through tmux.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Static

MARKER = "citeline-bench: bare Textual app ready"


class BareApp(App[None]):
    """One static line."""

    BINDINGS = [
        Binding("j", "count", "Count"),
        Binding("q", "quit", "Quit"),
        Binding("ctrl+c", "quit", "Quit", priority=True),
    ]

    keys = 0

    def compose(self) -> ComposeResult:
        yield Static(MARKER)

    def action_count(self) -> None:
        self.keys += 1
        self.query_one(Static).update(f"{MARKER} ({self.keys} keys)")


if __name__ == "__main__":
    BareApp().run()
