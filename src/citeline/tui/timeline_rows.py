"""The rows of the timeline list: year headings, events and the gaps between them.

:class:`TimelineRows` holds what every row shows for one timeline, worked out
once per timeline from its :class:`~citeline.chronology.Chronology`: the year
of each event, and the gap between each event and the next (date texts are
formatted the first time a row is drawn). A
list of rows, for the whole timeline or for the hits of a search, is then a
cheap walk over integers (:class:`Rows`), and the widget only looks rows up
while rendering the visible ones.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from citeline.chronology import chronology_of
from citeline.dates import format_date
from citeline.model import Event, Timeline

#: Row kinds.
EVENT, YEAR, GAP = 0, 1, 2


def year_of(event: Event) -> int:
    """The year an event is listed under: of its start (of its end when open at the start)."""
    anchor = event.date.start or event.date.end
    assert anchor is not None
    return anchor.year


class Rows:
    """One list of rows, as parallel sequences of integers.

    Row ``n`` is of kind ``kinds[n]``; ``refs[n]`` is the event's index (into
    ``timeline.events``) for an event row, the year for a year heading, and
    for a gap the index of the event after the gap. ``event_rows[i]`` is the
    row of the ``i``-th event shown, ``event_indexes[i]`` its index in the
    timeline (ascending).
    """

    __slots__ = ("event_indexes", "event_rows", "kinds", "refs")

    def __init__(
        self,
        kinds: list[int],
        refs: list[int],
        event_rows: list[int],
        event_indexes: Sequence[int],
    ) -> None:
        self.kinds = kinds
        self.refs = refs
        self.event_rows = event_rows
        self.event_indexes = event_indexes

    def __len__(self) -> int:
        return len(self.kinds)

    def position_of(self, event_index: int) -> int | None:
        """Which event shown (0-based) is ``event_index``; ``None`` when it is not shown."""
        indexes = self.event_indexes
        position = bisect_left(indexes, event_index)
        if position < len(indexes) and indexes[position] == event_index:
            return position
        return None


class TimelineRows:
    """Per-timeline row data: years, gap texts, date texts (formatted lazily)."""

    def __init__(self, timeline: Timeline) -> None:
        self.timeline = timeline
        # (not the events: a cached timeline builds those lazily, nor its dates: it kept
        # its chronology)
        chronology = chronology_of(timeline)
        count = len(chronology.years)
        self._years = chronology.years
        #: ``gaps[i]``: the gap between event ``i - 1`` and event ``i`` (``None``: none shown)
        self._gaps = chronology.gaps
        self._dates: list[str | None] = [None] * count
        #: The length of the longest date text formatted so far (see :meth:`date_text`).
        self.longest_date = 0
        self._all: Rows | None = None
        self._axis_days: tuple[Sequence[int], int, int] | None = (
            (chronology.days, chronology.first_day, chronology.last_day) if count else None
        )

    def year(self, index: int) -> int:
        return self._years[index]

    def gap_text(self, index: int) -> str:
        """The gap shown above event ``index`` (between it and the event before)."""
        return self._gaps[index] or ""

    def date_text(self, index: int) -> str:
        """Event ``index``'s date as shown, formatted the first time it is asked for.

        :attr:`longest_date` follows the texts formatted so far: the longest of the
        whole timeline would cost formatting (and, for a cached timeline, building)
        every date before the first frame, 0.1 s at 100,000 events.
        """
        text = self._dates[index]
        if text is None:
            text = self._dates[index] = format_date(self.timeline.dates[index])
            if len(text) > self.longest_date:
                self.longest_date = len(text)
        return text

    def axis_days(self) -> tuple[Sequence[int], int, int] | None:
        """For the time axis: each event's day (its first, or its last when open at the
        start) as a proleptic ordinal, and the first and last day of the timeline.

        ``None`` for a timeline without events.
        """
        return self._axis_days

    def rows(self, indexes: Sequence[int] | None = None) -> Rows:
        """Rows for the events at ``indexes`` (all when ``None``), in timeline order.

        Gap markers are shown only between neighbours in the full timeline, not
        between two search hits that happen to be adjacent in the filtered list.
        """
        if indexes is None:
            if self._all is None:
                self._all = self._build(range(len(self._years)))
            return self._all
        return self._build(indexes)

    def _build(self, indexes: Sequence[int]) -> Rows:
        years, gaps = self._years, self._gaps
        kinds: list[int] = []
        refs: list[int] = []
        event_rows: list[int] = []
        add_kind, add_ref, add_event_row = kinds.append, refs.append, event_rows.append
        last_year: int | None = None
        previous = -2
        for index in indexes:
            if previous == index - 1 and gaps[index] is not None:
                add_kind(GAP)
                add_ref(index)
            year = years[index]
            if year != last_year:
                add_kind(YEAR)
                add_ref(year)
                last_year = year
            add_event_row(len(kinds))
            add_kind(EVENT)
            add_ref(index)
            previous = index
        return Rows(kinds, refs, event_rows, indexes)


_last: list[TimelineRows] = []


def rows_for(timeline: Timeline) -> TimelineRows:
    """The :class:`TimelineRows` of ``timeline``, made on first use (only the last is kept)."""
    if _last and _last[0].timeline is timeline:
        return _last[0]
    rows = TimelineRows(timeline)
    _last[:] = [rows]
    return rows
