"""The timeline as immutable data: sources, passages, events and their dates.

Nothing here reads files or knows about the terminal; the loader builds these
objects and every other layer only reads them.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import threading
from bisect import bisect_right
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, overload

from citeline.lines import line_starts_of

if TYPE_CHECKING:
    from citeline.chronology import Chronology

T = TypeVar("T")


class Precision(StrEnum):
    """How much of a date was actually given."""

    YEAR = "year"
    MONTH = "month"
    DAY = "day"


@dataclass(frozen=True, order=True)
class PartialDate:
    """A calendar date known to year, month or day precision.

    ``month`` and ``day`` are ``None`` when they were not given; nothing is
    ever filled in.
    """

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    def iso(self) -> str:
        """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return text

    def first_day(self) -> _dt.date:
        """The earliest calendar day this date can stand for."""
        return _dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> _dt.date:
        """The latest calendar day this date can stand for."""
        if self.day is not None:
            return _dt.date(self.year, self.month or 1, self.day)
        if self.month is not None:
            return _dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return _dt.date(self.year, 12, 31)


@dataclass(frozen=True)
class EventDate:
    """The date of an event: one partial date or an interval of two.

    ``start`` is ``None`` for an interval open at the start (``../2023``),
    ``end`` is ``None`` for one open at the end (``2022/..``). For a single
    date ``end == start``. ``qualifier`` is ``"?"`` (uncertain), ``"~"``
    (approximate), ``"%"`` (both) or ``None``.
    """

    start: PartialDate | None
    end: PartialDate | None
    qualifier: str | None = None
    raw: str = ""
    is_interval: bool = False

    @property
    def precision(self) -> Precision:
        anchor = self.start or self.end
        assert anchor is not None
        return anchor.precision

    @property
    def uncertain(self) -> bool:
        return self.qualifier in ("?", "%")

    @property
    def approximate(self) -> bool:
        return self.qualifier in ("~", "%")

    def first_day(self) -> _dt.date | None:
        return self.start.first_day() if self.start else None

    def last_day(self) -> _dt.date | None:
        return self.end.last_day() if self.end else None

    def sort_key(self) -> tuple[_dt.date, _dt.date]:
        """Events sort by start, then end (open ends sort last)."""
        anchor = self.start or self.end
        assert anchor is not None
        start = anchor.first_day()
        end = self.end.last_day() if self.end else _dt.date.max
        return (start, end)


@dataclass(frozen=True)
class Location:
    """A place in a file: 1-based line and column."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Source:
    """A source document and its text (BOM dropped, newlines as ``\\n``)."""

    id: str
    file: str  # as written in events.yaml
    path: Path  # resolved on disk
    title: str
    text: str = field(repr=False)
    author: str | None = None
    publisher: str | None = None
    url: str | None = None
    published: str | None = None

    @cached_property
    def line_starts(self) -> tuple[int, ...]:
        """The offset in ``text`` at which each line begins (found on first use)."""
        return line_starts_of(self.text)

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset in ``text``."""
        index = bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1

    @property
    def line_count(self) -> int:
        """How many lines ``text`` has: a final newline ends the last line, it starts none
        (as ``wc -l`` and editors count); an empty text has none."""
        starts = self.line_starts
        return len(starts) - (starts[-1] == len(self.text))

    @classmethod
    def reading_text_later(cls, read_text: Callable[[], str], **fields: Any) -> Source:
        """A source whose text is ``read_text()``, called the first time it is asked for.

        ``fields`` are every field but ``text``, already checked (a cached
        timeline's: its 1,000 texts need not be decoded for the first frame).
        The source is otherwise like any other: equal, hashed and shown alike.
        """
        source = object.__new__(cls)
        source.__dict__.update(fields)
        source.__dict__["_read_text"] = read_text
        return source

    def __getattr__(self, name: str) -> Any:
        # reached only for an attribute not set: the text of a source made by
        # :meth:`reading_text_later`, not asked for yet (any thread may ask: both read it)
        read_text = self.__dict__.get("_read_text") if name == "text" else None
        if read_text is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        text = read_text()
        self.__dict__["text"] = text  # (as a cached_property does: the fields stay frozen)
        self.__dict__.pop("_read_text", None)
        return text


@dataclass(frozen=True)
class Passage:
    """A quote resolved to the span ``[start, end)`` of its source's text."""

    source_id: str
    quote: str  # as written by the curator
    start: int
    end: int
    line: int
    column: int
    text: str  # exactly ``source.text[start:end]``
    prefix: str | None = None
    suffix: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Event:
    id: str
    title: str
    date: EventDate
    summary: str
    passages: tuple[Passage, ...]
    place: str | None = None
    participants: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    location: Location | None = field(default=None, compare=False)

    @property
    def source_ids(self) -> tuple[str, ...]:
        """The distinct sources this event cites, in order of first citation."""
        return tuple(dict.fromkeys(p.source_id for p in self.passages))


def assembled(cls: type[T], fields: dict[str, Any]) -> T:
    """An instance of one of these frozen dataclasses, from fields already checked.

    A frozen dataclass's ``__init__`` sets each field through
    ``object.__setattr__``: for the hundreds of thousands of passages and
    events of a large timeline, that is a second or so. The loader and the
    cache have checked every field, and give them all, in order, so they are
    put in the instance's dict directly: 0.5 us a passage instead of 1.3.
    One at a time, not with ``update``, which is quicker still (0.2 us) but
    gives each instance a dict of its own keys: 336 bytes a passage instead of
    232 (169 through ``__init__``). (A dict, not keyword arguments: packing
    those costs a quarter more.)
    """
    instance = object.__new__(cls)
    attributes = instance.__dict__
    for name, value in fields.items():
        attributes[name] = value
    return instance


def citing_indexes(events: Sequence[Event]) -> dict[str, list[int]]:
    """The index of every event citing each source (by source id), in timeline order."""
    citing: dict[str, list[int]] = {}
    for index, event in enumerate(events):
        for passage in event.passages:
            indexes = citing.setdefault(passage.source_id, [])
            if not indexes or indexes[-1] != index:
                indexes.append(index)
    return citing


class LazyEvents(Sequence[Event]):
    """Events in timeline order, each chunk of them built the first time it is asked for.

    A cached timeline is read this way: its ids and dates are known at once
    (:attr:`ids`, :attr:`dates`), and an event is only built when something
    looks at it, ``size`` events at a time, by ``build(chunk_number)``. The
    browser shows its first frame from the dates and the few events on
    screen; the rest are built after it. Any thread may ask; a chunk is built
    once (two threads asking at once may both build it, and one result is
    kept). Once every chunk is built, ``build`` is dropped (and what it holds).

    Equal to a tuple or another :class:`LazyEvents` of equal events.
    """

    __slots__ = ("_build", "_chunks", "_left", "_lock", "_size", "dates", "ids")

    def __init__(
        self,
        ids: Sequence[str],
        dates: Sequence[EventDate],
        size: int,
        build: Callable[[int], Sequence[Event]],
    ) -> None:
        if len(ids) != len(dates) or size < 1:
            raise ValueError("one id and one date per event, and chunks of at least one")
        self.ids = ids
        self.dates = dates
        self._size = size
        self._build: Callable[[int], Sequence[Event]] | None = build
        self._chunks: list[Sequence[Event] | None] = [None] * -(-len(ids) // size)
        self._left = len(self._chunks)
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.ids)

    def _chunk(self, number: int) -> Sequence[Event]:
        chunk = self._chunks[number]
        if chunk is not None:
            return chunk
        build = self._build
        if build is None:  # every chunk was built meanwhile, this one by another thread
            chunk = self._chunks[number]
            assert chunk is not None  # (set before the builder is dropped)
            return chunk
        built = tuple(build(number))
        first = number * self._size
        if len(built) != min(self._size, len(self.ids) - first):
            raise ValueError(f"chunk {number} holds {len(built)} events")
        with self._lock:
            chunk = self._chunks[number]
            if chunk is None:
                chunk = self._chunks[number] = built
                self._left -= 1
                if not self._left:
                    self._build = None
        return chunk

    @overload
    def __getitem__(self, index: int) -> Event: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Event, ...]: ...

    def __getitem__(self, index: int | slice) -> Event | tuple[Event, ...]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                return tuple(self[i] for i in range(start, stop, step))
            found: list[Event] = []
            size = self._size
            while start < stop:
                number, offset = divmod(start, size)
                taken = self._chunk(number)[offset : offset + stop - start]
                found += taken
                start += len(taken)
            return tuple(found)
        count = len(self)
        if index < 0:
            index += count
        if not 0 <= index < count:
            raise IndexError("event index out of range")
        number, offset = divmod(index, self._size)
        return self._chunk(number)[offset]

    def __iter__(self) -> Iterator[Event]:
        for number in range(len(self._chunks)):
            yield from self._chunk(number)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, (tuple, LazyEvents)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    def __hash__(self) -> int:
        return hash(tuple(self))

    @property
    def chunks_built(self) -> int:
        """How many of the chunks are built (of :attr:`chunk_count`)."""
        return len(self._chunks) - self._left

    @property
    def chunk_count(self) -> int:
        return len(self._chunks)

    def __repr__(self) -> str:
        return (
            f"<LazyEvents: {len(self)} events,"
            f" {self.chunks_built} of {self.chunk_count} chunks built>"
        )


@dataclass(frozen=True)
class Timeline:
    """A validated timeline: events in date order, sources by id.

    ``events`` is a tuple, or for a cached timeline a :class:`LazyEvents`
    (built as they are looked at); :attr:`ids` and :attr:`dates` never build
    an event. ``citing``, when known, holds the index of every event citing
    each source (by source id, in timeline order): the passages quoting a
    source are then found without looking at every event. ``chronology``,
    when known (a cached timeline's), is what the dates say in order (see
    :func:`citeline.chronology.chronology_of`).
    """

    title: str
    events: Sequence[Event]
    sources: tuple[Source, ...]
    events_file: Path | None = None
    citing: Mapping[str, Sequence[int]] | None = field(default=None, compare=False, repr=False)
    chronology: Chronology | None = field(default=None, compare=False, repr=False)

    @cached_property
    def ids(self) -> Sequence[str]:
        """Each event's id, in timeline order."""
        events = self.events
        return events.ids if isinstance(events, LazyEvents) else tuple(e.id for e in events)

    @cached_property
    def dates(self) -> Sequence[EventDate]:
        """Each event's date, in timeline order."""
        events = self.events
        if isinstance(events, LazyEvents):
            return events.dates
        return tuple(e.date for e in events)

    @cached_property
    def _sources_by_id(self) -> dict[str, Source]:
        return {s.id: s for s in self.sources}

    @cached_property
    def _index_by_id(self) -> dict[str, int]:
        return {event_id: i for i, event_id in enumerate(self.ids)}

    def event(self, event_id: str) -> Event | None:
        index = self._index_by_id.get(event_id)
        return None if index is None else self.events[index]

    def source(self, source_id: str) -> Source | None:
        return self._sources_by_id.get(source_id)

    def index_of(self, event_id: str) -> int | None:
        """Position of the event in timeline order."""
        return self._index_by_id.get(event_id)

    @cached_property
    def _citations_by_source(self) -> dict[str, list[tuple[Event, Passage]]]:
        by_source: dict[str, list[tuple[Event, Passage]]] = {s.id: [] for s in self.sources}
        for event in self.events:
            for passage in event.passages:
                by_source.setdefault(passage.source_id, []).append((event, passage))
        return by_source

    def citations(self, source_id: str) -> Iterator[tuple[Event, Passage]]:
        """Every (event, passage) that quotes the source, in timeline order.

        A lookup once :meth:`index_citations` has run; until then one pass over
        the events per source asked for (kept: about 8 ms at 10,000 events,
        against 19 ms for the index of every source), so that the first source
        opened does not wait for them all. When the timeline knows which events
        cite the source (:attr:`citing`), the pass looks at those only (and, for
        a cached timeline, builds no other).
        """
        index = self.__dict__.get("_citations_by_source")
        if index is not None:
            return iter(index.get(source_id, ()))
        found = self.__dict__.setdefault("_citations_found", {})
        citing = found.get(source_id)
        if citing is None:
            events = self.events
            known = None if self.citing is None else self.citing.get(source_id, ())
            citing = found[source_id] = [
                (event, passage)
                for event in (events if known is None else (events[i] for i in known))
                for passage in event.passages
                if passage.source_id == source_id
            ]
        return iter(citing)

    def index_citations(self) -> None:
        """Build the index behind :meth:`citations`, for every source at once."""
        self._citations_by_source  # noqa: B018 - computed and kept on first access
        self.__dict__.pop("_citations_found", None)  # what passes found before: in it now
