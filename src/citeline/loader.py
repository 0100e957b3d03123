"""Load and validate an ``events.yaml`` into a :class:`~citeline.model.Timeline`.

Validation collects every problem in one run and places each one on the YAML
node at fault, so a curator can fix them all from one report.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from citeline import cache
from citeline.cache import Progress
from citeline.collector import collector_paused
from citeline.dates import DateError, parse_date
from citeline.diagnostics import Diagnostic, Severity, TimelineError, did_you_mean
from citeline.lines import line_end_of
from citeline.model import (
    Event,
    EventDate,
    Location,
    Passage,
    Source,
    Timeline,
    assembled,
    citing_indexes,
)
from citeline.sanitize import excerpt
from citeline.source_files import (
    SourceFileError,
    SourceText,
    Stamp,
    Unreadable,
    read_bounded,
    read_resolved_source,
    resolve_source_path,
    wide_encoding,
)

if TYPE_CHECKING:
    from types import ModuleType

    from citeline.anchoring import Ambiguous, CanonicalText, ContextMismatch, Match, NotFound
    from citeline.yaml_reader import Node, Pair

#: The largest events file citeline reads, in bytes.
MAX_EVENTS_BYTES = 256 * 1024 * 1024

#: The most source text one timeline may cite, in bytes, all sources together.
MAX_TOTAL_SOURCE_BYTES = 128 * 1024 * 1024
#: At most this many diagnostics are kept; the rest are counted.
MAX_DIAGNOSTICS = 1000
#: Places listed for a quote that occurs more than once.
MAX_LISTED_PLACES = 20
#: Characters of source text searched in all for the closest text of quotes not found.
NEAR_MISS_BUDGET = 64 * 1024 * 1024

#: Shares of a cold load's time (measured at 10,000 events): reading the YAML, then the
#: sources; checking the events and anchoring their passages takes the rest.
_YAML_SHARE = 0.5
_SOURCES_SHARE = 0.1
#: Sources and events checked between two progress reports.
_PROGRESS_EVERY = 256

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*")  # (whole: fullmatch, so no line end)

TOP_FIELDS = ("title", "sources", "events")
SOURCE_FIELDS = ("id", "file", "title", "author", "publisher", "url", "published")
EVENT_FIELDS = ("id", "title", "date", "place", "participants", "tags", "summary", "passages")
PASSAGE_FIELDS = ("source", "quote", "prefix", "suffix", "note")


@dataclass(frozen=True)
class LoadResult:
    """The timeline (``None`` when there are errors) and every diagnostic."""

    timeline: Timeline | None
    diagnostics: tuple[Diagnostic, ...]
    #: every source file the events file names inside its folder, readable or not
    #: (for watching; paths refused as outside the folder are left out)
    source_paths: tuple[Path, ...] = ()
    #: the events file itself could not be read as text (missing, too big, binary, ...)
    unreadable: bool = False
    #: digest of the events file's text, the key of the cache (``None`` if unreadable)
    events_digest: str | None = None
    #: the timeline came from the cache of an earlier, identical load
    from_cache: bool = False
    #: the stamp of every file read (by normalised path), taken as it was read (from the
    #: cache: as the cache found it unchanged)
    stamps: dict[str, Stamp] = field(default_factory=dict, repr=False, compare=False)
    #: ``time.time_ns()`` when the load began (stamps newer than that are not trusted)
    started_ns: int = 0
    #: how the cache gave the timeline (``from_cache``), for :func:`remember`
    cache_hit: cache.Hit | None = field(default=None, repr=False, compare=False)
    #: errors and warnings found past the diagnostics kept (the last of which says so)
    unshown: tuple[int, int] = (0, 0)

    @property
    def worth_remembering(self) -> bool:
        """Whether :func:`remember` has anything to write for this load: a valid
        timeline checked now, or one from the cache some of whose files were
        known unchanged by their content, not their stamp."""
        if self.timeline is None or self.events_digest is None:
            return False
        return not self.from_cache or bool(self.cache_hit and self.cache_hit.checked)

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.is_error)

    @property
    def counts(self) -> tuple[int, int]:
        """How many errors and warnings were found, those not shown included (the
        diagnostic that says how many are not shown is not one of them)."""
        errors = sum(1 for d in self.diagnostics if d.is_error)
        warnings = len(self.diagnostics) - errors
        more_errors, more_warnings = self.unshown
        if more_errors or more_warnings:
            if self.diagnostics[-1].is_error:
                errors -= 1
            else:
                warnings -= 1
        return errors + more_errors, warnings + more_warnings


def load_timeline(path: Path | str) -> Timeline:
    """Load a valid timeline or raise :class:`TimelineError` with every error."""
    result = load(path)
    if result.timeline is None:
        raise TimelineError(result.diagnostics)
    return result.timeline


def load(
    path: Path | str,
    display_name: str | None = None,
    *,
    use_cache: bool = False,
    progress: Progress | None = None,
    long_lived: bool = False,
) -> LoadResult:
    """Read, parse and check the events file at ``path``.

    ``display_name`` is how the file is named in diagnostics (default: ``path``);
    source files are named relative to its folder. Never raises for bad input:
    every problem comes back as a diagnostic. With ``use_cache``, a timeline
    cached from exactly the same events text and source texts is returned
    without parsing again (see :mod:`citeline.cache`); nothing is written here.
    ``progress`` is told how the load is going (see :data:`citeline.cache.Progress`).
    ``long_lived``: the timeline will be kept for long (by a browser, or until a
    command ends), so what the load made is frozen out of the garbage collector's
    sight (see
    :func:`~citeline.collector.collector_paused`), and so is each part of a
    cached timeline built later.
    """
    with collector_paused(freeze=long_lived):
        return _load(Path(path), display_name or str(path), use_cache, progress, long_lived)


def _load(
    path: Path, name: str, use_cache: bool, progress: Progress | None, long_lived: bool
) -> LoadResult:
    if progress is not None:
        progress("Reading the events file", 0.0)
    started_ns = time.time_ns()
    events_file = _EventsFile(path, name)
    if use_cache and cache.enabled():
        hit = cache.lookup(path, name, lambda: events_file.digest, progress, long_lived)
        if hit is not None:
            sources = tuple(s.path for s in hit.timeline.sources)
            return LoadResult(
                hit.timeline, hit.diagnostics, sources, events_digest=hit.events_digest,
                from_cache=True, stamps=hit.stamps, started_ns=started_ns, cache_hit=hit,
                unshown=hit.unshown,
            )
    data = events_file.data
    if isinstance(data, Diagnostic):
        return LoadResult(None, (data,), unreadable=True)
    result = load_text(data, path, name, progress)
    stamps = dict(result.stamps)
    if events_file.stamp is not None:
        stamps[os.path.normpath(path)] = events_file.stamp
    return replace(
        result, events_digest=events_file.digest, stamps=stamps, started_ns=started_ns
    )


class _EventsFile:
    """The events file, read at most once: its text (or why not), stamp and digest."""

    def __init__(self, path: Path, name: str) -> None:
        self.path = path
        self.name = name
        self._digest: cache.UTF8Digest | None = None

    @cached_property
    def _read(self) -> tuple[str | Diagnostic, Stamp | None]:
        try:
            raw, stamp = read_bounded(self.path, MAX_EVENTS_BYTES)
        except Unreadable as problem:
            return _events_problem(problem, self.name), None
        self._digest = cache.UTF8Digest(raw)  # (hashed meanwhile, beside what follows)
        return _events_text(raw, self.name), stamp

    @property
    def data(self) -> str | Diagnostic:
        return self._read[0]

    @property
    def stamp(self) -> Stamp | None:
        return self._read[1]

    @cached_property
    def digest(self) -> str | None:
        """The digest of the text, the cache's key (``None`` if it cannot be read)."""
        if isinstance(self.data, Diagnostic):
            return None
        assert self._digest is not None  # (made as the text was read)
        return self._digest.result()


def remember(path: Path | str, result: LoadResult, display_name: str | None = None) -> None:
    """Cache a valid, freshly checked timeline for the next start; for one the cache
    gave, let the stamps of the files found unchanged by their content vouch for them
    next time (see :func:`citeline.cache.restamp`). Errors are ignored."""
    if not result.worth_remembering or not cache.enabled():
        return
    path = Path(path)
    name = display_name or str(path)
    if result.cache_hit is not None:
        cache.restamp(path, name, result.cache_hit, result.started_ns)
        return
    assert result.timeline is not None and result.events_digest is not None
    cache.store(
        path, name, result.events_digest, result.timeline, result.diagnostics,
        result.stamps, result.started_ns, result.unshown,
    )


def _events_problem(problem: Unreadable, name: str) -> Diagnostic:
    """What is wrong with the events file, and what to do."""
    kind = problem.kind
    if kind == Unreadable.FOLDER:
        message = "is a folder; name the events.yaml file in it"
    elif kind == Unreadable.SPECIAL:
        message = "is not a regular file (a device, pipe or socket); name an events.yaml file"
    elif kind == Unreadable.TOO_BIG:
        limit = problem.limit
        message = (
            f"the file is {problem.amount} bytes; events files are limited to {limit:,} bytes"
            f" ({limit // (1024 * 1024)} MiB): split the timeline"
        )
    elif kind == Unreadable.MISSING:
        message = "no such file; give the path of an events.yaml"
    elif kind == Unreadable.DENIED:
        message = "cannot be read: permission denied; make it readable (chmod a+r)"
    else:
        message = f"cannot be read: {problem.reason}"
    return Diagnostic(name, None, None, message)


def _events_text(raw: bytes, name: str) -> str | Diagnostic:
    """The events file's bytes as text, or why they are not UTF-8 YAML text."""
    wide = wide_encoding(raw)
    if wide is not None:
        return Diagnostic(
            name, 1, 1, f"the file is {wide} text; save it as UTF-8, or convert it, for example"
            f" with: iconv -f {wide} -t UTF-8"
        )
    nul = raw.find(b"\x00")
    if nul != -1:
        line, column = _byte_place(raw, nul)
        return Diagnostic(
            name, line, column, "the file is binary (a NUL byte here); an events file is YAML"
            " text saved as UTF-8"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _byte_place(raw, error.start)
        return Diagnostic(
            name, line, column, f"the file is not UTF-8 text (byte {raw[error.start]:#04x}"
            " here); save it as UTF-8, or convert it, for example with: iconv -f LATIN1 -t UTF-8"
        )
    return text.removeprefix("\ufeff")


def _byte_place(raw: bytes, offset: int) -> tuple[int, int]:
    """1-based line and (character) column of a byte offset in UTF-8-ish ``raw``, lines
    counted as :func:`~citeline.lines.line_end_of` says."""
    end = line_end_of(raw)
    line_start = raw.rfind(end, 0, offset) + 1
    column = len(raw[line_start:offset].decode("utf-8", "replace")) + 1
    return raw.count(end, 0, offset) + 1, column


def load_text(
    text: str, path: Path, name: str, progress: Progress | None = None
) -> LoadResult:
    """Check the YAML ``text`` of an events file found at ``path``."""
    return _Checker(path, name, progress).run(text)


class _Checker:
    """One validation run: walks the nodes, collecting diagnostics."""

    def __init__(self, path: Path, name: str, progress: Progress | None = None) -> None:
        self.progress = progress
        self.path = path
        self.name = name
        self.root_dir = path.parent
        self.name_dir = os.path.dirname(name)
        self.diagnostics: list[Diagnostic] = []
        self.source_texts: dict[str, SourceText | None] = {}
        self.canonical: dict[str, CanonicalText] = {}
        self.cited: set[str] = set()  # source ids named by any passage, valid or not
        self.source_text = ""  # the events file's text, once run() has it
        self.source_paths: list[Path] = []  # every file: inside the folder, readable or not
        #: characters of source text still to be searched for the closest text of
        #: quotes that are not found: bounds the cost of many such quotes
        self.near_miss_budget = NEAR_MISS_BUDGET
        self.read_texts: dict[Path, SourceText] = {}
        #: errors and warnings past MAX_DIAGNOSTICS, counted only
        self.unshown_errors = 0
        self.unshown_warnings = 0
        self.total_source_bytes = 0
        #: the sources and events checked as the events file was read (see take_event)
        self.streamed_sources: dict[str, tuple[Source, Node]] | None = None
        self.streamed_events: list[Event] = []
        self.first_event_line: dict[str, int] = {}
        self.read_done = 0.0  # the share of the events file read so far
        self.stream_began = 0.0  # the share of the events file read when the events began
        #: each date text read so far, parsed (many events share a day)
        self.dates: dict[str, EventDate] = {}

    # -- reporting ---------------------------------------------------------

    def error(self, line: int | None, column: int | None, message: str) -> None:
        self.add(Diagnostic(self.name, line, column, message))

    def warning(self, line: int | None, column: int | None, message: str) -> None:
        self.add(Diagnostic(self.name, line, column, message, Severity.WARNING))

    def add(self, diagnostic: Diagnostic) -> None:
        if self.full:
            self.count_unshown(diagnostic.is_error)
            return
        self.diagnostics.append(diagnostic)

    def report(self, phase: str, number: int, total: int, before: float, share: float) -> None:
        """Tell ``progress`` of item ``number`` of ``total`` (every ``_PROGRESS_EVERY``)
        of a phase that takes ``share`` of the load, after ``before`` of it."""
        if self.progress is not None and not number % _PROGRESS_EVERY:
            self.progress(phase, before + share * number / total)

    def count_unshown(self, is_error: bool) -> None:
        """Count an error (or a warning) that is not shown."""
        if is_error:
            self.unshown_errors += 1
        else:
            self.unshown_warnings += 1

    @property
    def full(self) -> bool:
        """Enough has been said: further diagnostics are only counted."""
        return len(self.diagnostics) >= MAX_DIAGNOSTICS

    def at(self, node: Node | Pair, message: str) -> None:
        if getattr(node, "reported", False):  # a Node the YAML reader has reported
            return  # the YAML reader has said what is wrong with it
        self.error(node.line, node.column, message)

    # -- the run -------------------------------------------------------------

    def run(self, text: str) -> LoadResult:
        # Only a load from scratch reads YAML and anchors quotes: a warm start imports
        # neither (the anchoring's result types alone cost it some 2 ms to make).
        from citeline import anchoring
        from citeline.yaml_reader import Stream, read_yaml

        self.anchoring: ModuleType = anchoring
        self.source_text = text
        read = read_yaml(
            text,
            None if self.progress is None else self.read_progress,
            Stream("events", self.take_event),
        )
        root = read.root
        if root is None:  # what was said of the events read before the YAML failed is void
            self.forget_streamed()
        self.add_first([Diagnostic(self.name, p.line, p.column, p.message) for p in read.problems])
        if root is None or root.is_null:
            if not read.problems:
                self.error(
                    1, 1, "the file is empty; expected a mapping with title, sources and events"
                )
            return self.result(None)
        if root.kind != "map":
            self.at(root, f"the top level is {root.describe()}; expected a mapping with"
                    " title, sources and events")
            return self.result(None)
        fields = self.fields(root, TOP_FIELDS, "the timeline")
        title = self.text(root, fields, "title", "the timeline", required=True) or ""
        sources = (
            self.sources(root, fields.get("sources")) if self.streamed_sources is None
            else self.streamed_sources
        )
        events = self.events(root, fields.get("events"), sources)
        self.unused_sources(sources)
        if self.unshown_errors or any(d.is_error for d in self.diagnostics):
            return self.result(None)
        ordered = sorted(events, key=lambda e: e.date.sort_key())
        timeline = Timeline(
            title=title,
            events=tuple(ordered),
            sources=tuple(s for s, _ in sources.values()),
            events_file=self.path,
            citing=citing_indexes(ordered),  # (a few ms at 10,000 events)
        )
        return self.result(timeline)

    # -- events checked as they are read --------------------------------------
    #
    # Once the sources are read (they come first in a timeline), each event is checked as
    # soon as the YAML reader has read it, and its nodes are let go: at 100,000 events the
    # nodes of all of them took 600 MB more at the peak of a load.

    def take_event(self, root: Node, node: Node) -> bool:
        """Check the event just read (``True``), or leave it for later (``False``: the
        sources are not read yet)."""
        if self.streamed_sources is None:
            pair = root.value.get("sources")  # type: ignore[union-attr]
            if pair is None:
                return False
            self.stream_began = self.read_done
            self.streamed_sources = self.sources(root, pair, self.read_done * _YAML_SHARE, 0.0)
        event = self.event_item(node, self.streamed_sources)
        if event is not None:
            self.streamed_events.append(event)
        return True

    def read_progress(self, done: float) -> None:
        """The reader has read ``done`` of the text (and checked the events in it)."""
        assert self.progress is not None
        self.read_done = done
        if self.streamed_sources is None:
            self.progress("Reading the events file", done * _YAML_SHARE)
            return
        began = self.stream_began
        share = began * _YAML_SHARE  # (where the reading had brought the load)
        self.progress(
            "Anchoring passages", share + (1 - share) * (done - began) / max(1 - began, 1e-9)
        )

    def forget_streamed(self) -> None:
        """Drop what checking the events read so far said and kept."""
        self.diagnostics.clear()
        self.unshown_errors = self.unshown_warnings = 0
        self.source_paths.clear()
        self.read_texts.clear()
        self.streamed_events.clear()

    def add_first(self, diagnostics: list[Diagnostic]) -> None:
        """Put ``diagnostics`` (the YAML's own problems) before those said so far: they
        are shown whatever else was found."""
        self.diagnostics[:0] = diagnostics
        unshown = self.diagnostics[MAX_DIAGNOSTICS:]
        if unshown:
            del self.diagnostics[MAX_DIAGNOSTICS:]
            for diagnostic in unshown:
                self.count_unshown(diagnostic.is_error)

    def result(self, timeline: Timeline | None) -> LoadResult:
        self.diagnostics.sort(key=lambda d: (d.line or 0, d.column or 0))
        unshown = self.unshown_errors + self.unshown_warnings
        if unshown:
            self.diagnostics.append(
                Diagnostic(self.name, None, None, f"{unshown:,} more problems are not"
                           f" shown (only the first {MAX_DIAGNOSTICS:,} are); fix these and"
                           " run again",
                           Severity.ERROR if self.unshown_errors else Severity.WARNING)
            )
        stamps = {str(path): text.stamp for path, text in self.read_texts.items()}
        return LoadResult(
            timeline, tuple(self.diagnostics), tuple(self.source_paths), stamps=stamps,
            unshown=(self.unshown_errors, self.unshown_warnings),
        )

    # -- generic field checks ------------------------------------------------

    def fields(self, node: Node, known: tuple[str, ...], what: str) -> dict[str, Pair]:
        """The mapping's pairs; unknown keys are reported with a suggestion."""
        pairs: dict[str, Pair] = node.value  # type: ignore[assignment]
        for key, pair in pairs.items():
            if key not in known and self.full:
                self.count_unshown(True)
            elif key not in known:
                hint = did_you_mean(key, known) or f" (known fields: {', '.join(known)})"
                self.at(pair, f"unknown field '{excerpt(key, 40)}' in {what}{hint}")
        return pairs

    def text(
        self,
        node: Node,
        fields: dict[str, Pair],
        key: str,
        what: str,
        *,
        required: bool = False,
    ) -> str | None:
        """The text value of ``key``, or ``None`` (reported when required)."""
        pair = fields.get(key)
        if pair is None or pair.value.is_null:
            if required and not (pair and pair.value.reported):
                place = pair or node
                self.at(place, f"{what} has no '{key}'; add {key}: ...")
            return None
        value = pair.value
        if value.kind != "scalar":
            self.at(value, f"'{key}' must be text, not {value.describe()}; write the text right"
                    f" after '{key}:' (in quotes if it holds ': ' or starts with '[' or '{{')")
            return None
        text: str = value.value  # type: ignore[assignment]
        if required and not text.strip():
            self.at(value, f"'{key}' is empty; write the {key}")
            return None
        return text

    def text_list(self, fields: dict[str, Pair], key: str) -> tuple[str, ...]:
        pair = fields.get(key)
        if pair is None or pair.value.is_null:
            return ()
        value = pair.value
        if value.kind != "seq":
            example = f"[{excerpt(value.value, 40)}]" if value.kind == "scalar" else "[A, B]"
            self.at(value, f"'{key}' must be a list, not {value.describe()}; for example"
                    f" {key}: {example}")
            return ()
        items: list[str] = []
        for item in value.value:  # type: ignore[union-attr]
            if item.kind != "scalar" or item.value is None:
                self.at(item, f"each item of '{key}' must be text, not {item.describe()}")
                continue
            if not item.value.strip():
                self.at(item, f"an item of '{key}' is empty; write it, or remove it")
                continue
            items.append(item.value)
        return tuple(items)

    def sequence(self, parent: Node, pair: Pair | None, key: str) -> list[Node]:
        if pair is None:
            self.at(parent, f"the timeline has no '{key}'; add {key}: followed by a list")
            return []
        if pair.value.is_null:
            return []
        if pair.value.kind != "seq":
            self.at(pair.value, f"'{key}' must be a list (items start with '- '),"
                    f" not {pair.value.describe()}")
            return []
        return pair.value.value  # type: ignore[return-value]

    def identifier(self, node: Node, fields: dict[str, Pair], what: str) -> str | None:
        ident = self.text(node, fields, "id", what, required=True)
        if ident is None:
            return None
        if not ID_PATTERN.fullmatch(ident):
            slug = re.sub(r"[^a-z0-9]+", "-", ident.lower()).strip("-") or "my-id"
            # Say what is wrong: a '-' first (the one allowed character that may not
            # start an id), characters not allowed, or both.
            rules = []
            if ident.startswith("-"):
                rules.append("must start with a lowercase letter or digit")
            if re.search(r"[^a-z0-9-]", ident) or not rules:
                rules.append("may hold only lowercase letters, digits and '-'")
            self.at(fields["id"].value, f"id '{excerpt(ident, 40)}' {' and '.join(rules)}"
                    f" (for example '{slug}')")
        return ident

    # -- sources --------------------------------------------------------------

    def sources(
        self,
        root: Node,
        pair: Pair | None,
        before: float = _YAML_SHARE,
        share: float = _SOURCES_SHARE,
    ) -> dict[str, tuple[Source, Node]]:
        found: dict[str, tuple[Source, Node]] = {}
        first_line: dict[str, int] = {}
        nodes = self.sequence(root, pair, "sources")
        for number, node in enumerate(nodes):
            self.report("Reading sources", number, len(nodes), before, share)
            if node.kind != "map":
                self.at(node, f"each source must be a mapping with id, file and title,"
                        f" not {node.describe()}")
                continue
            fields = self.fields(node, SOURCE_FIELDS, "a source")
            ident = self.identifier(node, fields, "a source")
            written = self.text(node, fields, "file", "a source", required=True)
            title = self.text(node, fields, "title", "a source", required=True)
            optional = {k: self.text(node, fields, k, "a source") for k in SOURCE_FIELDS[3:]}
            text = self.read_source(fields["file"], written) if written is not None else None
            if ident is None:
                continue
            if ident in first_line:
                self.at(fields["id"].value, f"duplicate source id '{excerpt(ident, 40)}'"
                        f" (first at line {first_line[ident]}); give each source its own id")
                continue
            first_line[ident] = node.line
            if written is None or title is None or text is None:
                self.source_texts[ident] = None
                continue
            self.source_texts[ident] = text
            source = Source(
                id=ident,
                file=written,
                path=text.path,
                title=title,
                text=text.text,
                **optional,
            )
            found[ident] = (source, node)
        return found

    def read_source(self, pair: Pair, written: str) -> SourceText | None:
        try:
            path = resolve_source_path(self.root_dir, written)
        except SourceFileError as error:
            self.at(pair.value, str(error))
            if error.path is not None:  # (through a link: watched for the fix)
                self.source_paths.append(error.path)
            return None
        self.source_paths.append(path)  # watched even while it is missing or unreadable
        key = Path(os.path.normpath(path))
        if key in self.read_texts:  # the same file under another id: read once
            return self.read_texts[key]
        try:
            info = path.stat()
        except (OSError, ValueError):
            info = None  # read_source says what is wrong
        if info is not None and (info.st_dev, info.st_ino) == self.events_file_identity:
            self.at(pair.value, f"'{excerpt(written, 80)}' is the events file itself; a"
                    " source is the document the quotes are taken from: name that file")
            return None
        size = 0 if info is None else info.st_size
        if self.total_source_bytes + size > MAX_TOTAL_SOURCE_BYTES:
            self.at(pair.value, f"source file '{excerpt(written, 80)}' ({size:,} bytes) would"
                    f" bring the sources to more than {MAX_TOTAL_SOURCE_BYTES:,} bytes"
                    f" ({MAX_TOTAL_SOURCE_BYTES // (1024 * 1024)} MiB) in all; split the"
                    " timeline or cite excerpts")
            return None
        try:
            text = read_resolved_source(path, written)
        except SourceFileError as error:
            self.at(pair.value, str(error))
            return None
        self.total_source_bytes += size
        self.read_texts[key] = text
        return text

    @cached_property
    def events_file_identity(self) -> tuple[int, int] | None:
        """The device and inode of the events file (``None`` if it cannot be looked at)."""
        try:
            info = os.stat(self.path)
        except (OSError, ValueError):
            return None
        return info.st_dev, info.st_ino

    def source_name(self, source: Source) -> str:
        return os.path.normpath(os.path.join(self.name_dir, source.file))

    def unused_sources(self, sources: dict[str, tuple[Source, Node]]) -> None:
        for ident, (_, node) in sources.items():
            if ident not in self.cited:
                self.warning(node.line, node.column,
                             f"source '{excerpt(ident, 40)}' is cited by no event")

    # -- events ---------------------------------------------------------------

    def events(
        self, root: Node, pair: Pair | None, sources: dict[str, tuple[Source, Node]]
    ) -> list[Event]:
        """The events checked as they were read, then those left in the list."""
        events = self.streamed_events
        nodes = self.sequence(root, pair, "events")
        done_before = _YAML_SHARE + _SOURCES_SHARE
        streamed = self.streamed_sources is not None  # (then its progress is told already)
        for number, node in enumerate(nodes):
            if not streamed:
                self.report("Anchoring passages", number, len(nodes), done_before, 1 - done_before)
            event = self.event_item(node, sources)
            if event is not None:
                events.append(event)
        return events

    def event_item(self, node: Node, sources: dict[str, tuple[Source, Node]]) -> Event | None:
        """The event of an item of the events list, or ``None`` (then reported)."""
        if node.kind != "map":
            self.at(node, f"each event must be a mapping, not {node.describe()}")
            return None
        event = self.event(node, sources)
        id_pair = node.value.get("id")  # type: ignore[union-attr]
        ident = id_pair.value.value if id_pair and id_pair.value.kind == "scalar" else None
        if isinstance(ident, str) and ident:
            first_line = self.first_event_line
            if ident in first_line:
                self.at(id_pair.value, f"duplicate event id '{excerpt(ident, 40)}' (first at"
                        f" line {first_line[ident]}); give each event its own id")
                return None
            first_line[ident] = node.line
        return event

    def event(self, node: Node, sources: dict[str, tuple[Source, Node]]) -> Event | None:
        fields = self.fields(node, EVENT_FIELDS, "an event")
        ident = self.identifier(node, fields, "an event")
        what = f"event '{excerpt(ident, 40)}'" if ident else "an event"
        title = self.text(node, fields, "title", what, required=True)
        date = self.date(node, fields, what)
        summary = self.text(node, fields, "summary", what, required=True)
        place = self.text(node, fields, "place", what)
        participants = self.text_list(fields, "participants")
        tags = self.text_list(fields, "tags")
        passages = self.passages(node, fields.get("passages"), what, sources)
        if None in (ident, title, date, summary, passages):
            return None
        return assembled(Event, {
            "id": ident,
            "title": title,
            "date": date,
            "summary": summary,
            "passages": passages,
            "place": place,
            "participants": participants,
            "tags": tags,
            "location": assembled(
                Location, {"file": self.name, "line": node.line, "column": node.column}
            ),
        })

    def date(self, node: Node, fields: dict[str, Pair], what: str) -> EventDate | None:
        raw = self.text(node, fields, "date", what, required=True)
        if raw is None:
            return None
        date = self.dates.get(raw)
        if date is not None:
            return date
        value = fields["date"].value
        try:
            date = self.dates[raw] = parse_date(raw)
            return date
        except DateError as error:
            column = value.column
            if value.is_verbatim(self.source_text):  # else the offset is no place in the file
                column += (1 if value.style in ("'", '"') else 0) + error.offset
            self.error(value.line, column, error.message)
            return None

    def passages(
        self,
        node: Node,
        pair: Pair | None,
        what: str,
        sources: dict[str, tuple[Source, Node]],
    ) -> tuple[Passage, ...] | None:
        if pair is None or pair.value.is_null:
            if not (pair and pair.value.reported):
                self.at(pair or node, f"{what} has no passages; quote at least one source"
                        " passage under passages:")
            return None
        if pair.value.kind != "seq":
            self.at(pair.value, f"'passages' must be a list (items start with '- '), not"
                    f" {pair.value.describe()}")
            return None
        items: list[Node] = pair.value.value  # type: ignore[assignment]
        if not items:
            self.at(pair.value, f"{what} has no passages; quote at least one source passage")
            return None
        passages: list[Passage] = []
        ok = True
        for item in items:
            passage = self.passage(item, sources)
            if passage is None:
                ok = False
            else:
                passages.append(passage)
        return tuple(passages) if ok else None

    def passage(self, node: Node, sources: dict[str, tuple[Source, Node]]) -> Passage | None:
        if node.kind != "map":
            self.at(node, f"each passage must be a mapping with source and quote,"
                    f" not {node.describe()}")
            return None
        fields = self.fields(node, PASSAGE_FIELDS, "a passage")
        source_id = self.text(node, fields, "source", "a passage", required=True)
        quote = self.text(node, fields, "quote", "a passage", required=True)
        prefix = self.text(node, fields, "prefix", "a passage")
        suffix = self.text(node, fields, "suffix", "a passage")
        note = self.text(node, fields, "note", "a passage")
        if source_id is not None:
            self.cited.add(source_id)
        if source_id is None or quote is None:
            return None
        entry = sources.get(source_id)
        if entry is None:
            if source_id not in self.source_texts:  # not declared at all (else: reported)
                hint = did_you_mean(source_id, self.source_texts) or (
                    "; declare it under sources:" if self.source_texts else
                    "; declare sources under sources:"
                )
                self.at(fields["source"].value, f"unknown source '{excerpt(source_id, 40)}'{hint}")
            return None
        source = entry[0]
        canonical = self.canonical_text(source)
        searched = self.near_miss_budget > 0
        anchoring = self.anchoring
        found = anchoring.anchor(canonical, quote, prefix, suffix, find_closest=searched)
        if isinstance(found, anchoring.NotFound) and searched:
            self.near_miss_budget -= len(canonical.canonical) + len(quote)
        if isinstance(found, anchoring.Match):
            line, column = source.line_col(found.start)
            return assembled(Passage, {
                "source_id": source_id,
                "quote": quote,
                "start": found.start,
                "end": found.end,
                "line": line,
                "column": column,
                "text": source.text[found.start : found.end],
                "prefix": prefix,
                "suffix": suffix,
                "note": note,
            })
        self.anchor_error(fields["quote"].value, source, quote, found, searched)
        return None

    def canonical_text(self, source: Source) -> CanonicalText:
        canonical = self.canonical.get(source.id)
        if canonical is None:
            canonical = self.canonical[source.id] = self.anchoring.CanonicalText(source.text)
        return canonical

    def anchor_error(
        self,
        node: Node,
        source: Source,
        quote: str,
        found: NotFound | Ambiguous | ContextMismatch,
        searched: bool,
    ) -> None:
        name = self.source_name(source)
        if isinstance(found, self.anchoring.Ambiguous):
            if found.more:
                limit = self.anchoring.MAX_OCCURRENCES
                self.at(node, f"the quote occurs more than {limit:,} times in {name}"
                        f" (first at {self.places(source, found.matches)}); quote more words")
            else:
                self.at(node, f"the quote occurs {len(found.matches)} times in {name} (at"
                        f" {self.places(source, found.matches)}); add prefix: or suffix: with"
                        " the words just before or after the one you mean")
        elif isinstance(found, self.anchoring.ContextMismatch):
            self.at(node, f"the quote occurs in {name} (at"
                    f" {self.places(source, found.matches)}) but never with the given"
                    " prefix/suffix around it; correct the prefix or suffix")
        elif found.closest is not None:
            line, column = source.line_col(found.closest.start)
            near = excerpt(source.text[found.closest.start : found.closest.end])
            self.at(node, f"quote not found in {name}; closest: {name}:{line}:{column}"
                    f" '{near}' (copy the exact words from the source)")
        elif not searched:
            self.at(node, f"quote not found in {name} (so many quotes were not found that"
                    " no closest text was looked for); check the source id and copy the exact"
                    f" words: '{excerpt(quote)}'")
        else:
            self.at(node, f"quote not found in {name}, nor anything close to it; check the"
                    f" source id and copy the exact words: '{excerpt(quote)}'")

    @staticmethod
    def places(source: Source, matches: tuple[Match, ...]) -> str:
        """``line:col`` of each match, the first ``MAX_LISTED_PLACES`` of them."""
        shown = ", ".join(
            "{}:{}".format(*source.line_col(m.start)) for m in matches[:MAX_LISTED_PLACES]
        )
        hidden = len(matches) - MAX_LISTED_PLACES
        return f"{shown} and {hidden:,} more" if hidden > 0 else shown
