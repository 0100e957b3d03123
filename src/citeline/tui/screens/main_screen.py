"""The main screen: the time axis, the timeline, the selected event's detail."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.events import Resize, ScreenResume
from textual.geometry import Size
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from citeline.chronology import first_event_from, listed_from
from citeline.collector import collector_paused
from citeline.dates import format_date
from citeline.diagnostics import Diagnostic
from citeline.model import Event, EventDate, Timeline
from citeline.sanitize import one_line
from citeline.search import SearchIndex, terms_of
from citeline.tui.messages import SourceRequested
from citeline.tui.widgets.event_detail import PassageList
from citeline.tui.widgets.key_footer import KeyFooter
from citeline.tui.widgets.search_bar import SearchBar
from citeline.tui.widgets.time_axis import TimeAxis
from citeline.tui.widgets.timeline_list import TimelineList
from citeline.wording import counted

if TYPE_CHECKING:
    from citeline.tui.app import CitelineApp

#: Below this width the detail stacks under the timeline.
NARROW_WIDTH = 100
#: Below this height the errors panel is kept short, and in the narrow layout the
#: detail gives way to the list while the search field or the errors panel shows
#: (unless the user is in the passages), so that the list keeps rows for its cursor.
SHORT_HEIGHT = 24
#: Rows of the errors panel under its top border: at most, under 24 rows, and under 24
#: rows with the search field open (the panel fits its text to them, see
#: ``_show_errors``; main.tcss places the notifications above its tallest), and the most
#: errors it lists.
ERROR_ROWS = 9
SHORT_ERROR_ROWS = 3
SHORT_SEARCH_ERROR_ROWS = 2
MAX_ERRORS_SHOWN = 8
#: Events indexed for search per slice (about a millisecond), the pause between slices
#: while keys are coming, and how long after the last key the user counts as idle.
INDEX_SLICE = 100
INDEX_PAUSE = 0.004
INDEX_IDLE = 0.3
#: Seconds without keys before the timeline's lookups are built in a thread (which holds
#: the interpreter lock about half the time: 0.05 s at 10,000 events, 0.5 s at 100,000).
LOOKUPS_IDLE = 1.0
#: A search expected to take longer than a frame to filter the list (a large timeline, a
#: query of a letter or two) lets the typed character show first, and filters after.
SLOW_FILTER = 0.016


def _build_lookups(timeline: Timeline) -> None:
    """Make the timeline build its lazy lookups: by id, and the citations of each source.

    With the collector paused, and what they hold then frozen out of its sight:
    at 100,000 events they are 240,000 tuples, made in about a second, and
    the collections they set off meanwhile (up to 0.1 s each, walking
    everything not frozen) held up the keys pressed then.
    """
    with collector_paused(freeze=True):
        timeline.index_of("")
        timeline.event("")
        timeline.index_citations()


class MainScreen(Screen[None]):
    """Timeline on the left (or top), detail on the right (or below)."""

    CSS_PATH = "../styles/main.tcss"
    AUTO_FOCUS = "TimelineList"

    class Ready(Message):
        """Mounted, its first selection made: the app may take it from here."""

    def __init__(self, timeline: Timeline, events_path: str, select: str | None = None) -> None:
        """``select``: the id of the event selected first (else the first event)."""
        super().__init__()
        self._timeline = timeline
        self._events_path = events_path
        self._first_selection = select
        self._index = SearchIndex(timeline)
        self._applied_query: str | None = None  # the query the list is filtered by
        #: a query typed before the search index was ready: applied when it is
        self._waiting_query: str | None = None
        self._indexed_share = 0.0  # how much of the index is built, while a query waits
        #: a query typed after a slow filter: applied once the screen shows it
        self._typed_query: str | None = None
        #: how long the last search took to filter the list, per event it looked at
        self._filter_rate = 0.0
        self._shown = False  # shown once already (see on_screen_resume)
        #: the errors the panel shows, and how many there are in all
        self._errors: tuple[tuple[Diagnostic, ...], int] = ((), 0)
        #: the event selected as a search began, selected again when it is cleared unless
        #: the user chose another meanwhile (the filter's own moves of the cursor aside)
        self._search_origin: str | None = None
        self._filtering = False  # the list's cursor moved by a filter, not by the user

    def compose(self) -> ComposeResult:
        # narrow or not from the first layout on (``on_resize`` only follows later resizes),
        # so the first frame is laid out, wrapped and scrolled for the right shape
        self._fit_to(self.app.size)
        yield Static(id="title-bar", markup=False)
        yield TimeAxis(self._timeline, id="axis")
        yield TimelineList(
            self._timeline, id="timeline", on_select=self._on_list_moved,
            on_enter=self._on_list_entered,
        )
        yield PassageList(id="detail")
        # (the search field is mounted when first opened: a text field's styles and
        # mounting cost the first frame 8 ms at 10,000 events)
        yield Static(id="errors", markup=False)
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_screen_resume(self, event: ScreenResume) -> None:
        """Shown for the first time: each widget keeps the styles it was given as it mounted.

        Textual styles every widget afresh each time its screen is shown. The
        first time, each was styled a moment before, as it mounted: styling it
        again could only add what a rule read later (an unscoped rule in the
        default CSS of a widget mounted later) does to it, and there is none
        (``tests/tui/test_first_frame_styles.py`` checks). It took 2.5 ms of the
        bundled timeline's first frame. Each later showing restyles as usual
        (the theme may have changed meanwhile). This handler runs before the
        base class's, which reads the flag.
        """
        if not self._shown:
            self._shown = True
            event.refresh_styles = False

    def on_mount(self) -> None:
        self._update_title()
        self.query_one("#errors", Static).display = False
        if self._first_selection is not None:
            self.select_event(self._first_selection)
        self._show_selected()
        self.call_after_refresh(self._build_index)
        self.post_message(self.Ready())

    def _build_index(self) -> None:
        """Get searching and opening sources ready, once the first frame is out."""
        self.run_worker(
            self._prepare(self._index), group="prepare", exclusive=True
        )

    async def _prepare(self, index: SearchIndex) -> None:
        """Build the search index, then the timeline's lookups, without delaying keys.

        The index is built in small slices on the UI's own loop: a key finds the
        loop busy for a millisecond at most. While keys are coming the slices
        pause between them (the build takes a fifth of the CPU); when the user
        is idle they follow each other. (A thread would hold the interpreter
        lock half the time for the whole build, slowing every key down by as
        much.) Then, once the user pauses, a thread builds the per-source
        citations and the id lookups (the first source opened would wait for
        them), and the new objects are frozen out of the collector's way. Only
        one such thread runs at a time (``app.background_work``).

        A query typed before the index is ready waits for it (the title bar says
        how far the index is), and the slices then follow each other without
        pause: at 100,000 events, just opened, building the rest at once would
        stop the interface for seconds.

        Nothing here holds the timeline while it waits: a reload meanwhile
        frees the old one at once (this worker is then replaced).
        """
        app: CitelineApp = self.app  # type: ignore[assignment]
        total = max(len(self._timeline.events), 1)
        for done in index.build_steps(INDEX_SLICE):
            if self._waiting_query is None:
                await asyncio.sleep(INDEX_PAUSE if app.user_busy(INDEX_IDLE) else 0)
                continue
            if done / total - self._indexed_share >= 0.01:
                self._indexed_share = done / total
                self._update_title(self._waiting_query)
            await asyncio.sleep(0)
        del index
        if self._waiting_query is not None:
            self._apply_search(self._waiting_query)
        await app.until_idle(LOOKUPS_IDLE)
        async with app.background_work:
            await asyncio.to_thread(_build_lookups, self._timeline)

    # -- what others may ask -----------------------------------------------------

    @property
    def timeline(self) -> Timeline:
        return self._timeline

    @property
    def search_waiting(self) -> bool:
        """Whether a typed query waits (for the search index, or for the screen to show
        it) before it filters the list."""
        return self._waiting_query is not None or self._typed_query is not None

    @property
    def timeline_list(self) -> TimelineList:
        return self.query_one(TimelineList)

    @property
    def selected_event(self) -> Event | None:
        index = self.timeline_list.selected_index
        return None if index is None else self._timeline.events[index]

    def select_event(self, event_id: str) -> bool:
        """Select an event by id, clearing a search that hides it."""
        selected = self.selected_event
        if selected is not None and selected.id == event_id:
            return True  # (the usual case, opening its source: no need of the index of ids)
        index = self._timeline.index_of(event_id)
        if index is None:
            return False
        timeline_list = self.timeline_list
        if not timeline_list.select_event(index):
            self._clear_search()
            timeline_list.select_event(index)
        return True

    def date_target(self, date: EventDate) -> tuple[Event, bool] | None:
        """The event going to ``date`` selects: the first shown that is listed from its
        first day (and False), else the last shown (and True); ``None`` when no event
        is shown (a search that matches nothing)."""
        first = first_event_from(self._timeline, listed_from(date))
        found = self.timeline_list.first_shown_from(first)
        if found is None:
            return None
        index, past_the_end = found
        return self._timeline.events[index], past_the_end

    def describe_date_target(self, date: EventDate) -> Text:
        """Where going to ``date`` leads, in two lines, for the date box."""
        anchor = date.start or date.end
        when = format_date(EventDate(anchor, anchor)) if anchor else format_date(date)
        target = self.date_target(date)
        text = Text()
        if target is None:
            text.append("No event is shown: the search matches none.", style="italic")
            return text
        event, past_the_end = target
        kind = "match" if terms_of(self._applied_query or "") else "event"  # (of a search)
        if past_the_end:
            text.append(f"No {kind} from {when}; Enter selects the last:\n")
        else:
            text.append(f"The first {kind} from {when}:\n")
        text.append(format_date(event.date), style="bold")
        text.append("  " + one_line(event.title))
        return text

    def step_event(self, delta: int) -> Event | None:
        """Move the selection by ``delta`` among the events shown."""
        self.timeline_list.action_move(delta)
        return self.selected_event

    # (the focus moves at once, not after the keys already queued, as ``focus()`` would:
    # a key typed right after Enter or Esc goes where the focus went)

    def focus_timeline(self) -> None:
        self.set_focus(self.timeline_list)

    def focus_passages(self, passage_index: int | None = None) -> None:
        passages = self.query_one(PassageList)
        if passages.option_count:
            if passage_index is not None and passage_index < passages.option_count:
                passages.highlighted = passage_index
            self.set_focus(passages)

    @property
    def passage_index(self) -> int | None:
        """The highlighted passage of the selected event."""
        return self.query_one(PassageList).highlighted

    @property
    def passages_focused(self) -> bool:
        return isinstance(self.focused, PassageList)

    async def open_search(self) -> None:
        search = self._search_bar()
        if search is None:
            search = SearchBar(id="search", on_change=self._on_query_typed)
            await self.mount(search, before="#errors")
        search.display = True
        self.set_class(True, "-searching")  # the errors and notifications go above it
        if self._errors[0]:
            self._show_errors()  # (under 24 rows it has a row fewer)
        self.set_focus(search)

    def set_timeline(self, timeline: Timeline) -> None:
        """Show a reloaded timeline, keeping the same event selected where it exists."""
        selected = self.selected_event
        self._timeline = timeline
        self._index = SearchIndex(timeline)
        self._indexed_share = 0.0
        self.call_after_refresh(self._build_index)
        index = timeline.index_of(selected.id) if selected else None
        if index is None and selected is not None:
            index = min(self.timeline_list.selected_index or 0, len(timeline.events) - 1)
        self.query_one(TimeAxis).set_timeline(timeline)
        self._filtering = True  # (the same event: no choice of the user's)
        try:
            self.timeline_list.set_timeline(timeline, select=index)
        finally:
            self._filtering = False
        search = self._search_bar()
        query = search.value if search is not None else ""
        self._applied_query = None
        self._typed_query = None
        if query:
            self._apply_search(query)
        self._update_title(query)
        self._show_selected()

    def show_diagnostics(
        self, diagnostics: tuple[Diagnostic, ...], error_count: int | None = None
    ) -> None:
        """Show reload problems (or hide the panel when there are none); ``error_count``:
        how many errors were found in all (default: those in ``diagnostics``)."""
        errors = tuple(d for d in diagnostics if d.is_error)
        count = len(errors) if error_count is None else error_count
        self._errors = (errors, count)
        self.set_class(bool(errors), "-errors")
        self._show_errors()

    def _show_errors(self) -> None:
        """Fill the errors panel with as many whole errors as its rows hold (each wrapped
        to the width), and a last line counting the others."""
        panel = self.query_one("#errors", Static)
        errors, count = self._errors
        if not errors:
            panel.display = False
            return
        rows = ERROR_ROWS
        if self.has_class("-short"):
            rows = SHORT_SEARCH_ERROR_ROWS if self.has_class("-searching") else SHORT_ERROR_ROWS
        width = max(1, self.app.size.width - 2)  # (the panel's padding)
        console = self.app.console

        def height(text: Text) -> int:
            return len(text.wrap(console, width))

        header = Text(f"The file has {counted(count, 'error')};"
                      " showing the last good timeline. Fix and save to reload.", style="bold")
        if height(header) + 2 > rows:  # (room for an error and the count of the others)
            header = Text(f"{counted(count, 'error')}; fix and save to reload.", style="bold")
        lines: list[Text] = [header]
        used = height(header)
        shown = 0
        for diagnostic in errors[:MAX_ERRORS_SHOWN]:
            line = Text(one_line(str(diagnostic)))
            others = count - shown - 1
            if used + height(line) + (height(_more_errors(others)) if others else 0) > rows:
                break
            lines.append(line)
            used += height(line)
            shown += 1
        more = height(_more_errors(count - 1)) if count > 1 else 0
        if not shown and used < rows:  # not one whole: the first, cut to a line
            first = Text(one_line(str(errors[0])))
            first.truncate(width, overflow="ellipsis")
            lines.append(first)
            shown = 1
            used += 1
        if count > shown and used + more <= rows:  # (else the header has counted them)
            lines.append(_more_errors(count - shown))
        panel.update(Text("\n").join(lines))
        panel.display = True

    # -- children's messages -------------------------------------------------------

    def _on_list_moved(self, event_index: int) -> None:
        """The list's cursor moved: show the event now, so both draw in the same frame."""
        if not self._filtering:
            self._search_origin = None  # the user's choice: kept when the search clears
        if self.is_mounted:
            self._show_selected()

    def _on_list_entered(self, event_index: int) -> None:
        """Enter on the list: into the selected event's passages."""
        self.focus_passages()

    @on(PassageList.Open)
    def _on_open_passage(self, message: PassageList.Open) -> None:
        event = self.selected_event
        if event is not None:
            passage = event.passages[message.passage_index]
            self.post_message(SourceRequested(passage.source_id, event.id, message.passage_index))

    @on(TimeAxis.Picked)
    def _on_axis_picked(self, message: TimeAxis.Picked) -> None:
        self.select_event(self._timeline.events[message.event_index].id)
        self.focus_timeline()

    def _on_query_typed(self, query: str) -> None:
        """The search field changed: filter now, so both draw in the same frame.

        When filtering is expected to take longer than a frame (at 100,000 events
        a query of a letter or two takes 60-100 ms), the character is drawn
        first and the list filtered after: the typing shows at once, and the
        characters typed meanwhile are filtered once, for the query they make.
        (Expected from the last filter's time per event looked at: a query that
        adds a letter looks only among the last one's hits.)
        """
        if not self.is_mounted:
            return
        if self._typed_query is None:
            terms = terms_of(query)
            if not terms or not self._index.ready or (
                self._filter_rate * self._index.candidate_count(query) <= SLOW_FILTER
            ):
                self._apply_search(query)
                return
            self.call_after_refresh(self._apply_typed_query)
        self._typed_query = query

    def _apply_typed_query(self) -> None:
        query, self._typed_query = self._typed_query, None
        if query is not None and query != self._applied_query:
            self._apply_search(query)

    @on(SearchBar.Changed)
    def _on_search_changed(self, message: SearchBar.Changed) -> None:
        if message.value != self._applied_query and self._typed_query is None:
            self._apply_search(message.value)

    @on(SearchBar.Submitted)
    def _on_search_submitted(self, message: SearchBar.Submitted) -> None:
        # Enter: the user wants the hits of what is typed, now (a query waiting for the
        # screen to show it, or for the index)
        self._apply_typed_query()
        if self._waiting_query is not None:
            self._index.build()
            self._apply_search(self._waiting_query)
        timeline_list = self.timeline_list
        if timeline_list.visible_event_count:
            timeline_list.action_first()
            self.focus_timeline()
        else:
            self.notify("No event matches the search.", severity="warning")

    @on(SearchBar.Cleared)
    def _on_search_cleared(self, message: SearchBar.Cleared) -> None:
        self._clear_search()
        self.focus_timeline()

    def on_resize(self, event: Resize) -> None:
        self._fit_to(event.size)

    def _fit_to(self, size: Size) -> None:
        self.set_class(size.width < NARROW_WIDTH, "-narrow")
        self.set_class(size.height < SHORT_HEIGHT, "-short")
        if self._errors[0]:
            self._show_errors()

    # -- helpers ---------------------------------------------------------------------

    def _apply_search(self, query: str) -> None:
        self._applied_query = query
        terms = terms_of(query)
        if terms and not self._index.ready:  # filtered once the index is (see _prepare)
            self._waiting_query = query
            self._update_title(query)
            return
        self._waiting_query = None
        self._indexed_share = 0.0
        if not terms:
            self._show_all()
        else:
            if self._search_origin is None:
                selected = self.selected_event
                self._search_origin = selected.id if selected else None
            looked_at = self._index.candidate_count(query)
            started = time.perf_counter()
            self._filtering = True
            try:
                self.timeline_list.filter(self._index.search(query), terms)
            finally:
                self._filtering = False
            self._filter_rate = (time.perf_counter() - started) / max(looked_at, 1)
        self._update_title(query)
        self._show_selected()

    def _search_bar(self) -> SearchBar | None:
        """The search field, once opened."""
        found = self.query("#search")
        return found.first(SearchBar) if found else None

    def _clear_search(self) -> None:
        search = self._search_bar()
        if search is not None:
            search.value = ""
            search.display = False
            self.set_class(False, "-searching")
            if self._errors[0]:
                self._show_errors()
        self._applied_query = ""
        self._waiting_query = None
        self._typed_query = None
        self._show_all()
        self._update_title()

    def _show_all(self) -> None:
        """Every event shown again, the one selected as the search began selected again
        (though the search matched nothing, or not it), unless the user chose another."""
        origin, self._search_origin = self._search_origin, None
        timeline_list = self.timeline_list
        self._filtering = True
        try:
            timeline_list.filter(None)
            index = self._timeline.index_of(origin) if origin is not None else None
            if index is not None:
                timeline_list.select_event(index)
        finally:
            self._filtering = False

    def _show_selected(self) -> None:
        index = self.timeline_list.selected_index
        event = None if index is None else self._timeline.events[index]
        self.query_one(PassageList).show(event, self._timeline)
        self.query_one(TimeAxis).selected = index

    def _update_title(self, query: str = "") -> None:
        timeline = self._timeline
        text = Text(one_line(timeline.title), style="bold")
        shown = self.timeline_list.visible_event_count
        if self._waiting_query is not None:
            text.append(f"  indexing for search: {self._indexed_share:.0%} ", style="")
            text.append(one_line(self._waiting_query), style="italic")
        elif query.strip():
            total = len(timeline.events)
            text.append(
                f"  {shown:,} of {counted(total, 'event')}"
                f" {'matches' if shown == 1 else 'match'} ",
                style="",
            )
            text.append(one_line(query), style="italic")
        else:
            events, sources = len(timeline.events), len(timeline.sources)
            text.append(
                f"  {counted(events, 'event')} · {counted(sources, 'source')}"
            )
        text.append(f"  {one_line(self._events_path)}", style="dim")
        self.query_one("#title-bar", Static).update(text, layout=False)  # one row, always


def _more_errors(count: int) -> Text:
    """The errors panel's last line, when it cannot list them all."""
    return Text(f"… and {count:,} more: run citeline validate")
