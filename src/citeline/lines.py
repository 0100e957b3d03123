"""Where the lines of a text begin: for line and column numbers."""

from __future__ import annotations


def line_starts_of(text: str) -> tuple[int, ...]:
    """Offsets at which each line of ``text`` begins."""
    starts = [0]
    find = text.find
    position = find("\n")
    while position != -1:
        starts.append(position + 1)
        position = find("\n", position + 1)
    return tuple(starts)


def cr_as_newlines(text: str) -> str:
    """``text`` with each ``\\r`` made ``\\n`` if it has no ``\\n`` at all (the line ends of
    old Mac files, which editors show as lines), else ``text``: the same offsets either way."""
    if "\n" in text or "\r" not in text:
        return text
    return text.replace("\r", "\n")


def line_end_of(data: bytes) -> bytes:
    """What to count the lines of ``data`` by: ``\\n``, or ``\\r`` if it has no ``\\n`` at all
    (as :func:`cr_as_newlines` counts them)."""
    return b"\r" if b"\n" not in data and b"\r" in data else b"\n"
