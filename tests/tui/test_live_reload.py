"""Live reload: a broken save keeps the last good timeline; a fix replaces it."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from citeline.loader import LoadResult, load, remember
from citeline.tui.app import CitelineApp, make_app
from citeline.tui.widgets.key_footer import KeyFooter
from citeline.tui.widgets.search_bar import SearchBar
from tests.tui.flow_timeline import EVENTS, SOURCE_B, flow_dir, selected_id  # noqa: F401


def _watching_app(folder: Path, select: str | None = None) -> CitelineApp:
    """The browser on the flow timeline, started as the command line starts it: with the
    result of the load, whose stamps of the files it read the first look compares with."""
    events = folder / "events.yaml"
    result = load(events, use_cache=True, long_lived=True)
    return make_app(result.timeline, events, load_result=result, select_event=select, watch=True)


async def _wait_for_reload(app: CitelineApp, count: int, timeout: float = 15.0) -> None:
    waited = 0.0
    while app.reload_count < count:
        await asyncio.sleep(0.1)
        waited += 0.1
        assert waited < timeout, "the app did not reload"


async def test_broken_save_then_fix(flow_dir: Path) -> None:  # noqa: F811
    events = flow_dir / "events.yaml"
    app = _watching_app(flow_dir, select="treaty")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert selected_id(app) == "treaty"
        # a half-written save: broken YAML
        events.write_text(EVENTS[: len(EVENTS) // 2] + "\n  - [unclosed\n", encoding="utf-8")
        await _wait_for_reload(app, 1)
        await pilot.pause()
        panel = app.main_screen.query_one("#errors", Static)
        assert panel.display
        assert "events.yaml:" in str(panel.render())
        assert len(app.timeline.events) == 4  # still the last good one
        assert selected_id(app) == "treaty"
        assert app.is_running
        # the fix: the same file with one more event, and the title changed
        fixed = EVENTS.replace("Treaty signed", "Treaty finally signed") + (
            "  - id: extra\n    title: Extra\n    date: '2022'\n    summary: More.\n"
            "    passages:\n      - source: b\n        quote: The markets fell\n"
        )
        events.write_text(fixed, encoding="utf-8")
        await _wait_for_reload(app, 2)
        await pilot.pause()
        assert not panel.display
        assert len(app.timeline.events) == 5
        assert selected_id(app) == "treaty"
        assert app.main_screen.selected_event.title == "Treaty finally signed"


async def test_deleted_and_binary_source_keep_last_good(flow_dir: Path) -> None:  # noqa: F811
    app = _watching_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        source = flow_dir / "b.txt"
        original = source.read_bytes()
        source.unlink()
        await _wait_for_reload(app, 1)
        await pilot.pause()
        assert app.main_screen.query_one("#errors", Static).display
        assert len(app.timeline.events) == 4
        source.write_bytes(b"\x00\x01binary")
        await _wait_for_reload(app, 2)
        assert "binary" in str(app.main_screen.query_one("#errors", Static).render())
        source.write_bytes(original)
        await _wait_for_reload(app, 3)
        await pilot.pause()
        assert not app.main_screen.query_one("#errors", Static).display
        assert app.is_running


async def test_a_reload_keeps_the_search_and_says_so(flow_dir: Path) -> None:  # noqa: F811
    from tests.tui.screen_text import screen_text

    events = flow_dir / "events.yaml"
    app = _watching_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("/", *"treaty")
        await pilot.pause()
        assert "2 of 4 events match treaty" in screen_text(app)
        events.write_text(EVENTS.replace("Treaty signed", "Treaty finally signed"),
                          encoding="utf-8")
        await _wait_for_reload(app, 1)
        for _ in range(50):
            await pilot.pause(0.02)
            if "2 of 4 events match treaty" in screen_text(app):
                break
        assert app.main_screen.timeline_list.visible_event_count == 2
        assert "2 of 4 events match treaty" in screen_text(app)  # not "4 events"


@pytest.mark.parametrize("cached", [False, True])
async def test_a_save_between_the_load_and_the_first_look_is_seen(
    flow_dir: Path, cached: bool  # noqa: F811
) -> None:
    """The browser looks at the files once the timeline shows, against what the load read."""
    events, source = flow_dir / "events.yaml", flow_dir / "b.txt"
    if cached:  # the second start: the cache gives the timeline
        remember(events, load(events))
    assert load(events, use_cache=True).from_cache is cached
    app = _watching_app(flow_dir, select="treaty")
    # saved after the load read them, before the browser shows: longer, so the stamps differ
    events.write_text(EVENTS.replace("Treaty signed", "Treaty at last signed"), encoding="utf-8")
    source.write_text(source.read_text(encoding="utf-8") + "A late line.\n", encoding="utf-8")
    async with app.run_test(size=(120, 36)) as pilot:
        assert app.main_screen.selected_event.title == "Treaty signed"  # as loaded
        await _wait_for_reload(app, 1)
        await pilot.pause()
        assert app.main_screen.selected_event.title == "Treaty at last signed"
        assert "A late line." in app.timeline.source("b").text


async def test_the_errors_and_notifications_show_above_the_search_field(
    flow_dir: Path,  # noqa: F811
) -> None:
    events = flow_dir / "events.yaml"
    app = _watching_app(flow_dir)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        screen = app.main_screen
        await pilot.press("/", *"treaty")
        events.write_text(EVENTS + "  - [unclosed\n", encoding="utf-8")
        await _wait_for_reload(app, 1)
        await pilot.pause()
        panel = screen.query_one("#errors", Static)
        search, footer = screen.query_one(SearchBar), screen.query_one(KeyFooter)
        assert panel.display and search.display
        assert panel.region.bottom == search.region.y  # the errors, the field, the keys
        assert search.region.bottom == footer.region.y
        assert "events.yaml:" in str(panel.render())
        toasts = list(screen.query("Toast"))  # the reload's notification: above them all
        assert toasts and all(toast.region.bottom <= panel.region.y for toast in toasts)
        await pilot.press("escape")  # the search closed: the panel down to the keys
        await pilot.pause()
        assert not search.display
        assert panel.region.bottom == footer.region.y
        await pilot.press("/")  # opened again, over the errors shown already
        await pilot.pause()
        assert panel.region.bottom == search.region.y



async def test_the_errors_panel_counts_every_error_found(flow_dir: Path) -> None:  # noqa: F811
    """A save with more errors than are kept: the panel and the notice count them all,
    not the 1,000 kept and the line that says how many more there are."""
    events = flow_dir / "events.yaml"
    app = _watching_app(flow_dir)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.pause()
        bad = "".join(
            f"  - id: bad-{n}\n    title: T\n    date: '2022-02-30'\n    summary: S\n"
            "    passages:\n      - source: b\n        quote: not in the source\n"
            for n in range(600)
        )
        events.write_text(EVENTS + bad, encoding="utf-8")
        await _wait_for_reload(app, 1)
        await pilot.pause()
        panel = str(app.main_screen.query_one("#errors", Static).render())
        assert "The file has 1,200 errors;" in panel
        listed = panel.count(": error: ")
        assert listed >= 1 and f"… and {1200 - listed:,} more" in panel
        assert any(
            "The timeline has 1,200 errors" in str(n.message) for n in app._notifications
        )


async def test_a_notification_shows_above_the_search_field(flow_dir: Path) -> None:  # noqa: F811
    app = _watching_app(flow_dir)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("/", *"treaty")
        app.notify("Reloaded: 4 events.")
        await pilot.pause()
        await pilot.pause()
        search = app.main_screen.query_one(SearchBar)
        toasts = list(app.main_screen.query("Toast"))
        assert toasts and all(toast.region.bottom <= search.region.y for toast in toasts)


async def test_the_kept_coverage_screen_shows_the_reloaded_timeline(flow_dir: Path) -> None:  # noqa: F811
    from citeline.tui.screens.coverage_screen import CoverageScreen

    events = flow_dir / "events.yaml"
    app = _watching_app(flow_dir, select="storm")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        first = app.screen
        assert isinstance(first, CoverageScreen) and first.grid.cursor == (3, 0)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.main_screen
        events.write_text(
            EVENTS + "  - id: extra\n    title: Extra\n    date: '2022'\n    summary: More.\n"
            "    passages:\n      - source: b\n        quote: The markets fell\n",
            encoding="utf-8",
        )
        await _wait_for_reload(app, 1)
        await pilot.pause()
        assert not first.is_attached  # let go, with the old timeline
        await pilot.press("G", "c")
        await pilot.pause()
        assert isinstance(app.screen, CoverageScreen) and app.screen is not first
        assert app.screen.grid.cursor == (4, 0)
        assert "Extra" in str(app.screen.query_one("#coverage-status").render())
        shown = app.screen
        events.write_text(EVENTS, encoding="utf-8")  # reloaded while the grid shows
        await _wait_for_reload(app, 2)
        await pilot.pause()
        await pilot.pause()
        assert app.screen is shown  # shown in place, the reloaded timeline in it
        assert shown.timeline is app.timeline
        assert len(app.screen.timeline.events) == 4
        assert app.screen.grid.cursor == (3, 0)  # the extra event gone: the last one left


#: The flow timeline with a third passage cited by the treaty (the user goes to it).
THIRD_PASSAGE = EVENTS.replace(
    "        quote: the treaty was signed in the capital after a long night.\n",
    "        quote: the treaty was signed in the capital after a long night.\n"
    "      - source: b\n        quote: The markets fell the next morning.\n",
)


@pytest.mark.parametrize(
    ("saved", "expected"),
    [
        # the title changed: the same passage, at the same place
        (THIRD_PASSAGE.replace("Treaty signed", "Treaty finally signed"), 2),
        # a passage cited before it: the same passage, one further down
        (THIRD_PASSAGE.replace(
            "      - source: a\n        quote: Later the treaty",
            "      - source: a\n        quote: Both sides said little.\n"
            "      - source: a\n        quote: Later the treaty",
        ), 3),
        # the passage gone: the one now at its place, here the last
        (EVENTS, 1),
    ],
)
async def test_a_reload_keeps_the_highlighted_passage(
    flow_dir: Path, saved: str, expected: int  # noqa: F811
) -> None:
    from citeline.tui.widgets.event_detail import PassageList

    events = flow_dir / "events.yaml"
    events.write_text(THIRD_PASSAGE, encoding="utf-8")
    app = _watching_app(flow_dir, select="treaty")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("enter", "j", "j")
        passages = app.main_screen.query_one(PassageList)
        assert app.focused is passages and passages.highlighted == 2
        events.write_text(saved, encoding="utf-8")
        await _wait_for_reload(app, 1)
        await pilot.pause()
        assert selected_id(app) == "treaty"
        assert passages.event is app.timeline.event("treaty")
        assert passages.highlighted == expected
        assert app.focused is passages  # still in the passages
        await pilot.press("k")  # and the keys go on from there
        assert passages.highlighted == expected - 1


async def test_a_reload_keeps_the_source_viewer_on_its_passage(flow_dir: Path) -> None:  # noqa: F811
    from citeline.tui.screens.source_screen import SourceScreen

    events = flow_dir / "events.yaml"
    app = _watching_app(flow_dir, select="treaty")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("enter", "j", "enter")  # the treaty's second passage, in b.txt
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen) and app.screen.focus_ref == ("treaty", 1)
        events.write_text(EVENTS.replace(  # a passage cited before it
            "      - source: a\n        quote: Later the treaty",
            "      - source: a\n        quote: Both sides said little.\n"
            "      - source: a\n        quote: Later the treaty",
        ), encoding="utf-8")
        await _wait_for_reload(app, 1)
        await pilot.pause()
        viewer = app.screen
        assert isinstance(viewer, SourceScreen)
        assert (viewer.source_id, viewer.focus_ref) == ("b", ("treaty", 2))
        await pilot.press("escape")  # back in the passages, on the same one
        await pilot.pause()
        assert app.main_screen.passages_focused and app.main_screen.passage_index == 2


async def _no_reload_for(app: CitelineApp, seconds: float) -> None:
    waited = 0.0
    while waited < seconds:
        await asyncio.sleep(0.1)
        waited += 0.1
        assert app.reload_count == 0, "a file the timeline does not read reloaded it"


async def test_an_export_into_the_events_folder_does_not_reload(
    flow_dir: Path, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    """Nor any other file made beside the events file or a source (a folder's stamp
    changes with each); the watcher still sees the files themselves."""
    monkeypatch.chdir(flow_dir)
    app = _watching_app(flow_dir, select="treaty")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("enter", "j")
        await pilot.pause(0.6)  # (the first look taken)
        app.export("json")
        for _ in range(50):
            await pilot.pause(0.02)
            if (flow_dir / "flow-test.json").is_file():
                break
        assert (flow_dir / "flow-test.json").is_file()
        (flow_dir / "events.yaml~").write_text(EVENTS, encoding="utf-8")  # an editor's
        await _no_reload_for(app, 3 * 0.5 + 0.5)
        (flow_dir / "b.txt").write_text(SOURCE_B + "More.\n", encoding="utf-8")
        await _wait_for_reload(app, 1)


async def test_a_source_swapped_for_a_link_to_itself_is_seen(flow_dir: Path) -> None:  # noqa: F811
    """Its stamp through the link is the same: the link itself is seen, and its fix."""
    import os

    app = _watching_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause(0.6)
        (flow_dir / "store").mkdir()
        os.rename(flow_dir / "b.txt", flow_dir / "store" / "b.txt")
        os.symlink(flow_dir / "store" / "b.txt", flow_dir / "b.txt")
        await _wait_for_reload(app, 1)
        await pilot.pause()
        panel = app.main_screen.query_one("#errors", Static)
        assert panel.display and "symbolic link" in str(panel.render())
        os.unlink(flow_dir / "b.txt")
        os.rename(flow_dir / "store" / "b.txt", flow_dir / "b.txt")
        await _wait_for_reload(app, 2)
        await pilot.pause()
        assert not panel.display


async def test_the_date_box_stays_open_across_a_reload_and_says_where_it_leads_now(
    flow_dir: Path,  # noqa: F811
) -> None:
    from citeline.tui.screens.date_screen import DateScreen

    events = flow_dir / "events.yaml"
    app = _watching_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("d", *"2021")
        await pilot.pause()
        box = app.screen
        assert isinstance(box, DateScreen)
        assert "2021  The storm" in str(box.hint.render())
        events.write_text(EVENTS.replace("The storm", "The great storm"), encoding="utf-8")
        await _wait_for_reload(app, 1)
        await pilot.pause()
        assert app.screen is box
        assert "2021  The great storm" in str(box.hint.render())
        await pilot.press("enter")
        await pilot.pause()
        assert selected_id(app) == "storm"


def _save(path: Path, text: str) -> None:
    """Write ``path`` whole at once, as an editor saving atomically does."""
    written = path.with_name(path.name + ".saving")
    written.write_text(text, encoding="utf-8")
    os.replace(written, path)


async def _until(check: Callable[[], bool], what: str, timeout: float = 15.0) -> None:
    waited = 0.0
    while not check():
        await asyncio.sleep(0.02)
        waited += 0.02
        assert waited < timeout, f"waited in vain for {what}"


async def test_a_load_slower_than_the_polls_runs_alone_and_the_last_save_shows(
    flow_dir: Path, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    """The first reload's load is held up after reading the files until the test lets it
    go; meanwhile the file is saved again and the files are looked at several times. No
    other load starts beside it, and the save made during it is reloaded after it."""
    from citeline.tui import app as app_module

    events = flow_dir / "events.yaml"
    first, second = "Treaty signed at last", "Treaty signed at very long last"
    real_load = app_module.load
    guard = threading.Lock()
    running, most, loaded = [0], [0], []
    read, go_on = threading.Event(), threading.Event()

    def held_load(*args: Any, **kwargs: Any) -> LoadResult:
        with guard:
            running[0] += 1
            most[0] = max(most[0], running[0])
        try:
            result = real_load(*args, **kwargs)
            event = result.timeline.event("treaty") if result.timeline else None
            loaded.append(event.title if event else None)
            if len(loaded) == 1:  # the first reload: the files read, held up
                read.set()
                go_on.wait(15)
            return result
        finally:
            with guard:
                running[0] -= 1

    looks = [0]
    check_files = CitelineApp._check_files

    def counted_look(app: CitelineApp) -> None:
        looks[0] += 1
        check_files(app)

    monkeypatch.setattr(app_module, "load", held_load)
    monkeypatch.setattr(CitelineApp, "_check_files", counted_look)
    app = _watching_app(flow_dir, select="treaty")
    async with app.run_test(size=(120, 36)) as pilot:
        await _until(lambda: app._snapshot is not None, "the first look")
        _save(events, EVENTS.replace("Treaty signed", first))
        await _until(read.is_set, "the first reload to read the files")
        _save(events, EVENTS.replace("Treaty signed", second))  # saved during the load
        seen = looks[0]
        await _until(lambda: looks[0] >= seen + 3, "three looks during the load")
        go_on.set()
        await _until(lambda: app.reload_count >= 2, "the save made during the load")
        seen = looks[0]
        await _until(lambda: looks[0] >= seen + 3, "three looks after it")
        await pilot.pause()
        assert most[0] == 1  # one load at a time
        assert loaded == [first, second]  # each save loaded once, in order
        assert app.reload_count == 2
        assert app.main_screen.selected_event.title == second  # what is on disk


async def test_a_source_added_before_its_file_is_read_once_the_file_appears(
    flow_dir: Path,  # noqa: F811
) -> None:
    events = flow_dir / "events.yaml"
    app = _watching_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await _until(lambda: app._snapshot is not None, "the first look")
        _save(events, EVENTS.replace(
            "events:\n", "  - id: c\n    file: c.txt\n    title: Source C\nevents:\n", 1
        ))
        await _wait_for_reload(app, 1)
        await pilot.pause()
        assert app.main_screen.query_one("#errors", Static).display  # c.txt is missing
        (flow_dir / "c.txt").write_text("A third source.\n", encoding="utf-8")
        await _wait_for_reload(app, 2)
        await pilot.pause()
        assert not app.main_screen.query_one("#errors", Static).display
        assert app.timeline.source("c") is not None


async def test_the_palette_stays_open_across_a_reload_with_what_was_typed(
    flow_dir: Path,  # noqa: F811
) -> None:
    from textual.command import CommandInput, CommandPalette

    events = flow_dir / "events.yaml"
    app = _watching_app(flow_dir, select="treaty")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("enter", "j")  # in the passages, on the second
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"storm")
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        _save(events, EVENTS.replace("The storm", "The great storm"))
        await _wait_for_reload(app, 1)
        await pilot.pause()
        assert app.screen is palette
        assert palette.query_one(CommandInput).value == "storm"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.main_screen
        assert selected_id(app) == "treaty"
        assert app.main_screen.passages_focused and app.main_screen.passage_index == 1


#: The flow timeline without source b (nor the passages that cite it).
WITHOUT_B = (
    EVENTS.replace("  - id: b\n    file: b.txt\n    title: Source B\n", "")
    .replace("      - source: b\n        quote: the treaty was signed in the capital after"
             " a long night.\n", "")
    .split("  - id: markets\n")[0]
)


def _palette_entries(palette: Any) -> list[str]:
    from textual.command import CommandList

    entries = palette.query_one(CommandList)
    return [str(entries.get_option_at_index(i).prompt) for i in range(entries.option_count)]


async def _palette_with(pilot: Any, typed: str) -> Any:
    """Open the palette and type ``typed`` in it; the palette, its entries listed."""
    from textual.command import CommandPalette

    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*typed)
    await pilot.pause(0.3)
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    return palette


async def test_an_open_palette_lists_the_reloaded_timeline_without_a_key(
    flow_dir: Path,  # noqa: F811
) -> None:
    from textual.command import CommandInput

    events = flow_dir / "events.yaml"
    app = _watching_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        palette = await _palette_with(pilot, "storm")
        assert any("The storm" in entry for entry in _palette_entries(palette))
        _save(events, EVENTS.replace("The storm", "The great storm"))
        await _wait_for_reload(app, 1)
        await pilot.pause(0.3)
        assert app.screen is palette
        assert palette.query_one(CommandInput).value == "storm"
        entries = _palette_entries(palette)
        assert any("The great storm" in entry for entry in entries), entries


async def test_a_reload_leaves_the_entry_the_user_highlighted_in_the_palette(
    flow_dir: Path,  # noqa: F811
) -> None:
    from textual.command import CommandList

    events = flow_dir / "events.yaml"
    app = _watching_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        palette = await _palette_with(pilot, "event")
        await pilot.press("down", "down")
        await pilot.pause()
        entries = palette.query_one(CommandList)
        chosen = str(entries.highlighted_option.prompt)
        _save(events, EVENTS.replace("The storm", "The great storm"))
        await _wait_for_reload(app, 1)
        await pilot.pause(0.3)
        assert app.screen is palette
        assert entries.highlighted == 2
        assert str(entries.highlighted_option.prompt) == chosen
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is app.main_screen
        assert f"Go to {app.main_screen.selected_event.title}\n" in chosen


async def test_a_palette_entry_for_a_source_a_reload_took_away_goes_and_says_so(
    flow_dir: Path,  # noqa: F811
) -> None:
    from textual.command import CommandPalette

    events = flow_dir / "events.yaml"
    app = _watching_app(flow_dir)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        palette = await _palette_with(pilot, "open source b")
        assert any("Source B" in entry for entry in _palette_entries(palette))
        _save(events, WITHOUT_B)
        await _wait_for_reload(app, 1)
        await pilot.pause(0.3)
        assert isinstance(app.screen, CommandPalette)
        assert not any("Source B" in entry for entry in _palette_entries(app.screen))
        # an entry chosen in the moment before the list is made again says so
        await pilot.press("escape")
        await pilot.pause()
        app.open_source("b")
        await pilot.pause()
        assert app.is_running and app.screen is app.main_screen
        assert any("No source 'b' now." in str(n.message) for n in app._notifications)


#: A source declared before the others (the reload moves every column one on).
ZETA = "sources:\n  - id: zeta\n    file: zeta.txt\n    title: Zeta first\n"


async def test_a_reload_keeps_the_cursor_of_the_sources_list_on_its_source(
    tmp_path: Path,
) -> None:
    from citeline.tui.screens.sources_screen import SourcesScreen
    from tests.tui.conftest import EVENTS_YAML, write_viewer_files

    events = write_viewer_files(tmp_path)
    app = _watching_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("s", "j", "j")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SourcesScreen)
        listed = screen.option_list
        assert listed.highlighted == 2  # gamma
        alpha = tmp_path / "alpha.txt"
        alpha.write_text(alpha.read_text(encoding="utf-8") + "One more line.\n",
                         encoding="utf-8")
        await _wait_for_reload(app, 1)
        await pilot.pause()
        assert app.timeline.source("alpha").text.endswith("One more line.\n")
        assert app.screen is screen and listed.highlighted == 2
        (tmp_path / "zeta.txt").write_text("Zeta.\n", encoding="utf-8")
        _save(events, EVENTS_YAML.replace("sources:\n", ZETA, 1))
        await _wait_for_reload(app, 2)
        await pilot.pause()
        assert app.screen is screen
        assert listed.highlighted == 3
        assert listed.get_option_at_index(3).id == "gamma"  # the same source, moved on
        assert "4 sources" in str(screen.query_one("#sources-header").render())


async def test_a_reload_keeps_the_column_of_the_coverage_grid_on_its_source(
    tmp_path: Path,
) -> None:
    from citeline.tui.screens.coverage_screen import CoverageScreen
    from tests.tui.conftest import EVENTS_YAML, write_viewer_files

    events = write_viewer_files(tmp_path)
    app = _watching_app(tmp_path, select="e3")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("c", "l", "l")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CoverageScreen)
        assert screen.grid.cursor == (2, 2)  # e3, gamma
        (tmp_path / "beta.txt").write_text(
            "Beta notes.\nThe budget passed.\nFiled in the archive.\nMore.\n", encoding="utf-8"
        )
        await _wait_for_reload(app, 1)
        await pilot.pause()
        assert app.timeline.source("beta").text.endswith("More.\n")
        assert app.screen is screen and screen.grid.cursor == (2, 2)
        (tmp_path / "zeta.txt").write_text("Zeta.\n", encoding="utf-8")
        _save(events, EVENTS_YAML.replace("sources:\n", ZETA, 1))
        await _wait_for_reload(app, 2)
        await pilot.pause()
        assert app.screen is screen
        assert screen.grid.cursor == (2, 3)
        assert screen.grid.cursor_source.id == "gamma"  # the same source, moved on
        await pilot.press("escape")  # back where the grid was left
        await pilot.pause()
        assert app.screen is app.main_screen and selected_id(app) == "e3"


async def test_a_reload_keeps_the_source_viewer_scrolled_where_it_was(tmp_path: Path) -> None:
    """Another file changed: the viewer stays where the user scrolled to (the palette open
    over it too); its own text changed: the passage under focus brought into view."""
    from textual.command import CommandPalette

    from citeline.tui.screens.source_screen import SourceScreen
    from tests.tui.conftest import write_viewer_files

    write_viewer_files(tmp_path)
    app = _watching_app(tmp_path, select="e1")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("enter", "enter")  # e1's first passage, in alpha, line 3
        await pilot.pause()
        viewer = app.screen
        assert isinstance(viewer, SourceScreen) and viewer.source_id == "alpha"
        text = viewer.source_text
        await pilot.press(*"j" * 12)
        await pilot.pause()
        scrolled = text.scroll_y
        assert scrolled >= 12 and not text._focus_in_view()  # the passage scrolled away
        beta = tmp_path / "beta.txt"
        beta.write_text(beta.read_text(encoding="utf-8") + "More.\n", encoding="utf-8")
        await _wait_for_reload(app, 1)
        await pilot.pause()
        assert app.screen is viewer and text.timeline is app.timeline
        assert text.scroll_y == scrolled and viewer.focus_ref == ("e1", 0)
        await pilot.press("G", "ctrl+p")
        await pilot.pause()
        bottom = text.scroll_y
        assert bottom > scrolled and isinstance(app.screen, CommandPalette)
        beta.write_text(beta.read_text(encoding="utf-8") + "Again.\n", encoding="utf-8")
        await _wait_for_reload(app, 2)
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is viewer and text.scroll_y == bottom
        alpha = tmp_path / "alpha.txt"  # the source shown: its passage brought into view
        alpha.write_text("A new first line.\n" + alpha.read_text(encoding="utf-8"),
                         encoding="utf-8")
        await _wait_for_reload(app, 3)
        await pilot.pause()
        assert app.screen is viewer and viewer.focus_ref == ("e1", 0)
        assert "A new first line." in text.source.text
        assert text._focus_in_view()
