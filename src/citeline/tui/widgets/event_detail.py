"""The detail pane: one event's fields, then its passages, each with its source."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from citeline.dates import format_date
from citeline.model import Event, Timeline
from citeline.sanitize import one_line, visible
from citeline.tui.commands import bindings


class PassageList(OptionList, inherit_bindings=False):
    """The selected event's passages; ``Enter`` opens the source at one."""

    BINDINGS = bindings("passages.down", "passages.up", "passages.open")

    @dataclass
    class Open(Message):
        passage_index: int

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(markup=False, id=id)

    def action_move(self, delta: int) -> None:
        if delta > 0:
            self.action_cursor_down()
        else:
            self.action_cursor_up()

    def action_open(self) -> None:
        if self.highlighted is not None:
            self.post_message(self.Open(self.highlighted))


class EventDetail(Vertical):
    """Title, date, place, participants, tags and summary, then the passages.

    The fields scroll on their own (at most half the pane), so the passages
    keep their own rows and the highlighted one is always in view.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._event: Event | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="detail-fields", can_focus=False):
            yield Static(id="detail-header", markup=False)
        yield Static("Passages", id="passages-heading", markup=False)
        yield PassageList(id="passages")

    @property
    def event(self) -> Event | None:
        return self._event

    @property
    def passages(self) -> PassageList:
        return self.query_one(PassageList)

    def show(self, event: Event | None, timeline: Timeline) -> None:
        """Show ``event`` (or nothing) and its passages."""
        if event is not None and event is self._event:
            return  # the same event again: keep the highlighted passage and scroll
        self._event = event
        header = self.query_one("#detail-header", Static)
        passages = self.passages
        passages.clear_options()
        if event is None:
            header.update(Text("No event selected.", style="italic"))
            return
        header.update(_header_text(event))
        passages.add_options(
            Option(_passage_text(event, i, timeline), id=str(i))
            for i in range(len(event.passages))
        )
        passages.highlighted = 0 if event.passages else None
        self.query_one("#passages-heading", Static).update(
            Text(f"Passages ({len(event.passages)}, from {len(event.source_ids)} source"
                 f"{'s' if len(event.source_ids) != 1 else ''})", style="bold")
        )
        self.query_one("#detail-fields", VerticalScroll).scroll_home(animate=False)


def _header_text(event: Event) -> Text:
    text = Text()
    text.append(one_line(event.title), style="bold")
    text.append("\n")
    text.append(format_date(event.date), style="bold")
    if event.place:
        text.append("  ·  ")
        text.append(one_line(event.place))
    text.append("\n")
    if event.participants:
        text.append("Participants: ", style="dim")
        text.append(", ".join(one_line(p) for p in event.participants))
        text.append("\n")
    if event.tags:
        text.append("Tags: ", style="dim")
        text.append(" ".join(f"#{one_line(t)}" for t in event.tags))
        text.append("\n")
    text.append("\n")
    text.append(visible(event.summary).strip())
    return text


def _passage_text(event: Event, index: int, timeline: Timeline) -> Text:
    passage = event.passages[index]
    source = timeline.source(passage.source_id)
    text = Text()
    text.append("“")
    text.append(" ".join(visible(passage.text).split()), style="italic")
    text.append("”\n")
    title = one_line(source.title) if source else passage.source_id
    place = f"{source.file if source else '?'}:{passage.line}"
    text.append("  — ", style="dim")
    text.append(title, style="bold")
    text.append(f"  {one_line(place)}", style="dim")
    if passage.note:
        text.append("\n  note: ", style="dim")
        text.append(one_line(passage.note), style="dim italic")
    return text
