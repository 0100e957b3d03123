"""The events that cite the passage under focus in the source viewer.

A Line-API :class:`~textual.scroll_view.ScrollView`: each event is its date
(bold) and title, soft-wrapped to the panel's width, and only the rows on
screen are drawn. It looks and answers to the keys and the mouse as Textual's
``OptionList`` did here, without one wrapped and styled renderable per option
rebuilt whenever the panel is shown, resized or moved in: the first opening of
a source drew this panel twice over, for a third of the frame.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from citeline.dates import format_date
from citeline.model import Event
from citeline.sanitize import one_line
from citeline.tui.commands import LIST_MOVES, bindings
from citeline.tui.messages import EventChosen
from citeline.tui.soft_wrap import SoftWrap

#: The gap between an event's date and its title.
DATE_GAP = "  "


@dataclass(frozen=True, slots=True)
class _Layout:
    """The options wrapped for one width and height."""

    width: int  # cells of text in a row
    height: int
    size: tuple[int, int]  # the panel's content size it was made for (scrollbar included)
    rows: list[tuple[int, int, int]]  # (option, start, end) of each row's text
    starts: list[int]  # the first row of each option

    def option_at(self, row: int) -> int | None:
        if not 0 <= row < len(self.rows):
            return None
        return self.rows[row][0]

    def rows_of(self, option: int) -> tuple[int, int]:
        """The rows ``[top, bottom)`` of ``option``."""
        top = self.starts[option]
        bottom = self.starts[option + 1] if option + 1 < len(self.starts) else len(self.rows)
        return top, bottom


@dataclass(frozen=True, slots=True)
class _Palette:
    base: Style
    highlighted: Style
    hover: Style


class CitingEvents(ScrollView, can_focus=True, inherit_bindings=False):
    """A list of events (date and title); ``Enter`` or a click posts :class:`EventChosen`.

    Left/``h`` are left unbound so they reach the app's "back".
    """

    BINDINGS = bindings(*LIST_MOVES, "list.open")

    COMPONENT_CLASSES = {
        "citing-events--option-highlighted",
        "citing-events--option-hover",
    }

    DEFAULT_CSS = """
    CitingEvents {
        height: auto;
        max-height: 100%;
        color: $foreground;
        overflow-x: hidden;
        overflow-y: auto;
        padding: 0 1;
        background: $surface;
        &:focus {
            background-tint: $foreground 5%;
        }
        & > .citing-events--option-highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .citing-events--option-highlighted {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
        & > .citing-events--option-hover {
            background: $block-hover-background;
        }
    }
    """

    highlighted: reactive[int | None] = reactive(None, init=False, repaint=False)

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._event_ids: list[str] = []
        self._prompts: list[str] = []  # date, gap, title: one line each, control characters shown
        self._date_ends: list[int] = []  # where the (bold) date ends in each prompt
        self._hover: int | None = None
        self._layout: _Layout | None = None
        self._palette: _Palette | None = None
        self._lines: LRUCache[tuple[int, int, int], Strip] = LRUCache(256)
        self._shown: tuple[list[Event], str, int | None, float] | None = None

    # -- what the screen may ask ----------------------------------------------------

    @property
    def event_ids(self) -> list[str]:
        """The ids of the events listed, in order."""
        return list(self._event_ids)

    @property
    def option_count(self) -> int:
        return len(self._event_ids)

    def show_events(self, events: Iterable[Event], title: str, current: str | None = None) -> None:
        """List ``events`` under ``title`` (our own words, never data).

        The cursor goes to ``current`` when it is listed, else to the first,
        and the list scrolls back to its top (then to the cursor). When the
        list would come out exactly as it is (the same event objects, title
        and cursor, and not scrolled since), it is left alone and redraws
        nothing.
        """
        listed = list(events)
        event_ids = [event.id for event in listed]
        index = (event_ids.index(current) if current in event_ids else 0) if listed else None
        shown = self._shown
        if (
            shown is not None
            and len(shown[0]) == len(listed)
            and all(old is new for old, new in zip(shown[0], listed, strict=True))
            and shown[1:] == (title, index, self.scroll_y)
            and self.highlighted == index
        ):
            return
        self._event_ids = event_ids
        self._prompts = []
        self._date_ends = []
        for event in listed:
            date = one_line(format_date(event.date))
            self._prompts.append(f"{date}{DATE_GAP}{one_line(event.title)}")
            self._date_ends.append(len(date))
        self._hover = None
        self._layout = None
        self._lines.clear()
        self.border_title = title
        self.set_reactive(CitingEvents.highlighted, index)
        layout = self._current_layout()
        if layout is not None:
            self._size_virtually(layout)
        self.scroll_to(0, 0, animate=False, immediate=True)
        self._scroll_to_highlight()
        self.refresh()
        self._shown = (listed, title, index, self.scroll_y)

    # -- keys and the mouse -----------------------------------------------------------

    def validate_highlighted(self, value: int | None) -> int | None:
        if value is None or not self._event_ids:
            return None
        return max(0, min(value, len(self._event_ids) - 1))

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        self._refresh_option(old)
        self._refresh_option(new)
        self._scroll_to_highlight()

    def _move_by(self, delta: int) -> None:
        if not self._event_ids:
            return
        current = self.highlighted
        if current is None:
            self.highlighted = 0 if delta > 0 else len(self._event_ids) - 1
        else:
            self.highlighted = current + delta

    def action_cursor_down(self) -> None:
        self._move_by(1)

    def action_cursor_up(self) -> None:
        self._move_by(-1)

    def action_page_down(self) -> None:
        self._page(1)

    def action_page_up(self) -> None:
        self._page(-1)

    def _page(self, direction: int) -> None:
        layout = self._current_layout()
        if layout is None or self.highlighted is None:
            self._move_by(direction)
            return
        top, _ = layout.rows_of(self.highlighted)
        row = max(0, min(top + direction * max(1, layout.height), len(layout.rows) - 1))
        option = layout.option_at(row)
        self.highlighted = option if option is not None else self.highlighted

    def action_first(self) -> None:
        if self._event_ids:
            self.highlighted = 0

    def action_last(self) -> None:
        if self._event_ids:
            self.highlighted = len(self._event_ids) - 1

    def action_open(self) -> None:
        """Choose the highlighted event (``Enter``)."""
        if self.highlighted is not None:
            self.post_message(EventChosen(self._event_ids[self.highlighted]))

    def on_click(self, event: events.Click) -> None:
        option = self._option_under(event.y)
        if option is not None:
            self.highlighted = option
            self.action_open()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        option = self._option_under(event.y)
        if option != self._hover:
            old, self._hover = self._hover, option
            self._refresh_option(old)
            self._refresh_option(option)

    def on_leave(self, event: events.Leave) -> None:
        if self._hover is not None:
            old, self._hover = self._hover, None
            self._refresh_option(old)

    def _option_under(self, y: int) -> int | None:
        layout = self._current_layout()
        if layout is None:
            return None
        return layout.option_at(self.scroll_offset.y + y)

    # -- layout ----------------------------------------------------------------------------

    def on_resize(self) -> None:
        layout = self._current_layout()
        if layout is not None:
            self._size_virtually(layout)
            self._scroll_to_highlight()

    def _size_virtually(self, layout: _Layout) -> None:
        """Make the virtual size that of ``layout``'s rows.

        When they fit, as the ones before did, no scrollbar comes or goes and
        the rows are already drawn for this size: the screen is not laid out
        again for it (a layout and a second drawing of the source viewer).
        """
        size = Size(layout.width, len(layout.rows))
        if size == self.virtual_size:
            return
        if size.height <= layout.height and self.virtual_size.height <= layout.height:
            self.set_reactive(CitingEvents.virtual_size, size)
        else:
            self.virtual_size = size

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._palette = None
        self._layout = None  # (the padding or the scrollbar's size may have changed)
        self._lines.clear()

    def _current_layout(self) -> _Layout | None:
        """The options wrapped for the panel as it is: narrower by the scrollbar when
        they overflow (so a scrollbar shows exactly when the rows are more than fit)."""
        width, height = self.size
        if width <= 0 or height <= 0:
            return None
        layout = self._layout
        if layout is not None and layout.size == (width, height):
            return layout
        layout = self._wrap(width, width, height)
        bar = self._bar_width(width)
        if len(layout.rows) > height and bar:
            layout = self._wrap(width - bar, width, height)
        self._layout = layout
        self._lines.clear()
        return layout

    def _bar_width(self, width: int) -> int:
        return min(max(0, self.styles.scrollbar_size_vertical), max(0, width - 1))

    def _wrap(self, width: int, outer: int, height: int) -> _Layout:
        rows: list[tuple[int, int, int]] = []
        starts: list[int] = []
        for option, prompt in enumerate(self._prompts):
            starts.append(len(rows))
            wrap = SoftWrap(prompt, width)
            rows.extend((option, *wrap.span(row)) for row in range(len(wrap)))
        return _Layout(width, height, (outer, height), rows, starts)

    def _scroll_to_highlight(self) -> None:
        layout = self._current_layout()
        option = self.highlighted
        if layout is None or option is None or option >= len(layout.starts):
            return
        top, bottom = layout.rows_of(option)
        self.scroll_to_region(
            Region(0, top, 1, max(1, min(bottom - top, layout.height))),
            animate=False,
            force=True,
            immediate=True,
        )

    def _refresh_option(self, option: int | None) -> None:
        layout = self._layout
        if option is None or layout is None or option >= len(layout.starts):
            return
        top, bottom = layout.rows_of(option)
        self.refresh_lines(top, bottom - top)

    # -- rendering -------------------------------------------------------------------------

    def _styles(self) -> _Palette:
        """The styles rows are drawn with, looked up again only when they change."""
        # the highlight changes with the focus (without a style update on this widget):
        # Textual keeps component styles until the next refresh, so this is cheap
        highlighted = self.get_component_rich_style("citing-events--option-highlighted")
        palette = self._palette
        if palette is None or palette.highlighted != highlighted:
            base = self.rich_style
            palette = self._palette = _Palette(
                base=base,
                highlighted=highlighted,
                hover=base + self.get_component_rich_style("citing-events--option-hover"),
            )
            self._lines.clear()
        return palette

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        palette = self._styles()
        layout = self._current_layout()
        row = self.scroll_offset.y + y
        if layout is None or not 0 <= row < len(layout.rows):
            return Strip.blank(width, palette.base)
        option, start, end = layout.rows[row]
        state = 1 if option == self.highlighted else 2 if option == self._hover else 0
        key = (row, width, state)
        strip = self._lines.get(key)
        if strip is None:
            style = (palette.base, palette.highlighted, palette.hover)[state]
            prompt, date_end = self._prompts[option], self._date_ends[option]
            segments = []
            if start < date_end:
                segments.append(Segment(prompt[start : min(end, date_end)], style + _BOLD))
            if end > date_end:
                segments.append(Segment(prompt[max(start, date_end) : end], style))
            strip = Strip(segments).crop_extend(0, width, style)
            self._lines[key] = strip
        return strip


_BOLD = Style(bold=True)
