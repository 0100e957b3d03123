"""Folding: the quotes, dashes and spaces that stand for one another, one for one."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from citeline import folding
from citeline.folding import (
    DASHES,
    DOUBLE_QUOTES,
    QUOTES,
    SPACES,
    fold_characters,
    fold_punctuation,
)

FOLDED = QUOTES + DOUBLE_QUOTES + DASHES + SPACES
#: Text rich in what folds, and in what does not (letters, accents, CJK, an ellipsis).
TEXTS = st.text(alphabet=st.sampled_from([*FOLDED, *"aZ é€…中\x00"]), max_size=40) | st.text()


@given(TEXTS)
def test_one_character_for_one(text: str) -> None:
    assert len(fold_punctuation(text)) == len(text)
    assert len(fold_characters(text)) == len(text)


@given(TEXTS)
def test_folding_twice_changes_nothing_more(text: str) -> None:
    assert fold_punctuation(fold_punctuation(text)) == fold_punctuation(text)
    assert fold_characters(fold_characters(text)) == fold_characters(text)


@given(TEXTS)
def test_each_character_folds_to_its_plain_form_or_stays(text: str) -> None:
    for before, after in zip(text, fold_characters(text), strict=True):
        if before in QUOTES:
            assert after == "'"
        elif before in DOUBLE_QUOTES:
            assert after == '"'
        elif before in DASHES:
            assert after == "-"
        elif before in SPACES:
            assert after == " "
        else:
            assert after == before


@given(TEXTS)
def test_punctuation_leaves_spaces_and_the_rest_folds_them_too(text: str) -> None:
    punctuation = fold_punctuation(text)
    for before, after in zip(text, punctuation, strict=True):
        if before in SPACES:
            assert after == before
    assert fold_characters(punctuation) == fold_characters(text)


@given(st.text(alphabet=st.characters(max_codepoint=0x7F)))
def test_ascii_text_folds_as_any_other(text: str) -> None:
    """ASCII text is looked at only for the ASCII characters that fold: the same result."""
    assert fold_punctuation(text) == folding._fold(text, folding._PUNCTUATION_PAIRS)
    assert fold_characters(text) == folding._fold(text, folding._ALL_PAIRS)


def test_what_a_curator_types_and_what_a_source_prints_fold_alike() -> None:
    assert fold_punctuation("Xi’s “no limits” 2022–2023 — «oui»") == (
        "Xi's \"no limits\" 2022-2023 - \"oui\""
    )
    assert fold_characters("a\u00a0b\tc\u2009d") == "a b c d"
    assert fold_punctuation("a\u00a0b") == "a\u00a0b"
