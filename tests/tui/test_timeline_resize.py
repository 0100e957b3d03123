"""The timeline's cursor row stays in view when the list gets shorter."""

from __future__ import annotations

from pathlib import Path

import pytest

from citeline.diagnostics import Diagnostic
from citeline.loader import load_timeline
from citeline.timeline_path import bundled_events
from citeline.tui.app import CitelineApp, make_app
from citeline.tui.widgets.timeline_list import TimelineList
from tests.tui.screen_text import screen_text


def _bundled_app() -> CitelineApp:
    path = bundled_events()
    return make_app(load_timeline(path), Path(path), watch=False)


def _cursor_row_shown(app: CitelineApp) -> bool:
    """Whether the list draws its selected row (``▶`` and the selected event's title)."""
    timeline_list = app.main_screen.query_one(TimelineList)
    row = timeline_list._rows.event_rows[timeline_list.cursor]
    top = timeline_list.scroll_offset.y
    if not top <= row < top + timeline_list.scrollable_content_region.height:
        return False
    title = app.main_screen.selected_event.title[:12]
    return any("▶" in line and title in line for line in screen_text(app).splitlines())


@pytest.mark.parametrize(
    ("start", "keys", "end"),
    [
        ((80, 24), ("G",), (80, 14)),
        ((80, 24), ("j",) * 10, (40, 12)),
        ((100, 24), ("G",), (99, 24)),  # to the narrow layout: the detail under the list
    ],
)
async def test_a_shorter_list_keeps_the_cursor_row_in_view(
    start: tuple[int, int], keys: tuple[str, ...], end: tuple[int, int]
) -> None:
    app = _bundled_app()
    async with app.run_test(size=start) as pilot:
        await pilot.press(*keys)
        await pilot.pause()
        assert _cursor_row_shown(app)
        await pilot.resize_terminal(*end)
        await pilot.pause()
        await pilot.pause()
        assert _cursor_row_shown(app)


async def test_the_errors_panel_keeps_the_cursor_row_in_view() -> None:
    app = _bundled_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("G")
        await pilot.pause()
        assert _cursor_row_shown(app)
        app.main_screen.show_diagnostics(
            (Diagnostic("events.yaml", 3, 1, "mapping values are not allowed here"),)
        )
        await pilot.pause()
        await pilot.pause()
        assert _cursor_row_shown(app)


async def test_the_search_field_keeps_the_cursor_row_in_view() -> None:
    app = _bundled_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("G", "slash")
        await pilot.pause()
        await pilot.pause()
        assert _cursor_row_shown(app)


def _many_errors() -> tuple[Diagnostic, ...]:
    return tuple(
        Diagnostic("events.yaml", line, 1, "mapping values are not allowed here")
        for line in range(1, 9)
    )


@pytest.mark.parametrize("size", [(40, 12), (60, 14), (120, 12)])
@pytest.mark.parametrize("shown", ["search", "errors", "both"])
async def test_a_small_screen_keeps_a_row_for_the_cursor(
    size: tuple[int, int], shown: str
) -> None:
    """The search field and the errors panel leave the list rows: the errors panel is
    kept short, and in the narrow layout the detail gives way to the list."""
    app = _bundled_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press(*"jjjjj")
        if shown != "search":
            app.main_screen.show_diagnostics(_many_errors())
        if shown != "errors":
            await pilot.press("slash", *"xi")
        await pilot.pause()
        await pilot.pause()
        assert _cursor_row_shown(app)
        await pilot.press("down")  # (from the search field: the list's keys move it)
        if shown != "errors":
            await pilot.press("enter")  # the first match, the field still open
        await pilot.pause()
        await pilot.pause()
        assert _cursor_row_shown(app)


async def test_in_the_passages_a_small_screen_shows_the_detail() -> None:
    """At 40×12 with the search field open, going into the passages shows them."""
    from citeline.tui.widgets.event_detail import PassageList

    app = _bundled_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("slash", *"xi", "enter")
        await pilot.pause()
        detail = app.main_screen.query_one(PassageList)
        assert not detail.display or detail.size.height == 0  # given way to the list
        await pilot.press("enter")  # into the passages
        await pilot.pause()
        await pilot.pause()
        assert app.focused is detail and detail.size.height >= 2
        assert _cursor_row_shown(app)  # the list still shows the event
        await pilot.press("escape")  # back to the list: the detail gives way again
        await pilot.pause()
        await pilot.pause()
        assert _cursor_row_shown(app) and detail.size.height == 0


LONG_ERRORS = tuple(
    Diagnostic("events.yaml", 10 + i, 5, f"problem {i} with a message long enough to wrap"
               " at eighty columns, and then some more words")
    for i in range(12)
)


@pytest.mark.parametrize(("size", "search"), [
    ((80, 24), False), ((80, 24), True), ((120, 36), False), ((40, 12), False),
    ((40, 12), True), ((60, 14), False),
])
async def test_the_errors_panel_lists_whole_errors_and_counts_the_rest(
    size: tuple[int, int], search: bool
) -> None:
    app = make_app(load_timeline(bundled_events()), bundled_events(), watch=False)
    async with app.run_test(size=size) as pilot:
        if search:
            await pilot.press("slash")
        app.main_screen.show_diagnostics(LONG_ERRORS)
        await pilot.pause()
        await pilot.pause()
        panel = app.main_screen.query_one("#errors")
        text = [line.text.rstrip() for line in panel.render_lines(panel.region.reset_offset)]
        body = text[1:]  # (under its top border)
        listed = [n for n in range(12) if any(f"problem {n} " in line for line in body)]
        more = body[-1]
        if size[1] >= 24 or not search:
            assert more.strip().startswith(f"… and {12 - len(listed)} more: run citeline validate")
        else:  # two rows: the header counts them, then the first error, cut to a row
            assert body[0].strip() == "12 errors; fix and save to reload." and len(body) == 2
        whole = sum(line.endswith("some more words") for line in body)
        if size[1] >= 24:  # every error listed is whole
            assert listed and whole == len(listed), body
        else:  # the first error begun, in three rows, or two over the search field
            assert listed == [0], body
        if size == (120, 36):  # the header, 7 errors of a row each, the count of the rest
            assert len(listed) == 7 and "The file has 12 errors" in body[0]
        assert panel.region.height <= (3 if size[1] < 24 and search else 4 if size[1] < 24
                                       else 10)
