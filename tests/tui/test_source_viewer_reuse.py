"""The one source viewer the app keeps: each opening must look like a new viewer's.

The app shows every source in the same :class:`SourceScreen` (``show_source``)
instead of composing a new screen per opening. These tests drive it through
the kinds of change a kept screen could get wrong (another source, the same
one again, back in the history, a reload, a resize or a theme change while
it is hidden) and compare what is drawn, cell by cell with its style, with
what a new app opening the same place draws.
"""

from __future__ import annotations

import gc
import time
import weakref
from pathlib import Path

from citeline.loader import load
from citeline.model import Timeline
from citeline.tui.app import CitelineApp
from citeline.tui.screens.source_screen import SourceScreen
from citeline.tui.widgets.citing_events import CitingEvents
from citeline.tui.widgets.key_footer import KeyFooter
from citeline.tui.widgets.source_text import FOCUS_BAR, SourceText, cited_spans
from tests.tui.flow_timeline import flow_dir, make_flow_app  # noqa: F401
from tests.tui.screen_text import screen_text

from .conftest import ScreenHost, write_viewer_files

Cells = list[list[tuple[str, object]]]


def cells(app: CitelineApp) -> Cells:
    """Every cell of the screen as drawn: its character and its style."""
    return [
        [(char, segment.style) for segment in strip for char in segment.text]
        for strip in app.screen._compositor.render_strips()
    ]


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        await pilot.pause()


async def _made_on_first_use() -> None:
    """In place of ``CitelineApp._prepare_viewer``: no viewer mounted ahead."""


async def fresh_cells(
    folder: Path,
    place: tuple[str, str | None, int | None],
    size: tuple[int, int] = (120, 36),
    theme: str | None = None,
) -> Cells:
    """What a new app shows right after opening ``place`` (source, event, passage)
    in a viewer composed there and then."""
    app = make_flow_app(folder)
    app._prepare_viewer = _made_on_first_use  # type: ignore[method-assign]
    async with app.run_test(size=size) as pilot:
        if theme is not None:
            app.theme = theme
        await settle(pilot)
        app.open_source(*place)
        await settle(pilot)
        assert isinstance(app.screen, SourceScreen)
        assert isinstance(app.focused, SourceText)
        return cells(app)


def viewer(app: CitelineApp) -> SourceScreen:
    screen = app.screen
    assert isinstance(screen, SourceScreen)
    return screen


async def test_two_sources_in_a_row_then_back_to_the_first(flow_dir: Path) -> None:  # noqa: F811
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        app.open_source("a", "meeting", 0)
        await settle(pilot)
        first = viewer(app)
        assert first.focus_ref == ("meeting", 0)
        assert cells(app) == await fresh_cells(flow_dir, ("a", "meeting", 0))

        app.open_source("b", "treaty", 1)  # the viewer is on top: swapped in place
        await settle(pilot)
        assert viewer(app) is first
        assert first.source_id == "b" and first.focus_ref == ("treaty", 1)
        text = screen_text(app)
        assert "Source B" in text and "Source A" not in text
        assert "The markets fell the next morning." in text
        assert first.citing_events.event_ids == ["treaty"]
        assert cells(app) == await fresh_cells(flow_dir, ("b", "treaty", 1))

        app.action_back()  # back in the history: source a again, at the meeting
        await settle(pilot)
        assert viewer(app) is first
        assert first.source_id == "a" and first.focus_ref == ("meeting", 0)
        assert app.main_screen.selected_event.id == "meeting"  # type: ignore[union-attr]
        assert cells(app) == await fresh_cells(flow_dir, ("a", "meeting", 0))


async def test_closed_and_opened_again_with_keys(flow_dir: Path) -> None:  # noqa: F811
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("enter", "enter")  # meeting, source a
        await settle(pilot)
        first = viewer(app)
        assert first.query_one(KeyFooter).keys  # the footer shows the viewer's keys
        await pilot.press("G", "tab")  # scrolled away, the panel focused
        await settle(pilot)
        assert isinstance(app.focused, CitingEvents)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.main_screen
        await pilot.press("enter")  # the same passage again
        await settle(pilot)
        assert viewer(app) is first
        assert isinstance(app.focused, SourceText)  # as in a new viewer
        assert cells(app) == await fresh_cells(flow_dir, ("a", "meeting", 0))
        footer = first.query_one(KeyFooter)
        keys, updates = footer.keys, footer.updates
        await pilot.press("escape", "escape", "j", "enter", "j", "enter")  # treaty, source b
        await settle(pilot)
        assert viewer(app) is first and first.source_id == "b"
        assert first.focus_ref == ("treaty", 1)
        assert (footer.keys, footer.updates) == (keys, updates)  # same keys: not redrawn
        assert cells(app) == await fresh_cells(flow_dir, ("b", "treaty", 1))


async def test_a_source_without_a_passage_opens_at_the_top(flow_dir: Path) -> None:  # noqa: F811
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        app.open_source("a", "storm", 0)
        await settle(pilot)
        app.open_source("a")
        await settle(pilot)
        screen = viewer(app)
        assert screen.focus_ref is None
        assert screen.source_text.scroll_y == 0
        assert FOCUS_BAR not in screen_text(app)
        assert cells(app) == await fresh_cells(flow_dir, ("a", None, None))


async def test_reload_while_the_viewer_is_open(flow_dir: Path) -> None:  # noqa: F811
    events = flow_dir / "events.yaml"
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        app.open_source("b", "treaty", 1)
        await settle(pilot)
        screen = viewer(app)
        old_timeline = app.timeline
        # a new first line shifts every offset; the citing event gets a new title
        (flow_dir / "b.txt").write_text(
            "An editor's note, added later.\n" + (flow_dir / "b.txt").read_text("utf-8"),
            encoding="utf-8",
        )
        events.write_text(
            events.read_text("utf-8").replace("Treaty signed", "Treaty finally signed"),
            encoding="utf-8",
        )
        app._apply_reload(load(events), {})
        await settle(pilot)
        assert app.timeline is not old_timeline
        assert viewer(app) is screen
        assert screen.timeline is app.timeline
        assert screen.source_text.timeline is app.timeline
        assert screen.focus_ref == ("treaty", 1)
        text = screen_text(app)
        assert "An editor's note, added later." in text
        assert "Treaty finally signed" in text  # the citing panel reads the new timeline
        app.clear_notifications()
        await settle(pilot)
        assert cells(app) == await fresh_cells(flow_dir, ("b", "treaty", 1))

        # the source goes away: back to the timeline; a later opening uses the new timeline
        events.write_text(
            events.read_text("utf-8").replace("file: b.txt", "file: a.txt"), encoding="utf-8"
        )
        result = load(events)
        if result.timeline is not None:  # (b's quotes are not in a.txt: it may not load)
            app._apply_reload(result, {})
            await settle(pilot)
            app.open_source("a", "meeting", 0)
            await settle(pilot)
            assert viewer(app) is screen and screen.timeline is app.timeline


async def test_a_hidden_viewer_does_not_keep_a_replaced_timeline(flow_dir: Path) -> None:  # noqa: F811
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        app.open_source("a", "meeting", 0)
        await settle(pilot)
        screen = viewer(app)
        app.action_back()
        await settle(pilot)
        assert app.screen is app.main_screen
        old = weakref.ref(app.timeline)
        app._apply_reload(load(flow_dir / "events.yaml"), {})
        await settle(pilot)
        gc.collect()
        assert old() is None  # freed now, not at the next opening
        app.open_source("b", "markets", 0)
        await settle(pilot)
        assert viewer(app) is screen and screen.timeline is app.timeline


async def test_resized_while_hidden(tmp_path: Path) -> None:
    write_viewer_files(tmp_path)  # a source long enough to scroll
    app = make_flow_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        app.open_source("alpha", "e3", 1)
        await settle(pilot)
        screen = viewer(app)
        assert not screen.has_class("-narrow") and screen.source_text.scroll_y > 0
        await pilot.press("escape")
        await settle(pilot)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        app.open_source("alpha", "e2", 1)  # the same source, wrapped for the old width
        await settle(pilot)
        assert viewer(app) is screen and screen.has_class("-narrow")
        assert cells(app) == await fresh_cells(tmp_path, ("alpha", "e2", 1), size=(80, 24))
        await pilot.press("escape")
        await settle(pilot)
        await pilot.resize_terminal(120, 36)
        await settle(pilot)
        app.open_source("beta", "e4", 0)  # another source
        await settle(pilot)
        assert viewer(app) is screen and not screen.has_class("-narrow")
        assert cells(app) == await fresh_cells(tmp_path, ("beta", "e4", 0))


async def test_the_panel_is_reset_when_the_same_passage_opens_again(tmp_path: Path) -> None:
    write_viewer_files(tmp_path)
    app = make_flow_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        app.open_source("alpha", "e1", 0)
        await settle(pilot)
        panel = viewer(app).citing_events
        assert panel.event_ids == ["e1", "e2"] and panel.highlighted == 0
        await pilot.press("tab", "j")  # the cursor moved in the panel
        await settle(pilot)
        assert panel.highlighted == 1
        await pilot.press("escape")
        await settle(pilot)
        app.open_source("alpha", "e1", 0)
        await settle(pilot)
        assert panel.highlighted == 0
        assert cells(app) == await fresh_cells(tmp_path, ("alpha", "e1", 0))


async def test_the_same_source_object_in_another_timeline(viewer_timeline: Timeline) -> None:
    """A timeline can share a Source object with the last one: its citations still count."""
    only_e1 = Timeline(viewer_timeline.title, viewer_timeline.events[:1], viewer_timeline.sources)
    app = ScreenHost(lambda: SourceScreen(viewer_timeline, "alpha", "e3", 1))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SourceScreen)
        assert len(screen.source_text.spans) == 4
        screen.show_source(only_e1, "alpha", "e1", 0)
        await pilot.pause()
        assert screen.source_text.spans == cited_spans(only_e1, "alpha")
        assert len(screen.source_text.spans) == 1
        assert screen.focus_ref == ("e1", 0)
        assert screen.citing_events.event_ids == ["e1"]
        assert "cited by 1 event" in screen_text(app)


async def test_theme_changed_while_hidden(flow_dir: Path) -> None:  # noqa: F811
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        app.open_source("a", "treaty", 0)
        await settle(pilot)
        screen = viewer(app)
        await pilot.press("escape")
        await settle(pilot)
        app.theme = "textual-light"
        await settle(pilot)
        app.open_source("a", "treaty", 0)
        await settle(pilot)
        assert viewer(app) is screen
        expected = await fresh_cells(flow_dir, ("a", "treaty", 0), theme="textual-light")
        assert cells(app) == expected


async def _prepared(app: CitelineApp, pilot) -> SourceScreen:  # type: ignore[no-untyped-def]
    """The viewer the app mounts unseen in the first pause, once it is mounted."""
    for _ in range(200):
        await pilot.pause()
        if app.is_screen_installed("source"):
            screen = app.get_screen("source")
            if screen.is_mounted:
                await app.workers.wait_for_complete()
                assert isinstance(screen, SourceScreen)
                return screen
    raise AssertionError("no viewer was mounted ahead")


async def test_the_viewer_is_mounted_unseen_in_the_first_pause(
    flow_dir: Path,  # noqa: F811
) -> None:
    app = make_flow_app(flow_dir, select="treaty")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        shown = cells(app)
        screen = await _prepared(app, pilot)
        # nothing the user sees changed: the main screen, its focus, its look
        assert app.screen is app.main_screen and app.screen_stack[-1] is app.main_screen
        assert app.focused is app.main_screen.timeline_list
        assert cells(app) == shown
        # it shows the selected event's first source, and holds no timeline while unseen
        assert (screen.source_id, screen.focus_ref) == ("a", ("treaty", 0))
        assert screen._timeline_held is None and screen.timeline is app.timeline
        # opened, it is that screen, drawn as a viewer composed for the opening would be
        app.open_source("a", "treaty", 0)
        await settle(pilot)
        assert viewer(app) is screen and isinstance(app.focused, SourceText)
        assert cells(app) == await fresh_cells(flow_dir, ("a", "treaty", 0))
        await pilot.press("escape")
        await settle(pilot)
        app.open_source("b", "treaty", 1)
        await settle(pilot)
        assert viewer(app) is screen
        assert cells(app) == await fresh_cells(flow_dir, ("b", "treaty", 1))


async def test_the_prepared_viewer_is_drawn_unseen_so_its_first_opening_draws_nothing_anew(
    flow_dir: Path, monkeypatch  # noqa: F811
) -> None:
    """The first opening of a source showed a viewer never drawn: 16 ms more than the
    next openings, which find every line drawn already."""
    drawn: list[str] = []
    for widget_class in (SourceText, CitingEvents):
        real = widget_class.render_line

        def recording(widget, y, real=real):  # type: ignore[no-untyped-def]
            drawn.append(type(widget).__name__)
            return real(widget, y)

        monkeypatch.setattr(widget_class, "render_line", recording)
    app = make_flow_app(flow_dir, select="treaty")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await _prepared(app, pilot)
        assert "SourceText" in drawn and "CitingEvents" in drawn  # drawn unseen
        drawn.clear()
        app.open_source("a", "treaty", 0)
        await settle(pilot)
        assert isinstance(app.screen, SourceScreen) and drawn == []
        assert cells(app) == await fresh_cells(flow_dir, ("a", "treaty", 0))


async def test_another_source_opened_first_in_the_prepared_viewer(
    flow_dir: Path,  # noqa: F811
) -> None:
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _prepared(app, pilot)
        app.open_source("b", "markets", 0)
        await settle(pilot)
        assert viewer(app) is screen and screen.focus_ref == ("markets", 0)
        assert cells(app) == await fresh_cells(flow_dir, ("b", "markets", 0), size=(80, 24))


async def test_no_viewer_is_mounted_while_keys_come(flow_dir: Path) -> None:  # noqa: F811
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(10):  # a key every 0.1 s for a second
            app.last_input = time.monotonic()
            await pilot.pause(0.1)
        assert not app.is_screen_installed("source")
        await _prepared(app, pilot)  # then the pause


async def test_a_reload_frees_the_timeline_of_a_viewer_never_shown(
    flow_dir: Path,  # noqa: F811
) -> None:
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await _prepared(app, pilot)
        old = weakref.ref(app.timeline)
        app._apply_reload(load(flow_dir / "events.yaml"), {})
        await settle(pilot)
        gc.collect()
        assert old() is None
        app.open_source("a", "storm", 0)
        await settle(pilot)
        assert viewer(app) is screen and screen.timeline is app.timeline
        assert cells(app) == await fresh_cells(flow_dir, ("a", "storm", 0))
