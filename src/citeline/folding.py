"""Characters that stand for one another when text typed by hand is compared with a
source: curly and straight quotes and apostrophes, dash variants and hyphens, and
spaces of every width.

Each folds to one ASCII character, one for one, so offsets into folded text are
offsets into the original. The anchoring folds all three kinds (quotes are copied
by hand); search folds quotes and dashes (a query is split at spaces anyway).
"""

from __future__ import annotations

QUOTES = "'‘’‚‛′`´"
DOUBLE_QUOTES = '"“”„‟″«»'
DASHES = "-‐‑‒–—―−"
SPACES = (
    " \t\n\r\f\v\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000"
)

#: Each quote or dash that folds, and what it folds to.
_PUNCTUATION_PAIRS = tuple(
    (char, target)
    for chars, target in ((QUOTES, "'"), (DOUBLE_QUOTES, '"'), (DASHES, "-"))
    for char in chars
    if char != target
)
#: The same, with each space that folds to " ".
_ALL_PAIRS = _PUNCTUATION_PAIRS + tuple((char, " ") for char in SPACES if char != " ")
#: The pairs whose first character is ASCII: all that ASCII text needs looked for.
_ASCII_PUNCTUATION = tuple(pair for pair in _PUNCTUATION_PAIRS if pair[0].isascii())
_ASCII_ALL = tuple(pair for pair in _ALL_PAIRS if pair[0].isascii())


def _fold(text: str, pairs: tuple[tuple[str, str], ...]) -> str:
    for char, target in pairs:
        if char in text:
            text = text.replace(char, target)
    return text


def fold_punctuation(text: str) -> str:
    """``text`` with its quotes, apostrophes and dashes folded, one character for one."""
    return _fold(text, _ASCII_PUNCTUATION if text.isascii() else _PUNCTUATION_PAIRS)


def fold_characters(text: str) -> str:
    """``text`` with its quotes, apostrophes, dashes and spaces folded, one for one."""
    return _fold(text, _ASCII_ALL if text.isascii() else _ALL_PAIRS)
