"""Dates in the timeline list and the coverage grid: whole when the width allows."""

from __future__ import annotations

from pathlib import Path

from citeline.dates import parse_date
from citeline.loader import load_timeline
from citeline.model import Event, Timeline
from citeline.timeline_path import bundled_events
from citeline.tui.app import CitelineApp, make_app
from citeline.tui.screens.coverage_screen import CoverageScreen
from citeline.tui.timeline_rows import rows_for
from citeline.tui.widgets.timeline_list import TimelineList

from .conftest import ScreenHost, screen_lines, synthetic_timeline

INTERVAL = "24 Feb – 12 Mar 2022"


def _bundled_app() -> CitelineApp:
    path = bundled_events()
    return make_app(load_timeline(path), Path(path), watch=False)


def _list_lines(app: CitelineApp) -> list[str]:
    timeline_list = app.main_screen.query_one(TimelineList)
    region = timeline_list.content_region
    return [
        line[region.x : region.right]
        for line in screen_lines(app)[region.y : region.bottom]
    ]


async def test_a_wide_list_shows_interval_dates_whole() -> None:
    app = _bundled_app()
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause()
        lines = _list_lines(app)
        row = next(line for line in lines if "Western sanctions" in line)
        assert f"  {INTERVAL} Western sanctions" in row
        assert not any("…" in line[:26] for line in lines)  # no date cut
        # the titles start in one column
        starts = {line.index(title) for line in lines for title in ("Russia invades", "Western")
                  if title in line}
        assert len(starts) == 1


async def test_at_80_columns_the_date_column_stays_17_cells() -> None:
    app = _bundled_app()
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.pause()
        lines = _list_lines(app)
        assert any(line.startswith("  24 Feb – 12 Mar… Western sanctions") for line in lines)
        assert any(line.startswith("  2018             The US–China") for line in lines)


async def test_the_date_column_grows_when_a_longer_date_scrolls_into_view() -> None:
    long = Event("long", "Long one", parse_date("2001-02-24/2002-03-12"), "s", ())
    timeline = synthetic_timeline(200, 3)
    timeline = Timeline(timeline.title, (*timeline.events, long), timeline.sources)
    app = make_app(timeline, Path("events.yaml"), watch=False)
    async with app.run_test(size=(200, 30)) as pilot:
        await pilot.pause()
        assert any(line.startswith(f"  {'Feb 1000':<17}Event 1 ") for line in _list_lines(app))
        await pilot.press("G")
        await pilot.pause()
        lines = _list_lines(app)
        # (at most 24 cells: the longest dates are still cut)
        assert any(line.startswith("▶ 24 Feb 2001 – 12 Mar 2… Long one") for line in lines)
        assert any(line.startswith(f"  {'Aug 1016':<24}Event 199 ") for line in lines)


async def test_a_long_timeline_formats_only_the_dates_shown() -> None:
    timeline = synthetic_timeline(100_000, 10, per_event=1)
    app = make_app(timeline, Path("events.yaml"), watch=False)
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause()
        await pilot.press("G")
        await pilot.pause()
        formatted = sum(text is not None for text in rows_for(timeline)._dates)
        assert formatted < 200


async def test_a_wide_coverage_grid_shows_interval_dates_whole() -> None:
    timeline = load_timeline(bundled_events())
    app = ScreenHost(lambda: CoverageScreen(timeline))
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause()
        assert any(f"{INTERVAL} Western sanctions" in line for line in screen_lines(app))
    app = ScreenHost(lambda: CoverageScreen(timeline))
    async with app.run_test(size=(80, 50)) as pilot:  # too narrow: cut, as before
        await pilot.pause()
        assert any("24 Feb – 12 Mar 2… Western" in line for line in screen_lines(app))


async def test_early_years_have_four_digits_in_the_headings_and_the_axis() -> None:
    events = tuple(
        Event(f"e{year}", f"Event of {year}", parse_date(f"{year:04d}"), "s", ())
        for year in (1, 2, 3, 40)
    )
    app = make_app(Timeline("early", events, ()), Path("events.yaml"), watch=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        lines = screen_lines(app)
        assert any(line.startswith("── 0001 ─") for line in lines)
        assert any(line.startswith("── 0040 ─") for line in lines)
        assert any("0001" in line and "Event of 1 " in line for line in lines)
        axis = next(line for line in lines if "┊" in line)
        assert " ┊0001" in axis and "┊1 " not in axis
