"""The search index: built whole or in slices, and a query that narrows the last one."""

from __future__ import annotations

import threading
import unicodedata
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from citeline.dates import parse_date
from citeline.folding import fold_punctuation
from citeline.model import Event, Passage, Source, Timeline
from citeline.search import SearchIndex, terms_of

WORDS = (
    "harbour", "Harbor", "STRASSE", "straße", "budget", "council", "spring", "ß", "x",
    "Xi’s", "xi's", "2022–2023", "2022-2023", "Café", "Cafe\u0301", "É",
)


def _timeline(count: int) -> Timeline:
    text = " ".join(WORDS) * 3
    source = Source("s", "s.txt", Path("s.txt"), "Source", text)
    events = []
    for i in range(count):
        words = [WORDS[(i * k + k) % len(WORDS)] for k in range(1, 4)]
        start = (i * 5) % (len(text) - 20)
        passage = Passage("s", "q", start, start + 20, 1, 1, text[start : start + 20])
        events.append(
            Event(f"ev-{i}", f"{words[0]} {i}", parse_date("2020"), " ".join(words[1:]),
                  (passage,), place=words[2] if i % 3 else None, tags=(words[0],))
        )
    return Timeline("t", tuple(events), (source,))


def _naive(timeline: Timeline, query: str) -> list[int]:
    terms = terms_of(query)
    hits = []
    for i, event in enumerate(timeline.events):
        fields = [event.id, event.title, event.summary, event.place or "", *event.participants,
                  *event.tags, *(p.text for p in event.passages)]
        hay = unicodedata.normalize("NFC", fold_punctuation("\n".join(fields).casefold()))
        if all(term in hay for term in terms):
            hits.append(i)
    return hits


QUERIES = st.lists(
    st.text(alphabet="harbostegucn ßSTRAxi’'s20–-Caféé\u0301É", min_size=0, max_size=12),
    min_size=1,
    max_size=8,
)


@settings(max_examples=60, deadline=None)
@given(QUERIES)
def test_every_query_in_a_session_matches_a_fresh_scan(queries: list[str]) -> None:
    timeline = _timeline(40)
    index = SearchIndex(timeline)
    for query in queries:
        assert index.search(query) == _naive(timeline, query), query


@settings(max_examples=60, deadline=None)
@given(QUERIES)
def test_the_candidate_count_is_what_the_next_search_looks_at(queries: list[str]) -> None:
    """What the browser expects a query to cost, before it runs it: all events, or the
    last query's hits when the new one only adds letters or words."""
    timeline = _timeline(40)
    index = SearchIndex(timeline)
    index.build()
    last: tuple[tuple[str, ...], int] | None = None
    for query in queries:
        terms = terms_of(query)
        narrows = last is not None and all(any(old in new for new in terms) for old in last[0])
        expected = last[1] if narrows and last is not None else 40
        assert index.candidate_count(query) == expected, query
        hits = index.search(query)
        if terms:
            last = (terms, len(hits))


def test_typing_a_word_letter_by_letter_narrows_the_hits() -> None:
    timeline = _timeline(60)
    index = SearchIndex(timeline)
    for end in range(1, len("harbour") + 1):
        query = "harbour"[:end]
        assert index.search(query) == _naive(timeline, query)
    # a wider query again (a letter deleted) and a second word
    assert index.search("harb") == _naive(timeline, "harb")
    assert index.search("harb spring") == _naive(timeline, "harb spring")
    assert index.search("") == list(range(60))


def test_quotes_and_dashes_match_their_plain_forms_either_way() -> None:
    """As in quotes: a straight apostrophe finds a curly one, a hyphen a dash, and back."""
    source = Source("s", "s.txt", Path("s.txt"), "Source", "text")
    passage = Passage("s", "q", 0, 4, 1, 1, "text")
    titles = ("Xi’s visit", "The “no limits” statement", "Talks 2022–2023", "Plain don't")
    timeline = Timeline("t", tuple(
        Event(f"ev-{i}", title, parse_date("2020"), "summary", (passage,))
        for i, title in enumerate(titles)
    ), (source,))
    index = SearchIndex(timeline)
    assert index.search("xi's") == [0]
    assert index.search("XI’S VISIT") == [0]
    assert index.search('"no') == [1]
    assert index.search("2022-2023") == [2]
    assert index.search("2022—2023") == [2]  # (an em dash for the en dash)
    assert index.search("don’t") == [3]
    assert index.search("'") == [0, 3]


def test_an_accent_matches_either_way_it_is_written() -> None:
    """``é`` typed as one character finds ``e`` and a combining acute, and back."""
    source = Source("s", "s.txt", Path("s.txt"), "Source", "text")
    passage = Passage("s", "q", 0, 4, 1, 1, "text")
    titles = ("Caf\u00e9 talks", "Cafe\u0301 summit", "Cafe plain")
    timeline = Timeline("t", tuple(
        Event(f"ev-{i}", title, parse_date("2020"), "summary", (passage,))
        for i, title in enumerate(titles)
    ), (source,))
    index = SearchIndex(timeline)
    assert index.search("caf\u00e9") == [0, 1]
    assert index.search("CAFE\u0301") == [0, 1]
    assert index.search("cafe") == [2]


def test_built_in_slices_then_ready() -> None:
    timeline = _timeline(25)
    index = SearchIndex(timeline)
    assert not index.ready
    done = list(index.build_steps(chunk=10))
    assert done == [10, 20]  # the last slice ends the build without a yield
    assert index.ready
    assert index.search("council") == _naive(timeline, "council")


def test_a_query_during_a_sliced_build_finishes_it() -> None:
    timeline = _timeline(25)
    index = SearchIndex(timeline)
    steps = index.build_steps(chunk=10)
    next(steps)
    assert index.search("spring") == _naive(timeline, "spring")
    assert index.ready
    assert list(steps) == []  # nothing left to do, nothing built twice


def test_build_from_two_threads_builds_once() -> None:
    timeline = _timeline(200)
    index = SearchIndex(timeline)
    threads = [threading.Thread(target=index.build) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert index.search("budget") == _naive(timeline, "budget")
