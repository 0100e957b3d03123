"""The source viewer: one source's whole text, its cited passages, who cites them."""

from __future__ import annotations

import weakref

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Container
from textual.events import Resize, ScreenResume
from textual.screen import Screen
from textual.widgets import Static

from citeline.model import Event, Source, Timeline
from citeline.sanitize import one_line
from citeline.tui.commands import bindings
from citeline.tui.messages import PassageFocused
from citeline.tui.widgets.citing_events import CitingEvents
from citeline.tui.widgets.key_footer import KeyFooter
from citeline.tui.widgets.source_text import CitedSpan, SourceText
from citeline.wording import counted

#: Below this width the citing-events panel goes under the text.
NARROW_WIDTH = 100


class SourceScreen(Screen[None]):
    """A source's text with every cited passage marked and one under focus.

    ``n``/``N`` move the focus through the cited passages in text order and
    post :class:`PassageFocused`; the panel lists the events citing the
    passage under focus (any event quoting an overlapping span), and ``Enter``
    there posts :class:`~citeline.tui.messages.EventChosen`.

    The app keeps one of these for its whole life and shows each source in it
    with :meth:`show_source`: composing, styling and mounting a new screen
    (and its footer) for every opening cost more than drawing the source.
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
        super().__init__()
        self._take(timeline, source_id, event_id, passage_index)
        self._styled_for: tuple[object, ...] | None = None  # see on_screen_resume

    def _take(
        self, timeline: Timeline, source_id: str, event_id: str | None, passage_index: int | None
    ) -> None:
        """Remember what to show.

        The timeline is held only while the screen is shown (see
        :meth:`on_screen_suspend`); the rest (the source, the events citing
        it) is a small part of it.
        """
        source = timeline.source(source_id)
        if source is None:
            raise KeyError(f"no source '{source_id}' in the timeline")
        self._timeline_ref = weakref.ref(timeline)
        self._timeline_held: Timeline | None = timeline
        self._source: Source = source
        self._citations = list(timeline.citations(source_id))
        self._initial = (event_id, passage_index)

    def compose(self) -> ComposeResult:
        # narrow or not from the first layout on (``on_resize`` only follows later resizes),
        # so the first frame is laid out, wrapped and scrolled for the right shape
        self.set_class(self.app.size.width < NARROW_WIDTH, "-narrow")
        yield Static(self._header(), id="source-header", markup=False)
        with Container(id="source-body"):
            yield SourceText(self._shown_timeline(), self._source, id="source-text")
            yield CitingEvents(id="citing-events")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Show the source; its widgets were styled as they mounted, so the screen is not
        restyled when first shown unless the styles change meanwhile (see
        :meth:`on_screen_resume`): opening the first source before the viewer was made
        ahead took 3 ms longer (its whole DOM styled twice)."""
        self._show()
        self._styled_for = self._style_inputs()

    def park(self) -> None:
        """Mounted but not shown (made ahead of its first opening): hold no timeline."""
        self._timeline_held = None

    def on_screen_suspend(self) -> None:
        """Hidden: let go of the timeline (only a weak reference stays).

        A kept screen must not keep a replaced timeline alive: after a live
        reload the old one (over a gigabyte at 100,000 events) is freed at
        once, not at the next opening of a source.
        """
        self._timeline_held = None
        self._styled_for = self._style_inputs()

    def on_screen_resume(self, event: ScreenResume) -> None:
        """Skip Textual's restyling of every widget when nothing it depends on changed.

        Textual restyles a screen's whole DOM each time it is shown again, in
        case the CSS, the theme or the app's focus changed meanwhile; with
        the same styles that only throws away every widget's drawn lines
        (about half the cost of showing this screen again). Everything this
        screen changes itself while hidden (its ``-narrow`` class, the focus,
        new footer keys) is restyled as it happens. Runs before Textual's own
        handler, which reads the flag.
        """
        self._timeline_held = self._timeline_ref()
        if self._styled_for is not None and self._styled_for == self._style_inputs():
            event.refresh_styles = False

    def _style_inputs(self) -> tuple[object, ...] | None:
        """What the app-wide styles depend on: the stylesheet, its updates, theme, focus.

        ``None`` (restyle) if this Textual does not count stylesheet updates.
        """
        app = self.app
        updates = getattr(app, "_css_update_count", None)
        if updates is None:
            return None
        return (app.stylesheet, updates, app.theme, app.app_focus, app.ansi_color)

    # -- what the app may ask ---------------------------------------------------------

    @property
    def source_id(self) -> str:
        return self._source.id

    @property
    def timeline(self) -> Timeline | None:
        """The timeline this screen shows a source of (``None`` once it is gone)."""
        return self._timeline_ref()

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

    def show_source(
        self,
        timeline: Timeline,
        source_id: str,
        event_id: str | None = None,
        passage_index: int | None = None,
    ) -> None:
        """Show another source (or the same again, or from a new timeline) in this screen.

        The screen then looks as a new ``SourceScreen(timeline, source_id,
        event_id, passage_index)`` would: the passage (or the event's first
        passage in the source) under focus, the text focused, the panel
        filled. The widgets are kept; only what changed is redrawn. Whether
        the screen is shown or not (the app calls this before pushing it).
        """
        self._take(timeline, source_id, event_id, passage_index)
        if self.is_mounted:  # else ``on_mount`` will
            self._show()

    def show_reloaded(
        self, timeline: Timeline, event_id: str | None, passage_index: int | None
    ) -> None:
        """Show the source shown from a reloaded timeline (which must have it), that
        passage under focus: scrolled where it was if the source's text is unchanged
        (else to the passage), the keyboard focus left where it is."""
        self._take(timeline, self._source.id, event_id, passage_index)
        if self.is_mounted:
            self._show(reloaded=True)

    def show_passage(self, event_id: str, passage_index: int) -> bool:
        """Focus that event's passage (which must quote this source)."""
        if not self.source_text.focus_passage(event_id, passage_index):
            return False
        self._update_panel()
        return True

    def follow_event(self, event_id: str) -> bool:
        """Focus the event's first passage in this source; ``False`` if it cites none."""
        ref = self._first_ref(event_id)
        return ref is not None and self.show_passage(*ref)

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

    def _shown_timeline(self) -> Timeline:
        """The timeline, held while the screen is shown (or about to be)."""
        timeline = self._timeline_ref()
        assert timeline is not None, "a shown source's timeline is held"
        return timeline

    def _first_ref(self, event_id: str) -> tuple[str, int] | None:
        """The event's first passage in this source, as ``(event_id, passage_index)``."""
        timeline = self._timeline_ref()
        event = timeline.event(event_id) if timeline is not None else None
        if event is None:
            return None
        for index, passage in enumerate(event.passages):
            if passage.source_id == self._source.id:
                return event_id, index
        return None

    def _show(self, *, reloaded: bool = False) -> None:
        """Put the source taken last into the widgets, focused as asked (``reloaded``:
        the same source, from a reloaded timeline, kept as it was shown)."""
        self.set_class(self.app.size.width < NARROW_WIDTH, "-narrow")
        timeline = self._shown_timeline()
        text = self.source_text
        if text.source is not self._source or text.timeline is not timeline:
            self.query_one("#source-header", Static).update(self._header())
        event_id, passage_index = self._initial
        ref = None
        if event_id is not None:
            ref = self._first_ref(event_id) if passage_index is None else (event_id, passage_index)
        if reloaded:
            text.show_reloaded(timeline, self._source, ref)
            self._update_panel()
            return
        text.show_source(timeline, self._source, ref)
        self._update_panel()
        if self.focused is not text:
            self.set_focus(text)

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
            f" · {counted(lines, 'line')} · cited by {counted(cited, 'event')}",
            style="dim",
        )
        return text
