"""The text of one source: soft-wrapped, line-numbered, its cited passages marked.

Its rows come from a :class:`~citeline.tui.soft_wrap.SoftWrap` of the text,
which also maps character offsets to ``(row, column)``. :class:`SourceText`
is a Line-API :class:`~textual.scroll_view.ScrollView` that renders only the
rows on screen from that wrap, with an LRU cache of rendered rows.
"""

from __future__ import annotations

import weakref
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import NamedTuple

from rich.segment import Segment
from rich.style import Style
from textual.cache import LRUCache
from textual.events import Resize
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from citeline.model import Source, Timeline
from citeline.sanitize import visible
from citeline.tui.commands import bindings
from citeline.tui.soft_wrap import SoftWrap
from citeline.tui.widgets.row_view import RowView

#: The widest reading column, in cells (the rest of a wide terminal is margin).
MAX_READING_WIDTH = 100
#: The narrowest column the text is wrapped to, however small the widget.
MIN_READING_WIDTH = 8
#: The bar drawn in the gutter on the rows of the passage under focus.
FOCUS_BAR = "▌"


@dataclass(frozen=True)
class CitedSpan:
    """One distinct cited span ``[start, end)`` of the source, and who cites it.

    ``refs`` are ``(event_id, passage_index)`` pairs in timeline order.
    """

    start: int
    end: int
    refs: tuple[tuple[str, int], ...]


def cited_spans(timeline: Timeline, source_id: str) -> list[CitedSpan]:
    """The distinct spans of ``source_id`` that events quote, in text order.

    Reads only the passages that quote this source (the timeline's per-source
    index), not every passage of every event.
    """
    refs: dict[tuple[int, int], list[tuple[str, int]]] = {}
    seen: set[int] = set()
    for event, _ in timeline.citations(source_id):
        if id(event) in seen:  # (one pair per passage: the event's are all taken at once)
            continue
        seen.add(id(event))
        for index, passage in enumerate(event.passages):
            if passage.source_id == source_id:
                refs.setdefault((passage.start, passage.end), []).append((event.id, index))
    return [CitedSpan(start, end, tuple(refs[start, end])) for start, end in sorted(refs)]


def merge_spans(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The union of ``spans`` as sorted, disjoint ``(start, end)`` ranges."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


class _RowStyles(NamedTuple):
    """The rich styles a row is drawn with (the widget's own, plus a component's)."""

    base: Style
    gutter: Style
    bar: Style
    cited: Style
    focused: Style
    cited_focused: Style


class SourceText(RowView, can_focus=True, inherit_bindings=False):
    """A source's whole text with line numbers and its cited passages marked.

    The cited spans are underlined and tinted; the span under focus is also
    shown bold and reversed, with a bar in the gutter on each of its rows.
    """

    BINDINGS = bindings(
        "source.down",
        "source.up",
        "source.page-down",
        "source.page-up",
        "source.top",
        "source.bottom",
        "source.citing",
    )

    COMPONENT_CLASSES = {
        "source-text--gutter",
        "source-text--bar",
        "source-text--cited",
        "source-text--focused",
    }

    def __init__(
        self,
        timeline: Timeline,
        source: Source,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._focus: int | None = None
        self._focus_ref: tuple[str, int] | None = None
        self._wrap: SoftWrap | None = None
        self._layout = (0, 0, 0)  # left margin, gutter width, reading width
        self._scroll_pending = False
        self._scroll_anchor: int | None = None  # keep this offset in view after a quiet re-wrap
        self._cache: LRUCache[int, Strip] = LRUCache(1024)
        self._cache_focus: int | None = None  # the focus the cached rows were drawn with
        self._styles: _RowStyles | None = None  # read again after a change of styles
        self._cache_styles: _RowStyles | None = None  # the styles the cached rows use
        self._read(timeline, source)

    def _read(self, timeline: Timeline, source: Source) -> None:
        """Take in ``source``'s text and cited spans (drawn rows and wrap are dropped).

        The timeline is only weakly referred to (to tell it from another): the
        spans hold what is needed of it, and a kept viewer must not keep a
        replaced timeline alive.
        """
        self._timeline_ref = weakref.ref(timeline)
        self._source = source
        self._text = visible(source.text)
        self._spans = cited_spans(timeline, source.id)
        self._marks = merge_spans([(span.start, span.end) for span in self._spans])
        self._mark_starts = [start for start, _ in self._marks]
        self._focus = None
        self._focus_ref = None
        self._wrap = None
        self._cache.clear()
        self.refresh()

    # -- what the screen may ask ---------------------------------------------------

    @property
    def source(self) -> Source:
        return self._source

    @property
    def timeline(self) -> Timeline | None:
        """The timeline the cited spans were read from (``None`` once it is gone)."""
        return self._timeline_ref()

    @property
    def spans(self) -> list[CitedSpan]:
        """Every distinct cited span, in text order."""
        return self._spans

    @property
    def focused_span(self) -> CitedSpan | None:
        return None if self._focus is None else self._spans[self._focus]

    @property
    def focus_index(self) -> int | None:
        """Index of the focused span in :attr:`spans`, if any."""
        return self._focus

    @property
    def focus_ref(self) -> tuple[str, int] | None:
        """``(event_id, passage_index)`` of the passage under focus, if any."""
        return self._focus_ref

    @property
    def text_left(self) -> int:
        """Cells left of the text on every row: the margin and the gutter."""
        margin, gutter, _ = self._layout
        return margin + gutter

    @property
    def wrap(self) -> SoftWrap | None:
        """The wrap for the current width (``None`` before the first layout)."""
        return self._wrap

    def show_source(
        self, timeline: Timeline, source: Source, ref: tuple[str, int] | None = None
    ) -> bool:
        """Show ``source`` with passage ``ref`` under focus, or from the top without one.

        For a viewer kept between openings: returns whether ``ref`` was
        focused. Another source (or a reloaded timeline) is read afresh and,
        when the widget already has its size, wrapped at once, so that the
        next frame needs no second pass. The same source again keeps its wrap
        and the rows already drawn: if the focus lands where it was, nothing
        is redrawn. If the screen was resized while hidden, the wrap (and the
        scroll to the passage) wait for the layout that showing the screen
        again brings, as on a first opening.
        """
        if source is not self._source or timeline is not self._timeline_ref():
            self._read(timeline, source)
        self._scroll_pending = False
        self._scroll_anchor = None
        if self.is_mounted and self.screen.outer_size != self.app.size:
            self._wrap = None  # wrapped for the terminal as it was
        elif self._wrap is None and self.size.width > 0:
            self._relayout()
        if ref is not None and self.focus_passage(*ref):
            return True
        if self._focus is not None:
            self._focus = None
            self._focus_ref = None
            self.refresh()
        self.scroll_to(y=0, animate=False)
        return False

    def show_reloaded(
        self, timeline: Timeline, source: Source, ref: tuple[str, int] | None = None
    ) -> bool:
        """Show the source shown, from a reloaded timeline, with passage ``ref`` under focus.

        A text unchanged keeps its wrap and stays scrolled where it was (the
        reload may have been of another file); a text changed is shown as by
        :meth:`show_source`, scrolled to the passage. Returns whether ``ref``
        was focused.
        """
        if source.id != self._source.id or source.text != self._source.text:
            return self.show_source(timeline, source, ref)
        wrap, layout = self._wrap, self._layout
        self._read(timeline, source)
        self._wrap, self._layout = wrap, layout  # (the same text: the same rows)
        if ref is None:
            return False
        for index, span in enumerate(self._spans):
            if ref in span.refs:
                self._focus, self._focus_ref = index, ref
                return True
        return False

    def focus_passage(self, event_id: str, passage_index: int) -> bool:
        """Focus the span quoted by that passage and scroll it into view."""
        for index, span in enumerate(self._spans):
            if (event_id, passage_index) in span.refs:
                self._set_focus(index, (event_id, passage_index))
                return True
        return False

    def step(self, delta: int) -> bool | None:
        """Focus the next (``delta=1``) or previous (``-1``) cited span in text order.

        Returns ``None`` when nothing is cited, else whether it wrapped round.
        """
        if not self._spans:
            return None
        count = len(self._spans)
        if self._focus is None:
            index = self._first_from_view(delta)
            wrapped = False
        else:
            index = self._focus + delta
            wrapped = not 0 <= index < count
            index %= count
        self._set_focus(index, self._spans[index].refs[0])
        return wrapped

    def scroll_to_focus(self) -> None:
        """Put the focused span about a third of the way down the view."""
        span = self.focused_span
        if span is None:
            return
        if self._wrap is None:
            self._scroll_pending = True
            return
        row = self._wrap.row_of(span.start)
        self.scroll_to(y=max(0, row - self.size.height // 3), animate=False)

    def scroll_to_line(self, line: int) -> None:
        """Scroll so that source ``line`` (1-based) is at the top."""
        if self._wrap is not None:
            self.scroll_to(y=self._wrap.first_row_of_line(line), animate=False)

    # -- actions ---------------------------------------------------------------------

    def action_scroll_lines(self, count: int) -> None:
        self.scroll_to(y=self.scroll_y + count, animate=False)

    def action_scroll_pages(self, count: int) -> None:
        page = max(1, self.scrollable_content_region.height - 1)
        self.scroll_to(y=self.scroll_y + count * page, animate=False)

    def action_scroll_to_start(self) -> None:
        self.scroll_to(y=0, animate=False)

    def action_scroll_to_end(self) -> None:
        self.scroll_to(y=self.max_scroll_y, animate=False)

    def action_focus_citing(self) -> None:
        """Move the focus on to the next widget: the citing-events panel (Tab)."""
        self.screen.focus_next()

    # -- layout --------------------------------------------------------------------------

    def on_mount(self) -> None:
        super().on_mount()
        self._relayout()

    def on_resize(self, event: Resize) -> None:
        self._relayout()

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        """Wrap for the new size while the screen is being laid out.

        The text is wrapped, and scrolled to the passage under focus, before
        this frame is drawn, rather than on the ``Resize`` event that follows
        it (a frame or two later). Only when the vertical scrollbar is always
        shown, so that the width of the text is known from the size alone.
        """
        focus_in_view = self._focus_in_view()
        if self.styles.overflow_y == "scroll" and size.width > 0:
            styles = self.styles
            text_width = size.width - styles.gutter.width - styles.scrollbar_size_vertical
            self._relayout(text_width, quiet=True)
        resized = super()._size_updated(size, virtual_size, container_size, layout)
        if self._wrap is not None:
            anchor, self._scroll_anchor = self._scroll_anchor, None
            if self._scroll_pending:
                self._scroll_pending = False
                self.scroll_to_focus()
            elif anchor is not None:
                self.scroll_to(y=self._wrap.row_of(anchor), animate=False)
                if focus_in_view and not self._focus_in_view():
                    self.scroll_to_focus()  # a passage in view stays in view
        return resized

    def _focus_in_view(self) -> bool:
        """Whether the passage under focus has a row in view."""
        span = self.focused_span
        if span is None or self._wrap is None or not len(self._wrap):
            return False
        rows = self._wrap.rows_of(span.start, span.end)
        top = int(self.scroll_y)
        return rows.start < top + self.scrollable_content_region.height and rows.stop > top

    def notify_style_update(self) -> None:
        """Styles may have changed: re-read them before the next row is drawn.

        Textual calls this for every widget whenever a screen is shown again,
        mostly with the very same styles; the rows already drawn are dropped
        only if a style they use really changed (see :meth:`_row_styles`).
        """
        super().notify_style_update()
        self._styles = None

    def _relayout(self, width: int | None = None, *, quiet: bool = False) -> None:
        """Re-wrap for the current width, keeping the top row's text in view.

        ``quiet``: during a layout, set the virtual size without asking for
        another layout, and leave scrolling to the caller.
        """
        if width is None:
            width = self.scrollable_content_region.width
        if width <= 0:
            return
        digits = len(str(self._source.line_count))
        gutter = digits + 3  # space, number, bar, space
        reading = max(MIN_READING_WIDTH, min(MAX_READING_WIDTH, width - gutter - 1))
        margin = max(0, (width - gutter - reading) // 2)
        if self._wrap is not None and self._layout == (margin, gutter, reading):
            return
        anchor = None
        if self._wrap is not None and len(self._wrap):
            anchor = self._wrap.span(min(int(self.scroll_y), len(self._wrap) - 1))[0]
        if self._wrap is None or self._wrap.width != reading:
            self._wrap = SoftWrap(self._text, reading)
        self._layout = (margin, gutter, reading)
        self._cache.clear()
        if quiet:
            self.set_reactive(ScrollView.virtual_size, Size(width, len(self._wrap)))
            if anchor is not None:
                self._scroll_anchor = anchor
            self.refresh()
            return
        self.virtual_size = Size(width, len(self._wrap))
        if self._scroll_pending:
            self._scroll_pending = False
            self.call_after_refresh(self.scroll_to_focus)
        elif anchor is not None:
            row = self._wrap.row_of(anchor)
            self.call_after_refresh(self.scroll_to, y=row, animate=False)
        self.refresh()

    # -- rendering -------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        row = int(self.scroll_y) + y
        width = self.row_width
        wrap = self._wrap
        if wrap is None or row >= len(wrap):
            return Strip.blank(width, self.rich_style)
        styles = self._row_styles()
        if (self._cache_focus, self._cache_styles) != (self._focus, styles):
            self._cache.clear()  # the focus marks and the styles are drawn into the rows
            self._cache_focus, self._cache_styles = self._focus, styles
        strip = self._cache.get(row)
        if strip is None or strip.cell_length != width:
            strip = self._render_row(row, width, styles)
            self._cache[row] = strip
        return strip

    def _row_styles(self) -> _RowStyles:
        """The styles rows are drawn with, read once per change of styles."""
        if self._styles is None:
            base = self.rich_style
            part = self.get_component_rich_style
            cited = base + part("source-text--cited")
            self._styles = _RowStyles(
                base=base,
                gutter=base + part("source-text--gutter"),
                bar=base + part("source-text--bar"),
                cited=cited,
                focused=base + part("source-text--focused"),
                cited_focused=cited + part("source-text--focused"),
            )
        return self._styles

    def _render_row(self, row: int, width: int, styles: _RowStyles) -> Strip:
        """One row: margin, line number (on a line's first row), focus bar, text, padding.

        Built from segments directly (cut where the marks and the focus
        begin and end), not through a :class:`~rich.text.Text`: a source
        seen for the first time draws every row on screen in one frame.
        """
        assert self._wrap is not None
        wrap = self._wrap
        base = styles.base
        margin, gutter, reading = self._layout
        start, end = wrap.span(row)
        focused = self.focused_span
        in_focus = focused is not None and (
            (focused.start < end and focused.end > start) or focused.start == start == focused.end
        )
        # (an empty text has one empty row, and no line to number)
        number = str(wrap.line_of_row(row)) if self._text and wrap.is_line_start(row) else ""
        segments = [
            Segment(" " * margin + " " + number.rjust(gutter - 3), styles.gutter),
            Segment(FOCUS_BAR if in_focus else " ", styles.bar if in_focus else styles.gutter),
            Segment(" ", base),
        ]
        text = self._text
        ascii_row = text.isascii() or text[start:end].isascii()
        stop = min(end, start + reading) if ascii_row else end  # the rest is cropped
        cuts = {start, stop}
        first = max(0, bisect_left(self._mark_starts, start) - 1)
        for mark_start, mark_end in self._marks[first:]:
            if mark_start >= stop:
                break
            cuts.update((mark_start, mark_end))
        if in_focus and focused is not None:
            cuts.update((focused.start, focused.end))
        bounds = sorted(cut for cut in cuts if start <= cut <= stop)
        marks, mark_starts = self._marks, self._mark_starts
        for left, right in pairwise(bounds):
            if left == right:
                continue
            index = bisect_right(mark_starts, left) - 1
            cited = index >= 0 and marks[index][1] > left
            if in_focus and focused is not None and focused.start <= left < focused.end:
                style = styles.cited_focused if cited else styles.focused
            else:
                style = styles.cited if cited else base
            segments.append(Segment(text[left:right], style))
        used = margin + gutter
        if ascii_row:
            used += stop - start
            if stop - start < reading:
                segments.append(Segment(" " * (reading - stop + start), base))
                used += reading - stop + start
        else:  # wide or combining characters: let Strip count (and crop) the cells
            head, body = segments[:3], segments[3:]
            cropped = Strip(body).crop_extend(0, reading, base)
            segments = [*head, *cropped]
            used += reading
        strip = Strip(segments, used)
        if used < width:
            return Strip([*segments, Segment(" " * (width - used), base)], width)
        return strip if used == width else strip.crop_extend(0, width, base)

    # -- helpers ----------------------------------------------------------------------------

    def _set_focus(self, index: int, ref: tuple[str, int]) -> None:
        """Focus span ``index`` and scroll to it (redrawn only if another span had focus)."""
        changed = index != self._focus
        self._focus = index
        self._focus_ref = ref
        self.scroll_to_focus()
        if changed:
            self.refresh()

    def _first_from_view(self, delta: int) -> int:
        """The first span at/after (or last before) the top of the view."""
        top = 0
        if self._wrap is not None and len(self._wrap):
            top = self._wrap.span(min(int(self.scroll_y), len(self._wrap) - 1))[0]
        starts = [span.start for span in self._spans]
        if delta > 0:
            index = bisect_left(starts, top)
            return index if index < len(starts) else 0
        index = bisect_left(starts, top) - 1
        return index if index >= 0 else len(starts) - 1


__all__ = ["CitedSpan", "SourceText", "cited_spans", "merge_spans"]
