"""A small timeline on disk for the browser's flow tests, and helpers to drive it."""

from __future__ import annotations

from pathlib import Path

import pytest

from citeline.loader import load_timeline
from citeline.tui.app import CitelineApp, make_app

SOURCE_A = """\
The first meeting took place in the spring. Both sides said little.
Later the treaty was signed in the capital.
A crowd gathered outside; nobody expected the storm.
"""

SOURCE_B = """\
Reporters wrote that the treaty was signed in the capital after a long night.
The markets fell the next morning.
"""

EVENTS = """\
title: Flow test
sources:
  - id: a
    file: a.txt
    title: Source A
  - id: b
    file: b.txt
    title: Source B
events:
  - id: meeting
    title: First meeting
    date: "2020-04"
    place: Harbour town
    tags: [diplomacy]
    summary: The two sides meet for the first time.
    passages:
      - source: a
        quote: The first meeting took place in the spring.
  - id: treaty
    title: Treaty signed
    date: "2020-06-01"
    participants: [Ann, Bo]
    summary: The treaty is signed.
    passages:
      - source: a
        quote: Later the treaty was signed in the capital.
      - source: b
        quote: the treaty was signed in the capital after a long night.
  - id: storm
    title: The storm
    date: "2021"
    summary: A storm nobody expected.
    passages:
      - source: a
        quote: nobody expected the storm.
  - id: markets
    title: Markets fall
    date: "2020-06-02"
    summary: Markets fall after the treaty.
    passages:
      - source: b
        quote: The markets fell the next morning.
"""


@pytest.fixture
def flow_dir(tmp_path: Path) -> Path:
    (tmp_path / "a.txt").write_text(SOURCE_A, encoding="utf-8")
    (tmp_path / "b.txt").write_text(SOURCE_B, encoding="utf-8")
    (tmp_path / "events.yaml").write_text(EVENTS, encoding="utf-8")
    return tmp_path


def make_flow_app(folder: Path, select: str | None = None, watch: bool = False) -> CitelineApp:
    path = folder / "events.yaml"
    return make_app(load_timeline(path), path, select_event=select, watch=watch)


def selected_id(app: CitelineApp) -> str | None:
    event = app.main_screen.selected_event
    return event.id if event else None
