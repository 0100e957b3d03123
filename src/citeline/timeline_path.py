"""Which events file to open: the one named, else the environment, else here, else bundled."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

ENV_VAR = "CITELINE_EVENTS"


class EventsPath(NamedTuple):
    path: Path
    origin: str  # "argument", "environment", "current folder" or "bundled"


def bundled_events() -> Path:
    """The bundled China–Russia timeline: package data, or the checkout's own."""
    packaged = Path(__file__).with_name("data") / "events.yaml"
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "events.yaml"


def choose_events_path(argument: str | None, environ: dict[str, str] | None = None) -> EventsPath:
    """``--events FILE``, else ``$CITELINE_EVENTS``, else ``./events.yaml``, else bundled.

    An empty variable counts as unset; an empty argument is no path (the command
    line refuses it before asking), never a reason to look elsewhere.
    """
    environ = dict(os.environ) if environ is None else environ
    if argument is not None:
        return EventsPath(Path(argument), "argument")
    if environ.get(ENV_VAR):
        return EventsPath(Path(environ[ENV_VAR]), "environment")
    local = Path("events.yaml")
    if local.is_file():
        return EventsPath(local, "current folder")
    return EventsPath(bundled_events(), "bundled")
