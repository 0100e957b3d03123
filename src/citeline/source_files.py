"""Reading source texts safely: inside the events folder, text only, bounded.

A source path is written relative to the folder of ``events.yaml`` and must
stay inside it: no absolute paths, no ``..`` that climbs out, no symbolic
links. The text is UTF-8 (a leading BOM dropped) with ``\\r\\n`` and ``\\r``
read as ``\\n``.
"""

from __future__ import annotations

import os
import posixpath
import re
import stat
from functools import lru_cache
from pathlib import Path, PureWindowsPath
from typing import NamedTuple

from citeline.lines import line_end_of

#: The largest source text citeline reads, in bytes.
MAX_SOURCE_BYTES = 16 * 1024 * 1024
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
#: The longest ``file:`` path accepted, in characters.
MAX_PATH_CHARS = 4096


class SourceFileError(Exception):
    """A source file cannot be used; the message says why and what to do.

    ``path``: the file it names, when that is inside the events folder though
    refused (it goes through a link): watched for the fix all the same.
    """

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


#: What ``stat`` said of a file when it was read: size, modification time (ns), inode.
Stamp = tuple[int, int, int]


def stamp_of(info: os.stat_result) -> Stamp:
    """The :data:`Stamp` of a ``stat`` result."""
    return (info.st_size, info.st_mtime_ns, info.st_ino)


class SourceText(NamedTuple):
    path: Path
    text: str
    #: the file's stamp, taken before its bytes were read
    stamp: Stamp


def resolve_source_path(root: Path, written: str) -> Path:
    """The file a ``file:`` entry names, checked to stay inside ``root``."""
    if not written.strip():
        raise SourceFileError("the file path is empty; give a path relative to the events file")
    if len(written) > MAX_PATH_CHARS:
        raise SourceFileError(
            f"the file path is {len(written):,} characters long; paths are limited to"
            f" {MAX_PATH_CHARS:,}: rename the file"
        )
    found = _CONTROL.search(written)
    if found is not None:
        control = found.group()
        raise SourceFileError(
            f"the file path holds the control character U+{ord(control):04X}; rename the"
            " file and write its plain name"
        )
    if written.startswith("/") or (
        (":" in written or "\\" in written) and PureWindowsPath(written).is_absolute()
    ):
        raise SourceFileError(
            f"'{written}' is an absolute path; give a path relative to the folder of the"
            " events file, and copy the source into it"
        )
    if ".." in written.replace("\\", "/").split("/"):
        raise SourceFileError(
            f"'{written}' climbs out of the events folder through '..'; copy the source"
            " into the folder of the events file"
        )
    ending = _folder_ending(written)
    if ending is not None:
        own = posixpath.normpath(written.replace(os.sep, "/"))
        if own == ".":
            raise SourceFileError(
                f"'{written}' is the events folder itself; write the name of the source file"
            )
        raise SourceFileError(
            f"'{written}' ends with '{ending}'; write the file's own name, e.g. '{own}'"
        )
    path = root / written
    if _goes_through_link(_real_root(str(root)), os.path.normpath(written)):
        raise SourceFileError(
            f"'{written}' goes through a symbolic link; copy the file itself into the"
            " events folder",
            path,
        )
    return path


def _folder_ending(written: str) -> str | None:
    """How ``written`` ends as only a folder's name can (``/`` or ``/.``), or ``None``.

    The system drops such an ending from a file's name (``open('src.txt/.')``
    opens ``src.txt``), but the path as written names nothing: ``cat
    src.txt/.`` fails, and the exports would show it.
    """
    normal = written.replace(os.sep, "/")
    if normal.endswith("/"):
        return "/"
    if normal == "." or normal.endswith("/."):
        return normal[-2:]
    return None


@lru_cache(maxsize=16)
def _real_root(root: str) -> str:
    """The events folder with its own links resolved (the user chose it as it is)."""
    return os.path.realpath(root)


def _goes_through_link(real_root: str, relative: str) -> bool:
    """Whether any part of ``relative`` below ``real_root`` is a symbolic link.

    One ``lstat`` per part below the folder, rather than resolving the whole
    path from ``/`` as ``realpath`` does.
    """
    current = real_root
    for part in relative.split(os.sep):
        if part in ("", "."):
            continue
        current = os.path.join(current, part)
        try:
            if stat.S_ISLNK(os.lstat(current).st_mode):
                return True
        except OSError:
            return False  # missing: reading it reports that
    return False


def stamp_below(root: Path, written: str, folders: set[str] | None = None) -> Stamp | None:
    """The stamp of the regular file ``written`` names below ``root``, reached through
    no symbolic link; ``None`` for anything else (missing, a link, a folder...).

    For a name checked before (by :func:`resolve_source_path`, when it was
    read): one ``lstat`` per part, the last of them the file's own, which is
    all a warm start needs to know a source it cached is unchanged. Folders
    found real (no link) are added to ``folders``, and not looked at again
    for the next name given the same set (the sources of a timeline share a
    few folders).
    """
    if os.path.isabs(written) or _folder_ending(written) is not None:
        return None
    parts = [part for part in os.path.normpath(written).split(os.sep) if part not in ("", ".")]
    if not parts or ".." in parts:  # (normpath keeps a ".." only where it climbs out)
        return None
    current = _real_root(str(root))
    for number, part in enumerate(parts, 1):
        current = os.path.join(current, part)
        if number < len(parts) and folders is not None and current in folders:
            continue
        try:
            info = os.lstat(current)
        except (OSError, ValueError):
            return None
        if stat.S_ISLNK(info.st_mode):
            return None
        if number < len(parts):
            if not stat.S_ISDIR(info.st_mode):
                return None
            if folders is not None:
                folders.add(current)
    if not stat.S_ISREG(info.st_mode):
        return None
    return stamp_of(info)


def read_source(root: Path, written: str) -> SourceText:
    """Read and decode the source file named by ``written``."""
    return read_resolved_source(resolve_source_path(root, written), written)


def read_resolved_source(path: Path, written: str) -> SourceText:
    """Read and decode the source file at ``path``, which :func:`resolve_source_path`
    found for ``written`` (how the events file names it, for the errors)."""
    try:
        data, stamp = read_bounded(path, MAX_SOURCE_BYTES)
    except Unreadable as problem:
        raise SourceFileError(_source_problem(problem, written)) from None
    return SourceText(path, decode_text(data, written), stamp)


class Unreadable(Exception):
    """Why :func:`read_bounded` read nothing; each caller words it for its own file.

    ``size`` is the size found (for ``TOO_BIG``; ``None`` when the file grew
    past ``limit`` while it was read), ``reason`` the system's words (``OTHER``).
    """

    FOLDER = "folder"
    SPECIAL = "special"  # a device, pipe or socket
    TOO_BIG = "too big"
    MISSING = "missing"
    DENIED = "denied"
    OTHER = "other"

    def __init__(
        self, kind: str, size: int | None = None, reason: str = "", limit: int = 0
    ) -> None:
        super().__init__(kind)
        self.kind = kind
        self.size = size
        self.reason = reason
        self.limit = limit

    @property
    def amount(self) -> str:
        """How many bytes a ``TOO_BIG`` file has, as a message says it."""
        return f"{self.size:,}" if self.size is not None else f"more than {self.limit:,}"


def read_bounded(path: Path, limit: int) -> tuple[bytes, Stamp]:
    """The bytes and stamp of the regular file ``path``; :class:`Unreadable` if it is not one.

    Folders, FIFOs and devices are refused before anything is read (opening
    without blocking, so a FIFO cannot hang it), and at most ``limit + 1``
    bytes are ever read, so a file that grows (or a special file that never
    ends) cannot exhaust memory. One open, one ``fstat`` (the stamp, taken
    before the bytes are read: a write meanwhile makes it stale, never wrongly
    current) and two reads per file: a thousand sources are read in a few
    milliseconds.
    """
    try:
        fd = os.open(path, _OPEN_FLAGS)
        try:
            info = os.fstat(fd)
            if stat.S_ISDIR(info.st_mode):
                raise Unreadable(Unreadable.FOLDER)
            if not stat.S_ISREG(info.st_mode):
                raise Unreadable(Unreadable.SPECIAL)
            if info.st_size > limit:
                raise Unreadable(Unreadable.TOO_BIG, info.st_size, limit=limit)
            data = _read_all(fd, info.st_size, limit)
        finally:
            os.close(fd)
    except IsADirectoryError:  # where a folder cannot be opened at all
        raise Unreadable(Unreadable.FOLDER) from None
    except FileNotFoundError:
        raise Unreadable(Unreadable.MISSING) from None
    except PermissionError:
        raise Unreadable(Unreadable.DENIED) from None
    except (OSError, ValueError) as error:  # ValueError: a NUL in the path
        reason = getattr(error, "strerror", None) or str(error)
        raise Unreadable(Unreadable.OTHER, reason=reason) from None
    if len(data) > limit:
        raise Unreadable(Unreadable.TOO_BIG, limit=limit)
    return data, stamp_of(info)


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def _read_all(fd: int, size: int, limit: int) -> bytes:
    """Read ``fd`` to its end, or to ``limit + 1`` bytes; ``size`` is what stat said."""
    chunks = []
    total = 0
    want = size + 1  # one more than expected: a file that grew shows at once
    while total <= limit:
        chunk = os.read(fd, min(max(want - total, 1 << 16), limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _source_problem(problem: Unreadable, name: str) -> str:
    """What is wrong with source file ``name``, and what to do."""
    kind = problem.kind
    if kind == Unreadable.FOLDER:
        return f"'{name}' is a folder; name a text file in it"
    if kind == Unreadable.SPECIAL:
        return (
            f"'{name}' is not a regular file (a device, pipe or socket); copy the text"
            " into a file and name that"
        )
    if kind == Unreadable.TOO_BIG:
        limit = problem.limit
        return (
            f"source file '{name}' is {problem.amount} bytes; sources are limited to"
            f" {limit:,} bytes"
            f" ({limit // (1024 * 1024)} MiB): split it or cite an excerpt"
        )
    if kind == Unreadable.MISSING:
        return (
            f"source file '{name}' does not exist; check the path (it is relative to the"
            " folder of the events file)"
        )
    if kind == Unreadable.DENIED:
        return (
            f"source file '{name}' cannot be read: permission denied; make it readable"
            " (chmod a+r)"
        )
    return f"source file '{name}' cannot be read: {problem.reason}"


_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def wide_encoding(data: bytes) -> str | None:
    """``"UTF-16"`` or ``"UTF-32"`` when ``data`` starts with that encoding's BOM."""
    for bom, encoding in _WIDE_BOMS:
        if data.startswith(bom):
            return encoding
    return None


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 text with the BOM dropped and newlines unified; refuses binary."""
    wide = wide_encoding(data)
    if wide is not None:
        raise SourceFileError(
            f"'{name}' is {wide} text; sources must be UTF-8: save it as UTF-8, for example"
            f" with: iconv -f {wide} -t UTF-8"
        )
    offset = data.find(b"\x00")
    if offset != -1:
        line = data.count(line_end_of(data), 0, offset) + 1
        raise SourceFileError(
            f"'{name}' is a binary file (a NUL byte at byte {offset}, line {line});"
            " sources must be UTF-8 text: save the text of the document as a .txt file"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(line_end_of(data), 0, error.start) + 1
        raise SourceFileError(
            f"'{name}' is not UTF-8 (byte {error.start}, line {line}: {data[error.start]:#04x});"
            " convert it, for example with: iconv -f LATIN1 -t UTF-8"
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text
