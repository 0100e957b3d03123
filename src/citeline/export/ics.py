"""iCalendar (RFC 5545) export: one all-day VEVENT per event.

An event spans every day its date can stand for: a month-precision date the
whole month, a year-precision date the whole year, an interval from the first
day of its start to the last day of its end. ``DTEND`` is exclusive (the day
after); an event whose last day is 31 Dec 9999, the last date there is, has a
``DURATION`` in days instead. An interval with an open end becomes the single first day of its
start, one with an open start the single last day of its end, and the
description says it is open-ended.

The output is deterministic, so exporting twice gives identical bytes and a
calendar that re-imports it updates events rather than duplicating them.
Control characters, which RFC 5545 text may not hold, are shown as
placeholders (``ESC`` as ``␛``), as the browser shows them.
"""

from __future__ import annotations

import datetime as _dt

from icalendar import Calendar, vText
from icalendar import Event as VEvent

from citeline.export.json_doc import display_date, source_of
from citeline.model import Event, EventDate, Timeline
from citeline.sanitize import one_line, visible

PRODID = "-//citeline//citeline 0.1//EN"
UID_DOMAIN = "citeline"
# RFC 5545 requires DTSTAMP on every VEVENT. The time of the export would make
# every export differ, and the events file's mtime is not a property of the
# timeline's content, so a fixed instant (the Unix epoch) is used: exports are
# byte-for-byte reproducible and identical content gives identical calendars.
DTSTAMP = _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)
_ONE_DAY = _dt.timedelta(days=1)


def day_span(date: EventDate) -> tuple[_dt.date, _dt.date, bool]:
    """``(first day, last day, open-ended?)`` of an event date (the last day included)."""
    if date.start is None:
        assert date.end is not None
        last = date.end.last_day()
        return last, last, True
    if date.end is None:
        first = date.start.first_day()
        return first, first, True
    return date.start.first_day(), date.end.last_day(), False


def event_uid(event: Event) -> str:
    """A UID derived only from the event id, stable across exports."""
    return f"{event.id}@{UID_DOMAIN}"


def _description(event: Event, timeline: Timeline, open_ended: bool) -> str:
    """The date as written, the summary, then every quote with its citation."""
    when = display_date(event.date)
    if open_ended:
        when += " (open-ended)"
    parts = [when]
    if event.summary.strip():
        parts.append(event.summary.strip())
    for passage in event.passages:
        source = source_of(timeline, passage)
        citation = f"— {source.title}, {source.file}:{passage.line}"
        if passage.note:
            citation += f" ({passage.note})"
        parts.append(f"“{passage.text}”\n{citation}")
    return visible("\n\n".join(parts))


def event_to_vevent(event: Event, timeline: Timeline) -> VEvent:
    """The all-day VEVENT of one event."""
    first, last, open_ended = day_span(event.date)
    vevent = VEvent()
    vevent.add("uid", event_uid(event))
    vevent.add("dtstamp", DTSTAMP)
    vevent.add("dtstart", first)
    if last < _dt.date.max:
        vevent.add("dtend", last + _ONE_DAY)  # exclusive
    else:  # ends on 31 Dec 9999: its exclusive end is no date, its length in days is
        vevent.add("duration", last - first + _ONE_DAY)
    vevent.add("summary", one_line(event.title))
    if event.place:
        vevent.add("location", one_line(event.place))
    vevent.add("description", _description(event, timeline, open_ended))
    if event.tags:
        vevent.add("categories", [one_line(tag) for tag in event.tags])
    return vevent


def timeline_to_calendar(timeline: Timeline) -> Calendar:
    """The VCALENDAR holding every event of the timeline."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", vText(one_line(timeline.title)))
    for event in timeline.events:
        calendar.add_component(event_to_vevent(event, timeline))
    return calendar


def export_ics(timeline: Timeline) -> str:
    """The ``ics`` export: CRLF line ends, long lines folded by the library."""
    return timeline_to_calendar(timeline).to_ical().decode("utf-8")
