"""The citeline browser: screens, navigation history, live reload, exports."""

from __future__ import annotations

import asyncio
import gc
import importlib
import os
import re
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.css.query import NoMatches
from textual.geometry import Size
from textual.screen import ModalScreen, Screen
from textual.widget import AwaitMount
from textual.widgets import Input

from citeline.loader import LoadResult, load, remember
from citeline.model import EventDate, Timeline
from citeline.pending_load import LoadCancelled, PendingLoad
from citeline.sanitize import one_line
from citeline.tui.commands import bindings
from citeline.tui.history import History, Place
from citeline.tui.messages import EventChosen, PassageFocused, SourceRequested
from citeline.tui.palette import EventCommands, ExportCommands, SourceCommands
from citeline.tui.reload import (
    Look,
    Snapshot,
    Watched,
    same_passage,
    snapshot,
    watched_paths,
)
from citeline.tui.screens.main_screen import MainScreen
from citeline.wording import counted

if TYPE_CHECKING:
    from textual.command import CommandPalette

    from citeline.tui.screens.coverage_screen import CoverageScreen

#: How often the files are checked for changes, in seconds.
RELOAD_INTERVAL = 0.5
#: Seconds without a key or a click before the timeline cache is written.
REMEMBER_IDLE = 1.0
#: Seconds without a key or a click before the source viewer is mounted, unseen.
VIEWER_IDLE = 0.3
#: How long a thread may hold the interpreter lock while another waits for it, while the
#: browser runs (Python's default is 5 ms). Textual writes every frame to the terminal
#: from a thread of its own, which needs the lock three times per frame; when the
#: interface goes on working after drawing (the frame after a key, the first frame),
#: each of those waited up to 5 ms: the first frame reached the terminal 14 ms after
#: it was drawn, against 2 ms with this.
SWITCH_INTERVAL = 0.0005
#: Textual's palette commands left out: maximizing the focused widget blanks the whole
#: screen (each screen lays out its widgets in a grid of its own); none maximized, none
#: to minimize.
DROPPED_SYSTEM_COMMANDS = frozenset({"Maximize", "Minimize"})
#: The loading screen's styles (see ``CitelineApp.CSS_PATH``).
LOADING_STYLES = "styles/loading.tcss"
#: The modules of the screens opened later, imported just after the first frame (the
#: first source opened would otherwise wait for its viewer's: about 11 ms).
#: The styles of those screens, read with them: their rules match nothing on the main
#: screen, so reading them changes no style shown (parsing them at start took 4 ms).
LATER_STYLES = tuple(
    Path(__file__).parent / "styles" / name
    for name in ("source.tcss", "sources.tcss", "coverage.tcss", "help.tcss", "date.tcss")
)
LATER_SCREENS = (
    "citeline.tui.screens.source_screen",
    "citeline.tui.screens.sources_screen",
    "citeline.tui.screens.coverage_screen",
    "citeline.tui.screens.help_screen",
    "citeline.tui.screens.date_screen",
)


class CitelineApp(App[int]):
    """Browse a timeline; every event opens its sources at the quoted words."""

    # The styles of what can show first. The later screens' are read after the first frame
    # (see ``LATER_STYLES``); a screen's own CSS_PATH (kept, for other
    # hosts) would otherwise make Textual re-read the whole stylesheet and restyle every
    # widget the first time that screen opens (about 14 ms for the source viewer). The
    # loading screen's are read only by a browser that starts on it.
    CSS_PATH = ["styles/app.tcss", "styles/main.tcss", LOADING_STYLES]
    TITLE = "citeline"
    BINDINGS = bindings(
        "app.previous-event",
        "app.next-event",
        "app.back",
        "app.search",
        "app.sources",
        "app.coverage",
        "app.help",
        "app.quit",
        "app.goto-date",  # (after quit: where the footer is short, it gives way first)
        "app.quit-now",
        "app.palette",
    )
    COMMANDS = App.COMMANDS | {EventCommands, SourceCommands, ExportCommands}

    def __init__(
        self,
        timeline: Timeline | None,
        events_path: Path,
        *,
        select_event: str | None = None,
        watch: bool = True,
        load_result: LoadResult | None = None,
        pending: PendingLoad | None = None,
        resume_collector: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(
            css_path=[path for path in self.CSS_PATH if path != LOADING_STYLES]
            if timeline is not None else None
        )
        if timeline is None and pending is None:
            raise ValueError("a timeline or a pending load of one is needed")
        self._load_result = load_result
        self._pending = pending
        #: the result of ``pending`` if it could not be shown (errors, an unknown
        #: ``select_event``): the app exits, and the caller reports it
        self.late_load: LoadResult | None = None
        self.timeline: Timeline = timeline  # type: ignore[assignment]  # set once loaded
        self.events_path = events_path
        self._initial_event = select_event
        self._watch = watch
        self.history: History[Place] = History()
        #: the watched files as last seen (``None``: not looked at yet)
        self._snapshot: Snapshot | None = None
        #: a look at the files (and the reload it may start) is under way
        self._reloading = False
        self.reload_count = 0
        self.last_diagnostics: tuple = ()
        #: ``time.monotonic()`` of the last key or mouse event (background work yields to it);
        #: the timeline showing counts as one (see :meth:`_open_timeline`)
        self.last_input = 0.0
        #: held by whoever runs heavy work on a thread, so that two never run at once: each
        #: holds the interpreter lock most of the time, and the keys would wait on both
        self.background_work = asyncio.Lock()
        self._unremembered: LoadResult | None = None  # to cache (or restamp), not yet
        #: called once the timeline first shows (the caller paused the collector for the start)
        self._resume_collector = resume_collector

    def run(self, *args: Any, **kwargs: Any) -> int | None:
        """Run the browser, the frames written out without waiting (:data:`SWITCH_INTERVAL`)."""
        interval = sys.getswitchinterval()
        sys.setswitchinterval(min(interval, SWITCH_INTERVAL))
        try:
            return super().run(*args, **kwargs)
        finally:
            sys.setswitchinterval(interval)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's palette commands, less those that do not work with these screens."""
        for command in super().get_system_commands(screen):
            if command.title not in DROPPED_SYSTEM_COMMANDS:
                yield command

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseEvent)):
            self.last_input = time.monotonic()
        await super().on_event(event)

    # -- start-up ------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        """The main screen, when the timeline is here from the start (a cached or small one).

        It is then the first screen itself: no blank default screen is
        composed, laid out and drawn before it is pushed (about 50 ms of a
        0.4 s first frame). A timeline still loading starts on the blank
        screen, under the loading screen.
        """
        if self.timeline is None:
            return super().get_default_screen()
        return self._make_main_screen()

    def _make_main_screen(self) -> MainScreen:
        gc.freeze()  # the timeline, before the screen is built (see _freeze_timeline)
        self.main_screen = MainScreen(
            self.timeline, str(self.events_path), select=self._initial_event
        )
        return self.main_screen

    async def on_mount(self) -> None:
        if self.timeline is None:
            from citeline.tui.screens.loading_screen import LoadingScreen

            await self.push_screen(LoadingScreen(self._pending))  # type: ignore[arg-type]
            self._wait_for_load()

    def _start_watching(self) -> None:
        """Take the first look at the files (off the UI thread), then look every so often.

        Called once the timeline has shown: the first look compares the
        files with their stamps as the load read them (see
        :meth:`_as_loaded`), so a file saved since then is seen all the same.
        Taken before the first frame, on a thread of its own, it held the
        first frame up by 10 ms at 10,000 events (the stamps of 1,000
        sources and their folders), 1.5 ms on the bundled timeline.
        """
        if self._watch:
            self._check_files()
            self.set_interval(RELOAD_INTERVAL, self._check_files)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the timeline loads, only quitting works; ``/`` types into a text field."""
        if self.timeline is None:
            return action == "quit"
        return not (action == "search" and isinstance(self.focused, Input))

    @work(thread=True, group="load")
    def _wait_for_load(self) -> None:
        assert self._pending is not None
        try:
            result = self._pending.wait()
        except LoadCancelled:  # the user quit while it loaded
            return
        if result is not None:
            self.call_from_thread(self._loaded, result)

    async def _loaded(self, result: LoadResult) -> None:
        timeline = result.timeline
        wanted = self._initial_event
        if timeline is None or (wanted is not None and timeline.event(wanted) is None):
            self.late_load = result
            self.exit(return_code=1)
            return
        self.timeline = timeline
        self._load_result = result
        # in place of the loading screen, which stays drawn while the main screen is
        # composed (0.6 s at 100,000 events): popped first, it left the blank default
        # screen drawn meanwhile
        await self.switch_screen(self._make_main_screen())

    @on(MainScreen.Ready)
    def _open_timeline(self) -> None:
        """The main screen is up: start the history, the caching, the watching, the warm-up.

        The timeline showing counts as the user's last input: the work that
        waits for a pause (the lookups, the viewer, the cache) waits for one
        after it, rather than starting at once, all together, just as the
        first keys come.
        """
        try:
            selected = self.main_screen.selected_event
        except NoMatches:  # closed as it opened: its widgets are gone already
            return
        self.last_input = time.monotonic()
        self.history.visit(Place("timeline", selected.id if selected else None))
        if self._load_result is not None and self._load_result.worth_remembering:
            self._unremembered = self._load_result
            self._remember()
        self.call_after_refresh(self._freeze_timeline)
        self.call_after_refresh(self._start_watching)
        if self._resume_collector is not None:
            self.call_after_refresh(self._resume_collector)
        self.call_after_refresh(self._warm_up)

    @work(group="warm-up")
    async def _warm_up(self) -> None:
        """After the first frame: import the later screens, then get the viewer ready."""
        await asyncio.to_thread(self._import_later_screens)
        self._read_later_styles()
        await self._prepare_viewer()

    def _import_later_screens(self) -> None:
        for name in LATER_SCREENS:
            importlib.import_module(name)

    def _read_later_styles(self) -> None:
        """Read the later screens' styles; Textual parses only those (it keeps the rest).

        A screen opened before this (a key pressed in the first frames) has had its
        styles read by Textual, with the whole stylesheet applied again.
        """
        stylesheet = self.stylesheet
        unread = [path for path in LATER_STYLES if not stylesheet.has_source(str(path))]
        for path in unread:
            stylesheet.read(path)
        if unread:
            stylesheet.parse()

    async def _prepare_viewer(self) -> None:
        """Mount the source viewer unseen, on the selected event's first source.

        The first opening of a source would otherwise compose and mount the
        viewer (about 12 ms at 10,000 events) before drawing it; mounted here,
        in a pause of the user's, it opens as a kept viewer does (see
        :meth:`_apply`). The passages citing that source are found off the
        loop first (one pass over the events: 80 ms at 100,000).

        Textual mounts a screen when it is first pushed and has no public way
        to mount one unseen; this calls the registration that push uses, and
        is skipped (the viewer is then made on first use) should it be gone.
        """
        register = getattr(self, "_register", None)
        if not callable(register):
            return
        await self.until_idle(VIEWER_IDLE)
        async with self.background_work:
            # (the timeline is taken only now: one replaced while this waited is not kept)
            timeline = self.timeline
            event = self.main_screen.selected_event
            if self.is_screen_installed("source") or event is None or not event.passages:
                return  # a source was opened meanwhile, or there is none to show
            source_id = event.passages[0].source_id
            await asyncio.to_thread(timeline.citations, source_id)  # kept by the timeline
        if self.timeline is not timeline or self.is_screen_installed("source"):
            return  # reloaded, or a source was opened meanwhile
        from citeline.tui.screens.source_screen import SourceScreen

        viewer = SourceScreen(timeline, source_id, event.id, 0)
        self.install_screen(viewer, "source")
        await AwaitMount(viewer, register(self, viewer))
        if viewer not in self.screen_stack:
            viewer.park()
            _draw_unseen(viewer, self.size)

    def _freeze_timeline(self) -> None:
        """Take the loaded timeline out of the garbage collector's sight.

        Its hundreds of thousands of objects live as long as the browser shows
        them, yet every full collection would walk them all (a pause of about
        0.1 s per 10,000 events, felt as a late key press). They hold no
        reference cycles, so when a reload replaces them reference counting
        frees them even though they are frozen. Only the young generations are
        collected first: a loaded timeline leaves no garbage, and a full
        collection is the very pause this avoids. Done once before the main
        screen is built and again after its first frame (for what mounting
        made: the rows of the list, the axis).
        """
        gc.collect(1)
        gc.freeze()

    def on_unmount(self) -> None:
        if self._pending is not None:
            self._pending.cancel()  # quit while loading: the load stops at its next report
        gc.unfreeze()  # let the collector have the screens back (several apps in one process)
        if self._unremembered is not None:  # closed before the user ever paused
            remember(self.events_path, self._unremembered)
            self._unremembered = None

    def user_busy(self, idle: float) -> bool:
        """Whether a key (or click) came less than ``idle`` seconds ago."""
        return time.monotonic() - self.last_input < idle

    async def until_idle(self, idle: float) -> None:
        """Return once ``idle`` seconds have passed without keys or clicks.

        It sleeps until the moment the last input gets that old, and again
        if another came meanwhile: it notices the pause as it begins.
        """
        while (left := self.last_input + idle - time.monotonic()) > 0:
            await asyncio.sleep(left)

    @work(group="cache")
    async def _remember(self) -> None:
        """Cache the freshly checked timeline (``_unremembered``) off the UI thread,
        once the user pauses (for a cached one whose files were known unchanged by
        their content, not their stamp, the entry's stamps are brought up to date).

        Writing the cache holds the interpreter lock most of the time (building
        the document, then encoding it all in one call: about 2 s at 100,000
        events), so keys pressed meanwhile would wait: it waits for a second
        without keys (or clicks) first. If the browser is closed before
        that, the cache is written as it closes (see :meth:`on_unmount`).

        It takes no argument: Textual describes a worker by the ``repr`` of
        its arguments, and that of a load result is the whole timeline (the
        first key after a cold start waited for it: 0.4 s at 10,000 events,
        6 s at 100,000).
        """
        await self.until_idle(REMEMBER_IDLE)  # (after the timeline showed: see _open_timeline)
        async with self.background_work:
            result, self._unremembered = self._unremembered, None
            if result is not None:
                await asyncio.to_thread(remember, self.events_path, result)

    # -- navigation ------------------------------------------------------------------

    def _visit(self, place: Place) -> None:
        self.history.visit(place)
        self._apply(place)

    def _apply(self, place: Place) -> None:
        """Make the screens show ``place``.

        The source viewer is one screen, made on first use and then kept
        (installed as ``"source"``) for the app's life: each opening swaps the
        source into it (:meth:`SourceScreen.show_source`), which is several
        times quicker than composing and mounting a new screen. It is swapped
        in place when it is already on top, so it is never popped and pushed
        again in one go.
        """
        from citeline.tui.screens.source_screen import SourceScreen

        top = self.screen
        if place.view == "source" and place.source_id is not None:
            if (
                isinstance(top, SourceScreen)
                and top.source_id == place.source_id
                and top.timeline is self.timeline
                and place.event_id is not None
                and place.passage_index is not None
            ):
                top.show_passage(place.event_id, place.passage_index)
                self._select_quietly(place.event_id)
                return
            viewer = self.get_screen("source") if self.is_screen_installed("source") else None
            while self.screen is not viewer and self.screen is not self.main_screen:
                self.pop_screen()  # (a palette over the viewer: down to the viewer)
            if place.event_id is not None:
                self.main_screen.select_event(place.event_id)
            if isinstance(viewer, SourceScreen):
                viewer.show_source(
                    self.timeline, place.source_id, place.event_id, place.passage_index
                )
            else:
                viewer = SourceScreen(
                    self.timeline, place.source_id, place.event_id, place.passage_index
                )
                self.install_screen(viewer, "source")
            if self.screen is not viewer:
                self.push_screen(viewer)
            return
        coverage = self._kept_coverage()
        if place.view == "coverage" and top is coverage and coverage is not None:
            # shown already: moved in place, never popped and pushed again in one go
            if place.event_id is not None:
                coverage.select_event(place.event_id)
                self._select_quietly(place.event_id)
            return
        self._pop_to_main()
        if place.event_id is not None:
            self.main_screen.select_event(place.event_id)
        if place.view == "timeline":
            self.main_screen.focus_timeline()
        elif place.view == "passages":
            self.main_screen.focus_passages(place.passage_index)
        elif place.view == "coverage":
            # (the selected event: the place's, unless a reload took it away)
            self.push_screen(self._coverage_screen(self._selected_id()))
        elif place.view in ("sources", "help"):
            self.push_screen(self._make_screen(place.view, place.source_id, place.scroll))

    def _make_screen(
        self, view: str, source_id: str | None = None, scroll: int | None = None
    ) -> Screen:
        """The sources list (its cursor on ``source_id``, scrolled ``scroll`` rows
        down as far as its cursor stays in sight) or the help screen."""
        if view == "sources":
            from citeline.tui.screens.sources_screen import SourcesScreen

            return SourcesScreen(self.timeline, source_id, scroll)
        from citeline.tui.screens.help_screen import HelpScreen

        return HelpScreen()

    def _coverage_screen(self, event_id: str | None) -> CoverageScreen:
        """The coverage screen with its cursor on ``event_id``'s row.

        Made once per timeline, then kept (installed as ``"coverage"``): a
        visit after another (back from a source opened in it) finds the
        cursor where it was, in the same column.
        """
        from citeline.tui.screens.coverage_screen import CoverageScreen

        kept = self._kept_coverage()
        if kept is not None and kept.timeline is self.timeline:
            if event_id is not None:
                kept.select_event(event_id)
            return kept
        self._drop_coverage()
        screen = CoverageScreen(self.timeline, event_id)
        self.install_screen(screen, "coverage")
        return screen

    def _kept_coverage(self) -> CoverageScreen | None:
        if not self.is_screen_installed("coverage"):
            return None
        return self.get_screen("coverage")  # type: ignore[return-value]

    def _drop_coverage(self) -> None:
        """Let the kept coverage screen go (with the timeline it holds), unless shown."""
        kept = self._kept_coverage()
        if kept is not None and kept not in self.screen_stack:
            self.uninstall_screen("coverage")
            kept.remove()

    def _pop_to_main(self) -> None:
        while len(self.screen_stack) > 1 and self.screen is not self.main_screen:
            self.pop_screen()

    def _select_quietly(self, event_id: str) -> None:
        self.main_screen.select_event(event_id)

    def _selected_id(self) -> str | None:
        event = self.main_screen.selected_event
        return event.id if event else None

    def _view_screen(self) -> Screen:
        """The screen the user is on: the top one, or the one under the palette or a box
        (a modal screen) open over it."""
        for screen in reversed(self.screen_stack):
            if not isinstance(screen, ModalScreen):
                return screen
        return self.screen

    def _current_place(self) -> Place:
        """Where the user is now, read from the screens (under a palette or a box)."""
        selected = self._selected_id()
        view = self._view_screen()
        if view is self.main_screen:
            if self.main_screen.passages_focused:
                return Place("passages", selected, passage_index=self.main_screen.passage_index)
            return Place("timeline", selected)
        coverage = self._kept_coverage()
        if coverage is not None and view is coverage:
            event = coverage.grid.cursor_event  # (its row is that event's, to come back to)
            return Place("coverage", event.id if event else selected)
        # (no sources list is open unless its module was imported: not imported for this)
        sources = sys.modules.get("citeline.tui.screens.sources_screen")
        if sources is not None and isinstance(view, sources.SourcesScreen):
            # (to come back to: its cursor, and the rows it showed)
            return Place("sources", selected, view.highlighted_source, scroll=view.list_scroll)
        return self.history.current or Place("timeline", selected)

    def go_to_event(self, event_id: str) -> None:
        """Show an event's detail on the main screen (a step in the history)."""
        if self.timeline.event(event_id) is None:  # (a palette's, from before a reload)
            self.notify(f"No event '{one_line(event_id)}' now.", severity="warning",
                        markup=False)
            return
        self.history.replace(self._current_place())
        self._visit(Place("timeline", event_id))

    def open_source(
        self, source_id: str, event_id: str | None = None, passage_index: int | None = None
    ) -> None:
        if self.timeline.source(source_id) is None:  # (a palette's, from before a reload)
            self.notify(f"No source '{one_line(source_id)}' now.", severity="warning",
                        markup=False)
            return
        self.history.replace(self._current_place())
        self._visit(Place("source", event_id, source_id, passage_index))

    def action_back(self) -> None:
        self.history.replace(self._current_place())
        place = self.history.back()
        if place is not None:
            self._apply(place)
        elif self.screen is not self.main_screen:
            self._pop_to_main()
        elif self.main_screen.passages_focused:
            self.main_screen.focus_timeline()

    def action_step_event(self, delta: int) -> None:
        """``[``/``]``: the previous/next event from any screen."""
        from citeline.tui.screens.source_screen import SourceScreen

        top = self.screen
        coverage = self._kept_coverage()
        self._select_grid_row()  # (a step from the grid's row)
        event = self.main_screen.step_event(delta)
        if event is None:
            return
        if isinstance(top, SourceScreen):
            if not top.follow_event(event.id):
                passage = event.passages[0]
                self.history.replace(Place("source", event.id, passage.source_id, 0))
                self._apply(self.history.current)  # type: ignore[arg-type]
                return
            current = self.history.current
            if current is not None:
                self.history.replace(
                    Place("source", event.id, top.source_id, current.passage_index)
                )
        elif top is coverage and coverage is not None:
            coverage.select_event(event.id)
            self.history.replace(Place("coverage", event.id))
        elif top is not self.main_screen:
            self.notify(f"Selected: {event.title}", timeout=2, markup=False)
        else:
            self.history.replace(self._current_place())

    def _select_grid_row(self) -> None:
        """On the coverage grid, its row's event is the selection: make it the main
        screen's before a key that starts from the selection."""
        coverage = self._kept_coverage()
        if self.screen is coverage and coverage is not None:
            event = coverage.grid.cursor_event
            if event is not None:
                self._select_quietly(event.id)

    async def action_search(self) -> None:
        if self.screen is not self.main_screen:
            self._select_grid_row()
            self.history.replace(self._current_place())
            self._visit(Place("timeline", self._selected_id()))
        await self.main_screen.open_search()

    def action_goto_date(self) -> None:
        """``d``: ask for a date, then select the first event shown from it."""
        from citeline.tui.screens.date_screen import DateScreen

        if isinstance(self.screen, DateScreen):
            return
        # (over the screen the user is on: Esc leaves them there; Enter goes to the timeline)
        self.push_screen(DateScreen(self.main_screen.describe_date_target), self._go_to_date)

    def _go_to_date(self, date: EventDate | None) -> None:
        """Select the event ``date`` leads to, shown at the top of the list with what
        follows it below."""
        target = None if date is None else self.main_screen.date_target(date)
        if target is not None:
            self.go_to_event(target[0].id)
            timeline_list = self.main_screen.timeline_list
            timeline_list.call_after_refresh(timeline_list.scroll_cursor_to_top)

    def action_sources(self) -> None:
        self._open_view("sources")

    def action_coverage(self) -> None:
        self._open_view("coverage")

    def action_help(self) -> None:
        self._open_view("help")

    def _open_view(self, view: str) -> None:
        current = self.history.current
        if current is not None and current.view == view and self.screen is not self.main_screen:
            return
        self.history.replace(self._current_place())
        self._visit(Place(view, self._selected_id()))

    # -- messages from screens ------------------------------------------------------------

    @on(EventChosen)
    def _on_event_chosen(self, message: EventChosen) -> None:
        self.go_to_event(message.event_id)

    @on(SourceRequested)
    def _on_source_requested(self, message: SourceRequested) -> None:
        self.open_source(message.source_id, message.event_id, message.passage_index)

    @on(PassageFocused)
    def _on_passage_focused(self, message: PassageFocused) -> None:
        self.history.replace(
            Place("source", message.event_id, message.source_id, message.passage_index)
        )
        self._select_quietly(message.event_id)

    # -- live reload --------------------------------------------------------------------------

    def _current_snapshot(
        self, timeline: Timeline | None, extra: tuple[Path, ...] = ()
    ) -> Snapshot:
        sources = [s.path for s in timeline.sources] if timeline else []
        return snapshot(watched_paths(self.events_path, [*sources, *extra]))

    def _as_loaded(self, current: Snapshot) -> Snapshot:
        """``current`` with each file the load read stamped as the load found it.

        A file saved between the load and the first look then differs from
        it. The folders, and the files of a timeline given without its load,
        are taken as they are now.
        """
        loaded = self._load_result.stamps if self._load_result is not None else {}
        # (a folder is never among the files read)
        return Snapshot(current.watched, {
            path: loaded.get(os.path.normpath(path), look)
            for path, look in current.looks.items()
        })

    def _check_files(self) -> None:
        """Look at the files on a thread, unless the last look is not done: one at a time.

        A look that finds a change loads the timeline again, which may take
        longer than :data:`RELOAD_INTERVAL`. A second load beside it would
        only slow both down (each holds the interpreter lock most of the
        time), and the one that read the older files could be shown last.
        A save made during the load is seen by the first look after it.
        """
        if self._reloading:
            return
        self._reloading = True
        self._reload_if_changed()

    @work(thread=True, group="reload")
    def _reload_if_changed(self) -> None:
        try:
            self._look_and_reload()
        finally:
            self._reloading = False  # (after the reload was applied: see call_from_thread)

    def _look_and_reload(self) -> None:
        if self._snapshot is None:  # the first look: against what the load read
            current = self._current_snapshot(self.timeline)
            self._snapshot = self._as_loaded(current)
        else:
            current = snapshot(self._snapshot.watched)
        if current.looks == self._snapshot.looks:
            return
        result = load(self.events_path, long_lived=True)
        remember(self.events_path, result)
        self.call_from_thread(self._apply_reload, result, _seen_before(current, result))

    def _apply_reload(self, result: LoadResult, new_snapshot: Snapshot) -> None:
        self._snapshot = new_snapshot
        self.reload_count += 1
        self.last_diagnostics = result.diagnostics
        self.main_screen.show_diagnostics(result.diagnostics, result.counts[0])
        if result.timeline is None:
            errors = result.counts[0]
            self.notify(
                f"The timeline has {counted(errors, 'error')}; still showing"
                " the last good version.",
                severity="error",
                timeout=4,
            )
            return
        before, after = self.timeline, result.timeline
        self.timeline = after
        place = _reloaded_place(self._current_place(), before, after)
        self.history.update(lambda visited: _reloaded_place(visited, before, after))
        self.main_screen.set_timeline(result.timeline)
        self.call_after_refresh(self._freeze_timeline)
        from textual.command import CommandPalette

        from citeline.tui.screens.date_screen import DateScreen

        view = self._view_screen()
        if view is self.main_screen or self._show_reloaded(view, place):
            # shown in place: a palette or a box open over it stays open, what is typed kept
            self._drop_coverage()  # (made for the old timeline, unless shown)
            for screen in self.screen_stack:
                if isinstance(screen, DateScreen):
                    screen.describe_again()
                elif isinstance(screen, CommandPalette):
                    _search_again(screen)
        else:
            still_there = place.event_id is None or result.timeline.event(place.event_id)
            if place.view == "source" and (
                not still_there or result.timeline.source(place.source_id or "") is None
            ):
                place = Place("timeline", self._selected_id())
            self._pop_to_main()
            self._drop_coverage()  # (made for the old timeline)
            self._apply(place)
        self.notify(f"Reloaded: {counted(len(result.timeline.events), 'event')}.", timeout=2)

    def _show_reloaded(self, view: Screen, place: Place) -> bool:
        """Show the reloaded timeline in ``view``, kept on top (with the palette or a
        box open over it), its cursor where it was; ``False`` if ``view`` cannot, and is
        to be made again."""
        from citeline.tui.screens.help_screen import HelpScreen
        from citeline.tui.screens.source_screen import SourceScreen
        from citeline.tui.screens.sources_screen import SourcesScreen

        timeline = self.timeline
        event_there = place.event_id is None or timeline.event(place.event_id) is not None
        if isinstance(view, SourceScreen) and not (
            event_there and place.view == "source" and place.source_id == view.source_id
            and timeline.source(view.source_id) is not None
        ):
            return False  # (the source or the event gone: the timeline shown instead)
        if place.event_id is not None and event_there:
            self._select_quietly(place.event_id)
        if isinstance(view, SourceScreen):
            view.show_reloaded(timeline, place.event_id, place.passage_index)
            return True
        if isinstance(view, SourcesScreen):
            view.set_timeline(timeline)
            return True
        coverage = self._kept_coverage()
        if view is coverage and coverage is not None:
            coverage.set_timeline(timeline, self._selected_id())
            return True
        return isinstance(view, HelpScreen)

    # -- export ---------------------------------------------------------------------------------

    def export_path(self, fmt: str) -> Path:
        from citeline.export import SUFFIXES

        stem = re.sub(r"[^a-z0-9]+", "-", self.timeline.title.lower()).strip("-") or "timeline"
        suffix = SUFFIXES[fmt]
        if fmt == "timelinejs":
            stem += "-timelinejs"
        return Path.cwd() / f"{stem}{suffix}"

    @work(thread=True, exclusive=True, group="export")
    def export(self, fmt: str) -> None:
        from citeline.export import export_text
        from citeline.export.atomic import write_atomic
        from citeline.export.own_files import own_file

        path = self.export_path(fmt)
        own = own_file(str(path), self.timeline, self.events_path)
        if own is not None:  # (as the command line refuses it)
            self.call_from_thread(
                self.notify,
                f"Export refused: {path} is {own}. Nothing was written; to export elsewhere,"
                f" run 'citeline export --format {fmt} -o FILE'.",
                severity="error",
                markup=False,
            )
            return
        try:
            write_atomic(path, export_text(self.timeline, fmt))
        except OSError as error:
            self.call_from_thread(
                self.notify, f"Export failed: {error.strerror or error}", severity="error"
            )
            return
        self.call_from_thread(self.notify, f"Exported {fmt} to {path}", markup=False)


def _reloaded_place(place: Place, before: Timeline, after: Timeline) -> Place:
    """``place`` in the reloaded timeline ``after``: its passage the same passage of the
    same event (see :func:`same_passage`), though others were added or removed."""
    if place.event_id is None or place.passage_index is None:
        return place
    old, new = before.event(place.event_id), after.event(place.event_id)
    if old is None or new is None:
        return place
    index = same_passage(old, place.passage_index, new)
    return place if index is None else place._replace(passage_index=index)


def _seen_before(before: Snapshot, result: LoadResult) -> Snapshot:
    """The files a reload's ``result`` watches, as they were before it read them.

    ``before`` was taken just before the load: a file saved while it loaded
    then differs from it, and is reloaded at the next look (a snapshot taken
    after the load would take that save for the one loaded). A file only
    this reload watches (a source just added) is stamped as the load found
    it, or as missing if it read none (so it is read once it appears); a
    new folder, as it is now.
    """
    timeline = result.timeline
    sources = [s.path for s in timeline.sources] if timeline is not None else []
    watched = watched_paths(before.watched.events_file, [*sources, *result.source_paths])
    now = snapshot(Watched(watched.events_file, (), tuple(
        folder for folder in watched.folders if folder not in before.looks
    )))
    looks: dict[Path, Look] = {}
    for path in (watched.events_file, *watched.sources):
        if path in before.looks:
            looks[path] = before.looks[path]
        else:
            looks[path] = result.stamps.get(os.path.normpath(path))
    for folder in watched.folders:
        looks[folder] = before.looks[folder] if folder in before.looks else now.looks[folder]
    return Snapshot(watched, looks)


def _search_again(palette: CommandPalette) -> None:
    """Have an open palette list its entries again for what is typed in it (from the
    reloaded timeline), as if it had just been typed; unless the user has moved its
    highlight off the first entry.

    Listing them again puts the highlight back on the first entry, and ``Enter``
    would then take the user somewhere other than where they chose. An entry
    kept from before the reload says so if what it leads to is gone.
    """
    from textual.command import CommandInput, CommandList
    from textual.widgets import Input

    if palette.query_one(CommandList).highlighted:
        return
    field = palette.query_one(CommandInput)
    palette.post_message(Input.Changed(field, field.value))


def _draw_unseen(screen: Screen, size: Size) -> None:
    """Lay out and draw a mounted ``screen`` that is not shown, so that its first
    showing finds every line already drawn.

    Textual draws only the screen shown, so a kept screen's first showing
    drew all of it (16 ms of the source viewer's first opening, against 3 ms
    for the next ones). This runs what a showing runs but the writing out:
    the layout, then a full render of the lines, which each widget keeps.
    Skipped should those steps be gone from Textual.
    """
    refresh_layout = getattr(screen, "_refresh_layout", None)
    render_update = getattr(getattr(screen, "_compositor", None), "render_update", None)
    if not callable(refresh_layout) or not callable(render_update):
        return
    refresh_layout(size)
    render_update(full=True)


def make_app(
    timeline: Timeline | None,
    events_path: Path,
    *,
    select_event: str | None = None,
    watch: bool = True,
    load_result: LoadResult | None = None,
    pending: PendingLoad | None = None,
    resume_collector: Callable[[], None] | None = None,
) -> CitelineApp:
    """The one factory the CLI and the tests build the browser with.

    ``load_result``, when given, is cached after the first frame for a quick
    next start (unless it came from the cache already). Without a
    ``timeline``, the browser shows a loading screen until ``pending`` is
    done; if that load has errors (or no ``select_event``), it exits at once
    with the result in :attr:`CitelineApp.late_load` for the caller to report.
    ``resume_collector`` is called once the timeline has first shown and what
    made it is frozen (see :func:`citeline.collector.pause_until_resumed`).
    """
    return CitelineApp(
        timeline,
        events_path,
        select_event=select_event,
        watch=watch,
        load_result=load_result,
        pending=pending,
        resume_collector=resume_collector,
    )
