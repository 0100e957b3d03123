"""The loading screen: shown while a large timeline is read, checked and anchored."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import ProgressBar, Static

from citeline.pending_load import PendingLoad
from citeline.sanitize import one_line
from citeline.tui.widgets.key_footer import KeyFooter

#: Seconds between two looks at how the load is going.
POLL_INTERVAL = 0.1


class LoadingScreen(Screen[None]):
    """The file being loaded, what the load is doing and how far it has got.

    It only reads :attr:`PendingLoad.progress` (on a timer): the app is told
    by its own worker when the load is done, and replaces this screen.
    """

    def __init__(self, pending: PendingLoad) -> None:
        super().__init__()
        self._pending = pending
        self._phase_shown: str | None = None
        self._percent_shown: int | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="loading-box"):
            yield Static(
                Text.assemble(("Loading ", "bold"), one_line(str(self._pending.path))),
                id="loading-file",
            )
            yield ProgressBar(total=100, show_eta=False, id="loading-bar")
            yield Static(id="loading-phase", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self._show_progress()
        self.set_interval(POLL_INTERVAL, self._show_progress)
        # drawn first, then loading again (a held load waits for this: see PendingLoad.hold)
        self.call_after_refresh(self._pending.release)

    def _show_progress(self) -> None:
        """Redraw what changed, and only that: each frame drawn meanwhile takes the
        interpreter from the load (1-3 ms each; a layout of the screen, more)."""
        phase, share = self._pending.progress
        percent = int(share * 100)  # what the bar and its label can show
        if percent != self._percent_shown:
            self._percent_shown = percent
            self.query_one(ProgressBar).update(progress=percent)
        if phase != self._phase_shown:  # one row (see the styles): no new layout
            self._phase_shown = phase
            self.query_one("#loading-phase", Static).update(f"{phase}…", layout=False)
