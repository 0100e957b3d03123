"""CSV table: one row per event, RFC 4180 quoting and CRLF row ends.

List fields (participants, tags, cited source ids) are joined with ``"; "``;
start and end are ISO partial dates, empty for an open end of an interval.
"""

from __future__ import annotations

import csv
import io

from citeline.model import Event, Timeline

COLUMNS = (
    "id",
    "title",
    "start",
    "end",
    "precision",
    "place",
    "participants",
    "tags",
    "summary",
    "sources",
)
LIST_SEPARATOR = "; "


def event_row(event: Event) -> dict[str, str]:
    """The CSV row of one event, every value a string."""
    date = event.date
    return {
        "id": event.id,
        "title": event.title,
        "start": date.start.iso() if date.start else "",
        "end": date.end.iso() if date.end else "",
        "precision": date.precision.value,
        "place": event.place or "",
        "participants": LIST_SEPARATOR.join(event.participants),
        "tags": LIST_SEPARATOR.join(event.tags),
        "summary": event.summary,
        "sources": LIST_SEPARATOR.join(event.source_ids),
    }


def export_csv(timeline: Timeline) -> str:
    """The ``csv`` export: a header row, then one row per event in timeline order."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for event in timeline.events:
        writer.writerow(event_row(event))
    return buffer.getvalue()
