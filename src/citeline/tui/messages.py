"""Messages that screens and widgets post upward; the app decides what they mean."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class EventChosen(Message):
    """The user chose an event (from search, the palette, a citing-events list...)."""

    event_id: str


@dataclass
class SourceRequested(Message):
    """Open a source in the viewer, at one event's passage when both are given.

    ``passage_index`` indexes ``event.passages`` of ``event_id``.
    """

    source_id: str
    event_id: str | None = None
    passage_index: int | None = None


@dataclass
class PassageFocused(Message):
    """The source viewer moved its focus to another cited passage."""

    source_id: str
    event_id: str
    passage_index: int
