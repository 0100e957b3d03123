"""Exporters: the timeline as JSON, TimelineJS, Markdown, CSV or iCalendar text.

Each exporter is a function ``(timeline) -> str`` returning the whole
document; ``citeline.export.atomic.write_atomic`` puts it on disk. Nothing in
this package imports the terminal UI.
"""

from __future__ import annotations

from collections.abc import Callable

from citeline.export.csv_table import export_csv
from citeline.export.ics import export_ics
from citeline.export.json_doc import export_json
from citeline.export.markdown import export_markdown
from citeline.export.timelinejs import export_timelinejs
from citeline.model import Timeline

Exporter = Callable[[Timeline], str]

FORMATS: dict[str, Exporter] = {
    "json": export_json,
    "timelinejs": export_timelinejs,
    "markdown": export_markdown,
    "csv": export_csv,
    "ics": export_ics,
}

SUFFIXES: dict[str, str] = {
    "json": ".json",
    "timelinejs": ".json",
    "markdown": ".md",
    "csv": ".csv",
    "ics": ".ics",
}


def export_text(timeline: Timeline, fmt: str) -> str:
    """The timeline as a document in format ``fmt`` (one of ``FORMATS``)."""
    try:
        exporter = FORMATS[fmt]
    except KeyError:
        known = ", ".join(FORMATS)
        raise ValueError(f"unknown export format {fmt!r} (choose from {known})") from None
    return exporter(timeline)


__all__ = ["FORMATS", "SUFFIXES", "Exporter", "export_text"]
