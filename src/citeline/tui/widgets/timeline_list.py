"""The timeline: events under year headings, rendered a visible row at a time.

A Line-API ``ScrollView``: no widget per event, so 10,000 events cost what
the screen shows, not what the file holds. Rendered rows are cached (their
key says whether the row is the selected one), so moving the cursor redraws
two rows, and the component styles are looked up once per style change.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from typing import NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from citeline.model import Timeline
from citeline.sanitize import one_line
from citeline.search import search_form
from citeline.tui.commands import bindings
from citeline.tui.timeline_rows import EVENT, GAP, YEAR, Rows, TimelineRows, rows_for
from citeline.tui.widgets.row_view import RowView

#: The date column's width (a date and a space), and the widest it grows to fit
#: longer dates (intervals: ``24 Feb – 12 Mar 2022``) when the row is wide enough.
DATE_WIDTH = 17
WIDE_DATE_WIDTH = 24
#: The title keeps at least this many cells when the date column grows (so at 80
#: columns, where the title has 53 beside 17, the date column stays 17).
WIDE_TITLE_WIDTH = 60
#: The widest source count drawn after the title (``99 src``), and the space before it.
_COUNT_ROOM = 7


def date_column_width(row_width: int, longest_date: int) -> int:
    """The date column's width in a row of ``row_width`` cells, for dates of at most
    ``longest_date`` characters."""
    spare = row_width - 2 - DATE_WIDTH - _COUNT_ROOM - WIDE_TITLE_WIDTH
    wanted = min(longest_date + 1, WIDE_DATE_WIDTH) - DATE_WIDTH
    return DATE_WIDTH + max(0, min(wanted, spare))


class TimelineList(RowView, can_focus=True, inherit_bindings=False):
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

    cursor: reactive[int] = reactive(0, always_update=True, init=False, repaint=False)

    class Selected(Message):
        """The cursor moved to another event."""

        def __init__(self, timeline_list: TimelineList, event_index: int) -> None:
            super().__init__()
            self.list = timeline_list
            self.event_index = event_index

        @property
        def control(self) -> TimelineList:
            return self.list

    def __init__(
        self,
        timeline: Timeline,
        *,
        id: str | None = None,
        on_select: Callable[[int], None] | None = None,
        on_enter: Callable[[int], None] | None = None,
    ) -> None:
        """``on_select``, when given, is called with the event's index as soon as the
        cursor moves (before :class:`Selected` is posted), so that whoever shows the
        selection can update in the same frame as the list.

        ``on_enter`` is called with it when the user asks to go into the event's
        passages (Enter, a double click), at once rather than by a message: a key
        typed right after Enter must find the focus already moved."""
        super().__init__(id=id)
        self._timeline = timeline
        self._model: TimelineRows = rows_for(timeline)
        self._rows: Rows = self._model.rows()
        self._terms: tuple[str, ...] = ()
        self._on_select = on_select
        self._on_enter = on_enter
        self._line_cache: LRUCache[tuple[int, int, int, bool], Strip] = LRUCache(1024)
        self._palette: _Palette | None = None
        self._date_width = DATE_WIDTH
        self._set_rows(self._rows)

    # -- data ------------------------------------------------------------------

    @property
    def timeline(self) -> Timeline:
        return self._timeline

    @property
    def selected_index(self) -> int | None:
        """Index into ``timeline.events`` of the selected event."""
        indexes = self._rows.event_indexes
        if not indexes:
            return None
        return indexes[min(self.cursor, len(indexes) - 1)]

    @property
    def visible_event_count(self) -> int:
        return len(self._rows.event_indexes)

    def set_timeline(self, timeline: Timeline, select: int | None = None) -> None:
        """Show another timeline (after a reload), selecting event ``select``."""
        self._timeline = timeline
        self._model = rows_for(timeline)
        self._terms = ()
        self._set_rows(self._model.rows())
        self.select_event(select if select is not None else 0)
        self._reveal()

    def filter(self, indexes: Sequence[int] | None, terms: tuple[str, ...] = ()) -> None:
        """Show only the events at ``indexes`` (all for ``None``), highlighting ``terms``.

        ``indexes`` must be ascending (timeline order).
        """
        selected = self.selected_index
        self._terms = terms
        self._set_rows(self._model.rows(indexes))
        if selected is not None and self._rows.position_of(selected) is not None:
            self.select_event(selected)
        else:
            self._move_to(0)
        self._reveal()

    def _set_rows(self, rows: Rows) -> None:
        self._rows = rows
        self._line_cache.clear()
        self.virtual_size = Size(self.size.width, len(rows))
        self.refresh()

    def first_shown_from(self, event_index: int) -> tuple[int, bool] | None:
        """The first event shown (its index) from ``event_index`` on, and False; or,
        when every event shown comes before, the last shown, and True. ``None`` when
        none is shown."""
        indexes = self._rows.event_indexes
        if not len(indexes):
            return None
        position = bisect_left(indexes, event_index)
        if position < len(indexes):
            return indexes[position], False
        return indexes[-1], True

    def select_event(self, event_index: int) -> bool:
        """Put the cursor on an event; False when it is not shown (filtered out)."""
        position = self._rows.position_of(event_index)
        if position is None:
            return False
        if position != self.cursor or self.selected_index != event_index:
            self._move_to(position)
        return True

    # -- movement --------------------------------------------------------------

    def _move_to(self, position: int) -> None:
        event_rows = self._rows.event_rows
        if not event_rows:
            self.refresh()
            return
        position = max(0, min(position, len(event_rows) - 1))
        self.cursor = position

    def watch_cursor(self, old: int, new: int) -> None:
        event_rows = self._rows.event_rows
        if not event_rows:
            return
        if old < len(event_rows):
            self.refresh_line(event_rows[old])
        self.refresh_line(event_rows[new])
        self._scroll_cursor_into_view()
        index = self._rows.event_indexes[new]
        if self._on_select is not None:
            self._on_select(index)
        self.post_message(self.Selected(self, index))

    def _reveal(self) -> None:
        """Scroll the cursor into view (once the new rows are laid out, before the first)."""
        if not self._rows.event_rows:
            return
        if self.size:
            self._scroll_cursor_into_view()
        else:
            self.call_after_refresh(self._scroll_cursor_into_view)

    def _scroll_cursor_into_view(self) -> None:
        if not self._rows.event_rows:
            return
        # keep the year heading (and a gap above it) in view with the first event of a year,
        # when the list has rows for them beside the cursor's
        row, top = self._cursor_rows(above=min(2, self.scrollable_content_region.height - 1))
        self.scroll_to_region(
            Region(0, top, 1, row - top + 1), animate=False, force=True, immediate=True
        )

    def scroll_cursor_to_top(self) -> None:
        """Scroll the cursor's row to the top, its year heading (and a gap above it) with
        it, as far as the list scrolls: what comes after it shows below it."""
        if not self._rows.event_rows:
            return
        _, top = self._cursor_rows(above=2)
        self.scroll_to(y=top, animate=False, force=True, immediate=True)

    def _cursor_rows(self, above: int) -> tuple[int, int]:
        """The cursor's row, and the row its year heading and a gap above it start on
        (at most ``above`` rows higher, the cursor's own when none is right above it)."""
        rows = self._rows
        row = rows.event_rows[min(self.cursor, len(rows.event_rows) - 1)]
        top = row
        while top > 0 and rows.kinds[top - 1] != EVENT and row - top < above:
            top -= 1
        return row, top

    def action_move(self, delta: int) -> None:
        self._move_to(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        height = max(1, self.scrollable_content_region.height - 2)
        event_rows = self._rows.event_rows
        row = event_rows[self.cursor] if event_rows else 0
        target = row + direction * height
        # the first event row at or after the target row
        self._move_to(bisect_left(event_rows, target))

    def action_first(self) -> None:
        self._move_to(0)
        event_rows = self._rows.event_rows
        # the top, with the first year's heading, unless that leaves out the cursor's row
        if not event_rows or event_rows[0] < self.scrollable_content_region.height:
            self.scroll_home(animate=False, immediate=True)

    def action_last(self) -> None:
        self._move_to(len(self._rows.event_rows) - 1)

    def action_enter(self) -> None:
        index = self.selected_index
        if index is not None and self._on_enter is not None:
            self._on_enter(index)

    async def _on_click(self, event: events.Click) -> None:
        row = event.y + self.scroll_offset.y
        rows = self._rows
        if 0 <= row < len(rows) and rows.kinds[row] == EVENT:
            position = rows.position_of(rows.refs[row])
            assert position is not None
            if position == self.cursor and event.chain >= 2:
                self.action_enter()
            self._move_to(position)

    # -- rendering ---------------------------------------------------------------

    def on_resize(self) -> None:
        self._line_cache.clear()
        self.virtual_size = Size(self.size.width, len(self._rows))
        # shorter (a smaller terminal, the narrow layout, a panel shown): the cursor stays
        # in view, scrolled to as a move scrolls to it
        self._scroll_cursor_into_view()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._palette = None
        self._line_cache.clear()

    def _styles(self) -> _Palette:
        """The styles rows are drawn with, looked up again only when they change."""
        # the cursor's style changes with the focus (without a style update on this
        # widget): Textual keeps component styles until the next refresh, so this is cheap
        cursor = self.get_component_rich_style("timeline--cursor")
        palette = self._palette
        if palette is None or palette.cursor != cursor:
            component = self.get_component_rich_style
            palette = self._palette = _Palette(
                base=self.rich_style,
                year=component("timeline--year"),
                gap=component("timeline--gap"),
                date=component("timeline--date"),
                count=component("timeline--count"),
                cursor=cursor,
                match=component("timeline--match"),
            )
            self._line_cache.clear()
        return palette

    def render_lines(self, crop: Region) -> list[Strip]:
        self._fit_date_column()
        return super().render_lines(crop)

    def _fit_date_column(self) -> None:
        """Widen the date column (when the width allows) to the longest date text
        formatted so far, the rows on screen first.

        The longest of the whole timeline would mean formatting every date before
        the first frame; the dates on screen are formatted to be drawn anyway (and
        kept), so this costs a look-up per row on screen, and the column only grows
        as longer dates come into view, never back and forth while scrolling.
        """
        rows = self._rows
        region = self.scrollable_content_region  # (7 us: asked once)
        height = region.height
        top = self.scroll_offset.y
        kinds, refs, date_text = rows.kinds, rows.refs, self._model.date_text
        for row in range(top, min(top + height, len(rows))):
            if kinds[row] == EVENT:
                date_text(refs[row])
        width = date_column_width(region.width, self._model.longest_date)
        if width != self._date_width:
            self._date_width = width
            # (and the rows drawn before with the old width, kept by Textual: rare, as a
            # longer date comes into view by a scroll, which redraws them all anyway)
            self._line_cache.clear()
            self.refresh()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        row_number = scroll_y + y
        width = self.row_width
        palette = self._styles()
        rows = self._rows
        if row_number >= len(rows):
            return Strip.blank(width, palette.base)
        event_rows = rows.event_rows
        selected = bool(event_rows) and event_rows[min(self.cursor, len(event_rows) - 1)] == (
            row_number
        )
        key = (row_number, width, scroll_x, selected)
        cached = self._line_cache.get(key)
        if cached is not None:
            return cached
        text = self._row_text(rows.kinds[row_number], rows.refs[row_number], width, selected,
                              palette)
        segments = list(text.render(self.app.console))
        strip = Strip(segments).crop_extend(scroll_x, scroll_x + width, palette.base)
        self._line_cache[key] = strip
        return strip

    def _row_text(self, kind: int, ref: int, width: int, selected: bool, palette: _Palette
                  ) -> Text:
        base = palette.base
        date_width = self._date_width
        if kind == YEAR:
            style = palette.year
            label = f" {ref:04d} "  # (as dates write years: 0001)
            rule = "─" * max(0, width - 2 - len(label))
            return Text.assemble(("──", style), (label, style), (rule, style), style=base, end="")
        if kind == GAP:
            # (a Text's own style is dropped when it has no spans: style it with one)
            return Text.assemble(
                (f"{' ' * (date_width - 2)}· {self._model.gap_text(ref)} ·", base + palette.gap),
                end="",
            )
        event = self._timeline.events[ref]
        count = len(event.source_ids)
        count_text = f"{count} src"
        marker = "▶ " if selected else "  "
        date = self._model.date_text(ref)
        date = date if len(date) <= date_width - 1 else date[: date_width - 2] + "…"
        title_width = max(1, width - len(marker) - date_width - len(count_text) - 1)
        title = one_line(event.title)
        text = Text(end="", no_wrap=True, overflow="ellipsis", style=base)
        text.append(marker)
        text.append(f"{date:<{date_width}}", palette.date)
        title_text = Text(title, end="")
        if self._terms:
            folded = search_form(title)
            for term in self._terms:
                start = folded.find(term)
                while start != -1 and len(folded) == len(title):
                    title_text.stylize(palette.match, start, start + len(term))
                    start = folded.find(term, start + len(term))
        title_text.truncate(title_width, overflow="ellipsis", pad=True)
        text.append_text(title_text)
        text.append(" ")
        text.append(count_text, palette.count)
        if selected:
            text.stylize(palette.cursor)
        return text


class _Palette(NamedTuple):
    base: Style
    year: Style
    gap: Style
    date: Style
    count: Style
    cursor: Style
    match: Style
