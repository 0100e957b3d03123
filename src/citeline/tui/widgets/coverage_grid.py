"""The coverage grid: events (rows) × sources (columns), a mark where one cites the other.

A Line-API :class:`~textual.scroll_view.ScrollView`: only the rows and
columns on screen are rendered. Row 0 of the view is a sticky header (the
source ids) and the first columns a sticky label (date, title and the number
of distinct sources the event cites; single-source events get a ``!``).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from citeline.dates import format_date
from citeline.model import Event, Source, Timeline
from citeline.sanitize import one_line
from citeline.tui.commands import LIST_MOVES, bindings
from citeline.tui.messages import SourceRequested

MARK = "●"
EMPTY = "·"
SINGLE_FLAG = "!"
#: Cells per source column: the widest id shown is one less (then "…").
MAX_COLUMN_WIDTH = 8
MIN_COLUMN_WIDTH = 4
#: Widest date label (longer dates are cut with "…"), and the widest when the title
#: still gets at least ``WIDE_TITLE_WIDTH`` cells beside it.
MAX_DATE_WIDTH = 18
WIDE_DATE_WIDTH = 24
WIDE_TITLE_WIDTH = 30
#: Widest title label, used only when all the source columns fit beside it.
MAX_TITLE_WIDTH = 60
SEPARATOR = "│"


def fit(text: str, width: int) -> str:
    """``text`` cut (with ``…``) or padded with spaces to exactly ``width`` cells."""
    if width <= 0:
        return ""
    length = cell_len(text)
    if length <= width:
        return text + " " * (width - length)
    out = []
    used = 0
    for character in text:
        size = cell_len(character)
        if used + size > width - 1:
            break
        out.append(character)
        used += size
    return "".join(out) + "…" + " " * (width - 1 - used)


def short_ids(ids: list[str]) -> list[str]:
    """``ids`` without the prefix they all share up to a separator (``src-12`` → ``12``)."""
    if len(ids) < 2:
        return list(ids)
    first, last = min(ids), max(ids)
    common = 0
    while common < min(len(first), len(last)) and first[common] == last[common]:
        common += 1
    cut = max((first.rfind(sep, 0, common) for sep in "-_./: "), default=-1) + 1
    if cut and all(len(i) > cut for i in ids):
        return [i[cut:] for i in ids]
    return list(ids)


@dataclass(frozen=True)
class GridLayout:
    """Column widths of the sticky label and of each source column."""

    date: int
    title: int
    count: int
    cell: int

    @property
    def label(self) -> int:
        """Width of the sticky label: marker, date, title, count and flag, separator."""
        return 1 + self.date + 1 + self.title + 1 + self.count + 1 + 1 + 1


class CoverageGrid(ScrollView, can_focus=True, inherit_bindings=False):
    """Which source each event cites, with a cell cursor.

    ``Enter`` on a marked cell posts :class:`SourceRequested` for the event's
    first passage from that source; on an empty cell it notifies instead.
    Left and right (``h``/``l``) move the cursor, so only ``Esc`` goes back.
    """

    BINDINGS = bindings("list.open", *LIST_MOVES, "grid.left", "grid.right")

    COMPONENT_CLASSES = {
        "coverage-grid--header",
        "coverage-grid--header-cursor",
        "coverage-grid--date",
        "coverage-grid--title",
        "coverage-grid--count",
        "coverage-grid--single",
        "coverage-grid--mark",
        "coverage-grid--empty",
        "coverage-grid--cursor",
        "coverage-grid--cursor-row",
        "coverage-grid--separator",
    }

    class CursorMoved(Message):
        """The cell cursor moved (also sent once after mounting)."""

        def __init__(self, grid: CoverageGrid, row: int, column: int) -> None:
            super().__init__()
            self.grid = grid
            self.row = row
            self.column = column

        @property
        def control(self) -> CoverageGrid:
            return self.grid

    def __init__(
        self,
        timeline: Timeline,
        *,
        row: int = 0,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._take(timeline)
        self._row = max(0, min(row, len(self._events) - 1))
        self._column = 0
        self._cache: LRUCache[tuple[int, int, int, int], Strip] = LRUCache(512)

    def _take(self, timeline: Timeline) -> None:
        """Read what the grid shows of ``timeline``."""
        self._events = timeline.events
        self._sources = timeline.sources
        column_of = {source.id: index for index, source in enumerate(self._sources)}
        self._cited: list[frozenset[int]] = [
            frozenset(column_of[s] for s in event.source_ids if s in column_of)
            for event in self._events
        ]
        self._dates = [one_line(format_date(event.date)) for event in self._events]
        self._headers = short_ids([one_line(source.id) for source in self._sources])
        longest_id = max((cell_len(h) for h in self._headers), default=1)
        self._cell = max(MIN_COLUMN_WIDTH, min(MAX_COLUMN_WIDTH, longest_id + 1))
        # (every date is formatted here anyway: the longest is known at once)
        self._longest_date = max(4, max(map(cell_len, self._dates), default=4))
        self._date_width = min(MAX_DATE_WIDTH, self._longest_date)
        most = max((len(cols) for cols in self._cited), default=0)
        self._count_width = max(3, len(str(most)))
        self._grid = GridLayout(self._date_width, 20, self._count_width, self._cell)

    # -- what others may ask ------------------------------------------------------------

    @property
    def cursor(self) -> tuple[int, int]:
        """``(row, column)``: the event index and the source index under the cursor."""
        return self._row, self._column

    @property
    def grid_layout(self) -> GridLayout:
        """The current column widths (they follow the widget's width)."""
        return self._grid

    @property
    def cursor_event(self) -> Event | None:
        return self._events[self._row] if self._events else None

    @property
    def cursor_source(self) -> Source | None:
        return self._sources[self._column] if self._sources else None

    def cites(self, row: int, column: int) -> bool:
        """Whether event ``row`` cites source ``column``."""
        return column in self._cited[row]

    def source_count(self, row: int) -> int:
        """How many distinct sources event ``row`` cites."""
        return len(self._cited[row])

    def set_timeline(self, timeline: Timeline, row: int, column: int) -> None:
        """Show a reloaded timeline, the cursor on that cell (clamped)."""
        self._take(timeline)
        self._row = max(0, min(row, len(self._events) - 1))
        self._column = max(0, min(column, len(self._sources) - 1))
        self._cache.clear()
        if self.is_mounted:
            self._relayout()
        if self._events and self._sources:
            self.post_message(self.CursorMoved(self, self._row, self._column))

    def move_to(self, row: int, column: int) -> None:
        """Put the cursor on a cell (clamped) and scroll it into view."""
        row = max(0, min(row, len(self._events) - 1))
        column = max(0, min(column, len(self._sources) - 1))
        if (row, column) == (self._row, self._column):
            self._scroll_to_cursor()
            return
        self._row, self._column = row, column
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.CursorMoved(self, row, column))

    # -- actions -------------------------------------------------------------------------

    def action_cursor_down(self) -> None:
        self.move_to(self._row + 1, self._column)

    def action_cursor_up(self) -> None:
        self.move_to(self._row - 1, self._column)

    def action_cursor_left(self) -> None:
        self.move_to(self._row, self._column - 1)

    def action_cursor_right(self) -> None:
        self.move_to(self._row, self._column + 1)

    def action_page_down(self) -> None:
        self.move_to(self._row + self._body_height(), self._column)

    def action_page_up(self) -> None:
        self.move_to(self._row - self._body_height(), self._column)

    def action_first(self) -> None:
        self.move_to(0, self._column)

    def action_last(self) -> None:
        self.move_to(len(self._events) - 1, self._column)

    def action_open(self) -> None:
        """Open the source at the event's first passage from it, or say it is empty."""
        event, source = self.cursor_event, self.cursor_source
        if event is None or source is None:
            return
        for index, passage in enumerate(event.passages):
            if passage.source_id == source.id:
                self.post_message(SourceRequested(source.id, event.id, index))
                return
        self.notify(
            f"Event '{one_line(event.id)}' does not cite source '{one_line(source.id)}'.",
            severity="warning",
            markup=False,
        )

    # -- events --------------------------------------------------------------------------

    def on_mount(self) -> None:
        super().on_mount()
        self._relayout()
        if self._events and self._sources:
            self.post_message(self.CursorMoved(self, self._row, self._column))

    def on_resize(self, event: events.Resize) -> None:
        self._relayout()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    def on_click(self, event: events.Click) -> None:
        """Click a cell to put the cursor there; double-click to open it."""
        layout = self._grid
        if event.y < 1 or event.x < layout.label:
            if event.y >= 1:
                self.move_to(int(self.scroll_y) + event.y - 1, self._column)
            return
        column = (int(self.scroll_x) + event.x - layout.label) // layout.cell
        self.move_to(int(self.scroll_y) + event.y - 1, column)
        if event.chain == 2:
            self.action_open()

    # -- layout --------------------------------------------------------------------------

    def _relayout(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0:
            return
        wide = min(WIDE_DATE_WIDTH, self._longest_date)
        date, title = wide, self._title_width(width, wide)
        if title < WIDE_TITLE_WIDTH:
            date = min(MAX_DATE_WIDTH, self._longest_date)
            title = self._title_width(width, date)
        self._date_width = date
        self._grid = GridLayout(date, title, self._count_width, self._cell)
        self._cache.clear()
        self.virtual_size = Size(
            self._grid.label + len(self._sources) * self._cell, len(self._events) + 1
        )
        self.call_after_refresh(self._scroll_to_cursor)
        self.refresh()

    def _title_width(self, width: int, date: int) -> int:
        """The title label's width in ``width`` cells beside a date label of ``date``."""
        fixed = GridLayout(date, 0, self._count_width, self._cell).label
        title = max(8, min(40, (width - fixed) // 3))
        spare = width - fixed - len(self._sources) * self._cell
        return max(title, min(MAX_TITLE_WIDTH, spare))  # few sources: longer titles

    def _body_height(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _scroll_to_cursor(self) -> None:
        height = self._body_height()
        area = max(1, self.scrollable_content_region.width - self._grid.label)
        x, y = int(self.scroll_x), int(self.scroll_y)
        if self._row < y:
            y = self._row
        elif self._row >= y + height:
            y = self._row - height + 1
        left = self._column * self._cell
        if left < x:
            x = left
        elif left + self._cell > x + area:
            x = left + self._cell - area
            x = min(left, -(-x // self._cell) * self._cell)  # whole columns at the left
        self.scroll_to(x, y, animate=False)

    # -- rendering -----------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        scroll_x, scroll_y = int(self.scroll_x), int(self.scroll_y)
        if y == 0:
            key = (-1, scroll_x, self._column, width)
        else:
            row = scroll_y + y - 1
            if row >= len(self._events):
                return Strip.blank(width, self.rich_style)
            key = (row, scroll_x, self._column if row == self._row else -1, width)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._render_header(scroll_x, width) if y == 0 else self._render_row(
                key[0], scroll_x, width
            )
            self._cache[key] = strip
        return strip

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"coverage-grid--{name}")

    def _visible_columns(self, scroll_x: int, width: int) -> tuple[range, int]:
        """Source columns on screen and how many cells of the first are scrolled off."""
        area = max(0, width - self._grid.label)
        cell = self._grid.cell
        first = scroll_x // cell
        last = min(len(self._sources), (scroll_x + area + cell - 1) // cell)
        return range(first, last), scroll_x - first * cell

    def _render_header(self, scroll_x: int, width: int) -> Strip:
        layout = self._grid
        base = self.rich_style
        header = base + self._style("header")
        text = (
            " "
            + fit("Date", layout.date)
            + " "
            + fit("Event", layout.title)
            + " "
            + fit("Src", layout.count).rstrip().rjust(layout.count)
            + "  "
        )
        head = Strip.join(
            [
                Strip([Segment(text, header)]),
                Strip([Segment(SEPARATOR, header + self._style("separator"))]),
            ]
        )
        columns, skip = self._visible_columns(scroll_x, width)
        cursor_style = header + self._style("header-cursor")
        cell_segments = [
            Segment(
                " " + fit(self._headers[column], layout.cell - 1),
                cursor_style if column == self._column else header,
            )
            for column in columns
        ]
        area = max(0, width - layout.label)
        body = Strip(cell_segments).crop(skip, skip + area).extend_cell_length(area, header)
        return Strip.join([head, body]).crop_extend(0, width, base)

    def _render_row(self, row: int, scroll_x: int, width: int) -> Strip:
        layout = self._grid
        base = self.rich_style
        on_cursor = row == self._row
        if on_cursor:
            base = base + self._style("cursor-row")
        event = self._events[row]
        count = len(self._cited[row])
        count_style = base + self._style("single" if count == 1 else "count")
        flag = SINGLE_FLAG if count == 1 else " "
        label = [
            Segment("›" if on_cursor else " ", base),
            Segment(fit(self._dates[row], layout.date), base + self._style("date")),
            Segment(" ", base),
            Segment(fit(one_line(event.title), layout.title), base + self._style("title")),
            Segment(" ", base),
            Segment(str(count).rjust(layout.count) + flag, count_style),
            Segment(" ", base),
            Segment(SEPARATOR, base + self._style("separator")),
        ]
        columns, skip = self._visible_columns(scroll_x, width)
        cited = self._cited[row]
        mark_style = base + self._style("mark")
        empty_style = base + self._style("empty")
        cursor_style = base + self._style("cursor")
        # each column ``layout.cell`` wide, as its header: a space, then the mark centred
        # in the cells the header's name takes
        pad = " " * ((layout.cell - 2) // 2)
        rest = " " * (layout.cell - 2 - len(pad))
        cells = []
        for column in columns:
            mark = MARK if column in cited else EMPTY
            style = mark_style if mark == MARK else empty_style
            if on_cursor and column == self._column:
                style = style + cursor_style
            cells.append(Segment(" ", base))
            cells.append(Segment(pad + mark + rest, style))
        area = max(0, width - layout.label)
        body = Strip(cells).crop(skip, skip + area).extend_cell_length(area, base)
        return Strip.join([Strip(label), body]).crop_extend(0, width, self.rich_style)
