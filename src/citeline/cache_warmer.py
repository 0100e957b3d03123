"""Building a timeline's cache entry in another process while the browser starts.

A cold start (no entry yet, or the events file edited since the entry was
written) has to parse, check and anchor the timeline before its first frame,
and to import the interface: both are work for the one interpreter, so they
add up. Where a second processor is free, :meth:`CacheWarmer.start` starts
``python -m citeline.cache_warmer EVENTS`` before the interface is imported;
that process loads the timeline and writes its cache entry, and the browser,
once its interface is imported, finds the entry there and starts as it
would warm. Nothing is handed over but that entry, which the browser checks
as it checks any (see :mod:`citeline.cache`): a warmer that fails, or is
stopped for being late, leaves the browser to load the timeline itself, as
it would without one.

The warmer is a new interpreter, not a fork: a forked child shares the
browser's memory until it exits, and every page the browser then writes is
copied (6 ms more to import the interface, measured). It is started with
``posix_spawn``, which copies no memory, with the folder the browser's own
``citeline`` came from first on its path, and with ``-P``: the current
folder is not put on its path, so a ``yaml.py`` there is not imported.

Only a small events file is worth it: the warmer must be done within the
tenth of a second or so the browser takes to import its interface, and
starting Python and importing the loader take half of that (the bundled
timeline's warmer is done in 60-70 ms, one of 200 events in 90). A larger
timeline keeps the single process and its loading screen.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from pathlib import Path

from citeline import cache_location

#: The largest events file a warmer is started for, in bytes (about 200 events).
MAX_EVENTS_BYTES = 256 * 1024
#: The warmer's scheduling priority (the lowest): where no processor is free, it
#: gives way to the browser, and to the terminal drawing it. In the benchmark,
#: whose tmux server and polling keep the second processor busy, the browser's
#: import of its interface took 10 ms longer in a third of the cold starts when
#: the warmer ran at the browser's own priority.
WARMER_NICENESS = 19
#: The longest the browser waits for a warmer still at work once its interface is
#: imported, in seconds: about what loading a timeline this small takes it (14-16 ms
#: for the bundled one). Waiting longer could only cost more than loading it itself.
LATE_WAIT = 0.015
#: A late warmer that has had less than this share of a processor since it started
#: (its processor time over the time since) has been starved, and is not waited for.
STARVED_SHARE = 0.5
#: How long a warmer asked to stop has before it is killed, in seconds.
STOP_GRACE = 0.2


class CacheWarmer:
    """A process loading a timeline and writing its cache entry."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self._reaped = False
        self._started = time.monotonic()

    @classmethod
    def start(cls, events_path: Path) -> CacheWarmer | None:
        """Start a warmer for ``events_path``; ``None`` if one is not worth it (see
        :func:`worth_warming`) or cannot be started."""
        if not worth_warming(events_path):
            return None
        argv = [sys.executable, *_interpreter_flags(), "-P", "-m", __name__, str(events_path)]
        quiet = [
            (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
            (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
            (os.POSIX_SPAWN_DUP2, 1, 2),
        ]
        try:
            pid = os.posix_spawn(sys.executable, argv, _environment(), file_actions=quiet)
        except OSError:
            return None
        with contextlib.suppress(OSError):  # (a free processor runs it at full speed all the same)
            os.setpriority(os.PRIO_PROCESS, pid, WARMER_NICENESS)
        return cls(pid)

    @property
    def finished(self) -> bool:
        """Whether the warmer has ended (it is reaped then)."""
        if not self._reaped:
            with contextlib.suppress(ChildProcessError):
                done, _status = os.waitpid(self.pid, os.WNOHANG)
                if done == 0:
                    return False
            self._reaped = True
        return True

    def wait(self, timeout: float) -> bool:
        """Whether the warmer has ended, waiting up to ``timeout`` seconds for it."""
        deadline = time.monotonic() + timeout
        while not self.finished:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.001)
        return True

    def wait_unless_starved(self, timeout: float) -> bool:
        """Whether the warmer has ended, waiting up to ``timeout`` seconds for it,
        unless it has been starved.

        A warmer still at work once the interface is imported has mostly been
        kept off the processors: another process has the second one, and at its
        priority the warmer gets what is left, often next to nothing. Waiting
        for it then only adds to the browser's own load of the timeline (with a
        busy loop on the other processor, a cold start of the bundled timeline
        took 1.52x the bare app waiting 30 ms for its warmer, 1.41x waiting 15,
        1.24x not waiting). One that has had less than :data:`STARVED_SHARE` of
        a processor since it started is not waited for; where its processor
        time cannot be read, this waits as :meth:`wait`.
        """
        if self.finished:
            return True
        used = self._processor_time()
        if used is not None and used < STARVED_SHARE * (time.monotonic() - self._started):
            return False
        return self.wait(timeout)

    def _processor_time(self) -> float | None:
        """The seconds the warmer has run on a processor so far, if the system says."""
        try:
            with open(f"/proc/{self.pid}/schedstat", "rb") as stats:
                return int(stats.read().split()[0]) / 1e9
        except (OSError, ValueError, IndexError):
            return None

    def cancel(self) -> None:
        """Ask the warmer to stop, without waiting for it (see :meth:`stop`): at the
        lowest priority on a busy machine, it may take a while to get to it."""
        if not self.finished:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGTERM)

    def stop(self) -> None:
        """End the warmer if it is still running (its entry unwritten), and reap it.

        It is asked to stop (and removes a half-written entry as it does), and
        killed if it has not within :data:`STOP_GRACE` seconds.
        """
        self.cancel()
        if self.wait(STOP_GRACE):
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        self._reaped = True


def worth_warming(events_path: Path) -> bool:
    """Whether a warmer could write the entry before the browser needs it.

    It must have a processor of its own, the cache must be on, the events
    file small, and the entry missing or older than the events file (an
    entry at least as new is most likely still good: the browser starts
    warm without help).
    """
    if not (hasattr(os, "posix_spawn") and sys.executable and cache_location.enabled()):
        return False
    if getattr(sys, "frozen", False):  # (its executable is the program, not a Python)
        return False
    if _processors() < 2:
        return False
    try:
        events = os.stat(events_path)
    except OSError:
        return False
    if events.st_size > MAX_EVENTS_BYTES:
        return False
    try:
        entry = os.stat(cache_location.entry_path(events_path))
    except OSError:
        return True
    except ValueError:  # (a name that is no UTF-8: the cache has no entry for it)
        return False
    return entry.st_mtime_ns < events.st_mtime_ns


def _environment() -> dict[str, str]:
    """The browser's environment, with the folder its ``citeline`` came from first on
    the warmer's path: the warmer runs the very code the browser runs, wherever
    that was imported from."""
    package_root = str(Path(__file__).resolve().parent.parent)
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": package_root + (os.pathsep + path if path else "")}


def _processors() -> int:
    """The processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # (no affinity outside Linux)
        return os.cpu_count() or 1


def _interpreter_flags() -> list[str]:
    """The browser's own interpreter options that say where modules come from."""
    flags = sys.flags
    return [
        option
        for option, given in (
            ("-I", flags.isolated),
            ("-E", flags.ignore_environment and not flags.isolated),
            ("-s", flags.no_user_site and not flags.isolated),
            ("-B", flags.dont_write_bytecode),
        )
        if given
    ]


def warm(events_path: Path) -> None:
    """Load the timeline and write its entry, if it is valid; the warmer's work."""
    from citeline.loader import load, remember

    remember(events_path, load(events_path, use_cache=True))


def _stop_on_signal(_signal: int, _frame: object) -> None:
    raise SystemExit(1)  # (unwinding removes a half-written entry)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _stop_on_signal)
    try:
        warm(Path(sys.argv[1]))
    except BaseException:
        sys.exit(1)
