"""A Line-API scroll view of rows, for the long ones: the timeline, a source's text.

Two costs of Textual's :class:`~textual.scroll_view.ScrollView` that grow with
every key that scrolls are cut here:

- Textual redraws the vertical scrollbar whenever the view scrolls. Over a
  long list the thumb moves an eighth of a cell only every few dozen rows, so
  nearly every redraw draws what was there: 0.9 ms of each key that scrolled
  the timeline at 10,000 events. :class:`RowView` keeps the scrollbar's
  position exact, as dragging the thumb needs, without a redraw while the
  thumb would be drawn the same.
- ``scrollable_content_region`` costs 7 us a call; the rows' width is worked
  out once per drawing (:attr:`RowView.row_width`), not for every row.
"""

from __future__ import annotations

from math import ceil

from textual.geometry import Region
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar
from textual.strip import Strip


class RowView(ScrollView):
    """A scroll view whose ``render_line`` reads :attr:`row_width` for the rows' width."""

    _drawing_width: int | None = None  # (set while the rows are drawn)

    @property
    def row_width(self) -> int:
        """The width of the rows: of the content, less the vertical scrollbar."""
        width = self._drawing_width
        return self.scrollable_content_region.width if width is None else width

    def render_lines(self, crop: Region) -> list[Strip]:
        self._drawing_width = self.scrollable_content_region.width
        try:
            return super().render_lines(crop)
        finally:
            self._drawing_width = None

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        if self.show_vertical_scrollbar:
            follow_quietly(self.vertical_scrollbar, new_value)
        super().watch_scroll_y(old_value, new_value)


def follow_quietly(bar: ScrollBar, position: float) -> None:
    """Give the vertical scrollbar ``bar`` its new ``position`` without a redraw,
    if its thumb is drawn there as it is now. Otherwise leave the position to be
    set as usual (which redraws it)."""
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
