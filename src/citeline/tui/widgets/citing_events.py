"""The events that cite the passage under focus in the source viewer."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from citeline.dates import format_date
from citeline.model import Event
from citeline.sanitize import one_line
from citeline.tui.commands import LIST_MOVES, bindings
from citeline.tui.messages import EventChosen


class CitingEvents(OptionList, inherit_bindings=False):
    """A list of events (date and title); ``Enter`` posts :class:`EventChosen`.

    Option ids are event ids. Left/``h`` are left unbound so they reach the
    app's "back".
    """

    BINDINGS = bindings(*LIST_MOVES, "list.open")

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, markup=False)
        self._event_ids: list[str] = []
        self._shown: tuple[list[Event], str, int | None, float] | None = None

    @property
    def event_ids(self) -> list[str]:
        """The ids of the events listed, in order."""
        return list(self._event_ids)

    def show_events(self, events: Iterable[Event], title: str, current: str | None = None) -> None:
        """List ``events`` under ``title`` (our own words, never data).

        The cursor goes to ``current`` when it is listed, else to the first.
        When the list would come out exactly as it is (the same event objects,
        title and cursor, and not scrolled since), it is left alone: its
        options keep their drawn lines (a source viewer shown again for the
        same passage redraws nothing here).
        """
        listed = list(events)
        event_ids = [event.id for event in listed]
        index = (event_ids.index(current) if current in event_ids else 0) if listed else None
        shown = self._shown
        if (
            shown is not None
            and len(shown[0]) == len(listed)
            and all(old is new for old, new in zip(shown[0], listed, strict=True))
            and shown[1:] == (title, index, self.scroll_y)
            and self.highlighted == index
        ):
            return
        self._event_ids = event_ids
        self.set_options(Option(self._prompt(event), id=event.id) for event in listed)
        self.border_title = title
        if index is not None:
            self.highlighted = index
        self._shown = (listed, title, index, self.scroll_y)

    @staticmethod
    def _prompt(event: Event) -> Text:
        text = Text(no_wrap=False, end="")
        text.append(one_line(format_date(event.date)), style="bold")
        text.append("  ")
        text.append(one_line(event.title))
        return text

    def action_open(self) -> None:
        """Choose the highlighted event (``Enter``)."""
        self.action_select()

    def on_option_list_option_selected(self, message: OptionList.OptionSelected) -> None:
        message.stop()
        if message.option.id is not None:
            self.post_message(EventChosen(message.option.id))
