"""A cache entry's file, read whole on a thread while its first lines are decoded.

A warm start reads the whole entry (16 MB at 10,000 events, 134 MB at
100,000) and works out the checksum of the lines below its header: about
18 ms at 10,000 events, most of it in the kernel and in zlib, which let go of
the interpreter lock. Meanwhile the header and the table in the first lines
are decoded and every source is looked at, on the interpreter; so the whole
is read on a thread of its own, and those first lines are read again, apart,
at once.

Both readings are of the file opened once: an entry replaced meanwhile (the
cache writes a new file and renames it into place) is still read as it was
when opened. One changed where it lies is caught: the first lines read apart
must be the start of the whole.
"""

from __future__ import annotations

import os
import threading
import zlib
from pathlib import Path
from types import TracebackType

#: Bytes read at a time for the first lines.
BLOCK = 1024 * 1024


class EntryFile:
    """An entry file, open; use it as a context manager (the file is closed on leaving)."""

    def __init__(self, path: Path, *, on_thread_from: int = BLOCK) -> None:
        """Open ``path`` (``OSError`` as ``os.open`` raises it) and start reading it whole,
        on a thread when it holds ``on_thread_from`` bytes or more (a smaller one is read
        at once: a thread would cost more than it saves)."""
        self._fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        self._whole: tuple[bytes, int] | None = None
        self._error: OSError | None = None
        self._head = b""  # the first lines, as read apart
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()  # over the two below
        self._reading = False  # the thread is reading
        self._closed = False
        try:
            size = os.fstat(self._fd).st_size
            if size < on_thread_from:
                self._read_whole()
            else:
                self._reading = True
                self._thread = threading.Thread(
                    target=self._read_on_thread, name="citeline-cache-read", daemon=True
                )
                self._thread.start()
        except BaseException:
            self._reading = False
            self.close()
            raise

    def __enter__(self) -> EntryFile:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the file; if it is still being read (an entry found stale by its
        header), the reading closes it when done, and is not waited for."""
        with self._lock:
            self._closed = True
            if not self._reading:
                self._close_file()
        self._whole = None  # (what was read is the caller's now)
        self._head = b""

    def _close_file(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def _read_on_thread(self) -> None:
        try:
            self._read_whole()
        finally:
            with self._lock:
                self._reading = False
                if self._closed:
                    self._close_file()

    def _read_whole(self) -> None:
        try:
            size = os.fstat(self._fd).st_size
            parts: list[bytes] = []
            offset = 0
            while part := os.pread(self._fd, max(size - offset, BLOCK), offset):
                parts.append(part)
                offset += len(part)
            raw = parts[0] if len(parts) == 1 else b"".join(parts)
            body = raw.find(b"\n") + 1
            self._whole = raw, zlib.crc32(memoryview(raw)[body:]) if body else 0
        except OSError as error:
            self._error = error

    def first_lines(self, count: int) -> list[bytes]:
        """The first ``count`` lines (without their line breaks), or fewer: as many
        as end in a line break."""
        if self._whole is not None:  # (read whole already)
            head = self._whole[0]
        else:
            parts = [self._head]
            found = self._head.count(b"\n")
            offset = len(self._head)
            while found < count:
                part = os.pread(self._fd, BLOCK, offset)
                if not part:
                    break
                parts.append(part)
                offset += len(part)
                found += part.count(b"\n")
            head = self._head = b"".join(parts)
        lines: list[bytes] = []
        start = 0
        while len(lines) < count and (end := head.find(b"\n", start)) != -1:
            lines.append(head[start:end])
            start = end + 1
        return lines

    def whole(self) -> tuple[bytes, int]:
        """The whole file, and the CRC-32 of what follows its first line (0 if it has no
        line break); ``OSError`` as reading raised it. ``ValueError`` if the first lines
        read apart are not its start (the file changed in place meanwhile)."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._error is not None:
            raise self._error
        assert self._whole is not None
        raw = self._whole[0]
        if not raw.startswith(self._head):
            raise ValueError("the cache entry changed while it was read")
        return self._whole
