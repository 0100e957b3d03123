"""The cache warmer: another process that writes a timeline's cache entry while the
browser imports its interface, so that a cold start opens as a warm one."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from citeline import cache, cache_warmer, cli
from citeline.cache_warmer import CacheWarmer, worth_warming
from citeline.loader import load

SOURCE = "The envoy arrived on Monday. Talks began at once.\nThey ended in a deal.\n"
EVENTS = """\
title: Warmer test
sources:
  - id: s
    file: s.txt
    title: Source
events:
  - id: arrival
    title: Envoy arrives
    date: "2021-03-01"
    summary: The envoy arrives.
    passages:
      - source: s
        quote: The envoy arrived on Monday.
"""


@pytest.fixture
def events(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "s.txt").write_text(SOURCE, encoding="utf-8")
    path = tmp_path / "events.yaml"
    path.write_text(EVENTS, encoding="utf-8")
    monkeypatch.setattr(cache_warmer, "_processors", lambda: 2)  # (whatever runs the tests)
    return path


def wait_until_finished(warmer: CacheWarmer, limit: float = 30.0) -> None:
    deadline = time.monotonic() + limit
    while not warmer.finished:
        assert time.monotonic() < deadline, "the warmer never ended"
        time.sleep(0.01)


def test_a_warmer_writes_the_entry_a_cold_start_then_finds(events: Path) -> None:
    assert not cache.entry_path(events).exists()
    warmer = CacheWarmer.start(events)
    assert warmer is not None
    # (not reaped yet, so there even if done): it gives way to the browser
    assert os.getpriority(os.PRIO_PROCESS, warmer.pid) == cache_warmer.WARMER_NICENESS
    wait_until_finished(warmer)
    assert cache.entry_path(events).exists()
    result = load(events, use_cache=True)
    assert result.from_cache
    assert [e.id for e in result.timeline.events] == ["arrival"]


def test_a_warmer_is_worth_starting_only_where_it_can_help(
    events: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert worth_warming(events)  # no entry yet
    monkeypatch.setattr(cache_warmer, "_processors", lambda: 1)
    assert not worth_warming(events)  # it would only take turns with the browser
    monkeypatch.setattr(cache_warmer, "_processors", lambda: 2)
    monkeypatch.setenv("CITELINE_NO_CACHE", "1")
    assert not worth_warming(events)
    monkeypatch.delenv("CITELINE_NO_CACHE")
    assert not worth_warming(events.with_name("missing.yaml"))
    monkeypatch.setattr(sys, "frozen", True, raising=False)  # (a bundled executable)
    assert not worth_warming(events)


@pytest.mark.skipif(sys.platform == "darwin", reason="file names there must be UTF-8")
def test_an_events_file_whose_name_is_no_utf8_opens_without_a_warmer(
    events: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from citeline.tui.app import CitelineApp

    odd = events.with_name(os.fsdecode(b"ev\xff.yaml"))
    events.rename(odd)
    assert not worth_warming(odd)  # (its entry cannot be named: none to write)
    opened: list[int] = []
    monkeypatch.setattr(
        CitelineApp, "run", lambda app, **_: opened.append(len(app.timeline.events))
    )
    assert cli.main(["--events", str(odd)]) == 0
    assert opened == [1]


def test_a_large_events_file_gets_no_warmer(
    events: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache_warmer, "MAX_EVENTS_BYTES", events.stat().st_size - 1)
    assert not worth_warming(events)
    assert CacheWarmer.start(events) is None


def test_an_entry_newer_than_the_events_file_gets_no_warmer(events: Path) -> None:
    load_result = load(events, use_cache=True)
    from citeline.loader import remember

    remember(events, load_result)
    entry = cache.entry_path(events)
    stamp = events.stat().st_mtime_ns
    os.utime(entry, ns=(stamp + 10**9, stamp + 10**9))
    assert not worth_warming(events)  # the browser starts warm by itself
    os.utime(events, ns=(stamp + 2 * 10**9, stamp + 2 * 10**9))  # edited since
    assert worth_warming(events)


def test_a_warmer_imports_nothing_from_the_current_folder(
    events: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # (started with -P: a yaml.py where the user happens to be is not run)
    here = tmp_path / "here"
    here.mkdir()
    marker = tmp_path / "ran"
    (here / "yaml.py").write_text(f"open({str(marker)!r}, 'w').close()\n", encoding="utf-8")
    monkeypatch.chdir(here)
    warmer = CacheWarmer.start(events)
    assert warmer is not None
    wait_until_finished(warmer)
    assert not marker.exists()
    assert cache.entry_path(events).exists()


def test_stopping_a_warmer_that_has_not_finished_ends_and_reaps_it(
    events: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow = tmp_path / "slow"  # (a warmer that takes a minute to start)
    slow.mkdir()
    (slow / "sitecustomize.py").write_text("import time\ntime.sleep(60)\n", encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(slow), *sys.path]))
    warmer = CacheWarmer.start(events)
    assert warmer is not None
    time.sleep(0.2)
    assert not warmer.finished
    began = time.monotonic()
    warmer.stop()
    assert time.monotonic() - began < 5
    assert warmer.finished
    with pytest.raises(ChildProcessError):  # reaped: no zombie left behind
        os.waitpid(warmer.pid, os.WNOHANG)
    assert not cache.entry_path(events).exists()


def test_the_browser_opens_from_the_entry_of_a_warmer_that_finished(
    events: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from citeline.tui.app import CitelineApp

    started = CacheWarmer.start

    def start_and_finish(path: Path) -> CacheWarmer | None:  # (as while the UI imports)
        warmer = started(path)
        assert warmer is not None
        wait_until_finished(warmer)
        return warmer

    opened: list[bool] = []
    monkeypatch.setattr(CacheWarmer, "start", staticmethod(start_and_finish))
    monkeypatch.setattr(
        CitelineApp, "run", lambda app, **_: opened.append(app._load_result.from_cache)
    )
    assert cli.main(["--events", str(events)]) == 0
    assert opened == [True]


def record_starts(monkeypatch: pytest.MonkeyPatch, settle: float = 0.0) -> list[CacheWarmer]:
    """The warmers the browser starts, from now on (each given ``settle`` seconds to
    get going), and no wait for a late one: the interface is imported already."""
    warmers: list[CacheWarmer] = []
    started = CacheWarmer.start

    def start(path: Path) -> CacheWarmer | None:
        warmer = started(path)
        assert warmer is not None
        warmers.append(warmer)
        time.sleep(settle)
        return warmer

    monkeypatch.setattr(CacheWarmer, "start", staticmethod(start))
    monkeypatch.setattr(cli, "LATE_WAIT", 0.0)
    return warmers


def test_the_browser_stops_a_late_warmer_and_loads_the_timeline_itself(
    events: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from citeline.tui.app import CitelineApp

    warmers = record_starts(monkeypatch)
    opened: list[bool] = []
    monkeypatch.setattr(
        CitelineApp, "run", lambda app, **_: opened.append(app._load_result.from_cache)
    )
    assert cli.main(["--events", str(events)]) == 0
    assert opened == [False]  # (the interface was imported already: the warmer was late)
    with pytest.raises(ChildProcessError):
        os.waitpid(warmers[0].pid, os.WNOHANG)


@pytest.mark.parametrize(
    ("flags", "options"),
    [
        ({}, []),
        ({"isolated": 1, "ignore_environment": 1, "no_user_site": 1}, ["-I"]),
        ({"ignore_environment": 1, "no_user_site": 1, "dont_write_bytecode": 1},
         ["-E", "-s", "-B"]),
    ],
)
def test_a_warmer_keeps_the_interpreter_options_that_say_where_modules_come_from(
    monkeypatch: pytest.MonkeyPatch, flags: dict[str, int], options: list[str]
) -> None:
    given = {"isolated": 0, "ignore_environment": 0, "no_user_site": 0,
             "dont_write_bytecode": 0, **flags}
    monkeypatch.setattr(sys, "flags", SimpleNamespace(**given))
    assert cache_warmer._interpreter_flags() == options


def test_a_warmer_runs_the_code_the_browser_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    # (whether citeline is installed or imported from a checkout: never another copy)
    monkeypatch.setenv("PYTHONPATH", "/elsewhere")
    root = Path(cache_warmer.__file__).resolve().parents[1]
    assert cache_warmer._environment()["PYTHONPATH"] == os.pathsep.join([str(root), "/elsewhere"])
    monkeypatch.delenv("PYTHONPATH")
    assert cache_warmer._environment()["PYTHONPATH"] == str(root)


def test_the_browser_gets_on_without_waiting_for_a_late_warmer_to_stop(
    events: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # (at the lowest priority on a busy machine, a warmer may take a while to stop)
    from citeline.tui.app import CitelineApp

    stubborn = tmp_path / "stubborn"  # a warmer that will not stop when asked
    stubborn.mkdir()
    (stubborn / "sitecustomize.py").write_text(
        "import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\ntime.sleep(60)\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(stubborn), *sys.path]))
    warmers = record_starts(monkeypatch, settle=0.2)  # (its signal handler in place)
    running: list[bool] = []
    monkeypatch.setattr(CitelineApp, "run", lambda app, **_: running.append(
        not warmers[0].finished
    ))
    assert cli.main(["--events", str(events)]) == 0
    assert running == [True]  # the browser opened with the warmer still there
    with pytest.raises(ChildProcessError):  # and it was ended and reaped as the browser closed
        os.waitpid(warmers[0].pid, os.WNOHANG)


def _process(code: str) -> CacheWarmer:
    """A warmer that is a Python running ``code`` (reaped by the test's own stop)."""
    return CacheWarmer(os.posix_spawn(sys.executable, [sys.executable, "-c", code], os.environ))


@pytest.mark.skipif(not Path("/proc/self/schedstat").exists(), reason="no processor times")
def test_a_starved_warmer_is_not_waited_for() -> None:
    """One that has had next to no processor since it started (a sleep stands for a
    warmer kept off a busy machine's processors) is given up on at once."""
    warmer = _process("import time; time.sleep(30)")
    try:
        time.sleep(0.2)  # (as the interface is imported)
        started = time.monotonic()
        assert not warmer.wait_unless_starved(5.0)
        assert time.monotonic() - started < 1.0
    finally:
        warmer.stop()


def test_a_warmer_at_work_is_waited_for() -> None:
    """One that has had its processor (a busy loop, then done) is waited for."""
    warmer = _process(
        "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass"
    )
    try:
        time.sleep(0.1)
        assert warmer.wait_unless_starved(30.0)
    finally:
        warmer.stop()


def test_without_processor_times_a_late_warmer_is_waited_for_as_before(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    warmer = _process("import time; time.sleep(0.3)")
    monkeypatch.setattr(warmer, "_processor_time", lambda: None)
    try:
        time.sleep(0.1)
        assert warmer.wait_unless_starved(30.0)
    finally:
        warmer.stop()
