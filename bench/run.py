"""citeline's performance benchmark: one Markdown table, every figure measured now.

``python bench/run.py`` generates (or reuses) synthetic timelines of 1,000 and
10,000 events (``--full`` adds 100,000; ``--sizes`` picks any), plus the
bundled timeline, and measures for each:

* validate: ``citeline validate`` wall time, and its floor, PyYAML's C loader
  on the same file in the same Python (``bench/c_loader.py``);
* first frame: from starting ``citeline --events FILE`` in a 120x36 tmux pane
  until the pane shows "N events" and the first event's title, cold (empty
  ``$XDG_CACHE_HOME`` and a freshly touched events file) and warm (the run
  right after); its floor is a bare Textual app (``bench/bare_app.py``);
* key latency, median and 95th percentile, headless with Pilot
  (``bench/pilot_keys.py``) and in tmux: ``j``, ``]``, ``G`` (and ``g``),
  opening a source (``Enter`` on a passage), and search (the last character
  of a query, until the list shows the expected number of matches);
* peak memory (max RSS) of ``validate`` and of the browser.

Each time is the median of ``--runs`` runs (3 at 100,000 events unless
``--runs`` is given). The table goes to stdout (and ``--output``); progress
goes to stderr. Children run with ``PYTHONPYCACHEPREFIX`` set to a private
folder (and bytecode writing on), as an installed citeline would have its
``.pyc`` files; a discarded warm-up run fills it.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from bare_app import MARKER as BARE_MARKER  # noqa: E402
from generate import GENERATOR_VERSION  # noqa: E402
from tmuxctl import Tmux, TmuxError  # noqa: E402

PYTHON = sys.executable
CITELINE = str(Path(PYTHON).with_name("citeline"))
GNU_TIME = "/usr/bin/time"

SOURCES_FOR = {1000: 100, 10_000: 1000, 100_000: 5000}

#: How many presses are timed per key (headless, tmux); ``--quick`` uses fewer.
SAMPLES = {"j": (40, 30), "]": (40, 30), "G": (10, 8), "search": (5, 4), "open": (8, 6)}
QUICK_SAMPLES = {"j": (10, 8), "]": (10, 8), "G": (3, 2), "search": (2, 2), "open": (3, 2)}

#: Pause between timed key presses in tmux, so each press meets an idle app.
KEY_GAP = 0.08


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def sources_for(events: int) -> int:
    return SOURCES_FOR.get(events, max(1, min(5000, events // 10)))


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def p95(values: Sequence[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


# -- data sets -------------------------------------------------------------------------


@dataclass
class Dataset:
    label: str
    events_file: Path
    meta: dict[str, Any]

    @property
    def events(self) -> int:
        return int(self.meta["events"])

    @property
    def yaml_mb(self) -> float:
        return self.events_file.stat().st_size / 1e6


def cache_root(explicit: Path | None) -> Path:
    if explicit is not None:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or tempfile.gettempdir()
    return Path(base) / "citeline-bench"


def synthetic(events: int, seed: int, cache: Path) -> Dataset:
    """The generated timeline of ``events`` events, made once and cached."""
    sources = sources_for(events)
    folder = cache / f"data-v{GENERATOR_VERSION}-e{events}-s{sources}-seed{seed}"
    meta_file = folder / "meta.json"
    if not meta_file.exists():
        log(f"generating {events} events / {sources} sources in {folder}")
        partial = folder.with_name(folder.name + f".partial-{os.getpid()}")
        shutil.rmtree(partial, ignore_errors=True)
        subprocess.run(
            [PYTHON, str(BENCH / "generate.py"), "--events", str(events), "--sources",
             str(sources), "--out", str(partial), "--seed", str(seed), "--meta",
             str(partial / "meta.json")],
            check=True,
        )
        shutil.rmtree(folder, ignore_errors=True)
        partial.rename(folder)
    meta = json.loads(meta_file.read_text("utf-8"))
    return Dataset(f"{events:,}", folder / "events.yaml", meta)


def bundled() -> Dataset:
    """The curated timeline shipped with citeline."""
    from citeline.loader import load
    from generate import facts

    path = REPO / "events.yaml"
    started = time.perf_counter()
    result = load(path)
    if result.timeline is None:
        raise SystemExit("the bundled events.yaml does not validate")
    meta = facts(result.timeline, time.perf_counter() - started)
    return Dataset(f"bundled ({meta['events']})", path, meta)


# -- processes -------------------------------------------------------------------------


class Env:
    """Environments for the measured children: private caches, bytecode on."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.pycache = root / "pycache"
        self.xdg = root / f"xdg-{os.getpid()}"
        self.pycache.mkdir(parents=True, exist_ok=True)
        self.xdg.mkdir(parents=True, exist_ok=True)
        self.times = Path(tempfile.mkdtemp(prefix="citeline-bench-times-"))
        self.counter = 0

    def base(self) -> dict[str, str]:
        env = dict(os.environ)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(self.pycache)
        env["XDG_CACHE_HOME"] = str(self.xdg)
        env.pop("TMUX", None)
        return env

    def make_cold(self, dataset: Dataset) -> None:
        """Forget whatever citeline may have cached about ``dataset``.

        The events file gets a new modification time (no cache keyed on the old
        one can match), set in the past: a file read within two seconds of its
        last change is checked by its content at the next start (the cache's
        rule against same-tick rewrites), which a user's file, saved before
        citeline starts, rarely is; the warm start measures the usual case.
        """
        shutil.rmtree(self.xdg, ignore_errors=True)
        self.xdg.mkdir(parents=True)
        then = time.time() - 10
        os.utime(dataset.events_file, (then, then))

    def time_file(self) -> Path:
        self.counter += 1
        return self.times / f"run-{self.counter}.time"

    def wrap(self, argv: Sequence[str], out: Path) -> list[str]:
        """``argv`` run under GNU time -v (or bench/maxrss.py), writing to ``out``."""
        if os.access(GNU_TIME, os.X_OK):
            return [GNU_TIME, "-v", "-o", str(out), *argv]
        return [PYTHON, str(BENCH / "maxrss.py"), str(out), "--", *argv]

    def close(self) -> None:
        shutil.rmtree(self.xdg, ignore_errors=True)
        shutil.rmtree(self.times, ignore_errors=True)


def read_time_file(path: Path, timeout: float = 10.0) -> tuple[int | None, int | None]:
    """(max RSS in KiB, exit status) from a GNU time -v report."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if path.exists():
            text = path.read_text("utf-8", "replace")
            if "Exit status" in text:
                rss = status = None
                for line in text.splitlines():
                    line = line.strip()
                    if line.startswith("Maximum resident set size"):
                        rss = int(line.rsplit(":", 1)[1])
                    elif line.startswith("Exit status"):
                        status = int(line.rsplit(":", 1)[1])
                return rss, status
        time.sleep(0.02)
    return None, None


def timed_process(env: Env, argv: Sequence[str], timeout: float) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of a command that must succeed."""
    out = env.time_file()
    started = time.perf_counter()
    done = subprocess.run(env.wrap(argv, out), env=env.base(), stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, timeout=timeout, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({done.returncode}):"
                           f" {done.stderr.decode('utf-8', 'replace')[-2000:]}")
    rss, _ = read_time_file(out)
    return seconds, rss or 0


# -- measurements ------------------------------------------------------------------------


@dataclass
class Result:
    """Everything measured for one data set (seconds, KiB)."""

    dataset: Dataset
    floor: list[float] = field(default_factory=list)
    floor_rss: list[int] = field(default_factory=list)
    validate_cold: list[float] = field(default_factory=list)
    validate_warm: list[float] = field(default_factory=list)
    validate_rss: list[int] = field(default_factory=list)
    bare: list[float] = field(default_factory=list)
    frame_cold: list[float] = field(default_factory=list)
    frame_warm: list[float] = field(default_factory=list)
    browser_rss: int | None = None
    pilot: dict[str, list[float]] = field(default_factory=dict)
    pilot_extra: dict[str, Any] = field(default_factory=dict)
    tmux: dict[str, list[float]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0


def measure_validate(result: Result, env: Env, runs: int) -> None:
    data = result.dataset
    timeout = 120 + data.events * 0.01
    floor_cmd = [PYTHON, str(BENCH / "c_loader.py"), str(data.events_file)]
    validate_cmd = [CITELINE, "validate", "--events", str(data.events_file)]
    timed_process(env, validate_cmd, timeout)  # warm-up: page cache and .pyc files
    for run in range(runs):
        seconds, rss = timed_process(env, floor_cmd, timeout)
        result.floor.append(seconds)
        result.floor_rss.append(rss)
        env.make_cold(data)
        seconds, rss = timed_process(env, validate_cmd, timeout)
        result.validate_cold.append(seconds)
        result.validate_rss.append(rss)
        seconds, rss = timed_process(env, validate_cmd, timeout)
        result.validate_warm.append(seconds)
        result.validate_rss.append(rss)
        log(f"  validate run {run + 1}/{runs}: floor {result.floor[-1]:.3f} s, cold"
            f" {result.validate_cold[-1]:.3f} s, warm {seconds:.3f} s")


def ready_predicate(data: Dataset) -> Callable[[list[str]], bool]:
    """The pane shows the title bar's "N events" and the first event's title."""
    count = data.events
    counts = (f"{count} events", f"{count:,} events")
    title = data.meta["titles_head"][0][:16]

    def ready(lines: list[str]) -> bool:
        screen = "\n".join(lines)
        return any(c in screen for c in counts) and title in screen

    return ready


def first_frame(
    tmux: Tmux,
    env: Env,
    name: str,
    argv: Sequence[str],
    predicate: Callable[[list[str]], bool],
    timeout: float,
) -> tuple[float, int | None]:
    """Seconds from starting ``argv`` in a fresh pane until ``predicate``; then quit."""
    out = env.time_file()
    started = time.perf_counter()
    tmux.start(name, env.wrap(argv, out))
    try:
        shown = tmux.wait_for(name, predicate, timeout)
    finally:
        if tmux.alive(name):
            tmux.keys(name, "C-c")
            if not tmux.wait_gone(name, 30):
                log(f"  {name} did not quit on Ctrl+C; killed")
    rss, _ = read_time_file(out)
    return shown - started, rss


def measure_first_frame(result: Result, tmux: Tmux, env: Env, runs: int) -> None:
    data = result.dataset
    timeout = 60 + data.events * 0.004
    bare_cmd = [PYTHON, str(BENCH / "bare_app.py")]
    bare_ready = lambda lines: any(BARE_MARKER in line for line in lines)  # noqa: E731
    app_cmd = [CITELINE, "--events", str(data.events_file)]
    ready = ready_predicate(data)
    tag = data.label.split()[0].replace(",", "")
    # warm-ups: fill the page cache and the .pyc folder
    first_frame(tmux, env, f"warm-bare-{tag}", bare_cmd, bare_ready, 60)
    first_frame(tmux, env, f"warm-app-{tag}", app_cmd, ready, timeout)
    for run in range(runs):
        seconds, _ = first_frame(tmux, env, f"bare-{tag}-{run}", bare_cmd, bare_ready, 60)
        result.bare.append(seconds)
        env.make_cold(data)
        cold, _ = first_frame(tmux, env, f"cold-{tag}-{run}", app_cmd, ready, timeout)
        result.frame_cold.append(cold)
        warm, _ = first_frame(tmux, env, f"warm-{tag}-{run}", app_cmd, ready, timeout)
        result.frame_warm.append(warm)
        log(f"  first frame run {run + 1}/{runs}: bare {seconds:.3f} s, cold {cold:.3f} s,"
            f" warm {warm:.3f} s")


def measure_pilot(result: Result, env: Env, samples: dict[str, tuple[int, int]]) -> None:
    data = result.dataset
    meta_file = env.times / f"meta-{data.events}.json"
    meta_file.write_text(json.dumps(data.meta), "utf-8")
    argv = [
        PYTHON, str(BENCH / "pilot_keys.py"), "--events", str(data.events_file),
        "--meta", str(meta_file),
        "--j", str(samples["j"][0]), "--step", str(samples["]"][0]),
        "--jumps", str(samples["G"][0]), "--searches", str(samples["search"][0]),
        "--opens", str(samples["open"][0]),
    ]
    done = subprocess.run(argv, env=env.base(), capture_output=True, text=True,
                          timeout=600 + data.events * 0.01, check=False)
    if done.returncode != 0:
        result.notes.append(f"Pilot run failed: {done.stderr.strip().splitlines()[-1:]}")
        log(f"  pilot failed:\n{done.stderr[-3000:]}")
        return
    out = json.loads(done.stdout.strip().splitlines()[-1])
    result.pilot = out["keys"]
    result.pilot_extra = {k: v for k, v in out.items() if k != "keys"}
    for where, error in out.get("errors", {}).items():
        result.notes.append(f"Pilot {where}: {error}")
    log("  pilot: " + ", ".join(
        f"{key} {median(v) * 1000:.1f}/{p95(v) * 1000:.1f} ms" for key, v in out["keys"].items()
        if v
    ))


def detail_heading(lines: list[str]) -> str:
    """The first row of the detail pane: the text right of the first ``▕`` border."""
    for line in lines[1:]:
        if "▕" in line:
            return line.rpartition("▕")[2].strip()
    return ""


def selected_row(title: str) -> Callable[[list[str]], bool]:
    """The cursor row (``▶``) shows this title, and the detail pane is headed by it."""
    prefix = title[:16]

    def shown(lines: list[str]) -> bool:
        if not any("▶" in line and prefix in line for line in lines):
            return False
        heading = detail_heading(lines).rstrip("…")
        return bool(heading) and (title.startswith(heading) or heading.startswith(title))

    return shown


def measure_bare_keys(result: Result, tmux: Tmux, env: Env, presses: int) -> None:
    """The floor for tmux key latency: a bare Textual app redrawing one line per key."""
    name = f"bare-keys-{result.dataset.label.split()[0].replace(',', '')}"
    tmux.start(name, env.wrap([PYTHON, str(BENCH / "bare_app.py")], env.time_file()))
    try:
        tmux.wait_for(name, lambda lines: any(BARE_MARKER in line for line in lines), 60)
        for number in range(1, presses + 1):
            shown = f"{BARE_MARKER} ({number} keys)"
            time.sleep(KEY_GAP)
            started = time.perf_counter()
            tmux.keys(name, "j")
            seconds = tmux.wait_for(name, lambda lines, s=shown: any(s in x for x in lines), 30)
            result.tmux.setdefault("bare key", []).append(seconds - started)
    except (TimeoutError, TmuxError) as error:
        result.notes.append(f"tmux bare keys stopped: {str(error).splitlines()[0]}")
    finally:
        if tmux.alive(name):
            tmux.keys(name, "C-c")
            tmux.wait_gone(name, 30)


def measure_tmux_keys(
    result: Result, tmux: Tmux, env: Env, samples: dict[str, tuple[int, int]]
) -> None:
    """Press keys in a real terminal and poll the pane for their effect."""
    measure_bare_keys(result, tmux, env, samples["j"][1])
    data = result.dataset
    meta = data.meta
    titles: list[str] = meta["titles_head"]
    total = data.events
    tag = data.label.split()[0].replace(",", "")
    name = f"keys-{tag}"
    out = env.time_file()
    timeout = 60 + total * 0.004
    tmux.start(name, env.wrap([CITELINE, "--events", str(data.events_file)], out))
    skipped = 0

    def press(key: str, predicate: Callable[[list[str]], bool], limit: float = 30.0,
              literal: bool = False) -> float:
        time.sleep(KEY_GAP)
        started = time.perf_counter()
        tmux.keys(name, key, literal=literal)
        return tmux.wait_for(name, predicate, limit) - started

    def screen() -> list[str]:
        return tmux.capture(name) or []

    try:
        tmux.wait_for(name, ready_predicate(data), timeout)
        position = 0
        for key, count in (("j", samples["j"][1]), ("]", samples["]"][1])):
            for _ in range(count):
                if position + 1 >= min(total, len(titles)):  # back to the top, untimed
                    press("g", selected_row(titles[0]))
                    position = 0
                    if total < 2:
                        break
                target = selected_row(titles[position + 1])
                if target(screen()):  # the same title prefix: cannot tell the screens apart
                    skipped += 1
                    press(key, lambda lines: True)
                    time.sleep(0.2)
                else:
                    result.tmux.setdefault(key, []).append(press(key, target))
                position += 1
        first = selected_row(titles[0])
        last = selected_row(meta["last_title"])
        press("g", first)
        for _ in range(samples["G"][1]):
            if last(screen()):  # the first and last titles look alike
                skipped += 1
                break
            result.tmux.setdefault("G", []).append(press("G", last))
            result.tmux.setdefault("g", []).append(press("g", first))
        search = meta["search"]
        if search["prefix_hits"] != search["hits"]:
            query: str = search["query"]
            # (thousands grouped, as the title bar writes them; "1 of ... matches" holds
            # "match" too)
            before = f"{search['prefix_hits']:,} of {total:,} events match"
            after = f"{search['hits']:,} of {total:,} events match"
            plain = f"{total:,} events ·"
            for _ in range(samples["search"][1]):
                press("/", lambda lines: any("Search titles" in line for line in lines))
                press(query[:-1], lambda lines: any(before in line for line in lines),
                      literal=True)
                result.tmux.setdefault("search", []).append(
                    press(query[-1], lambda lines: any(after in line for line in lines),
                          literal=True)
                )
                press("Escape", lambda lines: any(plain in line for line in lines))
        else:
            result.notes.append("tmux search: the query's last letter does not change the hits")
        marker = meta.get("source_marker") or ""
        shown = lambda lines: any(marker in line for line in lines)  # noqa: E731
        if marker and not shown(screen()):
            press("g", first)
            time.sleep(0.3)
            tmux.keys(name, "Enter")  # into the passages
            time.sleep(0.5)
            for _ in range(samples["open"][1]):
                result.tmux.setdefault("open source", []).append(press("Enter", shown))
                press("Escape", lambda lines: not shown(lines))
                time.sleep(0.3)
        else:
            result.notes.append("tmux open source: no marker line to wait for")
    except (TimeoutError, TmuxError) as error:
        result.notes.append(f"tmux keys stopped: {str(error).splitlines()[0]}")
        log(f"  tmux keys stopped: {error}")
    finally:
        if tmux.alive(name):
            tmux.keys(name, "C-c")
            if not tmux.wait_gone(name, 30):
                result.notes.append("the browser did not quit on Ctrl+C (killed)")
    rss, _ = read_time_file(out)
    result.browser_rss = rss
    if skipped:
        result.notes.append(f"tmux: {skipped} presses untimed (screens indistinguishable)")
    log("  tmux: " + ", ".join(
        f"{key} {median(v) * 1000:.1f}/{p95(v) * 1000:.1f} ms" for key, v in result.tmux.items()
        if v
    ))


# -- the report ------------------------------------------------------------------------------


def fmt_s(values: Sequence[float]) -> str:
    return f"{median(values):.3f} s" if values else "–"


def fmt_ms(values: Sequence[float] | None) -> str:
    """Median, 95th percentile and the slowest sample: the p95 of a few dozen samples
    hides a single slow key (the first after start, say), the maximum shows it."""
    if not values:
        return "n/a"
    return (f"{median(values) * 1000:.1f} / {p95(values) * 1000:.1f}"
            f" / {max(values) * 1000:.0f}")


def fmt_mb(kib: float | None) -> str:
    return f"{kib / 1024:.0f} MB" if kib else "–"


def ratio(a: Sequence[float], b: float) -> str:
    return f" ({median(a) / b:.2f}×)" if a and b else ""


def table(results: list[Result]) -> str:
    head = "| | " + " | ".join(r.dataset.label for r in results) + " |"
    rule = "|---" * (len(results) + 1) + "|"
    rows: list[tuple[str, Callable[[Result], str]]] = [
        ("events / sources / passages", lambda r: f"{r.dataset.events:,} /"
         f" {r.dataset.meta['sources']:,} / {r.dataset.meta['passages']:,}"),
        ("events.yaml size", lambda r: f"{r.dataset.yaml_mb:.1f} MB"),
        ("C-loader floor (PyYAML CSafeLoader)", lambda r: fmt_s(r.floor)),
        ("validate cold (× floor)",
         lambda r: fmt_s(r.validate_cold) + ratio(r.validate_cold, median(r.floor)
                                                   if r.floor else 0)),
        ("validate warm (× floor)",
         lambda r: fmt_s(r.validate_warm) + ratio(r.validate_warm, median(r.floor)
                                                   if r.floor else 0)),
        ("bare Textual first frame (tmux)", lambda r: fmt_s(r.bare)),
        ("first frame cold (× bare + floor)",
         lambda r: fmt_s(r.frame_cold) + ratio(
             r.frame_cold, median(r.bare) + median(r.floor) if r.bare and r.floor else 0)),
        ("first frame warm (× bare)",
         lambda r: fmt_s(r.frame_warm) + ratio(r.frame_warm, median(r.bare) if r.bare else 0)),
        ("peak RSS: validate / C loader", lambda r: f"{fmt_mb(max(r.validate_rss, default=0))}"
         f" / {fmt_mb(max(r.floor_rss, default=0))}"),
        ("peak RSS: browser (after the tmux keys)", lambda r: fmt_mb(r.browser_rss)),
        ("Pilot: load + mount (s)", lambda r: (
            f"{r.pilot_extra['load_s']:.2f} + {r.pilot_extra['mount_s']:.2f}"
            if "mount_s" in r.pilot_extra else "n/a")),
    ]
    for key in ("j", "]", "G", "g", "open source", "search"):
        rows.append((f"Pilot `{key}` ms (median / p95 / max)",
                     lambda r, k=key: fmt_ms(r.pilot.get(k))))
    rows.append(("Pilot search, first key (builds the index)", lambda r: (
        f"{r.pilot_extra['search_first_key_s'] * 1000:.1f} ms"
        if "search_first_key_s" in r.pilot_extra else "n/a")))
    rows.append(("tmux floor: bare Textual app, a key that changes its line",
                 lambda r: fmt_ms(r.tmux.get("bare key"))))
    for key in ("j", "]", "G", "g", "open source", "search"):
        rows.append((f"tmux `{key}` ms (median / p95 / max)",
                     lambda r, k=key: fmt_ms(r.tmux.get(k))))
    rows.append(("bench wall time for this column", lambda r: f"{r.seconds:.0f} s"))
    lines = [head, rule]
    for label, cell in rows:
        lines.append(f"| {label} | " + " | ".join(cell(r) for r in results) + " |")
    return "\n".join(lines)


def growth(results: list[Result]) -> str:
    """How each cost grows from one synthetic size to the next (10× events: linear is ~10×)."""
    sized = [r for r in results if not r.dataset.label.startswith("bundled")]
    if len(sized) < 2:
        return ""
    pairs = list(itertools.pairwise(sized))
    head = "| growth | " + " | ".join(
        f"{a.dataset.label} → {b.dataset.label} (events ×{b.dataset.events / a.dataset.events:g})"
        for a, b in pairs) + " |"
    metrics: list[tuple[str, Callable[[Result], float | None]]] = [
        ("C-loader floor", lambda r: median(r.floor) if r.floor else None),
        ("validate cold", lambda r: median(r.validate_cold) if r.validate_cold else None),
        ("first frame cold − bare", lambda r: median(r.frame_cold) - median(r.bare)
         if r.frame_cold and r.bare else None),
        ("first frame warm − bare", lambda r: median(r.frame_warm) - median(r.bare)
         if r.frame_warm and r.bare else None),
        ("validate peak RSS", lambda r: max(r.validate_rss, default=0) or None),
        ("browser peak RSS", lambda r: r.browser_rss),
        ("Pilot `j` median", lambda r: median(r.pilot["j"]) if r.pilot.get("j") else None),
        ("Pilot search median", lambda r: median(r.pilot["search"])
         if r.pilot.get("search") else None),
        ("Pilot open source median", lambda r: median(r.pilot["open source"])
         if r.pilot.get("open source") else None),
    ]
    lines = [head, "|---" * (len(pairs) + 1) + "|"]
    for label, value in metrics:
        cells = []
        for a, b in pairs:
            va, vb = value(a), value(b)
            cells.append(f"×{vb / va:.1f}" if va and vb and va > 0 else "n/a")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def verdicts(results: list[Result]) -> list[str]:
    """The issue's targets, each with the measured figure and whether it is met."""
    found: list[str] = []

    def check(label: str, value: float | None, limit: float, unit: str = "") -> None:
        if value is None:
            found.append(f"- {label}: not measured")
            return
        mark = "met" if value <= limit else "NOT met"
        found.append(f"- {label}: {value:.3g}{unit} (target ≤ {limit:g}{unit}) — {mark}")

    def keys(r: Result, where: str, samples: dict[str, list[float]], med: float | None,
             high: float) -> None:
        for key in ("j", "]", "G", "open source"):
            values = samples.get(key)
            if med is not None:
                check(f"{r.dataset.label}: {where} `{key}` median",
                      median(values) * 1000 if values else None, med, " ms")
            check(f"{r.dataset.label}: {where} `{key}` p95",
                  p95(values) * 1000 if values else None, high, " ms")

    for r in results:
        events = r.dataset.events
        bare = median(r.bare) if r.bare else None
        floor = median(r.floor) if r.floor else None
        if r.dataset.label.startswith("bundled"):
            if bare and r.frame_cold:
                check("bundled: first frame cold ÷ bare", median(r.frame_cold) / bare, 1.2, "×")
            if bare and r.frame_warm:
                check("bundled: first frame warm ÷ bare", median(r.frame_warm) / bare, 1.2, "×")
            continue
        if events == 10_000:
            if floor and r.validate_cold:
                check("10,000: validate cold ÷ C-loader floor",
                      median(r.validate_cold) / floor, 1.0, "×")
            if floor and bare and r.frame_cold:
                check("10,000: first frame cold ÷ (bare + floor)",
                      median(r.frame_cold) / (bare + floor), 1.1, "×")
            if bare and r.frame_warm:
                check("10,000: first frame warm ÷ bare", median(r.frame_warm) / bare, 1.5, "×")
            keys(r, "Pilot", r.pilot, 16, 50)
            keys(r, "tmux", r.tmux, 16, 50)
            for where, samples in (("Pilot", r.pilot), ("tmux", r.tmux)):
                values = samples.get("search")
                check(f"10,000: {where} search (last key) median",
                      median(values) * 1000 if values else None, 50, " ms")
            values = r.tmux.get("G")
            check("10,000: tmux `G` to the last event, median",
                  median(values) if values else None, 0.25, " s")
        if events == 100_000:
            check("100,000: browser opens cold", median(r.frame_cold) if r.frame_cold else None,
                  15, " s")
            check("100,000: browser opens warm", median(r.frame_warm) if r.frame_warm else None,
                  2, " s")
            keys(r, "Pilot", r.pilot, None, 50)
            keys(r, "tmux", r.tmux, None, 50)
    return found


def tree_state() -> str:
    """The commit measured, and whether ``src/`` had uncommitted changes."""
    try:
        head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no", "--", "src"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "commit unknown"
    changed = len(dirty.splitlines())
    return f"commit {head}" + (f" + {changed} uncommitted change(s) in src/" if changed else "")


def report(results: list[Result], runs_note: str) -> str:
    load = os.getloadavg()
    parts = [
        f"citeline benchmark — {time.strftime('%Y-%m-%d %H:%M')}, {tree_state()},"
        f" {os.cpu_count()} CPUs, load average {load[0]:.2f} at the end; {runs_note}",
        "",
        table(results),
    ]
    grown = growth(results)
    if grown:
        parts += ["", grown]
    parts += ["", "Targets:", *verdicts(results)]
    notes = [f"- {r.dataset.label}: {note}" for r in results for note in r.notes]
    if notes:
        parts += ["", "Notes:", *notes]
    return "\n".join(parts) + "\n"


# -- main -------------------------------------------------------------------------------------


def run_part(
    result: Result, part: str, measure: Callable[..., None], args: tuple[Any, ...]
) -> None:
    """Run one measurement; a failure becomes a note instead of ending the run."""
    try:
        measure(*args)
    except (RuntimeError, TimeoutError, subprocess.TimeoutExpired) as error:
        first_line = (str(error).splitlines() or [repr(error)])[0]
        result.notes.append(f"{part} failed: {first_line}")
        log(f"  {part} failed: {error}")


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected sizes like 1000,10000, not {text!r}") from None
    if not sizes or any(s < 1 for s in sizes):
        raise argparse.ArgumentTypeError("sizes must be positive")
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=parse_sizes, help="event counts (default 1000,10000)")
    parser.add_argument("--full", action="store_true", help="also 100,000 events")
    parser.add_argument("--runs", type=int, help="runs per figure (default 5; 3 at 100,000)")
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 1,000 events only, 2 runs, few key presses")
    parser.add_argument("--no-bundled", action="store_true", help="skip the bundled timeline")
    parser.add_argument("--parts", default="validate,frame,pilot,tmux",
                        help="which measurements (default: validate,frame,pilot,tmux)")
    parser.add_argument("--blind-poll", action="store_true",
                        help="poll tmux panes every millisecond, as the runner did before, instead"
                        " of looking when they are written to (see bench/tmuxctl.py)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cache", type=Path, help="data cache (default $XDG_CACHE_HOME or tmp)")
    parser.add_argument("--output", type=Path, help="also write the report here")
    parser.add_argument("--json", type=Path, help="write the raw measurements here")
    args = parser.parse_args(argv)

    if args.quick:
        sizes = [1000]
    else:
        sizes = args.sizes or [1000, 10_000]
        if args.full and 100_000 not in sizes:
            sizes.append(100_000)
    samples = QUICK_SAMPLES if args.quick else SAMPLES
    parts = {p.strip() for p in args.parts.split(",")}
    unknown = parts - {"validate", "frame", "pilot", "tmux"}
    if unknown:
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")

    def runs_for(events: int) -> int:
        if args.runs:
            return args.runs
        if args.quick:
            return 2
        return 3 if events >= 100_000 else 5

    cache = cache_root(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    env = Env(cache)
    log(f"data cache {cache}; sizes {sizes}; load average {os.getloadavg()[0]:.2f}")
    datasets = ([] if args.no_bundled else [bundled()]) + [
        synthetic(n, args.seed, cache) for n in sizes
    ]
    results: list[Result] = []
    tmux: Tmux | None = None
    try:
        if parts & {"frame", "tmux"}:
            tmux = Tmux(watch_output=not args.blind_poll)
            tmux_base = env.base()
            # sessions inherit the server's environment: give it the children's
            for key in ("PYTHONPYCACHEPREFIX", "XDG_CACHE_HOME"):
                tmux.command(f"set-environment -g {key} '{tmux_base[key]}'")
            tmux.command("set-environment -g -u PYTHONDONTWRITEBYTECODE")
        for data in datasets:
            started = time.perf_counter()
            result = Result(data)
            runs = runs_for(data.events)
            log(f"{data.label}: {data.events} events, {data.yaml_mb:.1f} MB, {runs} runs")
            plan: list[tuple[str, Callable[..., None], tuple[Any, ...]]] = [
                ("validate", measure_validate, (result, env, runs)),
                ("frame", measure_first_frame, (result, tmux, env, runs)),
                ("pilot", measure_pilot, (result, env, samples)),
                ("tmux", measure_tmux_keys, (result, tmux, env, samples)),
            ]
            for part, measure, measure_args in plan:
                if part in parts:
                    run_part(result, part, measure, measure_args)
            result.seconds = time.perf_counter() - started
            log(f"{data.label}: done in {result.seconds:.0f} s")
            results.append(result)
    finally:
        if tmux is not None:
            tmux.close()
        env.close()
    runs_note = "runs per figure: " + ", ".join(
        f"{r.dataset.label} {runs_for(r.dataset.events)}" for r in results)
    if tmux is not None:
        runs_note += "; tmux panes " + (
            "polled every millisecond" if args.blind_poll else "looked at as they are written to")
    text = report(results, runs_note)
    print(text)
    if args.output:
        args.output.write_text(text, "utf-8")
    if args.json:
        raw = [
            {k: v for k, v in vars(r).items() if k != "dataset"}
            | {"dataset": r.dataset.label, "events": r.dataset.events}
            for r in results
        ]
        args.json.write_text(json.dumps(raw, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
