"""The main screen's first showing skips Textual's restyle: the styles must be the same."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.dom import DOMNode
from textual.screen import Screen

from citeline.loader import load
from citeline.tui.app import make_app

BUNDLED = Path(__file__).resolve().parents[2] / "events.yaml"


def _component_names(node: DOMNode) -> set[str]:
    names: set[str] = set()
    for cls in type(node).__mro__:
        names.update(getattr(cls, "COMPONENT_CLASSES", ()))
    return names


def _styles(screen: Screen) -> dict[str, str]:
    """The CSS each node of ``screen`` (and each of its components) was given."""
    styles: dict[str, str] = {}
    for number, node in enumerate(screen.walk_children(with_self=True)):
        key = f"{number} {type(node).__name__}#{node.id}"
        styles[key] = node.styles.css
        for name in sorted(_component_names(node)):
            styles[f"{key} .{name}"] = node.get_component_styles(name).css
    return styles


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_first_showing_keeps_the_styles_a_restyle_gives(size: tuple[int, int]) -> None:
    result = load(BUNDLED)
    assert result.timeline is not None
    app = make_app(result.timeline, BUNDLED, load_result=result, watch=False)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = app.screen
        first = _styles(screen)
        assert len(first) > 20  # the screen, its widgets and their components
        app.update_styles(screen, animate=False)  # what the skipped restyle would have done
        await pilot.pause()
        assert _styles(screen) == first


async def _made_on_first_use() -> None:
    """In place of ``CitelineApp._prepare_viewer``: no viewer mounted ahead."""


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_a_viewer_composed_as_it_opens_keeps_the_styles_a_restyle_gives(
    size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first source opened before the viewer was made ahead (a key pressed at once)
    is shown without Textual's restyle of it: its widgets were styled as they mounted."""
    from citeline.tui.screens.source_screen import SourceScreen

    result = load(BUNDLED)
    assert result.timeline is not None
    app = make_app(result.timeline, BUNDLED, load_result=result, watch=False)
    app._prepare_viewer = _made_on_first_use  # type: ignore[method-assign]
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        event = app.main_screen.selected_event
        assert event is not None and event.passages
        restyles: list[Screen] = []
        real_restyle = SourceScreen.update_node_styles

        def restyle(screen: SourceScreen, animate: bool = True) -> None:
            if screen.is_mounted:  # (its class set as it composes restyles it alone)
                restyles.append(screen)
            real_restyle(screen, animate=animate)

        monkeypatch.setattr(SourceScreen, "update_node_styles", restyle)
        app.open_source(event.passages[0].source_id, event.id, 0)
        for _ in range(3):
            await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SourceScreen)
        assert restyles == []  # (the restyle was skipped)
        first = _styles(screen)
        assert len(first) > 10
        app.update_styles(screen, animate=False)  # what the skipped restyle would have done
        await pilot.pause()
        assert _styles(screen) == first
