"""The footer: the screen's keys as Textual's footer shows them, clickable, one widget."""

from __future__ import annotations

from pathlib import Path

from textual.widget import Widget

from citeline.tui.commands import COMMANDS
from citeline.tui.widgets.key_footer import KeyFooter
from tests.tui.flow_timeline import flow_dir, make_flow_app  # noqa: F401

from .conftest import screen_lines


def footer_of(app) -> KeyFooter:  # type: ignore[no-untyped-def]
    return app.screen.query_one(KeyFooter)


def shown(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [key.description for key in footer_of(app).keys]


async def test_the_main_screen_shows_its_keys_in_one_line(flow_dir: Path) -> None:  # noqa: F811
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        footer = footer_of(app)
        assert not list(footer.children)  # drawn, not a widget per key
        descriptions = {c.description for c in COMMANDS if c.show}
        assert set(shown(app)) <= descriptions
        assert shown(app)[:3] == ["Passages", "Prev", "Next"]
        assert screen_lines(app)[-1].startswith("⏎ Passages [ Prev ] Next esc Back / Search")


async def test_the_keys_follow_the_focus_and_are_not_redrawn_for_nothing(
    flow_dir: Path,  # noqa: F811
) -> None:
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        footer = footer_of(app)
        await pilot.press("enter")  # into the passages: Enter opens now
        await pilot.pause()
        assert shown(app)[0] == "Open"
        updates = footer.updates
        await pilot.press("j", "k")
        await pilot.pause()
        assert footer.updates == updates


async def test_a_click_on_a_key_presses_it(flow_dir: Path) -> None:  # noqa: F811
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        line = screen_lines(app)[-1]
        await pilot.click(KeyFooter, offset=(line.index("Sources"), 0))
        await pilot.pause()
        assert type(app.screen).__name__ == "SourcesScreen"


async def test_hovering_a_key_shows_its_help(flow_dir: Path) -> None:  # noqa: F811
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        line = screen_lines(app)[-1]
        await pilot.hover(KeyFooter, offset=(line.index("Coverage"), 0))
        await pilot.pause()
        help_text = next(c.help for c in COMMANDS if c.id == "app.coverage")
        assert footer_of(app).tooltip == help_text
        await pilot.hover(Widget, offset=(1, 1))  # away from the footer
        await pilot.pause()
        assert footer_of(app).tooltip is None


async def test_the_palette_key_stays_at_the_right_edge(flow_dir: Path) -> None:  # noqa: F811
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "enter")  # the source viewer: a wide footer
        await pilot.pause()
        line = screen_lines(app)[-1]
        assert len(line) == 80
        assert line.rstrip().endswith("▏^p Palette")
        # only whole keys: what does not fit is left out, not cut off in a word (the
        # help key is kept, last)
        left = line[: line.index("▏")].strip()
        assert left.endswith("esc Back  ? Help")
        shown = [key for key in footer_of(app).keys if f"{key.display} {key.description}" in left]
        assert left == "  ".join(f"{key.display} {key.description}" for key in shown)
        await pilot.click(KeyFooter, offset=(line.index("^p") + 1, 0))
        await pilot.pause()
        assert type(app.screen).__name__ == "CommandPalette"


async def test_the_help_key_stays_when_keys_are_left_out(flow_dir: Path) -> None:  # noqa: F811
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "enter")  # the source viewer: more keys than fit
        await pilot.pause()
        line = screen_lines(app)[-1]
        left = line[: line.index("▏")].rstrip()
        assert left.endswith("? Help")
        assert left.startswith(" n Next cited  N Prev cited")
        assert "/ Search" not in left  # left out for the help key
        await pilot.click(KeyFooter, offset=(line.index("? Help") + 2, 0))
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.resize_terminal(200, 24)  # every key fits: in the screen's order
        await pilot.pause()
        line = screen_lines(app)[-1]
        assert line.index("/ Search") < line.index("? Help")
        assert len(shown(app)) == len(footer_of(app)._spans) - 1  # (and the palette's)
    app = make_flow_app(flow_dir)
    async with app.run_test(size=(40, 24)) as pilot:  # the main screen's compact keys
        await pilot.pause()
        assert footer_of(app).compact
        assert screen_lines(app)[-1].rstrip() == "⏎ Passages [ Prev ] Next esc Back ? Help"
