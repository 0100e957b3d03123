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
