"""Messages that screens and widgets post upward; the app decides what they mean."""

from __future__ import annotations

from textual.message import Message

# Plain classes rather than dataclasses: each dataclass costs the start-up about
# half a millisecond to make (its methods are compiled from text at import).


class EventChosen(Message):
    """The user chose an event (from search, the palette, a citing-events list...)."""

    def __init__(self, event_id: str) -> None:
        super().__init__()
        self.event_id = event_id


class SourceRequested(Message):
    """Open a source in the viewer, at one event's passage when both are given.

    ``passage_index`` indexes ``event.passages`` of ``event_id``.
    """

    def __init__(
        self, source_id: str, event_id: str | None = None, passage_index: int | None = None
    ) -> None:
        super().__init__()
        self.source_id = source_id
        self.event_id = event_id
        self.passage_index = passage_index


class PassageFocused(Message):
    """The source viewer moved its focus to another cited passage."""

    def __init__(self, source_id: str, event_id: str, passage_index: int) -> None:
        super().__init__()
        self.source_id = source_id
        self.event_id = event_id
        self.passage_index = passage_index
