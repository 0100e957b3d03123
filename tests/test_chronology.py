"""Finding where a day falls in a timeline: the first event listed from it."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from citeline.chronology import first_event_from, listed_from
from citeline.dates import parse_date
from citeline.model import Event, EventDate, PartialDate, Timeline


def timeline_of(*dates: EventDate) -> Timeline:
    events = tuple(
        Event(f"e{i}", f"Event {i}", date, "", ()) for i, date in enumerate(dates)
    )
    ordered = tuple(sorted(events, key=lambda event: event.date.sort_key()))
    return Timeline("T", ordered, ())


def test_the_first_event_from_a_day_month_or_year() -> None:
    timeline = timeline_of(
        *(parse_date(raw) for raw in (
            "2021", "2022", "2022-03", "2022-03-15", "2022-03-15/2022-04", "2022-09/..",
            "../2023", "2023-01-10",
        ))
    )
    order = [event.date.raw for event in timeline.events]
    assert order == [
        "2021", "2022", "2022-03", "2022-03-15", "2022-03-15/2022-04", "2022-09/..",
        "../2023", "2023-01-10",
    ]

    def first(day: dt.date) -> str | None:
        index = first_event_from(timeline, day)
        return order[index] if index < len(order) else None

    assert first(dt.date(1900, 1, 1)) == "2021"
    assert first(dt.date(2021, 1, 1)) == "2021"
    assert first(dt.date(2021, 1, 2)) == "2022"  # a year is listed from its first day
    assert first(dt.date(2022, 3, 1)) == "2022-03"
    assert first(dt.date(2022, 3, 2)) == "2022-03-15"  # ties: the first in the list
    assert first(dt.date(2022, 3, 16)) == "2022-09/.."
    # an interval open at the start is listed from its end's first day
    assert first(dt.date(2022, 12, 31)) == "../2023"
    assert first(dt.date(2023, 1, 2)) == "2023-01-10"
    assert first(dt.date(2023, 1, 11)) is None


def test_an_empty_timeline() -> None:
    assert first_event_from(Timeline("T", (), ()), dt.date(2022, 1, 1)) == 0


_partial = st.builds(
    lambda year, month, day, precision: PartialDate(
        year, month if precision > 0 else None, day if precision > 1 else None
    ),
    st.integers(1990, 2030),
    st.integers(1, 12),
    st.integers(1, 28),
    st.integers(0, 2),
)


@st.composite
def _event_dates(draw: st.DrawFn) -> EventDate:
    start = draw(_partial)
    kind = draw(st.sampled_from(["single", "interval", "open end", "open start"]))
    if kind == "single":
        return EventDate(start, start)
    if kind == "open end":
        return EventDate(start, None, is_interval=True)
    if kind == "open start":
        return EventDate(None, start, is_interval=True)
    end = draw(_partial)
    low, high = sorted((start, end), key=lambda date: date.first_day())
    return EventDate(low, high, is_interval=True)


@settings(max_examples=300, deadline=None)
@given(st.lists(_event_dates(), max_size=40), st.dates(dt.date(1989, 1, 1), dt.date(2031, 12, 31)))
def test_it_is_the_first_event_a_scan_of_the_list_finds(
    dates: list[EventDate], day: dt.date
) -> None:
    timeline = timeline_of(*dates)
    scanned = next(
        (i for i, date in enumerate(timeline.dates) if listed_from(date) >= day),
        len(timeline.dates),
    )
    assert first_event_from(timeline, day) == scanned
