"""The rows of the timeline list: year headings, events and the gaps between them.

Pure data built once per timeline (and per search filter), so the widget only
has to look rows up while rendering the visible ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from citeline.dates import describe_gap, format_date
from citeline.model import Event, Timeline


@dataclass(frozen=True, slots=True)
class Row:
    kind: str  # "year", "event" or "gap"
    text: str  # heading, gap description, or the event's date display
    event_index: int = -1  # index into timeline.events for event rows


def year_of(event: Event) -> int:
    anchor = event.date.start or event.date.end
    assert anchor is not None
    return anchor.year


def build_rows(timeline: Timeline, indexes: list[int] | None = None) -> list[Row]:
    """Rows for the events at ``indexes`` (all when ``None``), in timeline order.

    Gap markers are shown only between neighbours in the full timeline, not
    between two search hits that happen to be adjacent in the filtered list.
    """
    events = timeline.events
    chosen = range(len(events)) if indexes is None else indexes
    rows: list[Row] = []
    last_year: int | None = None
    previous: int | None = None
    for index in chosen:
        event = events[index]
        year = year_of(event)
        if previous is not None and previous == index - 1:
            gap = describe_gap(events[previous].date, event.date)
            if gap:
                rows.append(Row("gap", gap))
        if year != last_year:
            rows.append(Row("year", str(year)))
            last_year = year
        rows.append(Row("event", format_date(event.date), index))
        previous = index
    return rows
