"""Full-text search over a timeline: titles, summaries, places, people, tags, quotes.

Case-insensitive; every word of the query must appear somewhere in the event
(in any field). The index is one folded string per event, so a query is a
few substring tests per event and stays linear in the size of the timeline.
"""

from __future__ import annotations

from citeline.model import Event, Timeline


def terms_of(query: str) -> tuple[str, ...]:
    """The folded words of a query, longest first, without repeats."""
    words = dict.fromkeys(word.casefold() for word in query.split())
    return tuple(sorted(words, key=len, reverse=True))


def _haystack(event: Event) -> str:
    parts = [event.id, event.title, event.summary, event.place or ""]
    parts += event.participants
    parts += event.tags
    parts += (p.text for p in event.passages)
    return "\n".join(parts).casefold()


class SearchIndex:
    """Answers queries over one timeline's events."""

    def __init__(self, timeline: Timeline) -> None:
        self._haystacks: list[str] | None = None
        self._timeline = timeline

    def _ensure(self) -> list[str]:
        if self._haystacks is None:
            self._haystacks = [_haystack(e) for e in self._timeline.events]
        return self._haystacks

    def search(self, query: str) -> list[int]:
        """Indexes (into ``timeline.events``) of the events matching every word."""
        terms = terms_of(query)
        haystacks = self._ensure()
        if not terms:
            return list(range(len(haystacks)))
        first, *rest = terms
        return [
            i
            for i, hay in enumerate(haystacks)
            if first in hay and all(term in hay for term in rest)
        ]
