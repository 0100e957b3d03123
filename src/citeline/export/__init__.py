"""Exporters: the timeline as JSON, TimelineJS, Markdown, CSV or iCalendar text.

Each exporter is a function ``(timeline) -> str`` returning the whole
document; ``citeline.export.atomic.write_atomic`` puts it on disk. Nothing in
this package imports the terminal UI.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from citeline.model import Timeline

Exporter = Callable[["Timeline"], str]

#: Each format's exporter (its module in this package and its name there) and the
#: suffix of its files. A module is imported when its format is first asked for (the
#: iCalendar one pulls in a library of its own, 30 ms), so that writing a file
#: (``atomic``) costs no export.
_EXPORTERS: dict[str, tuple[str, str, str]] = {
    "json": ("json_doc", "export_json", ".json"),
    "timelinejs": ("timelinejs", "export_timelinejs", ".json"),
    "markdown": ("markdown", "export_markdown", ".md"),
    "csv": ("csv_table", "export_csv", ".csv"),
    "ics": ("ics", "export_ics", ".ics"),
}

#: The formats, in the order they are offered.
FORMATS: tuple[str, ...] = tuple(_EXPORTERS)

SUFFIXES: dict[str, str] = {fmt: suffix for fmt, (_, _, suffix) in _EXPORTERS.items()}


def exporter(fmt: str) -> Exporter:
    """The exporter of format ``fmt`` (one of ``FORMATS``)."""
    try:
        module, name, _suffix = _EXPORTERS[fmt]
    except KeyError:
        known = ", ".join(FORMATS)
        raise ValueError(f"unknown export format {fmt!r} (choose from {known})") from None
    exporter: Exporter = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    return exporter


def export_text(timeline: Timeline, fmt: str) -> str:
    """The timeline as a document in format ``fmt`` (one of ``FORMATS``)."""
    return exporter(fmt)(timeline)


__all__ = ["FORMATS", "SUFFIXES", "Exporter", "export_text", "exporter"]
