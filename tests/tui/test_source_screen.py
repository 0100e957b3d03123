"""The source viewer: wrapping, passage focus, n/N, the citing panel, safety."""

from __future__ import annotations

from itertools import product
from pathlib import Path

import pytest
from rich.cells import cell_len, split_graphemes

from citeline.loader import load_timeline
from citeline.model import Timeline
from citeline.tui.messages import PassageFocused
from citeline.tui.screens.source_screen import SourceScreen
from citeline.tui.soft_wrap import SoftWrap
from citeline.tui.widgets.citing_events import CitingEvents
from citeline.tui.widgets.source_text import (
    FOCUS_BAR,
    MAX_READING_WIDTH,
    SourceText,
    cited_spans,
    merge_spans,
)

from .conftest import ScreenHost, notifications, posted, screen_lines

# -- the wrap, exhaustively on small cases ---------------------------------------------

#: Narrow letters, a space, a wide letter, a combining accent and a newline.
ALPHABET = ("a", " ", "中", "\u0301", "\n")


def _units(line: str) -> tuple[list[int], list[int]]:
    spans, _ = split_graphemes(line)
    return [span[0] for span in spans] + [len(line)], [span[2] for span in spans]


def _lines(text: str) -> list[str]:
    """The lines of ``text``: a final newline ends the last one, it starts none."""
    lines = text.split("\n")
    return lines[:-1] if len(lines) > 1 and not lines[-1] else lines


def reference_rows(text: str, width: int) -> list[tuple[int, int]]:
    """A slow, plain greedy wrap with the same rules, grapheme by grapheme."""
    rows: list[tuple[int, int]] = []
    base = 0
    for line in _lines(text):
        bounds, widths = _units(line)
        count = len(widths)
        if not count:
            rows.append((base, base))
        pos = 0
        while pos < count:
            used, fits = 0, pos
            while fits < count and used + widths[fits] <= width:
                used += widths[fits]
                fits += 1
            if fits == count:
                cut = count
            elif fits == pos:
                cut = pos + 1
            elif line[bounds[fits] : bounds[fits + 1]] == " ":
                cut = fits
            else:
                breaks = [
                    k
                    for k in range(pos + 1, fits + 1)
                    if (line[bounds[k - 1]] == " " and k - 1 > pos)
                    or widths[k - 1] > 1
                    or widths[k] > 1
                ]
                cut = max(breaks) if breaks else fits
            while cut < count and line[bounds[cut] : bounds[cut + 1]] == " ":
                cut += 1
            rows.append((base + bounds[pos], base + bounds[cut]))
            pos = cut
        base += len(line) + 1
    return rows


def check_wrap(text: str, width: int) -> None:
    wrap = SoftWrap(text, width)
    rows = [wrap.span(row) for row in range(len(wrap))]
    assert rows == reference_rows(text, width), (text, width)
    # The rows of each line partition it, on grapheme boundaries.
    base = 0
    row = 0
    for number, line in enumerate(_lines(text), start=1):
        bounds, _ = _units(line)
        assert wrap.first_row_of_line(number) == row
        pieces = []
        while row < len(wrap) and wrap.line_of_row(row) == number:
            start, end = wrap.span(row)
            assert wrap.is_line_start(row) == (start == base)
            assert start - base in bounds and end - base in bounds
            piece = text[start:end]
            pieces.append(piece)
            shown = piece.rstrip(" ")
            assert cell_len(shown) <= width or len(split_graphemes(shown)[0]) == 1
            row += 1
        assert "".join(pieces) == line
        base += len(line) + 1
    assert row == len(wrap)
    # Every offset maps to the row holding it and the cells before it in that row.
    for offset in range(len(text) + 1):
        r, column = wrap.locate(offset)
        start, end = wrap.span(r)
        assert start <= offset <= end or (offset == end + 1 and text[end] == "\n")
        assert column == cell_len(text[start : min(offset, end)])
        assert r in wrap.rows_of(offset, offset + 1)


def test_wrap_exhaustive_small_cases() -> None:
    for length in range(7):
        for letters in product(ALPHABET, repeat=length):
            text = "".join(letters)
            for width in (1, 2, 3, 5):
                check_wrap(text, width)


def test_wrap_examples() -> None:
    def rows(text: str, width: int) -> list[str]:
        wrap = SoftWrap(text, width)
        return [wrap.row_text(row) for row in range(len(wrap))]

    assert rows("hello world", 5) == ["hello ", "world"]
    assert rows("the cat sat", 8) == ["the cat ", "sat"]
    assert rows("abcdefgh", 3) == ["abc", "def", "gh"]
    assert rows("中文中文", 3) == ["中", "文", "中", "文"]
    assert rows("中文中文", 4) == ["中文", "中文"]
    assert rows("ab中cd", 3) == ["ab", "中", "cd"]
    assert rows("x\n\ny", 2) == ["x", "", "y"]
    wrap = SoftWrap("ab中cd", 3)
    assert [wrap.locate(offset) for offset in range(6)] == [
        (0, 0),
        (0, 1),
        (1, 0),
        (2, 0),
        (2, 1),
        (2, 2),
    ]


def test_wrap_long_text_is_linear_enough() -> None:
    text = ("“Smart quotes” — and 漢字 in a line " * 4 + "\n") * 2000
    wrap = SoftWrap(text, 40)
    assert len(wrap) > 2000
    assert "".join(wrap.row_text(row) for row in range(len(wrap))).replace("\n", "") == (
        text.replace("\n", "")
    )


def test_spans_and_merge(viewer_timeline: Timeline) -> None:
    spans = cited_spans(viewer_timeline, "alpha")
    assert [(s.start, s.end) for s in spans] == sorted((s.start, s.end) for s in spans)
    assert spans[0].refs == (("e1", 0),)
    assert merge_spans([(5, 9), (0, 3), (2, 4), (9, 10)]) == [(0, 4), (5, 10)]


# -- the screen --------------------------------------------------------------------------


def _host(timeline: Timeline, *args: object) -> ScreenHost:
    return ScreenHost(lambda: SourceScreen(timeline, *args))  # type: ignore[arg-type]


def _row_with(app: ScreenHost, needle: str) -> str:
    rows = [line for line in screen_lines(app) if needle in line]
    assert rows, f"{needle!r} not on screen"
    return rows[0]


async def test_opens_at_the_passage_with_a_bar_and_a_third_down(
    viewer_timeline: Timeline,
) -> None:
    app = _host(viewer_timeline, "alpha", "e3", 1)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SourceScreen)
        assert screen.focus_ref == ("e3", 1)
        assert isinstance(app.focused, SourceText)
        assert FOCUS_BAR in _row_with(app, "Line 20: Work on the harbour")
        assert FOCUS_BAR not in _row_with(app, "Line 19:")
        text = screen.source_text
        assert text.wrap is not None
        row = text.wrap.row_of(text.focused_span.start)  # type: ignore[union-attr]
        assert row - text.scroll_y == text.size.height // 3
        # The focused span is bold + reverse, other cited spans underlined (not colour alone).
        y = row - int(text.scroll_y)
        strip = text.render_line(y)
        styles = {seg.text: seg.style for seg in strip if "harbour" in seg.text}
        focused = next(style for t, style in styles.items() if "Work on the harbour" in t)
        assert focused is not None and focused.reverse and focused.bold


async def test_cited_spans_are_underlined(viewer_timeline: Timeline) -> None:
    app = _host(viewer_timeline, "alpha", "e1", 0)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        text = app.screen.source_text  # type: ignore[attr-defined]
        row = text.wrap.row_of(text.focused_span.start)
        strip = text.render_line(row - int(text.scroll_y))
        by_text = [(seg.text, seg.style) for seg in strip if seg.text.strip()]
        # "in full" is quoted only by e2's overlapping passage: underlined, not reversed.
        tail = [style for t, style in by_text if "in full" in t or t.strip() == "in"]
        assert tail and all(s.underline and not s.reverse for s in tail)
        head = [style for t, style in by_text if "The council met" in t]
        assert head and head[0].reverse and head[0].underline


async def test_n_and_N_walk_the_passages_in_text_order(viewer_timeline: Timeline) -> None:
    app = _host(viewer_timeline, "alpha")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.focus_ref is None  # type: ignore[attr-defined]
        for _ in range(4):
            await pilot.press("n")
        await pilot.pause()
        focused = [m for m in app.received if isinstance(m, PassageFocused)]
        assert [(m.event_id, m.passage_index) for m in focused] == [
            ("e1", 0),
            ("e2", 0),
            ("e3", 1),
            ("e2", 1),
        ]
        assert all(m.source_id == "alpha" for m in focused)
        assert FOCUS_BAR in _row_with(app, "Line 50: The harbour reopened")
        assert not notifications(app)
        await pilot.press("n")
        await pilot.pause()
        assert screen.focus_ref == ("e1", 0)  # type: ignore[attr-defined]
        assert any("wrapped to the first passage" in n.lower() for n in notifications(app))
        await pilot.press("N")
        await pilot.pause()
        assert screen.focus_ref == ("e2", 1)  # type: ignore[attr-defined]
        assert any("wrapped to the last passage" in n.lower() for n in notifications(app))
        await pilot.press("N")
        await pilot.pause()
        assert screen.focus_ref == ("e3", 1)  # type: ignore[attr-defined]
        assert FOCUS_BAR in _row_with(app, "Line 20: Work on the harbour")
        assert len([m for m in app.received if isinstance(m, PassageFocused)]) == 7


async def test_citing_panel_lists_overlapping_events_and_enter_chooses(
    viewer_timeline: Timeline,
) -> None:
    app = _host(viewer_timeline, "alpha", "e1", 0)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        panel = app.screen.query_one(CitingEvents)
        # e2 quotes an overlapping span of line 3, so it counts.
        assert panel.event_ids == ["e1", "e2"]
        assert panel.highlighted == 0
        await pilot.press("tab")
        assert app.focused is panel
        await pilot.press("j", "enter")
        await pilot.pause()
        assert [m for m in posted(app) if m[0] == "EventChosen"] == [("EventChosen", "e2")]
        await pilot.press("tab")
        assert isinstance(app.focused, SourceText)


async def test_n_works_from_the_panel_and_updates_it(viewer_timeline: Timeline) -> None:
    app = _host(viewer_timeline, "alpha", "e1", 0)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("tab", "n", "n")
        await pilot.pause()
        panel = app.screen.query_one(CitingEvents)
        assert panel.event_ids == ["e3"]
        assert "3/4" in str(panel.border_title)


async def test_show_passage_and_follow_event(viewer_timeline: Timeline) -> None:
    app = _host(viewer_timeline, "alpha", "e1", 0)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SourceScreen)
        assert screen.show_passage("e2", 1)
        await pilot.pause()
        assert screen.focus_ref == ("e2", 1)
        assert screen.citing_events.event_ids == ["e2"]
        assert FOCUS_BAR in _row_with(app, "Line 50: The harbour reopened")
        assert screen.follow_event("e3")
        await pilot.pause()
        assert screen.focus_ref == ("e3", 1)
        assert FOCUS_BAR in _row_with(app, "Line 20: Work on the harbour")
        assert not screen.follow_event("e4")  # cites beta only
        assert not screen.follow_event("no-such-event")
        assert not screen.show_passage("e4", 0)
        assert screen.focus_ref == ("e3", 1)
        # Re-targeting from the app posts nothing.
        assert not [m for m in app.received if isinstance(m, PassageFocused)]


async def test_open_with_event_only_follows_it(viewer_timeline: Timeline) -> None:
    app = _host(viewer_timeline, "alpha", "e2")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert app.screen.focus_ref == ("e2", 0)  # type: ignore[attr-defined]


async def test_scroll_keys(viewer_timeline: Timeline) -> None:
    app = _host(viewer_timeline, "alpha")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = app.screen.query_one(SourceText)
        assert text.scroll_y == 0
        await pilot.press("j", "j", "down")
        assert text.scroll_y == 3
        await pilot.press("k", "up")
        assert text.scroll_y == 1
        await pilot.press("pagedown")
        page = text.scroll_y - 1
        assert page > 5
        await pilot.press("space")
        assert text.scroll_y == 1 + 2 * page
        await pilot.press("pageup")
        assert text.scroll_y == 1 + page
        await pilot.press("G")
        assert text.scroll_y == text.max_scroll_y > 0
        await pilot.press("g")
        assert text.scroll_y == 0
        await pilot.press("end")
        assert text.scroll_y == text.max_scroll_y
        await pilot.press("home")
        assert text.scroll_y == 0
        # Back keys are not the viewer's: they reach the app.
        for key in ("h", "left", "escape", "backspace"):
            await pilot.press(key)
        assert app.backs == 4


async def test_long_and_wide_lines_wrap_within_the_reading_width(
    viewer_timeline: Timeline,
) -> None:
    app = _host(viewer_timeline, "alpha")
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause()
        text = app.screen.query_one(SourceText)
        wrap = text.wrap
        assert wrap is not None and wrap.width == MAX_READING_WIDTH
        line40 = [r for r in range(len(wrap)) if wrap.line_of_row(r) == 40]
        line15 = [r for r in range(len(wrap)) if wrap.line_of_row(r) == 15]
        assert len(line40) > 2 and len(line15) >= 2
        for row in line40 + line15:
            assert cell_len(wrap.row_text(row).rstrip()) <= wrap.width
        # Only the first row of a line has a number in the gutter.
        assert wrap.is_line_start(line40[0]) and not wrap.is_line_start(line40[1])


async def test_narrow_puts_the_panel_below(viewer_timeline: Timeline) -> None:
    app = _host(viewer_timeline, "alpha", "e1", 0)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.has_class("-narrow")
        text, panel = screen.query_one(SourceText), screen.query_one(CitingEvents)
        assert panel.region.y > text.region.y
        await pilot.resize_terminal(120, 36)
        await pilot.pause()
        assert not screen.has_class("-narrow")
        assert panel.region.x > text.region.x
        assert screen.focus_ref == ("e1", 0)  # type: ignore[attr-defined]
        assert FOCUS_BAR in _row_with(app, "Line 3: The council")


async def test_data_is_shown_literally(viewer_timeline: Timeline) -> None:
    app = _host(viewer_timeline, "alpha", "e1", 0)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        text = app.screen.query_one(SourceText)
        text.scroll_to_line(1)
        await pilot.pause()
        lines = screen_lines(app)
        joined = "\n".join(lines)
        assert "[bold]x[/] Alpha report" in lines[0]
        assert "[@click=app.quit] session" in joined
        assert "␛]0;pwned␇" in _row_with(app, "Line 10:")
        assert "\x1b" not in joined and "\x07" not in joined
        assert app.screen.query_one(CitingEvents).option_count == 2


async def test_highlight_lands_on_wide_characters_across_rows() -> None:
    """The reversed cells are exactly the quoted characters, across a wrapped CJK line."""
    from pathlib import Path

    from citeline.dates import parse_date
    from citeline.model import Event, Passage, Source

    text = "前言。\n" + "港口预算获得批准，议会在星期一开会。" * 12 + "\n结束。\n"
    quote = "议会在星期一开会。港口预算获得批准，议会在星期一开会。港口预算"
    start = text.index(quote, 60)
    source = Source("cjk", "cjk.txt", Path("cjk.txt"), "CJK", text)
    passage = Passage("cjk", quote, start, start + len(quote), 2, start - 3, quote)
    event = Event("ev", "Event", parse_date("2020"), "s", (passage,))
    timeline = Timeline("t", (event,), (source,))
    app = _host(timeline, "cjk", "ev", 0)
    async with app.run_test(size=(60, 24)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(SourceText)
        wrap = view.wrap
        assert wrap is not None
        rows = wrap.rows_of(passage.start, passage.end)
        assert len(rows) > 1  # the quote spans several wrapped rows
        reversed_text = ""
        for row in rows:
            strip = view.render_line(row - int(view.scroll_y))
            reversed_text += "".join(seg.text for seg in strip if seg.style and seg.style.reverse)
            assert FOCUS_BAR in strip.text
        assert reversed_text == quote
        first_row, first_col = wrap.locate(passage.start)
        strip = view.render_line(first_row - int(view.scroll_y))
        # The first reversed cell sits at the passage's column after the gutter.
        cells = 0
        for seg in strip:
            if seg.style and seg.style.reverse:
                break
            cells += cell_len(seg.text)
        assert cells == view.text_left + first_col


FOUR_LINES = "Line one.\nLine two.\nLine three.\nLine four."


@pytest.mark.parametrize(
    ("text", "count", "header"),
    [
        (FOUR_LINES + "\n", 4, "· 4 lines ·"),  # a final newline ends line 4, starts no 5th
        (FOUR_LINES, 4, "· 4 lines ·"),
        ("One line only.\n", 1, "· 1 line ·"),
        ("\n", 1, "· 1 line ·"),
        ("", 0, "· 0 lines ·"),
    ],
)
async def test_the_viewer_counts_and_numbers_the_lines_of_the_file(
    tmp_path: Path, text: str, count: int, header: str
) -> None:
    (tmp_path / "doc.txt").write_text(text, encoding="utf-8", newline="")
    (tmp_path / "other.txt").write_text("Cited words.\n", encoding="utf-8")
    (tmp_path / "events.yaml").write_text(
        "title: t\nsources:\n"
        "  - {id: doc, file: doc.txt, title: Doc}\n"
        "  - {id: other, file: other.txt, title: Other}\n"
        "events:\n  - id: ev\n    title: Ev\n    date: '2020'\n    summary: s\n"
        "    passages:\n      - {source: other, quote: Cited words.}\n",
        encoding="utf-8",
    )
    timeline = load_timeline(tmp_path / "events.yaml")
    assert timeline.source("doc").line_count == count
    app = _host(timeline, "doc")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert header in "\n".join(screen_lines(app)[:3])
        view = app.screen.query_one(SourceText)
        gutter = [view.render_line(y).text[: view.text_left - 2] for y in range(view.size.height)]
        numbers = [cell.strip() for cell in gutter if cell.strip()]
        assert numbers == [str(n) for n in range(1, count + 1)]
        assert view.virtual_size.height == max(count, 1)  # no empty row after the last line
