"""The row views (the timeline, a source's text): the scrollbar redrawn only when
its thumb moves, and always drawn right."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.scroll_view import ScrollView

from citeline.model import Source, Timeline
from citeline.tui.widgets.source_text import SourceText
from citeline.tui.widgets.timeline_list import TimelineList

from .conftest import synthetic_timeline


class Host(App[None]):
    def __init__(self, make: Callable[[], ScrollView]) -> None:
        super().__init__()
        self._make = make

    def compose(self) -> ComposeResult:
        yield self._make()


def long_list() -> ScrollView:
    return TimelineList(synthetic_timeline(1_000, 20))


def long_source() -> ScrollView:
    text = "".join(f"Line {n} of a long source.\n" for n in range(1_500))
    source = Source("long", "long.txt", Path("long.txt"), "A long source", text)
    return SourceText(Timeline("t", (), (source,)), source)


def scrollbar_cells(app: App) -> list[tuple[str, object]]:
    """The scrollbar's column as the screen draws it: each cell's text and style."""
    view = app.query_one(ScrollView)
    region = view.region
    column = region.right - 1
    cells = []
    for strip in app.screen._compositor.render_strips()[region.y : region.bottom]:
        segments = list(strip.crop(column, column + 1))
        cells.append(tuple((s.text, s.style) for s in segments if isinstance(s, Segment)))
    return cells


@pytest.mark.parametrize("make", [long_list, long_source])
async def test_the_scrollbar_is_redrawn_only_when_its_thumb_moves(
    make: Callable[[], ScrollView],
) -> None:
    app = Host(make)
    async with app.run_test(size=(60, 20)) as pilot:
        view = app.query_one(ScrollView)
        view.focus()
        bar = view.vertical_scrollbar
        renders = 0
        render = bar.render

        def counting_render():  # type: ignore[no-untyped-def]
            nonlocal renders
            renders += 1
            return render()

        bar.render = counting_render  # type: ignore[method-assign]
        await pilot.press(*["j"] * 20)  # (the list's cursor reaches the foot: each j scrolls)
        await pilot.pause()
        renders = 0
        moves = 0
        thumb = scrollbar_cells(app)
        for _ in range(40):
            scrolled = view.scroll_y
            await pilot.press("j")
            await pilot.pause()
            assert view.scroll_y != scrolled
            # the position is kept exact (dragging the thumb starts from it)
            assert bar.position == bar.validate_position(view.scroll_y)
            shown = scrollbar_cells(app)
            moves += shown != thumb
            thumb = shown
        assert 0 < moves < 12
        assert renders <= moves * 2  # (not once per row: 40)

        # what shows is, at every step, what a fresh drawing shows
        for key in ["j"] * 12 + ["G"]:
            await pilot.press(key)
            await pilot.pause()
            shown = scrollbar_cells(app)
            bar.refresh()
            await pilot.pause()
            assert scrollbar_cells(app) == shown
        assert shown != thumb
