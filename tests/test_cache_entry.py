"""A cache entry's file: its first lines read at once, the whole of it on a thread."""

from __future__ import annotations

import os
import threading
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citeline import cache_entry
from citeline.cache_entry import EntryFile

lines_of_bytes = st.lists(st.binary(max_size=40).map(lambda b: b.replace(b"\n", b"")), max_size=8)


@settings(max_examples=200, deadline=None)
@given(
    lines=lines_of_bytes,
    last=st.binary(max_size=20).map(lambda b: b.replace(b"\n", b"")),
    count=st.integers(1, 10),
    block=st.integers(1, 64),
    on_thread=st.booleans(),
)
def test_the_first_lines_and_the_whole_are_the_files(
    tmp_path_factory: pytest.TempPathFactory,
    lines: list[bytes],
    last: bytes,
    count: int,
    block: int,
    on_thread: bool,
) -> None:
    content = b"".join(line + b"\n" for line in lines) + last  # (the last may not end)
    path = tmp_path_factory.mktemp("entry") / "e.json"
    path.write_bytes(content)
    real_block = cache_entry.BLOCK
    cache_entry.BLOCK = block  # a few bytes at a time: the lines span several reads
    try:
        with EntryFile(path, on_thread_from=0 if on_thread else 1 << 30) as entry:
            assert entry.first_lines(count) == lines[:count]
            body = content.find(b"\n") + 1
            assert entry.whole() == (content, zlib.crc32(content[body:]) if body else 0)
    finally:
        cache_entry.BLOCK = real_block


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Holds the thread's reading back until set."""
    event = threading.Event()
    real = EntryFile._read_on_thread

    def held(entry: EntryFile) -> None:
        event.wait(10)
        real(entry)

    monkeypatch.setattr(EntryFile, "_read_on_thread", held)
    yield event
    event.set()


def test_an_entry_replaced_meanwhile_is_read_as_it_was_opened(
    tmp_path: Path, gate: threading.Event
) -> None:
    path = tmp_path / "e.json"
    path.write_bytes(b"header\ntable\nrest")
    with EntryFile(path, on_thread_from=0) as entry:
        assert entry.first_lines(2) == [b"header", b"table"]
        newer = tmp_path / "newer.json"
        newer.write_bytes(b"other\nlines\n")
        os.replace(newer, path)  # as the cache writes an entry
        gate.set()
        assert entry.whole()[0] == b"header\ntable\nrest"


def test_an_entry_changed_in_place_while_read_is_refused(
    tmp_path: Path, gate: threading.Event
) -> None:
    path = tmp_path / "e.json"
    path.write_bytes(b"header\ntable\nrest")
    with EntryFile(path, on_thread_from=0) as entry:
        assert entry.first_lines(1) == [b"header"]
        with path.open("r+b") as same:
            same.write(b"HEADER")
        gate.set()
        with pytest.raises(ValueError, match="changed while it was read"):
            entry.whole()


def test_closing_does_not_wait_for_the_reading_which_closes_the_file(
    tmp_path: Path, gate: threading.Event
) -> None:
    """An entry found stale by its header is let go at once (at 100,000 events the
    reading and checksum take a sixth of a second)."""
    path = tmp_path / "e.json"
    path.write_bytes(b"header\n" + b"x" * 1000)
    entry = EntryFile(path, on_thread_from=0)
    thread = entry._thread
    assert thread is not None
    entry.close()  # (the gate is still shut: waiting would hang here)
    assert thread.is_alive() and entry._fd >= 0
    gate.set()
    thread.join(10)
    assert entry._fd == -1


def test_an_unreadable_entry_raises_as_reading_does(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        EntryFile(tmp_path / "missing.json")
    with pytest.raises(IsADirectoryError), EntryFile(tmp_path, on_thread_from=0) as entry:
        entry.whole()
