"""``describe_gap`` counts whole calendar months the way ``relativedelta`` does."""

from __future__ import annotations

import calendar
import datetime as dt

from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from citeline.dates import describe_gap
from citeline.model import EventDate, PartialDate, Precision

_ORDER = {Precision.YEAR: 0, Precision.MONTH: 1, Precision.DAY: 2}


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}{'' if count == 1 else 's'}"


def _day(date: PartialDate, precision: Precision) -> dt.date:
    if precision is Precision.YEAR:
        return dt.date(date.year, 1, 1)
    if precision is Precision.MONTH:
        return dt.date(date.year, date.month or 1, 1)
    return date.last_day()


def reference(earlier: EventDate, later: EventDate) -> str | None:
    """The definition, with dateutil: the coarser precision, then a relativedelta."""
    if earlier.end is None or later.start is None:
        return None
    precision = min(earlier.end.precision, later.start.precision, key=_ORDER.__getitem__)
    since, until = _day(earlier.end, precision), _day(later.start, precision)
    if until <= since:
        return None
    delta = relativedelta(until, since)
    if delta.years:
        text = _plural(delta.years, "year")
        return f"{text} {_plural(delta.months, 'month')}" if delta.months else text
    if delta.months:
        return _plural(delta.months, "month")
    return _plural(delta.days, "day")


@st.composite
def partial_dates(draw: st.DrawFn, near: int) -> PartialDate:
    year = draw(st.integers(max(1, near - 2), min(9999, near + 2)))
    month = draw(st.none() | st.integers(1, 12))
    if month is None:
        return PartialDate(year)
    day = draw(st.none() | st.integers(1, calendar.monthrange(year, month)[1]))
    return PartialDate(year, month, day)


@st.composite
def date_pairs(draw: st.DrawFn) -> tuple[EventDate, EventDate]:
    near = draw(st.sampled_from([1, 2, 1999, 2000, 2023, 2024, 9998, 9999]))
    end = draw(partial_dates(near))
    start = draw(partial_dates(near))
    earlier = EventDate(end, None if draw(st.integers(0, 19)) == 0 else end)
    later = EventDate(None if draw(st.integers(0, 19)) == 0 else start, start)
    return earlier, later


@settings(max_examples=3000, deadline=None)
@given(date_pairs())
def test_describe_gap_matches_relativedelta(pair: tuple[EventDate, EventDate]) -> None:
    earlier, later = pair
    assert describe_gap(earlier, later) == reference(earlier, later)


def test_month_ends_are_whole_months() -> None:
    def gap(a: tuple[int, int, int], b: tuple[int, int, int]) -> str | None:
        first, second = PartialDate(*a), PartialDate(*b)
        return describe_gap(EventDate(first, first), EventDate(second, second))

    assert gap((2023, 1, 31), (2023, 2, 28)) == "1 month"
    assert gap((2023, 1, 31), (2023, 2, 27)) == "27 days"
    assert gap((2024, 1, 31), (2024, 2, 29)) == "1 month"
    assert gap((2023, 3, 31), (2023, 4, 30)) == "1 month"
    assert gap((2022, 2, 28), (2023, 2, 28)) == "1 year"
    assert gap((2024, 2, 29), (2025, 2, 28)) == "1 year"
    assert gap((2023, 12, 31), (2024, 1, 1)) == "1 day"
