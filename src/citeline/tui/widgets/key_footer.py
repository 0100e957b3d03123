"""The footer: the keys the screen answers to now, drawn as one line by one widget."""

from __future__ import annotations

from typing import NamedTuple

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

#: Drawn left of the command palette's key, as Textual's footer draws it.
PALETTE_EDGE = "▏"
#: The command whose key lists all the others: drawn even when others are left out.
HELP_COMMAND = "app.help"


class FooterKey(NamedTuple):
    """One key as the footer shows it."""

    key: str  # what a click presses
    display: str  # what the footer shows of it
    description: str
    tooltip: str
    enabled: bool
    help: bool = False  # the key of the help screen


class KeyFooter(Widget, can_focus=False):
    """The screen's shown bindings, one line, like Textual's footer (compact or not).

    Textual's :class:`~textual.widgets.Footer` mounts a widget per key and
    recomposes them (removing, mounting and restyling each) whenever the
    screen's bindings may have changed: on every focus change and every time
    its screen is suspended or resumed. This widget draws the same line with
    the same theme colours itself, and redraws it only when the keys it shows
    have changed. A click on a key presses it; hovering shows its help.
    """

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "key-footer--key",
        "key-footer--description",
        "key-footer--hover",
        "key-footer--edge",
    }
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    KeyFooter > .key-footer--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyFooter > .key-footer--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    KeyFooter > .key-footer--hover {
        color: $footer-key-foreground;
        background: $block-hover-background;
    }
    KeyFooter > .key-footer--edge {
        color: $foreground 20%;
    }
    """

    def __init__(
        self,
        *,
        compact: bool = False,
        show_command_palette: bool = True,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.compact = compact
        self.show_command_palette = show_command_palette
        self._keys: tuple[FooterKey, ...] = ()
        self._palette: FooterKey | None = None
        self._hover: int | None = None  # index into the keys (the palette's is len(keys))
        self._strip: Strip | None = None
        #: (first cell, end cell, index) of every key drawn in the last line
        self._spans: list[tuple[int, int, int]] = []
        #: how many times the shown keys changed (for tests: a rebuild that changed nothing)
        self.updates = 0

    @property
    def keys(self) -> tuple[FooterKey, ...]:
        """The keys shown, left to right (without the command palette's)."""
        return self._keys

    @property
    def palette_key(self) -> FooterKey | None:
        """The command palette's key, shown on the right, if any."""
        return self._palette

    # -- following the screen's bindings ---------------------------------------------

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.call_after_refresh(self._update_keys)

    def _bindings_changed(self, screen: Screen) -> None:
        if screen is self.screen and self.app.app_focus:
            self.call_after_refresh(self._update_keys)

    def _update_keys(self) -> None:
        if not self.is_attached:
            return
        keys, palette = self._read_keys()
        if keys == self._keys and palette == self._palette:
            return
        self._keys, self._palette = keys, palette
        self._hover = None
        self.tooltip = None
        self.updates += 1
        self._drop_strip()

    def _read_keys(self) -> tuple[tuple[FooterKey, ...], FooterKey | None]:
        """The first shown binding of every action, in the screen's order; the palette's."""
        app = self.app
        active = self.screen.active_bindings
        keys: list[FooterKey] = []
        actions: set[str] = set()
        for _node, binding, enabled, tooltip in active.values():
            if not binding.show or binding.action in actions:
                continue
            actions.add(binding.action)
            keys.append(
                FooterKey(
                    binding.key,
                    app.get_key_display(binding),
                    binding.description,
                    tooltip or binding.description,
                    enabled,
                    binding.id == HELP_COMMAND,
                )
            )
        palette = None
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            found = active.get(app.COMMAND_PALETTE_BINDING)
            if found is not None:
                _node, binding, enabled, tooltip = found
                palette = FooterKey(
                    binding.key,
                    app.get_key_display(binding),
                    binding.description,
                    binding.tooltip or binding.description,
                    enabled,
                )
        return tuple(keys), palette

    # -- mouse ---------------------------------------------------------------------------

    def on_mouse_move(self, event: events.MouseMove) -> None:
        hover = self._index_at(event.x)
        if hover != self._hover:
            self._hover = hover
            key = self._key(hover)
            self.tooltip = key.tooltip if key is not None else None
            self._drop_strip()

    def on_leave(self, event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.tooltip = None
            self._drop_strip()

    def on_click(self, event: events.Click) -> None:
        key = self._key(self._index_at(event.x))
        if key is None:
            return
        event.stop()
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()

    def _index_at(self, x: int) -> int | None:
        for start, end, index in self._spans:
            if start <= x < end:
                return index
        return None

    def _key(self, index: int | None) -> FooterKey | None:
        if index is None:
            return None
        if index < len(self._keys):
            return self._keys[index]
        return self._palette

    # -- drawing ------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strip = None

    def _drop_strip(self) -> None:
        self._strip = None
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y != 0:
            return Strip.blank(width, self.rich_style)
        strip = self._strip
        if strip is None or strip.cell_length != width:
            strip = self._strip = self._draw(width)
        return strip

    def _draw(self, width: int) -> Strip:
        """The keys from the left, the palette's at the right edge, in ``width``: only
        the keys that fit whole are drawn (never a description cut off in a word), and
        when some are left out the help key is drawn last in place of others, so that
        the list of every key is always a key away."""
        base = self.rich_style
        component = self.get_component_rich_style
        styles = (
            base + component("key-footer--key"),
            base + component("key-footer--description"),
            base + component("key-footer--hover"),
        )
        spans: list[tuple[int, int, int]] = []
        right: list[Segment] = []
        right_width = 0
        if self._palette is not None:
            edge = Segment(PALETTE_EDGE, base + component("key-footer--edge"))
            right = [edge, *self._key_segments(self._palette, True, styles, len(self._keys))]
            right.append(Segment(" ", base))
            right_width = Segment.get_line_length(right)
            if right_width > width:
                right, right_width = [], 0
            else:
                spans.append((width - right_width + 1, width - 1, len(self._keys)))
        room = width - right_width
        keys: list[tuple[int, list[Segment], int]] = []  # (index, segments, length)
        for index, key in enumerate(self._keys):
            segments = self._key_segments(key, self.compact, styles, index)
            if self.compact:
                segments.append(Segment(" ", base))
            keys.append((index, segments, Segment.get_line_length(segments)))
        # (a compact key's trailing space may fall off the edge)
        shown = _fitting(keys, room, self.compact)
        if len(shown) < len(keys):
            help_key = next((k for k in keys if self._keys[k[0]].help), None)
            if help_key is not None and help_key not in shown:
                help_room = help_key[2] - self.compact
                if help_room <= room:
                    others = [k for k in keys if k is not help_key]
                    shown = [*_fitting(others, room - help_room, False), help_key]
        left: list[Segment] = []
        x = 0
        for index, segments, length in shown:
            spans.append((x, min(x + length, room), index))
            left.extend(segments)
            x += length
        self._spans = spans
        line = Strip(left).crop_extend(0, room, base)
        if right:
            line = Strip.join([line, Strip(right, right_width)])
        return line.simplify()

    def _key_segments(
        self, key: FooterKey, compact: bool, styles: tuple[Style, Style, Style], index: int
    ) -> list[Segment]:
        """The key, then its description: ``" k desc "``, or ``"k desc"`` when compact."""
        key_style, description_style, hover_style = styles
        if index == self._hover:
            key_style = description_style = hover_style + Style(bold=True)
        if not key.enabled:
            key_style = key_style + Style(dim=True)
            description_style = description_style + Style(dim=True)
        shown = key.display if compact else f" {key.display} "
        segments = [Segment(shown, key_style)]
        if key.description:
            text = f" {key.description}" if compact else f"{key.description} "
            segments.append(Segment(text, description_style))
        return segments


def _fitting(
    keys: list[tuple[int, list[Segment], int]], room: int, edge_space: bool
) -> list[tuple[int, list[Segment], int]]:
    """The first ``keys`` (index, segments, length) that fit whole in ``room`` cells,
    the last one's trailing space left out when ``edge_space`` (a compact key's)."""
    shown = []
    x = 0
    for key in keys:
        if x + key[2] - edge_space > room:
            break
        shown.append(key)
        x += key[2]
    return shown
