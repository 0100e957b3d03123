"""Soft wrapping of plain text into rows of at most a given number of terminal cells.

At word boundaries when it can, never inside a grapheme; character offsets map
to ``(row, column)``. Shared by the source viewer's text and its citing-events panel.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate

from rich.cells import cell_len, get_character_cell_size, split_graphemes


class SoftWrap:
    """``text`` cut into rows of at most ``width`` cells.

    Each source line (split on ``\\n``) becomes one or more rows; the rows of
    a line partition it with no gaps, so every character offset falls in
    exactly one row. A final newline ends the last line and starts none (an
    empty text is one empty line, so that every offset still has its row).
    A row is cut after the last space that fits (the spaces at a cut stay at
    the end of the row they follow, past the width, where the renderer crops
    them), or before/after a wide character, or, when a word is longer than
    the width, inside the word. A grapheme is never cut, and a row holds at
    least one, even if it is wider than ``width``.
    """

    __slots__ = ("_ends", "_line_rows", "_starts", "text", "width")

    def __init__(self, text: str, width: int) -> None:
        self.text = text
        self.width = max(1, width)
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._line_rows: list[int] = []
        start = 0
        find = text.find
        while True:
            newline = find("\n", start)
            end = len(text) if newline == -1 else newline
            self._line_rows.append(len(self._starts))
            self._wrap_line(start, end)
            if newline == -1 or newline + 1 == len(text):
                break  # a final newline ends the last line: no empty line after it
            start = newline + 1

    # -- building ----------------------------------------------------------------

    def _wrap_line(self, start: int, end: int) -> None:
        line = self.text[start:end]
        if not line:
            self._starts.append(start)
            self._ends.append(start)
        elif line.isascii() and line.isprintable():
            self._wrap_narrow(start, end)
        else:
            widths = list(map(get_character_cell_size, line))
            if 0 in widths or "\u200d" in line or "\ufe0f" in line:
                spans, _ = split_graphemes(line)
                bounds = [span[0] for span in spans]
                widths = [span[2] for span in spans]
            else:
                bounds = list(range(len(line)))
            bounds.append(len(line))
            self._wrap_units(start, line, bounds, widths)

    def _wrap_narrow(self, pos: int, end: int) -> None:
        """Wrap a line whose every character is one cell wide."""
        text, width = self.text, self.width
        starts, ends = self._starts, self._ends
        while True:
            if end - pos <= width:
                starts.append(pos)
                ends.append(end)
                return
            limit = pos + width  # text[pos:limit] fits, text[limit] does not
            if text[limit] == " ":
                cut = limit
            else:
                space = text.rfind(" ", pos + 1, limit)
                cut = space + 1 if space != -1 else limit
            while cut < end and text[cut] == " ":
                cut += 1
            starts.append(pos)
            ends.append(cut)
            if cut >= end:
                return
            pos = cut

    def _wrap_units(self, base: int, line: str, bounds: list[int], widths: list[int]) -> None:
        """Wrap a line of units (characters or graphemes) of the given cell widths.

        Unit ``i`` is ``line[bounds[i]:bounds[i + 1]]``. A row may break after
        a space, or before or after a wide unit.
        """
        width = self.width
        starts, ends = self._starts, self._ends
        count = len(widths)
        total = [0, *accumulate(widths)]

        def is_space(unit: int) -> bool:
            """A plain space (not one carrying a combining mark)."""
            return line[bounds[unit] : bounds[unit + 1]] == " "

        pos = 0
        while pos < count:
            fits = bisect_right(total, total[pos] + width, pos) - 1  # units [pos, fits) fit
            if fits >= count:
                cut = count
            elif fits == pos:
                cut = pos + 1  # one unit wider than the row
            elif is_space(fits):
                cut = fits
            else:
                cut = -1
                space = line.rfind(" ", bounds[pos + 1], bounds[fits])
                if space != -1:
                    cut = bisect_right(bounds, space)
                if max(widths[pos : fits + 1]) > 1:  # a wide unit offers breaks
                    floor = max(pos + 1, cut)
                    index = fits
                    while index >= floor and widths[index - 1] < 2 and widths[index] < 2:
                        index -= 1
                    if index >= floor:
                        cut = index
                if cut == -1:
                    cut = fits
            while cut < count and is_space(cut):
                cut += 1
            starts.append(base + bounds[pos])
            ends.append(base + bounds[cut])
            pos = cut

    # -- looking up ----------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._starts)

    @property
    def line_count(self) -> int:
        return len(self._line_rows)

    def span(self, row: int) -> tuple[int, int]:
        """The character range ``[start, end)`` of ``row`` (without its newline)."""
        return self._starts[row], self._ends[row]

    def row_text(self, row: int) -> str:
        return self.text[self._starts[row] : self._ends[row]]

    def line_of_row(self, row: int) -> int:
        """The 1-based source line that ``row`` belongs to."""
        return bisect_right(self._line_rows, row)

    def is_line_start(self, row: int) -> bool:
        """Whether ``row`` is the first row of its source line."""
        return self._line_rows[bisect_right(self._line_rows, row) - 1] == row

    def first_row_of_line(self, line: int) -> int:
        """The first row of the 1-based source ``line``."""
        return self._line_rows[min(max(line, 1), len(self._line_rows)) - 1]

    def row_of(self, offset: int) -> int:
        """The row holding character ``offset`` (a newline belongs to the row it ends)."""
        return max(0, bisect_right(self._starts, offset) - 1)

    def locate(self, offset: int) -> tuple[int, int]:
        """``(row, column)`` of character ``offset``; the column is in cells.

        The column can reach past the width for the spaces kept at a cut.
        """
        row = self.row_of(offset)
        start = self._starts[row]
        offset = min(offset, self._ends[row])
        return row, cell_len(self.text[start:offset])

    def rows_of(self, start: int, end: int) -> range:
        """The rows that the character range ``[start, end)`` touches."""
        first = self.row_of(start)
        last = self.row_of(max(start, end - 1))
        return range(first, last + 1)


__all__ = ["SoftWrap"]
