"""The timeline list's rows: year headings, events and gaps, for all events or search hits."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from citeline.dates import describe_gap, format_date
from citeline.model import Timeline
from citeline.tui.timeline_rows import EVENT, GAP, YEAR, TimelineRows, rows_for, year_of

from .conftest import synthetic_timeline


def reference_rows(timeline: Timeline, indexes: list[int] | None) -> list[tuple[str, str, int]]:
    """The rows as first specified: (kind, text, event index or -1)."""
    events = timeline.events
    chosen = range(len(events)) if indexes is None else indexes
    rows: list[tuple[str, str, int]] = []
    last_year = None
    previous = None
    for index in chosen:
        event = events[index]
        year = year_of(event)
        if previous is not None and previous == index - 1:
            gap = describe_gap(events[previous].date, event.date)
            if gap:
                rows.append(("gap", gap, -1))
        if year != last_year:
            rows.append(("year", str(year), -1))
            last_year = year
        rows.append(("event", format_date(event.date), index))
        previous = index
    return rows


def as_reference(model: TimelineRows, indexes: list[int] | None) -> list[tuple[str, str, int]]:
    rows = model.rows(indexes)
    out = []
    for kind, ref in zip(rows.kinds, rows.refs, strict=True):
        if kind == GAP:
            out.append(("gap", model.gap_text(ref), -1))
        elif kind == YEAR:
            out.append(("year", str(ref), -1))
        else:
            assert kind == EVENT
            out.append(("event", model.date_text(ref), ref))
    return out


def test_rows_match_the_specification() -> None:
    timeline = synthetic_timeline(300, 7)
    model = TimelineRows(timeline)
    assert as_reference(model, None) == reference_rows(timeline, None)
    chooser = random.Random(5)
    for _ in range(20):
        hits = sorted(chooser.sample(range(300), chooser.randint(0, 300)))
        assert as_reference(model, hits) == reference_rows(timeline, hits)


def test_event_rows_and_positions() -> None:
    timeline = synthetic_timeline(50, 3)
    model = rows_for(timeline)
    assert rows_for(timeline) is model  # made once per timeline
    hits = [3, 4, 10, 30, 31, 32]
    rows = model.rows(hits)
    assert [rows.refs[n] for n in rows.event_rows] == hits
    assert all(rows.kinds[n] == EVENT for n in rows.event_rows)
    assert [rows.position_of(i) for i in hits] == list(range(len(hits)))
    assert rows.position_of(5) is None
    assert rows.position_of(99) is None
    assert model.rows() is model.rows()  # the full list is kept


def test_axis_days_span_the_timeline() -> None:
    timeline = synthetic_timeline(30, 3)
    days = rows_for(timeline).axis_days()
    assert days is not None
    anchors, first, last = days
    assert anchors == [e.date.first_day().toordinal() for e in timeline.events]
    assert first == timeline.events[0].date.first_day().toordinal()
    assert last == max(e.date.last_day().toordinal() for e in timeline.events)


def test_axis_days_of_open_intervals_and_shared_dates() -> None:
    import datetime as dt
    from dataclasses import replace

    from citeline.model import EventDate, PartialDate

    base = synthetic_timeline(4, 1)
    shared = PartialDate(2001, 5)  # one object for two events, as a cached timeline has

    def dated(index: int, start: PartialDate | None, end: PartialDate | None):  # type: ignore[no-untyped-def]
        return replace(base.events[index], date=EventDate(start, end, None, "x", True))

    def day(*parts: int) -> int:
        return dt.date(*parts).toordinal()

    events = (
        dated(0, None, PartialDate(1999, 3)),  # open at the start: its end
        dated(1, shared, shared),
        dated(2, shared, None),  # open at the end
        dated(3, PartialDate(2003, 2, 10), PartialDate(2004)),
    )
    rows = TimelineRows(Timeline(base.title, events, base.sources))
    assert rows.axis_days() == (
        [day(1999, 3, 31), day(2001, 5, 1), day(2001, 5, 1), day(2003, 2, 10)],
        day(1999, 3, 31),
        day(2004, 12, 31),
    )
    assert [rows.year(i) for i in range(4)] == [1999, 2001, 2001, 2003]
    assert TimelineRows(Timeline("empty", (), ())).axis_days() is None


@given(
    first=st.integers(1, 800_000),
    span=st.integers(1, 50_000),
    width=st.integers(4, 400),
    offsets=st.lists(st.integers(-100, 50_100), max_size=60),
)
def test_the_axis_places_many_days_as_it_places_each(
    first: int, span: int, width: int, offsets: list[int]
) -> None:
    from citeline.tui.widgets.time_axis import AxisScale

    scale = AxisScale(first, first + span, width)
    days = [first + offset for offset in offsets]
    assert scale.columns_of(days) == [scale.column_of(day) for day in days]
