"""A timeline loading on a thread of its own, so that the caller can get on.

The browser starts one and waits a blink for it: a small or cached timeline is
loaded by then and opens at once, and a large one keeps loading while the
interface shows how far it has got (:attr:`PendingLoad.progress`). While the
interface starts, the load is held (:meth:`PendingLoad.hold`): the two would
otherwise take turns on the interpreter lock, and the loading screen would
show twice as late.
"""

from __future__ import annotations

import threading
from pathlib import Path

from citeline.loader import LoadResult, load

#: The longest a held load waits for :meth:`PendingLoad.release`, in seconds.
HOLD_LIMIT = 2.0


class LoadCancelled(Exception):
    """The load was cancelled (the user quit while it ran)."""


class PendingLoad:
    """``load(path, use_cache=True, long_lived=True)`` running on a daemon thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        #: what the load is doing and the share of it done (0 to 1), as last reported
        self.progress: tuple[str, float] = ("Starting", 0.0)
        self._cancelled = False
        self._running = threading.Event()  # cleared while held
        self._running.set()
        self._finished = threading.Event()
        self._result: LoadResult | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="citeline-load", daemon=True)

    def start(self) -> PendingLoad:
        if not self._cancelled:
            self._thread.start()
        return self

    def hold(self) -> None:
        """Pause the load at its next progress report, until :meth:`release`.

        At most :data:`HOLD_LIMIT` seconds: a caller that never releases it
        only delays the load, and :meth:`cancel` ends a held load at once.
        """
        self._running.clear()

    def release(self) -> None:
        """Let a held load go on."""
        self._running.set()

    @property
    def held(self) -> bool:
        return not self._running.is_set()

    def _report(self, phase: str, share: float) -> None:
        if not self._running.is_set():
            self._running.wait(HOLD_LIMIT)
        if self._cancelled:
            raise LoadCancelled
        self.progress = (phase, share)  # one assignment: a reader sees both or neither

    def _run(self) -> None:
        try:
            self._result = load(
                self.path, use_cache=True, progress=self._report, long_lived=True
            )
        except BaseException as error:  # handed to whoever waits (LoadCancelled included)
            self._error = error
        finally:
            self._finished.set()

    @property
    def done(self) -> bool:
        return self._finished.is_set()

    def cancel(self) -> None:
        """Stop the load at its next progress report (within milliseconds).

        A load that has not started never will; either way :meth:`wait`
        raises :class:`LoadCancelled` unless the load was already done.
        """
        self._cancelled = True
        self._running.set()  # a held load wakes up to stop
        if not self._thread.is_alive() and not self.done:
            self._error = LoadCancelled()
            self._finished.set()

    def wait(self, timeout: float | None = None) -> LoadResult | None:
        """The result once the load is done; ``None`` if ``timeout`` passes first.

        An exception raised by the load (a bug) is raised here, in the caller.
        """
        if not self._finished.wait(timeout):
            return None
        if self._error is not None:
            raise self._error
        return self._result
