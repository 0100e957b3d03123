"""The timeline cache: used only for exactly the same files, and never trusted blindly."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from citeline import cache
from citeline.loader import load, remember

SOURCE = "The envoy arrived on Monday. Talks began at once.\nThey ended in a deal.\n"
EVENTS = """\
title: Cache test
sources:
  - id: s
    file: s.txt
    title: Source
events:
  - id: arrival
    title: Envoy arrives
    date: "2021-03-01"
    place: Capital
    participants: [Envoy]
    tags: [visit]
    summary: The envoy arrives.
    passages:
      - source: s
        quote: The envoy arrived on Monday.
        note: a note
  - id: deal
    title: A deal
    date: 2021-03/2021-04~
    summary: They agree.
    passages:
      - source: s
        quote: They ended in a deal.
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "s.txt").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "events.yaml").write_text(EVENTS, encoding="utf-8")
    return tmp_path


def _warm(folder: Path):
    path = folder / "events.yaml"
    first = load(path, use_cache=True)
    assert not first.from_cache
    remember(path, first)
    return path, first


def test_second_load_comes_from_the_cache_and_is_identical(folder: Path) -> None:
    path, first = _warm(folder)
    second = load(path, use_cache=True)
    assert second.from_cache
    assert second.timeline == first.timeline
    assert second.diagnostics == first.diagnostics
    assert second.timeline.sources[0].text == SOURCE
    assert [e.location for e in second.timeline.events] == [
        e.location for e in first.timeline.events
    ]


def test_cache_lives_under_xdg_cache_home(folder: Path, _private_cache: Path) -> None:
    _warm(folder)
    entries = list((_private_cache / "citeline").glob("*.json"))
    assert len(entries) == 1
    document = json.loads(entries[0].read_text(encoding="utf-8"))  # plain JSON, no pickle
    assert document["title"] == "Cache test"


def test_changed_events_file_is_a_miss(folder: Path) -> None:
    path, _ = _warm(folder)
    path.write_text(EVENTS.replace("Envoy arrives", "The envoy arrives"), encoding="utf-8")
    result = load(path, use_cache=True)
    assert not result.from_cache
    assert result.timeline.events[0].title == "The envoy arrives"


def test_changed_source_is_a_miss(folder: Path) -> None:
    path, _ = _warm(folder)
    (folder / "s.txt").write_text("Preface.\n" + SOURCE, encoding="utf-8")
    result = load(path, use_cache=True)
    assert not result.from_cache
    assert result.timeline.events[0].passages[0].line == 2


def test_source_turned_bad_is_a_miss_with_diagnostics(folder: Path) -> None:
    path, _ = _warm(folder)
    (folder / "s.txt").write_bytes(b"\x00binary")
    result = load(path, use_cache=True)
    assert not result.from_cache
    assert result.timeline is None
    assert any("binary" in d.message for d in result.diagnostics)


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],
        lambda text: "[]",
        lambda text: "not json",
        lambda text: text.replace('"format":1', '"format":999'),
        lambda text: text.replace(cache.__version__, "0.0.0-other"),
        lambda text: text.replace('"events":[[', '"events":[[1,'),
    ],
)
def test_damaged_or_foreign_cache_is_a_miss(folder: Path, damage) -> None:
    path, first = _warm(folder)
    entry = cache.entry_path(path)
    entry.write_text(damage(entry.read_text(encoding="utf-8")), encoding="utf-8")
    result = load(path, use_cache=True)
    assert not result.from_cache
    assert result.timeline == first.timeline


def test_validate_never_uses_the_cache(folder: Path) -> None:
    path, _ = _warm(folder)
    assert not load(path).from_cache


def test_disabled_by_environment(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, _ = _warm(folder)
    monkeypatch.setenv("CITELINE_NO_CACHE", "1")
    assert not load(path, use_cache=True).from_cache


def test_unwritable_cache_folder_is_ignored(folder: Path, tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    path = folder / "events.yaml"
    result = load(path, use_cache=True)
    remember(path, result)  # must not raise
    assert not load(path, use_cache=True).from_cache
    assert not os.path.isdir(blocker)
