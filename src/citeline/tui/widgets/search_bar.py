"""The search field: incremental, it filters the timeline as the user types."""

from __future__ import annotations

from collections.abc import Callable

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


class SearchBar(Input):
    """An ``Input`` that reports every change; ``Esc`` clears and leaves it."""

    BINDINGS = [
        Binding("escape", "clear_search", "Clear", tooltip="Clear the search", id="search.clear"),
    ]

    class Cleared(Message):
        """The user left the search with ``Esc``: show every event again."""

    def __init__(
        self, *, id: str | None = None, on_change: Callable[[str], None] | None = None
    ) -> None:
        """``on_change``, when given, is called with the new value as soon as it changes
        (before :class:`Input.Changed` is posted), so that the filtered list can be drawn
        in the same frame as the typed character."""
        super().__init__(placeholder="Search titles, summaries, places, people, tags, quotes…",
                         id=id)
        self._on_change = on_change

    def watch_value(self, value: str) -> None:
        if self._on_change is not None:
            self._on_change(value)

    def action_clear_search(self) -> None:
        self.value = ""
        self.post_message(self.Cleared())
