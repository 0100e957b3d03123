"""The command palette: data in its entries is shown literally, never read as markup;
no Textual command that does not work with these screens."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette

from citeline.loader import load_timeline
from citeline.tui.app import CitelineApp, make_app
from citeline.tui.screens.source_screen import SourceScreen
from tests.tui.flow_timeline import selected_id
from tests.tui.screen_text import screen_text

EVENTS = """\
title: Hostile palette
sources:
  - id: s
    file: "src/[link=x]a.txt"
    title: "[bold]Source[/] S"
events:
  - id: link
    title: "Visit [link=http://evil]click[/link]"
    date: "2020-01-01"
    summary: s
    passages:
      - source: s
        quote: The first line of the source.
  - id: bold
    title: "Visit [bold]BOLD[/] and [red]x"
    date: "2020-01-02"
    summary: s
    passages:
      - source: s
        quote: The first line of the source.
  - id: close
    title: "Lone [/] closer"
    date: "2020-01-03"
    summary: s
    passages:
      - source: s
        quote: The first line of the source.
  - id: escape
    title: "Colour \\x1b[31m escape"
    date: "2020-01-04"
    summary: s
    passages:
      - source: s
        quote: The first line of the source.
"""


@pytest.fixture
def hostile_app(tmp_path: Path) -> CitelineApp:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "[link=x]a.txt").write_text(
        "The first line of the source.\n", encoding="utf-8"
    )
    path = tmp_path / "events.yaml"
    path.write_text(EVENTS, encoding="utf-8")
    timeline = load_timeline(path)
    assert [event.id for event in timeline.events] == ["link", "bold", "close", "escape"]
    return make_app(timeline, path, watch=False)


LITERAL = (
    "event: Go to Visit [link=http://evil]click[/link]",
    "event: Go to Visit [bold]BOLD[/] and [red]x",
    "event: Go to Lone [/] closer",
    "event: Go to Colour ␛[31m escape",
    "source: Open [bold]Source[/] S",
    "src/[link=x]a.txt",
)


async def _palette_lists(pilot, *wanted: str, timeout: float = 5.0) -> str:  # type: ignore[no-untyped-def]
    """The palette's entries as plain text once they hold every string of ``wanted``.

    (The palette fills its list in batches, and the list scrolls: what a test wants
    to read may be in an entry not drawn yet.)
    """
    waited = 0.0
    while True:
        await pilot.pause(0.1)
        if isinstance(pilot.app.screen, CommandPalette):
            listed = "\n".join(prompt.plain for prompt in _prompts(pilot.app))
            if all(w in listed for w in wanted):
                return listed
        waited += 0.1
        assert waited < timeout, f"the palette did not list all of {wanted}"


def _prompts(app: CitelineApp) -> list:
    commands = app.screen.query_one(CommandList)
    return [commands.get_option_at_index(i).prompt for i in range(commands.option_count)]


def _styled(prompt) -> set[int]:  # type: ignore[no-untyped-def]
    """The offsets of the styled characters of the entry's first line (not its help)."""
    first_line = len(prompt.plain.split("\n")[0])
    return {
        offset
        for span in prompt.spans
        for offset in range(span.start, span.end)
        if offset < first_line
    }


async def test_the_palette_lists_markup_in_titles_literally(hostile_app: CitelineApp) -> None:
    app = hostile_app
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await _palette_lists(pilot, *LITERAL)  # (the typed searches below read the screen)
        for prompt in _prompts(app):
            assert not _styled(prompt), prompt  # no bold, no red, no link


@pytest.mark.parametrize(
    ("query", "event_id", "shown"),
    [
        ("visit link", "link", "event: Go to Visit [link=http://evil]click[/link]"),
        ("bold red", "bold", "event: Go to Visit [bold]BOLD[/] and [red]x"),
        ("lone closer", "close", "event: Go to Lone [/] closer"),
        ("colour escape", "escape", "event: Go to Colour ␛[31m escape"),
    ],
)
async def test_a_typed_search_shows_titles_literally_and_goes_to_the_event(
    hostile_app: CitelineApp, query: str, event_id: str, shown: str
) -> None:
    app = hostile_app
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*query)
        await _palette_lists(pilot, shown)
        assert shown in screen_text(app)
        first = _prompts(app)[0]
        assert first.plain.startswith(shown)
        # the letters the query matched are highlighted, nothing else is styled
        styled = _styled(first)
        matched = "".join(shown[offset] for offset in sorted(styled))
        assert matched.lower() == query.replace(" ", "")
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert selected_id(app) == event_id


async def test_a_typed_search_shows_a_source_file_literally(hostile_app: CitelineApp) -> None:
    app = hostile_app
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"open source")
        await _palette_lists(pilot, "source: Open [bold]Source[/] S", "src/[link=x]a.txt")
        text = screen_text(app)
        assert "source: Open [bold]Source[/] S" in text
        assert "src/[link=x]a.txt" in text


async def _titles(pilot) -> list[str]:  # type: ignore[no-untyped-def]
    """The first lines of the palette's entries, once it lists its own commands."""
    await _palette_lists(pilot, "Theme", "Quit")
    return [prompt.plain.split("\n")[0] for prompt in _prompts(pilot.app)]


async def test_the_palette_offers_no_maximize(hostile_app: CitelineApp) -> None:
    app = hostile_app
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.focused is not None and app.focused.allow_maximize
        await pilot.press("ctrl+p")
        titles = await _titles(pilot)
        assert "Maximize" not in titles and "Minimize" not in titles
        await pilot.press(*"maximize")
        await pilot.pause(0.5)
        assert "Maximize" not in [prompt.plain.split("\n")[0] for prompt in _prompts(app)]
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("enter", "enter")  # the first passage, in the source viewer
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen)
        await pilot.press("ctrl+p")
        titles = await _titles(pilot)
        assert "Maximize" not in titles and "Minimize" not in titles
        assert "Theme" in titles and "Quit" in titles
