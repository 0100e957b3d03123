"""Text measured and wrapped in terminal cells, not characters.

A character of the East Asian Wide or Fullwidth classes (Chinese, Japanese,
Korean, most emoji) takes two cells of a terminal; a combining mark, a joiner
or another zero-width character takes none; every other character one.
:func:`wrap` fills lines by that measure, as :func:`textwrap.wrap` does by
characters: breaking at spaces (not after hyphens), and a word wider than the
line (a run of Chinese without spaces, a long URL) anywhere between two
characters, never inside one, nor between a letter and the marks that combine
with it.

Pure Python (``unicodedata``), for the command line: the browser measures
with Rich.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

_ZERO_WIDTH_CATEGORIES = frozenset({"Mn", "Me", "Cf", "Cc"})
_ZWJ = "\u200d"
_SOFT_HYPHEN = "\u00ad"  # (a format character that terminals do show, one cell)
_SPACES = re.compile("( +)")


@lru_cache(maxsize=4096)
def char_width(char: str) -> int:
    """The cells the character ``char`` takes on a terminal: 0, 1 or 2."""
    code = ord(char)
    if 0x20 <= code < 0x7F:
        return 1
    if 0x1160 <= code <= 0x11FF or 0xD7B0 <= code <= 0xD7FF:
        return 0  # Hangul vowels and final consonants: part of the syllable before
    if char != _SOFT_HYPHEN and unicodedata.category(char) in _ZERO_WIDTH_CATEGORIES:
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def cell_width(text: str) -> int:
    """The cells ``text`` takes on a terminal."""
    if text.isascii() and text.isprintable():
        return len(text)
    return sum(map(char_width, text))


def clusters(text: str) -> Iterator[str]:
    """``text`` in the pieces a line may not be broken inside: a character with the
    zero-width characters after it (combining marks, variation selectors), and
    across a zero-width joiner the character it joins."""
    start = 0
    for index in range(1, len(text) + 1):
        if index < len(text) and (
            char_width(text[index]) == 0 or text[index - 1] == _ZWJ
        ):
            continue
        yield text[start:index]
        start = index


def wrap(text: str, width: int, indent: str = "") -> list[str]:
    """``text`` (one line) as lines at most ``width`` cells wide, each starting with
    ``indent``, which counts in the width.

    As :func:`textwrap.wrap` with its defaults, measured in cells and broken at
    spaces only (not after a hyphen): runs of spaces are kept inside a line
    and dropped where it breaks, spaces before the first word are kept, text
    of nothing but spaces gives no line. A word wider than the line is broken
    between characters, filling the line it starts on. A line is wider than
    ``width`` only when one character (with its marks) is wider than the room
    the indent leaves.
    """
    room = max(width - cell_width(indent), 1)
    chunks = [chunk for chunk in _SPACES.split(text) if chunk]
    chunks.reverse()  # (taken from the end, as textwrap does)
    lines: list[str] = []
    while chunks:
        line: list[str] = []
        used = 0
        if lines and chunks[-1][0] == " ":
            del chunks[-1]  # (the spaces a line breaks at)
        while chunks and used + (size := cell_width(chunks[-1])) <= room:
            line.append(chunks.pop())
            used += size
        if chunks and cell_width(chunks[-1]) > room:  # a word wider than the line
            head, tail = _split_to_fit(chunks[-1], room - used, first=not line)
            if head:
                line.append(head)
            if tail:
                chunks[-1] = tail
            else:
                chunks.pop()
        if line and line[-1][0] == " ":
            del line[-1]
        if line:
            lines.append(indent + "".join(line))
    return lines


def _split_to_fit(word: str, room: int, *, first: bool) -> tuple[str, str]:
    """``word`` cut after the characters that fit in ``room`` cells; at least one
    character when it starts the line (``first``), however wide."""
    used = 0
    cut = 0
    for cluster in clusters(word):
        size = cell_width(cluster)
        if used + size > room and not (first and cut == 0):
            break
        used += size
        cut += len(cluster)
    return word[:cut], word[cut:]
