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
