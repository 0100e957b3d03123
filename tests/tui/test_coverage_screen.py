"""The coverage grid: marks, counts, cursor keys, Enter, sticky header and labels, scale."""

from __future__ import annotations

import time

from citeline.model import Timeline
from citeline.tui.screens.coverage_screen import CoverageScreen
from citeline.tui.widgets.coverage_grid import MARK, CoverageGrid, fit, short_ids

from .conftest import ScreenHost, notifications, posted, screen_lines, synthetic_timeline


def test_fit_and_short_ids() -> None:
    assert fit("abc", 5) == "abc  "
    assert fit("abcdef", 4) == "abc…"
    assert fit("中文中文", 5) == "中文…"
    assert fit("中文中文", 4) == "中… "
    assert short_ids(["src-01", "src-02"]) == ["01", "02"]
    assert short_ids(["alpha", "beta"]) == ["alpha", "beta"]
    assert short_ids(["a-b-1", "a-b-2", "a-c"]) == ["b-1", "b-2", "c"]


async def test_grid_marks_and_single_source_rows(viewer_timeline: Timeline) -> None:
    app = ScreenHost(lambda: CoverageScreen(viewer_timeline))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        lines = screen_lines(app)
        header = lines[1]
        assert "Date" in header and "Event" in header
        assert header.index("alpha") < header.index("beta") < header.index("gamma")
        rows = {name: line for line in lines for name in ("Opening", "Budget", "Works", "Notes")
                if name in line and "│" in line}
        assert "[@click=app.quit]" in rows["Opening"]  # literally
        # Distinct sources per row; single-source rows flagged with "!" (not colour alone).
        assert " 2  │" in rows["Opening"] and " 1! │" in rows["Budget"]
        assert " 1! │" in rows["Notes"] and " 2  │" in rows["Works"]
        cells = {name: line.split("│", 1)[1] for name, line in rows.items()}
        assert cells["Opening"].count(MARK) == 2
        assert cells["Budget"].count(MARK) == 1
        assert cells["Works"].count(MARK) == 2
        grid = app.screen.query_one(CoverageGrid)
        assert grid.cites(0, 0) and grid.cites(0, 1) and not grid.cites(0, 2)
        assert grid.source_count(1) == 1


async def test_cursor_keys_and_enter(viewer_timeline: Timeline) -> None:
    app = ScreenHost(lambda: CoverageScreen(viewer_timeline))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        grid = app.screen.query_one(CoverageGrid)
        assert app.focused is grid and grid.cursor == (0, 0)
        await pilot.press("j", "j")
        assert grid.cursor == (2, 0)
        await pilot.press("enter")  # e3 cites alpha with its second passage
        await pilot.pause()
        assert posted(app) == [("SourceRequested", "alpha", "e3", 1)]
        await pilot.press("l", "right")
        assert grid.cursor == (2, 2)
        await pilot.press("enter")  # gamma: e3's first passage
        await pilot.press("h", "k")
        assert grid.cursor == (1, 1)
        await pilot.press("enter")  # e2 does not cite beta
        await pilot.pause()
        assert posted(app)[1:] == [("SourceRequested", "gamma", "e3", 0)]
        assert any("does not cite" in n for n in notifications(app))
        await pilot.press("G")
        assert grid.cursor == (3, 1)
        await pilot.press("left", "up", "g")
        assert grid.cursor == (0, 0)
        await pilot.press("end", "home", "down", "pagedown")
        assert grid.cursor == (3, 0)
        await pilot.press("pageup")
        assert grid.cursor == (0, 0)
        status = screen_lines(app)[-3:]
        assert any("does not cite" in s or "cites" in s for s in status)
        # Left and h move the cursor here; Esc and backspace go back.
        await pilot.press("h", "left", "escape", "backspace")
        assert app.backs == 2


async def test_sticky_header_and_labels_scroll_with_the_cursor() -> None:
    timeline = synthetic_timeline(events=200, sources=60)
    app = ScreenHost(lambda: CoverageScreen(timeline))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        grid = app.screen.query_one(CoverageGrid)
        await pilot.press("l", "l", "G")
        grid.move_to(199, 40)
        await pilot.pause()
        assert grid.cursor == (199, 40)
        assert grid.scroll_x > 0 and grid.scroll_y > 0
        lines = screen_lines(app)
        header = lines[1]
        assert "Date" in header and "0040" in header and "0000" not in header
        assert any("Event 199 " in line for line in lines)
        assert "Event 0 " not in "\n".join(lines)
        # Every body row still starts with its date + title label.
        body = lines[2 : 2 + grid.size.height - 1]
        assert all("Event " in line for line in body if line.strip() and "│" in line)


async def test_large_grid_renders_only_what_is_visible(capsys) -> None:
    """10,000 events × 1,000 sources: only visible rows are rendered (timings printed)."""
    timeline = synthetic_timeline(events=10_000, sources=1_000)
    started = time.perf_counter()
    screen = CoverageScreen(timeline)
    app = ScreenHost(lambda: screen)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        built = time.perf_counter() - started
        grid = screen.grid
        rendered: list[int] = []
        original = grid._render_row

        def counting(row: int, scroll_x: int, width: int):  # type: ignore[no-untyped-def]
            rendered.append(row)
            return original(row, scroll_x, width)

        grid._render_row = counting  # type: ignore[method-assign]
        timings = {}
        for key in ("end", "pagedown", "pageup", "home", "l"):
            rendered.clear()
            started = time.perf_counter()
            await pilot.press(key)
            await pilot.pause()
            screen_lines(app)
            timings[key] = time.perf_counter() - started
            assert len(rendered) <= 2 * grid.size.height
        assert grid.cursor == (0, 1)
    with capsys.disabled():
        print(
            f"\ncoverage 10k×1k: build+mount {built * 1000:.0f} ms; "
            + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in timings.items())
        )


async def test_header_counts_in_the_singular_for_one() -> None:
    for events, sources, expected in (
        (1, 1, "1 event × 1 source  "),
        (2, 1, "2 events × 1 source  "),
        (1, 2, "1 event × 2 sources  "),
    ):
        timeline = synthetic_timeline(events, sources, per_event=1)
        app = ScreenHost(lambda timeline=timeline: CoverageScreen(timeline))
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            header = screen_lines(app)[0]
            assert expected in header, header
            single = "1 single-source event " if events == 1 else "2 single-source events "
            assert single in header, header


async def test_each_mark_stands_under_its_source_header() -> None:
    timeline = synthetic_timeline(events=8, sources=8, per_event=1)  # event i cites source i
    app = ScreenHost(lambda: CoverageScreen(timeline))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        lines = screen_lines(app)
        header = lines[1]
        names = short_ids([source.id for source in timeline.sources])
        for i, name in enumerate(names):
            (row,) = [line for line in lines if f"Event {i} " in line and "│" in line]
            start = header.index(f" {name}")  # a column: a space, then its name
            assert row.index(MARK) in range(start + 1, start + 1 + len(name)), (header, row)
