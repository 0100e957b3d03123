"""The timeline: events under year headings, rendered a visible row at a time.

A Line-API ``ScrollView``: no widget per event, so 10,000 events cost what
the screen shows, not what the file holds.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from citeline.model import Timeline
from citeline.sanitize import one_line
from citeline.tui.commands import bindings
from citeline.tui.timeline_rows import Row, build_rows

DATE_WIDTH = 17


class TimelineList(ScrollView, can_focus=True, inherit_bindings=False):
    """Events in order; the cursor is always on an event row."""

    BINDINGS = bindings(
        "timeline.down",
        "timeline.up",
        "timeline.page-down",
        "timeline.page-up",
        "timeline.first",
        "timeline.last",
        "timeline.enter",
    )

    COMPONENT_CLASSES = {
        "timeline--year",
        "timeline--gap",
        "timeline--date",
        "timeline--count",
        "timeline--cursor",
        "timeline--match",
    }

    DEFAULT_CSS = """
    TimelineList { height: 1fr; }
    """

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    @dataclass
    class Selected(Message):
        """The cursor moved to another event."""

        list: TimelineList
        event_index: int

        @property
        def control(self) -> TimelineList:
            return self.list

    @dataclass
    class Entered(Message):
        """The user asked to go into the selected event's passages."""

        list: TimelineList
        event_index: int

    def __init__(self, timeline: Timeline, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._timeline = timeline
        self._rows: list[Row] = []
        self._event_rows: list[int] = []  # row numbers of event rows, in order
        self._row_of_event: dict[int, int] = {}
        self._terms: tuple[str, ...] = ()
        self._line_cache: LRUCache[tuple[int, int, int, bool], Strip] = LRUCache(1024)
        self._set_rows(build_rows(timeline))

    # -- data ------------------------------------------------------------------

    @property
    def timeline(self) -> Timeline:
        return self._timeline

    @property
    def selected_index(self) -> int | None:
        """Index into ``timeline.events`` of the selected event."""
        if not self._event_rows:
            return None
        return self._rows[self._event_rows[self.cursor]].event_index

    @property
    def visible_event_count(self) -> int:
        return len(self._event_rows)

    def set_timeline(self, timeline: Timeline, select: int | None = None) -> None:
        """Show another timeline (after a reload), selecting event ``select``."""
        self._timeline = timeline
        self._terms = ()
        self._set_rows(build_rows(timeline))
        self.select_event(select if select is not None else 0)
        self._reveal()

    def filter(self, indexes: list[int] | None, terms: tuple[str, ...] = ()) -> None:
        """Show only the events at ``indexes`` (all for ``None``), highlighting ``terms``."""
        selected = self.selected_index
        self._terms = terms
        self._set_rows(build_rows(self._timeline, indexes))
        if selected is not None and selected in self._row_of_event:
            self.select_event(selected)
        else:
            self._move_to(0)
        self._reveal()

    def _set_rows(self, rows: list[Row]) -> None:
        self._rows = rows
        self._event_rows = [n for n, row in enumerate(rows) if row.kind == "event"]
        self._row_of_event = {rows[n].event_index: i for i, n in enumerate(self._event_rows)}
        self._line_cache.clear()
        self.virtual_size = Size(self.size.width, len(rows))
        self.refresh()

    def select_event(self, event_index: int) -> bool:
        """Put the cursor on an event; False when it is not shown (filtered out)."""
        position = self._row_of_event.get(event_index)
        if position is None:
            return False
        if position != self.cursor or self.selected_index != event_index:
            self._move_to(position)
        return True

    # -- movement --------------------------------------------------------------

    def _move_to(self, position: int) -> None:
        if not self._event_rows:
            self.refresh()
            return
        position = max(0, min(position, len(self._event_rows) - 1))
        self.cursor = position

    def watch_cursor(self, old: int, new: int) -> None:
        self._line_cache.clear()
        self.refresh()
        if not self._event_rows:
            return
        self._scroll_cursor_into_view()
        self.post_message(self.Selected(self, self._rows[self._event_rows[new]].event_index))

    def _reveal(self) -> None:
        """Scroll the cursor into view once the new rows are laid out."""
        if self._event_rows:
            self.call_after_refresh(self._scroll_cursor_into_view)

    def _scroll_cursor_into_view(self) -> None:
        if not self._event_rows:
            return
        row = self._event_rows[min(self.cursor, len(self._event_rows) - 1)]
        top = row
        # keep the year heading (and a gap above it) in view with the first event of a year
        while top > 0 and self._rows[top - 1].kind != "event" and row - top < 2:
            top -= 1
        self.scroll_to_region(
            Region(0, top, 1, row - top + 1), animate=False, force=True, immediate=True
        )

    def action_move(self, delta: int) -> None:
        self._move_to(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        height = max(1, self.scrollable_content_region.height - 2)
        row = self._event_rows[self.cursor] if self._event_rows else 0
        target = row + direction * height
        # the first event row at or after the target row
        self._move_to(bisect_left(self._event_rows, target))

    def action_first(self) -> None:
        self._move_to(0)
        self.scroll_home(animate=False, immediate=True)

    def action_last(self) -> None:
        self._move_to(len(self._event_rows) - 1)

    def action_enter(self) -> None:
        index = self.selected_index
        if index is not None:
            self.post_message(self.Entered(self, index))

    async def _on_click(self, event: events.Click) -> None:
        row = event.y + self.scroll_offset.y
        if 0 <= row < len(self._rows) and self._rows[row].kind == "event":
            position = self._row_of_event[self._rows[row].event_index]
            if position == self.cursor and event.chain >= 2:
                self.action_enter()
            self._move_to(position)

    # -- rendering ---------------------------------------------------------------

    def on_resize(self) -> None:
        self._line_cache.clear()
        self.virtual_size = Size(self.size.width, len(self._rows))

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        row_number = scroll_y + y
        width = self.scrollable_content_region.width
        if row_number >= len(self._rows):
            return Strip.blank(width, self.rich_style)
        selected_row = self._event_rows[self.cursor] if self._event_rows else -1
        key = (row_number, width, scroll_x, row_number == selected_row)
        cached = self._line_cache.get(key)
        if cached is not None:
            return cached
        text = self._row_text(self._rows[row_number], width, row_number == selected_row)
        segments = list(text.render(self.app.console))
        strip = Strip(segments).crop_extend(scroll_x, scroll_x + width, self.rich_style)
        self._line_cache[key] = strip
        return strip

    def _row_text(self, row: Row, width: int, selected: bool) -> Text:
        base = self.rich_style
        if row.kind == "year":
            style = self.get_component_rich_style("timeline--year")
            label = f" {row.text} "
            rule = "─" * max(0, width - 2 - len(label))
            return Text.assemble(("──", style), (label, style), (rule, style), style=base, end="")
        if row.kind == "gap":
            style = self.get_component_rich_style("timeline--gap")
            return Text(f"{' ' * (DATE_WIDTH - 2)}· {row.text} ·", style=base + style, end="")
        event = self._timeline.events[row.event_index]
        count = len(event.source_ids)
        count_text = f"{count} src"
        marker = "▶ " if selected else "  "
        date = row.text if len(row.text) <= DATE_WIDTH - 1 else row.text[: DATE_WIDTH - 2] + "…"
        title_width = max(1, width - len(marker) - DATE_WIDTH - len(count_text) - 1)
        title = one_line(event.title)
        text = Text(end="", no_wrap=True, overflow="ellipsis", style=base)
        text.append(marker)
        text.append(f"{date:<{DATE_WIDTH}}", self.get_component_rich_style("timeline--date"))
        title_text = Text(title, end="")
        if self._terms:
            match_style = self.get_component_rich_style("timeline--match")
            folded = title.casefold()
            for term in self._terms:
                start = folded.find(term)
                while start != -1 and len(folded) == len(title):
                    title_text.stylize(match_style, start, start + len(term))
                    start = folded.find(term, start + len(term))
        title_text.truncate(title_width, overflow="ellipsis", pad=True)
        text.append_text(title_text)
        text.append(" ")
        count_style = self.get_component_rich_style("timeline--count")
        text.append(count_text, count_style)
        if selected:
            text.stylize(self.get_component_rich_style("timeline--cursor"))
        return text

