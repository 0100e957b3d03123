"""A bare Textual app that shows one line: the floor for first-frame times.

``python bench/bare_app.py`` shows :data:`MARKER` and quits on ``q`` or
``Ctrl+C``. It imports nothing but Textual, so its first frame is what any
Textual app pays before doing its own work.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Static

MARKER = "citeline-bench: bare Textual app ready"


class BareApp(App[None]):
    """One static line."""

    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("ctrl+c", "quit", "Quit", priority=True),
    ]

    def compose(self) -> ComposeResult:
        yield Static(MARKER)


if __name__ == "__main__":
    BareApp().run()
