"""After a reload: which passage of an event is the one the user was on."""

from __future__ import annotations

from citeline.dates import parse_date
from citeline.model import Event, Passage
from citeline.tui.reload import same_passage

DATE = parse_date("2022")


def passage(quote: str, start: int, prefix: str | None = None, suffix: str | None = None,
            source: str = "s") -> Passage:
    return Passage(source, quote, start, start + len(quote), 1, start + 1, quote,
                   prefix=prefix, suffix=suffix)


def event(*passages: Passage) -> Event:
    return Event("e", "E", DATE, "", passages)


# "Repeat me. Repeat me. Repeat me.": the first and the third told apart by context
FIRST = passage("Repeat me.", 0, suffix=" Repeat me. Repeat me.")
THIRD = passage("Repeat me.", 22, prefix="Repeat me. Repeat me. ")
ZURICH = passage("Zürich", 40)


def test_the_same_words_at_the_same_place_though_a_passage_came_before() -> None:
    before = event(FIRST, THIRD)
    after = event(ZURICH, FIRST, THIRD)
    assert same_passage(before, 1, after) == 2  # not 1, the nearer with the same words
    assert same_passage(before, 0, after) == 1


def test_the_same_context_when_the_source_moved() -> None:
    before = event(FIRST, THIRD)
    moved = 5  # the source gained text before: every place moved on
    after = event(
        ZURICH,
        passage("Repeat me.", 0 + moved, suffix=FIRST.suffix),
        passage("Repeat me.", 22 + moved, prefix=THIRD.prefix),
    )
    assert same_passage(before, 1, after) == 2
    assert same_passage(before, 0, after) == 1


def test_otherwise_the_nearest_then_the_same_index() -> None:
    before = event(FIRST, ZURICH)
    assert same_passage(before, 1, event(passage("Zürich", 90), FIRST)) == 0
    assert same_passage(before, 1, event(FIRST)) == 0  # gone: the last there is
    assert same_passage(before, 0, event(ZURICH, passage("Other", 3))) == 0
    assert same_passage(before, None, event(FIRST)) is None
    assert same_passage(before, 0, event()) is None
    # another source with the same words is not the same passage
    assert same_passage(before, 0, event(passage("Repeat me.", 0, source="t"), FIRST)) == 1
