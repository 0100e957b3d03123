"""The time axis: the span of the timeline across the top, a mark for every event.

Two rows drawn with the Line API: year ticks with their labels, then the
events as marks whose glyph grows with how many fall in a column. The
selected event's column stands out (a ``◆`` in the cursor style). A click
selects the event nearest to that point in time.
"""

from __future__ import annotations

import datetime as _dt
from bisect import bisect_left
from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from citeline.model import Timeline

_DENSITY = " ·•●"


@dataclass(frozen=True)
class AxisScale:
    """Maps days to columns over the span of a timeline."""

    first: int  # proleptic ordinal of the first day shown
    last: int
    width: int

    @classmethod
    def for_timeline(cls, timeline: Timeline, width: int) -> AxisScale | None:
        days = [d for e in timeline.events for d in (e.date.first_day(), e.date.last_day()) if d]
        if not days or width < 4:
            return None
        first = min(days).toordinal()
        last = max(days).toordinal()
        # show whole years at the edges when the span is long, so ticks make sense
        if last - first > 400:
            first = _dt.date(_dt.date.fromordinal(first).year, 1, 1).toordinal()
            last = _dt.date(_dt.date.fromordinal(last).year, 12, 31).toordinal()
        return cls(first, max(last, first + 1), width)

    def column(self, day: _dt.date) -> int:
        fraction = (day.toordinal() - self.first) / (self.last - self.first)
        return max(0, min(self.width - 1, round(fraction * (self.width - 1))))

    def day(self, column: int) -> _dt.date:
        fraction = column / max(1, self.width - 1)
        return _dt.date.fromordinal(self.first + round(fraction * (self.last - self.first)))


class TimeAxis(Widget):
    """A two-row axis; ``selected`` is an index into ``timeline.events``."""

    COMPONENT_CLASSES = {"axis--tick", "axis--mark", "axis--selected"}

    DEFAULT_CSS = """
    TimeAxis { height: 2; }
    """

    selected: reactive[int | None] = reactive(None)

    @dataclass
    class Picked(Message):
        """The user clicked near an event on the axis."""

        event_index: int

    def __init__(self, timeline: Timeline, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._timeline = timeline
        self._scale: AxisScale | None = None
        self._counts: list[int] = []
        self._starts: list[int] = []  # event start columns in timeline order

    def set_timeline(self, timeline: Timeline) -> None:
        self._timeline = timeline
        self._layout()
        self.refresh()

    def on_resize(self) -> None:
        self._layout()
        self.refresh()

    def _layout(self) -> None:
        width = self.size.width
        self._scale = AxisScale.for_timeline(self._timeline, width)
        self._counts = [0] * max(width, 0)
        self._starts = []
        if self._scale is None:
            return
        for event in self._timeline.events:
            day = event.date.first_day() or event.date.last_day()
            assert day is not None
            column = self._scale.column(day)
            self._counts[column] += 1
            self._starts.append(column)

    def watch_selected(self) -> None:
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        scale = self._scale
        if scale is None:
            return Strip.blank(width, self.rich_style)
        text = self._ticks(scale) if y == 0 else self._marks()
        text.truncate(width, pad=True)
        return Strip(list(text.render(self.app.console))).crop_extend(0, width, self.rich_style)

    def _ticks(self, scale: AxisScale) -> Text:
        style = self.get_component_rich_style("axis--tick")
        cells = [" "] * scale.width
        first_year = _dt.date.fromordinal(scale.first).year
        last_year = _dt.date.fromordinal(scale.last).year
        years = range(first_year, last_year + 1)
        step = max(1, len(years) // max(1, scale.width // 8))
        for year in years[::step]:
            column = scale.column(_dt.date(year, 1, 1))
            label = f"┊{year}"
            end = column + len(label)
            if end <= scale.width and all(c == " " for c in cells[column:end]):
                cells[column:end] = list(label)
        return Text("".join(cells), style=self.rich_style + style, end="")

    def _marks(self) -> Text:
        mark_style = self.get_component_rich_style("axis--mark")
        text = Text(style=self.rich_style, end="")
        for count in self._counts:
            glyph = _DENSITY[min(count, len(_DENSITY) - 1)] if count else "─"
            text.append(glyph, mark_style if count else None)
        if self.selected is not None and 0 <= self.selected < len(self._starts):
            column = self._starts[self.selected]
            selected = Text("◆", self.get_component_rich_style("axis--selected"))
            text = text[:column] + selected + text[column + 1 :]
        return text

    def on_click(self, event: events.Click) -> None:
        if self._scale is None or not self._starts:
            return
        column = event.x
        position = bisect_left(self._starts, column)
        candidates = [i for i in (position - 1, position) if 0 <= i < len(self._starts)]
        nearest = min(candidates, key=lambda i: abs(self._starts[i] - column))
        self.post_message(self.Picked(nearest))
