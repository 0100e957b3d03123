"""Fixtures for the source viewer, sources and coverage screens.

``viewer_timeline`` is a small timeline written to disk and loaded for real;
``viewer_host`` builds a tiny app that pushes one screen and records every
message the screen posts upward.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.app import App
from textual.message import Message
from textual.screen import Screen

from citeline.dates import parse_date
from citeline.loader import load_timeline
from citeline.model import Event, Passage, Source, Timeline
from citeline.tui.commands import bindings
from citeline.tui.messages import EventChosen, PassageFocused, SourceRequested

#: Hostile strings that must reach the screen literally.
MARKUP_TITLE = "[bold]x[/] Alpha report"
MARKUP_EVENT = "Opening [@click=app.quit] session"
ESCAPE = "\x1b]0;pwned\x07"


def _alpha_text() -> str:
    lines = [f"Line {n}: some filler words that pad the report out a little." for n in range(1, 61)]
    lines[2] = "Line 3: The council met on Monday and approved the new harbour budget in full."
    lines[9] = f"Line 10: a title trick {ESCAPE} sits here."
    lines[14] = "Line 15: 港口预算获得批准，议会在星期一开会。" * 3
    lines[19] = "Line 20: Work on the harbour began in March after the winter storms."
    lines[39] = "Line 40: " + "long " * 60 + "end of the long line."
    lines[49] = "Line 50: The harbour reopened to shipping in the spring of the next year."
    return "\n".join(lines) + "\n"


EVENTS_YAML = """\
title: Harbour test timeline
sources:
  - id: alpha
    file: alpha.txt
    title: "[bold]x[/] Alpha report"
    author: A. Writer
  - id: beta
    file: beta.txt
    title: Beta notes
  - id: gamma
    file: gamma.txt
    title: Gamma letter
events:
  - id: e1
    title: "Opening [@click=app.quit] session"
    date: "2020-01-05"
    summary: The council meets.
    passages:
      - source: alpha
        quote: The council met on Monday and approved the new harbour budget
      - source: beta
        quote: The budget passed.
  - id: e2
    title: Budget approved
    date: "2020-02"
    summary: The budget is approved.
    passages:
      - source: alpha
        quote: approved the new harbour budget in full
      - source: alpha
        quote: The harbour reopened to shipping
  - id: e3
    title: Works begin
    date: "2020-03-10"
    summary: Work starts.
    passages:
      - source: gamma
        quote: We start digging tomorrow.
      - source: alpha
        quote: Work on the harbour began in March
  - id: e4
    title: Notes filed
    date: "2021"
    summary: Only beta says so.
    passages:
      - source: beta
        quote: Filed in the archive.
"""


def write_viewer_files(folder: Path) -> Path:
    """Write the fixture timeline into ``folder``; return its events.yaml."""
    (folder / "alpha.txt").write_text(_alpha_text(), encoding="utf-8")
    (folder / "beta.txt").write_text(
        "Beta notes.\nThe budget passed.\nFiled in the archive.\n", encoding="utf-8"
    )
    (folder / "gamma.txt").write_text("Dear all,\nWe start digging tomorrow.\n", encoding="utf-8")
    events = folder / "events.yaml"
    events.write_text(EVENTS_YAML, encoding="utf-8")
    return events


@pytest.fixture
def viewer_timeline(tmp_path: Path) -> Timeline:
    """A four-event, three-source timeline with hostile titles and text."""
    return load_timeline(write_viewer_files(tmp_path))


class ScreenHost(App[None]):
    """Pushes one screen and records the messages it posts upward.

    Like the real app it declares "back" at app level, and counts its uses.
    """

    BINDINGS = bindings("app.back")

    def __init__(self, make_screen: Callable[[], Screen]) -> None:
        super().__init__()
        self._make_screen = make_screen
        self.received: list[Message] = []
        self.backs = 0

    def action_back(self) -> None:
        self.backs += 1

    def on_mount(self) -> None:
        self.push_screen(self._make_screen())

    def on_event_chosen(self, message: EventChosen) -> None:
        self.received.append(message)

    def on_source_requested(self, message: SourceRequested) -> None:
        self.received.append(message)

    def on_passage_focused(self, message: PassageFocused) -> None:
        self.received.append(message)


@pytest.fixture
def viewer_host() -> type[ScreenHost]:
    """The host app class: ``viewer_host(lambda: SomeScreen(...))``."""
    return ScreenHost


def posted(app: ScreenHost) -> list[tuple]:
    """The messages ``app`` received, each as its class name and its fields in order."""
    return [
        (type(m).__name__, *(v for k, v in vars(m).items() if not k.startswith("_")))
        for m in app.received
    ]


def screen_lines(app: App) -> list[str]:
    """The text of every row of the app's current screen, as drawn."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def notifications(app: App) -> list[str]:
    """The messages of the notifications the app is showing."""
    return [notification.message for notification in app._notifications]


def synthetic_timeline(events: int, sources: int, per_event: int = 3) -> Timeline:
    """A timeline built in memory: event ``i`` cites ``per_event`` sources from ``i``."""
    text = ("word " * 12 + "\n") * 50
    made_sources = tuple(
        Source(f"src-{i:04d}", f"s{i}.txt", Path(f"s{i}.txt"), f"Source {i}", text)
        for i in range(sources)
    )
    made_events = []
    for i in range(events):
        passages = []
        for k in range(1 + i % per_event):
            start = (i * 7 + k * 13) % (len(text) - 40)
            passages.append(
                Passage(f"src-{(i + k) % sources:04d}", "q", start, start + 30, 1, 1,
                        text[start : start + 30])
            )
        made_events.append(
            Event(f"ev-{i}", f"Event {i}", parse_date(f"{1000 + i // 12:04d}-{i % 12 + 1:02d}"),
                  "summary", tuple(passages))
        )
    return Timeline("synthetic", tuple(made_events), made_sources)
