"""The app's navigation across screens: sources, back-history, [ and ], the palette."""

from __future__ import annotations

from pathlib import Path

import pytest

from citeline.tui.app import CitelineApp, make_app
from citeline.tui.screens.coverage_screen import CoverageScreen
from citeline.tui.screens.source_screen import SourceScreen
from citeline.tui.screens.sources_screen import SourcesScreen
from citeline.tui.widgets.citing_events import CitingEvents
from citeline.tui.widgets.coverage_grid import CoverageGrid
from citeline.tui.widgets.event_detail import PassageList
from citeline.tui.widgets.timeline_list import TimelineList
from tests.tui.conftest import screen_lines, synthetic_timeline
from tests.tui.flow_timeline import flow_dir, make_flow_app, selected_id  # noqa: F401
from tests.tui.screen_text import screen_text


async def test_open_a_passage_in_the_source_viewer_and_come_back(flow_dir: Path) -> None:  # noqa: F811
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("j", "enter", "j", "enter")  # treaty, second passage (source b)
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen)
        assert app.screen.source_id == "b"
        text = screen_text(app)
        assert "Reporters wrote that the treaty was signed in the capital" in text
        assert "Source B" in text
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.main_screen
        assert isinstance(app.focused, PassageList)
        assert app.focused.highlighted == 1
        await pilot.press("escape")
        assert isinstance(app.focused, TimelineList)
        assert selected_id(app) == "treaty"


async def test_next_passage_in_source_then_back_twice(flow_dir: Path) -> None:  # noqa: F811
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("enter", "enter")  # meeting, its passage in source a
        await pilot.pause()
        viewer = app.screen
        assert isinstance(viewer, SourceScreen) and viewer.source_id == "a"
        await pilot.press("n")  # the treaty's passage in source a
        await pilot.pause()
        assert viewer.focus_ref == ("treaty", 0)
        assert selected_id(app) == "treaty"
        await pilot.press("N")
        await pilot.pause()
        assert viewer.focus_ref == ("meeting", 0)
        await pilot.press("h")
        await pilot.pause()
        assert app.screen is app.main_screen
        await pilot.press("left")
        assert isinstance(app.focused, TimelineList)


async def test_brackets_in_the_source_viewer_follow_the_event(flow_dir: Path) -> None:  # noqa: F811
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("enter", "enter")
        await pilot.pause()
        await pilot.press("]")  # treaty cites source a too: the viewer stays and moves
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen)
        assert app.screen.source_id == "a"
        assert app.screen.focus_ref == ("treaty", 0)
        await pilot.press("]")  # markets cites only source b: the viewer switches to it
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen)
        assert app.screen.source_id == "b"
        assert selected_id(app) == "markets"
        assert "The markets fell the next morning." in screen_text(app)
        await pilot.press("[")
        await pilot.pause()
        assert selected_id(app) == "treaty"


async def test_citing_panel_enter_jumps_to_the_event(flow_dir: Path) -> None:  # noqa: F811
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("G", "enter", "enter")  # storm, source a
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen)
        await pilot.press("tab")
        assert isinstance(app.focused, CitingEvents)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is app.main_screen
        assert selected_id(app) == "storm"
        await pilot.press("escape")  # back to the source viewer we came from
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen)


async def test_sources_screen_opens_a_source(flow_dir: Path) -> None:  # noqa: F811
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SourcesScreen)
        await pilot.press("j", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen)
        assert app.screen.source_id == "b"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SourcesScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.main_screen


async def test_coverage_enter_opens_the_cited_passage(flow_dir: Path) -> None:  # noqa: F811
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CoverageScreen)
        await pilot.press("j", "l", "enter")  # treaty × source b
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen)
        assert app.screen.source_id == "b"
        assert app.screen.focus_ref == ("treaty", 1)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CoverageScreen)


async def test_quit_from_every_screen(flow_dir: Path) -> None:  # noqa: F811
    for keys in (("s",), ("c",), ("?",), ("enter", "enter")):
        app = make_flow_app(flow_dir)
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press(*keys)
            await pilot.pause()
            assert app.screen is not app.main_screen
            await pilot.press("q")
            await pilot.pause()
        assert not app.is_running, keys


async def test_palette_goes_to_an_event(flow_dir: Path) -> None:  # noqa: F811
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"markets fall")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert selected_id(app) == "markets"


async def test_palette_opens_a_source(flow_dir: Path) -> None:  # noqa: F811
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"open source b")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert isinstance(app.screen, SourceScreen)
        assert app.screen.source_id == "b"


async def export_from_the_palette(pilot, what: str) -> None:  # type: ignore[no-untyped-def]
    """Ctrl+P, "export WHAT", Enter, and the export's worker done."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*f"export {what}")
    await pilot.pause(0.5)
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_palette_exports_to_the_current_folder(
    flow_dir: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch,
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(out)
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await export_from_the_palette(pilot, "markdown")
    written = out / "flow-test.md"
    assert written.exists()
    assert "Treaty signed" in written.read_text(encoding="utf-8")


async def test_a_palette_export_never_replaces_a_source_of_the_timeline(
    flow_dir: Path,  # noqa: F811
    monkeypatch,
) -> None:
    from tests.tui.conftest import notifications

    # the export of "Flow test" as Markdown is named flow-test.md: make it a source's name
    (flow_dir / "a.txt").rename(flow_dir / "flow-test.md")
    events = flow_dir / "events.yaml"
    events.write_text(
        events.read_text(encoding="utf-8").replace("file: a.txt", "file: flow-test.md"),
        encoding="utf-8",
    )
    source = (flow_dir / "flow-test.md").read_text(encoding="utf-8")
    monkeypatch.chdir(flow_dir)
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await export_from_the_palette(pilot, "markdown")
        (refused,) = [n for n in notifications(app) if "Export refused" in n]
        assert "is the timeline's source 'a'" in refused and "Nothing was written" in refused
    assert (flow_dir / "flow-test.md").read_text(encoding="utf-8") == source


async def test_the_later_screens_are_imported_after_the_first_frame(
    flow_dir: Path, monkeypatch  # noqa: F811
) -> None:
    import importlib
    import re

    import citeline.tui.app as app_module

    imported: list[str] = []
    real = importlib.import_module

    def recording(name: str, package: str | None = None):  # type: ignore[no-untyped-def]
        if name.startswith("citeline."):
            imported.append(name)
        return real(name, package)

    monkeypatch.setattr(app_module.importlib, "import_module", recording)
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(50):
            await pilot.pause()
            await app.workers.wait_for_complete()
            if imported:
                break
        assert imported == list(app_module.LATER_SCREENS)
    # every screen the app imports when first opened is in the list (but the loading screen,
    # which shows before there is a first frame)
    lazy = set(re.findall(r"from (citeline\.tui\.screens\.\w+) import",
                          Path(app_module.__file__).read_text("utf-8")))
    assert lazy - {"citeline.tui.screens.main_screen", "citeline.tui.screens.loading_screen"} == (
        set(app_module.LATER_SCREENS)
    )


@pytest.mark.parametrize("early", [False, True])
async def test_the_later_screens_styles_are_read_after_the_first_frame(
    flow_dir: Path, early: bool  # noqa: F811
) -> None:
    import citeline.tui.app as app_module

    app = make_flow_app(flow_dir)
    read_later_styles = app._read_later_styles
    if early:  # a source opened before the warm-up came to the styles
        app._read_later_styles = lambda: None  # type: ignore[method-assign]
    later = {str(path) for path in app_module.LATER_STYLES}

    def read() -> set[str]:
        return {path for path, _ in app.stylesheet.source}

    async with app.run_test(size=(120, 36)) as pilot:
        assert not later & read()  # not for the first frame
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert (later <= read()) is not early
        restyled: list[str] = []
        real_reparse = app.stylesheet.reparse
        app.stylesheet.reparse = lambda: (restyled.append("reparse"), real_reparse())[1]
        await pilot.press("enter", "enter")  # the first event's passage, in its source
        await pilot.pause()
        viewer = app.screen
        assert isinstance(viewer, SourceScreen)
        # read with the rest, the viewer's styles cost its opening nothing; opened
        # before that, Textual reads them itself, and they apply all the same
        assert restyled == (["reparse"] if early else [])
        assert viewer.query_one("#source-header").styles.height.value == 2  # (source.tcss)
        read_later_styles()  # the rest; the viewer's own are not read again
        assert later <= read()
        assert restyled == (["reparse"] if early else [])


async def test_a_loaded_timeline_opens_on_its_main_screen_drawn_whole_at_once(
    flow_dir: Path,  # noqa: F811
) -> None:
    """No blank screen comes first, and the first frame already has the axis and selection."""
    app = make_flow_app(flow_dir, select="treaty")
    first: list[list[str]] = []
    display = app._display

    def recording(screen, renderable) -> None:  # type: ignore[no-untyped-def]
        if not first and renderable is not None:
            first.append([strip.text for strip in screen._compositor.render_strips()])
        display(screen, renderable)

    app._display = recording  # type: ignore[method-assign]
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert app.screen_stack == [app.main_screen]
        assert selected_id(app) == "treaty"
        assert first, "nothing was drawn"
        frame = first[0]
        assert "┊" in frame[1]  # the axis's years
        assert any(line.startswith("▶") and "Treaty" in line for line in frame)
        assert app.history.current is not None and app.history.current.event_id == "treaty"


async def test_waiting_for_a_pause_wakes_as_it_begins(
    flow_dir: Path, monkeypatch  # noqa: F811
) -> None:
    """``until_idle`` sleeps until the last key is old enough, not by a fixed poll."""
    from types import SimpleNamespace

    import citeline.tui.app as app_module

    app = make_flow_app(flow_dir)
    clock = [100.0]
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(round(seconds, 6))
        clock[0] += seconds
        if len(slept) == 1:
            app.last_input = clock[0] - 0.1  # a key came while it slept

    monkeypatch.setattr(app_module, "time", SimpleNamespace(monotonic=lambda: clock[0]))
    monkeypatch.setattr(app_module, "asyncio", SimpleNamespace(sleep=sleep))
    app.last_input = 99.8
    await app.until_idle(0.3)
    assert slept == [0.1, 0.2] and clock[0] == 100.3
    slept.clear()
    await app.until_idle(0.3)  # idle already: no sleep at all
    assert slept == []


async def test_no_worker_is_described_by_the_timeline(
    flow_dir: Path, monkeypatch  # noqa: F811
) -> None:
    """Textual describes a worker by the ``repr`` of its arguments: never hand it a timeline
    (that of 10,000 events took 0.4 s to write out, on the first key after a cold start)."""
    from citeline.loader import load
    from citeline.tui.app import make_app

    monkeypatch.setenv("XDG_CACHE_HOME", str(flow_dir / "cache"))
    path = flow_dir / "events.yaml"
    result = load(path)
    assert result.timeline is not None and not result.from_cache
    app = make_app(result.timeline, path, watch=False, load_result=result)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        described = [worker.description for worker in app.workers]
        assert any(text.startswith("_remember") for text in described)  # the cache waits
        assert all(len(text) < 200 for text in described), described


def test_the_browser_runs_with_a_short_switch_interval(
    flow_dir: Path, monkeypatch  # noqa: F811
) -> None:
    """Textual's writer thread gets the interpreter lock at once while the browser runs
    (the first frame waited 14 ms for it), and the interval is put back after."""
    import sys

    from textual.app import App

    import citeline.tui.app as app_module

    seen: list[float] = []
    monkeypatch.setattr(App, "run", lambda self, **kwargs: seen.append(sys.getswitchinterval()))
    before = sys.getswitchinterval()
    make_flow_app(flow_dir).run()
    assert seen == [app_module.SWITCH_INTERVAL] and before > app_module.SWITCH_INTERVAL
    assert sys.getswitchinterval() == before


def test_the_lookups_are_built_with_the_collector_paused_then_frozen() -> None:
    """At 100,000 events the lookups are 240,000 tuples: the collections they set off
    while being made took up to 0.1 s each, and the keys pressed then waited."""
    import gc

    from citeline.tui.screens import main_screen

    collector_on: list[bool] = []

    class Probe:
        def index_of(self, _event_id: str) -> None:
            collector_on.append(gc.isenabled())

        def event(self, _event_id: str) -> None:
            collector_on.append(gc.isenabled())

        def index_citations(self) -> None:
            collector_on.append(gc.isenabled())

    was_enabled = gc.isenabled()
    gc.enable()
    frozen = gc.get_freeze_count()
    kept = [[number] for number in range(1000)]  # alive as the lookups are done
    try:
        main_screen._build_lookups(Probe())  # type: ignore[arg-type]
        assert collector_on == [False, False, False] and gc.isenabled()
        assert gc.get_freeze_count() >= frozen + len(kept)
    finally:
        gc.unfreeze()
        if not was_enabled:
            gc.disable()


def _coverage_status(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#coverage-status").render())


async def test_coverage_opens_on_the_selected_event(flow_dir: Path) -> None:  # noqa: F811
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("G", "c")
        await pilot.pause()
        assert isinstance(app.screen, CoverageScreen)
        assert app.screen.grid.cursor == (3, 0)
        assert "The storm" in _coverage_status(app)
        assert any(line.startswith("›") and "The storm" in line
                   for line in screen_text(app).splitlines())


async def test_coverage_follows_the_brackets(flow_dir: Path) -> None:  # noqa: F811
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("c", "l", "]")
        await pilot.pause()
        grid = app.screen.query_one(CoverageGrid)
        assert grid.cursor == (1, 1) and selected_id(app) == "treaty"
        assert "Treaty signed" in _coverage_status(app)
        await pilot.press("j", "]")  # from the grid's row: markets, then the storm
        await pilot.pause()
        assert grid.cursor == (3, 1) and selected_id(app) == "storm"
        await pilot.press("[")
        await pilot.pause()
        assert grid.cursor == (2, 1) and selected_id(app) == "markets"
        assert "Markets fall" in _coverage_status(app)
        await pilot.press("escape")  # back where the grid was opened from
        await pilot.pause()
        assert app.screen is app.main_screen


async def test_coverage_keeps_its_cell_after_a_source(flow_dir: Path) -> None:  # noqa: F811
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("c", "j", "l", "enter")  # treaty × source b
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CoverageScreen)
        assert app.screen.grid.cursor == (1, 1)
        assert "Treaty signed" in _coverage_status(app)
        await pilot.press("escape", "escape")  # back where the grid was opened from
        await pilot.pause()
        assert app.screen is app.main_screen and selected_id(app) == "meeting"
        await pilot.press("c")  # another visit: on the selected event's row, same column
        await pilot.pause()
        assert app.screen.grid.cursor == (0, 1)


async def test_back_to_the_sources_list_finds_its_cursor_where_it_was(
    flow_dir: Path,  # noqa: F811
) -> None:
    from citeline.tui.screens.source_screen import SourceScreen
    from citeline.tui.screens.sources_screen import SourcesScreen

    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("j", "enter")  # the second source, b
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen) and app.screen.source_id == "b"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SourcesScreen)
        assert app.screen.highlighted_source == "b"
        await pilot.press("question_mark")  # and from help
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SourcesScreen)
        assert app.screen.highlighted_source == "b"


def _forty_sources_app(tmp_path: Path) -> CitelineApp:
    """The browser on a timeline of 40 sources: more than a screen of the sources list."""
    return make_app(synthetic_timeline(events=60, sources=40), tmp_path / "events.yaml",
                    watch=False)


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_back_to_the_sources_list_finds_it_scrolled_as_it_was(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    """The rows shown come back with the cursor: the list does not jump to put the
    cursor at its top or foot."""
    app = _forty_sources_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await pilot.press("s")
        await pilot.pause()
        await pilot.press(*"j" * 24, *"k" * 8)  # scrolled down, the cursor mid-list
        await pilot.pause()
        sources = app.screen
        assert isinstance(sources, SourcesScreen)
        cursor, scroll = sources.highlighted_source, sources.list_scroll
        assert cursor == "src-0016" and scroll > 0
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen) and app.screen.source_id == cursor
        await pilot.press("escape")
        await pilot.pause()
        back = app.screen
        assert isinstance(back, SourcesScreen) and back is not sources
        assert (back.highlighted_source, back.list_scroll) == (cursor, scroll)
        await pilot.press("question_mark")  # and from help
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SourcesScreen)
        assert (app.screen.highlighted_source, app.screen.list_scroll) == (cursor, scroll)


async def test_back_to_the_sources_list_in_a_smaller_terminal_keeps_the_cursor_in_sight(
    tmp_path: Path,
) -> None:
    app = _forty_sources_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        await pilot.press(*"j" * 30, *"k" * 10)  # scrolled down, the cursor mid-list
        await pilot.pause()
        assert app.screen.highlighted_source == "src-0020" and app.screen.list_scroll > 0
        await pilot.press("enter")
        await pilot.pause()
        await pilot.resize_terminal(80, 12)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SourcesScreen)
        assert app.screen.highlighted_source == "src-0020"
        assert any("Source 20" in line for line in screen_lines(app))
