"""Noticing that the events file or its sources changed on disk, and keeping the
user's place across the reload.

A snapshot is a stamp of every watched path (a missing one counts too), so a
save, a deletion or a file appearing all show up as a different snapshot:

- the events file: its stamp (size, modification time, inode), through a link;
- each source: the stamp of its own entry, not followed through a link (the
  load refuses one), so a source that appears, changes, or is swapped for a
  link is seen;
- the folders on the way from the events folder to each source: what each is
  (a folder or a link, which one), not what it holds. A folder's own stamp
  changes with every file made in it, so an export written into the events
  folder, or an editor's backup beside a source, would reload the timeline.

After a reload, :func:`same_passage` tells which passage of an event is the one
the user was on.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from citeline.model import Event
from citeline.source_files import stamp_of

#: What a watched path was seen as (``None``: missing or unreadable).
Look = tuple[int, ...] | None


class Watched(NamedTuple):
    """The paths a timeline's load read, or would have read."""

    events_file: Path
    sources: tuple[Path, ...]
    folders: tuple[Path, ...]


class Snapshot(NamedTuple):
    watched: Watched
    looks: dict[Path, Look]


def watched_paths(events_file: Path, source_files: Iterable[Path]) -> Watched:
    root = events_file.parent
    sources = set(source_files)
    folders: set[Path] = set()
    for source in sources:
        try:
            parts = source.relative_to(root).parts
        except ValueError:
            continue
        folder = root
        for part in parts[:-1]:
            folder = folder / part
            folders.add(folder)
    # ordered by their text: comparing Path objects costs a Python call each (0.3 s for
    # the 10,000 paths of 5,000 sources, on the thread that takes the first look)
    return Watched(
        events_file, tuple(sorted(sources, key=str)), tuple(sorted(folders, key=str))
    )


def snapshot(watched: Watched) -> Snapshot:
    looks: dict[Path, Look] = {}
    try:
        looks[watched.events_file] = stamp_of(os.stat(watched.events_file))
    except OSError:
        looks[watched.events_file] = None
    for path in watched.sources:
        try:
            info = os.lstat(path)
        except OSError:
            looks[path] = None
        else:
            # (a regular file's own stamp is the one its load took; a link is told apart)
            stamp = stamp_of(info)
            looks[path] = (*stamp, 1) if stat.S_ISLNK(info.st_mode) else stamp
    for path in watched.folders:
        try:
            info = os.lstat(path)
        except OSError:
            looks[path] = None
        else:
            looks[path] = (stat.S_IFMT(info.st_mode), info.st_ino)
    return Snapshot(watched, looks)


def same_passage(before: Event, index: int | None, after: Event) -> int | None:
    """Which passage of ``after`` (a reloaded version of ``before``) is ``before``'s
    passage ``index``: the one quoting the same words (as written, or as found) of
    the same source; of several, the one at the same place in the source, else the
    one written the same (with the same ``prefix``/``suffix``), else the nearest to
    ``index``. Failing all, the one at ``index``, or the last if there are fewer now;
    ``None`` when ``after`` has no passages or ``index`` is ``None``."""
    if index is None or not after.passages or not 0 <= index < len(before.passages):
        return None
    old = before.passages[index]
    same = [
        i for i, passage in enumerate(after.passages)
        if passage.source_id == old.source_id
        and (passage.quote == old.quote or passage.text == old.text)
    ]
    if not same:
        return min(index, len(after.passages) - 1)

    def likeness(i: int) -> tuple[bool, bool, int]:
        passage = after.passages[i]
        return (
            (passage.start, passage.end) != (old.start, old.end),
            (passage.quote, passage.prefix, passage.suffix) != (old.quote, old.prefix, old.suffix),
            abs(i - index),
        )

    return min(same, key=likeness)
