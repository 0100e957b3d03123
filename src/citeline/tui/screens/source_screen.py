"""The source viewer: one source's whole text, its cited passages, who cites them."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Container
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Footer, Static

from citeline.model import Event, Source, Timeline
from citeline.sanitize import one_line
from citeline.tui.commands import bindings
from citeline.tui.messages import PassageFocused
from citeline.tui.widgets.citing_events import CitingEvents
from citeline.tui.widgets.source_text import CitedSpan, SourceText

#: Below this width the citing-events panel goes under the text.
NARROW_WIDTH = 100


class SourceScreen(Screen[None]):
    """A source's text with every cited passage marked and one under focus.

    ``n``/``N`` move the focus through the cited passages in text order and
    post :class:`PassageFocused`; the panel lists the events citing the
    passage under focus (any event quoting an overlapping span), and ``Enter``
    there posts :class:`~citeline.tui.messages.EventChosen`.
    """

    CSS_PATH = "../styles/source.tcss"
    AUTO_FOCUS = "SourceText"
    BINDINGS = bindings("source.next", "source.previous")

    def __init__(
        self,
        timeline: Timeline,
        source_id: str,
        event_id: str | None = None,
        passage_index: int | None = None,
    ) -> None:
        source = timeline.source(source_id)
        if source is None:
            raise KeyError(f"no source '{source_id}' in the timeline")
        super().__init__()
        self._timeline = timeline
        self._source: Source = source
        self._citations = list(timeline.citations(source_id))
        self._initial = (event_id, passage_index)

    def compose(self) -> ComposeResult:
        # narrow or not from the first layout on (``on_resize`` only follows later resizes),
        # so the first frame is laid out, wrapped and scrolled for the right shape
        self.set_class(self.app.size.width < NARROW_WIDTH, "-narrow")
        yield Static(self._header(), id="source-header", markup=False)
        with Container(id="source-body"):
            yield SourceText(self._timeline, self._source, id="source-text")
            yield CitingEvents(id="citing-events")
        yield Footer()

    def on_mount(self) -> None:
        event_id, passage_index = self._initial
        if event_id is not None and passage_index is None:
            self.follow_event(event_id)
        elif event_id is None or passage_index is None or not self.show_passage(
            event_id, passage_index
        ):
            self._update_panel()

    # -- what the app may ask ---------------------------------------------------------

    @property
    def source_id(self) -> str:
        return self._source.id

    @property
    def source_text(self) -> SourceText:
        return self.query_one(SourceText)

    @property
    def citing_events(self) -> CitingEvents:
        return self.query_one(CitingEvents)

    @property
    def focus_ref(self) -> tuple[str, int] | None:
        """``(event_id, passage_index)`` of the passage under focus, if any."""
        return self.source_text.focus_ref

    def show_passage(self, event_id: str, passage_index: int) -> bool:
        """Focus that event's passage (which must quote this source)."""
        if not self.source_text.focus_passage(event_id, passage_index):
            return False
        self._update_panel()
        return True

    def follow_event(self, event_id: str) -> bool:
        """Focus the event's first passage in this source; ``False`` if it cites none."""
        event = self._timeline.event(event_id)
        if event is None:
            return False
        for index, passage in enumerate(event.passages):
            if passage.source_id == self._source.id:
                return self.show_passage(event_id, index)
        return False

    # -- actions ------------------------------------------------------------------------

    def action_next_passage(self) -> None:
        self._step(1)

    def action_previous_passage(self) -> None:
        self._step(-1)

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW_WIDTH, "-narrow")

    # -- helpers ------------------------------------------------------------------------

    def _step(self, delta: int) -> None:
        text = self.source_text
        wrapped = text.step(delta)
        if wrapped is None:
            self.notify("No passage of this source is cited.", severity="warning")
            return
        if wrapped:
            self.notify(
                "Wrapped to the first passage." if delta > 0 else "Wrapped to the last passage.",
                timeout=2,
            )
        self._update_panel()
        ref = text.focus_ref
        if ref is not None:
            self.post_message(PassageFocused(self._source.id, ref[0], ref[1]))

    def _citing(self, span: CitedSpan) -> list[Event]:
        """Events quoting a span of this source that overlaps ``span``, in timeline order."""
        found: dict[str, Event] = {}
        for event, passage in self._citations:
            overlaps = passage.start < span.end and passage.end > span.start
            if overlaps or (passage.start, passage.end) == (span.start, span.end):
                found.setdefault(event.id, event)
        return list(found.values())

    def _update_panel(self) -> None:
        text = self.source_text
        span = text.focused_span
        panel = self.citing_events
        if span is None:
            events = list({event.id: event for event, _ in self._citations}.values())
            panel.show_events(events, f"Citing this source · {len(events)}")
            return
        events = self._citing(span)
        line, _ = self._source.line_col(span.start)
        position = f"{(text.focus_index or 0) + 1}/{len(text.spans)}"
        ref = text.focus_ref
        panel.show_events(
            events,
            f"Passage {position} · line {line} · cited by {len(events)}",
            ref[0] if ref else None,
        )

    def _header(self) -> Text:
        source = self._source
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        text.append(one_line(source.title), style="bold")
        text.append("\n")
        text.append(one_line(source.file), style="dim")
        for label, value in (
            ("by", source.author),
            ("", source.publisher),
            ("", source.published),
        ):
            if value:
                text.append(" · ", style="dim")
                text.append(f"{label} " if label else "", style="dim")
                text.append(one_line(value))
        cited = len({event.id for event, _ in self._citations})
        lines = source.line_count
        text.append(
            f" · {lines} line{'s' * (lines != 1)} · cited by {cited} event{'s' * (cited != 1)}",
            style="dim",
        )
        return text
