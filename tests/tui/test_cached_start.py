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
