"""Drive the installed ``citeline`` in a real terminal (tmux), as a new user would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

SHIPPED = Path(__file__).resolve().parents[1] / "events.yaml"


def citeline_command() -> str:
    found = shutil.which("citeline") or str(Path(sys.executable).with_name("citeline"))
    assert Path(found).exists(), "the citeline script is not installed"
    return found


class Terminal:
    """A detached tmux session running one command."""

    def __init__(self, command: str, width: int, height: int, env: dict[str, str]) -> None:
        self.name = f"citeline-test-{uuid.uuid4().hex[:8]}"
        self.socket = f"citeline-{uuid.uuid4().hex[:8]}"
        self._env = env
        self._tmux(
            "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height), command
        )

    def _tmux(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args],
            capture_output=True,
            text=True,
            env=self._env,
            timeout=20,
        )
        return result.stdout

    def send(self, *keys: str) -> None:
        for key in keys:
            self._tmux("send-keys", "-t", self.name, key)
            time.sleep(0.05)

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", self.name)

    def title(self) -> str:
        return self._tmux("display-message", "-p", "-t", self.name, "#{pane_title}").strip()

    def wait_for(self, predicate: Callable[[str], bool], timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if predicate(screen):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"timed out; the screen was:\n{screen}")

    def close(self) -> None:
        self._tmux("kill-server")


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Callable[..., Terminal]]:
    opened: list[Terminal] = []
    env = {k: v for k, v in os.environ.items() if not k.startswith("TMUX")}
    env["TERM"] = "xterm-256color"
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")

    def open_terminal(args: str, rc_file: Path, width: int = 120, height: int = 36) -> Terminal:
        command = f"{citeline_command()} {args}; echo $? > {rc_file}"
        term = Terminal(f"sh -c '{command}'", width, height, env)
        opened.append(term)
        return term

    yield open_terminal
    for term in opened:
        term.close()


def _wait_rc(rc_file: Path, timeout: float = 10.0) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if rc_file.exists() and rc_file.read_text().strip():
            return int(rc_file.read_text())
        time.sleep(0.1)
    raise AssertionError("citeline did not exit")


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
def test_new_user_opens_moves_reads_a_source_and_quits(
    terminal: Callable[..., Terminal], tmp_path: Path, size: tuple[int, int]
) -> None:
    rc_file = tmp_path / "rc"
    term = terminal(f"--events {SHIPPED}", rc_file, *size)
    screen = term.wait_for(lambda s: "events" in s and "Shanghai" in s)  # the first event
    assert "Traceback" not in screen
    # move down to the Olympics summit, go into its passages, open the first source
    term.send("g")
    for _ in range(5):
        term.send("j")
    screen = term.wait_for(lambda s: "Winter Olympics" in s and "▶ 4 Feb 2022" in s)
    term.send("Enter")
    term.wait_for(lambda s: "⏎ Open" in s)  # the footer now speaks of the passages
    term.send("Enter")
    # the source viewer shows the quoted words of the first passage
    screen = term.wait_for(lambda s: "seeds/003_2f26fe01f4e81066.txt" in s and "Shortly" in s)
    assert "opening ceremony" in screen
    term.send("Escape")
    term.wait_for(lambda s: "⏎ Open" in s and "Next cited" not in s)
    term.send("q")
    assert _wait_rc(rc_file) == 0


def test_a_second_start_reads_the_cache_and_works_the_same(
    terminal: Callable[..., Terminal], tmp_path: Path
) -> None:
    """The second start on unchanged files opens from the cache, whose events are built
    as they are looked at: the end of the timeline and a source read the same."""
    events = tmp_path / "bundled"
    shutil.copytree(SHIPPED.parent / "seeds", events / "seeds")
    shutil.copy(SHIPPED, events / "events.yaml")
    old = time.time() - 60  # (a file saved just before a start is checked by its content)
    for path in [events / "events.yaml", *(events / "seeds").iterdir()]:
        os.utime(path, (old, old))
    first = terminal(f"--events {events / 'events.yaml'}", tmp_path / "rc1")
    first.wait_for(lambda s: "29 events" in s)
    entries = tmp_path / "cache" / "citeline"
    deadline = time.monotonic() + 10
    while not any(entries.glob("*.json")) and time.monotonic() < deadline:
        time.sleep(0.1)  # written in the first pause
    assert any(entries.glob("*.json"))
    first.send("q")
    assert _wait_rc(tmp_path / "rc1") == 0
    with pytest.MonkeyPatch.context() as patch:  # the entry serves these very files
        from citeline.loader import load
        from citeline.model import LazyEvents

        patch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
        cached = load(events / "events.yaml", use_cache=True)
        assert cached.from_cache and isinstance(cached.timeline.events, LazyEvents)
    second = terminal(f"--events {events / 'events.yaml'}", tmp_path / "rc2")
    second.wait_for(lambda s: "29 events" in s and "Beijing" in s)
    second.send("G")
    second.wait_for(lambda s: "▶ 20–22 Mar 2023" in s and "Xi's state visit to Moscow" in s)
    second.send("Enter")
    second.wait_for(lambda s: "⏎ Open" in s)
    second.send("Enter")
    screen = second.wait_for(lambda s: "Next cited" in s and "Moscow" in s)
    assert "Traceback" not in screen
    second.send("Escape")
    second.wait_for(lambda s: "⏎ Open" in s and "Next cited" not in s)
    second.send("q")
    assert _wait_rc(tmp_path / "rc2") == 0


def test_markup_and_escapes_show_literally(
    terminal: Callable[..., Terminal], tmp_path: Path
) -> None:
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "src.txt").write_text(
        "Intro line.\nA \x1b]0;pwned\x07 title trick and a \x1b[2J clear, [bold]not bold[/].\n"
        "The end [@click=app.quit] of it.\n",
        encoding="utf-8",
    )
    (folder / "events.yaml").write_text(
        "title: '[b]Hostile[/b] timeline'\n"
        "sources:\n  - id: s\n    file: src.txt\n    title: '[$accent]Source[/] \\'\n"
        "events:\n  - id: e\n    title: '[@click=app.quit]Click me[/] [/'\n"
        "    date: '2020'\n    summary: 'Summary with [bold]markup[/bold] and \\x1b[31m red'\n"
        "    passages:\n      - source: s\n        quote: 'title trick and a'\n",
        encoding="utf-8",
    )
    rc_file = tmp_path / "rc"
    term = terminal(f"--events {folder / 'events.yaml'}", rc_file)
    before = term.title()
    screen = term.wait_for(lambda s: "Hostile" in s)
    assert "[b]Hostile[/b] timeline" in screen
    assert "[@click=app.quit]Click me[/] [/" in screen
    term.send("Enter")
    term.wait_for(lambda s: "⏎ Open" in s)
    term.send("Enter")
    screen = term.wait_for(lambda s: "Next cited" in s and "title trick" in s)
    assert "␛" in screen  # the escape character is shown, not obeyed
    assert "pwned" in screen  # ...as literal text on the screen
    assert term.title() == before
    term.send("q")
    assert _wait_rc(rc_file) == 0


def test_live_reload_through_a_broken_and_a_fixed_save(
    terminal: Callable[..., Terminal], tmp_path: Path
) -> None:
    folder = tmp_path / "live"
    folder.mkdir()
    (folder / "s.txt").write_text("The bridge opened in May. Crowds came.\n", encoding="utf-8")
    good = (
        "title: Live timeline\n"
        "sources:\n  - id: s\n    file: s.txt\n    title: Town paper\n"
        "events:\n  - id: bridge\n    title: Bridge opens\n    date: '2021-05'\n"
        "    summary: The bridge opens.\n"
        "    passages:\n      - source: s\n        quote: The bridge opened in May.\n"
    )
    events = folder / "events.yaml"
    events.write_text(good, encoding="utf-8")
    rc_file = tmp_path / "rc"
    term = terminal(f"--events {events}", rc_file)
    term.wait_for(lambda s: "Bridge opens" in s)
    # a half-written save
    events.write_text(good[: len(good) // 2] + "\n  - [", encoding="utf-8")
    screen = term.wait_for(lambda s: "showing the last good timeline" in s)
    assert "Bridge opens" in screen  # still there
    assert "events.yaml:" in screen  # the diagnostics, placed
    # the fix, with a renamed event
    events.write_text(good.replace("Bridge opens", "Bridge finally opens"), encoding="utf-8")
    screen = term.wait_for(
        lambda s: "Bridge finally opens" in s and "showing the last good" not in s
    )
    assert "Traceback" not in screen
    term.send("q")
    assert _wait_rc(rc_file) == 0
