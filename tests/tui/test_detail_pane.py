"""The detail pane, the list's cursor row and the axis mark, as they are drawn."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text
from textual.geometry import Offset

from citeline.tui.widgets.event_detail import PassageList, _least_lines
from citeline.tui.widgets.time_axis import TimeAxis
from citeline.tui.widgets.timeline_list import TimelineList
from tests.tui.flow_timeline import flow_dir, make_flow_app  # noqa: F401

from .conftest import screen_lines


def _pane_text(app) -> list[str]:  # type: ignore[no-untyped-def]
    pane = app.screen.query_one(PassageList)
    region = pane.region
    return [line[region.x : region.right].rstrip() for line in screen_lines(app)[
        region.y : region.bottom
    ]]


async def test_fields_heading_and_every_line_of_every_passage(flow_dir: Path) -> None:  # noqa: F811
    app = make_flow_app(flow_dir, select="treaty")
    async with app.run_test(size=(70, 30)) as pilot:  # narrow: the detail stacks, lines wrap
        await pilot.pause()
        text = "\n".join(_pane_text(app))
        assert "Treaty signed" in text
        assert "Participants: Ann, Bo" in text
        assert "Passages (2, from 2 sources)" in text
        # each passage ends with its source's file and line, however it wraps
        assert "a.txt:2" in text
        assert "b.txt:1" in text
        assert text.index("Treaty signed") < text.index("Passages (2") < text.index("a.txt:2")


async def test_the_highlight_follows_keys_and_clicks(flow_dir: Path) -> None:  # noqa: F811
    app = make_flow_app(flow_dir, select="treaty")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("enter")
        passages = app.screen.query_one(PassageList)
        assert app.focused is passages and passages.highlighted == 0
        await pilot.press("j", "j")  # stays on the last
        assert passages.highlighted == 1
        await pilot.press("k")
        assert passages.highlighted == 0
        lines = _pane_text(app)
        row = next(y for y, line in enumerate(lines) if "b.txt:1" in line)
        await pilot.click(PassageList, offset=Offset(4, row))
        assert passages.highlighted == 1


async def test_highlight_and_cursor_rows_follow_the_focus(flow_dir: Path) -> None:  # noqa: F811
    app = make_flow_app(flow_dir, select="treaty")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        timeline = app.screen.query_one(TimelineList)
        passages = app.screen.query_one(PassageList)

        def cursor_style():  # type: ignore[no-untyped-def]
            row = timeline._rows.event_rows[timeline.cursor] - int(timeline.scroll_y)
            return list(timeline.render_line(row))[-1].style

        def highlight_style():  # type: ignore[no-untyped-def]
            layout = passages._layout
            assert layout is not None
            return next(iter(passages.render_line(layout.passages_top))).style

        list_focused, passage_blurred = cursor_style(), highlight_style()
        await pilot.press("enter")
        await pilot.pause()
        assert cursor_style() != list_focused  # the list's cursor is drawn as blurred
        assert highlight_style() != passage_blurred  # the passage's as focused
        await pilot.press("escape")
        await pilot.pause()
        assert cursor_style() == list_focused
        assert highlight_style() == passage_blurred


async def test_the_axis_mark_is_styled(flow_dir: Path) -> None:  # noqa: F811
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        axis = app.screen.query_one(TimeAxis)
        mark = next(s for s in axis.render_line(1) if s.text == "◆")
        assert mark.style == axis.rich_style + axis.get_component_rich_style("axis--selected")


async def test_the_axis_rows_are_one_segment_per_run_of_a_style(flow_dir: Path) -> None:  # noqa: F811
    # a segment per cell made every cursor move write a style sequence per column
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        axis = app.screen.query_one(TimeAxis)
        for y in (0, 1):
            segments = list(axis.render_line(y))
            assert sum(s.cell_length for s in segments) == axis.size.width
            assert all(a.style != b.style for a, b in pairwise(segments))


_WORDS = st.sampled_from(["a", "bb", "ccc", "dddd", "“quoted”", "世界", "x" * 30, "", "—", "  "])


@settings(max_examples=300, deadline=None)
@given(
    lines=st.lists(st.lists(_WORDS, max_size=30).map(" ".join), min_size=1, max_size=4),
    width=st.integers(min_value=1, max_value=60),
)
def test_the_least_line_count_never_exceeds_the_wrapped_count(lines: list[str], width: int) -> None:
    # the pane skips a wrap it knows will overflow: the bound must never claim too many lines
    text = Text("\n".join(lines))
    wrapped = len(text.wrap(Console(width=200), width))
    assert _least_lines([text], width) <= wrapped


def _bundled_app():  # type: ignore[no-untyped-def]
    from citeline.loader import load_timeline
    from citeline.timeline_path import bundled_events
    from citeline.tui.app import make_app

    path = bundled_events()
    return make_app(load_timeline(path), Path(path), watch=False)


async def test_a_long_summary_is_shown_whole_and_the_keys_scroll_to_all_of_it() -> None:
    app = _bundled_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"jjjjjj")
        await pilot.pause()
        event = app.main_screen.selected_event
        assert event.title == "Diplomatic boycott of the Beijing Winter Olympics"
        # the pane shows the summary whole, not its first line in a box of its own
        shown = " ".join(line.rstrip("▁▂▃▄▅▆▇█ ") for line in _pane_text(app))  # (no bar)
        assert " ".join(event.summary.split()) in " ".join(shown.split())
    app = _bundled_app()
    async with app.run_test(size=(80, 16)) as pilot:  # a pane of 5 rows
        await pilot.press(*"jjjjjj", "enter")
        await pilot.pause()
        passages = app.screen.query_one(PassageList)
        assert app.focused is passages and passages.option_count == 1
        # gone into the passages: the highlighted one shows, below the summary's end
        assert any(line.lstrip().startswith("“") for line in _pane_text(app))
        seen = [_pane_text(app)]
        for _ in range(30):  # down, a line at a time, to the end of the one passage
            await pilot.press("j")
            seen.append(_pane_text(app))
        assert "Diplomatic boycott" not in " ".join(seen[-1])  # scrolled down
        for _ in range(30):  # and back up, a line at a time, to the title
            await pilot.press("k")
            seen.append(_pane_text(app))
        text = " ".join(" ".join(lines) for lines in seen)
        for word in (*event.summary.split(), "Passages", "seeds/003_2f26fe01f4e81066.txt:2"):
            assert word in text, word
        assert "Diplomatic boycott" in _pane_text(app)[0]
        assert passages.highlighted == 0


async def test_a_resize_keeps_the_highlighted_passage_in_view() -> None:
    app = _bundled_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"jjjjj", "enter", *"jjjjj")
        await pilot.pause()
        passages = app.screen.query_one(PassageList)
        index = passages.highlighted
        assert index is not None and index > 0
        first_words = " ".join(passages.event.passages[index].text.split()[:3])
        for size in ((120, 36), (40, 12), (80, 24)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert passages.highlighted == index
            assert first_words in " ".join(" ".join(_pane_text(app)).split()), size
