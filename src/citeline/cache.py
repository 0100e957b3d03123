"""A cache of validated timelines, so a second start on unchanged files is quick.

One file per events file under ``$XDG_CACHE_HOME/citeline`` (else
``~/.cache/citeline``), of JSON documents one per line: a header (the digest
and stamp of the events file and of every source, the title, the sources,
the checksum of the lines below), a table of every event's id and date and
of the timeline's :class:`~citeline.chronology.Chronology`, the events citing
each source, the rest of each event (passages already
anchored) in lines of :data:`CHUNK` events, then the text of each source, a
line each. The header alone tells a stale entry.

The events are not built as the entry is read: the timeline's events are a
:class:`~citeline.model.LazyEvents` that decodes a line of them the first
time one of its events is looked at, and a source whose file is unchanged
by its stamp takes its text from the entry the first time it is asked for.
The browser's first frame needs only the table and the events on screen, so
a warm start costs little more than a ``stat`` of each source and reading
the table, whatever the number of events; the rest are built after the first
frame, a line (a millisecond or so) at a time.

An entry is used only when the version, the
events text and every source text are exactly what it was built from: a file
is known unchanged by its stamp when the entry trusts it (see
:data:`RACY_NS`), else by the digest of its text. Anything else (unreadable,
stale, another version, a source changed, lines missing or not matching the
checksum) makes it a miss and the timeline is loaded and checked from
scratch. An entry is renamed into place whole, but not synced to the disk (a
slow disk takes tens of milliseconds a sync): one lost in a crash is a miss.
JSON cannot run code, unlike pickle. (The checksum is against
damage, not against someone who rewrites the entry on purpose: anyone who
can write it can write the events file too.)
"""

from __future__ import annotations

import json
import os
import threading
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple, overload

from citeline import __version__
from citeline.cache_entry import EntryFile
from citeline.cache_location import blake2b, cache_dir, enabled, entry_path
from citeline.chronology import Chronology, chronology_of
from citeline.collector import collector_paused
from citeline.diagnostics import Diagnostic, Severity
from citeline.model import (
    Event,
    EventDate,
    LazyEvents,
    Location,
    PartialDate,
    Passage,
    Source,
    Timeline,
    assembled,
    citing_indexes,
)
from citeline.source_files import (
    SourceFileError,
    Stamp,
    read_source,
    stamp_below,
    stamp_of,
)

FORMAT = 10
#: Events per line of an entry: what is decoded and built at once when one of them
#: is first looked at (about a millisecond's work).
CHUNK = 100
#: A file modified less than this long before it was read is checked by its content
#: on the next start even if its stamp is unchanged: a second write within the same
#: tick of the file system's clock (2 s on FAT) would leave the stamp as it was.
RACY_NS = 2_000_000_000
#: One line of an entry (JSON never holds a raw newline).
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def digest(text: str) -> str:
    return blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()


class UTF8Digest:
    """:func:`digest` of the text that UTF-8 bytes hold (a leading BOM is no part of it),
    worked out from the bytes, on a thread of its own when there are many.

    hashlib lets go of the interpreter lock while it hashes a large buffer, so
    the hashing runs beside a load from scratch (on another core) instead of
    after it: at 100,000 events, 0.3 s less before the first frame. Asked for
    before it is done, :meth:`result` waits for it.
    """

    def __init__(self, utf8: bytes, on_thread_from: int = 1024 * 1024) -> None:
        """``on_thread_from``: fewer bytes are hashed at once (a thread would cost
        more than it saves)."""
        self._bytes: memoryview | None = memoryview(utf8)[
            3 if utf8.startswith(b"\xef\xbb\xbf") else 0 :
        ]  # (a view: a copy of 100 MB would cost what the thread saves)
        self._digest: str | None = None
        self._thread: threading.Thread | None = None
        if len(self._bytes) < on_thread_from:
            self._hash()
        else:
            self._thread = threading.Thread(target=self._hash, name="citeline-digest", daemon=True)
            self._thread.start()

    def _hash(self) -> None:
        assert self._bytes is not None
        self._digest = blake2b(self._bytes, digest_size=20).hexdigest()
        self._bytes = None  # (let go of them)

    def result(self) -> str:
        if self._thread is not None:
            self._thread.join()
        assert self._digest is not None
        return self._digest


def _identity(events_path: Path, name: str) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": __version__,
        "events_file": str(events_path.resolve()),
        "name": name,
    }


def _trusted(stamp: Stamp | None, started_ns: int) -> Stamp | None:
    """``stamp`` if it can vouch for the file's content later, else ``None``."""
    if stamp is None or stamp[1] >= started_ns - RACY_NS:
        return None
    return stamp


def _vouches(trusted: list[int] | None, current: Stamp | None) -> bool:
    """Whether a trusted stamp from the entry says the file is unchanged."""
    return trusted is not None and current is not None and tuple(trusted) == current


def _current_stamp(path: Path) -> Stamp | None:
    try:
        return stamp_of(os.stat(path))
    except (OSError, ValueError):
        return None


# -- writing -------------------------------------------------------------------


def _date(part: PartialDate | None) -> int | None:
    """A partial date as one number, ``YYYYMMDD`` with ``00`` for a part not given
    (years run from 1 to 9999). With a list per date, the table of 100,000 events
    took 97 ms to decode and 147 ms to build its dates; 41 and 82 ms this way."""
    if part is None:
        return None
    return part.year * 10_000 + (part.month or 0) * 100 + (part.day or 0)


def _date_row(date: EventDate) -> list[Any]:
    return [_date(date.start), _date(date.end), date.qualifier, date.raw, date.is_interval]


def _table(events: Sequence[Event], chronology: Chronology) -> list[Any]:
    """The ids and dates of every event, and the chronology: ``[ids, distinct dates,
    each event's date, years, days, distinct gaps, each event's gap (-1: none), first
    day, last day]``."""
    numbers: dict[EventDate, int] = {}
    distinct: list[list[Any]] = []
    date_numbers: list[int] = []
    for event in events:
        number = numbers.get(event.date)
        if number is None:
            number = numbers[event.date] = len(distinct)
            distinct.append(_date_row(event.date))
        date_numbers.append(number)
    gap_numbers: dict[str, int] = {}
    gaps = [
        -1 if gap is None else gap_numbers.setdefault(gap, len(gap_numbers))
        for gap in chronology.gaps
    ]
    return [
        [e.id for e in events], distinct, date_numbers, list(chronology.years),
        list(chronology.days), list(gap_numbers), gaps, chronology.first_day,
        chronology.last_day,
    ]


def _event(event: Event) -> list[Any]:
    """What the entry keeps of an event beyond its id and date (those are in the table)."""
    location = event.location
    return [
        event.title,
        event.summary,
        event.place,
        list(event.participants),
        list(event.tags),
        [location.line, location.column] if location else None,
        [
            [
                p.source_id,
                p.quote,
                p.start,
                p.end,
                p.line,
                p.column,
                p.text == p.quote,  # then the quote is the text, with no slice to take
                p.prefix,
                p.suffix,
                p.note,
            ]
            for p in event.passages
        ],
    ]


def store(
    events_path: Path,
    name: str,
    events_digest: str,
    timeline: Timeline,
    diagnostics: tuple[Diagnostic, ...],
    stamps: Mapping[str, Stamp] | None = None,
    started_ns: int = 0,
    unshown: tuple[int, int] = (0, 0),
) -> None:
    """Write the entry for a valid timeline; any failure to write is ignored.

    ``unshown``: the errors and warnings found past the ``diagnostics`` kept.

    ``stamps`` (by normalised path) are what ``stat`` said of each file as the
    load that began at ``started_ns`` read it: a file whose stamp is unchanged
    at the next start is known by it, without reading it for its digest
    (unless it was modified just before that load; see :data:`RACY_NS`).
    """
    from citeline.export.atomic import write_atomic

    stamps = stamps or {}
    document = _identity(events_path, name)
    document["events_digest"] = events_digest
    document["events_stamp"] = _trusted(
        stamps.get(os.path.normpath(events_path)), started_ns
    )
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
            "stamp": _trusted(stamps.get(os.path.normpath(s.path)), started_ns),
        }
        for s in timeline.sources
    ]
    document["diagnostics"] = [
        [d.file, d.line, d.column, d.message, d.severity.value] for d in diagnostics
    ]
    document["unshown"] = list(unshown)
    events = timeline.events
    document["event_count"] = len(events)
    document["chunk"] = CHUNK
    citing = timeline.citing if timeline.citing is not None else citing_indexes(events)
    table = _table(events, chronology_of(timeline))
    lines = [_encode(table), _encode(dict(citing))]  # (JSON never holds a raw newline)
    lines += [
        _encode([_event(e) for e in events[start:start + CHUNK]])
        for start in range(0, len(events), CHUNK)
    ]
    lines += [_encode(s.text) for s in timeline.sources]
    try:
        checksum = 0
        for line in lines:  # (a line at a time: no third copy of 100 MB of text)
            checksum = zlib.crc32(line.encode("utf-8") + b"\n", checksum)
        document["checksum"] = checksum
        lines.insert(0, _encode(document))
        path = entry_path(events_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, "\n".join(lines) + "\n", durable=False)
    except (OSError, ValueError):
        pass


def restamp(events_path: Path, name: str, hit: Hit, started_ns: int) -> None:
    """Let the stamps of the files a hit found unchanged by their content vouch for
    them at the next start; any failure is ignored.

    A file touched (or copied, or checked out again) keeps its text but not
    its stamp: without this, every start would read and digest it again.
    Only the header is rewritten, and only if the entry is still the one of
    the hit (the same key and checksum, and lines that match it: another
    process may have replaced it since). A stamp taken within :data:`RACY_NS`
    of the load is not trusted.
    """
    from citeline.export.atomic import write_atomic

    if not hit.checked:
        return
    try:
        path = entry_path(events_path)
        with EntryFile(path) as entry_file:
            document = _header(entry_file, events_path, name)
            if document is None or (document["events_digest"], document["checksum"]) != (
                hit.events_digest, hit.checksum
            ):
                return  # (replaced: not waited for)
            raw, checksum = entry_file.whole()
        if checksum != hit.checksum:
            return
        end = raw.index(b"\n")
        stamp = hit.checked.get(os.path.normpath(events_path))
        if stamp is not None:
            document["events_stamp"] = _trusted(stamp, started_ns)
        for source, entry in zip(hit.timeline.sources, document["sources"], strict=True):
            stamp = hit.checked.get(os.path.normpath(source.path))
            if stamp is not None:
                entry["stamp"] = _trusted(stamp, started_ns)
        write_atomic(path, _encode(document).encode("utf-8") + raw[end:], durable=False)
    except (OSError, ValueError, KeyError, TypeError):
        pass


# -- reading -------------------------------------------------------------------


#: Told now and then how a load is going: what it is doing, and the share done (0 to 1).
#: Whatever it raises (to cancel, say) ends the load. (The loader's, also for the cache.)
Progress = Callable[[str, float], None]
#: The phase of a load that reads the cache.
PHASE = "Reading the cache"
#: The share of a cache read done once its entry is read, and once its sources are (then
#: comes the table of ids and dates: about a third of the time at 100,000 events).
READ_SHARE, SOURCES_SHARE = 0.15, 0.6
#: Sources read between two progress reports.
SOURCES_PER_REPORT = 64


class Hit(NamedTuple):
    """A timeline found in the cache."""

    timeline: Timeline
    diagnostics: tuple[Diagnostic, ...]
    #: the digest of the events file's text (the entry's key)
    events_digest: str
    #: the stamp of each file the entry's stamp did not vouch for, found unchanged
    #: by its content (by normalised path): see :func:`restamp`
    checked: dict[str, Stamp]
    #: the checksum of the entry's lines below its header
    checksum: int
    #: the stamp of every file the timeline came from, as the lookup found it unchanged
    #: (by normalised path): what the browser compares the files with to see them change
    stamps: dict[str, Stamp]
    #: the errors and warnings found past the diagnostics kept
    unshown: tuple[int, int] = (0, 0)


def _header(entry: EntryFile, events_path: Path, name: str) -> dict[str, Any] | None:
    """The entry's header, if it is this version's, for this events file shown as
    ``name`` (raises ``OSError`` and ``ValueError`` as reading and decoding do)."""
    # bytes, decoded a line at a time: decoding 100 MB at once would hold the
    # interpreter for a quarter of a second
    first = entry.first_lines(1)
    if not first:
        return None
    document = json.loads(first[0])
    if not isinstance(document, dict):
        return None
    for key, value in _identity(events_path, name).items():
        if document.get(key) != value:
            return None
    return document


def lookup(
    events_path: Path,
    name: str,
    events_digest: Callable[[], str | None],
    progress: Progress | None = None,
    long_lived: bool = False,
) -> Hit | None:
    """The cached timeline for exactly these files, or ``None``.

    A file whose stamp is what the entry trusts is taken as unchanged; any
    other is compared by the digest of its text (``events_digest()`` for the
    events file, which is only called then), and its stamp kept in the hit's
    ``checked`` for :func:`restamp`; the hit's ``stamps`` are every file's
    as found unchanged. ``progress`` hears how far the
    reading is, the sources included (what it raises ends the lookup). The events are built as
    they are looked at, with the garbage collector paused, and with
    ``long_lived`` (a browser's timeline) frozen out of its sight.
    """
    try:
        with EntryFile(entry_path(events_path)) as entry_file:
            document = _header(entry_file, events_path, name)
            if document is None:
                return None
            checked: dict[str, Stamp] = {}
            found: dict[str, Stamp] = {}
            stamp = _current_stamp(events_path)  # (taken before the text is read for its digest)
            if not _vouches(document["events_stamp"], stamp):
                if events_digest() != document["events_digest"]:
                    return None
                if stamp is not None:
                    checked[os.path.normpath(events_path)] = stamp
            if stamp is not None:
                found[os.path.normpath(events_path)] = stamp
            rebuilt = _rebuild(
                events_path, name, document, entry_file, progress, long_lived, checked, found
            )
        if rebuilt is None:
            return None
        errors, warnings = document["unshown"]
        return Hit(
            *rebuilt, document["events_digest"], checked, document["checksum"], found,
            (int(errors), int(warnings)),
        )
    except (OSError, ValueError, KeyError, TypeError, IndexError, SourceFileError):
        return None


def _rebuild(
    events_path: Path,
    name: str,
    document: dict[str, Any],
    entry_file: EntryFile,
    progress: Progress | None,
    long_lived: bool,
    checked: dict[str, Stamp],
    found: dict[str, Stamp],
) -> tuple[Timeline, tuple[Diagnostic, ...]] | None:
    """The timeline of the entry in ``entry_file``, whose header is ``document``.

    Every source is known unchanged by its stamp (its text is then taken
    from the entry when first asked for) or by the digest of its text (its
    stamp then goes into ``checked``), and its stamp into ``found``; the
    table of ids and dates is decoded, and the lines below the header are
    checked against the checksum (the entry is read whole meanwhile); the
    events are built as they are looked at (see
    :class:`~citeline.model.LazyEvents`).
    """
    root = events_path.parent
    entries = document["sources"]
    # each source as (its path, its text when read now: its stamp did not vouch for it)
    texts: list[tuple[Path, str | None]] = []
    folders: set[str] = set()  # the sources' folders, known to be no links
    for number, entry in enumerate(entries):
        if progress is not None and not number % SOURCES_PER_REPORT:
            progress(PHASE, READ_SHARE + (SOURCES_SHARE - READ_SHARE) * number / len(entries))
        stamp = stamp_below(root, entry["file"], folders)
        if stamp is not None and _vouches(entry["stamp"], stamp):
            path = root / entry["file"]
            texts.append((path, None))
            found[os.path.normpath(path)] = stamp
            continue
        read = read_source(root, entry["file"])
        if digest(read.text) != entry["digest"]:
            return None
        texts.append((read.path, read.text))
        key = os.path.normpath(read.path)
        checked[key] = found[key] = read.stamp
    if progress is not None:
        progress(PHASE, SOURCES_SHARE)
    first = entry_file.first_lines(2)
    if len(first) < 2:
        return None
    (ids, distinct, date_numbers, years, days, gap_texts, gap_numbers, first_day,
     last_day) = json.loads(first[1])
    raw, checksum = entry_file.whole()
    if checksum != document["checksum"]:
        return None
    body = len(first[0]) + 1
    size = document["chunk"]
    total = document["event_count"]
    if not isinstance(size, int) or size < 1:  # (the header is not under the checksum)
        return None
    chunks = -(-total // size)
    # where each line begins: the table's, the citing events', each chunk's, each
    # source text's; and where the last one ends
    starts = [body]
    for _ in range(2 + chunks + len(entries)):
        end = raw.find(b"\n", starts[-1])
        if end == -1:
            return None
        starts.append(end + 1)
    if starts[-1] != len(raw):
        return None
    sources: list[Source] = []
    for number, (entry, (path, text)) in enumerate(zip(entries, texts, strict=True)):
        fields = {
            "id": entry["id"],
            "file": entry["file"],
            "path": path,
            "title": entry["title"],
            "author": entry["author"],
            "publisher": entry["publisher"],
            "url": entry["url"],
            "published": entry["published"],
        }
        if text is not None:
            sources.append(Source(text=text, **fields))
        else:
            line = 2 + chunks + number  # (a copy of its line: the entry is let go later)
            sources.append(Source.reading_text_later(
                partial(_text_of_line, raw[starts[line] : starts[line + 1] - 1]), **fields
            ))
    if not all(len(column) == total for column in (ids, date_numbers, years, days, gap_numbers)):
        return None
    if total and (min(date_numbers) < 0 or max(date_numbers) >= len(distinct)):
        return None
    if total and (min(gap_numbers) < -1 or max(gap_numbers) >= len(gap_texts)):
        return None
    builder = _EventBuilder({source.id: source for source in sources}, name)
    event_dates = _DatesBuiltOnUse(distinct, date_numbers, builder.event_date)
    ids = tuple(ids)
    chronology = Chronology(
        years, days, [None if n < 0 else gap_texts[n] for n in gap_numbers], first_day, last_day
    )

    def build(chunk: int) -> list[Event]:
        # (with the collector running, building every event of 100,000 took 2.6 s
        # in pauses of up to 0.3 s, against 1 s in pauses of 1 ms)
        with collector_paused(freeze=long_lived):
            first = chunk * size
            rows = json.loads(raw[starts[chunk + 2] : starts[chunk + 3] - 1])
            event = builder.event
            return [
                event(ids[first + offset], event_dates[first + offset], row)
                for offset, row in enumerate(rows)
            ]

    citing_line = raw[starts[1] : starts[2] - 1]  # (not the whole entry: kept for long)

    def citing() -> dict[str, list[int]]:
        mapping = json.loads(citing_line)
        if not isinstance(mapping, dict):
            raise ValueError("the cache entry's citing events are not a mapping")
        return mapping

    if progress is not None:
        progress(PHASE, 1.0)
    diagnostics = tuple(
        Diagnostic(file, line, column, message, Severity(severity))
        for file, line, column, message, severity in document["diagnostics"]
    )
    events = LazyEvents(ids, event_dates, size, build)
    timeline = Timeline(
        document["title"], events, tuple(sources), events_path, _DecodedOnUse(citing),
        chronology,
    )
    return timeline, diagnostics


class _DatesBuiltOnUse(Sequence[EventDate]):
    """Each event's date, built the first time it is asked for, once per distinct date.

    The browser's first frame needs the dates of the events on screen only (the
    chronology is kept apart): at 100,000 events building them all took 82 ms.
    Any thread may ask (two at once may both build a date: equal, either is kept).
    """

    __slots__ = ("_build", "_built", "_numbers", "_rows")

    def __init__(
        self, rows: list[Any], numbers: list[int], build: Callable[[list[Any]], EventDate]
    ) -> None:
        self._rows = rows
        self._numbers = numbers
        self._build = build
        self._built: list[EventDate | None] = [None] * len(rows)

    def __len__(self) -> int:
        return len(self._numbers)

    def _date(self, number: int) -> EventDate:
        date = self._built[number]
        if date is None:
            date = self._built[number] = self._build(self._rows[number])
        return date

    @overload
    def __getitem__(self, index: int) -> EventDate: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[EventDate, ...]: ...

    def __getitem__(self, index: int | slice) -> EventDate | tuple[EventDate, ...]:
        if isinstance(index, slice):
            return tuple(self._date(number) for number in self._numbers[index])
        return self._date(self._numbers[index])

    def __iter__(self) -> Iterator[EventDate]:
        return map(self._date, self._numbers)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]


def _text_of_line(line: bytes) -> str:
    """A source's text, from its line of the entry (read whole: under the checksum)."""
    text = json.loads(line)
    if not isinstance(text, str):
        raise ValueError("the cache entry's source text is not a string")
    return text


class _DecodedOnUse(Mapping[str, Sequence[int]]):
    """A mapping decoded from the entry the first time it is looked at (any thread)."""

    def __init__(self, decode: Callable[[], Mapping[str, Sequence[int]]]) -> None:
        self._decode: Callable[[], Mapping[str, Sequence[int]]] | None = decode
        self._mapping: Mapping[str, Sequence[int]] | None = None

    def _loaded(self) -> Mapping[str, Sequence[int]]:
        mapping = self._mapping
        if mapping is None:
            decode = self._decode
            assert decode is not None
            mapping = self._mapping = decode()
            self._decode = None
        return mapping

    def __getitem__(self, key: str) -> Sequence[int]:
        return self._loaded()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._loaded())

    def __len__(self) -> int:
        return len(self._loaded())


class _EventBuilder:
    """Rebuilds cached dates and events; equal partial dates are made once and shared."""

    def __init__(self, sources: dict[str, Source], name: str) -> None:
        self.sources = sources
        self.name = name
        self.partials: dict[int, PartialDate] = {}

    def partial(self, number: int | None) -> PartialDate | None:
        """The partial date written as ``number`` (see :func:`_date`)."""
        if number is None:
            return None
        date = self.partials.get(number)
        if date is None:
            year, rest = divmod(number, 10_000)
            month, day = divmod(rest, 100)
            if not (1 <= year <= 9999 and month <= 12 and day <= 31 and (month or not day)):
                raise ValueError(f"not a date of the cache: {number}")
            date = self.partials[number] = assembled(
                PartialDate, {"year": year, "month": month or None, "day": day or None}
            )
        return date

    def event_date(self, row: list[Any]) -> EventDate:
        start, end, qualifier, raw, is_interval = row
        return assembled(EventDate, {
            "start": self.partial(start),
            "end": self.partial(end),
            "qualifier": qualifier,
            "raw": raw,
            "is_interval": is_interval,
        })

    def event(self, ident: str, date: EventDate, row: list[Any]) -> Event:
        title, summary, place, participants, tags, location, passages = row
        sources = self.sources
        built = [
            assembled(Passage, {
                "source_id": source_id,
                "quote": quote,
                "start": start_at,
                "end": end_at,
                "line": line,
                "column": column,
                "text": quote if verbatim else sources[source_id].text[start_at:end_at],
                "prefix": prefix,
                "suffix": suffix,
                "note": note,
            })
            for source_id, quote, start_at, end_at, line, column, verbatim, prefix, suffix, note
            in passages
        ]
        return assembled(Event, {
            "id": ident,
            "title": title,
            "date": date,
            "summary": summary,
            "passages": tuple(built),
            "place": place,
            "participants": tuple(participants),
            "tags": tuple(tags),
            "location": assembled(
                Location, {"file": self.name, "line": location[0], "column": location[1]}
            )
            if location
            else None,
        })


__all__ = [
    "Hit", "UTF8Digest", "cache_dir", "digest", "enabled", "entry_path", "lookup", "restamp",
    "store",
]
