"""Go to a date: a small box that reads a date and says which event it leads to."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from citeline.dates import DateError, parse_date
from citeline.model import EventDate
from citeline.sanitize import one_line
from citeline.tui.widgets.key_footer import KeyFooter

#: What the box says before anything is typed.
FORMS = "A day, a month or a year, written as in events.yaml."
EXAMPLES = "2022-09-15 · 2022-09 · 2022 · 15 September 2022 · Sep 2022"


class DateScreen(ModalScreen[EventDate | None]):
    """Reads a date as ``events.yaml`` writes one; ``Enter`` dismisses with it (while it
    reads), ``Esc`` with ``None``. ``describe`` says where a date leads."""

    CSS_PATH = "../styles/date.tcss"
    AUTO_FOCUS = "#date-input"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close the box", id="date.cancel"),
        Binding("enter", "go", "Go", tooltip="Go to the first event from this date",
                key_display="⏎", id="date.go", priority=True),
    ]

    def __init__(self, describe: Callable[[EventDate], Text]) -> None:
        super().__init__()
        self._describe = describe

    def compose(self) -> ComposeResult:
        with Vertical(id="date-box") as box:
            box.border_title = "Go to a date"
            yield Input(placeholder=EXAMPLES, id="date-input")
            yield Static(Text(FORMS, style="dim"), id="date-hint", markup=False)
        yield KeyFooter(compact=True, show_command_palette=False)

    @property
    def hint(self) -> Static:
        return self.query_one("#date-hint", Static)

    @on(Input.Changed, "#date-input")
    def _on_changed(self, message: Input.Changed) -> None:
        self._show_where(message.value)

    def describe_again(self) -> None:
        """Say again where the date typed leads (the timeline was reloaded)."""
        self._show_where(self.query_one("#date-input", Input).value)

    def _show_where(self, value: str) -> None:
        """Say where the date typed so far leads, or quietly that it does not read yet."""
        self.hint.set_class(False, "-error")
        if not value.strip():
            self.hint.update(Text(FORMS, style="dim"))
            return
        date = _read(value)
        if isinstance(date, EventDate):
            self.hint.update(self._describe(date))
        else:
            self.hint.update(Text(one_line(date), style="dim"))

    def action_go(self) -> None:
        """Enter: go, when the date reads; else say why it does not, and stay."""
        value = self.query_one("#date-input", Input).value
        date = _read(value) if value.strip() else "Type a date first. " + EXAMPLES
        if isinstance(date, EventDate):
            self.dismiss(date)
            return
        self.hint.set_class(True, "-error")
        self.hint.update(Text(one_line(date)))

    def action_cancel(self) -> None:
        self.dismiss(None)


def _read(value: str) -> EventDate | str:
    """``value`` as a date, or what is wrong with it."""
    try:
        return parse_date(value)
    except DateError as error:
        return str(error)
