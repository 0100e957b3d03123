"""LazyEvents: a sequence of events built a chunk at a time, exactly like a tuple."""

from __future__ import annotations

import threading
import weakref

import pytest
from hypothesis import given
from hypothesis import strategies as st

from citeline.model import Event, EventDate, LazyEvents, PartialDate, Timeline

DAY = EventDate(PartialDate(2022, 2, 4), PartialDate(2022, 2, 4), raw="2022-02-04")


def _event(number: int) -> Event:
    return Event(id=f"e{number}", title=f"Event {number}", date=DAY, summary="", passages=())


def _lazy(count: int, size: int, built: list[int] | None = None) -> LazyEvents:
    events = [_event(n) for n in range(count)]

    def build(chunk: int) -> list[Event]:
        if built is not None:
            built.append(chunk)
        return events[chunk * size : (chunk + 1) * size]

    return LazyEvents(tuple(e.id for e in events), (DAY,) * count, size, build)


@given(
    count=st.integers(0, 40),
    size=st.integers(1, 9),
    start=st.none() | st.integers(-50, 50),
    stop=st.none() | st.integers(-50, 50),
    step=st.none() | st.integers(-4, 4).filter(bool),
)
def test_it_reads_as_the_tuple_of_its_events(
    count: int, size: int, start: int | None, stop: int | None, step: int | None
) -> None:
    lazy = _lazy(count, size)
    whole = tuple(_event(n) for n in range(count))
    assert len(lazy) == count
    assert lazy[start:stop:step] == whole[start:stop:step]
    for index in (0, count - 1, -1, -count, count, -count - 1):
        if -count <= index < count:
            assert lazy[index] == whole[index]
        else:
            with pytest.raises(IndexError):
                lazy[index]
    assert list(lazy) == list(whole) and list(reversed(lazy)) == list(reversed(whole))
    assert lazy == whole and whole == lazy and lazy == _lazy(count, size + 1)
    assert hash(lazy) == hash(whole)
    assert lazy.chunks_built == lazy.chunk_count


def test_each_chunk_is_built_once_and_only_when_looked_at() -> None:
    built: list[int] = []
    lazy = _lazy(25, 10, built)
    assert lazy.ids[24] == "e24" and len(lazy.dates) == 25 and built == []
    assert lazy[24].id == "e24" and built == [2]
    assert [e.id for e in lazy[8:12]] == ["e8", "e9", "e10", "e11"] and built == [2, 0, 1]
    assert lazy[3] is lazy[3] and lazy.chunks_built == 3
    assert list(lazy) == list(lazy) and built == [2, 0, 1]
    assert "3 of 3 chunks built" in repr(lazy)


def test_the_builder_is_dropped_once_every_chunk_is_in() -> None:
    class Holder:
        pass

    holder = Holder()
    events = [_event(n) for n in range(3)]

    def build(chunk: int, held: Holder = holder) -> list[Event]:
        return events[chunk * 2 : chunk * 2 + 2]

    lazy = LazyEvents(("e0", "e1", "e2"), (DAY,) * 3, 2, build)
    del build
    gone = weakref.ref(holder)
    del holder
    assert gone() is not None
    list(lazy)
    assert gone() is None  # what building needed is freed (a cache's bytes, say)


def test_a_chunk_of_the_wrong_length_is_an_error() -> None:
    lazy = LazyEvents(("a", "b"), (DAY, DAY), 2, lambda chunk: [_event(0)])
    with pytest.raises(ValueError, match="chunk 0"):
        lazy[0]
    with pytest.raises(ValueError):
        LazyEvents(("a",), (), 2, lambda chunk: [])


def test_threads_asking_at_once_all_get_the_same_events() -> None:
    barrier = threading.Barrier(4)
    events = [_event(n) for n in range(100)]

    def build(chunk: int) -> list[Event]:
        barrier.wait(timeout=5)  # every thread is building chunk 0 at once
        return [Event(**vars(e)) for e in events[chunk * 100 : chunk * 100 + 100]]

    lazy = LazyEvents(tuple(e.id for e in events), (DAY,) * 100, 100, build)
    seen: list[Event] = []
    threads = [threading.Thread(target=lambda: seen.append(lazy[7])) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 4 and all(event is lazy[7] for event in seen)


def test_a_timeline_of_lazy_events_answers_ids_and_dates_without_building() -> None:
    built: list[int] = []
    timeline = Timeline("t", _lazy(30, 8, built), ())
    assert timeline.ids[29] == "e29" and timeline.dates[0] is DAY
    assert timeline.index_of("e17") == 17 and timeline.index_of("nope") is None
    assert built == []
    assert timeline.event("e17") == _event(17) and built == [2]
    plain = Timeline("t", tuple(_event(n) for n in range(30)), ())
    assert plain.ids == timeline.ids and plain.dates == timeline.dates and plain == timeline


def test_a_timeline_that_knows_the_citing_events_looks_at_those_only() -> None:
    from citeline.model import Passage, citing_indexes

    def cites(number: int, *sources: str) -> Event:
        passages = tuple(Passage(s, "q", 0, 1, 1, 1, "q") for s in sources)
        return Event(id=f"e{number}", title="", date=DAY, summary="", passages=passages)

    events = (cites(0, "a"), cites(1, "b", "a", "a"), cites(2, "b"), cites(3, "c"))
    assert citing_indexes(events) == {"a": [0, 1], "b": [1, 2], "c": [3]}
    built: list[int] = []

    def build(chunk: int) -> tuple[Event, ...]:
        built.append(chunk)
        return events[chunk : chunk + 1]

    lazy = LazyEvents(tuple(e.id for e in events), (DAY,) * 4, 1, build)
    timeline = Timeline("t", lazy, (), citing=citing_indexes(events))
    assert [(e.id, len(found)) for e, found in _grouped(timeline.citations("a"))] == [
        ("e0", 1), ("e1", 2),
    ]
    assert sorted(built) == [0, 1]  # the events of "b" and "c" were not looked at
    assert list(timeline.citations("nowhere")) == [] and sorted(built) == [0, 1]
    plain = Timeline("t", events, ())  # not known: every event is looked at
    assert list(plain.citations("a")) == list(timeline.citations("a"))


def _grouped(pairs) -> list[tuple[Event, list]]:  # type: ignore[no-untyped-def]
    grouped: dict[str, tuple[Event, list]] = {}
    for event, passage in pairs:
        grouped.setdefault(event.id, (event, []))[1].append(passage)
    return list(grouped.values())


def test_a_chunk_asked_for_as_another_thread_builds_the_last_one_is_found() -> None:
    """The builder is dropped once every chunk is in: a thread that found a chunk missing
    just before another built it (the last one) takes it from there."""
    events = [_event(n) for n in range(2)]
    lazy = LazyEvents(("e0", "e1"), (DAY, DAY), 1, lambda chunk: events[chunk : chunk + 1])
    lazy[1]
    chunks = lazy._chunks
    lazy._chunks = _SeenMissingOnce(chunks, lambda: lazy[0])  # type: ignore[assignment]
    assert lazy[0] == events[0] and lazy.chunks_built == 2


class _SeenMissingOnce(list):  # type: ignore[type-arg]
    """Chunk 0 looks missing on the first look only, and meanwhile another thread builds it."""

    def __init__(self, chunks: list, other_thread) -> None:  # type: ignore[no-untyped-def]
        super().__init__(chunks)
        self._other_thread = other_thread
        self._looked = False

    def __getitem__(self, index):  # type: ignore[no-untyped-def]
        if index == 0 and not self._looked:
            self._looked = True
            self._other_thread()  # builds chunk 0, the last one: the builder is dropped
            return None
        return super().__getitem__(index)
