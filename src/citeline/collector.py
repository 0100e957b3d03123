"""Keeping the garbage collector out of the way of building a timeline, and of
starting the browser.

Loading a timeline makes hundreds of thousands of long-lived objects and no
cycles worth collecting; each full collection in the middle would walk them
all again (seconds at 100,000 events, in pauses of up to a third of a second).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused(*, freeze: bool = False) -> Iterator[None]:
    """Pause the cyclic garbage collector while objects meant to last are made.

    Reference counting still frees what is dropped; the collector resumes, as
    it was, when the block is done.

    With ``freeze``, every object alive then is first moved out of the
    collector's sight (``gc.freeze()``): otherwise the first young collection
    afterwards walks everything made (50 ms at 10,000 events) and the older
    ones walk it again later. A timeline holds no reference cycles, so
    reference counting still frees it when it is dropped; ``gc.unfreeze()``
    hands the frozen objects back.

    (The collector is the whole process's: a thread that pauses it pauses it
    for all, until it is done.)
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()


def pause_until_resumed() -> Callable[[], None]:
    """Pause the cyclic garbage collector now; call what is returned to resume it.

    For a program's start: importing an interface and drawing its first frame
    makes a great many objects that all last, and the young collections they
    set off find nothing (16-23 ms of the browser's warm start at 10,000
    events, in some 125 passes, against 170 objects of garbage found once
    the first frame is drawn). Resuming puts the collector back as it was;
    only the first call does anything, so a caller can both hand it on and
    call it again when done. A :func:`collector_paused` block meanwhile
    leaves the collector paused, as it found it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    resumed = False

    def resume() -> None:
        nonlocal resumed
        if resumed:
            return
        resumed = True
        if was_enabled:
            gc.enable()

    return resume
