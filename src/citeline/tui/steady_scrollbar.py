"""A vertical scrollbar redrawn only when its thumb moves.

Textual redraws a scroll view's scrollbar whenever the view scrolls. Over a
long list the thumb moves an eighth of a cell only every few dozen rows (at
10,000 events and a 32-row list, every 40 rows), so nearly every redraw draws
what was there: 0.9 ms of each key that scrolls the timeline. A view that
calls :func:`follow_quietly` from its ``watch_scroll_y`` keeps the scrollbar's
position exact, as dragging the thumb needs, without a redraw while the thumb
would be drawn the same.
"""

from __future__ import annotations

from math import ceil

from textual.scrollbar import ScrollBar


def follow_quietly(bar: ScrollBar, position: float) -> None:
    """Give the vertical scrollbar ``bar`` its new ``position`` without a redraw,
    if its thumb is drawn there as it is now. Otherwise leave the position to be
    set as usual."""
    new = bar.validate_position(position)
    old = bar.position
    if new == old or _thumb(bar, old) != _thumb(bar, new):
        return
    bar.set_reactive(ScrollBar.position, new)


def _thumb(bar: ScrollBar, position: float) -> list:
    """The scrollbar's segments with the thumb at ``position``, as drawing it
    makes them (colours aside): its length and thickness are the bar's size."""
    virtual_size = bar.window_virtual_size
    window_size = bar.window_size if bar.window_size < virtual_size else 0
    width, height = bar.size
    return bar.renderer.render_bar(
        size=height,
        virtual_size=ceil(virtual_size),
        window_size=ceil(window_size),
        position=position,
        thickness=width,
        vertical=True,
    ).segments
