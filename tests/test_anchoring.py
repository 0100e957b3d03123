"""Tests for citeline.anchoring: folding, matching and mapping spans back."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from citeline import anchoring
from citeline.anchoring import (
    Ambiguous,
    CanonicalText,
    ContextMismatch,
    Match,
    NotFound,
    anchor,
    fold,
)
from citeline.folding import fold_characters


def find(
    source: str,
    quote: str,
    prefix: str | None = None,
    suffix: str | None = None,
    *,
    find_closest: bool = True,
):
    return anchor(CanonicalText(source), quote, prefix, suffix, find_closest=find_closest)


def spanned(source: str, result: object) -> str:
    assert isinstance(result, Match), result
    return source[result.start : result.end]


# ---------------------------------------------------------------------------
# What folding forgives, and what it does not


class TestFold:
    def test_whitespace_runs_become_one_space_and_ends_are_trimmed(self) -> None:
        assert fold("  a \t\n b\u00a0\u2003c  ") == "a b c"

    def test_quotes_and_apostrophes(self) -> None:
        assert fold("“it’s” ‘x’ «y» „z‟ `w´") == "\"it's\" 'x' \"y\" \"z\" 'w'"

    def test_dashes(self) -> None:
        assert fold("a‐b‑c‒d–e—f―g−h") == "a-b-c-d-e-f-g-h"

    def test_ellipsis_expands(self) -> None:
        assert fold("wait… what") == "wait... what"

    def test_case_is_kept(self) -> None:
        assert fold("Moscow") != fold("moscow")


class TestMatching:
    def test_exact(self) -> None:
        source = "Xi met Putin in Moscow."
        assert spanned(source, find(source, "Putin in Moscow")) == "Putin in Moscow"

    def test_whitespace_runs_in_source(self) -> None:
        source = "the  two\n   leaders\tmet"
        result = find(source, "two leaders met")
        assert spanned(source, result) == "two\n   leaders\tmet"

    def test_whitespace_runs_in_quote(self) -> None:
        source = "the two leaders met"
        assert spanned(source, find(source, "two \n\n  leaders")) == "two leaders"

    def test_curly_quotes_in_source_straight_in_quote(self) -> None:
        source = "He called it a “no limits” partnership, it’s said."
        result = find(source, "a \"no limits\" partnership, it's said")
        assert spanned(source, result) == "a “no limits” partnership, it’s said"

    def test_straight_quotes_in_source_curly_in_quote(self) -> None:
        source = "He said 'no' to \"that\"."
        result = find(source, "said ‘no’ to “that”")
        assert spanned(source, result) == "said 'no' to \"that\""

    def test_dash_variants(self) -> None:
        source = "the China–Russia relationship — strong"
        assert spanned(source, find(source, "China-Russia relationship - strong")) == (
            "China–Russia relationship — strong"
        )
        source = "the China-Russia relationship"
        assert spanned(source, find(source, "China—Russia")) == "China-Russia"

    def test_three_dots_in_quote_match_ellipsis_in_source(self) -> None:
        source = "and so… they met"
        assert spanned(source, find(source, "so... they")) == "so… they"

    def test_ellipsis_in_quote_matches_three_dots_in_source(self) -> None:
        source = "and so... they met"
        assert spanned(source, find(source, "so… they")) == "so... they"

    def test_quote_ending_in_an_ellipsis_covers_it(self) -> None:
        source = "first… second"
        assert spanned(source, find(source, "first...")) == "first…"

    def test_quote_starting_with_an_ellipsis_covers_it(self) -> None:
        source = "first …second"
        assert spanned(source, find(source, "...second")) == "…second"

    def test_span_after_expanded_ellipses_and_collapsed_runs(self) -> None:
        source = "a… b…   c\n\n\n d  target words here… end"
        result = find(source, "target words here...")
        assert spanned(source, result) == "target words here…"

    def test_a_dot_is_not_part_of_an_ellipsis(self) -> None:
        source = "He ran… away."
        for quote in ("ran.", ". away", "ran..", ".. away", "ran. away"):
            assert isinstance(find(source, quote), NotFound), quote
        assert spanned(source, find(source, "ran...")) == "ran…"
        assert spanned(source, find(source, "… away")) == "… away"

    def test_dots_next_to_an_ellipsis_match_whole_characters_only(self) -> None:
        source = "a.…b"
        assert isinstance(find(source, "a..."), NotFound)  # a full stop and two thirds of …
        assert spanned(source, find(source, "a.…")) == "a.…"
        assert spanned(source, find(source, "a....")) == "a.…"
        assert spanned(source, find(source, "….b")) == ".…b"  # four dots, either way round
        source = "so… . then"
        assert spanned(source, find(source, ". then")) == ". then"

    def test_a_lone_dot_is_found_at_the_full_stop_only(self) -> None:
        source = "He ran… away."
        assert find(source, ".") == Match(12, 13)

    def test_a_quote_does_not_cut_off_a_combining_accent(self) -> None:
        source = "Cafe\u0301 au lait"  # e and a combining acute: the source reads "Café"
        for quote in ("Cafe", "\u0301 au"):
            assert isinstance(find(source, quote), NotFound), quote
        assert spanned(source, find(source, "Cafe\u0301")) == "Cafe\u0301"
        assert spanned(source, find(source, "e\u0301 au")) == "e\u0301 au"
        assert spanned(source, find(source, "au lait")) == "au lait"
        source = "x \U0001f469\u200d\U0001f4bb y"  # a woman, a joiner, a laptop: one emoji
        assert isinstance(find(source, "x \U0001f469"), NotFound)
        assert spanned(source, find(source, "\U0001f469\u200d\U0001f4bb")) == source[2:5]

    @pytest.mark.parametrize(
        ("source", "quote"),
        [
            ("1\u20dd and 2", "1"),  # an enclosing mark (Me)
            ("\u0915\u093f\u0924\u093e\u092c", "\u0915"),  # a spacing mark (Mc): कि
            ("a \u2603\ufe0f b", "a \u2603"),  # a variation selector
            ("x \U0001f469\u200d\U0001f4bb y", "x \U0001f469"),  # before a zero-width joiner
            ("x \U0001f469\u200d\U0001f4bb y", "x \U0001f469\u200d"),  # ending with one
            ("x \U0001f469\u200d\U0001f4bb y", "\U0001f4bb y"),  # after one
            ("\uff8a\uff9e x", "\uff8a"),  # a half-width kana without its voicing mark: ﾊﾞ
            ("\uff8a\uff9f x", "\uff9f x"),  # starting on a semi-voiced mark: ﾊﾟ
        ],
    )
    def test_a_quote_does_not_split_a_joined_sequence(self, source: str, quote: str) -> None:
        assert isinstance(find(source, quote), NotFound)

    EMOJI = "Flag \U0001f1fa\U0001f1e6 and keycap 1\ufe0f\u20e3 and skin \U0001f44d\U0001f3fd done."

    @pytest.mark.parametrize(
        "quote",
        [
            "\U0001f1fa",  # half of the flag 🇺🇦: its first regional indicator
            "Flag \U0001f1fa",
            "\U0001f1e6",  # its second
            "\U0001f1e6 and",
            "\U0001f44d",  # a thumb without its skin tone (an emoji modifier)
            "skin \U0001f44d",
            "\U0001f3fd done",  # the skin tone without its thumb
            "\U0001f3fd",
            "1",  # a keycap: 1, a variation selector, an enclosing mark
            "keycap 1",
            "1\ufe0f",
            "\ufe0f\u20e3",
            "\u20e3 and",
        ],
    )
    def test_a_quote_does_not_split_an_emoji(self, quote: str) -> None:
        assert isinstance(find(self.EMOJI, quote, find_closest=False), NotFound)

    @pytest.mark.parametrize(
        "quote",
        [
            "\U0001f1fa\U0001f1e6",
            "Flag \U0001f1fa\U0001f1e6 and",
            "1\ufe0f\u20e3",
            "keycap 1\ufe0f\u20e3 and",
            "\U0001f44d\U0001f3fd",
            "skin \U0001f44d\U0001f3fd done",
        ],
    )
    def test_a_whole_emoji_is_found(self, quote: str) -> None:
        assert spanned(self.EMOJI, find(self.EMOJI, quote)) == quote

    def test_flags_pair_their_regional_indicators_from_the_start_of_a_run(self) -> None:
        ua, fr = "\U0001f1fa\U0001f1e6", "\U0001f1eb\U0001f1f7"
        source = f"x {ua}{fr}{ua[0]} y"  # two flags and a lone indicator
        assert spanned(source, find(source, ua)) == ua
        assert spanned(source, find(source, fr)) == fr
        assert spanned(source, find(source, f"{fr}{ua[0]} y")) == f"{fr}{ua[0]} y"
        for quote in (ua[1] + fr[0], fr[1] + ua[0], fr[1], f"{ua}{fr[0]}"):
            assert isinstance(find(source, quote, find_closest=False), NotFound), quote
        assert find(source, ua[0]) == Match(6, 7)  # the lone one, not the flag's

    def test_a_quote_does_not_split_a_tag_sequence(self) -> None:
        england = "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"
        source = f"the flag {england} flies"
        assert isinstance(find(source, "flag \U0001f3f4", find_closest=False), NotFound)
        assert isinstance(find(source, "\U000e007f flies", find_closest=False), NotFound)
        assert spanned(source, find(source, f"flag {england}")) == f"flag {england}"

    def test_an_emoji_turned_down_at_many_places_is_still_found(self) -> None:
        ua, thumb = "\U0001f1fa\U0001f1e6", "\U0001f44d\U0001f3fd"
        source = ua * 100 + " " + thumb * 100 + f" {ua[1]} {thumb[0]}"
        text = CanonicalText(source)
        assert anchor(text, ua[1]) == Match(len(source) - 3, len(source) - 2)
        assert text._marked is not None  # searched by the regular expression
        assert anchor(text, thumb[0]) == Match(len(source) - 1, len(source))
        result = anchor(text, ua)
        assert isinstance(result, Ambiguous) and len(result.matches) == 100

    def test_case_sensitive(self) -> None:
        source = "Moscow and Beijing"
        assert isinstance(find(source, "moscow and beijing"), NotFound)

    def test_empty_quote_is_not_found(self) -> None:
        assert find("some text", "  \n ") == NotFound(None)


class TestSpanMapping:
    def test_to_original_around_a_collapsed_run(self) -> None:
        text = CanonicalText("ab   cd")
        assert text.canonical == "ab cd"
        assert [text.to_original(i) for i in range(6)] == [0, 1, 2, 5, 6, 7]

    def test_to_original_around_an_expanded_ellipsis(self) -> None:
        text = CanonicalText("a…b")
        assert text.canonical == "a...b"
        # the three dots all stand for the one original character
        assert [text.to_original(i) for i in range(6)] == [0, 1, 1, 1, 2, 3]

    def test_span_across_block_boundaries(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(anchoring, "BLOCK_CHARS", 4)
        source = "aa  …  bb   cc…dd    ee"
        text = CanonicalText(source)
        assert text.canonical == "aa ... bb cc...dd ee"
        result = anchor(text, "... bb cc...dd")
        assert spanned(source, result) == "…  bb   cc…dd"

    def test_block_boundary_inside_a_whitespace_run(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(anchoring, "BLOCK_CHARS", 3)
        source = "ab" + " " * 10 + "cd"
        text = CanonicalText(source)
        assert text.canonical == "ab cd"
        assert spanned(source, anchor(text, "b c")) == "b" + " " * 10 + "c"


    def test_a_long_run_is_a_block_of_its_own(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(anchoring, "BLOCK_CHARS", 4)
        source = "ab cd" + " " * 50 + "ef gh"
        text = CanonicalText(source)
        assert text.canonical == "ab cd ef gh"
        assert list(text._block_original) == [0, 4, 5, 55, 59]  # the run is 5 to 55
        assert spanned(source, anchor(text, "d ef")) == "d" + " " * 50 + "ef"
        assert [text.to_original(i) for i in range(12)] == [
            0, 1, 2, 3, 4, 5, 55, 56, 57, 58, 59, 60
        ]


class TestDisambiguation:
    SOURCE = "Putin said yes. Later Xi said yes. Then Putin said no."

    def test_two_occurrences_are_ambiguous(self) -> None:
        result = find(self.SOURCE, "said yes")
        assert isinstance(result, Ambiguous)
        assert [m.start for m in result.matches] == [6, 25]
        assert not result.more

    def test_prefix_picks_one(self) -> None:
        result = find(self.SOURCE, "said yes", prefix="Xi")
        assert spanned(self.SOURCE, result) == "said yes"
        assert isinstance(result, Match) and result.start == 25

    def test_suffix_picks_one(self) -> None:
        source = "yes, said he. yes! said she."
        result = find(source, "yes", suffix="! said")
        assert isinstance(result, Match) and result.start == 14

    def test_prefix_and_suffix_are_folded_too(self) -> None:
        source = "“one” — two. “one” — three."
        result = find(source, "two", prefix='"one" -')
        assert isinstance(result, Match) and spanned(source, result) == "two"

    def test_context_that_fits_no_occurrence(self) -> None:
        result = find(self.SOURCE, "said yes", prefix="Biden")
        assert isinstance(result, ContextMismatch)
        assert [m.start for m in result.matches] == [6, 25]

    def test_context_for_a_unique_quote_must_still_fit(self) -> None:
        result = find(self.SOURCE, "said no", suffix="maybe")
        assert isinstance(result, ContextMismatch)

    def test_a_prefix_or_suffix_is_not_part_of_an_ellipsis(self) -> None:
        source = "He ran… away. She ran. away"
        result = find(source, "away", prefix=".")  # the first '.' would be a third of '…'
        assert isinstance(result, Match) and result.start == source.rindex("away")
        result = find(source, "away", prefix="…")
        assert isinstance(result, Match) and result.start == source.index("away")
        for prefix in (".", "..", "n..", ". ", "n. ..."):
            assert isinstance(find("so… yes", "yes", prefix=prefix), ContextMismatch), prefix
        for prefix in ("...", "so…", "o...", "…"):
            assert spanned("so… yes", find("so… yes", "yes", prefix=prefix)) == "yes", prefix
        for suffix in (".", "..", ". .", "....", "…."):
            assert isinstance(find("yes… no", "yes", suffix=suffix), ContextMismatch), suffix
        for suffix in ("...", "… no", "... n"):
            assert spanned("yes… no", find("yes… no", "yes", suffix=suffix)) == "yes", suffix

    @pytest.mark.parametrize(
        ("source", "prefix", "suffix", "whole"),
        [
            # begins on a combining accent
            ("Cafe\u0301 yes", "\u0301", None, "Cafe\u0301"),
            # begins after a joiner
            ("\U0001f469\u200d\U0001f4bb yes", "\U0001f4bb", None, "\U0001f469\u200d\U0001f4bb"),
            # ends with a joiner
            ("a\u200d yes", "a\u200d", None, None),
            # ends before a combining accent
            ("yes Cafe\u0301", None, "Cafe", "Cafe\u0301"),
            # ends before a joiner, or with one
            ("yes \U0001f469\u200d\U0001f4bb", None, "\U0001f469", "\U0001f469\u200d\U0001f4bb"),
            ("yes \U0001f469\u200d\U0001f4bb", None, "\U0001f469\u200d", None),
            # begins on a combining accent (one that joins the space)
            ("yes \u0301x", None, "\u0301x", None),
            # ends before an enclosing mark
            ("yes 1\u20dd", None, "1", "1\u20dd"),
            # begins on an emoji modifier, or on the second half of a flag
            ("\U0001f44d\U0001f3fd yes", "\U0001f3fd", None, "\U0001f44d\U0001f3fd"),
            ("\U0001f1fa\U0001f1e6 yes", "\U0001f1e6", None, "\U0001f1fa\U0001f1e6"),
            # ends before an emoji modifier, or between the halves of a flag
            ("yes \U0001f44d\U0001f3fd", None, "\U0001f44d", "\U0001f44d\U0001f3fd"),
            ("yes \U0001f1fa\U0001f1e6", None, "\U0001f1fa", "\U0001f1fa\U0001f1e6"),
        ],
    )
    def test_a_prefix_or_suffix_does_not_split_a_joined_sequence(
        self, source: str, prefix: str | None, suffix: str | None, whole: str | None
    ) -> None:
        assert isinstance(find(source, "yes", prefix, suffix), ContextMismatch)
        if whole is not None:  # the whole sequence fits
            context = (whole, None) if prefix is not None else (None, whole)
            assert spanned(source, find(source, "yes", *context)) == "yes"

    def test_second_match_differing_only_in_quote_or_dash_style_is_ambiguous(self) -> None:
        source = "the “no limits” pact; later the \"no limits\" pact — again the ‘no limits’ pact"
        result = find(source, '"no limits" pact')
        assert isinstance(result, Ambiguous)
        assert len(result.matches) == 2
        source = "China–Russia ties and China-Russia ties"
        result = find(source, "China—Russia ties")
        assert isinstance(result, Ambiguous) and len(result.matches) == 2

    def test_the_dots_of_one_ellipsis_are_not_several_places(self) -> None:
        source = "He ran… away. Far… away."
        result = find(source, ".")
        assert isinstance(result, Ambiguous)
        assert [m.start for m in result.matches] == [12, 23]
        assert isinstance(find(source, ".."), NotFound)
        result = find(source, "...")
        assert isinstance(result, Ambiguous)
        assert result.matches == (Match(6, 7), Match(17, 18))

    def test_a_quote_turned_down_at_many_places_is_still_found(self) -> None:
        source = "…" * 200 + " THE END." + " e\u0301" * 200 + " e"
        text = CanonicalText(source)
        stop = source.index(".")
        assert anchor(text, ".") == Match(stop, stop + 1)
        assert text._marked is not None  # searched by the regular expression
        assert anchor(text, "e") == Match(len(source) - 1, len(source))
        result = anchor(text, "…")
        assert isinstance(result, Ambiguous) and len(result.matches) == 200

    def test_a_quote_turned_down_everywhere_lists_no_edits_beyond_a_block(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # `.` is a third of every `…` of this source: the regular expression searches a
        # marked copy of it, made without a list of every one of its edits.
        lengths: list[int] = []
        edits_of = anchoring._edits_of
        monkeypatch.setattr(
            anchoring, "_edits_of", lambda folded: lengths.append(len(folded)) or edits_of(folded)
        )
        text = CanonicalText("…" * (3 * anchoring.BLOCK_CHARS))
        assert anchor(text, ".") == NotFound(None)
        assert text._marked is not None  # searched by the regular expression
        assert lengths and max(lengths) <= anchoring.BLOCK_CHARS

    def test_overlapping_occurrences_count(self) -> None:
        result = find("aaa", "aa")
        assert isinstance(result, Ambiguous)
        assert result.matches == (Match(0, 2), Match(1, 3))

    def test_too_many_occurrences_are_capped(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(anchoring, "MAX_OCCURRENCES", 5)
        result = find("ab " * 20, "ab")
        assert isinstance(result, Ambiguous)
        assert result.more
        assert len(result.matches) == 5


class TestNotFound:
    SOURCE = (
        "The two leaders declared that the friendship between the two states has no limits,\n"
        "and that there are no forbidden areas of cooperation.\n"
    )

    def test_closest_span_for_a_near_miss(self) -> None:
        result = find(self.SOURCE, "there are no forbiden areas of co-operation")
        assert isinstance(result, NotFound)
        assert result.closest is not None
        near = self.SOURCE[result.closest.start : result.closest.end]
        assert "forbidden areas of cooperation" in near
        assert near.startswith("there are no")

    def test_closest_text_keeps_its_accents(self) -> None:
        source = "The Cafe\u0301 opened on the square."
        result = find(source, "The Cafe opened")
        assert isinstance(result, NotFound) and result.closest is not None
        assert source[result.closest.start : result.closest.end].startswith("The Cafe\u0301")
        assert anchoring._whole(source, Match(4, 8)) == Match(4, 9)
        assert anchoring._whole(source, Match(8, 12)) == Match(7, 12)

    def test_closest_text_keeps_its_emoji_whole(self) -> None:
        source = "Flag \U0001f1fa\U0001f1e6 and the council voted today."
        result = find(source, "\U0001f1e6 and the counsil voted")
        assert isinstance(result, NotFound) and result.closest is not None
        assert source[result.closest.start :].startswith("\U0001f1fa\U0001f1e6 and the council")
        source = "a \U0001f44d\U0001f3fd b"
        assert anchoring._whole(source, Match(0, 3)) == Match(0, 4)
        assert anchoring._whole(source, Match(3, 6)) == Match(2, 6)

    def test_nothing_close(self) -> None:
        result = find(self.SOURCE, "Completely unrelated sentence about volcanoes erupting")
        assert result == NotFound(None)

    def test_closest_can_be_skipped(self) -> None:
        result = anchor(
            CanonicalText(self.SOURCE), "no forbiden areas", find_closest=False
        )
        assert result == NotFound(None)

    def test_closest_of_a_long_quote_is_bounded_and_found(self) -> None:
        paragraph = " ".join(f"word{i} alpha{i % 7} beta{i % 11}" for i in range(400))
        quote = paragraph.replace("word300", "wrod300")
        result = find(paragraph, quote)
        assert isinstance(result, NotFound) and result.closest is not None
        assert result.closest.start == 0


# ---------------------------------------------------------------------------
# Properties

_ALPHABET = "ab c.\n\t\u00a0…'’\"“-–—x"
_texts = st.text(alphabet=_ALPHABET, min_size=1, max_size=80)


def _draw_slice(text: str, data: st.DataObject) -> tuple[int, int, str]:
    """A slice of ``text`` that starts and ends on a character that is not whitespace."""
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    quote = text[start:end]
    assume(not quote[0].isspace() and not quote[-1].isspace())
    return start, end, quote


@settings(max_examples=200, deadline=None)
@given(text=_texts, data=st.data())
def test_a_unique_slice_anchors_back_to_itself(text: str, data: st.DataObject) -> None:
    """For a slice of the source that starts and ends on a character that is not
    whitespace, and whose folded form occurs exactly once in the folded source,
    ``anchor`` returns a Match whose ``[start, end)`` is exactly that slice."""
    start, end, quote = _draw_slice(text, data)
    canonical = CanonicalText(text)
    needle = fold(quote)
    assume(len(canonical.find_all(needle)) == 1)
    assert anchor(canonical, quote) == Match(start, end)


#: With the two halves of a flag and an emoji modifier.
_EMOJI = "\U0001f1fa\U0001f1e6\U0001f3fd"
_WHOLE = ".…ab e'\u0301\u20dd\u200d" + _EMOJI


@settings(max_examples=500, deadline=None)
@given(
    text=st.text(alphabet=_WHOLE, max_size=40),
    quote=st.text(alphabet=_WHOLE, min_size=1, max_size=6),
    data=st.data(),
)
def test_the_regular_expression_finds_what_the_loop_finds(
    text: str, quote: str, data: st.DataObject
) -> None:
    if data.draw(st.booleans()):  # a slice of the text, to be found
        start = data.draw(st.integers(0, max(0, len(text) - 1)))
        quote = text[start : data.draw(st.integers(start, len(text)))] or quote
    needle = fold(quote)
    assume(needle)
    canonical = CanonicalText(text)
    saved = anchoring._CUT_CANDIDATES
    anchoring._CUT_CANDIDATES = 10**9
    try:
        by_loop = canonical.find_all(needle)
    finally:
        anchoring._CUT_CANDIDATES = saved
    assert canonical._find_all_whole(needle, anchoring.MAX_OCCURRENCES) == by_loop
    assert canonical._marked is not None
    unmark = dict.fromkeys(map(ord, anchoring._MARKS), ".")
    seconds = anchoring._SECOND_INDICATOR  # the second indicator of each flag, marked
    unmark.update({ord(second): indicator for indicator, second in seconds.items()})
    assert canonical._marked.translate(unmark) == canonical.canonical


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="ae\u0301\u20dd\u093f\ufe0f\u200d .…\U000e0067" + _EMOJI,
                   min_size=1, max_size=30),
       data=st.data())
def test_a_slice_is_found_unless_it_cuts_a_combining_sequence(
    text: str, data: st.DataObject
) -> None:
    start, end, quote = _draw_slice(text, data)
    canonical = CanonicalText(text)
    needle = fold(quote)
    spans = [canonical.span(s, s + len(needle)) for s in canonical.find_all(needle)]
    assert (Match(start, end) in spans) == (not _cuts_a_sequence(text, start, end))


def _canonical_in_blocks(text: str, block: int) -> CanonicalText:
    """``text`` made canonical with blocks of ``block`` characters."""
    saved = anchoring.BLOCK_CHARS
    anchoring.BLOCK_CHARS = block
    try:
        return CanonicalText(text)
    finally:
        anchoring.BLOCK_CHARS = saved


@settings(max_examples=200, deadline=None)
@given(text=_texts, block=st.integers(1, 9), data=st.data())
def test_unique_slices_anchor_back_whatever_the_block_size(
    text: str, block: int, data: st.DataObject
) -> None:
    start, end, quote = _draw_slice(text, data)
    canonical = _canonical_in_blocks(text, block)
    assert canonical.canonical == CanonicalText(text).canonical
    assume(len(canonical.find_all(fold(quote))) == 1)
    assert anchor(canonical, quote) == Match(start, end)


_DOTS = ".…ab '’\u0301\u200d" + _EMOJI


def _cuts_a_sequence(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` starts or ends inside a combining sequence (before
    a combining mark, an emoji modifier or a tag character, or after a zero-width
    joiner) or inside a flag (after an odd number of regional indicators, in a run of
    them)."""

    def joins(char: str) -> bool:
        return (
            char == "\u200d"
            or 0x1F3FB <= ord(char) <= 0x1F3FF
            or 0xE0020 <= ord(char) <= 0xE007F
            or unicodedata.category(char) in ("Mn", "Me", "Mc")
        )

    def indicator(char: str) -> bool:
        return 0x1F1E6 <= ord(char) <= 0x1F1FF

    def inside(at: int) -> bool:
        if not 0 < at < len(text):
            return False
        run = 0  # regional indicators right before ``at``
        while run < at and indicator(text[at - 1 - run]):
            run += 1
        return joins(text[at]) or text[at - 1] == "\u200d" or (indicator(text[at]) and run % 2)

    return inside(start) or inside(end)


@settings(max_examples=500, deadline=None)
@given(
    text=st.text(alphabet=_DOTS, max_size=40),
    quote=st.text(alphabet=_DOTS, min_size=1, max_size=6),
    block=st.integers(1, 9),
)
def test_a_found_span_folds_to_the_quote_and_is_found_once(
    text: str, quote: str, block: int
) -> None:
    """Whatever is found is whole characters of the source that fold to the quote:
    never part of the dots one ``…`` stands for, never a letter without its combining
    mark, and never one place twice."""
    needle = fold(quote)
    assume(needle)
    canonical = _canonical_in_blocks(text, block)
    spans = [canonical.span(s, s + len(needle)) for s in canonical.find_all(needle)]
    for span in spans:
        assert fold(text[span.start : span.end]) == needle
        assert not _cuts_a_sequence(text, span.start, span.end)
    assert [span.start for span in spans] == sorted({span.start for span in spans})


def _context_fits_by_brute_force(
    text: str, span: Match, prefix: str | None, suffix: str | None
) -> bool:
    """Whether whole characters of ``text`` folding to ``prefix`` end where ``span``
    starts, and whole characters folding to ``suffix`` start where it ends (a run of
    whitespace may stand between), tried at every place of the original text."""

    def whole_and_folds_to(start: int, end: int, context: str) -> bool:
        folded = fold_characters(text[start:end])
        return (
            folded == folded.strip(" ")
            and fold(folded) == context
            and not _cuts_a_sequence(text, start, end)
        )

    def blank(start: int, end: int) -> bool:
        return not fold_characters(text[start:end]).strip(" ")

    before = fold(prefix) if prefix else ""
    after = fold(suffix) if suffix else ""
    return (
        not before
        or any(
            whole_and_folds_to(begin, end, before)
            for end in range(span.start, -1, -1)
            if blank(end, span.start)
            for begin in range(end)
        )
    ) and (
        not after
        or any(
            whole_and_folds_to(start, end, after)
            for start in range(span.end, len(text) + 1)
            if blank(span.end, start)
            for end in range(start + 1, len(text) + 1)
        )
    )


#: Letters and dots more often than the rest, so that quotes recur and contexts fit.
_CONTEXT = st.sampled_from("aaaabb...……  '’\u0301\u200d\n" + _EMOJI)


@settings(max_examples=500, deadline=None)
@given(text=st.text(alphabet=_CONTEXT, max_size=30), data=st.data())
def test_a_prefix_and_a_suffix_are_whole_characters(text: str, data: st.DataObject) -> None:
    """The places a prefix and a suffix pick are those where whole characters of the
    source fold to them, right before and after the quote: never part of the dots one
    ``…`` stands for, never a combining sequence cut in two."""
    contexts = st.none() | st.text(alphabet=_CONTEXT, min_size=1, max_size=2)
    if text and data.draw(st.integers(0, 3)):  # mostly a quote cut from the text
        start = data.draw(st.integers(0, len(text) - 1))
        end = data.draw(st.integers(start + 1, len(text)))
        quote = text[start:end]
        before = text[data.draw(st.integers(0, start)) : start] or None
        after = text[end : data.draw(st.integers(end, len(text)))] or None
        prefix = data.draw(st.just(before) | contexts)  # what stands there, or not
        suffix = data.draw(st.just(after) | contexts)
    else:
        quote = data.draw(st.text(alphabet=_CONTEXT, min_size=1, max_size=3))
        prefix, suffix = data.draw(contexts), data.draw(contexts)
    needle = fold(quote)
    assume(needle and (prefix or suffix))
    canonical = CanonicalText(text)
    spans = tuple(canonical.span(s, s + len(needle)) for s in canonical.find_all(needle))
    fitting = tuple(s for s in spans if _context_fits_by_brute_force(text, s, prefix, suffix))
    result = anchor(canonical, quote, prefix, suffix, find_closest=False)
    if not spans:
        assert result == NotFound(None)
    elif not fitting:
        assert result == ContextMismatch(spans)
    elif len(fitting) == 1:
        assert result == fitting[0]
    else:
        assert result == Ambiguous(fitting)


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=_ALPHABET, max_size=80))
def test_to_original_is_monotonic_and_ends_at_the_end(text: str) -> None:
    canonical = CanonicalText(text)
    mapped = [canonical.to_original(i) for i in range(len(canonical.canonical) + 1)]
    assert mapped == sorted(mapped)
    assert mapped[0] == 0 if text else mapped == [0]
    assert mapped[-1] == len(text)
    assert all(0 <= m <= len(text) for m in mapped)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=60) | st.text(alphabet=_ALPHABET, max_size=60))
def test_fold_is_idempotent(text: str) -> None:
    once = fold(text)
    assert fold(once) == once


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=_ALPHABET, max_size=80))
def test_canonical_text_is_the_fold_of_the_source(text: str) -> None:
    assert CanonicalText(text).canonical.strip(" ") == fold(text)


@settings(max_examples=300)
@given(text=st.text(alphabet=" .…ab", max_size=60))
def test_edits_are_the_space_runs_and_ellipses(text: str) -> None:
    expected = [
        (found.start(), found.end(), 3 if found[0] == "…" else 1)
        for found in re.finditer(r" {2,}|…", text)
    ]
    assert anchoring._edits_of(text) == expected


@settings(max_examples=300)
@given(text=st.text(alphabet=" .…ab", max_size=60))
def test_canonical_text_collapses_space_runs_and_expands_ellipses(text: str) -> None:
    assert anchoring._canon(text) == re.sub(" {2,}", " ", text).replace("…", "...")
    marked = anchoring._canon(text, anchoring._MARKS)
    assert marked == re.sub(" {2,}", " ", text).replace("…", anchoring._MARKS)


def test_the_edits_kept_for_a_block_take_little_memory() -> None:
    # A source of ellipses is an edit per character; a quote found at a thousand places
    # keeps the edits of two thousand blocks (as lists of int objects, 16 MB of them
    # took 290 MB; kept as machine integers, 110 MB).
    import tracemalloc

    blocks = 20
    text = CanonicalText("…" * (anchoring.BLOCK_CHARS * blocks))
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for block in range(blocks):  # the middle of each block: its edits are worked out
            offset = 3 * (block * anchoring.BLOCK_CHARS + anchoring.BLOCK_CHARS // 2) + 1
            assert text.to_original(offset) == offset // 3  # (inside an ellipsis: its start)
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert kept < 40 * anchoring.BLOCK_CHARS * blocks  # (four 8-byte integers an edit)
