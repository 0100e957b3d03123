"""Back/forward navigation history, like a browser's: pure data, no widgets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, NamedTuple, TypeVar

T = TypeVar("T")


class Place(NamedTuple):
    """Where the user is: which view, which event, which source and passage."""

    view: str  # "timeline", "passages", "source", "sources", "coverage", "help"
    event_id: str | None = None
    source_id: str | None = None
    passage_index: int | None = None
    scroll: int | None = None  # the sources list's scroll offset, in rows


class History(Generic[T]):
    """A list of places with a cursor; visiting a new place drops the forward ones."""

    def __init__(self, limit: int = 500) -> None:
        self._items: list[T] = []
        self._cursor = -1
        self._limit = limit

    @property
    def current(self) -> T | None:
        return self._items[self._cursor] if self._items else None

    @property
    def can_go_back(self) -> bool:
        return self._cursor > 0

    @property
    def can_go_forward(self) -> bool:
        return self._cursor < len(self._items) - 1

    def visit(self, item: T) -> None:
        """Go to ``item``; visiting the current item again is a no-op."""
        if self.current == item:
            return
        del self._items[self._cursor + 1 :]
        self._items.append(item)
        if len(self._items) > self._limit:
            del self._items[0]
        self._cursor = len(self._items) - 1

    def replace(self, item: T) -> None:
        """Change the current place without adding a step (e.g. moving the cursor)."""
        if not self._items:
            self.visit(item)
        else:
            self._items[self._cursor] = item

    def update(self, change: Callable[[T], T]) -> None:
        """Put every place through ``change`` (after a reload: the passages renumbered)."""
        self._items = [change(item) for item in self._items]

    def back(self) -> T | None:
        """Step back; the place stepped to, or ``None`` at the start."""
        if not self.can_go_back:
            return None
        self._cursor -= 1
        return self._items[self._cursor]

    def forward(self) -> T | None:
        if not self.can_go_forward:
            return None
        self._cursor += 1
        return self._items[self._cursor]

    def __len__(self) -> int:
        return len(self._items)
