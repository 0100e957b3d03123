"""A cache of validated timelines, so a second start on unchanged files is quick.

One JSON file per events file under ``$XDG_CACHE_HOME/citeline`` (else
``~/.cache/citeline``). An entry holds the digest of the events file's text,
the digest of every source's text, and the timeline resolved from them:
dates already parsed, passages already anchored. It is used only when the
version, the events text and every source text are exactly what it was built
from; anything else (unreadable, stale, another version, a source changed)
makes it a miss and the timeline is loaded and checked from scratch. JSON
cannot run code, unlike pickle, so a tampered cache can at worst be a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, TypeVar

from citeline import __version__
from citeline.diagnostics import Diagnostic, Severity
from citeline.model import Event, EventDate, Location, PartialDate, Passage, Source, Timeline
from citeline.source_files import SourceFileError, read_source

FORMAT = 1
T = TypeVar("T")
ENV_DISABLE = "CITELINE_NO_CACHE"


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "citeline"


def enabled() -> bool:
    return not os.environ.get(ENV_DISABLE)


def digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()


def entry_path(events_path: Path) -> Path:
    """Where the entry for this events file lives (one per file, overwritten)."""
    key = hashlib.blake2b(str(events_path.resolve()).encode(), digest_size=16).hexdigest()
    return cache_dir() / f"{key}.json"


def _stamp(events_path: Path, name: str, events_digest: str) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": __version__,
        "events_file": str(events_path.resolve()),
        "name": name,
        "events_digest": events_digest,
    }


# -- writing -------------------------------------------------------------------


def _date(part: PartialDate | None) -> list[int | None] | None:
    return None if part is None else [part.year, part.month, part.day]


def _event(event: Event) -> list[Any]:
    date = event.date
    location = event.location
    return [
        event.id,
        event.title,
        [_date(date.start), _date(date.end), date.qualifier, date.raw, date.is_interval],
        event.summary,
        event.place,
        list(event.participants),
        list(event.tags),
        [location.line, location.column] if location else None,
        [
            [p.source_id, p.quote, p.start, p.end, p.line, p.column, p.prefix, p.suffix, p.note]
            for p in event.passages
        ],
    ]


def store(
    events_path: Path,
    name: str,
    events_digest: str,
    timeline: Timeline,
    diagnostics: tuple[Diagnostic, ...],
) -> None:
    """Write the entry for a valid timeline; any failure to write is ignored."""
    from citeline.export.atomic import write_atomic

    document = _stamp(events_path, name, events_digest)
    document["title"] = timeline.title
    document["sources"] = [
        {
            "id": s.id,
            "file": s.file,
            "title": s.title,
            "author": s.author,
            "publisher": s.publisher,
            "url": s.url,
            "published": s.published,
            "digest": digest(s.text),
        }
        for s in timeline.sources
    ]
    document["events"] = [_event(e) for e in timeline.events]
    document["diagnostics"] = [
        [d.file, d.line, d.column, d.message, d.severity.value] for d in diagnostics
    ]
    try:
        path = entry_path(events_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps(document, ensure_ascii=False, separators=(",", ":")))
    except (OSError, ValueError):
        pass


# -- reading -------------------------------------------------------------------


def lookup(
    events_path: Path, name: str, events_digest: str
) -> tuple[Timeline, tuple[Diagnostic, ...]] | None:
    """The cached timeline for exactly these files, or ``None``."""
    try:
        raw = entry_path(events_path).read_text(encoding="utf-8")
        document = json.loads(raw)
        if not isinstance(document, dict):
            return None
        for key, value in _stamp(events_path, name, events_digest).items():
            if document.get(key) != value:
                return None
        return _rebuild(events_path, name, document)
    except (OSError, ValueError, KeyError, TypeError, IndexError, SourceFileError):
        return None


def _rebuild(
    events_path: Path, name: str, document: dict[str, Any]
) -> tuple[Timeline, tuple[Diagnostic, ...]] | None:
    root = events_path.parent
    sources: list[Source] = []
    texts: dict[str, str] = {}
    for entry in document["sources"]:
        text = read_source(root, entry["file"])
        if digest(text.text) != entry["digest"]:
            return None
        texts[entry["id"]] = text.text
        sources.append(
            Source(
                id=entry["id"],
                file=entry["file"],
                path=text.path,
                title=entry["title"],
                text=text.text,
                author=entry["author"],
                publisher=entry["publisher"],
                url=entry["url"],
                published=entry["published"],
                line_starts=text.line_starts,
            )
        )
    events = tuple(_rebuild_event(row, texts, name) for row in document["events"])
    diagnostics = tuple(
        Diagnostic(file, line, column, message, Severity(severity))
        for file, line, column, message, severity in document["diagnostics"]
    )
    timeline = Timeline(document["title"], events, tuple(sources), events_file=events_path)
    return timeline, diagnostics


def _partial(parts: list[int | None] | None) -> PartialDate | None:
    return None if parts is None else PartialDate(parts[0], parts[1], parts[2])  # type: ignore[arg-type]


def _frozen(cls: type[T], **fields: Any) -> T:
    """An instance of a frozen model dataclass, built from fields already checked.

    A frozen dataclass's ``__init__`` sets each field through
    ``object.__setattr__``; for the tens of thousands of passages of a large
    timeline that is most of a warm start. The fields here come from a
    timeline that was validated when it was cached, so they are set at once.
    """
    instance = object.__new__(cls)
    instance.__dict__.update(fields)
    return instance


def _rebuild_event(row: list[Any], texts: dict[str, str], name: str) -> Event:
    ident, title, date, summary, place, participants, tags, location, passages = row
    start, end, qualifier, raw, is_interval = date
    return _frozen(
        Event,
        id=ident,
        title=title,
        date=EventDate(_partial(start), _partial(end), qualifier, raw, is_interval),
        summary=summary,
        passages=tuple(
            _frozen(
                Passage,
                source_id=source_id,
                quote=quote,
                start=start_offset,
                end=end_offset,
                line=line,
                column=column,
                text=texts[source_id][start_offset:end_offset],
                prefix=prefix,
                suffix=suffix,
                note=note,
            )
            for (
                source_id, quote, start_offset, end_offset, line, column, prefix, suffix, note
            ) in passages
        ),
        place=place,
        participants=tuple(participants),
        tags=tuple(tags),
        location=Location(name, location[0], location[1]) if location else None,
    )


__all__ = ["cache_dir", "digest", "enabled", "entry_path", "lookup", "store"]
