"""Which of a timeline's own files a path is: an export must never replace one."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from citeline.model import Timeline
from citeline.sanitize import one_line


def own_file(output: str, timeline: Timeline, events_path: Path) -> str | None:
    """What of the timeline's own files ``output`` is (through any link), or ``None``.

    A file that is there is compared by inode, under the name as given and its
    ``realpath`` (what an atomic write replaces: ``gone/../events.yaml`` is
    ``events.yaml`` there). A name is compared too, made absolute both ways, so that
    a source missing for now (deleted, being rewritten) is not written in its place:
    the timeline would then quote the export.
    """
    names: set[str] = set()
    targets = set()
    with contextlib.suppress(ValueError):  # (a NUL in the name: it names none of them)
        names = _names(output)
        for name in (output, os.path.realpath(output)):
            with contextlib.suppress(OSError):  # not there: compared by name only
                found = os.stat(name)
                targets.add((found.st_dev, found.st_ino))
    if not names:
        return None

    def same(path: Path) -> bool:
        if names & _names(str(path)):
            return True
        try:
            found = os.stat(path)
        except (OSError, ValueError):
            return False
        return (found.st_dev, found.st_ino) in targets

    if same(events_path):
        return "the timeline's events file"
    for source in timeline.sources:
        if same(source.path):
            return f"the timeline's source '{one_line(source.id)}'"
    return None


def _names(path: str) -> set[str]:
    """``path`` made absolute, as written (``..`` taken away) and through its links."""
    return {os.path.normpath(os.path.abspath(path)), os.path.realpath(path)}
