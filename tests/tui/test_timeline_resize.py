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
