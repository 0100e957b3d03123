"""Markdown report: every event with its quotes and footnoted citations.

Data is escaped so that it shows literally in any CommonMark renderer (with
the common footnote extension): inline-active characters get a backslash,
and characters that would start a block (list item, heading underline,
numbered list) at the start of a line are escaped too. Leading indentation
is dropped from quote and summary lines, because it would turn them into
code blocks. Control characters are shown as placeholders (``ESC`` as ``␛``),
as the browser shows them: a report printed on a terminal cannot command it.
A one-line field (a title, the place, a note) stays one line: its newlines,
tabs and Unicode line and paragraph separators become spaces, and a control
that some reader would break the line at (NEL, ``VT``, ``FF``, ``CR``) a
placeholder, as in the browser and the other exports.
"""

from __future__ import annotations

import re

from citeline.export.json_doc import display_date, source_of
from citeline.model import Event, Passage, Timeline
from citeline.sanitize import one_line as single_line
from citeline.sanitize import visible

# Characters that can start or end inline markup anywhere on a line:
# escapes, emphasis, links and footnotes, raw HTML and autolinks, entity
# references, code spans, strikethrough, tables and headings.
_INLINE_ACTIVE = re.compile(r"([\\`*_\[\]<>&#|~^!])")
# Block markers that only matter at the start of a line.
_LINE_START_MARKER = re.compile(r"^([-+=:])")
_ORDERED_MARKER = re.compile(r"^(\d+)([.)])")


def escape_inline(text: str) -> str:
    """Backslash-escape Markdown-active characters in one line of data."""
    line = _INLINE_ACTIVE.sub(r"\\\1", visible(text).strip())
    line = _LINE_START_MARKER.sub(r"\\\1", line)
    return _ORDERED_MARKER.sub(r"\1\\\2", line)


def one_line(text: str) -> str:
    """Escaped text on a single line (headings, footnotes, the date line).

    Made one line as the browser makes it (:func:`citeline.sanitize.one_line`)
    before runs of whitespace are made one space: newlines, tabs and the Unicode
    line and paragraph separators become spaces, and every control character a
    placeholder, NEL (``U+0085``, a C1 control) and the C0 line controls too, which
    ``str.split`` would take for whitespace.
    """
    return escape_inline(" ".join(single_line(text).split()))


def escape_lines(text: str) -> list[str]:
    """Escaped text as separate lines; blank lines stay blank."""
    return [escape_inline(line) for line in text.strip("\n").split("\n")]


def code_span(text: str) -> str:
    """``text`` as an inline code span, fenced by enough backticks."""
    text = " ".join(visible(text).split("\n"))
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _quote_block(passage: Passage, number: int) -> list[str]:
    """A blockquote of the passage, its last line carrying the footnote mark."""
    lines = escape_lines(passage.text) or [""]
    lines[-1] += f"[^{number}]"
    return [f"> {line}".rstrip() for line in lines]


def _footnote(passage: Passage, timeline: Timeline, number: int) -> str:
    """``[^n]: Source title (author), `file:line` — note``."""
    source = source_of(timeline, passage)
    text = one_line(source.title)
    if source.author:
        text += f" ({one_line(source.author)})"
    text += f", {code_span(f'{source.file}:{passage.line}')}"
    if passage.note:
        text += f" — {one_line(passage.note)}"
    return f"[^{number}]: {text}"


def _event_section(
    event: Event, timeline: Timeline, first_number: int
) -> tuple[list[str], list[str]]:
    """The event's section lines and its footnote definitions."""
    lines = [f"## {one_line(event.title)}", ""]
    when = one_line(display_date(event.date))
    if event.place:
        when += f" · {one_line(event.place)}"
    lines += [f"*{when}*", ""]
    if event.summary.strip():
        lines += [*escape_lines(event.summary), ""]
    notes = []
    for offset, passage in enumerate(event.passages):
        number = first_number + offset
        lines += [*_quote_block(passage, number), ""]
        notes.append(_footnote(passage, timeline, number))
    return lines, notes


def export_markdown(timeline: Timeline) -> str:
    """The ``markdown`` export: a report with footnoted verbatim quotes."""
    lines = [f"# {one_line(timeline.title)}", ""]
    notes: list[str] = []
    for event in timeline.events:
        section, event_notes = _event_section(event, timeline, len(notes) + 1)
        lines += section
        notes += event_notes
    if notes:
        lines += notes
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"
