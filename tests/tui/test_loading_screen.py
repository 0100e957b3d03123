"""The loading screen: a timeline still loading shows its progress, then the browser.

Each test builds a real :class:`PendingLoad` and starts it when the test is
ready to let it run, so the loading screen is seen before the load is done.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.screen import Screen
from textual.widgets import ProgressBar

from citeline.loader import load
from citeline.pending_load import LoadCancelled, PendingLoad
from citeline.tui.app import CitelineApp, make_app
from citeline.tui.screens.loading_screen import LoadingScreen
from citeline.tui.screens.main_screen import MainScreen
from tests.tui.flow_timeline import flow_dir, selected_id  # noqa: F401
from tests.tui.screen_text import screen_text


def loading_app(path: Path, select: str | None = None) -> tuple[PendingLoad, CitelineApp]:
    """A browser waiting for a load of ``path`` that is not started yet."""
    pending = PendingLoad(path)
    return pending, make_app(None, path, select_event=select, watch=False, pending=pending)


async def _until(condition, timeout: float = 10.0) -> None:
    """Wait (without blocking the app) until ``condition()`` holds."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("timed out waiting for the app")
        await asyncio.sleep(0.01)


async def test_loading_screen_shows_then_the_timeline(flow_dir: Path) -> None:  # noqa: F811
    path = flow_dir / "events.yaml"
    pending, app = loading_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LoadingScreen)
        text = screen_text(app)
        assert "Loading" in text and "events.yaml" in text
        assert "Starting…" in text
        for key in ("s", "c", "slash", "question_mark", "right_square_bracket"):
            await pilot.press(key)  # nothing to show yet: every key but quit waits
        assert isinstance(app.screen, LoadingScreen)
        pending.start()
        await _until(lambda: isinstance(app.screen, MainScreen))
        await pilot.pause()
        assert selected_id(app) == "meeting"
        assert "First meeting" in screen_text(app)
        await pilot.press("j")
        assert selected_id(app) == "treaty"
    assert app.late_load is None


async def test_the_loading_screen_gives_way_to_the_timeline_directly(
    flow_dir: Path,  # noqa: F811
) -> None:
    """No blank screen is shown between the two while the main screen is composed
    (at 100,000 events that takes more than half a second)."""
    path = flow_dir / "events.yaml"
    pending, app = loading_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        drawn: list[str] = []  # the screen of each frame drawn from now on
        display = app._display

        def recorded(screen: Screen, renderable: object) -> None:
            if renderable is not None and (not drawn or drawn[-1] != type(screen).__name__):
                drawn.append(type(screen).__name__)
            display(screen, renderable)  # type: ignore[arg-type]

        app._display = recorded  # type: ignore[method-assign]
        pending.start()
        await _until(lambda: isinstance(app.screen, MainScreen))
        await pilot.pause()
        assert drawn[-1] == "MainScreen"
        assert set(drawn) <= {"LoadingScreen", "MainScreen"}


async def test_loading_screen_follows_the_progress(flow_dir: Path) -> None:  # noqa: F811
    path = flow_dir / "events.yaml"
    pending, app = loading_app(path)
    async with app.run_test(size=(100, 30)):
        pending.progress = ("Anchoring passages", 0.42)  # as the loading thread reports it
        # the screen looks every 0.1 s: wait for its look, however slow the machine
        await _until(lambda: "42%" in screen_text(app))
        text = screen_text(app)
        assert "Anchoring passages…" in text
        assert "42%" in text
        pending.start()
        await _until(lambda: isinstance(app.screen, MainScreen))


async def test_the_loading_screen_redraws_only_what_changed(
    flow_dir: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each frame drawn while loading takes the interpreter from the load: the bar is
    updated only when its percentage changes, the phase only when it changes, and
    neither lays out the screen again."""
    path = flow_dir / "events.yaml"
    pending, app = loading_app(path)
    async with app.run_test(size=(100, 30)):
        screen = app.screen
        assert isinstance(screen, LoadingScreen)
        pending.progress = ("Anchoring passages", 0.42)
        await _until(lambda: "42%" in screen_text(app))
        bar = screen.query_one(ProgressBar)
        bar_updates: list[object] = []
        monkeypatch.setattr(bar, "update", lambda **kwargs: bar_updates.append(kwargs))
        layouts: list[str] = []
        for widget in screen.query("*"):
            refresh = widget.refresh

            def recorded(*regions, _refresh=refresh, _widget=widget, **kwargs):  # type: ignore[no-untyped-def]
                if kwargs.get("layout"):
                    layouts.append(str(_widget))
                return _refresh(*regions, **kwargs)

            monkeypatch.setattr(widget, "refresh", recorded)

        pending.progress = ("Anchoring passages", 0.4299)  # the same percentage
        screen._show_progress()
        assert bar_updates == []
        pending.progress = ("Writing the cache", 0.43)
        screen._show_progress()
        assert bar_updates == [{"progress": 43}]
        await _until(lambda: "Writing the cache…" in screen_text(app))
        assert layouts == []
        pending.start()
        await _until(lambda: isinstance(app.screen, MainScreen))


async def test_a_timeline_with_errors_exits_for_the_caller_to_report(
    flow_dir: Path,  # noqa: F811
) -> None:
    path = flow_dir / "events.yaml"
    path.write_text(path.read_text().replace("The markets fell", "The markets rose"))
    pending, app = loading_app(path)
    async with app.run_test(size=(100, 30)):
        pending.start()
        await _until(lambda: app.late_load is not None)
        await _until(lambda: app.return_code is not None)
    assert app.late_load is not None and app.late_load.timeline is None
    assert any("not found" in d.message for d in app.late_load.errors)
    assert app.return_code == 1


async def test_an_unknown_event_to_select_exits_for_the_caller_to_report(
    flow_dir: Path,  # noqa: F811
) -> None:
    path = flow_dir / "events.yaml"
    pending, app = loading_app(path, select="no-such-event")
    async with app.run_test(size=(100, 30)):
        pending.start()
        await _until(lambda: app.return_code is not None)
    assert app.late_load is not None and app.late_load.timeline is not None


async def test_quitting_while_loading_cancels_the_load(flow_dir: Path) -> None:  # noqa: F811
    path = flow_dir / "events.yaml"
    pending, app = loading_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("q")
    assert app.late_load is None
    with pytest.raises(LoadCancelled):
        pending.wait(timeout=10)
    pending.start()  # too late: a cancelled load never starts
    assert not pending._thread.is_alive()


async def test_selects_the_requested_event_once_loaded(flow_dir: Path) -> None:  # noqa: F811
    path = flow_dir / "events.yaml"
    pending, app = loading_app(path, select="markets")
    async with app.run_test(size=(100, 30)) as pilot:
        pending.start()
        await _until(lambda: isinstance(app.screen, MainScreen))
        await pilot.pause()
        assert selected_id(app) == "markets"


async def test_the_loading_screen_releases_a_held_load_once_drawn(flow_dir: Path) -> None:  # noqa: F811
    pending, app = loading_app(flow_dir / "events.yaml")
    pending.hold()  # as the browser holds it while the interface starts
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LoadingScreen)
        await _until(lambda: not pending.held)
        pending.start()
        await _until(lambda: app.screen is getattr(app, "main_screen", None))


@pytest.mark.parametrize("loaded_first", [True, False])
async def test_the_collector_is_resumed_once_the_timeline_has_shown(
    flow_dir: Path, loaded_first: bool  # noqa: F811
) -> None:
    """The command line pauses the collector for the start; the browser hands it back
    after the main screen's first frame, once what made that frame is frozen (not as
    the loading screen shows)."""
    import gc

    from citeline.loader import load

    path = flow_dir / "events.yaml"
    resumed: list[tuple[int, int]] = []  # (main screen frames drawn, objects frozen) then
    frames: list[str] = []
    gc.unfreeze()
    resume = lambda: resumed.append((frames.count("MainScreen"), gc.get_freeze_count()))  # noqa: E731
    pending = PendingLoad(path)
    if loaded_first:
        result = load(path)
        app = make_app(result.timeline, path, watch=False, load_result=result,
                       resume_collector=resume)
    else:
        app = make_app(None, path, watch=False, pending=pending, resume_collector=resume)
    display = app._display

    def recorded(screen: Screen, renderable: object) -> None:
        if renderable is not None:
            frames.append(type(screen).__name__)
        display(screen, renderable)  # type: ignore[arg-type]

    app._display = recorded  # type: ignore[method-assign]
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            if not loaded_first:
                assert isinstance(app.screen, LoadingScreen) and not resumed
                pending.start()
                await _until(lambda: isinstance(app.screen, MainScreen))
            await _until(lambda: bool(resumed))
            await pilot.pause()
            assert len(resumed) == 1
            main_frames, frozen = resumed[0]
            assert main_frames >= 1 and frozen > 0
    finally:
        gc.unfreeze()


async def test_the_loading_screen_has_its_styles_and_only_it_reads_them(
    flow_dir: Path,  # noqa: F811
) -> None:
    path = flow_dir / "events.yaml"
    pending, app = loading_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#loading-box").outer_size.width == 64  # as loading.tcss says
        pending.start()
        await _until(lambda: isinstance(app.screen, MainScreen))
    loaded = load(path)
    started_on_timeline = make_app(loaded.timeline, path, load_result=loaded, watch=False)
    assert [p.name for p in started_on_timeline.css_path] == ["app.tcss", "main.tcss"]
