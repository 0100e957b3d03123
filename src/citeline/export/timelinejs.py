"""TimelineJS 3 export: the JSON a TimelineJS embed loads as its data source.

Field names follow the TimelineJS "JSON data format" documentation: a
``title`` slide and ``events`` slides with ``start_date``/``end_date`` date
objects (``year``/``month``/``day`` as numbers, as the documentation asks),
``text`` (``headline`` and ``text``, both HTML), ``display_date``, ``group``
and ``unique_id``. TimelineJS puts headline, text, display date and group
label into the page as HTML, so all data in them is HTML-escaped; only our own
markup is HTML.
"""

from __future__ import annotations

from html import escape
from typing import Any

from citeline.export.json_doc import display_date, json_text, source_of
from citeline.model import Event, PartialDate, Timeline


def date_parts(date: PartialDate) -> dict[str, int]:
    """A TimelineJS date object with only the parts the precision supports."""
    parts = {"year": date.year}
    if date.month is not None:
        parts["month"] = date.month
        if date.day is not None:
            parts["day"] = date.day
    return parts


def _html_lines(text: str) -> str:
    """Escaped text with its line breaks kept as ``<br>``."""
    return "<br>".join(escape(line) for line in text.split("\n"))


def _event_html(event: Event, timeline: Timeline) -> str:
    """The slide body: the summary paragraph, then each quote with its citation."""
    parts = [f"<p>{_html_lines(event.summary)}</p>"] if event.summary else []
    for passage in event.passages:
        source = source_of(timeline, passage)
        cite = f"{escape(source.title)}, {escape(source.file)}:{passage.line}"
        note = f"<p>{_html_lines(passage.note)}</p>" if passage.note else ""
        parts.append(
            f"<blockquote><p>{_html_lines(passage.text)}</p>{note}<cite>{cite}</cite></blockquote>"
        )
    return "".join(parts)


def event_to_slide(event: Event, timeline: Timeline) -> dict[str, Any]:
    """One TimelineJS slide.

    TimelineJS requires a ``start_date``: an interval open at the start uses
    its known end there. The display date shows the open end either way
    (``until Mar 2023``, ``from 2022``).
    """
    date = event.date
    slide: dict[str, Any] = {}
    if date.start is None:
        assert date.end is not None
        slide["start_date"] = date_parts(date.end)
    else:
        slide["start_date"] = date_parts(date.start)
        if date.is_interval and date.end is not None:
            slide["end_date"] = date_parts(date.end)
    slide["display_date"] = escape(display_date(date))
    slide["text"] = {"headline": escape(event.title), "text": _event_html(event, timeline)}
    if event.tags:
        slide["group"] = escape(event.tags[0])
    slide["unique_id"] = event.id
    return slide


def timeline_to_timelinejs(timeline: Timeline) -> dict[str, Any]:
    """The TimelineJS document: a title slide and one slide per event."""
    sources = {p.source_id for e in timeline.events for p in e.passages}
    summary = f"{len(timeline.events)} events citing {len(sources)} sources"
    return {
        "title": {"text": {"headline": escape(timeline.title), "text": f"<p>{summary}</p>"}},
        "events": [event_to_slide(e, timeline) for e in timeline.events],
    }


def export_timelinejs(timeline: Timeline) -> str:
    """The ``timelinejs`` export as JSON text."""
    return json_text(timeline_to_timelinejs(timeline))
