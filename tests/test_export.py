"""Exports read back with independent readers and compared with the timeline."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import os
import re
import stat
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import icalendar
import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from citeline.dates import format_date
from citeline.export import FORMATS, SUFFIXES, export_text, exporter
from citeline.export.atomic import write_atomic
from citeline.export.csv_table import export_csv
from citeline.export.ics import export_ics
from citeline.export.json_doc import event_to_dict, export_json, timeline_to_dict
from citeline.export.markdown import export_markdown
from citeline.export.timelinejs import export_timelinejs
from citeline.model import Event, EventDate, PartialDate, Passage, Source, Timeline

# ---------------------------------------------------------------------------
# Fixture

TEXT_A = (
    "Line one of the gazette.\n"
    'On 4 February 2022 the council voted 5–4, "after a long debate"; the motion passed.\n'
    "  Indented line with <script>alert(1)</script> & [bold]markup[/bold].\n"
    "* starred line\n"
    "1. numbered line\n"
    "Last line — naïve café.\n"
)
TEXT_B = (
    "# Heading in source\n"
    "The strike began in March 2023 and ended later.\n"
    "Workers said: ``it was `cold` ``; nobody disagreed.\n"
)
AWKWARD_TITLE = '*x* [y](z) <script>alert("t")</script> & [bold]b[/bold] # tail #'
AWKWARD_SUMMARY = (
    'Council voted, narrowly; "after debate".\n'
    "Second line <script>x</script> & [bold]y[/bold] — é\n"
    "- not a list\n"
    "1. not a list either"
)


def make_source(source_id: str, file: str, title: str, text: str, author: str | None) -> Source:
    return Source(
        id=source_id,
        file=file,
        path=Path("/nonexistent") / file,
        title=title,
        text=text,
        author=author,
    )


SOURCE_A = make_source(
    "gazette", "sources/a.txt", 'The "Daily" <Gazette> & Co.', TEXT_A, "Zoë Ü, Jr."
)
SOURCE_B = make_source("notes", "sources/b notes.md", "*x* [y](z)", TEXT_B, None)


def quote(source: Source, snippet: str, note: str | None = None) -> Passage:
    start = source.text.index(snippet)
    line, column = source.line_col(start)
    end = start + len(snippet)
    return Passage(source.id, snippet, start, end, line, column, source.text[start:end], note=note)


P_VOTE = quote(SOURCE_A, 'the council voted 5–4, "after a long debate"; the motion passed.')
P_MULTI = quote(
    SOURCE_A,
    "  Indented line with <script>alert(1)</script> & [bold]markup[/bold].\n"
    "* starred line\n1. numbered line",
)
P_LAST = quote(SOURCE_A, "Last line — naïve café.")
P_STRIKE = quote(SOURCE_B, "The strike began in March 2023")
P_WORKERS = quote(
    SOURCE_B, "Workers said: ``it was `cold` ``; nobody disagreed.", note="see *also* & <b>"
)


def single(year: int, month: int | None = None, day: int | None = None, q: str | None = None):
    date = PartialDate(year, month, day)
    return EventDate(date, date, q, date.iso() + (q or ""), False)


def interval(start: PartialDate | None, end: PartialDate | None, q: str | None = None):
    raw = f"{start.iso() if start else '..'}/{end.iso() if end else '..'}"
    return EventDate(start, end, q, raw, True)


def event(event_id: str, title: str, date: EventDate, *passages: Passage, **extra) -> Event:
    return Event(
        event_id, title, date, extra.pop("summary", f"Summary of {title}."), passages, **extra
    )


EVENTS = (
    event("year-uncertain", "A year, uncertain", single(2021, q="?"), P_LAST, summary=""),
    event(
        "winter",
        'Winter, "cold"; long',
        interval(PartialDate(2021, 11), PartialDate(2022, 2)),
        P_STRIKE,
        tags=("weather", "season"),
    ),
    event(
        "vote",
        AWKWARD_TITLE,
        single(2022, 2, 4),
        P_VOTE,
        P_MULTI,
        P_WORKERS,
        summary=AWKWARD_SUMMARY,
        place="Town Hall, Room 1; east <b>",
        participants=("Mayor O'Brien", "Council; all"),
        tags=("politics & <law>",),
    ),
    event("open-end", "Open at the end", interval(PartialDate(2022, 5), None), P_STRIKE),
    event("approx", "Approximate month", single(2023, 2, q="~"), P_VOTE, place="Zürich"),
    event(
        "strike",
        "Strike",
        interval(PartialDate(2023, 3, 20), PartialDate(2023, 3, 22)),
        P_WORKERS,
        P_STRIKE,
    ),
    event("open-start", "Open at the start", interval(None, PartialDate(2023, 3, 15)), P_LAST),
    event("leap", "Leap February", single(2024, 2), P_LAST),
)
TIMELINE = Timeline("Town <History> & *Notes*, 2021–2024", EVENTS, (SOURCE_A, SOURCE_B))
BY_ID = {e.id: e for e in EVENTS}

# Expected first day and exclusive end day of each event in the calendar.
ICS_DAYS = {
    "year-uncertain": (dt.date(2021, 1, 1), dt.date(2022, 1, 1)),
    "winter": (dt.date(2021, 11, 1), dt.date(2022, 3, 1)),
    "vote": (dt.date(2022, 2, 4), dt.date(2022, 2, 5)),
    "open-end": (dt.date(2022, 5, 1), dt.date(2022, 5, 2)),
    "approx": (dt.date(2023, 2, 1), dt.date(2023, 3, 1)),
    "strike": (dt.date(2023, 3, 20), dt.date(2023, 3, 23)),
    "open-start": (dt.date(2023, 3, 15), dt.date(2023, 3, 16)),
    "leap": (dt.date(2024, 2, 1), dt.date(2024, 3, 1)),
}
ISO_ENDS = {
    "year-uncertain": ("2021", "2021", "year"),
    "winter": ("2021-11", "2022-02", "month"),
    "vote": ("2022-02-04", "2022-02-04", "day"),
    "open-end": ("2022-05", None, "month"),
    "approx": ("2023-02", "2023-02", "month"),
    "strike": ("2023-03-20", "2023-03-22", "day"),
    "open-start": (None, "2023-03-15", "day"),
    "leap": ("2024-02", "2024-02", "month"),
}


def test_fixture_is_consistent() -> None:
    for e in EVENTS:
        for p in e.passages:
            source = TIMELINE.source(p.source_id)
            assert source is not None
            assert p.text == source.text[p.start : p.end]
    assert set(ICS_DAYS) == set(BY_ID) == set(ISO_ENDS)


# ---------------------------------------------------------------------------
# Registry


def test_formats_and_suffixes() -> None:
    assert set(FORMATS) == {"json", "timelinejs", "markdown", "csv", "ics"}
    assert SUFFIXES == {
        "json": ".json",
        "timelinejs": ".json",
        "markdown": ".md",
        "csv": ".csv",
        "ics": ".ics",
    }
    assert FORMATS == ("json", "timelinejs", "markdown", "csv", "ics")
    assert exporter("json") is export_json
    assert exporter("timelinejs") is export_timelinejs
    assert exporter("markdown") is export_markdown
    assert exporter("csv") is export_csv
    assert exporter("ics") is export_ics
    for fmt in FORMATS:
        assert export_text(TIMELINE, fmt) == exporter(fmt)(TIMELINE)


def test_exports_are_deterministic() -> None:
    for fmt in FORMATS:
        assert export_text(TIMELINE, fmt) == export_text(TIMELINE, fmt), fmt


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown export format 'pdf'"):
        export_text(TIMELINE, "pdf")


def test_empty_timeline_exports() -> None:
    empty = Timeline("Empty", (), ())
    for fmt in FORMATS:
        assert export_text(empty, fmt)
    assert json.loads(export_text(empty, "json")) == {"title": "Empty", "events": []}
    assert list(csv.DictReader(io.StringIO(export_text(empty, "csv"), newline=""))) == []


def imported_after(code: str) -> str:
    """What ``code``, run in a fresh interpreter on this checkout, prints."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    return out.stdout.strip()


def test_export_package_does_not_import_the_ui() -> None:
    code = (
        "import sys, citeline.export, citeline.export.atomic\n"
        "import citeline.export.json_doc as j\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(bad)\n"
    )
    assert imported_after(code) == "[]"


def test_writing_a_file_imports_no_exporter_and_no_openssl() -> None:
    # (the cache is written with write_atomic: the iCalendar exporter alone costs 30 ms,
    # secrets and its OpenSSL bindings 4)
    code = (
        "import sys, citeline.export.atomic\n"
        "print(sorted(m for m in sys.modules if m.startswith('citeline.export.')"
        " or m.split('.')[0] in ('icalendar', 'secrets', 'hmac', '_hashlib')))\n"
    )
    assert imported_after(code) == "['citeline.export.atomic']"


# ---------------------------------------------------------------------------
# JSON


def test_json_shape_and_passages() -> None:
    text = export_text(TIMELINE, "json")
    assert text.endswith("}\n")
    assert "naïve café" in text  # not \u-escaped
    doc = json.loads(text)
    assert doc["title"] == TIMELINE.title
    assert [e["id"] for e in doc["events"]] == [e.id for e in EVENTS]
    sources = {s.id: s for s in TIMELINE.sources}
    for item, original in zip(doc["events"], EVENTS, strict=True):
        assert set(item) == {
            "id", "title", "date", "place", "participants", "tags", "summary", "passages",
        }  # fmt: skip
        assert item["title"] == original.title
        assert item["summary"] == original.summary
        assert item["place"] == original.place
        assert item["participants"] == list(original.participants)
        assert item["tags"] == list(original.tags)
        start, end, precision = ISO_ENDS[original.id]
        assert item["date"] == {
            "start": start,
            "end": end,
            "precision": precision,
            "qualifier": original.date.qualifier,
            "display": format_date(original.date),
        }
        assert len(item["passages"]) == len(original.passages)
        for got, passage in zip(item["passages"], original.passages, strict=True):
            source = sources[got["source"]]
            assert got["source"] == passage.source_id
            assert got["file"] == source.file
            assert got["text"] == source.text[got["start"] : got["end"]] == passage.text
            assert (got["line"], got["column"]) == source.line_col(got["start"])
            assert got["note"] == passage.note
    assert doc["events"][0]["date"]["qualifier"] == "?"
    assert doc["events"][2]["passages"][2]["note"] == "see *also* & <b>"


def test_event_to_dict_matches_document() -> None:
    doc = timeline_to_dict(TIMELINE)
    for index, e in enumerate(EVENTS):
        assert event_to_dict(e, TIMELINE) == doc["events"][index]
    json.dumps(doc)  # plain data only


def test_json_rejects_a_passage_of_an_unknown_source() -> None:
    broken = Timeline("Broken", (BY_ID["strike"],), (SOURCE_A,))
    with pytest.raises(ValueError, match="unknown source 'notes'"):
        export_text(broken, "json")


# ---------------------------------------------------------------------------
# TimelineJS


class _SlideHTML(HTMLParser):
    """Collects the tags used and the text inside paragraphs, quotes and cites."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.stack: list[str] = []
        self.chunks: list[tuple[tuple[str, ...], str]] = []
        self.joined = False  # whether the next text continues the last chunk

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        assert not attrs
        if tag != "br":
            self.stack.append(tag)
            self.joined = False
        else:
            assert self.chunks and self.joined
            path, text = self.chunks[-1]
            self.chunks[-1] = (path, text + "\n")

    def handle_endtag(self, tag: str) -> None:
        assert self.stack.pop() == tag
        self.joined = False

    def handle_data(self, data: str) -> None:
        path = tuple(self.stack)
        if self.joined and self.chunks[-1][0] == path:
            self.chunks[-1] = (path, self.chunks[-1][1] + data)
        else:
            self.chunks.append((path, data))
        self.joined = True


def test_timelinejs_document() -> None:
    text = export_text(TIMELINE, "timelinejs")
    assert "<script>" not in text and "<b>" not in text and "<law>" not in text
    doc = json.loads(text)
    assert doc["title"]["text"]["headline"] == html.escape(TIMELINE.title)
    assert html.unescape(doc["title"]["text"]["headline"]) == TIMELINE.title
    assert len(doc["events"]) == len(EVENTS)
    for slide, original in zip(doc["events"], EVENTS, strict=True):
        assert slide["unique_id"] == original.id
        assert html.unescape(slide["text"]["headline"]) == original.title
        assert html.unescape(slide["display_date"]) == format_date(original.date)
        if original.tags:
            assert html.unescape(slide["group"]) == original.tags[0]
        else:
            assert "group" not in slide


def _parts(year: int, month: int | None = None, day: int | None = None) -> dict[str, int]:
    parts = {"year": year}
    if month is not None:
        parts["month"] = month
    if day is not None:
        parts["day"] = day
    return parts


def test_timelinejs_date_parts_follow_precision() -> None:
    slides = {s["unique_id"]: s for s in json.loads(export_text(TIMELINE, "timelinejs"))["events"]}
    expected = {
        "year-uncertain": (_parts(2021), None),
        "winter": (_parts(2021, 11), _parts(2022, 2)),
        "vote": (_parts(2022, 2, 4), None),
        "open-end": (_parts(2022, 5), None),
        "approx": (_parts(2023, 2), None),
        "strike": (_parts(2023, 3, 20), _parts(2023, 3, 22)),
        "open-start": (_parts(2023, 3, 15), None),  # the known end stands in as start
        "leap": (_parts(2024, 2), None),
    }
    for event_id, (start, end) in expected.items():
        slide = slides[event_id]
        assert slide["start_date"] == start, event_id
        assert all(type(v) is int for v in slide["start_date"].values())
        if end is None:
            assert "end_date" not in slide, event_id
        else:
            assert slide["end_date"] == end, event_id
    assert slides["open-start"]["display_date"].startswith("until ")
    assert slides["open-end"]["display_date"].startswith("from ")


def test_timelinejs_text_is_escaped_html_with_quotes() -> None:
    slides = {s["unique_id"]: s for s in json.loads(export_text(TIMELINE, "timelinejs"))["events"]}
    for e in EVENTS:
        parser = _SlideHTML()
        parser.feed(slides[e.id]["text"]["text"])
        parser.close()
        assert set(parser.tags) <= {"p", "br", "blockquote", "cite"}
        assert parser.tags.count("blockquote") == len(e.passages)
        summaries = [text for path, text in parser.chunks if path == ("p",)]
        assert summaries == ([e.summary] if e.summary else [])
        quotes = [text for path, text in parser.chunks if path == ("blockquote", "p")]
        cites = [text for path, text in parser.chunks if path == ("blockquote", "cite")]
        expected_quotes = []
        for p in e.passages:
            expected_quotes.append(p.text)
            if p.note:
                expected_quotes.append(p.note)
        assert quotes == expected_quotes
        for cite, p in zip(cites, e.passages, strict=True):
            source = TIMELINE.source(p.source_id)
            assert source is not None
            assert cite == f"{source.title}, {source.file}:{p.line}"


# ---------------------------------------------------------------------------
# CSV


def test_csv_round_trips() -> None:
    text = export_text(TIMELINE, "csv")
    header = "id,title,start,end,precision,place,participants,tags,summary,sources\r\n"
    assert text.startswith(header)
    assert text.endswith("\r\n")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == len(EVENTS)
    for row, e in zip(rows, EVENTS, strict=True):
        start, end, precision = ISO_ENDS[e.id]
        assert row == {
            "id": e.id,
            "title": e.title,
            "start": start or "",
            "end": end or "",
            "precision": precision,
            "place": e.place or "",
            "participants": "\n".join(e.participants),
            "tags": "\n".join(e.tags),
            "summary": e.summary,
            "sources": "\n".join(dict.fromkeys(p.source_id for p in e.passages)),
        }
    vote = rows[2]
    assert vote["sources"].splitlines() == ["gazette", "notes"]
    # an item holding what a separator such as "; " would be reads back whole
    assert vote["participants"].splitlines() == ["Mayor O'Brien", "Council; all"]
    assert vote["summary"].count("\n") == 3 and '"after debate"' in vote["summary"]
    assert vote["place"] == "Town Hall, Room 1; east <b>"


# ---------------------------------------------------------------------------
# iCalendar


def _calendar() -> tuple[str, icalendar.Calendar]:
    text = export_text(TIMELINE, "ics")
    return text, icalendar.Calendar.from_ical(text)


def test_ics_is_crlf_and_folded() -> None:
    text, _ = _calendar()
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
    assert any(line.startswith(" ") for line in text.split("\r\n"))  # something was folded
    assert "DTSTART;VALUE=DATE:20220204\r\n" in text


def test_ics_calendar_properties() -> None:
    _, cal = _calendar()
    assert str(cal["PRODID"]) == "-//citeline//citeline 0.1//EN"
    assert str(cal["VERSION"]) == "2.0"
    raw = cal["X-WR-CALNAME"].to_ical().decode()  # an X- property: read back unparsed
    assert raw == r"Town <History> & *Notes*\, 2021–2024"
    name = re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], raw)
    assert name == TIMELINE.title


def test_ics_events_dates_and_fields() -> None:
    _, cal = _calendar()
    vevents = list(cal.walk("VEVENT"))
    assert len(vevents) == len(EVENTS)
    for vevent, e in zip(vevents, EVENTS, strict=True):
        assert str(vevent["UID"]) == f"{e.id}@citeline"
        start, end = vevent.decoded("DTSTART"), vevent.decoded("DTEND")
        assert type(start) is dt.date and type(end) is dt.date
        assert vevent["DTSTART"].params["VALUE"] == "DATE"
        assert (start, end) == ICS_DAYS[e.id], e.id
        assert str(vevent["SUMMARY"]) == e.title
        assert vevent.decoded("DTSTAMP") == vevents[0].decoded("DTSTAMP")
        if e.place:
            assert str(vevent["LOCATION"]) == e.place
        else:
            assert "LOCATION" not in vevent
        if e.tags:
            assert [str(c) for c in vevent["CATEGORIES"].cats] == list(e.tags)
        else:
            assert "CATEGORIES" not in vevent
        description = str(vevent["DESCRIPTION"])
        assert e.summary.strip() in description
        for p in e.passages:
            source = TIMELINE.source(p.source_id)
            assert source is not None
            assert p.text in description
            assert f"{source.title}, {source.file}:{p.line}" in description
        assert ("open-ended" in description) == (e.id in {"open-end", "open-start"})


def _uids(timeline: Timeline) -> list[str]:
    calendar = icalendar.Calendar.from_ical(export_text(timeline, "ics"))
    return [str(v["UID"]) for v in calendar.walk("VEVENT")]


def test_ics_uids_stable_across_exports() -> None:
    first = _uids(TIMELINE)
    assert first == _uids(TIMELINE)
    reordered = Timeline(TIMELINE.title, tuple(reversed(EVENTS)), TIMELINE.sources)
    assert _uids(reordered) == list(reversed(first))
    assert len(set(first)) == len(first)


# ---------------------------------------------------------------------------
# Markdown


def _markdown_tokens(text: str) -> list[Token]:
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(footnote_plugin)
    return md.parse(text)


def _plain(inline: Token) -> str:
    """The text of an inline token, failing on any markup in it."""
    out = []
    for child in inline.children or []:
        if child.type == "text":
            out.append(child.content)
        elif child.type == "softbreak":
            out.append("\n")
        elif child.type != "footnote_ref":
            raise AssertionError(f"unexpected {child.type} in {inline.content!r}")
    return "".join(out)


def _lines(text: str) -> str:
    """Text as the report shows it: each line stripped, blank lines dropped."""
    return "\n".join(line.strip() for line in text.strip("\n").split("\n") if line.strip())


def test_markdown_renders_data_literally() -> None:
    tokens = _markdown_tokens(export_markdown_text())
    assert not [t for t in tokens if t.type in {"html_block", "code_block", "fence", "hr"}]
    assert not [t for t in tokens if t.type in {"bullet_list_open", "ordered_list_open"}]
    headings: dict[str, list[str]] = {"h1": [], "h2": []}
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            headings[token.tag].append(_plain(tokens[index + 1]))
    assert headings["h1"] == [TIMELINE.title]
    assert headings["h2"] == [e.title for e in EVENTS]


def export_markdown_text() -> str:
    return export_text(TIMELINE, "markdown")


def _sections(tokens: list[Token]) -> list[list[Token]]:
    """The tokens of each ``##`` section, up to the footnote block."""
    sections: list[list[Token]] = []
    for token in tokens:
        if token.type == "footnote_block_open":
            break
        if token.type == "heading_open" and token.tag == "h2":
            sections.append([])
        elif sections:
            sections[-1].append(token)
    return sections


def test_markdown_sections_have_date_summary_and_quotes() -> None:
    tokens = _markdown_tokens(export_markdown_text())
    sections = _sections(tokens)
    assert len(sections) == len(EVENTS)
    for section, e in zip(sections, EVENTS, strict=True):
        paragraphs: list[tuple[bool, Token]] = []
        depth = 0
        for token in section[2:]:  # after the heading's inline and heading_close
            depth += {"blockquote_open": 1, "blockquote_close": -1}.get(token.type, 0)
            if token.type == "inline":
                paragraphs.append((depth > 0, token))
        date_line = paragraphs[0][1]
        kinds = [c.type for c in date_line.children or []]
        assert kinds[0] == "em_open" and kinds[-1] == "em_close"
        when = _plain(Token("inline", "", 0, children=date_line.children[1:-1]))
        assert when == format_date(e.date) + (f" · {e.place}" if e.place else "")
        body = [(quoted, _plain(t)) for quoted, t in paragraphs[1:]]
        expected = [(False, _lines(e.summary))] if e.summary.strip() else []
        expected += [(True, _lines(p.text)) for p in e.passages]
        assert body == expected, e.id


def test_markdown_footnotes_match_references() -> None:
    text = export_markdown_text()
    tokens = _markdown_tokens(text)
    refs = [
        c.meta["id"]
        for t in tokens
        if t.type == "inline"
        for c in t.children or []
        if c.type == "footnote_ref"
    ]
    defs = [t.meta["id"] for t in tokens if t.type == "footnote_open"]
    total = sum(len(e.passages) for e in EVENTS)
    assert len(refs) == len(defs) == total
    assert sorted(refs) == sorted(defs) == list(range(total))
    # Every [^n] in the text is a reference with a definition, and vice versa.
    labels = re.findall(r"\[\^(\d+)\](?!:)", text)
    definitions = re.findall(r"^\[\^(\d+)\]: ", text, flags=re.MULTILINE)
    assert labels == definitions == [str(n) for n in range(1, total + 1)]
    passages = [(p, e) for e in EVENTS for p in e.passages]
    notes = [line for line in text.split("\n") if line.startswith("[^")]
    for (p, _), line in zip(passages, notes, strict=True):
        source = TIMELINE.source(p.source_id)
        assert source is not None
        assert f"`{source.file}:{p.line}`" in line
        if source.author:
            assert "(Zoë Ü, Jr.)" in line


def test_markdown_escapes_active_characters() -> None:
    lines = export_markdown_text().split("\n")
    assert lines[0] == r"# Town \<History\> \& \*Notes\*, 2021–2024"
    heading = r'## \*x\* \[y\](z) \<script\>alert("t")\</script\> \& \[bold\]b\[/bold\] \# tail \#'
    assert heading in lines
    assert "<script>" not in "\n".join(lines)
    assert r"\- not a list" in lines and r"1\. not a list either" in lines
    start = lines.index(
        r"> Indented line with \<script\>alert(1)\</script\> \& \[bold\]markup\[/bold\]."
    )
    assert lines[start + 1 : start + 3] == [r"> \* starred line", r"> 1\. numbered line[^4]"]


# ---------------------------------------------------------------------------
# Atomic writes


def _listing(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def test_write_atomic_writes_bytes_exactly(tmp_path: Path) -> None:
    target = tmp_path / "out.ics"
    text = "BEGIN:X\r\nnaïve\r\nlone\nline\r\n"
    write_atomic(target, text)
    assert target.read_bytes() == text.encode("utf-8")
    assert _listing(tmp_path) == ["out.ics"]


def test_write_atomic_replaces_whole_and_keeps_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    target.write_text("old content that is longer than the new one\n" * 10)
    target.chmod(0o640)
    write_atomic(target, "new\n")
    assert target.read_text() == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert _listing(tmp_path) == ["out.md"]


def test_write_atomic_new_file_follows_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_atomic(tmp_path / "new.csv", "a,b\r\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.csv").stat().st_mode) == 0o640


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_write_atomic_failure_leaves_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    target = tmp_path / "out.json"
    target.write_text("old\n")

    def boom(*args: object) -> None:
        raise OSError("disk on fire")

    monkeypatch.setattr(os, failing, boom)
    with pytest.raises(OSError, match="disk on fire"):
        write_atomic(target, "new\n" * 1000)
    monkeypatch.undo()
    assert target.read_text() == "old\n"
    assert _listing(tmp_path) == ["out.json"]


def test_write_atomic_interrupted_mid_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old\n")
    real_fdopen = os.fdopen

    class Interrupting(io.RawIOBase):
        def __init__(self, fd: int) -> None:
            self.inner = real_fdopen(fd, "wb")

        def write(self, data: object) -> int:
            self.inner.write(b"partial")
            self.inner.flush()
            raise KeyboardInterrupt

        def fileno(self) -> int:
            return self.inner.fileno()

        def close(self) -> None:
            self.inner.close()
            super().close()

    monkeypatch.setattr(os, "fdopen", lambda fd, mode: Interrupting(fd))
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "new\n")
    monkeypatch.undo()
    assert target.read_text() == "old\n"
    assert _listing(tmp_path) == ["out.csv"]


def test_write_atomic_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_atomic(tmp_path / "missing" / "out.md", "x")
    assert _listing(tmp_path) == []


def test_write_atomic_follows_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_text("old\n")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    write_atomic(link, "new\n")
    assert link.is_symlink()
    assert real.read_text() == "new\n"


def test_every_format_writes_atomically(tmp_path: Path) -> None:
    for fmt, suffix in SUFFIXES.items():
        target = tmp_path / f"{fmt}{suffix}"
        text = export_text(TIMELINE, fmt)
        write_atomic(target, text)
        assert target.read_bytes() == text.encode("utf-8")


# ---------------------------------------------------------------------------
# Control characters: placeholders in every text format, kept exactly in JSON

HOSTILE = "a\x1b]0;pwned\x07b\x1b[2Jc\rd\x7fe\x9bf\u202eg"
HOSTILE_SOURCE = make_source("hostile", "sources/h\x1b[31m.txt", "Src \x1b[1m", HOSTILE, None)
HOSTILE_PASSAGE = quote(HOSTILE_SOURCE, HOSTILE, note="n\x1b[5mote")
HOSTILE_TIMELINE = Timeline(
    "T\x1b]2;title\x07",
    (
        event(
            "hostile",
            "Title \x1b[31mred",
            single(2022, 2, 4),
            HOSTILE_PASSAGE,
            summary="line one \x1b[2J\nline two \x07",
            place="Pl\x1bace",
            participants=("P\x1b1",),
            tags=("t\x1bag",),
        ),
    ),
    (HOSTILE_SOURCE,),
)
#: What no text export may contain: C0 controls but line ends, DEL, C1, bidi overrides.
UNSAFE = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize("fmt", ["markdown", "csv", "ics"])
def test_text_exports_show_control_characters_as_placeholders(fmt: str) -> None:
    text = export_text(HOSTILE_TIMELINE, fmt)
    assert not UNSAFE.search(text), UNSAFE.findall(text)
    assert "\r" not in text.replace("\r\n", "")  # only line ends
    assert "␛" in text  # shown, not dropped
    assert "␛[31mred" in text.replace("\\", "")  # (Markdown escapes the bracket)


def test_json_keeps_control_characters_exactly() -> None:
    document = json.loads(export_text(HOSTILE_TIMELINE, "json"))
    assert json.dumps(document).count("\\u001b") >= 5
    back = document["events"][0]
    assert back["title"] == "Title \x1b[31mred"
    assert back["passages"][0]["text"] == HOSTILE


@pytest.mark.parametrize("fmt", ["json", "timelinejs"])
def test_json_exports_escape_what_a_terminal_would_obey(fmt: str) -> None:
    text = export_text(HOSTILE_TIMELINE, fmt)
    assert not UNSAFE.search(text), UNSAFE.findall(text)
    for escaped in ("\\u001b", "\\u007f", "\\u009b", "\\u202e"):
        assert escaped in text
    assert "naïve" in export_text(TIMELINE, fmt)  # the rest stays as it is, in UTF-8


def test_json_export_is_the_document_list_prints() -> None:
    from citeline.cli import terminal_safe_json

    listed = terminal_safe_json(timeline_to_dict(HOSTILE_TIMELINE), io.StringIO())
    assert export_text(HOSTILE_TIMELINE, "json") == listed


def test_csv_values_read_back_as_the_browser_shows_them() -> None:
    from citeline.sanitize import one_line, visible

    rows = list(csv.DictReader(io.StringIO(export_text(HOSTILE_TIMELINE, "csv"), newline="")))
    (row,) = rows
    hostile = HOSTILE_TIMELINE.events[0]
    assert row["title"] == one_line(hostile.title)
    assert row["summary"] == visible(hostile.summary)
    assert row["tags"] == one_line(hostile.tags[0])


def test_csv_cells_a_spreadsheet_would_run_are_written_as_text() -> None:
    formulas = event(
        "formulas",
        '=HYPERLINK("http://example.invalid","open")',
        single(2022, 2, 4),
        P_LAST,
        summary="+1 and more",
        place="@home",
        participants=("-x", "=y"),
        tags=("a=b",),
    )
    timeline = Timeline("T", (formulas,), (SOURCE_A, SOURCE_B))
    (row,) = csv.DictReader(io.StringIO(export_text(timeline, "csv"), newline=""))
    assert row["title"] == '\'=HYPERLINK("http://example.invalid","open")'
    assert row["summary"] == "'+1 and more"
    assert row["place"] == "'@home"
    # only the start of a cell counts: the second item is not at one
    assert row["participants"] == "'-x\n=y"
    assert row["tags"] == "a=b"
    assert row["start"] == "2022-02-04"


#: What a one-line field may hold that a reader would take for a line end: NEL, the
#: C0 line and separator controls, and the Unicode line and paragraph separators.
LINE_CONTROLS = "a\x85b\x0bc\x0cd\re\x1cf\x1dg\x1eh\x1fi\u2028j\u2029k"


def test_markdown_one_line_fields_show_line_controls_as_the_browser_does() -> None:
    from citeline.sanitize import one_line

    shown = one_line(LINE_CONTROLS)  # NEL a placeholder, as a C1 control; LS and PS spaces
    assert shown == "a\ufffdb␋c␌d␍e␜f␝g␞h␟i j k"
    source = make_source("lines", "l.txt", f"Src {LINE_CONTROLS}", "The text.", f"{LINE_CONTROLS}")
    passage = quote(source, "The text.", note=f"Note {LINE_CONTROLS}")
    timeline = Timeline(
        f"T {LINE_CONTROLS}",
        (event("lines", f"Title {LINE_CONTROLS}", single(2022), passage, place=LINE_CONTROLS),),
        (source,),
    )
    text = export_text(timeline, "markdown")
    assert text.split("\n")[:6] == [
        f"# T {shown}", "", f"## Title {shown}", "", f"*2022 · {shown}*", ""
    ]
    assert text.split("\n")[-2] == f"[^1]: Src {shown} ({shown}), `l.txt:1` — Note {shown}"
    tokens = _markdown_tokens(text)
    headings = [_plain(tokens[i + 1]) for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings == [f"T {shown}", f"Title {shown}"]


@pytest.mark.parametrize(
    ("date", "first", "days"),
    [
        (single(9999), dt.date(9999, 1, 1), 365),
        (single(9999, 12, 31), dt.date(9999, 12, 31), 1),
        (interval(None, PartialDate(9999)), dt.date(9999, 12, 31), 1),
        (interval(PartialDate(9998, 12), PartialDate(9999, 12)), dt.date(9998, 12, 1), 396),
    ],
)
def test_ics_an_event_ending_on_the_last_date_there_is(
    date: EventDate, first: dt.date, days: int
) -> None:
    # its exclusive end would be 1 Jan 10000: a DURATION in days says the same
    timeline = Timeline("T", (event("last", "Last", date, P_LAST),), (SOURCE_A, SOURCE_B))
    text = export_text(timeline, "ics")
    (vevent,) = icalendar.Calendar.from_ical(text).walk("VEVENT")
    assert vevent.decoded("DTSTART") == first
    assert "DTEND" not in vevent
    assert f"DURATION:P{days}D\r\n" in text
    assert vevent.decoded("DURATION") == dt.timedelta(days=days)


def test_write_atomic_writes_into_a_named_pipe(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # (so that opening to write won't wait)
    try:
        write_atomic(fifo, "a,b\r\n")
        assert os.read(reader, 100) == b"a,b\r\n"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # still the pipe, not a file in its place
    assert _listing(tmp_path) == ["pipe"]


def _read_line(fd: int, timeout: float = 5.0) -> bytes:
    """What a terminal's other end shows, up to its first newline: the bytes may come
    in more than one read."""
    import select

    data = b""
    while not data.endswith(b"\n") and select.select([fd], [], [], timeout)[0]:
        data += os.read(fd, 100)
    return data


def test_write_atomic_writes_into_a_device(tmp_path: Path) -> None:
    if not hasattr(os, "openpty"):
        pytest.skip("needs a pseudo-terminal")
    main, terminal = os.openpty()  # a character device of our own (not /dev/null)
    try:
        link = tmp_path / "tty"
        link.symlink_to(os.ttyname(terminal))
        write_atomic(link, "shown\n")
        assert _read_line(main).replace(b"\r\n", b"\n") == b"shown\n"
        assert stat.S_ISCHR(os.stat(link).st_mode)
    finally:
        os.close(main)
        os.close(terminal)
    assert _listing(tmp_path) == ["tty"]


def test_write_atomic_into_a_folder_is_still_an_error(tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    with pytest.raises(IsADirectoryError):
        write_atomic(tmp_path / "folder", "x")
    assert _listing(tmp_path) == ["folder"]


def test_a_source_missing_for_now_is_still_the_timelines_own(tmp_path: Path) -> None:
    from citeline.export.own_files import own_file
    from citeline.model import Source

    notes = tmp_path / "notes.md"  # declared, not there (deleted, being rewritten)
    timeline = Timeline("Notes", (), (Source("notes", "notes.md", notes, "Notes", "x"),))
    events = tmp_path / "events.yaml"
    assert own_file(str(notes), timeline, events) == "the timeline's source 'notes'"
    assert own_file(str(tmp_path / "sub" / ".." / "notes.md"), timeline, events) is not None
    assert own_file(str(events), timeline, events) == "the timeline's events file"
    assert own_file(str(tmp_path / "other.md"), timeline, events) is None
    assert own_file("a\0b", timeline, events) is None
