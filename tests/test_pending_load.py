"""Loading with progress reports, and on a thread of its own (:mod:`citeline.pending_load`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from citeline import yaml_reader
from citeline.loader import load
from citeline.pending_load import LoadCancelled, PendingLoad

SOURCE = "".join(f"Line {n}: the council met and voted on item {n}.\n" for n in range(400))


def big_timeline(
    folder: Path, events: int = 600, sources: int = 3, sources_first: bool = True
) -> Path:
    """A valid timeline large enough for several progress reports in every phase."""
    source_lines = ["sources:"]
    for s in range(sources):
        (folder / f"s{s}.txt").write_text(SOURCE, encoding="utf-8")
        source_lines += [f"  - id: s{s}", f"    file: s{s}.txt", f"    title: Source {s}"]
    lines = ["title: Progress test", *(source_lines if sources_first else [])]
    lines.append("events:")
    for e in range(events):
        lines += [
            f"  - id: e{e}",
            f"    title: Event {e}",
            f'    date: "{1900 + e % 100}-0{1 + e % 9}"',
            "    summary: The council voted.",
            "    passages:",
            f"      - source: s{e % sources}",
            f"        quote: voted on item {e % 400}.",
        ]
    lines += [] if sources_first else source_lines
    path = folder / "events.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("sources_first", [True, False])
def test_progress_goes_through_every_phase_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sources_first: bool
) -> None:
    monkeypatch.setattr(yaml_reader, "PROGRESS_EVERY", 500)
    path = big_timeline(tmp_path, sources_first=sources_first)
    reports: list[tuple[str, float]] = []
    result = load(path, progress=lambda phase, share: reports.append((phase, share)))
    assert result.timeline is not None and len(result.timeline.events) == 600
    phases = list(dict.fromkeys(phase for phase, _ in reports))
    assert phases == [
        "Reading the events file",
        "Reading sources",
        "Anchoring passages",
    ]
    shares = [share for _, share in reports]
    assert shares == sorted(shares), "progress never goes back"
    assert shares[0] >= 0.0 and shares[-1] <= 1.0
    reading = sum(phase == "Reading the events file" for phase, _ in reports)
    anchoring = [share for phase, share in reports if phase == "Anchoring passages"]
    if sources_first:
        # each event is checked as soon as it is read: the reading reports as anchoring,
        # which ends with the file
        assert reading == 1 and len(anchoring) > 3 and anchoring[-1] > 0.9
    else:  # the events wait for the sources at the end: read first, then checked
        assert reading > 3 and len(anchoring) >= 3  # 600 / 256


def test_progress_never_goes_back_for_items_left_after_the_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(yaml_reader, "PROGRESS_EVERY", 500)
    path = big_timeline(tmp_path)
    with path.open("a", encoding="utf-8") as events:
        events.write("  - not an event\n")  # left in the list, checked after the reading
    reports: list[tuple[str, float]] = []
    result = load(path, progress=lambda phase, share: reports.append((phase, share)))
    assert [d.line for d in result.diagnostics] == [4213]
    shares = [share for _, share in reports]
    assert shares == sorted(shares)


def test_what_the_progress_callback_raises_ends_the_load(tmp_path: Path) -> None:
    path = big_timeline(tmp_path)

    class Stop(Exception):
        pass

    def stop_at_the_passages(phase: str, share: float) -> None:
        if phase == "Anchoring passages":
            raise Stop

    with pytest.raises(Stop):
        load(path, progress=stop_at_the_passages)


def test_a_pending_load_gives_the_same_timeline(tmp_path: Path) -> None:
    path = big_timeline(tmp_path)
    pending = PendingLoad(path)
    assert pending.wait(timeout=0) is None  # not started: nothing yet
    assert pending.progress == ("Starting", 0.0)
    result = pending.start().wait(timeout=30)
    assert result is not None and pending.done
    assert result.timeline == load(path).timeline
    assert pending.progress[0] == "Anchoring passages"


def test_a_cancelled_load_stops_and_says_so(tmp_path: Path) -> None:
    path = big_timeline(tmp_path, events=3000)
    pending = PendingLoad(path)
    pending.cancel()
    with pytest.raises(LoadCancelled):
        pending.wait(timeout=0)
    running = PendingLoad(path).start()
    running.cancel()
    with pytest.raises(LoadCancelled):
        running.wait(timeout=30)


def test_a_pending_load_reports_bad_input_as_diagnostics(tmp_path: Path) -> None:
    result = PendingLoad(tmp_path / "missing.yaml").start().wait(timeout=30)
    assert result is not None and result.unreadable
    assert "no such file" in result.diagnostics[0].message


def test_a_held_load_waits_for_its_release(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from citeline import pending_load

    monkeypatch.setattr(yaml_reader, "PROGRESS_EVERY", 500)
    path = big_timeline(tmp_path, events=2000)
    pending = PendingLoad(path)
    pending.hold()
    assert pending.held
    pending.start()
    time.sleep(0.5)  # far longer than the load takes
    assert not pending.done  # stopped at its first report
    assert pending.wait(timeout=0) is None
    pending.release()
    result = pending.wait(timeout=30)
    assert result is not None and result.timeline is not None and not pending.held

    # a held load never released goes on by itself after a while
    monkeypatch.setattr(pending_load, "HOLD_LIMIT", 0.05)
    forgotten = PendingLoad(path)
    forgotten.hold()
    assert forgotten.start().wait(timeout=30) is not None


def test_cancelling_a_held_load_ends_it_at_once(tmp_path: Path) -> None:
    import time

    pending = PendingLoad(big_timeline(tmp_path, events=2000))
    pending.hold()
    pending.start()
    time.sleep(0.1)
    started = time.monotonic()
    pending.cancel()
    with pytest.raises(LoadCancelled):
        pending.wait(timeout=30)
    assert time.monotonic() - started < 1.0  # not after the hold's limit
