"""Noticing that the events file or its sources changed on disk.

A snapshot is the stamp (size, modification time, inode) of every watched
path (a missing file counts too), so a save, a deletion or a new file all
show up as a different snapshot. Folders holding the sources are watched as well, so a
source that did not exist yet is seen when it appears.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from citeline.source_files import Stamp, stamp_of

Snapshot = dict[Path, Stamp | None]


def watched_paths(events_file: Path, source_files: Iterable[Path]) -> list[Path]:
    paths = {events_file, events_file.parent}
    for source in source_files:
        paths.add(source)
        paths.add(source.parent)
    # ordered by their text: comparing Path objects costs a Python call each (0.3 s for
    # the 10,000 paths of 5,000 sources, on the thread that takes the first look)
    return sorted(paths, key=str)


def snapshot(paths: Iterable[Path]) -> Snapshot:
    state: Snapshot = {}
    for path in paths:
        try:
            info = os.stat(path)
        except OSError:
            state[path] = None
        else:
            state[path] = stamp_of(info)
    return state
