"""Tests for citeline.sanitize: nothing in the data acts on the terminal."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from citeline.sanitize import excerpt, one_line, visible


def test_controls_and_escapes_become_placeholders() -> None:
    assert visible("a\x1b[31mred\x07\x7f\x9b1m") == "a␛[31mred␇␡�1m"
    assert one_line("tab\there\nnext") == "tab here next"
    assert visible("tab\there\nnext") == "tab here\nnext"
    assert one_line("\u202eevil\u2066") == "�evil�"


def test_line_and_paragraph_separators_become_spaces() -> None:
    # A terminal draws them as nothing (tmux) or breaks the line itself: the row
    # would lose its spacing or its place.
    assert one_line("LS\u2028sep PS\u2029sep") == "LS sep PS sep"
    assert visible("LS\u2028sep\nPS\u2029sep") == "LS sep\nPS sep"
    assert excerpt("a\u2028\u2028b") == "a b"


@given(st.text())
def test_every_character_maps_to_one_and_none_acts(text: str) -> None:
    for shown in (visible(text), one_line(text)):
        assert len(shown) == len(text)  # offsets into the text stay valid
        assert not any(
            (ord(c) < 0x20 and c != "\n") or 0x7F <= ord(c) < 0xA0
            or 0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069
            or c in "\u2028\u2029"
            for c in shown
        )
    assert "\n" not in one_line(text)
