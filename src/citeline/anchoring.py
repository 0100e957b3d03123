"""Anchoring: find the exact span of a source's text that a quote stands for.

Curators copy quotes by hand, so matching forgives what they cannot see:
runs of whitespace, curly versus straight quotes and apostrophes, dash
variants, and ``...`` versus ``…``. It stays case-sensitive, and every span
maps back to the original characters of the source.

The source is folded once into a *canonical* text. Quotes and dashes are
mapped one-to-one (``str.translate``), so only collapsed whitespace runs and
expanded ellipses move offsets; those few edits are kept as sorted
breakpoints, and a canonical offset maps back with one bisection.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_right
from dataclasses import dataclass

_QUOTES = "'‘’‚‛′`´"
_DQUOTES = '"“”„‟″«»'
_DASHES = "-‐‑‒–—―−"
_SPACES = (
    " \t\n\r\f\v\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000"
)

_FOLD = str.maketrans(
    {
        **{c: "'" for c in _QUOTES},
        **{c: '"' for c in _DQUOTES},
        **{c: "-" for c in _DASHES},
        **{c: " " for c in _SPACES},
    }
)
_EDITS = re.compile(r" {2,}|…")

#: A "closest text" is offered only when it is at least this similar.
NEAR_MISS_RATIO = 0.6
#: Texts longer than this are not searched for a closest match (bounded cost).
NEAR_MISS_MAX_TEXT = 2_000_000


def fold(text: str) -> str:
    """The canonical form of a quote: folded characters, single spaces, trimmed."""
    return _EDITS.sub(_edit_replacement, text.translate(_FOLD)).strip(" ")


def _edit_replacement(match: re.Match[str]) -> str:
    return " " if match.group()[0] == " " else "..."


@dataclass(frozen=True)
class Match:
    """A span ``[start, end)`` in the original source text."""

    start: int
    end: int


@dataclass(frozen=True)
class NotFound:
    """The quote is not in the source; ``closest`` is the likeliest intended span."""

    closest: Match | None


@dataclass(frozen=True)
class Ambiguous:
    """The quote (with its prefix and suffix) occurs more than once."""

    matches: tuple[Match, ...]


@dataclass(frozen=True)
class ContextMismatch:
    """The quote occurs, but never with the given prefix/suffix around it."""

    matches: tuple[Match, ...]


class CanonicalText:
    """A source text folded for matching, with the way back to original offsets."""

    __slots__ = ("_canon_points", "_deltas", "_original_points", "canonical", "original")

    def __init__(self, original: str) -> None:
        self.original = original
        folded = original.translate(_FOLD)
        parts: list[str] = []
        canon_points: list[int] = [0]  # canonical offsets where the delta changes
        deltas: list[int] = [0]  # original = canonical + delta, from that point on
        original_points: list[int] = [0]
        last = 0
        canon_len = 0
        for edit in _EDITS.finditer(folded):
            start, end = edit.span()
            parts.append(folded[last:start])
            canon_len += start - last
            if folded[start] == " ":
                parts.append(" ")
                canon_len += 1
                canon_points.append(canon_len)
                deltas.append(end - canon_len)
                original_points.append(end)
            else:  # "…" becomes "...": three canonical characters for one original
                parts.append("...")
                # the three canonical characters all map to the original "…"
                canon_points.append(canon_len)
                deltas.append(start - canon_len)
                original_points.append(start)
                canon_points.append(canon_len + 1)
                deltas.append(start - canon_len - 1)
                original_points.append(start)
                canon_points.append(canon_len + 2)
                deltas.append(start - canon_len - 2)
                original_points.append(start)
                canon_len += 3
                canon_points.append(canon_len)
                deltas.append(end - canon_len)
                original_points.append(end)
            last = end
        parts.append(folded[last:])
        self.canonical = "".join(parts)
        self._canon_points = canon_points
        self._deltas = deltas
        self._original_points = original_points

    def to_original(self, canon_offset: int) -> int:
        """Map a canonical character offset to the original text."""
        index = bisect_right(self._canon_points, canon_offset) - 1
        return canon_offset + self._deltas[index]

    def span(self, canon_start: int, canon_end: int) -> Match:
        """Map a canonical span back to the original characters it covers."""
        start = self.to_original(canon_start)
        end = self.to_original(canon_end - 1) + 1 if canon_end > canon_start else start
        return Match(start, end)

    def find_all(self, needle: str) -> list[int]:
        """Every canonical offset where ``needle`` starts (overlaps included)."""
        found: list[int] = []
        text = self.canonical
        position = text.find(needle)
        while position != -1:
            found.append(position)
            position = text.find(needle, position + 1)
        return found


def anchor(
    text: CanonicalText,
    quote: str,
    prefix: str | None = None,
    suffix: str | None = None,
) -> Match | NotFound | Ambiguous | ContextMismatch:
    """Resolve ``quote`` in ``text``; ``prefix``/``suffix`` pick one of several matches."""
    needle = fold(quote)
    if not needle:
        return NotFound(None)
    starts = text.find_all(needle)
    if not starts:
        return NotFound(closest_span(text, needle))
    if prefix or suffix:
        fitting = [
            s for s in starts if _context_fits(text.canonical, s, s + len(needle), prefix, suffix)
        ]
        if not fitting:
            return ContextMismatch(tuple(text.span(s, s + len(needle)) for s in starts))
        starts = fitting
    matches = tuple(text.span(s, s + len(needle)) for s in starts)
    if len(matches) > 1:
        return Ambiguous(matches)
    return matches[0]


def _context_fits(
    canonical: str, start: int, end: int, prefix: str | None, suffix: str | None
) -> bool:
    if prefix:
        before = fold(prefix)
        window = canonical[max(0, start - len(before) - 1) : start].rstrip(" ")
        if not window.endswith(before):
            return False
    if suffix:
        after = fold(suffix)
        window = canonical[end : end + len(after) + 1].lstrip(" ")
        if not window.startswith(after):
            return False
    return True


def closest_span(text: CanonicalText, needle: str) -> Match | None:
    """The span of ``text`` most like ``needle``, if it is close enough to be meant."""
    haystack = text.canonical
    if not haystack or len(haystack) > NEAR_MISS_MAX_TEXT:
        return None
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(needle)
    best: tuple[float, int, int] | None = None
    for anchor_start in _candidate_starts(haystack, needle):
        for start in (anchor_start - 2, anchor_start, anchor_start + 2):
            start = max(0, start)
            for length in (len(needle), len(needle) - 2, len(needle) + 2):
                window = haystack[start : start + max(1, length)]
                matcher.set_seq1(window)
                ratio = matcher.ratio()
                if best is None or ratio > best[0]:
                    best = (ratio, start, start + len(window))
    if best is None or best[0] < NEAR_MISS_RATIO:
        return None
    return text.span(best[1], best[2])


def _candidate_starts(haystack: str, needle: str, limit: int = 24) -> list[int]:
    """Where in ``haystack`` a window aligned with ``needle`` might begin.

    Each word of the needle that occurs in the haystack suggests the window
    that would put it where it stands in the needle.
    """
    candidates: dict[int, int] = {}
    for word in re.finditer(r"\w{4,}", needle):
        for hit in re.finditer(re.escape(word.group()), haystack):
            start = max(0, hit.start() - word.start())
            candidates[start] = candidates.get(start, 0) + 1
            if len(candidates) > 4096:
                break
    ranked = sorted(candidates, key=lambda s: -candidates[s])
    return ranked[:limit]
