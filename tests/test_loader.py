"""Tests for citeline.loader: every diagnostic, placed, and the timeline it builds."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from citeline import loader, source_files
from citeline.diagnostics import Severity, TimelineError
from citeline.loader import LoadResult, load, load_timeline
from citeline.model import PartialDate
from citeline.timeline_path import bundled_events

REPO = Path(__file__).resolve().parents[1]

GAZETTE = (
    "On 4 February 2022 the council voted 5–4 on the harbour.\n"
    "The mayor said “we will rebuild”; the mayor said it twice.\n"
    "Later the council voted again.\n"
)

VALID = """\
title: Test timeline
sources:
  - id: gazette
    file: gazette.txt
    title: The Gazette
events:
  - id: council-vote
    title: The council votes
    date: "2022-02-04"
    summary: The council voted.
    passages:
      - source: gazette
        quote: the council voted 5-4
"""


def write(folder: Path, events: str, files: dict[str, str | bytes] | None = None) -> Path:
    """Write an events file (dedented) and its sources; return the events path."""
    files = {"gazette.txt": GAZETTE} if files is None else files
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
    events_path = folder / "events.yaml"
    events_path.write_text(textwrap.dedent(events), encoding="utf-8", newline="")
    return events_path


def run(folder: Path, events: str, files: dict[str, str | bytes] | None = None) -> LoadResult:
    return load(write(folder, events, files), "events.yaml")


def lines(result: LoadResult) -> list[str]:
    return [str(d) for d in result.diagnostics]


def event_yaml(body: str, head: str = "") -> str:
    """A timeline with the gazette source and the given events (YAML text)."""
    return (
        "title: Test timeline\n"
        "sources:\n"
        "  - id: gazette\n"
        "    file: gazette.txt\n"
        "    title: The Gazette\n"
        + head
        + "events:\n"
        + textwrap.indent(textwrap.dedent(body), "  ")
    )


# ---------------------------------------------------------------------------
# The valid case


class TestValid:
    def test_loads(self, tmp_path: Path) -> None:
        result = run(tmp_path, VALID)
        assert result.diagnostics == ()
        timeline = result.timeline
        assert timeline is not None
        assert timeline.title == "Test timeline"
        assert [e.id for e in timeline.events] == ["council-vote"]
        assert result.source_paths == (tmp_path / "gazette.txt",)
        assert not result.unreadable

    def test_passage_knows_span_line_and_column(self, tmp_path: Path) -> None:
        timeline = load_timeline(write(tmp_path, VALID))
        (passage,) = timeline.events[0].passages
        assert passage.text == "the council voted 5–4"
        assert GAZETTE[passage.start : passage.end] == passage.text
        assert (passage.line, passage.column) == (1, 20)

    def test_passage_on_a_later_line(self, tmp_path: Path) -> None:
        text = VALID.replace("the council voted 5-4", "Later the council")
        (passage,) = load_timeline(write(tmp_path, text)).events[0].passages
        assert (passage.line, passage.column) == (3, 1)

    def test_load_timeline_raises_with_every_diagnostic(self, tmp_path: Path) -> None:
        path = write(tmp_path, VALID.replace('"2022-02-04"', '"2022-02-30"'))
        with pytest.raises(TimelineError) as raised:
            load_timeline(path)
        assert len(raised.value.diagnostics) == 1
        assert "not a calendar date" in str(raised.value)

    def test_crlf_and_bom_in_sources(self, tmp_path: Path) -> None:
        raw = "\ufeffFirst line.\r\nOn 4 February 2022 the council voted 5–4.\r\nEnd.\r\n"
        result = run(tmp_path, VALID, {"gazette.txt": raw.encode("utf-8")})
        assert result.diagnostics == ()
        assert result.timeline is not None
        source = result.timeline.sources[0]
        assert "\r" not in source.text and not source.text.startswith("\ufeff")
        (passage,) = result.timeline.events[0].passages
        assert (passage.line, passage.column) == (2, 20)
        assert source.text[passage.start : passage.end] == "the council voted 5–4"

    def test_lone_cr_newlines_in_a_source(self, tmp_path: Path) -> None:
        raw = "First.\rthe council voted 5-4\r"
        result = run(tmp_path, VALID, {"gazette.txt": raw})
        assert result.timeline is not None
        assert result.timeline.events[0].passages[0].line == 2

    def test_crlf_and_bom_in_events_file(self, tmp_path: Path) -> None:
        path = tmp_path / "events.yaml"
        (tmp_path / "gazette.txt").write_text(GAZETTE, encoding="utf-8")
        path.write_bytes(("\ufeff" + VALID.replace("\n", "\r\n")).encode("utf-8"))
        result = load(path, "events.yaml")
        assert result.diagnostics == ()
        broken = VALID.replace('"2022-02-04"', '"2022-13-04"').replace("\n", "\r\n")
        path.write_bytes(("\ufeff" + broken).encode("utf-8"))
        assert lines(load(path, "events.yaml")) == [
            "events.yaml:9:17: error: 2022-13-04 is not a calendar date: months run from 01 to 12"
        ]

    def test_display_name_names_sources_relative_to_it(self, tmp_path: Path) -> None:
        text = VALID.replace("gazette.txt", "texts/gazette.txt").replace(
            "the council voted 5-4", "the council voted 6-4"
        )
        path = write(tmp_path, text, {"texts/gazette.txt": GAZETTE})
        result = load(path, "project/events.yaml")
        assert lines(result) == [
            "project/events.yaml:13:16: error: quote not found in project/texts/gazette.txt;"
            " closest: project/texts/gazette.txt:1:20 'the council voted 5–4'"
            " (copy the exact words from the source)"
        ]

    def test_optional_fields(self, tmp_path: Path) -> None:
        text = event_yaml(
            """\
              - id: council-vote
                title: The council votes
                date: 4 Feb 2022
                place: Town hall
                participants: [The mayor, The council]
                tags: [vote]
                summary: The council voted.
                passages:
                  - source: gazette
                    quote: the council voted 5-4
                    note: The margin was one vote.
            """
        )
        timeline = load_timeline(write(tmp_path, text))
        event = timeline.events[0]
        assert event.place == "Town hall"
        assert event.participants == ("The mayor", "The council")
        assert event.tags == ("vote",)
        assert event.passages[0].note == "The margin was one vote."
        assert event.date.start == PartialDate(2022, 2, 4)


class TestOrder:
    def test_events_sort_by_start_then_end_ties_in_file_order(self, tmp_path: Path) -> None:
        def event(ident: str, date: str) -> str:
            return (
                f"  - id: {ident}\n    title: T\n    date: '{date}'\n    summary: S\n"
                "    passages:\n      - source: gazette\n        quote: the harbour\n"
            )

        body = "".join(
            event(i, d)
            for i, d in [
                ("late", "2023"),
                ("long", "2022-01/2022-12"),
                ("tie-b", "2022-03-01"),
                ("short", "2022-01-01/2022-01-31"),
                ("tie-a", "2022-03-01"),
                ("month", "2022-01"),
                ("open", "2022-01-01/.."),
            ]
        )
        text = event_yaml("") + body
        timeline = load_timeline(write(tmp_path, text))
        assert [e.id for e in timeline.events] == [
            "short",  # Jan 1 - Jan 31, given first of the two equal ones
            "month",  # Jan 1 - Jan 31, file order breaks the tie
            "long",  # Jan 1 - Dec 31
            "open",  # Jan 1 - open end sorts last of those starting then
            "tie-b",
            "tie-a",
            "late",
        ]


class TestEventsCheckedAsTheyAreRead:
    """The events that follow the sources are checked as the file is read."""

    @staticmethod
    def events(count: int, bad: bool = False) -> str:
        return "".join(
            f"  - id: e{n}\n    title: T\n    date: '2022-03-{1 + n % 28:02d}'\n"
            "    summary: S\n    passages:\n      - source: gazette\n"
            f"        quote: {'not in the gazette' if bad else 'the harbour'}\n"
            for n in range(count)
        )

    def test_sources_after_the_events_give_the_same_timeline(self, tmp_path: Path) -> None:
        first = load_timeline(write(tmp_path / "a", event_yaml("") + self.events(40)))
        text = event_yaml("") + self.events(40)
        sources = text[text.index("sources:") : text.index("events:")]
        last = load_timeline(write(tmp_path / "b", text.replace(sources, "") + sources))
        assert [e.id for e in first.events] == [e.id for e in last.events]
        assert [e.passages for e in first.events] == [e.passages for e in last.events]

    def test_the_list_of_events_is_never_held_whole(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from citeline import yaml_reader

        left: list[int] = []
        real = yaml_reader.read_yaml

        def reading(*args, **kwargs):  # type: ignore[no-untyped-def]
            read = real(*args, **kwargs)
            left.append(len(read.root.value["events"].value.value))
            return read

        monkeypatch.setattr(yaml_reader, "read_yaml", reading)
        timeline = load_timeline(write(tmp_path, event_yaml("") + self.events(40)))
        assert len(timeline.events) == 40
        assert left == [0]  # each event was checked, and its nodes let go, as it was read

    def test_a_yaml_error_after_bad_events_is_all_that_is_said(self, tmp_path: Path) -> None:
        text = event_yaml("") + self.events(5, bad=True) + "  - id: [unclosed\n"
        result = run(tmp_path, text)
        assert result.timeline is None
        (line,) = lines(result)
        assert line.startswith("events.yaml:") and "YAML syntax" in line
        assert result.source_paths == ()

    def test_the_yamls_own_problems_are_shown_past_the_cap(self, tmp_path: Path) -> None:
        text = event_yaml("") + self.events(1200, bad=True) + "title: again\n"
        shown = lines(run(tmp_path, text))
        assert len(shown) == 1001
        assert "duplicate key 'title'" in shown[-2]  # the last line, sorted by place
        assert shown[-1].startswith("events.yaml: error: 201 more problems are not shown")
        assert run(tmp_path, text).counts == (1201, 0)

    def test_problems_past_the_cap_are_counted(self, tmp_path: Path) -> None:
        # two errors an event: 1,000 shown, 2,000 counted, and the note is neither
        text = event_yaml("") + self.events(1500, bad=True).replace("'2022-03-", "'2022-02-3")
        result = run(tmp_path, text)
        assert len(result.diagnostics) == 1001
        assert str(result.diagnostics[-1]).startswith(
            "events.yaml: error: 2,000 more problems are not shown"
        )
        assert result.unshown == (2000, 0)
        assert result.counts == (3000, 0)

    def test_warnings_past_the_cap_are_counted_from_the_cache(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
        spare = "".join(
            f"  - id: spare-{n}\n    file: gazette.txt\n    title: S\n" for n in range(1200)
        )
        text = event_yaml("", head=spare) + self.events(1)
        events = write(tmp_path, text)
        fresh = load(events, "events.yaml", use_cache=True)
        assert fresh.timeline is not None and fresh.counts == (0, 1200)
        assert str(fresh.diagnostics[-1]).startswith("events.yaml: warning: 200 more problems")
        loader.remember(events, fresh, "events.yaml")
        cached = load(events, "events.yaml", use_cache=True)
        assert cached.from_cache
        assert cached.diagnostics == fresh.diagnostics
        assert cached.counts == (0, 1200)


# ---------------------------------------------------------------------------
# The YAML itself


class TestYamlProblems:
    def test_syntax_error(self, tmp_path: Path) -> None:
        result = run(tmp_path, "title: a\n  sources: b\n")
        assert lines(result) == [
            "events.yaml:2:10: error: YAML syntax: mapping values are not allowed in this context;"
            " check the indentation and quoting here (text with ': ' or '#' in it needs quotes)"
        ]
        assert result.timeline is None

    def test_unclosed_quote(self, tmp_path: Path) -> None:
        result = run(tmp_path, 'title: "open\nsources: []\n')
        assert lines(result) == [
            "events.yaml:1:8: error: YAML syntax: while scanning a quoted scalar, found"
            " unexpected end of stream (it is never closed); check the indentation and quoting"
            " here (text with ': ' or '#' in it needs quotes)"
        ]

    def test_control_character_in_the_yaml_text(self, tmp_path: Path) -> None:
        result = run(tmp_path, "title: ok\nsources: [a\x1b[31m]\n")
        assert lines(result) == [
            "events.yaml:2:12: error: the character U+001B (control character) is not allowed"
            ' in YAML; delete it (inside double quotes it can be written as "\\x1b")'
        ]

    def test_control_character_after_wide_characters(self, tmp_path: Path) -> None:
        result = run(tmp_path, "title: 港口😀\x07\n")
        assert lines(result)[0].startswith("events.yaml:1:11: error: the character U+0007")

    @pytest.mark.parametrize("breaker", ["\u2028", "\u2029", "\x85", "\r"])
    def test_lines_are_counted_as_editors_count_them(self, tmp_path: Path, breaker: str) -> None:
        # YAML also breaks lines at these; the places given must not move.
        text = VALID.replace("title: Test timeline", f"title: \"Test{breaker}timeline\"").replace(
            '"2022-02-04"', '"2022-02-30"'
        )
        assert lines(run(tmp_path, text)) == [
            "events.yaml:9:20: error: 2022-02-30 is not a calendar date: February 2022 has"
            " 28 days"
        ]
        text = VALID.replace("title: Test timeline", f"title: \"Test{breaker}timeline\"").replace(
            '"2022-02-04"', '"2022-02-04'
        )
        assert lines(run(tmp_path, text))[0].startswith("events.yaml:9:11: error: YAML syntax:")

    def test_a_file_with_only_cr_line_ends_is_placed_by_them(self, tmp_path: Path) -> None:
        # Old Mac line ends: editors show each as a line, and so do the places.
        text = VALID.replace('"2022-02-04"', '"2022-02-30"').replace("\n", "\r")
        assert lines(run(tmp_path, text)) == [
            "events.yaml:9:20: error: 2022-02-30 is not a calendar date: February 2022 has"
            " 28 days"
        ]
        raw = VALID.replace("The Gazette", "The Gaz\udcffette").replace("\n", "\r")
        path = tmp_path / "events.yaml"
        path.write_bytes(raw.encode("utf-8", "surrogateescape"))
        assert lines(load(path, "events.yaml"))[0].startswith(
            "events.yaml:5:19: error: the file is not UTF-8 text (byte 0xff here)"
        )

    def test_empty_file(self, tmp_path: Path) -> None:
        assert lines(run(tmp_path, "")) == [
            "events.yaml:1:1: error: the file is empty; expected a mapping with title, sources"
            " and events"
        ]
        assert lines(run(tmp_path, "# only a comment\n\n")) == lines(run(tmp_path, ""))

    def test_top_level_not_a_mapping(self, tmp_path: Path) -> None:
        assert lines(run(tmp_path, "- a\n- b\n")) == [
            "events.yaml:1:1: error: the top level is a list; expected a mapping with title,"
            " sources and events"
        ]
        assert lines(run(tmp_path, "just text\n")) == [
            "events.yaml:1:1: error: the top level is text; expected a mapping with title,"
            " sources and events"
        ]

    def test_duplicate_mapping_keys(self, tmp_path: Path) -> None:
        text = VALID.replace("    title: The council votes\n",
                             "    title: The council votes\n    title: Again\n")
        assert lines(run(tmp_path, text)) == [
            "events.yaml:9:5: error: duplicate key 'title' (first at line 8); keep one of them"
        ]

    def test_key_that_is_a_mapping_or_a_list(self, tmp_path: Path) -> None:
        text = VALID.replace("title: Test timeline\n", "title: Test timeline\n? {a: 1}\n: x\n")
        assert lines(run(tmp_path, text)) == [
            "events.yaml:2:3: error: a mapping key must be plain text, not a mapping;"
            " write a field name before the ':'"
        ]
        text = VALID.replace("title: Test timeline\n", "title: Test timeline\n[a, b]: x\n")
        assert lines(run(tmp_path, text)) == [
            "events.yaml:2:1: error: a mapping key must be plain text, not a list;"
            " write a field name before the ':'"
        ]

    def test_empty_key(self, tmp_path: Path) -> None:
        text = VALID.replace("title: Test timeline\n", 'title: Test timeline\n"": x\n')
        assert lines(run(tmp_path, text)) == [
            "events.yaml:2:1: error: a mapping key is empty; write a field name before the ':'"
        ]

    def test_alias(self, tmp_path: Path) -> None:
        text = VALID.replace("title: Test timeline", "title: &t Test timeline").replace(
            "title: The council votes", "title: *t"
        )
        # the value is reported once, not also as a missing title
        assert lines(run(tmp_path, text)) == [
            "events.yaml:8:12: error: YAML aliases (*t) are not supported; write the value out",
        ]

    def test_tags(self, tmp_path: Path) -> None:
        text = VALID.replace("title: Test timeline", "title: !!python/object:os.system x")
        assert lines(run(tmp_path, text)) == [
            "events.yaml:1:8: error: YAML tags ('!!python/object:os.system') are not supported;"
            " remove it (citeline reads every value as text)"
        ]
        text = VALID.replace('"2022-02-04"', "!!int 2022")
        assert lines(run(tmp_path, text))[0] == (
            "events.yaml:9:11: error: YAML tags ('!!int') are not supported;"
            " remove it (citeline reads every value as text)"
        )

    def test_str_tag_is_allowed(self, tmp_path: Path) -> None:
        text = VALID.replace("title: Test timeline", "title: !!str 2022")
        result = run(tmp_path, text)
        assert result.diagnostics == ()
        assert result.timeline is not None and result.timeline.title == "2022"

    def test_values_stay_text(self, tmp_path: Path) -> None:
        text = VALID.replace("title: Test timeline", "title: 1.50").replace(
            "title: The council votes", "title: yes"
        )
        timeline = load_timeline(write(tmp_path, text))
        assert timeline.title == "1.50"
        assert timeline.events[0].title == "yes"

    def test_second_document(self, tmp_path: Path) -> None:
        assert lines(run(tmp_path, VALID + "---\ntitle: again\n")) == [
            "events.yaml:14:1: error: only one YAML document is allowed; remove this '---'"
        ]

    def test_deep_nesting_stops_reading(self, tmp_path: Path) -> None:
        # (500 levels: under the limit of libyaml's own look-ahead, which newer PyYAML
        # builds meet first at 1,000; tests/test_corpus.py has 10,000)
        assert lines(run(tmp_path, "title: " + "[" * 500 + "]" * 500 + "\n")) == [
            "events.yaml:1:71: error: lists and mappings nested deeper than 64 levels are not"
            " supported (a timeline needs five); remove the extra brackets or indentation"
        ]

    def test_problem_count_is_bounded(self, tmp_path: Path) -> None:
        text = "a: &a x\nb: [" + ", ".join(["*a"] * 500) + "]\n"
        result = run(tmp_path, text)
        assert len(result.diagnostics) == 101
        assert str(result.diagnostics[-1]).endswith(
            "error: stopped reading after 100 problems in the YAML; fix these and run again"
        )


# ---------------------------------------------------------------------------
# Fields


class TestFields:
    def test_wrong_types(self, tmp_path: Path) -> None:
        text = event_yaml(
            """\
              - id: council-vote
                title: [The, council]
                date: [2022]
                summary: {text: x}
                participants: Xi
                tags: [ok, {a: b}, ~]
                place: [x]
                passages:
                  - just a string
            """
        )
        assert lines(run(tmp_path, text)) == [
            "events.yaml:3:5: warning: source 'gazette' is cited by no event",
            "events.yaml:8:12: error: 'title' must be text, not a list; write the text right"
            " after 'title:' (in quotes if it holds ': ' or starts with '[' or '{')",
            "events.yaml:9:11: error: 'date' must be text, not a list; write the text right"
            " after 'date:' (in quotes if it holds ': ' or starts with '[' or '{')",
            "events.yaml:10:14: error: 'summary' must be text, not a mapping; write the text"
            " right after 'summary:' (in quotes if it holds ': ' or starts with '[' or '{')",
            "events.yaml:11:19: error: 'participants' must be a list, not text; for example"
            " participants: [Xi]",
            "events.yaml:12:16: error: each item of 'tags' must be text, not a mapping",
            "events.yaml:12:24: error: each item of 'tags' must be text, not nothing",
            "events.yaml:13:12: error: 'place' must be text, not a list; write the text right"
            " after 'place:' (in quotes if it holds ': ' or starts with '[' or '{')",
            "events.yaml:15:9: error: each passage must be a mapping with source and quote,"
            " not text",
        ]

    def test_sections_of_the_wrong_type(self, tmp_path: Path) -> None:
        text = "title: [a]\nsources: {id: x}\nevents: text\n"
        assert lines(run(tmp_path, text)) == [
            "events.yaml:1:8: error: 'title' must be text, not a list; write the text right"
            " after 'title:' (in quotes if it holds ': ' or starts with '[' or '{')",
            "events.yaml:2:10: error: 'sources' must be a list (items start with '- '),"
            " not a mapping",
            "events.yaml:3:9: error: 'events' must be a list (items start with '- '), not text",
        ]

    def test_items_of_the_wrong_type(self, tmp_path: Path) -> None:
        text = "title: t\nsources:\n  - gazette\nevents:\n  - [a]\n"
        assert lines(run(tmp_path, text)) == [
            "events.yaml:3:5: error: each source must be a mapping with id, file and title,"
            " not text",
            "events.yaml:5:5: error: each event must be a mapping, not a list",
        ]

    def test_missing_required_fields(self, tmp_path: Path) -> None:
        text = event_yaml(
            """\
              - id: council-vote
                place: Town hall
              - title: No id
                date: '2022'
                summary: S
                passages:
                  - quote: the harbour
                  - source: gazette
            """
        )
        assert lines(run(tmp_path, text)) == [
            "events.yaml:7:5: error: event 'council-vote' has no 'title'; add title: ...",
            "events.yaml:7:5: error: event 'council-vote' has no 'date'; add date: ...",
            "events.yaml:7:5: error: event 'council-vote' has no 'summary'; add summary: ...",
            "events.yaml:7:5: error: event 'council-vote' has no passages; quote at least one"
            " source passage under passages:",
            "events.yaml:9:5: error: an event has no 'id'; add id: ...",
            "events.yaml:13:9: error: a passage has no 'source'; add source: ...",
            "events.yaml:14:9: error: a passage has no 'quote'; add quote: ...",
        ]

    def test_missing_sections_and_source_fields(self, tmp_path: Path) -> None:
        assert lines(run(tmp_path, "sources:\n  - id: a\n")) == [
            "events.yaml:1:1: error: the timeline has no 'title'; add title: ...",
            "events.yaml:1:1: error: the timeline has no 'events'; add events: followed by"
            " a list",
            "events.yaml:2:5: error: a source has no 'file'; add file: ...",
            "events.yaml:2:5: error: a source has no 'title'; add title: ...",
        ]

    def test_empty_values(self, tmp_path: Path) -> None:
        text = VALID.replace("title: The council votes", "title: ''").replace(
            "    passages:\n      - source: gazette\n        quote: the council voted 5-4\n",
            "    passages: []\n",
        )
        assert lines(run(tmp_path, text)) == [
            "events.yaml:3:5: warning: source 'gazette' is cited by no event",
            "events.yaml:8:12: error: 'title' is empty; write the title",
            "events.yaml:11:15: error: event 'council-vote' has no passages; quote at least"
            " one source passage",
        ]

    def test_unknown_fields(self, tmp_path: Path) -> None:
        text = VALID.replace("    summary: The council voted.\n",
                             "    summery: The council voted.\n    colour: red\n")
        assert lines(run(tmp_path, text)) == [
            "events.yaml:7:5: error: event 'council-vote' has no 'summary'; add summary: ...",
            "events.yaml:10:5: error: unknown field 'summery' in an event"
            " (did you mean 'summary'?)",
            "events.yaml:11:5: error: unknown field 'colour' in an event (known fields: id,"
            " title, date, place, participants, tags, summary, passages)",
        ]

    def test_unknown_top_and_passage_fields(self, tmp_path: Path) -> None:
        text = VALID.replace("title: Test timeline", "titel: Test timeline").replace(
            "        quote: the council voted 5-4",
            "        quote: the council voted 5-4\n        prefx: On",
        )
        assert lines(run(tmp_path, text)) == [
            "events.yaml:1:1: error: unknown field 'titel' in the timeline"
            " (did you mean 'title'?)",
            "events.yaml:1:1: error: the timeline has no 'title'; add title: ...",
            "events.yaml:14:9: error: unknown field 'prefx' in a passage"
            " (did you mean 'prefix'?)",
        ]


    def test_an_empty_item_of_a_list_is_an_error(self, tmp_path: Path) -> None:
        text = event_yaml(
            """\
              - id: council-vote
                title: The council votes
                date: "2022-02-04"
                summary: The council voted.
                participants: ["", " ", Xi]
                tags: [ok, ""]
                passages:
                  - source: gazette
                    quote: the council voted 5-4
            """
        )
        assert lines(run(tmp_path, text)) == [
            "events.yaml:11:20: error: an item of 'participants' is empty; write it, or remove it",
            "events.yaml:11:24: error: an item of 'participants' is empty; write it, or remove it",
            "events.yaml:12:16: error: an item of 'tags' is empty; write it, or remove it",
        ]


class TestIds:
    def test_duplicate_event_ids(self, tmp_path: Path) -> None:
        event = (
            "  - id: council-vote\n    title: T\n    date: '2022'\n    summary: S\n"
            "    passages:\n      - source: gazette\n        quote: the harbour\n"
        )
        assert lines(run(tmp_path, event_yaml("") + event + event)) == [
            "events.yaml:14:9: error: duplicate event id 'council-vote' (first at line 7);"
            " give each event its own id"
        ]

    def test_duplicate_source_ids(self, tmp_path: Path) -> None:
        text = VALID.replace(
            "events:", "  - id: gazette\n    file: gazette.txt\n    title: Again\nevents:"
        )
        assert lines(run(tmp_path, text)) == [
            "events.yaml:6:9: error: duplicate source id 'gazette' (first at line 3);"
            " give each source its own id"
        ]

    def test_bad_id_characters(self, tmp_path: Path) -> None:
        text = VALID.replace("id: council-vote", "id: Council Vote!").replace(
            "id: gazette", "id: _gazette"
        ).replace("source: gazette", "source: _gazette")
        assert lines(run(tmp_path, text)) == [
            "events.yaml:3:9: error: id '_gazette' may hold only lowercase letters, digits and"
            " '-' (for example 'gazette')",
            "events.yaml:7:9: error: id 'Council Vote!' may hold only lowercase letters, digits"
            " and '-' (for example 'council-vote')",
        ]

    def test_an_id_starting_with_a_dash_is_told_so(self, tmp_path: Path) -> None:
        text = VALID.replace("id: council-vote", 'id: "-5"').replace(
            "id: gazette", "id: -Gazette"
        ).replace("source: gazette", "source: -Gazette")
        assert lines(run(tmp_path, text)) == [
            "events.yaml:3:9: error: id '-Gazette' must start with a lowercase letter or digit"
            " and may hold only lowercase letters, digits and '-' (for example 'gazette')",
            "events.yaml:7:9: error: id '-5' must start with a lowercase letter or digit"
            " (for example '5')",
        ]


    def test_an_id_ending_in_a_line_end_is_refused(self, tmp_path: Path) -> None:
        text = VALID.replace("id: council-vote", 'id: "council-vote\\n"')
        found = lines(run(tmp_path, text))
        assert found[0].startswith("events.yaml:7:9: error: id 'council-vote")
        assert "may hold only lowercase letters, digits and '-'" in found[0]
        assert "(for example 'council-vote')" in found[0]


class TestDates:
    @pytest.mark.parametrize(
        ("date", "expected"),
        [
            (
                '"2022-02-30"',
                "events.yaml:9:20: error: 2022-02-30 is not a calendar date: February 2022"
                " has 28 days",
            ),
            (
                "2022-02-30",
                "events.yaml:9:19: error: 2022-02-30 is not a calendar date: February 2022"
                " has 28 days",
            ),
            (
                "'2023-03-22/2023-03-20'",
                "events.yaml:9:23: error: the interval ends (2023-03-20) before it starts"
                " (2023-03-22); write START/END with the earlier date first",
            ),
            (
                '"  2022-13"',
                "events.yaml:9:19: error: 2022-13 is not a calendar date: months run from"
                " 01 to 12",
            ),
        ],
    )
    def test_column_points_into_the_date(self, tmp_path: Path, date: str, expected: str) -> None:
        assert lines(run(tmp_path, VALID.replace('"2022-02-04"', date))) == [expected]

    def test_unparseable_date(self, tmp_path: Path) -> None:
        (line,) = lines(run(tmp_path, VALID.replace('"2022-02-04"', "next tuesday")))
        assert line.startswith("events.yaml:9:11: error: ")

    def test_times_are_refused_where_they_start(self, tmp_path: Path) -> None:
        (line,) = lines(run(tmp_path, VALID.replace('"2022-02-04"', '"2022-02-04T10:00"')))
        assert line == (
            "events.yaml:9:22: error: times are not supported; give only the date,"
            " e.g. '2023-03-20' or '20 March 2023'"
        )

    @pytest.mark.parametrize(
        "date", ['"\\x32022-02-30"', '"\n      2022-02-30"', "'2022-02-30\n      '", "'it''s'"]
    )
    def test_folded_or_escaped_date_is_placed_at_the_value(
        self, tmp_path: Path, date: str
    ) -> None:
        # the value differs from its text in the file: an offset into it would point astray
        (line,) = lines(run(tmp_path, VALID.replace('"2022-02-04"', date)))
        assert line.startswith("events.yaml:9:11: error: ")

    def test_a_date_text_is_parsed_once_and_each_bad_one_placed(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        import citeline.loader as loader_module

        parsed: list[str] = []
        real = loader_module.parse_date
        monkeypatch.setattr(
            loader_module, "parse_date", lambda raw: parsed.append(raw) or real(raw)
        )
        events = "".join(
            f"""
            - id: e{n}
              title: Event {n}
              date: {date}
              summary: S.
              passages:
                - source: gazette
                  quote: the council voted 5-4
            """
            for n, date in enumerate(["2022-02-04", "2022-02-04", "2022-02-30", "2022-02-30"])
        )
        result = run(tmp_path, event_yaml(events))
        assert parsed == ["2022-02-04", "2022-02-30", "2022-02-30"]
        assert [(d.line, d.column) for d in result.diagnostics] == [(26, 19), (34, 19)]

    def test_block_scalar_date_is_placed_at_the_value(self, tmp_path: Path) -> None:
        text = VALID.replace('date: "2022-02-04"', "date: >-\n      2022-02-31")
        (line,) = lines(run(tmp_path, text))
        assert line.startswith("events.yaml:9:11: error: 2022-02-31 is not a calendar date")


class TestSourcesAndQuotes:
    def test_unknown_source_id(self, tmp_path: Path) -> None:
        assert lines(run(tmp_path, VALID.replace("source: gazette", "source: gazete"))) == [
            "events.yaml:3:5: warning: source 'gazette' is cited by no event",
            "events.yaml:12:17: error: unknown source 'gazete' (did you mean 'gazette'?)",
        ]
        assert lines(run(tmp_path, VALID.replace("source: gazette", "source: zzz")))[1] == (
            "events.yaml:12:17: error: unknown source 'zzz'; declare it under sources:"
        )

    def test_quote_not_found_with_closest(self, tmp_path: Path) -> None:
        text = VALID.replace("the council voted 5-4", "The mayor said “we shall rebuild”")
        assert lines(run(tmp_path, text)) == [
            "events.yaml:13:16: error: quote not found in gazette.txt; closest:"
            " gazette.txt:2:1 'The mayor said “we will rebuild”;' (copy the exact words from"
            " the source)"
        ]

    def test_quote_not_found_nothing_close(self, tmp_path: Path) -> None:
        text = VALID.replace("the council voted 5-4", "Volcanoes erupted in Iceland")
        assert lines(run(tmp_path, text)) == [
            "events.yaml:13:16: error: quote not found in gazette.txt, nor anything close to"
            " it; check the source id and copy the exact words: 'Volcanoes erupted in Iceland'"
        ]

    def test_a_dot_in_a_source_made_only_of_ellipses_is_not_found(self, tmp_path: Path) -> None:
        # Every dot of the source is a third of a `…`: not one place is whole characters.
        text = VALID.replace("quote: the council voted 5-4", "quote: '.'")
        assert lines(run(tmp_path, text, {"gazette.txt": "…" * 20_000})) == [
            "events.yaml:13:16: error: quote not found in gazette.txt, nor anything close to"
            " it; check the source id and copy the exact words: '.'"
        ]

    def test_closest_search_budget(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(loader, "NEAR_MISS_BUDGET", 1)
        text = VALID.replace("the council voted 5-4", "the council voted 6-4").replace(
            "    passages:\n",
            "    passages:\n      - source: gazette\n        quote: the mayor sad\n",
        )
        assert lines(run(tmp_path, text)) == [
            "events.yaml:13:16: error: quote not found in gazette.txt; closest:"
            " gazette.txt:2:35 'the mayor said' (copy the exact words from the source)",
            "events.yaml:15:16: error: quote not found in gazette.txt (so many quotes were not"
            " found that no closest text was looked for); check the source id and copy the"
            " exact words: 'the council voted 6-4'",
        ]

    def test_ambiguous_quote_lists_every_place(self, tmp_path: Path) -> None:
        text = VALID.replace("the council voted 5-4", "mayor said")
        assert lines(run(tmp_path, text)) == [
            "events.yaml:13:16: error: the quote occurs 2 times in gazette.txt (at 2:5, 2:39);"
            " add prefix: or suffix: with the words just before or after the one you mean"
        ]
        text = VALID.replace("the council voted 5-4", "council voted")
        assert "(at 1:24, 3:11)" in lines(run(tmp_path, text))[0]

    def test_many_places_are_listed_up_to_a_limit(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(loader, "MAX_LISTED_PLACES", 2)
        text = VALID.replace("the council voted 5-4", "e")
        assert lines(run(tmp_path, text))[0].startswith(
            "events.yaml:13:16: error: the quote occurs 12 times in gazette.txt"
            " (at 1:7, 1:22 and 10 more);"
        )

    def test_prefix_and_suffix_pick_the_occurrence(self, tmp_path: Path) -> None:
        text = VALID.replace(
            "        quote: the council voted 5-4",
            "        quote: mayor said\n        prefix: rebuild”; the",
        )
        result = run(tmp_path, text)
        assert result.diagnostics == ()
        assert result.timeline is not None
        assert result.timeline.events[0].passages[0].column == 39

    def test_prefix_suffix_mismatch(self, tmp_path: Path) -> None:
        text = VALID.replace(
            "        quote: the council voted 5-4",
            "        quote: mayor said\n        suffix: nothing like it",
        )
        assert lines(run(tmp_path, text)) == [
            "events.yaml:13:16: error: the quote occurs in gazette.txt (at 2:5, 2:39) but"
            " never with the given prefix/suffix around it; correct the prefix or suffix"
        ]

    def test_unused_source_warning_keeps_the_timeline(self, tmp_path: Path) -> None:
        text = VALID.replace(
            "events:", "  - id: spare\n    file: gazette.txt\n    title: Spare\nevents:"
        )
        result = run(tmp_path, text)
        assert lines(result) == ["events.yaml:6:5: warning: source 'spare' is cited by no event"]
        assert result.diagnostics[0].severity is Severity.WARNING
        assert result.timeline is not None


class TestSourcePaths:
    def check(self, tmp_path: Path, file: str, files: dict[str, str | bytes]) -> list[str]:
        return lines(run(tmp_path, VALID.replace("file: gazette.txt", f"file: {file}"), files))

    def test_missing(self, tmp_path: Path) -> None:
        assert self.check(tmp_path, "nowhere.txt", {}) == [
            "events.yaml:4:11: error: source file 'nowhere.txt' does not exist; check the path"
            " (it is relative to the folder of the events file)"
        ]

    @pytest.mark.parametrize("name", ["events.yaml", "./events.yaml", "linked.yaml"])
    def test_the_events_file_is_not_a_source(self, tmp_path: Path, name: str) -> None:
        # Any quote of the timeline would "verify" against its own events file.
        text = VALID.replace("file: gazette.txt", f"file: {name}").replace(
            "quote: the council voted 5-4", "quote: The council votes"
        )
        events = write(tmp_path, text, {})
        os.link(events, tmp_path / "linked.yaml")  # the same file under another name
        assert lines(load(events, "events.yaml")) == [
            f"events.yaml:4:11: error: '{name}' is the events file itself; a source is the"
            " document the quotes are taken from: name that file"
        ]

    def test_missing_file_is_still_watched(self, tmp_path: Path) -> None:
        result = run(tmp_path, VALID.replace("gazette.txt", "later.txt"), {})
        assert result.source_paths == (tmp_path / "later.txt",)

    def test_not_utf8(self, tmp_path: Path) -> None:
        assert self.check(tmp_path, "latin.txt", {"latin.txt": b"ok\ncaf\xe9\n"}) == [
            "events.yaml:4:11: error: 'latin.txt' is not UTF-8 (byte 6, line 2: 0xe9);"
            " convert it, for example with: iconv -f LATIN1 -t UTF-8"
        ]

    def test_not_utf8_with_only_cr_line_ends(self, tmp_path: Path) -> None:
        assert self.check(tmp_path, "latin.txt", {"latin.txt": b"ok\rcaf\xe9\r"}) == [
            "events.yaml:4:11: error: 'latin.txt' is not UTF-8 (byte 6, line 2: 0xe9);"
            " convert it, for example with: iconv -f LATIN1 -t UTF-8"
        ]

    def test_binary(self, tmp_path: Path) -> None:
        assert self.check(tmp_path, "image.png", {"image.png": b"\x89PNG\r\n\x1a\n\x00\x00"}) == [
            "events.yaml:4:11: error: 'image.png' is a binary file (a NUL byte at byte 8,"
            " line 3); sources must be UTF-8 text: save the text of the document as a .txt file"
        ]

    def test_dotdot(self, tmp_path: Path) -> None:
        inner = tmp_path / "inner"
        inner.mkdir()
        (tmp_path / "secret.txt").write_text(GAZETTE)
        assert self.check(inner, "../secret.txt", {}) == [
            "events.yaml:4:11: error: '../secret.txt' climbs out of the events folder through"
            " '..'; copy the source into the folder of the events file"
        ]

    def test_absolute(self, tmp_path: Path) -> None:
        target = tmp_path / "gazette.txt"
        assert self.check(tmp_path, str(target), {"gazette.txt": GAZETTE}) == [
            f"events.yaml:4:11: error: '{target}' is an absolute path; give a path relative to"
            " the folder of the events file, and copy the source into it"
        ]

    def test_windows_absolute(self, tmp_path: Path) -> None:
        (line,) = self.check(tmp_path, "'C:\\texts\\a.txt'", {})
        assert line.startswith("events.yaml:4:11: error: 'C:\\texts\\a.txt' is an absolute path")

    @pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
    def test_symlink(self, tmp_path: Path) -> None:
        outside = tmp_path / "outside"
        outside.mkdir()
        (outside / "secret.txt").write_text(GAZETTE)
        inner = tmp_path / "inner"
        inner.mkdir()
        (inner / "link.txt").symlink_to(outside / "secret.txt")
        assert self.check(inner, "link.txt", {}) == [
            "events.yaml:4:11: error: 'link.txt' goes through a symbolic link; copy the file"
            " itself into the events folder"
        ]

    @pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
    def test_symlinked_folder(self, tmp_path: Path) -> None:
        (tmp_path / "real").mkdir()
        (tmp_path / "real" / "a.txt").write_text(GAZETTE)
        (tmp_path / "linked").symlink_to(tmp_path / "real")
        (line,) = self.check(tmp_path, "linked/a.txt", {})
        assert "goes through a symbolic link" in line
        # watched all the same, for the link replaced by the folder itself
        result = run(tmp_path, VALID.replace("gazette.txt", "linked/a.txt"), {})
        assert result.source_paths == (tmp_path / "linked" / "a.txt",)

    @pytest.mark.parametrize(
        ("file", "ending"),
        [("gazette.txt/.", "/."), ("gazette.txt/", "/"), ("./gazette.txt/.", "/."),
         ("gazette.txt//", "/"), ("gazette.txt/./", "/")],
    )
    def test_a_name_ending_as_a_folders(self, tmp_path: Path, file: str, ending: str) -> None:
        # The system drops the ending and opens gazette.txt, but the path as written
        # names nothing ('cat gazette.txt/.' fails), and the exports would show it.
        assert self.check(tmp_path, f"'{file}'", {"gazette.txt": GAZETTE}) == [
            f"events.yaml:4:11: error: '{file}' ends with '{ending}'; write the file's own"
            " name, e.g. 'gazette.txt'"
        ]

    @pytest.mark.parametrize("file", [".", "./"])
    def test_the_events_folder_itself(self, tmp_path: Path, file: str) -> None:
        assert self.check(tmp_path, f"'{file}'", {}) == [
            f"events.yaml:4:11: error: '{file}' is the events folder itself; write the name"
            " of the source file"
        ]

    def test_a_dot_inside_the_path_is_fine(self, tmp_path: Path) -> None:
        (tmp_path / "texts").mkdir()
        assert self.check(tmp_path, "./texts/./gazette.txt", {"texts/gazette.txt": GAZETTE}) == []

    def test_folder(self, tmp_path: Path) -> None:
        (tmp_path / "texts").mkdir()
        assert self.check(tmp_path, "texts", {}) == [
            "events.yaml:4:11: error: 'texts' is a folder; name a text file in it"
        ]

    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
    def test_fifo_is_refused_without_reading(self, tmp_path: Path) -> None:
        os.mkfifo(tmp_path / "pipe.txt")
        assert self.check(tmp_path, "pipe.txt", {}) == [
            "events.yaml:4:11: error: 'pipe.txt' is not a regular file (a device, pipe or"
            " socket); copy the text into a file and name that"
        ]

    @pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
    def test_unreadable(self, tmp_path: Path) -> None:
        path = tmp_path / "locked.txt"
        path.write_text(GAZETTE)
        path.chmod(0)
        try:
            assert self.check(tmp_path, "locked.txt", {}) == [
                "events.yaml:4:11: error: source file 'locked.txt' cannot be read: permission"
                " denied; make it readable (chmod a+r)"
            ]
        finally:
            path.chmod(0o644)

    def test_permission_denied(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        real_open = os.open

        def refuse(path: object, *args: object, **kwargs: object) -> int:
            if os.path.basename(os.fspath(path)) == "locked.txt":  # type: ignore[arg-type]
                raise PermissionError(13, "Permission denied")
            return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(source_files.os, "open", refuse)
        assert self.check(tmp_path, "locked.txt", {"locked.txt": GAZETTE}) == [
            "events.yaml:4:11: error: source file 'locked.txt' cannot be read: permission"
            " denied; make it readable (chmod a+r)"
        ]

    def test_control_character_in_path(self, tmp_path: Path) -> None:
        assert self.check(tmp_path, '"a\\x00b.txt"', {}) == [
            "events.yaml:4:11: error: the file path holds the control character U+0000;"
            " rename the file and write its plain name"
        ]

    def test_oversized_source(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(source_files, "MAX_SOURCE_BYTES", 100)
        assert self.check(tmp_path, "gazette.txt", {"gazette.txt": GAZETTE}) == [
            f"events.yaml:4:11: error: source file 'gazette.txt' is {len(GAZETTE.encode()):,}"
            " bytes; sources are limited to 100 bytes (0 MiB): split it or cite an excerpt"
        ]

    def test_sources_together_are_bounded(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(loader, "MAX_TOTAL_SOURCE_BYTES", 250)
        text = VALID.replace(
            "events:", "  - id: other\n    file: other.txt\n    title: Other\nevents:"
        )
        result = run(tmp_path, text, {"gazette.txt": GAZETTE, "other.txt": GAZETTE})
        size = len(GAZETTE.encode())
        assert lines(result) == [
            f"events.yaml:7:11: error: source file 'other.txt' ({size:,} bytes) would bring"
            " the sources to more than 250 bytes (0 MiB) in all; split the timeline or cite"
            " excerpts"
        ]

    def test_same_file_under_two_ids_is_read_once(self, tmp_path: Path) -> None:
        text = VALID.replace(
            "events:", "  - id: again\n    file: ./gazette.txt\n    title: Again\nevents:"
        ).replace(
            "    passages:\n",
            "    passages:\n      - source: again\n        quote: the harbour\n",
        )
        result = run(tmp_path, text)
        assert result.diagnostics == ()
        assert result.timeline is not None
        first, second = result.timeline.sources
        assert first.text is second.text


class TestEventsFile:
    def test_missing(self, tmp_path: Path) -> None:
        result = load(tmp_path / "none.yaml", "none.yaml")
        assert lines(result) == [
            "none.yaml: error: no such file; give the path of an events.yaml"
        ]
        assert result.unreadable

    def test_folder(self, tmp_path: Path) -> None:
        result = load(tmp_path, "here")
        assert lines(result) == ["here: error: is a folder; name the events.yaml file in it"]
        assert result.unreadable

    def test_binary(self, tmp_path: Path) -> None:
        path = tmp_path / "events.yaml"
        path.write_bytes(b"title: x\nab\x00cd")
        result = load(path, "events.yaml")
        assert lines(result) == [
            "events.yaml:2:3: error: the file is binary (a NUL byte here); an events file is"
            " YAML text saved as UTF-8"
        ]
        assert result.unreadable

    def test_not_utf8(self, tmp_path: Path) -> None:
        path = tmp_path / "events.yaml"
        path.write_bytes("title: é\nplace: caf".encode() + b"\xe9\n")
        result = load(path, "events.yaml")
        assert lines(result) == [
            "events.yaml:2:11: error: the file is not UTF-8 text (byte 0xe9 here); save it as"
            " UTF-8, or convert it, for example with: iconv -f LATIN1 -t UTF-8"
        ]
        assert result.unreadable

    def test_oversized(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(loader, "MAX_EVENTS_BYTES", 10)
        path = write(tmp_path, VALID)
        result = load(path, "events.yaml")
        assert lines(result) == [
            f"events.yaml: error: the file is {path.stat().st_size:,} bytes; events files are"
            " limited to 10 bytes (0 MiB): split the timeline"
        ]
        assert result.unreadable

    def test_permission_denied(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        path = write(tmp_path, VALID)
        real_open = os.open

        def refuse(name: object, *args: object, **kwargs: object) -> int:
            if os.path.basename(os.fspath(name)) == "events.yaml":  # type: ignore[arg-type]
                raise PermissionError(13, "Permission denied")
            return real_open(name, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(source_files.os, "open", refuse)
        result = load(path, "events.yaml")
        assert lines(result) == [
            "events.yaml: error: cannot be read: permission denied; make it readable (chmod a+r)"
        ]
        assert result.unreadable

    def test_invalid_timeline_is_not_unreadable(self, tmp_path: Path) -> None:
        result = run(tmp_path, "title: [")
        assert result.timeline is None and not result.unreadable


# ---------------------------------------------------------------------------
# The shipped timeline


@pytest.fixture(scope="module")
def shipped() -> LoadResult:
    return load(REPO / "events.yaml", "events.yaml")


class TestShippedTimeline:
    @pytest.fixture
    def result(self, shipped: LoadResult) -> LoadResult:
        return shipped

    def test_validates_without_problems(self, result: LoadResult) -> None:
        assert [str(d) for d in result.diagnostics] == []
        assert result.timeline is not None

    def test_the_bundled_timeline_is_this_one(self) -> None:
        """Installed or run from the checkout, the bundled timeline and its seeds are
        byte for byte the checkout's own."""
        bundled = bundled_events()
        assert bundled.read_bytes() == (REPO / "events.yaml").read_bytes()
        seeds = sorted((REPO / "seeds").iterdir())
        assert seeds
        for seed in seeds:
            assert (bundled.parent / "seeds" / seed.name).read_bytes() == seed.read_bytes()

    @pytest.mark.parametrize(
        ("event_id", "start", "end"),
        [
            ("beijing-summit-2022", "2022-02-04", "2022-02-04"),
            ("samarkand-sco-2022", "2022-09-15", "2022-09-15"),
            ("wang-yi-moscow-2023", "2023-02-21", "2023-02-22"),
            ("xi-moscow-2023", "2023-03-20", "2023-03-22"),
        ],
    )
    def test_required_events(
        self, result: LoadResult, event_id: str, start: str, end: str
    ) -> None:
        assert result.timeline is not None
        event = result.timeline.event(event_id)
        assert event is not None
        assert event.date.start is not None and event.date.start.iso() == start
        assert event.date.end is not None and event.date.end.iso() == end

    def test_beijing_summit_cites_three_sources(self, result: LoadResult) -> None:
        assert result.timeline is not None
        event = result.timeline.event("beijing-summit-2022")
        assert event is not None
        assert len(event.source_ids) >= 3

    def test_every_source_is_cited(self, result: LoadResult) -> None:
        timeline = result.timeline
        assert timeline is not None
        for source in timeline.sources:
            assert any(True for _ in timeline.citations(source.id)), source.id

    def test_every_passage_is_its_source_span(self, result: LoadResult) -> None:
        timeline = result.timeline
        assert timeline is not None
        for event in timeline.events:
            for passage in event.passages:
                source = timeline.source(passage.source_id)
                assert source is not None
                assert source.text[passage.start : passage.end] == passage.text
                assert source.line_col(passage.start) == (passage.line, passage.column)


def test_a_file_that_grows_past_the_limit_while_read_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    grown = tmp_path / "grown.txt"
    grown.write_bytes(b"x" * 100)
    real_fstat = os.fstat

    def small_at_first(fd: int) -> os.stat_result:  # what stat said before the writer went on
        info = real_fstat(fd)
        return os.stat_result((info.st_mode, *[0] * 5, 10, *info[7:]))

    monkeypatch.setattr(source_files.os, "fstat", small_at_first)
    with pytest.raises(source_files.Unreadable) as caught:
        source_files.read_bounded(grown, 50)
    assert caught.value.kind == source_files.Unreadable.TOO_BIG
    assert caught.value.amount == "more than 50"


def test_events_and_passages_are_built_with_every_field() -> None:
    """The loader sets their fields at once (``assembled``): each has all of them, and
    equals what the dataclass's own constructor builds from them."""
    from dataclasses import fields

    from citeline.model import Event, Location, Passage

    timeline = load(bundled_events(), use_cache=False).timeline
    assert timeline is not None
    for event in timeline.events:
        for instance, cls in [(event, Event), (event.location, Location),
                              *((passage, Passage) for passage in event.passages)]:
            assert type(instance) is cls
            assert set(vars(instance)) == {f.name for f in fields(cls)}
            assert cls(**vars(instance)) == instance
