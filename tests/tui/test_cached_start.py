"""A warm start: the browser opens a cached timeline building only the events it shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from citeline import cache
from citeline.loader import load, remember
from citeline.model import LazyEvents
from citeline.tui.app import make_app
from tests.test_pending_load import big_timeline
from tests.tui.flow_timeline import selected_id


async def test_the_first_frame_builds_only_the_events_on_screen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "CHUNK", 50)
    path = big_timeline(tmp_path, events=650)
    fresh = load(path, use_cache=True)
    remember(path, fresh)
    result = load(path, use_cache=True, long_lived=True)
    assert result.from_cache and result.timeline is not None
    events = result.timeline.events
    assert isinstance(events, LazyEvents) and events.chunk_count == 13

    app = make_app(result.timeline, path, watch=False, load_result=result)
    built_at_first_frame: list[int] = []
    frame: list[str] = []
    display = app._display

    def recording(screen, renderable) -> None:  # type: ignore[no-untyped-def]
        if not built_at_first_frame and renderable is not None:
            built_at_first_frame.append(events.chunks_built)
            frame.extend(strip.text for strip in screen._compositor.render_strips())
        display(screen, renderable)

    app._display = recording  # type: ignore[method-assign]
    first_event = fresh.timeline.events[0]
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert built_at_first_frame == [1]  # the rows on screen and the selection: one chunk
        assert any(line.startswith("▶") and first_event.title in line for line in frame)
        assert selected_id(app) == first_event.id
        # the rest are built after the first frame, and everything works on them
        await pilot.press("G")
        await pilot.pause()
        assert selected_id(app) == fresh.timeline.events[-1].id
        for _ in range(100):
            if events.chunks_built == events.chunk_count:
                break
            await pilot.pause(0.02)
        assert events.chunks_built == events.chunk_count  # (the search index read them all)
        await pilot.press("slash", *"item 399.")
        await pilot.pause(0.3)
        assert app.main_screen.timeline_list.visible_event_count == len(
            [e for e in fresh.timeline.events if "item 399." in e.passages[0].quote]
        )


async def test_after_a_start_that_checked_files_by_content_the_next_knows_them_by_stamp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from citeline.tui import app as app_module

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(app_module, "REMEMBER_IDLE", 0.05)
    path = big_timeline(tmp_path, events=50)
    files = [path, *sorted(tmp_path.glob("s*.txt"))]
    for file in files:  # written long before the first load
        then = file.stat().st_mtime_ns - 120 * 10**9
        os.utime(file, ns=(then, then))
    remember(path, load(path, use_cache=True))
    for file in files:  # then touched (a checkout, a copy): same texts, new stamps
        then = file.stat().st_mtime_ns + 60 * 10**9
        os.utime(file, ns=(then, then))
    result = load(path, use_cache=True, long_lived=True)
    assert result.from_cache and result.cache_hit is not None
    assert len(result.cache_hit.checked) == len(files)
    entry = cache.entry_path(path)
    before = entry.read_bytes()
    app = make_app(result.timeline, path, watch=False, load_result=result)
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(100):  # the browser rewrites the entry's header once the user pauses
            await pilot.pause(0.02)
            if entry.read_bytes() != before:
                break
    after = entry.read_bytes()
    assert after != before and after.split(b"\n")[1:] == before.split(b"\n")[1:]
    again = load(path, use_cache=True)
    assert again.from_cache and again.cache_hit is not None and again.cache_hit.checked == {}
