"""``d``: going to a date, from the timeline or any screen, with or without a search."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from citeline.tui.app import CitelineApp
from citeline.tui.screens.date_screen import DateScreen
from citeline.tui.screens.main_screen import MainScreen
from citeline.tui.screens.sources_screen import SourcesScreen
from tests.tui.flow_timeline import flow_dir, make_flow_app, selected_id  # noqa: F401
from tests.tui.screen_text import screen_text

# The flow timeline, in order: meeting (Apr 2020), treaty (1 Jun 2020),
# markets (2 Jun 2020), storm (2021).


def hint(app: CitelineApp) -> str:
    return str(app.screen.query_one("#date-hint", Static).render()).strip()


async def type_date(pilot, text: str) -> None:
    await pilot.press("d")
    await pilot.pause()
    assert isinstance(pilot.app.screen, DateScreen)
    await pilot.press(*text)
    await pilot.pause()


async def test_enter_selects_the_first_event_from_the_date(flow_dir: Path) -> None:  # noqa: F811
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        assert selected_id(app) == "meeting"
        await type_date(pilot, "2020-06-02")
        assert hint(app) == "The first event from 2 Jun 2020:\n2 Jun 2020  Markets fall"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert selected_id(app) == "markets"
        # a month, written as a curator would: from its first day
        await type_date(pilot, "June 2020")
        assert hint(app).startswith("The first event from Jun 2020:\n1 Jun 2020  Treaty")
        await pilot.press("enter")
        assert selected_id(app) == "treaty"
        # the jump is a step in the history: back returns to where it came from
        await pilot.press("escape")
        assert selected_id(app) == "markets"


async def test_a_date_after_every_event_selects_the_last(flow_dir: Path) -> None:  # noqa: F811
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await type_date(pilot, "2030")
        assert hint(app) == "No event from 2030; Enter selects the last:\n2021  The storm"
        await pilot.press("enter")
        assert selected_id(app) == "storm"
        await type_date(pilot, "1999")
        await pilot.press("enter")
        assert selected_id(app) == "meeting"


async def test_a_date_that_does_not_read_keeps_the_box_open(flow_dir: Path) -> None:  # noqa: F811
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j")
        await type_date(pilot, "2020-13")
        assert "months run from 01 to 12" in hint(app)
        await pilot.press("enter")
        await pilot.pause()
        box = app.screen
        assert isinstance(box, DateScreen)
        assert box.query_one("#date-hint").has_class("-error")
        assert "months run from 01 to 12" in hint(app)
        # mended, it reads again
        await pilot.press("backspace", "2")
        await pilot.pause()
        assert not box.query_one("#date-hint").has_class("-error")
        assert hint(app).startswith("The first event from Dec 2020:\n2021  The storm")
        # Esc closes it and changes nothing
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert selected_id(app) == "treaty"


async def test_an_empty_box_says_what_to_type(flow_dir: Path) -> None:  # noqa: F811
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_date(pilot, "")
        assert hint(app) == "A day, a month or a year, written as in events.yaml."
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DateScreen)
        assert hint(app).startswith("Type a date first.")
        # keys that are commands elsewhere are letters here
        await pilot.press(*"4 Sep 2020")
        assert app.screen.query_one(Input).value == "4 Sep 2020"
        assert isinstance(app.screen, DateScreen)


async def test_with_a_search_it_goes_among_the_matches(flow_dir: Path) -> None:  # noqa: F811
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("slash", *"treaty", "enter")  # treaty (1 Jun), markets (2 Jun)
        await pilot.pause()
        assert selected_id(app) == "treaty"
        await type_date(pilot, "2020-04")  # the meeting is not a match
        assert hint(app) == "The first match from Apr 2020:\n1 Jun 2020  Treaty signed"
        await pilot.press("escape")
        await type_date(pilot, "2020-06-02")
        await pilot.press("enter")
        assert selected_id(app) == "markets"
        await type_date(pilot, "2021")
        assert hint(app) == "No match from 2021; Enter selects the last:\n2 Jun 2020  Markets fall"
        await pilot.press("enter")
        await pilot.pause()
        assert selected_id(app) == "markets"
        assert app.main_screen.timeline_list.visible_event_count == 2  # still searching


async def test_from_another_screen_it_goes_back_to_the_timeline(flow_dir: Path) -> None:  # noqa: F811
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SourcesScreen)
        await type_date(pilot, "2021")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert selected_id(app) == "storm"
        # the help screen lists the key
        await pilot.press("question_mark")
        await pilot.pause()
        assert "Go to a date: the first event from it" in screen_text(app)


async def test_the_event_gone_to_shows_at_the_top_with_what_follows(tmp_path: Path) -> None:
    from citeline.tui.app import make_app
    from tests.tui.conftest import synthetic_timeline

    timeline = synthetic_timeline(events=300, sources=3)  # one event a month from 1000
    app = make_app(timeline, tmp_path / "events.yaml", watch=False)
    async with app.run_test(size=(120, 36)) as pilot:
        timeline_list = app.main_screen.timeline_list
        await type_date(pilot, "1010-06")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert selected_id(app) == "ev-125"
        row = timeline_list._rows.event_rows[timeline_list.cursor]
        assert 0 <= row - timeline_list.scroll_y <= 2  # at the top, not at the foot
        # at the end of the timeline the list scrolls only so far
        await type_date(pilot, "1024-12")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert selected_id(app) == "ev-299"
        assert timeline_list.scroll_y == timeline_list.max_scroll_y


async def test_the_box_opens_over_the_screen_the_user_is_on(flow_dir: Path) -> None:  # noqa: F811
    from citeline.tui.screens.coverage_screen import CoverageScreen
    from citeline.tui.screens.source_screen import SourceScreen

    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("j", "enter", "enter")  # the treaty's first passage, in its source
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen)
        await type_date(pilot, "2021")
        await pilot.press("escape")  # cancelled: still reading the source
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen)
        await type_date(pilot, "2021")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and selected_id(app) == "storm"
        await pilot.press("escape")  # back: to the source, as it was
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen) and selected_id(app) == "treaty"
        # from the coverage grid, whose row is the selection there
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CoverageScreen)
        await pilot.press("j")  # the grid opens on the treaty: now the markets
        await type_date(pilot, "2021")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CoverageScreen)


async def test_search_from_the_coverage_grid_keeps_its_row(flow_dir: Path) -> None:  # noqa: F811
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("j", "j")  # markets
        await pilot.pause()
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert selected_id(app) == "markets"


async def test_a_long_bad_date_keeps_the_box_on_a_small_screen(flow_dir: Path) -> None:  # noqa: F811
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(40, 12)) as pilot:
        await type_date(pilot, "")
        app.screen.query_one(Input).value = "2022-9-" + "5" * 300  # (typed, as pasted)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        box = app.screen.query_one("#date-box")
        assert box.region.height <= 12 - 1  # (the footer's row below it)
        assert box.region.y >= 0
