"""Pilot tests for the main screen's key flows: moving, passages, history, search."""

from __future__ import annotations

from pathlib import Path

import pytest

from citeline.dates import parse_date
from citeline.model import Event, Timeline
from citeline.tui.app import make_app
from citeline.tui.widgets.event_detail import PassageList
from citeline.tui.widgets.search_bar import SearchBar
from citeline.tui.widgets.timeline_list import TimelineList
from tests.tui.flow_timeline import flow_dir, make_flow_app, selected_id  # noqa: F401
from tests.tui.screen_text import screen_text


async def test_moves_with_vi_and_arrow_keys(flow_dir: Path) -> None:  # noqa: F811
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        assert selected_id(app) == "meeting"
        await pilot.press("j")
        assert selected_id(app) == "treaty"
        await pilot.press("down")
        assert selected_id(app) == "markets"
        await pilot.press("k")
        assert selected_id(app) == "treaty"
        await pilot.press("G")
        assert selected_id(app) == "storm"
        await pilot.press("g")
        assert selected_id(app) == "meeting"
        await pilot.press("end")
        assert selected_id(app) == "storm"
        await pilot.press("home")
        assert selected_id(app) == "meeting"
        await pilot.press("up")  # stays on the first event
        assert selected_id(app) == "meeting"


async def test_detail_shows_the_selected_event(flow_dir: Path) -> None:  # noqa: F811
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("j")
        await pilot.pause()
        header = screen_text(app)
        assert "Treaty signed" in header
        assert "1 Jun 2020" in header
        assert "Ann, Bo" in header
        passages = app.screen.query_one(PassageList)
        assert passages.option_count == 2


async def test_enter_goes_into_passages_and_back_returns(flow_dir: Path) -> None:  # noqa: F811
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("j", "enter")
        assert isinstance(app.focused, PassageList)
        await pilot.press("j")
        assert app.focused.highlighted == 1
        await pilot.press("escape")
        assert isinstance(app.focused, TimelineList)
        assert selected_id(app) == "treaty"
        for key in ("l", "h", "right", "left", "enter", "backspace"):
            await pilot.press(key)
        assert isinstance(app.focused, TimelineList)


async def test_brackets_step_through_events(flow_dir: Path) -> None:  # noqa: F811
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("]", "]")
        assert selected_id(app) == "markets"
        await pilot.press("[")
        assert selected_id(app) == "treaty"


async def test_event_option_selects_at_start(flow_dir: Path) -> None:  # noqa: F811
    app = make_flow_app(flow_dir, select="storm")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert selected_id(app) == "storm"
        assert "A storm nobody expected." in screen_text(app)


async def test_search_filters_and_enter_selects_first_match(flow_dir: Path) -> None:  # noqa: F811
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("/")
        assert isinstance(app.focused, SearchBar)
        await pilot.press(*"treaty")
        await pilot.pause()
        timeline = app.main_screen.timeline_list
        # the title, a summary and the quotes of two events mention the treaty
        assert timeline.visible_event_count == 2
        await pilot.press("enter")
        assert isinstance(app.focused, TimelineList)
        assert selected_id(app) == "treaty"
        await pilot.press("j")
        assert selected_id(app) == "markets"
        # typing 'q' or 'h' in the box types them; Esc clears the search
        await pilot.press("/")
        await pilot.press("q", "h")
        assert app.is_running
        await pilot.press("escape")
        assert timeline.visible_event_count == 4
        assert isinstance(app.focused, TimelineList)


async def test_search_matches_quotes_places_and_people(flow_dir: Path) -> None:  # noqa: F811
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        timeline = app.main_screen.timeline_list
        for query, expected in (("harbour", 1), ("ann", 1), ("long night", 1), ("zzz", 0)):
            await pilot.press("/")
            await pilot.press(*query)
            await pilot.pause()
            assert timeline.visible_event_count == expected, query
            await pilot.press("escape")


async def test_help_screen_opens_and_closes(flow_dir: Path) -> None:  # noqa: F811
    from citeline.tui.screens.help_screen import HelpScreen

    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("?")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "Previous event" in text
        assert "Next cited passage in this source" in text
        await pilot.press("escape")
        assert app.screen is app.main_screen


async def test_quit_with_q(flow_dir: Path) -> None:  # noqa: F811
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running


async def test_narrow_terminal_stacks_the_detail(flow_dir: Path) -> None:  # noqa: F811
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        timeline = app.screen.query_one("#timeline")
        detail = app.screen.query_one("#detail")
        assert detail.region.y > timeline.region.y
        assert detail.region.x == timeline.region.x
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        timeline = app.screen.query_one("#timeline")
        detail = app.screen.query_one("#detail")
        assert detail.region.x > timeline.region.x


async def test_a_resized_screen_shows_as_one_started_at_that_size(
    flow_dir: Path,  # noqa: F811
) -> None:
    """Across the narrow width both ways: stacked below it, side by side above it."""

    async def started_at(size: tuple[int, int]) -> str:
        app = make_flow_app(flow_dir)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            return screen_text(app)

    fresh = {size: await started_at(size) for size in ((120, 36), (80, 24))}
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        for size in ((80, 24), (120, 36)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            await pilot.pause()
            assert screen_text(app) == fresh[size]
            timeline, detail = app.screen.query_one("#timeline"), app.screen.query_one("#detail")
            if size == (80, 24):
                assert detail.region.y > timeline.region.y  # stacked
            else:
                assert detail.region.x > timeline.region.x  # side by side


async def test_time_axis_marks_the_selected_event(flow_dir: Path) -> None:  # noqa: F811
    from citeline.tui.widgets.time_axis import TimeAxis

    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        axis = app.screen.query_one(TimeAxis)
        await pilot.pause()
        before = axis.render_line(1).text
        await pilot.press("G")
        await pilot.pause()
        after = axis.render_line(1).text
        assert "◆" in before and "◆" in after
        assert before.index("◆") < after.index("◆")
        assert "2021" in axis.render_line(0).text


async def test_keys_typed_ahead_of_a_focus_change_go_where_the_focus_went(
    flow_dir: Path,  # noqa: F811
) -> None:
    from textual import events

    from citeline.tui.widgets.event_detail import PassageList

    app = make_flow_app(flow_dir, select="treaty")  # two passages
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        passages = app.main_screen.query_one(PassageList)
        # both keys queued at once, as a fast typist's (or a paste's) reach the app
        app.post_message(events.Key("enter", "\r"))
        app.post_message(events.Key("j", "j"))
        await pilot.pause()
        assert app.main_screen.passages_focused
        assert selected_id(app) == "treaty"  # the timeline did not move
        assert passages.highlighted == 1  # the j went to the passages
        app.post_message(events.Key("escape", "\x1b"))
        app.post_message(events.Key("j", "j"))
        await pilot.pause()
        assert not app.main_screen.passages_focused
        assert selected_id(app) != "treaty"  # back on the timeline, the j moved it
        assert passages.highlighted in (0, None)  # another event's passages



async def test_the_search_field_is_mounted_when_first_opened_then_kept(
    flow_dir: Path,  # noqa: F811
) -> None:
    """Not for the first frame (its styles and mounting cost about 5 ms), and once only."""
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = app.main_screen
        assert not screen.query(SearchBar)
        await pilot.press("/", "t")
        field = screen.query_one(SearchBar)
        assert app.focused is field and field.value == "t"
        assert field.region.height and field.region.y > screen.timeline_list.region.y
        await pilot.press("escape")
        assert not field.display and isinstance(app.focused, TimelineList)
        await pilot.press("/", "r")
        assert list(screen.query(SearchBar)) == [field]
        assert app.focused is field and field.display and field.value == "r"


async def test_a_query_typed_ahead_of_the_search_bar_goes_into_it(flow_dir: Path) -> None:  # noqa: F811
    from textual import events

    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        # queued at once, as a fast typist's or a paste's: "c" alone would open coverage
        for key, char in (("slash", "/"), ("c", "c"), ("a", "a"), ("slash", "/")):
            app.post_message(events.Key(key, char))
        await pilot.pause()
        assert app.screen is app.main_screen
        assert app.main_screen.query_one(SearchBar).value == "ca/"  # "/" types in the field


def _index_held(monkeypatch) -> list:  # type: ignore[no-untyped-def]
    """Keep the main screen from building its search index until the test lets it."""
    from citeline.tui.screens.main_screen import MainScreen

    held: list = []
    monkeypatch.setattr(MainScreen, "_build_index", lambda self: held.append(self))
    return held


async def test_a_query_typed_before_the_index_is_ready_waits_for_it(
    flow_dir: Path, monkeypatch  # noqa: F811
) -> None:
    """At 100,000 events the index is still being built for seconds after the timeline
    shows: a query then waits for it, saying so, rather than stopping the interface."""
    from citeline.tui.screens.main_screen import MainScreen

    held = _index_held(monkeypatch)
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("/", *"treaty")
        await pilot.pause()
        screen = app.main_screen
        assert app.query_one(SearchBar).value == "treaty"  # typed at once
        assert screen.timeline_list.visible_event_count == 4  # not filtered yet
        assert screen.search_waiting
        assert "indexing for search: 0% treaty" in screen_text(app)
        monkeypatch.undo()
        assert held == [screen]
        MainScreen._build_index(screen)
        for _ in range(50):
            await pilot.pause(0.02)
            if screen.timeline_list.visible_event_count == 2:
                break
        assert screen.timeline_list.visible_event_count == 2 and not screen.search_waiting
        assert "2 of 4 events match treaty" in screen_text(app)


async def test_enter_or_esc_on_a_waiting_query(flow_dir: Path, monkeypatch) -> None:  # noqa: F811
    _index_held(monkeypatch)
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.main_screen
        await pilot.press("/", *"treaty", "escape")  # Esc: nothing waits any more
        await pilot.pause()
        assert screen.timeline_list.visible_event_count == 4
        assert "indexing" not in screen_text(app) and "4 events" in screen_text(app)
        await pilot.press("/", *"treaty", "enter")  # Enter: the hits, now
        await pilot.pause()
        assert screen.timeline_list.visible_event_count == 2
        assert isinstance(app.focused, TimelineList) and selected_id(app) == "treaty"
        assert "2 of 4 events match treaty" in screen_text(app)


async def test_after_a_slow_filter_the_typing_shows_first_and_filters_once(
    flow_dir: Path, monkeypatch  # noqa: F811
) -> None:
    """At 100,000 events a query of a letter or two takes 60-100 ms to filter: the next
    characters then show at once, and those typed meanwhile are filtered together."""
    from textual import events

    from citeline.search import SearchIndex
    from citeline.tui.screens import main_screen

    searched: list[str] = []
    real = SearchIndex.search

    def counting(self, query: str):  # type: ignore[no-untyped-def]
        searched.append(query)
        return real(self, query)

    monkeypatch.setattr(SearchIndex, "search", counting)
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.main_screen
        await pilot.press("/", "t")
        await pilot.pause()
        assert searched == ["t"]  # fast: filtered in the same frame, as always
        monkeypatch.setattr(main_screen, "SLOW_FILTER", -1.0)  # every filter now slow
        for char in "reaty":  # queued at once, as a fast typist's
            app.post_message(events.Key(char, char))
        await pilot.pause()
        assert app.query_one(SearchBar).value == "treaty" and not screen.search_waiting
        assert searched == ["t", "treaty"]  # once, for the query the characters make
        assert screen.timeline_list.visible_event_count == 2
        assert "2 of 4 events match treaty" in screen_text(app)
        # a character typed and Esc straight after: nothing is filtered late
        for key, char in (("x", "x"), ("escape", None)):
            app.post_message(events.Key(key, char))
        await pilot.pause()
        assert screen.timeline_list.visible_event_count == 4 and not screen.search_waiting
        assert searched == ["t", "treaty"]
        # Enter straight after a character: the hits of the whole query, at once
        await pilot.press("/", *"treat")
        for key, char in (("y", "y"), ("enter", "\r")):
            app.post_message(events.Key(key, char))
        await pilot.pause()
        assert searched[-1] == "treaty"
        assert screen.timeline_list.visible_event_count == 2
        assert isinstance(app.focused, TimelineList) and selected_id(app) == "treaty"


async def test_a_straight_apostrophe_finds_and_marks_a_curly_one(tmp_path: Path) -> None:
    """The search folds quotes and dashes as the anchoring does, and the list marks the
    matched words where the title prints them curly."""
    from citeline.dates import parse_date
    from citeline.model import Event, Passage, Source, Timeline
    from citeline.tui.app import make_app

    source = Source("s", "s.txt", tmp_path / "s.txt", "Source", "text")
    passage = Passage("s", "text", 0, 4, 1, 1, "text")
    titles = ("Xi’s state visit — Moscow", "Plain title")
    timeline = Timeline("t", tuple(
        Event(f"ev-{i}", title, parse_date(f"202{i}"), "summary", (passage,))
        for i, title in enumerate(titles)
    ), (source,))
    app = make_app(timeline, tmp_path / "events.yaml", watch=False)
    async with app.run_test(size=(120, 36)) as pilot:
        timeline_list = app.main_screen.timeline_list
        await pilot.press("/", *"xi's visit -")
        await pilot.pause()
        assert timeline_list.visible_event_count == 1
        row = timeline_list._rows.event_rows[0] - int(timeline_list.scroll_offset.y)
        # (the row is the selected one: the cursor's background is over the match's,
        # and the match's underline shows through)
        marked = "".join(
            segment.text for segment in timeline_list.render_line(row)
            if segment.style is not None and segment.style.underline
        )
        assert marked == "Xi’svisit—"


async def test_the_title_bar_counts_matches_in_the_singular_for_one(
    flow_dir: Path,  # noqa: F811
) -> None:
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("/", *"markets")
        await pilot.pause()
        assert "1 of 4 events matches markets" in screen_text(app)
        await pilot.press(*"zz")
        await pilot.pause()
        assert "0 of 4 events match marketszz" in screen_text(app)
    one = Timeline("one", (Event("e", "Lone event", parse_date("2020"), "s", ()),), ())
    app = make_app(one, Path("events.yaml"), watch=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert "1 event · 0 sources" in screen_text(app)
        await pilot.press("/", *"lone")
        await pilot.pause()
        assert "1 of 1 event matches lone" in screen_text(app)


@pytest.mark.parametrize("clear", ["escape", "backspace"])
@pytest.mark.parametrize("query", ["zzz", "treaty"])
async def test_clearing_a_search_selects_again_the_event_selected_before(
    flow_dir: Path, query: str, clear: str  # noqa: F811
) -> None:
    """Though it matched nothing (or not that event): the cursor moved by the filter
    alone goes back; one the user moved among the matches stays."""
    app = make_flow_app(flow_dir, select="storm")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("slash", *query)
        await pilot.pause()
        matches = app.main_screen.timeline_list.visible_event_count
        assert matches == (0 if query == "zzz" else 2)
        await pilot.press(*([clear] if clear == "escape" else [clear] * len(query)))
        await pilot.pause()
        assert app.main_screen.timeline_list.visible_event_count == 4
        assert selected_id(app) == "storm"
        assert app.main_screen.query_one(PassageList).event.id == "storm"
    if query == "treaty" and clear == "escape":
        app = make_flow_app(flow_dir, select="storm")
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("slash", *query, "enter", "j", "slash", clear)
            await pilot.pause()
            assert selected_id(app) == "markets"  # the user's choice among the matches
