"""CSV table: one row per event, RFC 4180 quoting and CRLF row ends.

List fields (participants, tags, cited source ids) hold one item per line
of their (quoted, multi-line) cell: items are single lines, so a reader can
split them back exactly, whatever punctuation they contain. Start and end are
ISO partial dates, empty for an open end of an interval. Control characters
are shown as placeholders (``ESC`` as ``␛``), as the browser shows them;
newlines stay in the summary and become spaces in every other field.

A cell that a spreadsheet would read as a formula (it starts with ``=``, ``+``,
``-`` or ``@``) is written after an apostrophe, ``'=HYPERLINK(…)``, which
spreadsheets take as "text follows" and do not show: opening an export never
runs what a timeline's text says.
"""

from __future__ import annotations

import csv
import io

from citeline.model import Event, Timeline
from citeline.sanitize import one_line, visible

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
#: Between the items of a list field (no item holds one: they are made single lines).
LIST_SEPARATOR = "\n"
#: What a spreadsheet reads as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@")


def event_row(event: Event) -> dict[str, str]:
    """The CSV row of one event, every value a string."""
    date = event.date
    return {
        "id": _text(one_line(event.id)),
        "title": _text(one_line(event.title)),
        "start": date.start.iso() if date.start else "",
        "end": date.end.iso() if date.end else "",
        "precision": date.precision.value,
        "place": _text(one_line(event.place or "")),
        "participants": _joined(event.participants),
        "tags": _joined(event.tags),
        "summary": _text(visible(event.summary)),
        "sources": _joined(event.source_ids),
    }


def _text(value: str) -> str:
    """``value``, after an apostrophe when a spreadsheet would take it for a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _joined(items: tuple[str, ...]) -> str:
    return _text(LIST_SEPARATOR.join(one_line(item) for item in items))


def export_csv(timeline: Timeline) -> str:
    """The ``csv`` export: a header row, then one row per event in timeline order."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for event in timeline.events:
        writer.writerow(event_row(event))
    return buffer.getvalue()
