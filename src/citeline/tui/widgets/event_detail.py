"""The detail pane: one event's fields, then its passages, each with its source.

The whole pane is one Line-API widget, :class:`PassageList`, that lays out
its three parts itself, one under the other and scrolled as one: the fields
(title, date, place, participants, tags, the whole summary), the
"Passages (…)" heading, and the passages, a list with a highlight. The keys
that move the highlight scroll the pane a line at a time while there is
more to read of the passage they are on, or above the first one (the
summary, however long). Showing another event changes no widget's size or
place, so it costs one repaint of this pane and no layout of the screen.
"""

from __future__ import annotations

from math import ceil
from typing import Any, NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.cache import LRUCache
from textual.geometry import Region
from textual.message import Message
from textual.reactive import reactive
from textual.scrollbar import ScrollBarRender
from textual.strip import Strip
from textual.widget import Widget

from citeline.dates import format_date
from citeline.model import Event, Timeline
from citeline.sanitize import one_line, visible
from citeline.tui.commands import bindings
from citeline.tui.reload import same_passage
from citeline.wording import counted

#: Cells of padding left and right of each passage.
OPTION_PADDING = 1


class _Layout(NamedTuple):
    """Where everything is for one width and height, in lines of the pane's content:
    the fields, a blank line, the heading, the passages."""

    width: int
    height: int
    fields: list[Text]  # the wrapped field lines (a blank line follows them)
    heading_row: int  # the heading's line
    passages_top: int  # the first passage's first line
    option_lines: list[list[Text]]  # the wrapped lines of each passage
    option_starts: list[int]  # first line of each passage in the passages' own lines
    line_count: int  # lines of all passages
    bar: int  # width of the scrollbar (0: none, all the content fits)

    @property
    def content(self) -> int:
        """Lines of the whole content."""
        return self.passages_top + self.line_count

    @property
    def max_scroll(self) -> int:
        return max(0, self.content - self.height)

    def option_at(self, line: int) -> int | None:
        """The passage that the passages' own ``line`` belongs to."""
        if not 0 <= line < self.line_count:
            return None
        for index in range(len(self.option_starts) - 1, -1, -1):
            if self.option_starts[index] <= line:
                return index
        return None


class PassageList(Widget, can_focus=True, inherit_bindings=False):
    """The selected event's fields and passages; ``Enter`` opens the source at a passage.

    Focusing this widget means being "in the passages": ``j``/``k`` move the
    highlight, ``Enter`` posts :class:`Open`.
    """

    BINDINGS = bindings("passages.down", "passages.up", "passages.open")

    COMPONENT_CLASSES = {
        "passage-list--heading",
        "passage-list--option",
        "passage-list--option-highlighted",
        "passage-list--option-hover",
    }

    DEFAULT_CSS = """
    PassageList {
        height: 1fr;
        background: $surface;
        color: $foreground;
    }
    PassageList > .passage-list--heading {
        color: $text-muted;
    }
    PassageList > .passage-list--option {
        background: $surface;
    }
    PassageList:focus > .passage-list--option {
        background-tint: $foreground 5%;
    }
    PassageList > .passage-list--option-highlighted {
        color: $foreground;
        background: $block-cursor-blurred-background;
        text-style: $block-cursor-blurred-text-style;
    }
    PassageList:focus > .passage-list--option-highlighted {
        color: $block-cursor-foreground;
        background: $block-cursor-background;
        text-style: $block-cursor-text-style;
    }
    PassageList > .passage-list--option-hover {
        background: $block-hover-background;
    }
    """

    highlighted: reactive[int | None] = reactive(None, repaint=False, init=False)

    class Open(Message):
        """Open the source of passage ``passage_index`` of the event shown."""

        def __init__(self, passage_index: int) -> None:
            super().__init__()
            self.passage_index = passage_index

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._event: Event | None = None  # (none shows as ``show(None)`` would show it)
        self._header = Text("No event selected.", style="italic")
        self._heading = Text("Passages", style="bold")
        self._options: list[Text] = []
        self._scroll = 0  # the content's line at the pane's top
        self._hover: int | None = None
        self._layout: _Layout | None = None
        self._styles_key: tuple[Style, ...] | None = None  # the palette
        self._lines: LRUCache[tuple, Any] = LRUCache(256)
        self._rows: list[Strip] | None = None  # every row as it is on screen

    # -- what the screen may ask ----------------------------------------------------

    @property
    def event(self) -> Event | None:
        return self._event

    @property
    def option_count(self) -> int:
        """How many passages are listed."""
        return len(self._options)

    def show(self, event: Event | None, timeline: Timeline) -> None:
        """Show ``event`` (or nothing): its fields, then its passages. The same event
        again keeps its highlighted passage and scroll; so does a reloaded version of it
        (the same id), its highlight on the same passage (see :func:`same_passage`)."""
        if event is self._event:
            return
        before, highlighted, scroll = self._event, self.highlighted, self._scroll
        self._event = event
        if event is None:
            self._header = Text("No event selected.", style="italic")
            self._heading = Text("Passages", style="bold")
            self._options = []
        else:
            self._header = _header_text(event)
            sources = len(event.source_ids)
            self._heading = Text(
                f"Passages ({len(event.passages)}, from {counted(sources, 'source')})",
                style="bold",
            )
            self._options = [_passage_text(event, i, timeline) for i in range(len(event.passages))]
        self._scroll = 0
        self._hover = None
        self._layout = None
        self._lines.clear()
        kept = None
        if event is not None and before is not None and before.id == event.id:
            kept = same_passage(before, highlighted, event)
        self.set_reactive(PassageList.highlighted, kept if kept is not None else (
            0 if self._options else None
        ))
        if kept is not None:  # (reloaded: where the user was, the highlight in view)
            self._scroll = scroll
            layout = self._current_layout()
            if layout is not None:
                self._clamp_scrolls(layout)
                if self.has_focus:
                    self._scroll_to_highlight(layout)
        self._repaint()

    # -- actions ------------------------------------------------------------------------

    def validate_highlighted(self, value: int | None) -> int | None:
        if value is None or not self._options:
            return None
        return max(0, min(value, len(self._options) - 1))

    def watch_highlighted(self) -> None:
        self._scroll_to_highlight()
        self._repaint()

    def on_focus(self) -> None:
        """Gone into (the user is on a passage now): its passage comes into view, though
        a long summary above kept it below the pane (``k`` scrolls back up to that)."""
        scroll = self._scroll
        self._scroll_to_highlight(self._current_layout())
        if self._scroll != scroll:
            self._repaint()

    def action_move(self, delta: int) -> None:
        """The next (previous) passage; first a line down (up) while there is more to
        read of the passage highlighted that way (above the first one: the fields)."""
        if not self._options:
            return
        current = self.highlighted
        if current is None:
            self.highlighted = 0 if delta > 0 else len(self._options) - 1
            return
        layout = self._current_layout()
        if layout is not None:
            top = layout.passages_top + layout.option_starts[current]
            bottom = top + len(layout.option_lines[current])
            if delta > 0:
                more = bottom > self._scroll + layout.height
            else:
                more = top < self._scroll or (current == 0 and self._scroll > 0)
            if more or not 0 <= current + delta < len(self._options):
                self._scroll_by(delta)
                return
        self.highlighted = max(0, min(current + delta, len(self._options) - 1))

    def action_open(self) -> None:
        if self.highlighted is not None:
            self.post_message(self.Open(self.highlighted))

    # -- mouse ---------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        index = self._option_under(event.y)
        if index is not None:
            self.highlighted = index

    def on_mouse_move(self, event: events.MouseMove) -> None:
        hover = self._option_under(event.y)
        if hover != self._hover:
            self._hover = hover
            self._repaint()

    def on_leave(self, event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self._repaint()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        if self._scroll_by(max(1, int(self.app.scroll_sensitivity_y))):
            event.stop()

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        if self._scroll_by(-max(1, int(self.app.scroll_sensitivity_y))):
            event.stop()

    def _option_under(self, y: int) -> int | None:
        layout = self._current_layout()
        if layout is None or not 0 <= y < layout.height:
            return None
        return layout.option_at(self._scroll + y - layout.passages_top)

    def _scroll_by(self, delta: int) -> bool:
        """Scroll the content ``delta`` lines; whether it moved."""
        layout = self._current_layout()
        if layout is None:
            return False
        scroll = max(0, min(self._scroll + delta, layout.max_scroll))
        if scroll == self._scroll:
            return False
        self._scroll = scroll
        self._repaint()
        return True

    # -- layout ---------------------------------------------------------------------------

    def on_resize(self) -> None:
        self._layout = None
        self._lines.clear()
        self._rows = None
        if self.has_focus:  # (rewrapped: the passage the user is on, kept in view)
            self._scroll_to_highlight(self._current_layout())
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles_key = None
        self._lines.clear()
        self._rows = None

    def _current_layout(self) -> _Layout | None:
        width, height = self.size
        if width <= 0 or height <= 0:
            return None
        layout = self._layout
        if layout is None or (layout.width, layout.height) != (width, height):
            layout = self._layout = self._make_layout(width, height)
            self._lines.clear()
            self._clamp_scrolls(layout)
        return layout

    def _make_layout(self, width: int, height: int) -> _Layout:
        # the scrollbar takes its cells only when the content overflows
        # (a wrap that surely overflows is skipped: the narrower one follows anyway)
        bar = max(0, self.styles.scrollbar_size_vertical)
        inner = max(1, width - 2 * OPTION_PADDING)
        overflows = bool(bar) and (
            _least_lines([self._header], width) + 2 + _least_lines(self._options, inner) > height
        )
        if not overflows:
            fields, option_lines = self._wrap(width)
            content = len(fields) + 2 + sum(len(lines) for lines in option_lines)
            overflows = bool(bar) and content > height
        scrollbar = 0
        if overflows:
            scrollbar = min(bar, max(0, width - 1))
            fields, option_lines = self._wrap(width - scrollbar)
        starts: list[int] = []
        total = 0
        for lines in option_lines:
            starts.append(total)
            total += len(lines)
        return _Layout(
            width=width,
            height=height,
            fields=fields,
            heading_row=len(fields) + 1,
            passages_top=len(fields) + 2,
            option_lines=option_lines,
            option_starts=starts,
            line_count=total,
            bar=scrollbar,
        )

    def _wrap(self, width: int) -> tuple[list[Text], list[list[Text]]]:
        """The fields' lines and each passage's, wrapped to fit ``width`` cells."""
        console = self.app.console
        inner = max(1, width - 2 * OPTION_PADDING)
        return (
            list(self._header.wrap(console, max(1, width))),
            [list(option.wrap(console, inner)) for option in self._options],
        )

    def _clamp_scrolls(self, layout: _Layout) -> None:
        self._scroll = max(0, min(self._scroll, layout.max_scroll))

    def _scroll_to_highlight(self, layout: _Layout | None = None) -> None:
        """Scroll so that the highlighted passage is in view (its top, if tall)."""
        layout = layout or self._layout
        index = self.highlighted
        if layout is None or index is None or index >= len(layout.option_starts):
            return
        top = layout.passages_top + layout.option_starts[index]
        bottom = top + len(layout.option_lines[index])
        rows = max(1, layout.height)
        scroll = self._scroll
        if bottom > scroll + rows:
            scroll = bottom - rows
        if top < scroll:
            scroll = top
        self._scroll = max(0, min(scroll, layout.max_scroll))

    def _repaint(self) -> None:
        """Redraw the rows that changed (all of them when nothing is on screen yet)."""
        old = self._rows
        width, height = self.size
        if old is None or len(old) != height or width <= 0:
            self._rows = None
            self.refresh()
            return
        new = self._render_rows()
        self._rows = new
        for y, (before, after) in enumerate(zip(old, new, strict=True)):
            if before != after:
                self.refresh(Region(0, y, width, 1))

    # -- rendering --------------------------------------------------------------------------

    def _palette(self) -> tuple[Style, ...]:
        """Base, heading, option, highlighted and hover styles, looked up once per change."""
        # the option styles change with the focus (without a style update on this widget);
        # Textual keeps component styles until the next refresh, so checking is cheap
        component = self.get_component_rich_style
        option = component("passage-list--option")
        highlighted = component("passage-list--option-highlighted")
        palette = self._styles_key
        if palette is None or palette[2] != option or palette[3] != highlighted:
            palette = self._styles_key = (
                self.rich_style,
                component("passage-list--heading"),
                option,
                highlighted,
                component("passage-list--option-hover"),
            )
            self._lines.clear()
        return palette

    def render_line(self, y: int) -> Strip:
        rows = self._rows
        key = self._styles_key
        palette = self._palette()
        if rows is None or len(rows) != self.size.height or palette is not key:
            rows = self._rows = self._render_rows()
        if 0 <= y < len(rows):
            return rows[y]
        return Strip.blank(self.size.width, palette[0])

    def _render_rows(self) -> list[Strip]:
        """Every row of the pane for the current event, size, scroll and styles."""
        width, height = self.size
        layout = self._current_layout()
        palette = self._palette()
        if layout is None:
            return [Strip.blank(width, palette[0])] * max(0, height)
        return [self._row(layout, palette, y) for y in range(height)]

    def _row(self, layout: _Layout, palette: tuple[Style, ...], y: int) -> Strip:
        body = self._content_line(layout, palette, self._scroll + y)
        if not layout.bar:
            return body
        bar = self._scrollbar_cell(y, layout.height, layout.content, self._scroll, layout.bar)
        return Strip.join([body, bar])

    def _content_line(self, layout: _Layout, palette: tuple[Style, ...], row: int) -> Strip:
        """Line ``row`` of the content (fields, blank, heading, passages), as wide as
        the pane less its scrollbar."""
        base, heading, option, highlighted, hover = palette
        body_width = layout.width - layout.bar
        if row < layout.heading_row:
            key = ("fields", row)
            strip = self._lines.get(key)
            if strip is None:
                if row < len(layout.fields):
                    strip = self._text_strip(layout.fields[row], base, body_width)
                else:
                    strip = Strip.blank(body_width, base)
                self._lines[key] = strip
            return strip
        if row == layout.heading_row:
            key = ("heading",)
            strip = self._lines.get(key)
            if strip is None:
                strip = self._text_strip(self._heading, heading, body_width)
                self._lines[key] = strip
            return strip
        line = row - layout.passages_top
        index = layout.option_at(line)
        if index is None:
            body = Strip.blank(body_width, option)
        else:
            state = (
                highlighted if index == self.highlighted
                else hover if index == self._hover
                else option
            )
            key = ("option", index, line, state)
            body = self._lines.get(key)
            if body is None:
                text = layout.option_lines[index][line - layout.option_starts[index]]
                body = self._text_strip(text, state, body_width, OPTION_PADDING)
                self._lines[key] = body
        return body

    def _text_strip(self, text: Text, style: Style, width: int, indent: int = 0) -> Strip:
        """One line of text, ``indent`` cells in, padded (or cropped) to ``width`` cells."""
        console = self.app.console
        # (``Text.render`` leaves out the text's own style: it goes under the spans)
        own = console.get_style(text.style, default=Style.null())
        segments = list(Segment.apply_style(text.render(console), style + own))
        if indent:
            segments.insert(0, Segment(" " * indent, style))
        length = Segment.get_line_length(segments)
        width = max(0, width)
        if length > width:
            return Strip(segments).crop_extend(0, width, style)
        if length < width:
            segments.append(Segment(" " * (width - length), style))
        return Strip(segments, width)

    def _scrollbar_cell(
        self, row: int, rows: int, virtual: int, position: int, thickness: int
    ) -> Strip:
        """Row ``row`` of a vertical scrollbar drawn as Textual draws its own."""
        key = ("bar", rows, virtual, position, thickness)
        column = self._lines.get(key)
        if column is None:
            styles = self.styles
            background = styles.scrollbar_background
            if background.a < 1:
                background = self.background_colors[0] + background
            color = background + styles.scrollbar_color
            bar = ScrollBarRender.render_bar(
                size=rows,
                virtual_size=ceil(virtual),
                window_size=rows if rows < virtual else 0,
                position=position,
                thickness=thickness,
                vertical=True,
                back_color=background.rich_color,
                bar_color=color.rich_color,
            )
            under = Style(bgcolor=self.background_colors[1].rich_color)
            blank = Segment(" " * thickness, under)
            cells = [segment for segment in bar.segments if not segment.text.startswith("\n")]
            column = [
                Strip(Segment.apply_style([cell], under), thickness).discard_meta()
                for cell in cells
            ]
            column += [Strip([blank], thickness)] * (rows - len(column))
            self._lines[key] = column
        return column[row] if 0 <= row < len(column) else Strip.blank(thickness)


def _header_text(event: Event) -> Text:
    text = Text()
    text.append(one_line(event.title), style="bold")
    text.append("\n")
    text.append(format_date(event.date), style="bold")
    if event.place:
        text.append("  ·  ")
        text.append(one_line(event.place))
    text.append("\n")
    if event.participants:
        text.append("Participants: ", style="dim")
        text.append(", ".join(one_line(p) for p in event.participants))
        text.append("\n")
    if event.tags:
        text.append("Tags: ", style="dim")
        text.append(" ".join(f"#{one_line(t)}" for t in event.tags))
        text.append("\n")
    text.append("\n")
    text.append(visible(event.summary).strip())
    return text


def _passage_text(event: Event, index: int, timeline: Timeline) -> Text:
    passage = event.passages[index]
    source = timeline.source(passage.source_id)
    text = Text()
    text.append("“")
    text.append(" ".join(visible(passage.text).split()), style="italic")
    text.append("”\n")
    title = one_line(source.title) if source else passage.source_id
    place = f"{source.file if source else '?'}:{passage.line}"
    text.append("  — ", style="dim")
    text.append(title, style="bold")
    text.append(f"  {one_line(place)}", style="dim")
    if passage.note:
        text.append("\n  note: ", style="dim")
        text.append(one_line(passage.note), style="dim italic")
    return text


def _least_lines(texts: list[Text], width: int) -> int:
    """At least how many lines ``texts`` wrap to at ``width`` cells.

    Wrapping keeps every character but the spaces where it breaks a line, so
    each line of a text needs at least its other characters' cells ÷ ``width``
    lines (and one, if empty).
    """
    width = max(2, width)  # (a wide character takes a line of its own below two cells)
    return sum(
        max(1, ceil(cell_len(line.replace(" ", "")) / width))
        for text in texts
        for line in text.plain.split("\n")
    )
