"""Tests for citeline.cell_wrap: text measured and wrapped in terminal cells."""

from __future__ import annotations

import textwrap

from hypothesis import given
from hypothesis import strategies as st

from citeline.cell_wrap import cell_width, char_width, clusters, wrap

TREATY = "中华人民共和国与俄罗斯联邦签署了协议。"  # 19 characters, 38 cells


def test_cell_widths() -> None:
    assert cell_width("treaty") == 6
    assert cell_width(TREATY) == 38
    assert cell_width("ＡＢ") == 4  # fullwidth
    assert cell_width("e\u0301te\u0301") == 3  # combining acute accents take no cell
    assert cell_width("a\u200bb\u200d") == 2  # zero-width space and joiner
    assert cell_width("\u1112\u1161\u11ab") == 2  # a Hangul syllable spelt in jamo
    assert cell_width("\u00ad") == 1  # a soft hyphen is shown
    assert [char_width(c) for c in "a中\u0301"] == [1, 2, 0]


def test_clusters_keep_marks_and_joined_characters_together() -> None:
    assert list(clusters("e\u0301a")) == ["e\u0301", "a"]
    assert list(clusters("\U0001f468\u200d\U0001f469!")) == ["\U0001f468\u200d\U0001f469", "!"]
    assert list(clusters("")) == []


def test_chinese_without_spaces_is_broken_between_characters() -> None:
    text = TREATY * 5
    assert wrap(text, 78) == [text[:39], text[39:78], text[78:]]
    assert [cell_width(line) for line in wrap(text, 78)] == [78, 78, 34]


def test_a_wide_character_is_never_cut_in_half() -> None:
    assert wrap("a中文", 2) == ["a", "中", "文"]
    assert wrap("中文", 1) == ["中", "文"]  # wider than the line: one a line, whole


def test_mixed_text_breaks_at_spaces_and_inside_a_run_too_wide() -> None:
    text = "Xi 习近平 and Putin 普京 signed 中华人民共和国与俄罗斯联邦签署了协议 today"
    assert wrap(text, 20) == [
        "Xi 习近平 and Putin",
        "普京 signed 中华人民",
        "共和国与俄罗斯联邦签",
        "署了协议 today",
    ]


def test_combining_marks_stay_with_their_letter() -> None:
    assert wrap("e\u0301" * 7, 3) == ["e\u0301" * 3, "e\u0301" * 3, "e\u0301"]
    assert wrap("cafe\u0301 cafe\u0301", 5) == ["cafe\u0301", "cafe\u0301"]


def test_a_long_url_fills_its_lines() -> None:
    url = "https://example.org/a/very/long/path/that/keeps/going/and/going.html"
    assert wrap(f"See {url} now", 30) == [
        f"See {url[:26]}", url[26:56], f"{url[56:]} now",
    ]


def test_indent_counts_in_the_width() -> None:
    assert wrap(TREATY, 14, indent="    ") == [
        "    中华人民共", "    和国与俄罗", "    斯联邦签署", "    了协议。"
    ]


def test_spaces_as_textwrap_keeps_them() -> None:
    assert wrap("  lead  two  spaces ", 12) == ["  lead  two", "spaces"]
    assert wrap("   ", 10) == []
    assert wrap("", 10) == []


ALPHABET = st.sampled_from(["a", "b", "z", " ", " ", "中", "文", "e\u0301", "\u200b", "\U0001f600",
                            "\U0001f468\u200d\U0001f469", "-", "/"])


@given(st.lists(ALPHABET).map("".join), st.integers(1, 30), st.sampled_from(["", "  "]))
def test_no_line_too_wide_and_the_words_come_back_in_order(
    text: str, width: int, indent: str
) -> None:
    lines = wrap(text, width, indent)
    room = max(width - len(indent), 1)
    position = 0
    for number, line in enumerate(lines):
        assert line.startswith(indent)
        body = line[len(indent):]
        assert body and not body.endswith(" ")
        assert cell_width(body) <= room or len(list(clusters(body))) == 1
        assert number == 0 or not body.startswith(" ")
        while text[position] == " " and not text.startswith(body, position):
            position += 1  # (the spaces a line broke at)
        assert text.startswith(body, position)  # in order, nothing lost but spaces
        if position and text[position - 1] != " ":  # broken inside a word: between clusters
            assert char_width(text[position]) != 0 and text[position - 1] != "\u200d"
        position += len(body)
    assert text[position:].strip(" ") == ""
    for word in text.split():
        if cell_width(word) <= room:  # a word that fits a line is never broken
            assert any(word in line for line in lines)


@given(st.text(st.sampled_from("abc  xyz.,"), max_size=80), st.integers(1, 30))
def test_plain_ascii_wraps_as_textwrap_did(text: str, width: int) -> None:
    # (textwrap may leave a space at a line's end before a broken word: here none)
    assert wrap(text, width) == [
        line.rstrip(" ") for line in textwrap.wrap(text, width) if line.strip(" ")
    ]
