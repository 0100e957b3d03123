"""The benchmark's tmux controller looks at a pane when it is written to, not blindly.

Polling a pane every millisecond wakes tmux's server and the runner a thousand
times a second, on the measured program's processor when the other one is busy
(``bench/tmuxctl.py`` says what that cost): these tests check that a pane that
writes nothing is hardly looked at, and that a write is seen at once.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

BENCH = Path(__file__).resolve().parents[1] / "bench"
#: The pane writes its line after this long.
DELAY = 0.4
#: Far more than seeing the line takes, far less than the waits it must not make.
PROMPTLY = DELAY + 4


@pytest.fixture
def tmuxctl(monkeypatch: pytest.MonkeyPatch) -> object:
    monkeypatch.syspath_prepend(str(BENCH))
    import tmuxctl

    return tmuxctl


def _wait_for_late_line(
    tmuxctl: object, watch_output: bool, starts: int = 1
) -> tuple[float, int]:
    """Seconds from the pane's (last) start until ``wait_for`` saw its line, and how
    many times the pane was captured meanwhile; each start after the first is of a
    session of the same name, once the one before has ended."""
    with tmuxctl.Tmux(watch_output=watch_output) as tmux:
        for _ in range(starts):
            captures = 0
            capture = tmux.capture

            def counted(name: str, capture=capture) -> list[str] | None:
                nonlocal captures
                captures += 1
                return capture(name)

            tmux.capture = counted
            started = time.perf_counter()
            tmux.start("late", ["sh", "-c", f"sleep {DELAY}; echo the-late-line; sleep 0.3"])
            seen = tmux.wait_for("late", lambda lines: "the-late-line" in lines, timeout=10)
            tmux.capture = capture
            assert tmux.wait_gone("late", 10)
        return seen - started, captures


def test_a_quiet_pane_is_looked_at_only_now_and_then(tmuxctl: object) -> None:
    seconds, captures = _wait_for_late_line(tmuxctl, watch_output=True)
    assert DELAY <= seconds < PROMPTLY
    # (once at the start, once per quiet spell, once or twice as the line comes)
    assert captures <= DELAY / tmuxctl.QUIET_LOOK + 4


def test_a_write_is_seen_at_once(tmuxctl: object, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the quiet-spell look, the write itself wakes the wait (else it would
    wait for its whole timeout)."""
    monkeypatch.setattr(tmuxctl, "QUIET_LOOK", 30.0)
    seconds, captures = _wait_for_late_line(tmuxctl, watch_output=True)
    assert DELAY <= seconds < PROMPTLY
    assert captures <= 4


def test_a_new_session_of_an_old_name_is_followed(
    tmuxctl: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tmuxctl, "QUIET_LOOK", 30.0)
    seconds, captures = _wait_for_late_line(tmuxctl, watch_output=True, starts=2)
    assert DELAY <= seconds < PROMPTLY
    assert captures <= 4


def test_blind_polling_is_still_there_to_compare(tmuxctl: object) -> None:
    seconds, captures = _wait_for_late_line(tmuxctl, watch_output=False)
    assert DELAY <= seconds < PROMPTLY
    assert captures > DELAY / 0.01  # (every millisecond, give or take)
