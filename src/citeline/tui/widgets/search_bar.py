"""The search field: incremental, it filters the timeline as the user types."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


class SearchBar(Input):
    """An ``Input`` that reports every change; ``Esc`` clears and leaves it."""

    BINDINGS = [
        Binding("escape", "clear_search", "Clear", tooltip="Clear the search", id="search.clear"),
    ]

    @dataclass
    class Cleared(Message):
        """The user left the search with ``Esc``: show every event again."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder="Search titles, summaries, places, people, tags, quotes…",
                         id=id)

    def action_clear_search(self) -> None:
        self.value = ""
        self.post_message(self.Cleared())
