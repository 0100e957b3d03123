"""Which of a timeline's own files a path is: an export must never replace one."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from citeline.model import Timeline
from citeline.sanitize import one_line


def own_file(output: str, timeline: Timeline, events_path: Path) -> str | None:
    """What of the timeline's own files ``output`` is (through any link), or ``None``.

    Both the name as given and its ``realpath`` (what an atomic write replaces:
    ``gone/../events.yaml`` is ``events.yaml`` there) are compared, by inode.
    """
    targets = set()
    with contextlib.suppress(ValueError):  # (a NUL in the name: it names none of them)
        for name in (output, os.path.realpath(output)):
            with contextlib.suppress(OSError):  # not there: it is none of them
                found = os.stat(name)
                targets.add((found.st_dev, found.st_ino))
    if not targets:
        return None

    def same(path: Path) -> bool:
        try:
            found = os.stat(path)
        except OSError:
            return False
        return (found.st_dev, found.st_ino) in targets

    if same(events_path):
        return "the timeline's events file"
    for source in timeline.sources:
        if same(source.path):
            return f"the timeline's source '{one_line(source.id)}'"
    return None
