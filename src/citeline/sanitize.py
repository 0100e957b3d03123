"""Make untrusted text safe to put on a terminal.

Titles, quotes and source texts come from files people copy from the web.
Control characters and escape sequences in them would reach the terminal
as commands (colours, screen clears, window-title or clipboard writes), so
they are replaced by visible placeholders: C0 controls by their Unicode
"control pictures" (``ESC`` becomes ``␛``), ``DEL`` by ``␡``, C1 controls
and bidirectional overrides by ``�``. The Unicode line and paragraph
separators, which a terminal may draw as nothing or as a line break of its
own, become spaces.
"""

from __future__ import annotations

_BIDI_CONTROLS = (*range(0x202A, 0x202F), *range(0x2066, 0x206A))
#: The characters beyond C0 that a terminal obeys: DEL, the C1 controls and the
#: bidirectional overrides (what JSON output escapes, besides C0, for the same reason).
TERMINAL_CONTROLS = (0x7F, *range(0x80, 0xA0), *_BIDI_CONTROLS)

_VISIBLE = {c: chr(0x2400 + c) for c in range(0x20)}
_VISIBLE.update({c: "\ufffd" for c in TERMINAL_CONTROLS})
_VISIBLE[0x7F] = "␡"
_VISIBLE.update({0x2028: " ", 0x2029: " "})

#: For multi-line text: newlines stay, a tab becomes one space (offsets keep).
_MULTI_LINE = str.maketrans({**_VISIBLE, 0x0A: "\n", 0x09: " "})
#: For one-line text (titles, list rows): newlines and tabs become spaces.
_ONE_LINE = str.maketrans({**_VISIBLE, 0x0A: " ", 0x09: " "})


def visible(text: str) -> str:
    """``text`` with control characters shown as placeholders, newlines kept.

    Every character maps to exactly one, so offsets into ``text`` stay valid.
    """
    return text.translate(_MULTI_LINE)


def one_line(text: str) -> str:
    """``text`` on one line, control characters shown as placeholders."""
    return text.translate(_ONE_LINE)


def excerpt(text: str, limit: int = 70) -> str:
    """A short one-line excerpt of ``text`` for messages, cut with ``…``."""
    flat = " ".join(one_line(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
