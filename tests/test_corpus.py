"""The corpus of bad inputs: each case gives its exact diagnostics, quickly, never a traceback.

Committed cases live in ``tests/corpus/<case>/`` (see its README). Cases that
need binary content, special files or huge sizes are generated here, in a
temporary folder. Every case runs through ``load()`` and through
``citeline validate``, and fails when it takes more than ``TIME_LIMIT`` seconds.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from citeline import cli, loader, source_files
from citeline.loader import LoadResult, load

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(__file__).resolve().parent / "corpus"
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "events.yaml").is_file())

Timer = Callable[[str], AbstractContextManager[None]]

#: A sanity bound on one case (loading, or one run of the command), in seconds.
TIME_LIMIT = 5.0

GAZETTE = (
    "On 4 February 2022 the council voted 5–4 on the harbour.\n"
    "The mayor said “we will rebuild”; the mayor said it twice.\n"
    "Later, in March 2023, the harbour reopened.\n"
)
HEAD = """\
title: Harbour timeline
sources:
  - id: gazette
    file: gazette.txt
    title: The Gazette
events:
"""
EVENT = """\
  - id: council-vote
    title: The council votes
    date: "2022-02-04"
    summary: The council voted on the harbour.
    passages:
      - source: gazette
        quote: the council voted 5-4
"""
VALID = HEAD + EVENT


# ---------------------------------------------------------------------------
# Timing


@pytest.fixture(scope="session")
def case_times() -> Iterator[dict[str, float]]:
    """Seconds taken by each case (load and command), kept for the whole run."""
    times: dict[str, float] = {}
    yield times
    slowest = sorted(times.items(), key=lambda item: -item[1])[:3]
    if slowest:
        print("\nslowest corpus cases:", ", ".join(f"{k} {v:.2f}s" for k, v in slowest))


@pytest.fixture
def timed(case_times: dict[str, float]) -> Timer:
    @contextmanager
    def measure(label: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        elapsed = time.perf_counter() - start
        case_times[label] = elapsed
        assert elapsed <= TIME_LIMIT, f"{label} took {elapsed:.1f} s (limit {TIME_LIMIT} s)"

    return measure


# ---------------------------------------------------------------------------
# Running a case


def diagnostics_of(result: LoadResult) -> list[str]:
    for diagnostic in result.diagnostics:
        assert diagnostic.file == "events.yaml"
    return [str(d) for d in result.diagnostics]


def run_validate(folder: Path) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "CITELINE_EVENTS"}
    environment["PYTHONPATH"] = str(ROOT / "src")
    return subprocess.run(
        [sys.executable, "-m", "citeline.cli", "validate", "--events", "events.yaml"],
        cwd=folder,
        env=environment,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


def check_command_output(
    code: int, out: str, err: str, expected: list[str], exit_code: int
) -> None:
    """What ``citeline validate`` printed matches the expected diagnostics."""
    assert "Traceback" not in out + err
    assert code == exit_code, out + err
    if exit_code == 2:  # the events file itself cannot be read: diagnostics on stderr
        assert out == ""
        assert err.splitlines() == expected
        return
    assert err == ""
    *printed, summary = out.splitlines()
    assert printed == expected
    verdict = "invalid" if exit_code == 1 else "valid"
    assert summary.startswith(f"events.yaml: {verdict}: ")


def exit_code_for(lines: list[str]) -> int:
    return 1 if any(": error: " in line for line in lines) else 0


# ---------------------------------------------------------------------------
# Committed cases


def test_corpus_is_there() -> None:
    assert len(CASES) >= 40
    for case in CASES:
        assert (CORPUS / case / "expected.txt").is_file(), case


@pytest.mark.parametrize("case", CASES)
def test_corpus_case_loads(case: str, timed: Timer) -> None:
    folder = CORPUS / case
    expected = (folder / "expected.txt").read_text(encoding="utf-8").splitlines()
    with timed(f"{case} (load)"):
        result = load(folder / "events.yaml", "events.yaml")
    assert diagnostics_of(result) == expected
    assert (result.timeline is None) == (exit_code_for(expected) == 1)


@pytest.mark.parametrize("case", CASES)
def test_corpus_case_validates(case: str, timed: Timer) -> None:
    folder = CORPUS / case
    expected = (folder / "expected.txt").read_text(encoding="utf-8").splitlines()
    with timed(f"{case} (validate)"):
        result = run_validate(folder)
    check_command_output(
        result.returncode, result.stdout, result.stderr, expected, exit_code_for(expected)
    )


# ---------------------------------------------------------------------------
# Generated cases


@dataclass(frozen=True)
class Generated:
    """A case built in a temporary folder.

    ``expected`` holds the exact diagnostics, unless ``check`` judges them.
    ``limits`` are lowered (monkeypatched) for the case; the command then
    runs in this process, since a child process would not see the patch.
    """

    name: str
    build: Callable[[Path], None]
    exit_code: int
    expected: tuple[str, ...] = ()
    check: Callable[[list[str]], None] | None = None
    limits: dict[str, int] = field(default_factory=dict)
    needs: str | None = None  # "symlink", "fifo", "not-root"


def files(events: str | bytes, **sources: str | bytes) -> Callable[[Path], None]:
    sources.setdefault("gazette.txt", GAZETTE)

    def build(folder: Path) -> None:
        data = events.encode("utf-8") if isinstance(events, str) else events
        (folder / "events.yaml").write_bytes(data)
        for name, content in sources.items():
            raw = content.encode("utf-8") if isinstance(content, str) else content
            path = folder / name.replace("__", "/")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(raw)

    return build


def then(*steps: Callable[[Path], None]) -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        for step in steps:
            step(folder)

    return build


def symlink(name: str, target: str) -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        (folder / name).symlink_to(folder / target)

    return build


def outside_link(name: str) -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        outside = folder.parent / f"{folder.name}-outside"
        outside.mkdir()
        (outside / "secret.txt").write_text(GAZETTE, encoding="utf-8")
        (folder / name).symlink_to(outside / "secret.txt")

    return build


def chmod(name: str, mode: int) -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        (folder / name).chmod(mode)

    return build


def fifo(name: str) -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        os.mkfifo(folder / name)

    return build


def folder_named(name: str) -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        (folder / name).mkdir()

    return build


def with_file(name: str) -> str:
    return VALID.replace("file: gazette.txt", f"file: {name}")


def with_quote(quote: str) -> str:
    return VALID.replace("quote: the council voted 5-4", f"quote: {quote}")


NOT_UTF8_EVENTS = (
    "events.yaml:1:11: error: the file is not UTF-8 text (byte 0xe9 here); save it as UTF-8,"
    " or convert it, for example with: iconv -f LATIN1 -t UTF-8"
)
DEEP = (
    "error: lists and mappings nested deeper than 64 levels are not supported (a timeline"
    " needs five); remove the extra brackets or indentation"
)
SYMLINK = "' goes through a symbolic link; copy the file itself into the events folder"


def one_unreadable_events_file(lines: list[str]) -> None:
    assert len(lines) == 1
    assert re.fullmatch(
        r"events\.yaml:\d+:\d+: error: the file is (binary \(a NUL byte here\)|not UTF-8 text"
        r" \(byte 0x[0-9a-f]{2} here\)); .*",
        lines[0],
    ), lines


def one_bad_source(lines: list[str]) -> None:
    assert len(lines) == 1
    assert re.fullmatch(
        r"events\.yaml:4:11: error: 'noise\.txt' is (a binary file \(a NUL byte at byte \d+,"
        r" line \d+\)|not UTF-8 \(byte \d+, line \d+: 0x[0-9a-f]{2}\)); .*",
        lines[0],
    ), lines


def alias_bomb_refused(lines: list[str]) -> None:
    aliases = [line for line in lines if "YAML aliases" in line]
    assert 0 < len(aliases) <= 100
    assert aliases[0] == (
        "events.yaml:3:8: error: YAML aliases (*a) are not supported; write the value out"
    )
    assert all(": error: " in line for line in lines)


def nested_too_deep_in_flow(lines: list[str]) -> None:
    """Told where the 65th level opens; or, from PyYAML 6.0.4 on, where libyaml's own
    look-ahead through the brackets met its limit (the 1,001st level), before citeline
    saw the first of them."""
    assert lines in (["events.yaml:1:71: " + DEEP], ["events.yaml:1:1007: " + DEEP]), lines


def capped_problems(lines: list[str]) -> None:
    assert len(lines) == 1001
    assert lines[0] == (
        "events.yaml:1:1: error: unknown field 'k0' in the timeline (known fields: title,"
        " sources, events)"
    )
    assert lines[-1] == (
        "events.yaml: error: 49,003 more problems are not shown (only the first 1,000 are);"
        " fix these and run again"
    )


def long_quote_not_found(lines: list[str]) -> None:
    assert len(lines) == 1
    assert lines[0].startswith(
        "events.yaml:13:16: error: quote not found in gazette.txt, nor anything close to it;"
        " check the source id and copy the exact words: 'lorem ipsum lorem ipsum"
    )
    assert lines[0].endswith("…'")
    assert len(lines[0]) < 250


def ambiguous_many_times(lines: list[str]) -> None:
    assert len(lines) == 1
    assert lines[0].startswith(
        "events.yaml:13:16: error: the quote occurs more than 1,000 times in gazette.txt"
        " (first at 1:1, 1:4, 1:7, "
    )
    assert lines[0].endswith(" and 980 more); quote more words")


def ambiguous_before_a_long_run(lines: list[str]) -> None:
    places = ", ".join(f"1:{column}" for column in range(1, 41, 2))
    assert lines == [
        f"events.yaml:13:16: error: the quote occurs 600 times in gazette.txt (at {places} and"
        " 580 more); add prefix: or suffix: with the words just before or after the one you mean"
    ]


def many_quotes_not_found(lines: list[str]) -> None:
    assert len(lines) == 300
    searched = [line for line in lines if "; closest: " in line or "nor anything close" in line]
    skipped = [line for line in lines if "no closest text was looked for" in line]
    assert searched and skipped
    assert len(searched) + len(skipped) == 300


def bomb() -> str:
    levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 9):
        name, previous = chr(97 + level), chr(96 + level)
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return "title: Bomb\n" + "\n".join(levels) + "\n"


def big_words(count: int, seed: int) -> str:
    rng = random.Random(seed)
    vocabulary = ["".join(rng.choice("bcdfghjklmnpqrstvwz") for _ in range(7)) for _ in range(5000)]
    return " ".join(rng.choice(vocabulary) for _ in range(count)) + "\n"


def many_events_with_missing_quotes(count: int) -> str:
    body = "".join(
        f"  - id: event-{i}\n    title: T\n    date: '2022'\n    summary: S\n"
        f"    passages:\n      - source: gazette\n        quote: quote number {i} is nowhere\n"
        for i in range(count)
    )
    return HEAD + body


GENERATED = [
    *(
        Generated(f"events-random-bytes-{seed}", files(random.Random(seed).randbytes(4096)), 2,
                  check=one_unreadable_events_file)
        for seed in range(5)
    ),
    Generated(
        "events-nul-byte",
        files(b"title: ok\nsources: []\x00\n"),
        2,
        ("events.yaml:2:12: error: the file is binary (a NUL byte here); an events file is YAML"
         " text saved as UTF-8",),
    ),
    Generated("events-latin1", files("title: Café\n".encode("latin-1")), 2, (NOT_UTF8_EVENTS,)),
    Generated(
        "events-utf16",
        files(VALID.encode("utf-16")),
        2,
        ("events.yaml:1:1: error: the file is UTF-16 text; save it as UTF-8, or convert it, for"
         " example with: iconv -f UTF-16 -t UTF-8",),
    ),
    Generated(
        "events-control-character",
        files(VALID.replace("Harbour timeline", "Harbour \x1b[2J timeline")),
        1,
        ("events.yaml:1:16: error: the character U+001B (control character) is not allowed in"
         ' YAML; delete it (inside double quotes it can be written as "\\x1b")',),
    ),
    Generated(
        "events-c1-control-character",
        files(VALID.replace("The council votes", "The council \x9b votes")),
        1,
        ("events.yaml:8:24: error: the character U+009B (control character) is not allowed in"
         ' YAML; delete it (inside double quotes it can be written as "\\x9b")',),
    ),
    Generated(
        "events-folder",
        folder_named("events.yaml"),
        2,
        ("events.yaml: error: is a folder; name the events.yaml file in it",),
    ),
    Generated(
        "events-fifo",
        fifo("events.yaml"),
        2,
        ("events.yaml: error: is not a regular file (a device, pipe or socket); name an"
         " events.yaml file",),
        needs="fifo",
    ),
    Generated(
        "events-unreadable",
        then(files(VALID), chmod("events.yaml", 0)),
        2,
        ("events.yaml: error: cannot be read: permission denied; make it readable (chmod a+r)",),
        needs="not-root",
    ),
    Generated(
        "events-oversized",
        files(VALID),
        2,
        (f"events.yaml: error: the file is {len(VALID):,} bytes; events files are limited to"
         " 64 bytes (0 MiB): split the timeline",),
        limits={"loader.MAX_EVENTS_BYTES": 64},
    ),
    Generated(
        "source-latin1",
        files(VALID, **{"gazette.txt": "Café: the council voted 5-4\n".encode("latin-1")}),
        1,
        ("events.yaml:4:11: error: 'gazette.txt' is not UTF-8 (byte 3, line 1: 0xe9); convert"
         " it, for example with: iconv -f LATIN1 -t UTF-8",),
    ),
    Generated(
        "source-nul-byte",
        files(VALID, **{"gazette.txt": b"the council voted 5-4\n\x00"}),
        1,
        ("events.yaml:4:11: error: 'gazette.txt' is a binary file (a NUL byte at byte 22, line"
         " 2); sources must be UTF-8 text: save the text of the document as a .txt file",),
    ),
    Generated(
        "source-utf16",
        files(VALID, **{"gazette.txt": GAZETTE.encode("utf-16")}),
        1,
        ("events.yaml:4:11: error: 'gazette.txt' is UTF-16 text; sources must be UTF-8: save it"
         " as UTF-8, for example with: iconv -f UTF-16 -t UTF-8",),
    ),
    *(
        Generated(
            f"source-random-bytes-{seed}",
            files(with_file("noise.txt"), **{"noise.txt": random.Random(seed).randbytes(2048)}),
            1,
            check=one_bad_source,
        )
        for seed in range(3)
    ),
    Generated(
        "source-empty",
        files(VALID, **{"gazette.txt": ""}),
        1,
        ("events.yaml:13:16: error: quote not found in gazette.txt, nor anything close to it;"
         " check the source id and copy the exact words: 'the council voted 5-4'",),
    ),
    Generated(
        "source-symlink-outside",
        then(files(with_file("link.txt")), outside_link("link.txt")),
        1,
        ("events.yaml:4:11: error: 'link.txt" + SYMLINK,),
        needs="symlink",
    ),
    Generated(
        "source-symlink-inside",
        then(files(with_file("link.txt")), symlink("link.txt", "gazette.txt")),
        1,
        ("events.yaml:4:11: error: 'link.txt" + SYMLINK,),
        needs="symlink",
    ),
    Generated(
        "source-symlinked-folder",
        then(
            files(with_file("texts/gazette.txt"), **{"real__gazette.txt": GAZETTE}),
            symlink("texts", "real"),
        ),
        1,
        ("events.yaml:4:11: error: 'texts/gazette.txt" + SYMLINK,),
        needs="symlink",
    ),
    Generated(
        "source-fifo",
        then(files(with_file("pipe.txt")), fifo("pipe.txt")),
        1,
        ("events.yaml:4:11: error: 'pipe.txt' is not a regular file (a device, pipe or socket);"
         " copy the text into a file and name that",),
        needs="fifo",
    ),
    Generated(
        "source-unreadable",
        then(files(VALID), chmod("gazette.txt", 0)),
        1,
        ("events.yaml:4:11: error: source file 'gazette.txt' cannot be read: permission denied;"
         " make it readable (chmod a+r)",),
        needs="not-root",
    ),
    Generated(
        "source-oversized",
        files(VALID),
        1,
        (f"events.yaml:4:11: error: source file 'gazette.txt' is {len(GAZETTE.encode()):,} bytes;"
         " sources are limited to 64 bytes (0 MiB): split it or cite an excerpt",),
        limits={"source_files.MAX_SOURCE_BYTES": 64},
    ),
    Generated(
        "sources-oversized-together",
        files(
            VALID.replace("events:", "  - id: more\n    file: more.txt\n    title: M\nevents:"),
            **{"more.txt": GAZETTE},
        ),
        1,
        (f"events.yaml:7:11: error: source file 'more.txt' ({len(GAZETTE.encode()):,} bytes)"
         " would bring the sources to more than 200 bytes (0 MiB) in all; split the timeline or"
         " cite excerpts",),
        limits={"loader.MAX_TOTAL_SOURCE_BYTES": 200},
    ),
    Generated("alias-bomb", files(bomb()), 1, check=alias_bomb_refused),
    Generated(
        "nesting-10000-flow-lists",
        files("title: " + "[" * 10_000 + "]" * 10_000 + "\n"),
        1,
        check=nested_too_deep_in_flow,
    ),
    Generated(
        "nesting-10000-flow-mappings",
        files("title: " + "{a: " * 10_000 + "x" + "}" * 10_000 + "\n"),
        1,
        ("events.yaml:1:260: " + DEEP,),
    ),
    Generated(
        "nesting-10000-block-lists",
        files("title: x\nevents:\n" + "- " * 10_000 + "x\n"),
        1,
        ("events.yaml:3:127: " + DEEP,),
    ),
    Generated(
        "nesting-200-block-mappings",
        files("".join("  " * i + f"k{i}:\n" for i in range(200))),
        1,
        ("events.yaml:65:129: " + DEEP,),
    ),
    Generated(
        "many-unknown-fields",
        files("".join(f"k{i}: v\n" for i in range(50_000))),
        1,
        check=capped_problems,
    ),
    Generated(
        "long-line-title",
        files(VALID.replace("Harbour timeline", "Harbour " + "x" * 5_000_000)),
        0,
    ),
    Generated(
        "long-quote-not-found",
        files(with_quote("lorem ipsum " * 20_000)),
        1,
        check=long_quote_not_found,
    ),
    Generated(
        "pathological-source-whitespace",
        files(with_quote("a a a"), **{"gazette.txt": "a  " * 1_000_000}),
        1,
        check=ambiguous_many_times,
    ),
    Generated(
        "pathological-source-long-whitespace-run",
        files(with_quote("a"), **{"gazette.txt": "a " * 600 + " " * 8_000_000 + "end\n"}),
        1,
        check=ambiguous_before_a_long_run,
    ),
    Generated(  # each dot of each … a place turned down: one regular expression for all
        "pathological-source-ellipses",
        files(with_quote("."), **{"gazette.txt": "…" * 1_000_000 + "\nThe end.\n"}),
        0,
    ),
    Generated(
        "pathological-source-combining-marks",
        files(with_quote("e"), **{"gazette.txt": "e\u0301" * 1_000_000 + "\ne\n"}),
        0,
    ),
    Generated(
        "many-quotes-not-found-in-a-big-source",
        files(many_events_with_missing_quotes(300), **{"gazette.txt": big_words(400_000, 1)}),
        1,
        check=many_quotes_not_found,
    ),
]


def _available(needs: str | None) -> bool:
    if needs == "symlink":
        return hasattr(os, "symlink")
    if needs == "fifo":
        return hasattr(os, "mkfifo")
    if needs == "not-root":
        return os.name == "posix" and os.geteuid() != 0
    return True


@pytest.fixture
def built(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Generated, Path]]:
    case: Generated = request.param
    if not _available(case.needs):
        pytest.skip(f"needs {case.needs}")
    folder = tmp_path / case.name
    folder.mkdir()
    case.build(folder)
    try:
        yield case, folder
    finally:  # make everything removable again
        for path in [folder, *folder.rglob("*")]:
            if not path.is_symlink() and path.exists():
                path.chmod(0o755 if path.is_dir() else 0o644)


def apply_limits(case: Generated, monkeypatch: pytest.MonkeyPatch) -> None:
    modules = {"loader": loader, "source_files": source_files}
    for target, value in case.limits.items():
        module, name = target.split(".")
        monkeypatch.setattr(modules[module], name, value)


def expect(case: Generated, lines: list[str]) -> None:
    if case.check is not None:
        case.check(lines)
    else:
        assert lines == list(case.expected)


@pytest.mark.parametrize("built", GENERATED, ids=[c.name for c in GENERATED], indirect=True)
def test_generated_case_loads(
    built: tuple[Generated, Path],
    timed: Timer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case, folder = built
    apply_limits(case, monkeypatch)
    with timed(f"{case.name} (load)"):
        result = load(folder / "events.yaml", "events.yaml")
    lines = diagnostics_of(result)
    expect(case, lines)
    assert result.unreadable == (case.exit_code == 2)
    assert (result.timeline is None) == (case.exit_code != 0)


@pytest.mark.parametrize("built", GENERATED, ids=[c.name for c in GENERATED], indirect=True)
def test_generated_case_validates(
    built: tuple[Generated, Path],
    timed: Timer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    case, folder = built
    if case.limits:  # the lowered limits exist only in this process
        apply_limits(case, monkeypatch)
        monkeypatch.chdir(folder)
        with timed(f"{case.name} (validate)"):
            code = cli.main(["validate", "--events", "events.yaml"])
        captured = capsys.readouterr()
        out, err = captured.out, captured.err
    else:
        with timed(f"{case.name} (validate)"):
            result = run_validate(folder)
        code, out, err = result.returncode, result.stdout, result.stderr
    assert "Traceback" not in out + err
    printed = (err if case.exit_code == 2 else out).splitlines()
    if case.exit_code != 2:
        printed = printed[:-1]  # the summary line
    expect(case, printed)
    check_command_output(code, out, err, printed, case.exit_code)


def test_generated_names_are_unique() -> None:
    names = [case.name for case in GENERATED]
    assert len(names) == len(set(names))
    assert not set(names) & set(CASES)

