"""The sources list: counts, coverage share, Enter, keys, safety."""

from __future__ import annotations

from textual.widgets import OptionList

from citeline.model import Timeline
from citeline.tui.screens.sources_screen import SourcesScreen, format_share, source_stats

from .conftest import ScreenHost, posted, screen_lines, synthetic_timeline


def test_stats_count_events_and_the_union_of_spans(viewer_timeline: Timeline) -> None:
    stats = {s.source.id: s for s in source_stats(viewer_timeline)}
    alpha = stats["alpha"]
    assert (alpha.events, alpha.passages) == (3, 4)
    # e1 [128, 189) and e2 [158, 197) overlap: their union is 69 characters.
    spans = [(p.start, p.end) for e in viewer_timeline.events for p in e.passages
             if p.source_id == "alpha"]
    covered = set()
    for start, end in spans:
        covered.update(range(start, end))
    assert alpha.covered == len(covered) == 69 + 34 + 32
    assert alpha.fraction == len(covered) / len(alpha.source.text)
    assert stats["beta"].events == 2 and stats["gamma"].events == 1


def test_format_share() -> None:
    assert format_share(0) == "0%"
    assert format_share(0.0004) == "<0.1%"
    assert format_share(0.125) == "12.5%"
    assert format_share(1.0) == "100.0%"


async def test_lists_every_source_with_a_header(viewer_timeline: Timeline) -> None:
    app = ScreenHost(lambda: SourcesScreen(viewer_timeline))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        lines = screen_lines(app)
        assert lines[0].strip().startswith("3 sources")
        text = "\n".join(lines)
        assert "[bold]x[/] Alpha report" in text  # literally, not bold markup
        assert "3 events · 3.4% quoted · alpha · alpha.txt · by A. Writer" in text
        assert "1 event · " in text and "gamma.txt" in text
        assert app.screen.query_one(OptionList).option_count == 3


async def test_enter_requests_the_source_under_the_cursor(viewer_timeline: Timeline) -> None:
    app = ScreenHost(lambda: SourcesScreen(viewer_timeline))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.press("j", "enter")
        await pilot.press("G", "enter")
        await pilot.press("k", "enter")
        await pilot.press("g", "down", "enter")
        await pilot.pause()
        assert posted(app) == [
            ("SourceRequested", "alpha", None, None),
            ("SourceRequested", "beta", None, None),
            ("SourceRequested", "gamma", None, None),
            ("SourceRequested", "beta", None, None),
            ("SourceRequested", "beta", None, None),
        ]
        for key in ("h", "left", "escape", "backspace"):
            await pilot.press(key)
        assert app.backs == 4


async def test_select_source_and_many_sources() -> None:
    timeline = synthetic_timeline(events=300, sources=1000)
    app = ScreenHost(lambda: SourcesScreen(timeline))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SourcesScreen)
        assert screen_lines(app)[0].strip().startswith("1,000 sources")
        assert screen.select_source("src-0500")
        assert not screen.select_source("missing")
        await pilot.press("enter", "end", "enter")
        await pilot.pause()
        assert posted(app) == [
            ("SourceRequested", "src-0500", None, None),
            ("SourceRequested", "src-0999", None, None),
        ]


async def test_a_wrapped_line_of_usage_keeps_its_indent(viewer_timeline: Timeline) -> None:
    app = ScreenHost(lambda: SourcesScreen(viewer_timeline))
    async with app.run_test(size=(40, 24)) as pilot:
        await pilot.pause()
        lines = screen_lines(app)
        usage = next(i for i, line in enumerate(lines) if "3 events · " in line)
        assert lines[usage].startswith("   3 events")
        # The rest of the usage line (id, file, author) wraps under its start.
        beta = next(i for i, line in enumerate(lines) if line.startswith(" Beta notes"))
        rest = lines[usage + 1 : beta]
        assert any("alpha.txt" in line for line in rest), lines
        assert all(line.startswith("   ") for line in rest), lines
