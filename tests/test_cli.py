"""The ``citeline`` command, run as a real process: exit codes, output, safety."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from citeline import __version__, cli
from tests.python_probe import run_probe

REPO = Path(__file__).resolve().parents[1]

GAZETTE = (
    "On 4 February 2022 the council voted 5–4 on the harbour.\n"
    "The mayor said “we will rebuild”; the mayor said it twice.\n"
    "Later, in March 2023, the harbour reopened.\n"
)

EVENTS = """\
title: Harbour [bold]news[/bold]
sources:
  - id: gazette
    file: gazette.txt
    title: The Gazette
events:
  - id: harbour-reopens
    title: The harbour reopens
    date: March 2023
    summary: It reopened.
    passages:
      - source: gazette
        quote: the harbour reopened
  - id: council-vote
    title: "The council votes [red]5–4[/red]"
    date: "2022-02-04"
    place: Town hall
    participants: [The council]
    tags: [vote]
    summary: The council voted on the harbour.
    passages:
      - source: gazette
        quote: the council voted 5-4
        note: By one vote.
"""


def make_timeline(folder: Path, events: str = EVENTS, name: str = "events.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "gazette.txt").write_text(GAZETTE, encoding="utf-8")
    path = folder / name
    path.write_text(textwrap.dedent(events), encoding="utf-8")
    return path


def citeline(
    *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "CITELINE_EVENTS"}
    environment.update(env or {})
    environment["PYTHONPATH"] = str(REPO / "src")
    return subprocess.run(
        [sys.executable, "-m", "citeline", *args],  # (as the installed command starts)
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stdout + result.stderr


# ---------------------------------------------------------------------------
# validate


class TestValidate:
    def test_valid(self, tmp_path: Path) -> None:
        make_timeline(tmp_path)
        result = citeline("validate", cwd=tmp_path)
        assert result.returncode == 0
        assert result.stdout == "events.yaml: valid: 2 events, 1 source, 2 passages anchored\n"
        assert result.stderr == ""

    def test_valid_with_a_warning(self, tmp_path: Path) -> None:
        make_timeline(
            tmp_path,
            EVENTS.replace(
                "events:", "  - id: spare\n    file: gazette.txt\n    title: S\nevents:"
            ),
        )
        result = citeline("validate", cwd=tmp_path)
        assert result.returncode == 0
        assert result.stdout.splitlines() == [
            "events.yaml:6:5: warning: source 'spare' is cited by no event",
            "events.yaml: valid: 2 events, 2 sources, 2 passages anchored (1 warning)",
        ]

    def test_the_summary_counts_the_problems_not_shown(self, tmp_path: Path) -> None:
        event = (
            "  - id: e{n}\n    title: T\n    date: '2022-02-30'\n    summary: S\n"
            "    passages:\n      - source: gazette\n        quote: not in the gazette\n"
        )
        head = EVENTS[: EVENTS.index("  - id: harbour-reopens")]
        make_timeline(tmp_path, head + "".join(event.format(n=n) for n in range(1500)))
        result = citeline("validate", cwd=tmp_path)
        assert result.returncode == 1
        out = result.stdout.splitlines()
        assert len(out) == 1002
        assert out[-2].startswith("events.yaml: error: 2,000 more problems are not shown")
        assert out[-1] == "events.yaml: invalid: 3,000 errors"
        result = citeline("list", cwd=tmp_path)
        assert result.stderr.splitlines()[-1] == (
            "events.yaml: 3,000 errors; run 'citeline validate' for the list"
        )

    def test_invalid(self, tmp_path: Path) -> None:
        make_timeline(tmp_path, EVENTS.replace("March 2023", "Marhc 2023").replace(
            "summary: It reopened.", "sumary: It reopened."))
        result = citeline("validate", cwd=tmp_path)
        assert result.returncode == 1
        out = result.stdout.splitlines()
        assert out[-1] == "events.yaml: invalid: 3 errors"
        assert out[0] == (
            "events.yaml:7:5: error: event 'harbour-reopens' has no 'summary'; add summary: ..."
        )
        assert out[1].startswith("events.yaml:9:11: error: ")
        assert out[2] == (
            "events.yaml:10:5: error: unknown field 'sumary' in an event"
            " (did you mean 'summary'?)"
        )
        no_traceback(result)

    def test_missing_file_exits_2(self, tmp_path: Path) -> None:
        result = citeline("validate", "--events", "nowhere.yaml", cwd=tmp_path)
        assert result.returncode == 2
        assert result.stderr == (
            "nowhere.yaml: error: no such file; give the path of an events.yaml\n"
        )
        assert result.stdout == ""

    def test_binary_events_file_exits_2(self, tmp_path: Path) -> None:
        (tmp_path / "events.yaml").write_bytes(b"title: x\n\x00\x01\x02")
        result = citeline("validate", cwd=tmp_path)
        assert result.returncode == 2
        assert result.stderr.startswith("events.yaml:2:1: error: the file is binary")

    def test_yaml_error_exits_1(self, tmp_path: Path) -> None:
        (tmp_path / "events.yaml").write_text("title: [\n")
        result = citeline("validate", cwd=tmp_path)
        assert result.returncode == 1
        assert result.stdout.splitlines()[-1] == "events.yaml: invalid: 1 error"

    def test_other_commands_refuse_an_invalid_timeline(self, tmp_path: Path) -> None:
        make_timeline(tmp_path, EVENTS.replace("2022-02-04", "2022-02-30"))
        result = citeline("list", cwd=tmp_path)
        assert result.returncode == 1
        assert result.stdout == ""
        assert result.stderr.splitlines() == [
            "events.yaml:16:20: error: 2022-02-30 is not a calendar date: February 2022 has"
            " 28 days",
            "events.yaml: 1 error; run 'citeline validate' for the list",
        ]


# ---------------------------------------------------------------------------
# list and show


class TestList:
    def test_text(self, tmp_path: Path) -> None:
        make_timeline(tmp_path)
        result = citeline("list", cwd=tmp_path)
        assert result.returncode == 0
        assert result.stdout.splitlines() == [
            "4 Feb 2022  council-vote     The council votes [red]5–4[/red]",
            "Mar 2023    harbour-reopens  The harbour reopens",
        ]

    def test_json_shape(self, tmp_path: Path) -> None:
        make_timeline(tmp_path)
        result = citeline("list", "--format", "json", cwd=tmp_path)
        assert result.returncode == 0
        document = json.loads(result.stdout)
        assert document["title"] == "Harbour [bold]news[/bold]"
        assert [e["id"] for e in document["events"]] == ["council-vote", "harbour-reopens"]
        vote, reopens = document["events"]
        assert set(vote) == {
            "id", "title", "date", "place", "participants", "tags", "summary", "passages"
        }
        assert vote["date"] == {
            "start": "2022-02-04",
            "end": "2022-02-04",
            "precision": "day",
            "qualifier": None,
            "display": "4 Feb 2022",
        }
        assert reopens["date"]["precision"] == "month"
        assert reopens["date"]["end"] == "2023-03"
        assert reopens["place"] is None
        assert vote["participants"] == ["The council"] and vote["tags"] == ["vote"]
        (passage,) = vote["passages"]
        assert set(passage) == {"source", "file", "line", "column", "start", "end", "text", "note"}
        assert passage["source"] == "gazette" and passage["file"] == "gazette.txt"
        assert passage["text"] == GAZETTE[passage["start"] : passage["end"]]
        assert passage["text"] == "the council voted 5–4"
        assert (passage["line"], passage["column"]) == (1, 20)
        assert passage["note"] == "By one vote."
        assert reopens["passages"][0]["note"] is None

    def test_a_terminal_that_cannot_show_unicode(self, tmp_path: Path) -> None:
        make_timeline(tmp_path)
        environment = {"PYTHONIOENCODING": "ascii"}
        result = citeline("list", cwd=tmp_path, env=environment)
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines()[0] == (
            "4 Feb 2022  council-vote     The council votes [red]5?4[/red]"
        )
        result = citeline("list", "--format", "json", cwd=tmp_path, env=environment)
        assert result.returncode == 0, result.stderr
        assert result.stdout.isascii()
        assert json.loads(result.stdout)["events"][0]["title"] == "The council votes [red]5–4[/red]"

    def test_open_interval_end_is_null(self, tmp_path: Path) -> None:
        make_timeline(tmp_path, EVENTS.replace("date: March 2023", "date: 2023-03/.."))
        document = json.loads(citeline("list", "--format", "json", cwd=tmp_path).stdout)
        assert document["events"][1]["date"]["end"] is None


class TestShow:
    def test_text(self, tmp_path: Path) -> None:
        make_timeline(tmp_path)
        result = citeline("show", "council-vote", cwd=tmp_path)
        assert result.returncode == 0
        assert result.stdout.splitlines() == [
            "The council votes [red]5–4[/red]",
            "================================",
            "4 Feb 2022 · Town hall",
            "Participants: The council",
            "Tags: vote",
            "",
            "The council voted on the harbour.",
            "",
            "Passages:",
            "  [1] The Gazette — gazette.txt:1:20",
            "      the council voted 5–4",
            "      note: By one vote.",
        ]

    def test_chinese_is_wrapped_and_underlined_in_terminal_cells(self, tmp_path: Path) -> None:
        # A Chinese character takes two cells: by characters, the summary came out as
        # one line of 156 cells, and the underline half as wide as the title.
        treaty = "中华人民共和国与俄罗斯联邦签署了协议。" * 5  # 95 characters, 190 cells
        (tmp_path / "treaty.txt").write_text(treaty + "\n", encoding="utf-8")
        make_timeline(tmp_path, f"""\
            title: 条约
            sources:
              - id: treaty
                file: treaty.txt
                title: 条约文本
            events:
              - id: treaty
                title: 中俄签署协议
                date: "2001-07-16"
                summary: {treaty}
                passages:
                  - source: treaty
                    quote: {treaty}
              - id: long-title
                title: {treaty}
                date: "2001-07-17"
                summary: S
                passages:
                  - source: treaty
                    quote: {treaty}
            """)
        result = citeline("show", "treaty", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        lines = result.stdout.splitlines()
        assert lines[:2] == ["中俄签署协议", "=" * 12]
        assert lines[4:7] == [treaty[:39], treaty[39:78], treaty[78:]]  # 78, 78 and 34 cells
        assert lines[-3:] == [  # 6 cells of indent and 66 of the quote: 33 characters
            f"      {treaty[:33]}", f"      {treaty[33:66]}", f"      {treaty[66:]}"
        ]
        titled = citeline("show", "long-title", cwd=tmp_path).stdout.splitlines()
        assert titled[:2] == [treaty, "=" * 78]

    def test_json_is_one_event_of_the_list(self, tmp_path: Path) -> None:
        make_timeline(tmp_path)
        result = citeline("show", "council-vote", "--format", "json", cwd=tmp_path)
        shown = json.loads(result.stdout)
        listed = json.loads(citeline("list", "--format", "json", cwd=tmp_path).stdout)
        assert shown == listed["events"][0]

    def test_unknown_id_names_the_closest(self, tmp_path: Path) -> None:
        make_timeline(tmp_path)
        result = citeline("show", "council-votes", cwd=tmp_path)
        assert result.returncode == 2
        assert result.stdout == ""
        assert result.stderr == (
            "citeline: error: no event with id 'council-votes'; closest: council-vote\n"
        )

    def test_unknown_id_with_nothing_close(self, tmp_path: Path) -> None:
        make_timeline(tmp_path)
        result = citeline("show", "zzz", cwd=tmp_path)
        assert result.returncode == 2
        assert result.stderr.endswith("; run 'citeline list' to see the ids\n")


# ---------------------------------------------------------------------------
# Options and help


class TestOptions:
    def test_version(self, tmp_path: Path) -> None:
        result = citeline("--version", cwd=tmp_path)
        assert result.returncode == 0
        assert result.stdout == f"citeline {__version__}\n"

    def test_help(self, tmp_path: Path) -> None:
        result = citeline("--help", cwd=tmp_path)
        assert result.returncode == 0
        for command in ("validate", "list", "show", "export", "--events", "--event"):
            assert command in result.stdout

    @pytest.mark.parametrize(
        ("command", "expected"),
        [
            ("validate", "Exit 0 when valid"),
            ("list", "--format {text,json}"),
            ("show", "ID"),
            ("export", "--format {json,timelinejs,markdown,csv,ics}"),
        ],
    )
    def test_command_help(self, tmp_path: Path, command: str, expected: str) -> None:
        result = citeline(command, "--help", cwd=tmp_path)
        assert result.returncode == 0
        assert expected in " ".join(result.stdout.split())
        assert "--events FILE" in result.stdout

    def test_usage_error_exits_2(self, tmp_path: Path) -> None:
        result = citeline("list", "--format", "yaml", cwd=tmp_path)
        assert result.returncode == 2
        assert "invalid choice: 'yaml'" in result.stderr
        no_traceback(result)


class TestBrowserRefusals:
    """The browser's refusals: printed before the screen is ever taken over."""

    def test_a_timeline_with_errors(self, tmp_path: Path) -> None:
        make_timeline(tmp_path, EVENTS.replace("March 2023", "Marhc 2023"))
        result = citeline(cwd=tmp_path)
        assert result.returncode == 1
        assert result.stdout == ""
        lines = result.stderr.splitlines()
        assert lines[0].startswith("events.yaml:") and ": error: " in lines[0]
        assert lines[-1] == "events.yaml: 1 error; run 'citeline validate' for the list"
        assert "\x1b" not in result.stderr  # no terminal set-up: the browser never started

    def test_an_unknown_event(self, tmp_path: Path) -> None:
        make_timeline(tmp_path)
        result = citeline("--event", "council-votes", cwd=tmp_path)
        assert result.returncode == 2
        assert result.stderr == (
            "citeline: error: no event with id 'council-votes'; closest: council-vote\n"
        )

    def test_a_missing_events_file(self, tmp_path: Path) -> None:
        result = citeline("--events", "nowhere.yaml", cwd=tmp_path)
        assert result.returncode == 2
        assert result.stderr == (
            "nowhere.yaml: error: no such file; give the path of an events.yaml\n"
        )


class TestEventsFileChoice:
    """``--events``, else ``$CITELINE_EVENTS``, else ``./events.yaml``, else bundled."""

    @pytest.fixture
    def places(self, tmp_path: Path) -> dict[str, Path]:
        return {
            "argument": make_timeline(tmp_path / "arg", EVENTS.replace("Harbour", "From arg")),
            "environment": make_timeline(tmp_path / "env", EVENTS.replace("Harbour", "From env")),
            "current": make_timeline(tmp_path / "cwd", EVENTS.replace("Harbour", "From cwd")),
            "empty": tmp_path / "empty",
        }

    @staticmethod
    def title(result: subprocess.CompletedProcess[str]) -> str:
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)["title"]

    def test_argument_wins(self, places: dict[str, Path]) -> None:
        result = citeline(
            "list", "--format", "json", "--events", str(places["argument"]),
            cwd=places["current"].parent, env={"CITELINE_EVENTS": str(places["environment"])},
        )
        assert self.title(result).startswith("From arg")

    def test_argument_before_the_command(self, places: dict[str, Path]) -> None:
        result = citeline(
            "--events", str(places["argument"]), "list", "--format", "json",
            cwd=places["current"].parent,
        )
        assert self.title(result).startswith("From arg")

    def test_environment_next(self, places: dict[str, Path]) -> None:
        result = citeline(
            "list", "--format", "json",
            cwd=places["current"].parent, env={"CITELINE_EVENTS": str(places["environment"])},
        )
        assert self.title(result).startswith("From env")

    def test_current_folder_next(self, places: dict[str, Path]) -> None:
        result = citeline("list", "--format", "json", cwd=places["current"].parent)
        assert self.title(result).startswith("From cwd")

    @pytest.mark.parametrize("before", [True, False])
    @pytest.mark.parametrize("command", ["validate", "list", "export"])
    def test_an_empty_argument_is_a_usage_error(
        self, places: dict[str, Path], command: str, before: bool
    ) -> None:
        args = [command, *(["--format", "csv"] if command == "export" else [])]
        args = ["--events", "", *args] if before else [*args, "--events", ""]
        result = citeline(*args, cwd=places["current"].parent)  # (./events.yaml is there)
        assert result.returncode == 2
        assert result.stdout == ""
        assert result.stderr == (
            "citeline: error: --events is empty; give the path of an events.yaml\n"
        )

    def test_an_empty_environment_variable_counts_as_unset(
        self, places: dict[str, Path]
    ) -> None:
        result = citeline(
            "list", "--format", "json", cwd=places["current"].parent, env={"CITELINE_EVENTS": ""}
        )
        assert self.title(result).startswith("From cwd")

    def test_bundled_last(self, places: dict[str, Path]) -> None:
        places["empty"].mkdir()
        result = citeline("list", "--format", "json", cwd=places["empty"])
        assert self.title(result) == "China and Russia, 2022-2023"
        result = citeline("validate", cwd=places["empty"])
        assert result.returncode == 0
        assert result.stdout.endswith(": valid: 29 events, 5 sources, 91 passages anchored\n")


# ---------------------------------------------------------------------------
# export


class TestExport:
    @pytest.mark.parametrize("fmt", ["json", "timelinejs", "markdown", "csv", "ics"])
    def test_writes_the_file(self, tmp_path: Path, fmt: str) -> None:
        make_timeline(tmp_path)
        out = tmp_path / "out" / f"timeline.{fmt}"
        out.parent.mkdir()
        result = citeline("export", "--format", fmt, "-o", str(out), cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stdout == ""
        assert result.stderr == f"wrote {out} ({fmt}, 2 events)\n"
        assert out.read_text(encoding="utf-8").strip()
        if fmt == "json":
            assert json.loads(out.read_text(encoding="utf-8"))["title"].startswith("Harbour")

    def test_to_stdout(self, tmp_path: Path) -> None:
        make_timeline(tmp_path)
        result = citeline("export", "--format", "csv", cwd=tmp_path)
        assert result.returncode == 0
        assert result.stdout.startswith("id,title,start,end")

    def test_to_stdout_is_utf8_whatever_the_locale(self, tmp_path: Path) -> None:
        make_timeline(tmp_path)
        result = citeline("export", "--format", "json", cwd=tmp_path,
                          env={"PYTHONIOENCODING": "ascii"})
        assert result.returncode == 0
        assert json.loads(result.stdout)["events"][0]["title"] == "The council votes [red]5–4[/red]"

    def test_into_dev_stdout(self, tmp_path: Path) -> None:
        if not Path("/dev/stdout").exists():
            pytest.skip("no /dev/stdout")
        make_timeline(tmp_path)
        result = citeline("export", "--format", "csv", "-o", "/dev/stdout", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("id,title,start,end")  # into the pipe, as '>' would
        assert result.stderr == "wrote /dev/stdout (csv, 2 events)\n"

    @pytest.mark.parametrize(
        ("target", "what"),
        [
            ("events.yaml", "the timeline's events file"),
            ("gazette.txt", "the timeline's source 'gazette'"),
            ("gone/../gazette.txt", "the timeline's source 'gazette'"),
            ("link.yaml", "the timeline's events file"),
            ("hard.txt", "the timeline's source 'gazette'"),
        ],
    )
    def test_never_over_the_timelines_own_files(
        self, tmp_path: Path, target: str, what: str
    ) -> None:
        make_timeline(tmp_path)
        (tmp_path / "link.yaml").symlink_to("events.yaml")
        os.link(tmp_path / "gazette.txt", tmp_path / "hard.txt")
        before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
        result = citeline(
            "export", "--format", "markdown", "-o", target, "--events", "events.yaml",
            cwd=tmp_path,
        )
        assert result.returncode == 2
        assert result.stderr == (
            f"{target}: error: this is {what}; write the export to another file\n"
        )
        assert result.stdout == ""
        assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before

    def test_dash_is_stdout(self, tmp_path: Path) -> None:
        make_timeline(tmp_path)
        result = citeline("export", "--format", "csv", "-o", "-", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stdout == citeline("export", "--format", "csv", cwd=tmp_path).stdout
        assert result.stdout.startswith("id,title,start,end")
        assert result.stderr == ""
        assert not (tmp_path / "-").exists()

    def test_an_empty_output_is_a_usage_error(self, tmp_path: Path) -> None:
        make_timeline(tmp_path)
        result = citeline("export", "--format", "csv", "-o", "", cwd=tmp_path)
        assert result.returncode == 2
        assert result.stdout == ""
        assert result.stderr == "citeline: error: -o is empty; give a file name\n"

    @pytest.mark.parametrize("output", ["notes.txt/", "exports/", "new.csv/."])
    def test_a_name_ending_as_a_folder_is_refused(self, tmp_path: Path, output: str) -> None:
        # the shell refuses 'x/' too: it never writes (or replaces) the file 'x'
        make_timeline(tmp_path)
        (tmp_path / "notes.txt").write_text("keep\n", encoding="utf-8")
        before = sorted(p.name for p in tmp_path.iterdir())
        result = citeline("export", "--format", "csv", "-o", output, cwd=tmp_path)
        assert result.returncode == 2
        assert result.stderr == (
            f"{output}: error: cannot write: this names a folder; give a file name\n"
        )
        assert sorted(p.name for p in tmp_path.iterdir()) == before
        assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "keep\n"

    def test_unwritable_target_exits_2(self, tmp_path: Path) -> None:
        make_timeline(tmp_path)
        target = tmp_path / "missing" / "out.json"
        result = citeline("export", "--format", "json", "-o", str(target), cwd=tmp_path)
        assert result.returncode == 2
        assert result.stderr.startswith(f"{target}: error: cannot write: ")
        assert result.stderr.endswith("; nothing was changed\n")
        assert not target.exists()

    def test_a_device_that_fails_is_not_said_to_be_unchanged(self, tmp_path: Path) -> None:
        # A device is written into, not replaced: "nothing was changed" would be untrue.
        if not Path("/dev/full").exists():
            pytest.skip("no /dev/full")
        make_timeline(tmp_path)
        result = citeline("export", "--format", "csv", "-o", "/dev/full", cwd=tmp_path)
        assert result.returncode == 2
        assert result.stdout == ""
        assert result.stderr == "/dev/full: error: cannot write: No space left on device\n"

    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
    def test_a_pipe_that_fails_is_not_said_to_be_unchanged(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        from citeline.export import atomic

        def reader_gone(path: object, data: bytes) -> None:
            raise BrokenPipeError(32, "Broken pipe")

        make_timeline(tmp_path)
        os.mkfifo(tmp_path / "pipe")
        monkeypatch.chdir(tmp_path)
        monkeypatch.delenv("CITELINE_EVENTS", raising=False)
        monkeypatch.setattr(atomic, "_write_into", reader_gone)
        assert cli.main(["export", "--format", "csv", "-o", "pipe"]) == 2
        assert capsys.readouterr() == ("", "pipe: error: cannot write: Broken pipe\n")


# ---------------------------------------------------------------------------
# Pipes and failures


def big_timeline(folder: Path, count: int = 3000) -> Path:
    body = "".join(
        f"  - id: event-{i}\n    title: Event number {i} {'x' * 40}\n    date: '2022'\n"
        "    summary: S\n    passages:\n      - source: gazette\n        quote: the harbour\n"
        "        prefix: 5–4 on\n"
        for i in range(count)
    )
    head = EVENTS[: EVENTS.index("events:")]
    return make_timeline(folder, head + "events:\n" + body)


class TestPipes:
    def test_list_into_head_has_no_traceback(self, tmp_path: Path) -> None:
        big_timeline(tmp_path)
        environment = {k: v for k, v in os.environ.items() if k != "CITELINE_EVENTS"}
        environment["PYTHONPATH"] = str(REPO / "src")
        result = subprocess.run(
            f"'{sys.executable}' -m citeline.cli list | head -1",
            shell=True, cwd=tmp_path, env=environment, capture_output=True, text=True,
            timeout=60,
        )
        assert result.stdout.startswith("2022  event-0 ")
        assert result.stdout.count("\n") == 1
        assert result.stderr == ""

    def test_closed_stdout_is_quiet(self, tmp_path: Path) -> None:
        big_timeline(tmp_path, 200)
        environment = {k: v for k, v in os.environ.items() if k != "CITELINE_EVENTS"}
        environment["PYTHONPATH"] = str(REPO / "src")
        process = subprocess.Popen(
            [sys.executable, "-m", "citeline.cli", "list", "--format", "json"],
            cwd=tmp_path, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()  # the reader is gone before anything is written
        error = process.stderr.read().decode()
        assert process.wait(timeout=60) == 0
        assert error == ""

    @staticmethod
    def run_with_stdout_closed(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        environment = {k: v for k, v in os.environ.items() if k != "CITELINE_EVENTS"}
        environment["PYTHONPATH"] = str(REPO / "src")
        return subprocess.run(
            ["sh", "-c", '"$0" -m citeline "$@" >&-', sys.executable, *args],
            cwd=cwd, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            text=True, timeout=60,
        )

    @pytest.mark.parametrize(
        "command",
        [["list"], ["show", "council-vote"], ["validate"], ["export", "--format", "csv"]],
    )
    def test_no_stdout_is_a_failed_write(self, tmp_path: Path, command: list[str]) -> None:
        make_timeline(tmp_path)
        result = self.run_with_stdout_closed(*command, cwd=tmp_path)
        assert result.stderr == (
            "citeline: error: cannot write the output: standard output is closed\n"
        )
        assert result.returncode == 2

    def test_one_event_is_counted_in_the_singular(self, tmp_path: Path) -> None:
        one = make_timeline(tmp_path, EVENTS[: EVENTS.index("  - id: council-vote")])
        result = citeline("export", "--format", "csv", "-o", "one.csv", "--events", str(one),
                          cwd=tmp_path)
        assert result.stderr == "wrote one.csv (csv, 1 event)\n"

    def test_no_stdout_does_not_matter_with_o(self, tmp_path: Path) -> None:
        make_timeline(tmp_path)
        result = self.run_with_stdout_closed("export", "--format", "csv", "-o", "out.csv",
                                             cwd=tmp_path)
        assert result.stderr == "wrote out.csv (csv, 2 events)\n"
        assert result.returncode == 0
        assert (tmp_path / "out.csv").read_text(encoding="utf-8").startswith("id,title,")

    @pytest.mark.parametrize(
        ("command", "code"),
        [
            (["export", "--format", "csv", "-o", "out.csv"], 0),
            (["show", "nowhere"], 2),
            (["validate", "--events", "missing.yaml"], 2),
            (["list", "--events", "broken.yaml"], 1),
            (["show", "council-vote", "--events", "broken.yaml"], 1),
            (["list", "--bogus"], 2),
        ],
    )
    def test_no_stderr_keeps_the_messages_out_of_stdout(
        self, tmp_path: Path, command: list[str], code: int
    ) -> None:
        # print(file=sys.stderr) with no stderr writes into stdout: an error or
        # "wrote out.csv" would end up inside the output.
        make_timeline(tmp_path)
        make_timeline(tmp_path, EVENTS.replace("date: March 2023", "date: Marchy"),
                      "broken.yaml")
        environment = {k: v for k, v in os.environ.items() if k != "CITELINE_EVENTS"}
        environment["PYTHONPATH"] = str(REPO / "src")
        closed = subprocess.run(
            ["sh", "-c", '"$0" -m citeline "$@" 2>&-', sys.executable, *command],
            cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=60,
        )
        normal = citeline(*command, cwd=tmp_path)
        assert normal.stderr  # (there was something to say)
        assert (closed.returncode, normal.returncode) == (code, code)
        assert closed.stdout == normal.stdout
        assert closed.stderr == ""

    def test_internal_error_is_one_line(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        def broken(*args: object, **kwargs: object) -> None:
            raise RuntimeError("boom\x1b[2J")

        monkeypatch.setattr(cli, "load", broken)
        assert cli.main(["validate"]) == cli.EXIT_INTERNAL == 3
        captured = capsys.readouterr()
        assert captured.out == ""
        assert captured.err == (
            "citeline: internal error: RuntimeError: boom␛[2J; this is a bug in citeline,"
            " please report it with the events file that caused it\n"
        )

    def test_write_failure_is_reported(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
        class Full(io.StringIO):
            def write(self, text: str) -> int:
                raise OSError(28, "No space left on device")

        make_timeline(tmp_path)
        monkeypatch.chdir(tmp_path)
        monkeypatch.delenv("CITELINE_EVENTS", raising=False)
        monkeypatch.setattr(sys, "stdout", Full())
        assert cli.main(["list"]) == 2
        assert capsys.readouterr().err == (
            "citeline: error: cannot write the output: No space left on device\n"
        )


# ---------------------------------------------------------------------------
# Injection: data is shown, never obeyed

HOSTILE = """\
title: "Plain \\e]0;pwned\\a title"
sources:
  - id: gazette
    file: gazette.txt
    title: "Gazette \\e[2J\\x9b31m"
events:
  - id: council-vote
    title: "Vote \\e[31mred\\e[0m \\x9b1m [bold]b[/bold] [@click=app.quit]x[/]"
    date: "2022-02-04"
    place: "Hall \\e]52;c;cHduZWQ=\\a"
    participants: ["A\\rB"]
    summary: "Summary \\e[2J with \\u202e reversed"
    passages:
      - source: gazette
        quote: "the council voted"
        note: "note \\e[5m blink"
"""

TRICKY_SOURCE = "On 4 February 2022 the council voted \x1b[31m5–4\x1b[0m \x9b2J on it.\n"


class TestInjection:
    @pytest.fixture
    def folder(self, tmp_path: Path) -> Path:
        make_timeline(tmp_path, HOSTILE)
        (tmp_path / "gazette.txt").write_text(TRICKY_SOURCE, encoding="utf-8")
        return tmp_path

    @staticmethod
    def safe(text: str) -> None:
        assert not any((ord(c) < 0x20 and c != "\n") or 0x7F <= ord(c) < 0xA0 for c in text)
        assert "\u202e" not in text

    def test_list_shows_markup_and_escapes_as_text(self, folder: Path) -> None:
        result = citeline("list", cwd=folder)
        assert result.returncode == 0
        self.safe(result.stdout)
        assert result.stdout == (
            "4 Feb 2022  council-vote  Vote ␛[31mred␛[0m �1m [bold]b[/bold]"
            " [@click=app.quit]x[/]\n"
        )

    def test_show_text(self, folder: Path) -> None:
        result = citeline("show", "council-vote", cwd=folder)
        assert result.returncode == 0
        self.safe(result.stdout)
        assert "Hall ␛]52;c;cHduZWQ=␇" in result.stdout
        assert "Gazette ␛[2J�31m — gazette.txt:1:20" in result.stdout
        assert "A␍B" in result.stdout
        assert "the council voted" in result.stdout
        assert "note: note ␛[5m blink" in result.stdout

    def test_show_a_source_file_name_with_a_bidi_override(self, folder: Path) -> None:
        make_timeline(folder, HOSTILE.replace("file: gazette.txt", 'file: "gaz\\u202eette.txt"'))
        (folder / "gaz\u202eette.txt").write_text(TRICKY_SOURCE, encoding="utf-8")
        result = citeline("show", "council-vote", cwd=folder)
        assert result.returncode == 0, result.stdout + result.stderr
        self.safe(result.stdout)
        assert " — gaz�ette.txt:1:20" in result.stdout

    def test_show_a_passage_holding_escapes(self, folder: Path) -> None:
        events = HOSTILE.replace('quote: "the council voted"', 'quote: "voted \\e[31m5–4"')
        make_timeline(folder, events)
        (folder / "gazette.txt").write_text(TRICKY_SOURCE, encoding="utf-8")
        result = citeline("show", "council-vote", cwd=folder)
        assert result.returncode == 0, result.stderr
        self.safe(result.stdout)
        assert "voted ␛[31m5–4" in result.stdout

    @pytest.mark.parametrize("command", [["list"], ["show", "council-vote"]])
    def test_json_escapes_every_control_character(self, folder: Path, command: list[str]) -> None:
        result = citeline(*command, "--format", "json", cwd=folder)
        assert result.returncode == 0
        self.safe(result.stdout)
        assert "\\u001b[31mred" in result.stdout
        assert "\\u009b" in result.stdout
        assert "\\u202e" in result.stdout
        document = json.loads(result.stdout)
        event = document["events"][0] if "events" in document else document
        assert event["title"].startswith("Vote \x1b[31mred")  # the data itself is exact
        assert event["summary"] == "Summary \x1b[2J with \u202e reversed"

    def test_diagnostics_quoting_user_text(self, tmp_path: Path) -> None:
        make_timeline(
            tmp_path,
            EVENTS.replace("title: The harbour reopens", '"\\e]0;x\\a": 1\n    title: T')
            .replace("quote: the harbour reopened", 'quote: "gone \\e[2J away"'),
        )
        result = citeline("validate", cwd=tmp_path)
        assert result.returncode == 1
        self.safe(result.stdout + result.stderr)
        assert "unknown field '␛]0;x␇' in an event" in result.stdout
        assert "copy the exact words: 'gone ␛[2J away'" in result.stdout

    def test_export_to_a_terminal_is_shown_safely(self, folder: Path) -> None:
        script = (
            "import os, pty, sys\n"
            "pid, fd = pty.fork()\n"
            "if pid == 0:\n"
            "    os.execv(sys.executable, [sys.executable, '-m', 'citeline.cli', 'export',"
            " '--format', 'markdown'])\n"
            "out = b''\n"
            "while True:\n"
            "    try:\n"
            "        chunk = os.read(fd, 65536)\n"
            "    except OSError:\n"
            "        break\n"
            "    if not chunk:\n"
            "        break\n"
            "    out += chunk\n"
            "os.waitpid(pid, 0)\n"
            "sys.stdout.write(out.decode('utf-8', 'replace'))\n"
        )
        if not hasattr(os, "fork"):
            pytest.skip("needs a pseudo-terminal")
        environment = {k: v for k, v in os.environ.items() if k != "CITELINE_EVENTS"}
        environment["PYTHONPATH"] = str(REPO / "src")
        result = subprocess.run(
            [sys.executable, "-c", script], cwd=folder, env=environment,
            capture_output=True, text=True, timeout=60,
        )
        shown = result.stdout.replace("\r\n", "\n")
        assert "Vote ␛\\[31mred" in shown
        self.safe(shown)

    def test_export_into_a_pipe_is_the_document_as_exported(self, folder: Path) -> None:
        result = citeline("export", "--format", "markdown", cwd=folder)
        assert result.returncode == 0
        # not a terminal: the document as exported (Markdown shows control characters
        # as placeholders itself: only JSON keeps them, escaped)
        assert "Vote ␛\\[31mred" in result.stdout
        for fmt in ("json", "timelinejs"):
            exported = citeline("export", "--format", fmt, cwd=folder).stdout
            self.safe(exported)
            assert "\\u001b[31mred" in exported and "\\u009b" in exported


@pytest.mark.parametrize("command", ["validate", "list"])
def test_what_a_command_loaded_is_kept_out_of_the_collectors_sight(
    tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # (else the first collection after the load walks all of it: 0.9 s at 100,000 events)
    import gc

    path = make_timeline(tmp_path)
    gc.unfreeze()
    try:
        assert cli.main([command, "--events", str(path)]) == 0
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
    assert capsys.readouterr().out


def test_the_browser_starts_with_the_collector_paused_and_hands_its_resumption_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # (its young collections while the interface is imported and first drawn find
    # nothing: about 15 ms of a warm start at 10,000 events)
    import gc

    from citeline.tui.app import CitelineApp

    path = make_timeline(tmp_path)
    seen: list[tuple[bool, bool]] = []

    def run(app: CitelineApp, **_kwargs: object) -> None:  # instead of the interface
        seen.append((gc.isenabled(), app._resume_collector is not None))

    monkeypatch.setattr(CitelineApp, "run", run)
    gc.enable()
    try:
        assert cli.main(["--events", str(path)]) == 0
        assert seen == [(False, True)]
        assert gc.isenabled()  # resumed by the command, the timeline never having shown
    finally:
        gc.enable()


def test_a_browser_refusal_leaves_the_collector_running(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import gc

    path = make_timeline(tmp_path, EVENTS.replace("March 2023", "Marhc 2023"))
    gc.enable()
    try:
        assert cli.main(["--events", str(path)]) == 1
        assert gc.isenabled()
    finally:
        gc.enable()
    assert "1 error" in capsys.readouterr().err


def test_the_command_imports_the_command_line_only_once_the_collector_is_paused() -> None:
    probe = (
        "import sys, citeline.__main__\n"
        "print(sorted(m for m in sys.modules if m in ('citeline.cli', 'citeline.loader')"
        " or m.split('.')[0] == 'textual'))\n"
    )
    assert run_probe(probe).strip() == "[]"


@pytest.mark.parametrize("command", [[], ["validate"]])
def test_the_command_resumes_the_collector_for_a_command_or_once_the_browser_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    import gc

    from citeline import __main__ as entry
    from citeline.tui.app import CitelineApp

    path = make_timeline(tmp_path)
    seen: list[bool] = []  # the collector running, as the command or the browser starts
    real_load = cli.load

    def load(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return real_load(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cli, "load", load)
    monkeypatch.setattr(CitelineApp, "run", lambda app, **_: seen.append(gc.isenabled()))
    monkeypatch.setattr(sys, "argv", ["citeline", "--events", str(path), *command])
    gc.enable()
    try:
        assert entry.main() == 0
        # validate runs with it resumed; the browser, paused until its timeline shows
        assert seen == ([True] if command else [False])
        assert gc.isenabled()
    finally:
        gc.enable()
    capsys.readouterr()
