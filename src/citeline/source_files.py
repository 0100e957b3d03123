"""Reading source texts safely: inside the events folder, text only, bounded.

A source path is written relative to the folder of ``events.yaml`` and must
stay inside it: no absolute paths, no ``..`` that climbs out, no symbolic
links. The text is UTF-8 (a leading BOM dropped) with ``\\r\\n`` and ``\\r``
read as ``\\n``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

#: The largest source text citeline reads, in bytes.
MAX_SOURCE_BYTES = 16 * 1024 * 1024


class SourceFileError(Exception):
    """A source file cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class SourceText:
    path: Path
    text: str
    line_starts: tuple[int, ...]


def resolve_source_path(root: Path, written: str) -> Path:
    """The file a ``file:`` entry names, checked to stay inside ``root``."""
    if not written.strip():
        raise SourceFileError("the file path is empty; give a path relative to the events file")
    if PurePosixPath(written).is_absolute() or PureWindowsPath(written).is_absolute():
        raise SourceFileError(
            f"'{written}' is an absolute path; give a path relative to the folder of the"
            " events file, and copy the source into it"
        )
    if ".." in PurePosixPath(written.replace("\\", "/")).parts:
        raise SourceFileError(
            f"'{written}' climbs out of the events folder through '..'; copy the source"
            " into the folder of the events file"
        )
    path = root / written
    real_root = Path(os.path.realpath(root))
    relative = Path(os.path.normpath(written))
    if Path(os.path.realpath(path)) != real_root / relative:
        raise SourceFileError(
            f"'{written}' goes through a symbolic link; copy the file itself into the"
            " events folder"
        )
    return path


def read_source(root: Path, written: str) -> SourceText:
    """Read and decode the source file named by ``written``."""
    path = resolve_source_path(root, written)
    try:
        if path.is_dir():
            raise SourceFileError(f"'{written}' is a folder; name a text file")
        size = path.stat().st_size
        if size > MAX_SOURCE_BYTES:
            raise SourceFileError(
                f"'{written}' is {size:,} bytes; sources are limited to"
                f" {MAX_SOURCE_BYTES:,} bytes: split it or cite an excerpt"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceFileError(
            f"source file '{written}' does not exist; check the path (it is relative to the"
            " folder of the events file)"
        ) from None
    except PermissionError:
        raise SourceFileError(
            f"source file '{written}' cannot be read: permission denied"
        ) from None
    except OSError as error:
        raise SourceFileError(f"source file '{written}' cannot be read: {error.strerror}") from None
    text = decode_text(data, written)
    return SourceText(path, text, line_starts_of(text))


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 text with the BOM dropped and newlines unified; refuses binary."""
    offset = data.find(b"\x00")
    if offset != -1:
        raise SourceFileError(
            f"'{name}' is a binary file (a NUL byte at byte {offset}); sources must be UTF-8 text"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise SourceFileError(
            f"'{name}' is not UTF-8 (byte {error.start}, line {line}: {data[error.start]:#04x});"
            " convert it, for example with: iconv -f LATIN1 -t UTF-8"
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def line_starts_of(text: str) -> tuple[int, ...]:
    """Offsets at which each line of ``text`` begins."""
    starts = [0]
    find = text.find
    position = find("\n")
    while position != -1:
        starts.append(position + 1)
        position = find("\n", position + 1)
    return tuple(starts)
