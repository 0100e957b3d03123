"""Anchoring: find the exact span of a source's text that a quote stands for.

Curators copy quotes by hand, so matching forgives what they cannot see:
runs of whitespace, curly versus straight quotes and apostrophes, dash
variants, and ``...`` versus ``…``. It stays case-sensitive, and every span
maps back to the original characters of the source.

The source is folded once into a *canonical* text. Quotes and dashes are
mapped one-to-one, so only collapsed whitespace runs and expanded ellipses
move offsets. Rather than one breakpoint per such edit (a pathological
source can hold millions), the text is cut into blocks of at most
``BLOCK_CHARS`` characters at places no whitespace run straddles (a longer
run is a block of its own); the canonical offset of each block is kept, and
a canonical offset maps back by one bisection and a walk over the edits of
its one block.

A match is whole characters of the source: it never starts or ends among
the dots one ``…`` stands for, nor inside a combining sequence (before a
combining mark, an emoji modifier or a tag character, or around a zero-width
joiner), nor between the two regional indicators of a flag; only its two ends
are looked at.

Every search is bounded: at most ``MAX_OCCURRENCES`` occurrences are
considered (and at most ``_CUT_CANDIDATES`` places that would cut a character
in two turned down one by one, before one regular expression takes over, over a
copy of the canonical text made in C: a quote turned down everywhere, ``.`` in
millions of ``…``, costs time in proportion to the source and two bytes a
character of memory), and the search for the closest text to a quote that is
not found looks at a bounded number of places.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from array import array
from bisect import bisect_right
from typing import NamedTuple

from citeline.folding import fold_characters

_SPACES_AT = re.compile(r" *")
_SPACE_RUNS = re.compile(r"  +")

#: Blocks of the source (in original characters) whose canonical offsets are kept.
BLOCK_CHARS = 2048
#: At most this many occurrences of a quote are located; more is "ambiguous".
MAX_OCCURRENCES = 1000
#: A "closest text" is offered only when it is at least this similar.
NEAR_MISS_RATIO = 0.6
#: Only this much of a long quote is compared when looking for the closest text.
NEAR_MISS_MAX_NEEDLE = 600
#: Places tried (and fully compared) when looking for the closest text.
_NEAR_MISS_CANDIDATES = 24
_NEAR_MISS_COMPARED = 8
#: Words of a quote used to find candidate places, and hits kept per word.
_NEAR_MISS_WORDS = 24
_NEAR_MISS_HITS_PER_WORD = 64
#: Characters a closest text is widened by, each way, to keep combining sequences whole.
_WIDEN_AT_MOST = 32


def _canon(folded: str, dots: str = "...") -> str:
    """Collapse space runs and expand ellipses in folded text (the edits of
    :func:`_edits_of`); each ``…`` becomes ``dots``.

    Two passes in C, whatever the text holds: a text of millions of ``…`` (or of
    space runs) costs no list of its edits, nor a Python step for each.
    """
    if "  " in folded:
        folded = _SPACE_RUNS.sub(" ", folded)
    if "…" in folded:
        folded = folded.replace("…", dots)
    return folded


def fold(text: str) -> str:
    """The canonical form of a quote: folded characters, single spaces, trimmed."""
    return _canon(fold_characters(text)).strip(" ")


class Match(NamedTuple):
    """A span ``[start, end)`` in the original source text."""

    start: int
    end: int


class NotFound(NamedTuple):
    """The quote is not in the source; ``closest`` is the likeliest intended span."""

    closest: Match | None


class Ambiguous(NamedTuple):
    """The quote (with its prefix and suffix) occurs more than once.

    ``more`` is true when it occurs more than ``MAX_OCCURRENCES`` times and
    ``matches`` holds only the first of them.
    """

    matches: tuple[Match, ...]
    more: bool = False


class ContextMismatch(NamedTuple):
    """The quote occurs, but never with the given prefix/suffix around it."""

    matches: tuple[Match, ...]


_BlockEdits = tuple[array, array, array, array]  # (of machine integers, "q")


class CanonicalText:
    """A source text folded for matching, with the way back to original offsets."""

    __slots__ = (
        "_block_canon", "_block_edits", "_block_original", "_flag_runs", "_marked", "canonical",
        "original",
    )

    def __init__(self, original: str) -> None:
        self.original = original
        folded = fold_characters(original)
        parts: list[str] = []
        block_original = array("q")
        block_canon = array("q")
        length = len(folded)
        start = 0
        canon_length = 0
        while start < length:
            end = min(start + BLOCK_CHARS, length)
            if end < length and folded[end - 1] == " " and folded[end] == " ":
                # Never cut a whitespace run: end the block before it, or, when the block
                # starts with it, make the whole run one block (however long it is).
                run_start = start + len(folded[start:end].rstrip(" "))
                run_end = _SPACES_AT.match(folded, end).end()  # type: ignore[union-attr]
                end = run_start if run_start > start else run_end
            part = _canon(folded[start:end])
            block_original.append(start)
            block_canon.append(canon_length)
            parts.append(part)
            canon_length += len(part)
            start = end
        self.canonical = "".join(parts)
        self._block_original = block_original
        self._block_canon = block_canon
        self._block_edits: dict[int, _BlockEdits] = {}
        self._marked: str | None = None
        self._flag_runs: array[int] | None = None

    def to_original(self, canon_offset: int) -> int:
        """Map a canonical character offset to the original text.

        A canonical character made by an edit (the one space of a collapsed
        run, each dot of an expanded ``…``) maps to the first original
        character of that edit; the end of the canonical text maps to the
        end of the original.
        """
        if canon_offset <= 0 or not self._block_canon:  # the start, or an empty text
            return 0
        index = bisect_right(self._block_canon, canon_offset) - 1
        block_start = self._block_original[index]
        block_end = (
            self._block_original[index + 1]
            if index + 1 < len(self._block_original)
            else len(self.original)
        )
        local = canon_offset - self._block_canon[index]
        if local == 0:  # a block begins where an edit or a plain character begins
            return block_start
        canon_starts, widths, original_starts, removed_after = self._edits(index, block_start,
                                                                          block_end)
        edit = bisect_right(canon_starts, local) - 1
        if edit < 0:
            return block_start + local
        if local < canon_starts[edit] + widths[edit]:
            return block_start + original_starts[edit]
        return min(block_start + local + removed_after[edit], len(self.original))

    def _edits(self, index: int, block_start: int, block_end: int) -> _BlockEdits:
        """The edits of one block (computed once, on first use): where each starts in
        canonical and original characters, its canonical width, and how many
        original characters more than canonical ones lie up to its end."""
        cached = self._block_edits.get(index)
        if cached is not None:
            return cached
        folded = fold_characters(self.original[block_start:block_end])
        canon_starts: list[int] = []
        widths: list[int] = []
        original_starts: list[int] = []
        removed_after: list[int] = []
        removed = 0
        for edit_start, edit_end, width in _edits_of(folded):
            canon_starts.append(edit_start - removed)
            widths.append(width)
            original_starts.append(edit_start)
            removed += (edit_end - edit_start) - width
            removed_after.append(removed)
        # kept as arrays of machine integers, not lists of int objects: a block of a
        # source made of ellipses is an edit per character, and a quote found at a
        # thousand places keeps the edits of two thousand blocks
        edits = (
            array("q", canon_starts), array("q", widths),
            array("q", original_starts), array("q", removed_after),
        )
        self._block_edits[index] = edits
        return edits

    def span(self, canon_start: int, canon_end: int) -> Match:
        """Map a canonical span back to the original characters it covers."""
        start = self.to_original(canon_start)
        end = self.to_original(canon_end - 1) + 1 if canon_end > canon_start else start
        return Match(start, end)

    def find_all(self, needle: str, limit: int | None = None) -> list[int]:
        """Canonical offsets where ``needle`` starts (overlaps included), but not
        where it would start or end inside the expansion of one character.

        At most ``limit + 1`` (default ``MAX_OCCURRENCES + 1``): enough to tell
        that there are more than ``limit``. A needle turned down at more than
        ``_CUT_CANDIDATES`` places (``.`` in a run of ``…``, ``e`` before
        accent after accent) is searched again by :meth:`_find_all_whole`, so
        even then no place is looked at one by one in Python.
        """
        if limit is None:
            limit = MAX_OCCURRENCES
        found: list[int] = []
        find = self.canonical.find
        cuts = self.cuts
        length = len(needle)
        turned_down = 0
        position = find(needle)
        while position != -1 and len(found) <= limit:
            if not cuts(position, position + length):
                found.append(position)
            else:
                turned_down += 1
                if turned_down > _CUT_CANDIDATES:
                    return self._find_all_whole(needle, limit)
            position = find(needle, position + 1)
        return found

    def _find_all_whole(self, needle: str, limit: int) -> list[int]:
        """What :meth:`find_all` finds, found by one regular expression over the
        canonical text with the three dots of each ``…`` marked apart, and the second
        regional indicator of each flag."""
        marked = self._marked
        if marked is None:
            marked = _canon(fold_characters(self.original), _MARKS)
            if _INDICATOR_RUNS.search(marked):
                marked = _FLAGS.sub(_mark_second_indicator, marked)
            self._marked = marked
        found: list[int] = []
        for match in _whole_pattern(needle).finditer(marked):
            found.append(match.start())
            if len(found) > limit:
                break
        return found

    def cuts(self, start: int, end: int) -> bool:
        """Whether the canonical span ``[start, end)`` would cut a character in two:
        start or end among the dots of one ``…``, split a combining sequence (a
        character that joins the one before it, see :func:`_joins`, or a zero-width
        joiner), or split a flag (see :meth:`in_flag`).

        Only the characters at the two ends are looked at (a canonical character
        there that is not a dot or a space is the original one).
        """
        return self._inside(start) or self._inside(end)

    def _inside(self, canon_offset: int) -> bool:
        """Whether ``canon_offset`` falls inside one character of the source, as
        :meth:`cuts` means it (the start and end of the text never do)."""
        canonical = self.canonical
        if not 0 < canon_offset < len(canonical):
            return False
        char = canonical[canon_offset]
        if canonical[canon_offset - 1] == _ZWJ:
            return True
        if char == ".":
            return self.splits(canon_offset)
        return char >= "\u0300" and (_joins(char) or self.in_flag(canon_offset))

    def splits(self, canon_offset: int) -> bool:
        """Whether ``canon_offset`` falls strictly inside the expansion of one
        original character (between two of the dots a ``…`` stands for).

        No match starts or ends there: ``.`` is not a third of ``…``. Only a
        place between two dots is looked up, so this costs nothing on prose.
        """
        canonical = self.canonical
        return (
            0 < canon_offset < len(canonical)
            and canonical[canon_offset] == "."
            and canonical[canon_offset - 1] == "."
            and self.to_original(canon_offset - 1) == self.to_original(canon_offset)
        )

    def in_flag(self, canon_offset: int) -> bool:
        """Whether ``canon_offset`` falls between the two regional indicators of one
        flag: after an odd number of them, in a run of them (``🇺🇦🇫🇷`` is two flags,
        and a quote may start at its third indicator but not at its second).

        Only a place between two indicators is looked up, by one bisection in where
        each run of them starts (found once, on first need), so this costs nothing
        on text without flags, and little on a run of millions of them.
        """
        canonical = self.canonical
        if not (
            0 < canon_offset < len(canonical)
            and _FIRST_INDICATOR <= canonical[canon_offset] <= _LAST_INDICATOR
            and _FIRST_INDICATOR <= canonical[canon_offset - 1] <= _LAST_INDICATOR
        ):
            return False
        runs = self._flag_runs
        if runs is None:
            runs = array("q", (run.start() for run in _INDICATOR_RUNS.finditer(canonical)))
            self._flag_runs = runs
        run_start = runs[bisect_right(runs, canon_offset - 1) - 1]
        return (canon_offset - run_start) % 2 == 1


_ZWJ = "\u200d"
#: Unicode categories of the marks that join the character before them.
_JOINING_CATEGORIES = frozenset(("Mn", "Me", "Mc"))
#: The five emoji modifiers (skin tones: ``👍🏽`` is ``👍`` and one of them).
_FIRST_MODIFIER, _LAST_MODIFIER = "\U0001f3fb", "\U0001f3ff"
#: Tag characters (the letters and the end of a subdivision flag after its ``🏴``).
_FIRST_TAG, _LAST_TAG = "\U000e0020", "\U000e007f"
#: The half-width katakana voiced and semi-voiced sound marks (``ﾊﾞ`` is ``ﾊ`` and one of
#: them): letters by category, yet each belongs with the kana before it.
_FIRST_HALFWIDTH_MARK, _LAST_HALFWIDTH_MARK = "\uff9e", "\uff9f"
#: Regional indicators, A to Z: two of them make one flag (``🇺🇦`` is ``🇺`` and ``🇦``).
_FIRST_INDICATOR, _LAST_INDICATOR = "\U0001f1e6", "\U0001f1ff"
_INDICATOR_RUNS = re.compile(f"[{_FIRST_INDICATOR}-{_LAST_INDICATOR}]{{2,}}")
#: Each flag of a run of indicators, in turn from its start.
_FLAGS = re.compile(f"[{_FIRST_INDICATOR}-{_LAST_INDICATOR}]{{2}}")


def _joins(char: str) -> bool:
    """Whether ``char`` belongs with the character before it: a combining mark
    (``Mn``, ``Me``, ``Mc``, variation selectors among them), an emoji modifier, a
    tag character, a half-width katakana sound mark or a zero-width joiner."""
    return (
        char == _ZWJ
        or _FIRST_MODIFIER <= char <= _LAST_MODIFIER
        or _FIRST_TAG <= char <= _LAST_TAG
        or _FIRST_HALFWIDTH_MARK <= char <= _LAST_HALFWIDTH_MARK
        or unicodedata.category(char) in _JOINING_CATEGORIES
    )


#: The three dots of one ``…`` in the marked text of :meth:`CanonicalText._find_all_whole`:
#: lone surrogates, which no text decoded from UTF-8 holds.
_MARKS = "\udc00\udc01\udc02"
#: The second regional indicator of a flag in the marked text, for each of A to Z:
#: lone surrogates too.
_SECOND_INDICATOR = {
    chr(ord(_FIRST_INDICATOR) + letter): chr(0xDC20 + letter) for letter in range(26)
}
#: Places a needle may be turned down at before it is searched by a regular expression.
_CUT_CANDIDATES = 64


def _mark_second_indicator(flag: re.Match[str]) -> str:
    """One flag of the marked text: its first indicator, and its second marked."""
    return flag[0][0] + _SECOND_INDICATOR[flag[0][1]]


@functools.cache
def _joining_class() -> str:
    """A regular expression class of the characters :func:`_joins`, and of the second
    indicators of flags as marked (built once, on first need: about a tenth of a
    second): no match ends before one."""
    ranges: list[list[int]] = []
    for code in range(0x300, 0x110000):
        if unicodedata.category(chr(code)) in _JOINING_CATEGORIES:
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    seconds = sorted(_SECOND_INDICATOR.values())
    ranges.extend(
        [ord(a), ord(b)]
        for a, b in (
            (_FIRST_MODIFIER, _LAST_MODIFIER), (_FIRST_TAG, _LAST_TAG),
            (_FIRST_HALFWIDTH_MARK, _LAST_HALFWIDTH_MARK), (seconds[0], seconds[-1]),
        )
    )
    return "[" + _ZWJ + "".join(f"{chr(a)}-{chr(b)}" for a, b in ranges) + "]"


def _whole_pattern(needle: str) -> re.Pattern[str]:
    """Where ``needle`` starts in the marked text without cutting a character in two:
    a dot at either end is no dot of a ``…`` but its first (start) or last (end),
    one inside is any dot; a regional indicator at the start is the first of a flag
    (or one alone), one further on either; and no combining sequence is split at
    the ends."""
    any_dot = "." + _MARKS
    last = len(needle) - 1
    parts: list[str] = []
    for index, char in enumerate(needle):
        if char == ".":
            dots = any_dot
            if index == 0:
                dots = dots.replace(_MARKS[1], "").replace(_MARKS[2], "")
            if index == last:
                dots = dots.replace(_MARKS[0], "").replace(_MARKS[1], "")
            parts.append(f"[{dots}]")
        elif index > 0 and char in _SECOND_INDICATOR:
            parts.append(f"[{char}{_SECOND_INDICATOR[char]}]")
        else:
            parts.append(re.escape(char))
    before = r"\A" if _joins(needle[0]) else f"(?<!{_ZWJ})"
    after = r"\Z" if needle[-1] == _ZWJ else f"(?!{_joining_class()})"
    return re.compile(f"{before}(?={''.join(parts)}{after})")


def _edits_of(folded: str) -> list[tuple[int, int, int]]:
    """The edits canonicalising ``folded`` makes, in order: ``(start, end, width)`` of
    each run of two spaces or more (one space wide) and each ``…`` (three dots wide).

    What ``re.finditer(" {2,}|…", folded)`` finds, found with ``str.find``: four
    times quicker on prose, where a regular expression looks at every character.
    """
    edits: list[tuple[int, int, int]] = []
    find = folded.find
    start = find("  ")
    while start != -1:
        end = _SPACES_AT.match(folded, start).end()  # type: ignore[union-attr]
        edits.append((start, end, 1))
        start = find("  ", end)
    if "…" in folded:
        start = find("…")
        while start != -1:
            edits.append((start, start + 1, 3))
            start = find("…", start + 1)
        edits.sort()
    return edits


def anchor(
    text: CanonicalText,
    quote: str,
    prefix: str | None = None,
    suffix: str | None = None,
    *,
    find_closest: bool = True,
) -> Match | NotFound | Ambiguous | ContextMismatch:
    """Resolve ``quote`` in ``text``; ``prefix``/``suffix`` pick one of several matches.

    When the quote is not found, the closest text is looked for unless
    ``find_closest`` is false.
    """
    needle = fold(quote)
    if not needle:
        return NotFound(None)
    starts = text.find_all(needle)
    if not starts:
        return NotFound(closest_span(text, needle) if find_closest else None)
    if len(starts) > MAX_OCCURRENCES:
        return Ambiguous(_spans(text, starts[:MAX_OCCURRENCES], len(needle)), more=True)
    before = fold(prefix) if prefix else ""
    after = fold(suffix) if suffix else ""
    if before or after:
        fitting = [s for s in starts if _context_fits(text, s, s + len(needle), before, after)]
        if not fitting:
            return ContextMismatch(_spans(text, starts, len(needle)))
        starts = fitting
    matches = _spans(text, starts, len(needle))
    if len(matches) > 1:
        return Ambiguous(matches)
    return matches[0]


def _spans(text: CanonicalText, starts: list[int], length: int) -> tuple[Match, ...]:
    return tuple(text.span(s, s + length) for s in starts)


def _context_fits(text: CanonicalText, start: int, end: int, before: str, after: str) -> bool:
    """Whether folded ``before``/``after`` stand right around ``[start, end)``.

    One space may stand between them and the quote (the canonical text has
    no longer runs). They are whole characters, as the quote is (see
    :meth:`CanonicalText.cuts`): the prefix ends where the quote starts (or at
    the space before it) and begins neither among the dots of one ``…`` nor
    inside a combining sequence; the suffix starts where the quote ends (or
    after the space) and ends on a whole character too. Nothing is copied, so
    a long prefix costs no more than comparing it.
    """
    canonical = text.canonical
    if before:
        if start > 0 and canonical[start - 1] == " ":
            start -= 1
        begin = start - len(before)
        if begin < 0 or not canonical.startswith(before, begin) or text.cuts(begin, start):
            return False
    if after:
        if end < len(canonical) and canonical[end] == " ":
            end += 1
        if not canonical.startswith(after, end) or text.cuts(end, end + len(after)):
            return False
    return True


def closest_span(text: CanonicalText, needle: str) -> Match | None:
    """The span of ``text`` most like ``needle``, if it is close enough to be meant.

    Bounded: only a few candidate places (where words of the needle occur)
    are compared, and only the first ``NEAR_MISS_MAX_NEEDLE`` characters of
    a long needle.
    """
    haystack = text.canonical
    if not haystack:
        return None
    head = needle[:NEAR_MISS_MAX_NEEDLE]
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(head)
    windows: list[tuple[float, int, int]] = []
    for anchor_start in _candidate_starts(haystack, needle):
        for start in (anchor_start - 2, anchor_start, anchor_start + 2):
            start = max(0, start)
            for length in (len(head), len(head) - 2, len(head) + 2):
                window = haystack[start : start + max(1, length)]
                matcher.set_seq1(window)
                windows.append((matcher.quick_ratio(), start, len(window)))
    windows.sort(key=lambda w: -w[0])
    best: tuple[float, int, int] | None = None
    for quick, start, length in windows[:_NEAR_MISS_COMPARED]:
        if best is not None and quick <= best[0]:
            break  # quick_ratio bounds ratio from above
        matcher.set_seq1(haystack[start : start + length])
        ratio = matcher.ratio()
        if best is None or ratio > best[0]:
            best = (ratio, start, length)
    if best is None or best[0] < NEAR_MISS_RATIO:
        return None
    _, start, length = best
    if len(needle) > len(head):  # the span a long needle would cover from there
        length = len(needle)
    end = min(start + length, len(haystack))
    if text.in_flag(start):  # the whole flag, as _whole keeps combining sequences whole
        start -= 1
    if text.in_flag(end):
        end += 1
    return _whole(text.original, text.span(start, end))


def _whole(original: str, span: Match) -> Match:
    """``span`` widened to whole combining sequences (at most a few characters each
    way), so the closest text shown is never a letter without its accent."""
    start, end = span
    for _ in range(_WIDEN_AT_MOST):
        if start > 0 and (_joins(original[start]) or original[start - 1] == _ZWJ):
            start -= 1
        else:
            break
    for _ in range(_WIDEN_AT_MOST):
        if end < len(original) and (_joins(original[end]) or original[end - 1] == _ZWJ):
            end += 1
        else:
            break
    return Match(start, end)


def _candidate_starts(haystack: str, needle: str) -> list[int]:
    """Where in ``haystack`` a window aligned with ``needle`` might begin.

    Each word of the needle that occurs in the haystack suggests the window
    that would put it where it stands in the needle; words that occur too
    often to say anything are passed over (unless every word does).
    """
    words: dict[str, int] = {}
    for word in re.finditer(r"\w{4,}", needle):
        words.setdefault(word.group(), word.start())
    chosen = sorted(words.items(), key=lambda item: -len(item[0]))[:_NEAR_MISS_WORDS]
    hits_of: list[tuple[int, list[int]]] = []
    find = haystack.find
    for word, offset in chosen:
        hits: list[int] = []
        position = find(word)
        while position != -1 and len(hits) <= _NEAR_MISS_HITS_PER_WORD:
            hits.append(position)
            position = find(word, position + 1)
        if hits:
            hits_of.append((offset, hits))
    telling = [(o, h) for o, h in hits_of if len(h) <= _NEAR_MISS_HITS_PER_WORD]
    if not telling and hits_of:  # every word is common: the first hits of one must do
        telling = [hits_of[0]]
    candidates: dict[int, int] = {}
    for offset, hits in telling:
        for hit in hits[:_NEAR_MISS_HITS_PER_WORD]:
            start = max(0, hit - offset)
            candidates[start] = candidates.get(start, 0) + 1
    ranked = sorted(candidates, key=lambda s: (-candidates[s], s))
    return ranked[:_NEAR_MISS_CANDIDATES]
