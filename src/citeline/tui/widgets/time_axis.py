"""The time axis: the span of the timeline across the top, a mark for every event.

Two rows drawn with the Line API: year ticks with their labels, then the
events as marks whose glyph grows with how many fall in a column. The
selected event's column stands out (a ``◆`` in the cursor style). A click
selects the event nearest to that point in time.

Both rows are rendered once per size and style; moving the selection only
splices the ``◆`` into the cached marks row and repaints that row.
"""

from __future__ import annotations

import datetime as _dt
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.geometry import Region
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from citeline.model import Timeline
from citeline.tui.timeline_rows import rows_for

_DENSITY = " ·•●"


class AxisScale(NamedTuple):
    """Maps days to columns over the span of a timeline."""

    first: int  # proleptic ordinal of the first day shown
    last: int
    width: int

    @classmethod
    def for_timeline(cls, timeline: Timeline, width: int) -> AxisScale | None:
        days = rows_for(timeline).axis_days()
        if days is None or width < 4:
            return None
        _, first, last = days
        # show whole years at the edges when the span is long, so ticks make sense
        if last - first > 400:
            first = _dt.date(_dt.date.fromordinal(first).year, 1, 1).toordinal()
            last = _dt.date(_dt.date.fromordinal(last).year, 12, 31).toordinal()
        return cls(first, max(last, first + 1), width)

    def column(self, day: _dt.date) -> int:
        return self.column_of(day.toordinal())

    def column_of(self, ordinal: int) -> int:
        """The column of a day given as a proleptic ordinal."""
        fraction = (ordinal - self.first) / (self.last - self.first)
        return max(0, min(self.width - 1, round(fraction * (self.width - 1))))

    def columns_of(self, ordinals: Sequence[int]) -> list[int]:
        """:meth:`column_of` each day, in one pass (one per event as the browser opens)."""
        first, span, last_column = self.first, self.last - self.first, self.width - 1
        columns = [round((ordinal - first) / span * last_column) for ordinal in ordinals]
        if columns and (min(columns) < 0 or max(columns) > last_column):
            columns = [max(0, min(last_column, column)) for column in columns]
        return columns

    def day(self, column: int) -> _dt.date:
        fraction = column / max(1, self.width - 1)
        return _dt.date.fromordinal(self.first + round(fraction * (self.last - self.first)))


class TimeAxis(Widget):
    """A two-row axis; ``selected`` is an index into ``timeline.events``."""

    COMPONENT_CLASSES = {"axis--tick", "axis--mark", "axis--selected"}

    DEFAULT_CSS = """
    TimeAxis { height: 2; }
    """

    selected: reactive[int | None] = reactive(None, repaint=False)

    class Picked(Message):
        """The user clicked near an event on the axis."""

        def __init__(self, event_index: int) -> None:
            super().__init__()
            self.event_index = event_index

    def __init__(self, timeline: Timeline, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._timeline = timeline
        self._scale: AxisScale | None = None
        self._counts: list[int] = []
        self._layout_width: int | None = None  # the width the columns were laid out for
        self._starts: list[int] = []  # event start columns in timeline order
        self._strips: tuple[Strip, Strip] | None = None  # ticks, marks (without the selection)
        self._selected_strip: tuple[int, Strip] | None = None  # (column, marks with the ◆)

    def set_timeline(self, timeline: Timeline) -> None:
        self._timeline = timeline
        self._layout()
        self.refresh()

    def on_resize(self) -> None:
        if not self._laid_out():
            self._layout()
            self.refresh()

    def _laid_out(self) -> bool:
        """Whether the columns are for the current width (the first frame can come
        before the resize event: it lays the axis out itself)."""
        return self._layout_width == self.size.width

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._drop_strips()

    def _drop_strips(self) -> None:
        self._strips = None
        self._selected_strip = None

    def _layout(self) -> None:
        width = self._layout_width = self.size.width
        self._drop_strips()
        self._scale = AxisScale.for_timeline(self._timeline, width)
        self._counts = [0] * max(width, 0)
        self._starts = []
        if self._scale is None:
            return
        days = rows_for(self._timeline).axis_days()
        assert days is not None
        self._starts = starts = self._scale.columns_of(days[0])
        counts = self._counts
        for column, count in Counter(starts).items():
            counts[column] = count

    def watch_selected(self) -> None:
        self.refresh(Region(0, 1, self.size.width, 1))  # only the marks row changes

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if not self._laid_out():
            self._layout()
        scale = self._scale
        if scale is None:
            return Strip.blank(width, self.rich_style)
        strips = self._strips
        if strips is None or strips[0].cell_length != width:
            strips = self._strips = (self._strip(self._ticks(scale)), self._strip(self._marks()))
            self._selected_strip = None
        if y == 0:
            return strips[0]
        if self.selected is None or not 0 <= self.selected < len(self._starts):
            return strips[1]
        column = self._starts[self.selected]
        cached = self._selected_strip
        if cached is None or cached[0] != column:
            marks = strips[1]
            style = self.rich_style + self.get_component_rich_style("axis--selected")
            mark = Strip([Segment("◆", style)], 1)
            joined = Strip.join(
                [marks.crop(0, column), mark, marks.crop(column + 1, width)]
            ).simplify()
            cached = self._selected_strip = (column, joined)
        return cached[1]

    def _strip(self, text: Text, width: int | None = None) -> Strip:
        width = self.size.width if width is None else width
        text.truncate(width, pad=True)
        # one segment per run of a style, not per cell: every segment costs the terminal
        # its own style sequence each time the row is drawn
        strip = Strip(list(text.render(self.app.console)))
        return strip.crop_extend(0, width, self.rich_style).simplify()

    def _ticks(self, scale: AxisScale) -> Text:
        style = self.get_component_rich_style("axis--tick")
        cells = [" "] * scale.width
        first_year = _dt.date.fromordinal(scale.first).year
        last_year = _dt.date.fromordinal(scale.last).year
        years = range(first_year, last_year + 1)
        step = max(1, len(years) // max(1, scale.width // 8))
        for year in years[::step]:
            column = scale.column(_dt.date(year, 1, 1))
            label = f"┊{year:04d}"
            end = column + len(label)
            if end <= scale.width and all(c == " " for c in cells[column:end]):
                cells[column:end] = list(label)
        return Text("".join(cells), style=self.rich_style + style, end="")

    def _marks(self) -> Text:
        """The marks row without the selection."""
        mark_style = self.get_component_rich_style("axis--mark")
        text = Text(style=self.rich_style, end="")
        for count in self._counts:
            glyph = _DENSITY[min(count, len(_DENSITY) - 1)] if count else "─"
            text.append(glyph, mark_style if count else None)
        return text

    def on_click(self, event: events.Click) -> None:
        if self._scale is None or not self._starts:
            return
        column = event.x
        position = bisect_left(self._starts, column)
        candidates = [i for i in (position - 1, position) if 0 <= i < len(self._starts)]
        nearest = min(candidates, key=lambda i: abs(self._starts[i] - column))
        self.post_message(self.Picked(nearest))
