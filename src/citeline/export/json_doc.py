"""The JSON document: the whole timeline as plain data.

``timeline_to_dict`` and ``event_to_dict`` are also what ``citeline list`` and
``citeline show`` print with ``--format json``. This module also holds the few
helpers every exporter shares (date display, source lookup).
"""

from __future__ import annotations

import json
from typing import Any

from citeline.model import Event, EventDate, PartialDate, Passage, Source, Timeline
from citeline.sanitize import TERMINAL_CONTROLS

#: Characters JSON leaves as they are but a terminal would obey: DEL, the C1
#: controls and the bidirectional overrides. Escaping them keeps the JSON equal.
_TERMINAL_ESCAPES = {code: f"\\u{code:04x}" for code in TERMINAL_CONTROLS}


def json_text(data: object, *, ensure_ascii: bool = False) -> str:
    """``data`` as indented, newline-terminated JSON that is safe to print.

    JSON escapes the C0 controls itself; DEL, the C1 controls and the bidi
    overrides are escaped too (``\\u009b``), so no JSON citeline writes, exported
    or listed, can command a terminal it is shown on.
    """
    text = json.dumps(data, ensure_ascii=ensure_ascii, indent=2)
    return text.translate(_TERMINAL_ESCAPES) + "\n"


def display_date(date: EventDate) -> str:
    """The precision-aware display text of a date (``4 Feb 2022``, ``c. 2023``)."""
    from citeline.dates import format_date  # lazy: keeps this module's imports light

    return format_date(date)


def source_of(timeline: Timeline, passage: Passage) -> Source:
    """The source a passage quotes; a validated timeline always has it."""
    source = timeline.source(passage.source_id)
    if source is None:
        raise ValueError(f"passage cites unknown source {passage.source_id!r}")
    return source


def iso_or_none(date: PartialDate | None) -> str | None:
    """``YYYY[-MM[-DD]]``, or ``None`` for an open end of an interval."""
    return date.iso() if date is not None else None


def date_to_dict(date: EventDate) -> dict[str, Any]:
    """The ``date`` member of an event: ISO ends, precision, qualifier, display."""
    return {
        "start": iso_or_none(date.start),
        "end": iso_or_none(date.end),
        "precision": date.precision.value,
        "qualifier": date.qualifier,
        "display": display_date(date),
    }


def passage_to_dict(passage: Passage, timeline: Timeline) -> dict[str, Any]:
    """One cited passage, located in its source file."""
    return {
        "source": passage.source_id,
        "file": source_of(timeline, passage).file,
        "line": passage.line,
        "column": passage.column,
        "start": passage.start,
        "end": passage.end,
        "text": passage.text,
        "note": passage.note,
    }


def event_to_dict(event: Event, timeline: Timeline) -> dict[str, Any]:
    """One event with its date, metadata and passages."""
    return {
        "id": event.id,
        "title": event.title,
        "date": date_to_dict(event.date),
        "place": event.place,
        "participants": list(event.participants),
        "tags": list(event.tags),
        "summary": event.summary,
        "passages": [passage_to_dict(p, timeline) for p in event.passages],
    }


def timeline_to_dict(timeline: Timeline) -> dict[str, Any]:
    """The whole timeline: its title and every event in timeline order."""
    return {
        "title": timeline.title,
        "events": [event_to_dict(e, timeline) for e in timeline.events],
    }


def export_json(timeline: Timeline) -> str:
    """The ``json`` export: UTF-8 friendly, indented, newline-terminated."""
    return json_text(timeline_to_dict(timeline))
