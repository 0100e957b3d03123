"""What a timeline's dates say in order: years, days on an axis, gaps between neighbours.

:class:`Chronology` is worked out in one pass over the dates (about 20 ms at
10,000 events, done as the browser opens), or read back from the cache,
which keeps it beside the dates (see :mod:`citeline.cache`): a warm start
then builds no date at all before its first frame.
"""

from __future__ import annotations

import datetime as _dt
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from citeline.dates import describe_gap
from citeline.model import EventDate, Timeline


@dataclass(frozen=True)
class Chronology:
    """For each event, in timeline order: the year it is listed under, its day, and the
    gap from the event before; and the first and last day of the whole timeline.

    A year is that of the event's start (of its end when open at the start); a
    day is a proleptic ordinal, of the event's first day (of its last when open
    at the start); ``gaps[i]`` is :func:`~citeline.dates.describe_gap` from
    event ``i - 1`` to event ``i`` (``None`` for the first, and where none is
    shown). ``first_day`` and ``last_day`` span every first and last day (both
    0 for a timeline without events).
    """

    years: Sequence[int]
    days: Sequence[int]
    gaps: Sequence[str | None]
    first_day: int
    last_day: int

    @classmethod
    def of(cls, dates: Sequence[EventDate]) -> Chronology:
        """Work it out from each event's date."""
        count = len(dates)
        years = [0] * count
        gaps: list[str | None] = [None] * count
        days = [0] * count
        # by the id of a date object (a cached timeline shares equal dates, and events
        # follow each other in date order): the first and last days, the gaps between two
        firsts: dict[int, int] = {}
        lasts: dict[int, int] = {}
        between: dict[tuple[int, int], str | None] = {}
        ends: list[int] = []  # the last day of every date with an end
        previous = None
        for index, date in enumerate(dates):  # one pass: this runs as the browser opens
            start, end = date.start, date.end
            if end is not None:
                last = lasts.get(id(end))
                if last is None:
                    last = lasts[id(end)] = end.last_day().toordinal()
                ends.append(last)
            if start is not None:
                years[index] = start.year
                first = firsts.get(id(start))
                if first is None:
                    first = firsts[id(start)] = start.first_day().toordinal()
                days[index] = first
            else:
                years[index] = end.year  # type: ignore[union-attr]
                days[index] = last
            if previous is not None:
                pair = (id(previous.end), id(start))
                gap = between.get(pair, "")
                if gap == "":
                    gap = between[pair] = describe_gap(previous, date)
                gaps[index] = gap
            previous = date
        if not count:
            return cls(years, days, gaps, 0, 0)
        # (the days and the ends hold every first and last day of the timeline)
        first_day = min(min(days), min(ends, default=days[0]))
        last_day = max(max(days), max(ends, default=days[0]))
        return cls(years, days, gaps, first_day, last_day)


def chronology_of(timeline: Timeline) -> Chronology:
    """The timeline's chronology: as the cache kept it, else worked out from its dates
    (once: the browser's list and the cache's writer both ask)."""
    known = timeline.chronology
    if known is not None:
        return known
    worked_out = timeline.__dict__.get("_chronology_worked_out")
    if worked_out is None:  # (as a cached_property does: the fields stay frozen)
        worked_out = timeline.__dict__["_chronology_worked_out"] = Chronology.of(timeline.dates)
    return worked_out


def listed_from(date: EventDate) -> _dt.date:
    """The day an event is listed from: its first (its end's first, when open at the
    start), the first key of :meth:`EventDate.sort_key`."""
    return date.sort_key()[0]


def first_event_from(timeline: Timeline, day: _dt.date) -> int:
    """The index of the first event listed from ``day`` on: the first whose date starts on
    or after it (``len(timeline.events)`` when every event starts before).

    Events are in date order, so this looks at a few dates, never at the events.
    """
    return bisect_left(timeline.dates, day, key=listed_from)
