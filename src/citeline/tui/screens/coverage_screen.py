"""The coverage screen: which source each event cites, single-source events flagged."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from citeline.dates import format_date
from citeline.model import Timeline
from citeline.sanitize import one_line
from citeline.tui.widgets.coverage_grid import MARK, SINGLE_FLAG, CoverageGrid
from citeline.tui.widgets.key_footer import KeyFooter
from citeline.wording import counted


class CoverageScreen(Screen[None]):
    """A header, the :class:`CoverageGrid`, and a status line naming the cell.

    The grid's own keys move the cursor (arrows and ``hjkl``) and ``Enter``
    posts :class:`~citeline.tui.messages.SourceRequested`; ``Esc`` goes back.
    """

    CSS_PATH = "../styles/coverage.tcss"
    AUTO_FOCUS = "CoverageGrid"

    def __init__(self, timeline: Timeline, event_id: str | None = None) -> None:
        """``event_id``: the event whose row the cursor starts on (else the first)."""
        super().__init__()
        self._timeline = timeline
        self._first_row = (timeline.index_of(event_id) if event_id is not None else None) or 0

    @property
    def timeline(self) -> Timeline:
        return self._timeline

    def compose(self) -> ComposeResult:
        yield Static(self._header(), id="coverage-header", markup=False)
        yield CoverageGrid(self._timeline, row=self._first_row, id="coverage-grid")
        yield Static(id="coverage-status", markup=False)
        yield KeyFooter()

    @property
    def grid(self) -> CoverageGrid:
        return self.query_one(CoverageGrid)

    def set_timeline(self, timeline: Timeline, event_id: str | None) -> None:
        """Show a reloaded timeline, the cursor on ``event_id``'s row and in the same
        source's column if it is still there (else at its place)."""
        grid = self.grid
        source = grid.cursor_source
        row, column = grid.cursor
        if event_id is not None:
            row = timeline.index_of(event_id) or 0
        if source is not None:
            ids = [s.id for s in timeline.sources]
            column = ids.index(source.id) if source.id in ids else column
        self._timeline = timeline
        self.query_one("#coverage-header", Static).update(self._header())
        grid.set_timeline(timeline, row, column)

    def select_event(self, event_id: str) -> bool:
        """Put the cursor on the event's row (keeping the column)."""
        index = self._timeline.index_of(event_id)
        if index is None:
            return False
        self.grid.move_to(index, self.grid.cursor[1])
        return True

    @on(CoverageGrid.CursorMoved)
    def _on_cursor_moved(self, message: CoverageGrid.CursorMoved) -> None:
        self.query_one("#coverage-status", Static).update(self._status(message.row, message.column))

    def _header(self) -> Text:
        timeline = self._timeline
        single = sum(1 for event in timeline.events if len(event.source_ids) == 1)
        text = Text(end="")
        text.append("Coverage", style="bold")
        events, sources = len(timeline.events), len(timeline.sources)
        text.append(
            f"  {counted(events, 'event')} × {counted(sources, 'source')}"
        )
        text.append(f"  {MARK} cited", style="dim")
        text.append(f" · {counted(single, 'single-source event')} ({SINGLE_FLAG})")
        return text

    def _status(self, row: int, column: int) -> Text:
        event = self._timeline.events[row]
        source = self._timeline.sources[column]
        cites = source.id in event.source_ids
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        text.append(one_line(format_date(event.date)), style="bold")
        text.append("  ")
        text.append(one_line(event.title))
        text.append("\n")
        text.append("cites " if cites else "does not cite ", style="bold" if cites else "dim")
        text.append(one_line(source.id), style="bold")
        text.append("  ")
        text.append(one_line(source.title), style="italic")
        if cites:
            text.append("  ⏎ opens it at the passage", style="dim")
        return text
