"""Fuzzing the loader: whatever the bytes, only a timeline or placed diagnostics come out.

Random text and bytes, mutated copies of a valid events file (byte flips,
deleted, duplicated and re-indented lines) and random YAML structures go
through ``load()``. It must never raise; it returns a timeline with no
errors, or no timeline and at least one error; every diagnostic names the
events file and, when it has a place, a line and column inside the file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citeline.diagnostics import Severity
from citeline.loader import EVENT_FIELDS, PASSAGE_FIELDS, SOURCE_FIELDS, TOP_FIELDS, load

GAZETTE = (
    "On 4 February 2022 the council voted 5–4 on the harbour.\n"
    "The mayor said “we will rebuild”; the mayor said it twice.\n"
    "Later, in March 2023, the harbour reopened.\n"
)

VALID = """\
title: Harbour timeline
sources:
  - id: gazette
    file: gazette.txt
    title: The Gazette
    author: Staff
  - id: notes
    file: notes/notes.txt
    title: "Notes: [bold]x[/bold]"
events:
  - id: council-vote
    title: The council votes
    date: "2022-02-04"
    place: Town hall
    participants: [The council, The mayor]
    tags: [vote]
    summary: >-
      The council voted on the harbour,
      narrowly.
    passages:
      - source: gazette
        quote: the council voted 5-4
        note: By one vote.
      - source: gazette
        quote: mayor said
        prefix: rebuild”; the
  - id: reopening
    title: The harbour reopens
    date: March 2023/2023-04?
    summary: It reopened.
    passages:
      - source: notes
        quote: "reopened … at last"
"""
NOTES = "The harbour reopened ... at last, in the spring.\n"

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fuzz")
    (path / "gazette.txt").write_text(GAZETTE, encoding="utf-8")
    (path / "notes").mkdir()
    (path / "notes" / "notes.txt").write_text(NOTES, encoding="utf-8")
    return path


def check(folder: Path, data: bytes) -> None:
    """Load ``data`` as the events file and hold the result to the contract."""
    path = folder / "events.yaml"
    path.write_bytes(data)
    result = load(path, "events.yaml")  # must not raise
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    if result.timeline is not None:
        assert not errors
        for event in result.timeline.events:
            assert event.passages
            for passage in event.passages:
                source = result.timeline.source(passage.source_id)
                assert source is not None
                assert source.text[passage.start : passage.end] == passage.text
    else:
        assert errors, "no timeline, yet no error says why"
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        text = data.decode("utf-8", "replace")
    # lines as editors count them: by "\n", or by "\r" in a text without one (old Mac files)
    lines = text.split("\r" if "\n" not in text and "\r" in text else "\n")
    for diagnostic in result.diagnostics:
        assert diagnostic.file == "events.yaml"
        assert isinstance(diagnostic.message, str) and diagnostic.message
        assert diagnostic.severity in (Severity.ERROR, Severity.WARNING)
        if diagnostic.line is None:
            assert diagnostic.column is None
            continue
        assert 1 <= diagnostic.line <= len(lines), str(diagnostic)
        assert diagnostic.column is not None
        assert 1 <= diagnostic.column <= len(lines[diagnostic.line - 1]) + 1, str(diagnostic)


def test_the_seed_is_valid(folder: Path) -> None:
    path = folder / "events.yaml"
    path.write_text(VALID, encoding="utf-8")
    result = load(path, "events.yaml")
    assert [str(d) for d in result.diagnostics] == []
    assert result.timeline is not None and len(result.timeline.events) == 2


# ---------------------------------------------------------------------------
# Random text and bytes


@SETTINGS
@given(text=st.text(max_size=400))
def test_random_text(folder: Path, text: str) -> None:
    check(folder, text.encode("utf-8", "surrogatepass"))


@SETTINGS
@given(data=st.binary(max_size=400))
def test_random_bytes(folder: Path, data: bytes) -> None:
    check(folder, data)


_YAMLISH = st.text(
    alphabet=st.sampled_from(list(" \n\t-:?[]{},&*!|>'\"#%@`~.\\0aZé…“’\u2028\x85\r")),
    max_size=200,
)


@SETTINGS
@given(text=_YAMLISH)
def test_random_yaml_punctuation(folder: Path, text: str) -> None:
    check(folder, text.encode("utf-8"))


# ---------------------------------------------------------------------------
# Mutated copies of a valid file


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(VALID.encode("utf-8"))
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(
            st.sampled_from(["flip", "set", "delete", "duplicate", "indent", "swap", "token"])
        )
        lines = data.split(b"\n")
        if kind == "flip" and data:
            at = draw(st.integers(0, len(data) - 1))
            data[at] ^= 1 << draw(st.integers(0, 3))  # mostly stays printable
        elif kind == "set" and data:
            at = draw(st.integers(0, len(data) - 1))
            data[at] = draw(st.sampled_from(b" \t\n:-[]{}&*!'\"#0aZ\x00\x1b\xff"))
        elif kind == "delete":
            del lines[draw(st.integers(0, len(lines) - 1))]
            data = bytearray(b"\n".join(lines))
        elif kind == "duplicate":
            at = draw(st.integers(0, len(lines) - 1))
            lines.insert(at, lines[at])
            data = bytearray(b"\n".join(lines))
        elif kind == "indent":
            at = draw(st.integers(0, len(lines) - 1))
            shift = draw(st.integers(-4, 4))
            line = lines[at]
            lines[at] = b" " * shift + line if shift >= 0 else line[min(-shift, len(line)) :]
            data = bytearray(b"\n".join(lines))
        elif kind == "token":  # drop or insert a piece of YAML syntax
            token = draw(st.sampled_from([b": ", b"- ", b"[", b"]", b"{", b'"', b"'", b"  ", b"#"]))
            places = [i for i in range(len(data)) if data.startswith(token, i)]
            if places and draw(st.booleans()):
                at = draw(st.sampled_from(places))
                del data[at : at + len(token)]
            else:
                at = draw(st.integers(0, len(data)))
                data[at:at] = token
        elif kind == "swap" and len(lines) > 1:
            a = draw(st.integers(0, len(lines) - 1))
            b = draw(st.integers(0, len(lines) - 1))
            lines[a], lines[b] = lines[b], lines[a]
            data = bytearray(b"\n".join(lines))
    return bytes(data)


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=mutated())
def test_mutated_valid_file(folder: Path, data: bytes) -> None:
    check(folder, data)


# ---------------------------------------------------------------------------
# Random YAML structures

_FIELD_NAMES = sorted({*TOP_FIELDS, *SOURCE_FIELDS, *EVENT_FIELDS, *PASSAGE_FIELDS})
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 3000),
    st.sampled_from(
        ["gazette", "notes", "gazette.txt", "notes/notes.txt", "../x", "/etc/passwd", "2022-02-04",
         "2023-03-22/2023-03-20", "2022-02-30", "March 2023", "the council voted 5-4",
         "mayor said", "[bold]x[/bold]", "\x1b[2J", ""]
    ),
    st.text(max_size=20),
)
_KEYS = st.one_of(st.sampled_from(_FIELD_NAMES), st.text(max_size=8))
_STRUCTURES = st.recursive(
    _SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(_KEYS, children, max_size=6),
    ),
    max_leaves=30,
)


@st.composite
def timeline_like(draw: st.DrawFn) -> object:
    """Mostly the timeline's own shape, with random values and detours."""
    passage = st.dictionaries(st.sampled_from(PASSAGE_FIELDS), _STRUCTURES, max_size=5)
    event = st.dictionaries(
        st.sampled_from(EVENT_FIELDS),
        st.one_of(_STRUCTURES, st.lists(passage, max_size=3)),
        max_size=8,
    )
    source = st.dictionaries(st.sampled_from(SOURCE_FIELDS), _SCALARS, max_size=7)
    top = {
        "title": draw(_SCALARS),
        "sources": draw(st.one_of(st.lists(source, max_size=3), _STRUCTURES)),
        "events": draw(st.one_of(st.lists(event, max_size=3), _STRUCTURES)),
    }
    return draw(st.one_of(st.just(top), _STRUCTURES))


@SETTINGS
@given(structure=timeline_like(), flow=st.sampled_from([None, True, False]),
       shared=st.booleans())
def test_random_yaml_structures(
    folder: Path, structure: object, flow: bool | None, shared: bool
) -> None:
    if shared and isinstance(structure, dict):  # the same object twice: the dump uses an alias
        structure = {**structure, "again": structure.get("events")}
    text = yaml.dump(structure, default_flow_style=flow, allow_unicode=True)
    check(folder, text.encode("utf-8", "surrogatepass"))


@SETTINGS
@given(structure=_STRUCTURES)
def test_random_yaml_with_python_tags(folder: Path, structure: object) -> None:
    # the unsafe dumper writes tags such as !!python/tuple that would build objects
    text = yaml.dump({"title": (structure,), "sources": [], "events": []})
    check(folder, text.encode("utf-8", "surrogatepass"))
