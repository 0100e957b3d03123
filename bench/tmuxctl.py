"""A private tmux server driven through one control-mode client.

Every pane is 120x36 (``-x``/``-y``, no status line; the control client
ignores sizes). Commands go over the control client's pipe, so looking at a
pane with ``capture-pane`` costs a round trip of well under a millisecond
instead of a process start.

A pane is looked at when it has changed, not blindly: the control client
follows the session of the pane started last, and tmux tells it of every
write the pane's program makes (``%output``). :meth:`Tmux.wait_for` captures
the pane, and captures it again at the next such write (or after a quiet
spell of :data:`QUIET_LOOK` seconds, in case one was missed). Polling every
millisecond instead (``watch_output=False``, as the runner did before) took
the measured program's processor: each poll wakes tmux's server and the
runner, and while a second process of the program (citeline's cache warmer)
had the other processor, the kernel ran them on the program's own: traced
with ``perf sched``, in 4 of 13 cold starts the browser lost 5.7-9.3 ms to
41-77 preemptions, nearly all such (see bench/README.md). A terminal in use
does no such polling.
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import subprocess
import time
from collections.abc import Callable, Sequence

WIDTH = 120
HEIGHT = 36
#: With no write from the pane for this long, :meth:`Tmux.wait_for` looks at it all the same.
QUIET_LOOK = 0.05


class TmuxError(RuntimeError):
    """tmux is missing or a command failed."""


def quote(arg: str) -> str:
    """Quote ``arg`` for tmux's command parser."""
    if "'" not in arg:
        return f"'{arg}'"
    escaped = arg.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$")
    return f'"{escaped}"'


class Tmux:
    """A tmux server on its own socket, with a control client attached to it."""

    def __init__(self, socket_name: str | None = None, watch_output: bool = True) -> None:
        binary = shutil.which("tmux")
        if binary is None:
            raise TmuxError("tmux is not installed")
        self.binary = binary
        self.socket = socket_name or f"citeline-bench-{os.getpid()}"
        base = [binary, "-L", self.socket, "-f", "/dev/null"]
        started = subprocess.run(
            [*base, "new-session", "-d", "-s", "keeper", "-x", str(WIDTH), "-y", str(HEIGHT),
             "sleep", "86400"],
            capture_output=True, text=True, check=False,
        )
        if started.returncode != 0:
            raise TmuxError(f"cannot start tmux: {started.stderr.strip()}")
        #: look at a pane when it writes (else poll it every ``interval``: see the module)
        self.watch_output = watch_output
        flags = "ignore-size" if watch_output else "no-output,ignore-size"
        self.proc = subprocess.Popen(
            [*base, "-C", "attach-session", "-t", "keeper", "-f", flags],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0,
        )
        self._unread = bytearray()  # what the control client wrote past the last line read
        self._panes: dict[str, str] = {}  # session name -> its pane's id (%N)
        self._written: set[str] = set()  # panes that wrote since they were last looked at
        self._following: str | None = None  # the session whose writes the client is told of
        self._sync()
        terminal = "tmux-256color" if shutil.which("infocmp") and subprocess.run(
            ["infocmp", "tmux-256color"], capture_output=True, check=False
        ).returncode == 0 else "screen-256color"
        for option in (
            "set-option -g status off",
            "set-option -g escape-time 0",
            "set-option -g remain-on-exit off",
            f"set-option -g default-terminal {terminal}",
            "set-option -g history-limit 0",
            # (the control client follows the pane started last: when that session
            # ends, it goes back to another rather than being detached)
            "set-option -g detach-on-destroy off",
        ):
            self.command(option)

    # -- the control protocol ----------------------------------------------------

    def _readline(self, timeout: float | None = None) -> str | None:
        """The control client's next line (``None`` if ``timeout`` passes first);
        a ``%output`` line marks its pane as written to."""
        assert self.proc.stdout is not None
        while (end := self._unread.find(b"\n")) == -1:
            if timeout is not None and not select.select([self.proc.stdout], [], [], timeout)[0]:
                return None
            chunk = os.read(self.proc.stdout.fileno(), 1 << 16)
            if not chunk:
                raise TmuxError("the tmux control client went away")
            self._unread += chunk
        raw = bytes(self._unread[:end])
        del self._unread[: end + 1]
        if raw.startswith(b"%output "):  # (what it wrote is not needed: not decoded)
            pane = raw.split(b" ", 2)[1].decode("ascii", "replace")
            self._written.add(pane)
            return f"%output {pane}"
        return raw.decode("utf-8", "replace")

    def _sync(self) -> None:
        """Skip any answer not read yet, up to the answer of a marker command.

        After the attach (what it printed), and before the commands whose
        answer decides what the runner does next (is a session still
        there?): now and then, while a new session starts, tmux 3.3 answers
        one command twice, and every answer read after that would be the
        one before (a capture read as the list of sessions).
        """
        self._write("display-message -p citeline-bench-sync")
        while True:
            ok, lines = self._read_block()
            if ok and lines == ["citeline-bench-sync"]:
                return

    def _next_line(self) -> str:
        line = self._readline()
        assert line is not None  # (no timeout)
        return line

    def _write(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line.encode("utf-8") + b"\n")

    def _read_block(self) -> tuple[bool, list[str]]:
        while True:
            line = self._next_line()
            if line.startswith("%begin"):
                break
            if line.startswith("%exit"):
                raise TmuxError("the tmux control client was detached")
        lines: list[str] = []
        while True:
            line = self._next_line()
            if line.startswith("%end"):
                return True, lines
            if line.startswith("%error"):
                return False, lines
            lines.append(line)

    def command(self, line: str, check: bool = True) -> list[str]:
        """Run one tmux command; its output lines (raises on error when ``check``)."""
        ok, lines = self.try_command(line)
        if not ok and check:
            raise TmuxError(f"tmux {line!r}: {' '.join(lines)}")
        return lines if ok else []

    def try_command(self, line: str) -> tuple[bool, list[str]]:
        """Run one tmux command: (succeeded, output lines)."""
        self._write(line)
        ok, lines = self._read_block()
        if not ok:
            # tmux 3.3 in control mode can fail the command right after a failed target
            # lookup with that lookup's error; one harmless command clears it
            self._write("display-message -p ok")
            self._read_block()
        return ok, lines

    # -- sessions ------------------------------------------------------------------

    def start(self, name: str, argv: Sequence[str], env: dict[str, str] | None = None) -> None:
        """Start ``argv`` in a new detached 120x36 session called ``name``."""
        parts = ["new-session", "-d", "-s", quote(name), "-x", str(WIDTH), "-y", str(HEIGHT)]
        for key, value in (env or {}).items():
            parts += ["-e", quote(f"{key}={value}")]
        parts += ["-P", "-F", "'#{pane_id}'", "--"]
        parts += [quote(a) for a in argv]
        self._sync()
        printed = self.command(" ".join(parts))
        if self.watch_output and printed:
            self._panes[name] = printed[0].strip()
            self._following = None  # (a session of that name may have come and gone)
            self._follow(name)

    def _follow(self, name: str) -> None:
        """Have the control client told of the writes of the session's pane (tmux
        tells a client of those of its own session only)."""
        if self._following != name:
            self.command(f"switch-client -t {quote(name)}")
            self._following = name

    def capture(self, name: str) -> list[str] | None:
        """The visible lines of the session's pane, or ``None`` when it has ended."""
        ok, lines = self.try_command(f"capture-pane -p -t {quote(name)}")
        return lines if ok else None

    def alive(self, name: str) -> bool:
        self._sync()
        return name in self.command("list-sessions -F '#{session_name}'")

    def keys(self, name: str, *keys: str, literal: bool = False) -> None:
        flag = " -l" if literal else ""
        self.command(f"send-keys{flag} -t {quote(name)} " + " ".join(quote(k) for k in keys))

    def wait_for(
        self,
        name: str,
        predicate: Callable[[list[str]], bool],
        timeout: float,
        interval: float = 0.001,
    ) -> float:
        """Look at the pane until ``predicate(lines)``; the ``perf_counter`` when it held.

        It is looked at each time it has written (see the module), or, with
        ``watch_output`` off, every ``interval`` seconds.
        """
        deadline = time.perf_counter() + timeout
        pane = self._panes.get(name) if self.watch_output else None
        if pane is not None:
            self._follow(name)
        while True:
            lines = self.capture(name)
            now = time.perf_counter()
            if lines is None:
                raise TmuxError(f"session {name} ended while waiting")
            if predicate(lines):
                return now
            if now > deadline:
                tail = "\n".join(lines[:6])
                raise TimeoutError(f"no expected screen in {name} after {timeout:.0f} s:\n{tail}")
            if pane is None:
                time.sleep(interval)
                continue
            self._written.discard(pane)  # (what it wrote before is in the lines just read)
            quiet_until = min(deadline, time.perf_counter() + QUIET_LOOK)
            while pane not in self._written:
                left = quiet_until - time.perf_counter()
                if left <= 0 or self._readline(left) is None:
                    break

    def wait_gone(self, name: str, timeout: float) -> bool:
        """Wait for the session to end; kill it after ``timeout``. True if it ended itself."""
        deadline = time.perf_counter() + timeout
        while self.alive(name):
            if time.perf_counter() > deadline:
                self.command(f"kill-session -t {quote(name)}", check=False)
                return False
            time.sleep(0.01)
        return True

    def close(self) -> None:
        """Stop this private server (only ours: it has its own socket)."""
        with contextlib.suppress(TmuxError, OSError):
            self.command("kill-server", check=False)
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        subprocess.run([self.binary, "-L", self.socket, "kill-server"],
                       capture_output=True, check=False)

    def __enter__(self) -> Tmux:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
