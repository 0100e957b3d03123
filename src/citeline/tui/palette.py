"""Command palette providers: "event: Go to…", "source: Open…", "export: …".

Titles and file names are data, never markup: every hit gets its prompt and its help
line as :class:`~textual.content.Content` built from plain text (the palette reads a
string as markup), and the fuzzy match is highlighted on that plain content.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from citeline.dates import format_date
from citeline.sanitize import one_line

if TYPE_CHECKING:
    from citeline.tui.app import CitelineApp

_EXPORT_NAMES = {
    "json": "JSON",
    "timelinejs": "TimelineJS JSON",
    "markdown": "Markdown report",
    "csv": "CSV table",
    "ics": "iCalendar",
}


def _highlight(matcher: Matcher, label: str) -> Content:
    """``label`` as plain content, the letters the query matched styled as the palette's.

    (``Matcher.highlight`` would read ``label`` as markup.)
    """
    content = Content(label)
    score, offsets = matcher.fuzzy_search.match(matcher.query, label)
    if score:
        for offset in offsets:
            if not label[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class _CitelineProvider(Provider):
    @property
    def citeline(self) -> CitelineApp:
        return self.app  # type: ignore[return-value]

    def _entries(self) -> list[tuple[str, object, str]]:
        raise NotImplementedError

    async def discover(self) -> Hits:
        for label, callback, help_text in self._entries()[:50]:
            yield DiscoveryHit(
                Content(label), callback, text=label, help=Content(help_text)  # type: ignore[arg-type]
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, callback, help_text in self._entries():
            score = matcher.match(label)
            if score > 0:
                yield Hit(
                    score,
                    _highlight(matcher, label),
                    callback,  # type: ignore[arg-type]
                    text=label,
                    help=Content(help_text),  # type: ignore[arg-type]
                )


class EventCommands(_CitelineProvider):
    """Go to any event by title."""

    def _entries(self) -> list[tuple[str, object, str]]:
        app = self.citeline
        return [
            (
                f"event: Go to {one_line(event.title)}",
                partial(app.go_to_event, event.id),
                one_line(f"{format_date(event.date)} · {event.id}"),
            )
            for event in app.timeline.events
        ]


class SourceCommands(_CitelineProvider):
    """Open any source in the viewer."""

    def _entries(self) -> list[tuple[str, object, str]]:
        app = self.citeline
        return [
            (
                f"source: Open {one_line(source.title)}",
                partial(app.open_source, source.id),
                one_line(source.file),
            )
            for source in app.timeline.sources
        ]


class ExportCommands(_CitelineProvider):
    """Export the timeline to a file in the current folder."""

    def _entries(self) -> list[tuple[str, object, str]]:
        app = self.citeline
        return [
            (
                f"export: Export… {name}",
                partial(app.export, fmt),
                one_line(f"write {app.export_path(fmt)}"),
            )
            for fmt, name in _EXPORT_NAMES.items()
        ]
