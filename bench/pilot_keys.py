"""Headless key latency: drive citeline's browser with Textual's Pilot.

``python bench/pilot_keys.py --events FILE --meta META.json`` loads the
timeline, builds the app with ``make_app(timeline, path, watch=False)``,
runs it headless at 120x36 and prints JSON with the latency of every timed
key press, in seconds.

A press is timed from posting the key event (what ``Pilot.press`` does) until
the app has processed every message it caused, the expected state holds
(the selection moved, the source viewer is on top, the filtered list has the
expected number of events) and the screen's pending repaint has been rendered
by the compositor. ``Pilot.press`` and ``Pilot.pause`` themselves are not used
for timing: they sleep at least 20 ms per call (``wait_for_idle``), which
would swamp the 16 ms being measured.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import events
from textual.pilot import Pilot

KEY_TIMEOUT = 60.0
#: At most this many frames are rendered while a key's effects settle.
MAX_FRAMES = 20


def key_event(key: str) -> events.Key:
    """The Key event Pilot would send for ``key`` (a character or a key name)."""
    try:
        from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
    except ImportError:  # pragma: no cover - a Textual without these helpers
        return events.Key(key, key if len(key) == 1 else None)
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    original = REPLACED_KEYS.get(key, key)
    char: str | None
    try:
        char = unicodedata.lookup(_get_unicode_name_from_key(original))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


async def settle(pilot: Pilot[Any], condition: Callable[[], bool], timeout: float) -> None:
    """Process messages until ``condition()`` holds, then render the pending frame."""
    app = pilot.app
    deadline = time.perf_counter() + timeout
    while True:
        await pilot._wait_for_screen()
        if condition():
            break
        if time.perf_counter() > deadline:
            raise TimeoutError("the expected state never came")
        await asyncio.sleep(0)
    # what the screen's 60 fps update timer would do next: lay out and render, and again
    # while that scheduled more work (``call_after_refresh``, a scroll, a relayout)
    for _ in range(MAX_FRAMES):
        await pilot._wait_for_screen()
        screen = app.screen
        screen._on_timer_update()
        await pilot._wait_for_screen()
        if not _pending(app.screen):
            break


def _pending(screen: Any) -> bool:
    """Whether the screen still has a repaint, layout or after-refresh callback due."""
    return bool(
        getattr(screen, "_layout_required", False)
        or getattr(screen, "_scroll_required", False)
        or getattr(screen, "_repaint_required", False)
        or getattr(screen, "_recompose_required", False)
        or getattr(screen, "_dirty_widgets", None)
        or getattr(screen, "_callbacks", None)
    )


async def timed(
    pilot: Pilot[Any], key: str, condition: Callable[[], bool], timeout: float = KEY_TIMEOUT
) -> float:
    """Seconds from posting ``key`` to the rendered screen in which ``condition()`` holds."""
    app = pilot.app
    started = time.perf_counter()
    event = key_event(key)
    event.set_sender(app)
    await app._post_message(event)
    await settle(pilot, condition, timeout)
    return time.perf_counter() - started


async def untimed(
    pilot: Pilot[Any], key: str, condition: Callable[[], bool], timeout: float = KEY_TIMEOUT
) -> None:
    await timed(pilot, key, condition, timeout)


async def drive(path: Path, meta: dict[str, Any], counts: dict[str, int]) -> dict[str, Any]:
    from citeline.loader import load
    from citeline.tui.app import make_app

    out: dict[str, Any] = {"keys": {}, "errors": {}}
    started = time.perf_counter()
    result = load(path)
    out["load_s"] = time.perf_counter() - started
    timeline = result.timeline
    if timeline is None:
        raise SystemExit(f"{path} does not validate")
    total = len(timeline.events)
    app = make_app(timeline, path, watch=False)
    keys: dict[str, list[float]] = out["keys"]
    started = time.perf_counter()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(
            pilot,
            lambda: getattr(app, "main_screen", None) is not None
            and app.screen is app.main_screen,
            KEY_TIMEOUT,
        )
        out["mount_s"] = time.perf_counter() - started
        main = app.main_screen

        def selected() -> int | None:
            return main.timeline_list.selected_index

        async def steps(key: str, count: int) -> None:
            samples = keys.setdefault(key, [])
            for _ in range(count):
                if (selected() or 0) >= total - 1:  # at the end: back to the top, untimed
                    await untimed(pilot, "g", lambda: selected() == 0)
                before = selected()
                assert before is not None
                if before >= total - 1:  # a timeline of one event
                    break
                samples.append(
                    await timed(pilot, key, lambda b=before: selected() == b + 1)
                )

        try:
            await steps("j", counts["j"])
            await steps("]", counts["]"])
        except Exception as error:  # reported, not fatal
            out["errors"]["steps"] = repr(error)

        try:
            await untimed(pilot, "g", lambda: selected() == 0)
            for _ in range(counts["G"]):
                keys.setdefault("G", []).append(
                    await timed(pilot, "G", lambda: selected() == total - 1)
                )
                keys.setdefault("g", []).append(await timed(pilot, "g", lambda: selected() == 0))
        except Exception as error:
            out["errors"]["G"] = repr(error)

        search = meta["search"]
        query: str = search["query"]
        try:
            from citeline.tui.widgets.search_bar import SearchBar

            def opened() -> bool:
                found = main.query(SearchBar)
                return bool(found) and found.first().display and app.focused is found.first()

            await untimed(pilot, "/", opened)  # (the field is mounted when first opened)
            bar = main.query_one(SearchBar)
            for round_number in range(counts["search"]):
                if round_number:
                    await untimed(pilot, "/", lambda: bar.display and app.focused is bar)
                for position, char in enumerate(query[:-1]):
                    typed = query[: position + 1]
                    seconds = await timed(  # until the list is filtered (the index built)
                        pilot, char, lambda t=typed: bar.value == t and not main.search_waiting
                    )
                    if round_number == 0 and position == 0:
                        out["search_first_key_s"] = seconds
                keys.setdefault("search", []).append(
                    await timed(
                        pilot,
                        query[-1],
                        lambda: bar.value == query
                        and main.timeline_list.visible_event_count == search["hits"],
                    )
                )
                await untimed(
                    pilot,
                    "escape",
                    lambda: not bar.display and main.timeline_list.visible_event_count == total,
                )
        except Exception as error:
            out["errors"]["search"] = repr(error)

        try:
            await untimed(pilot, "g", lambda: selected() == 0 and app.focused is main.timeline_list)
            await untimed(pilot, "enter", lambda: main.passages_focused)
            for _ in range(counts["open"]):
                keys.setdefault("open source", []).append(
                    await timed(
                        pilot,
                        "enter",
                        lambda: type(app.screen).__name__ == "SourceScreen"
                        and app.screen.is_mounted,
                    )
                )
                await untimed(pilot, "escape", lambda: app.screen is main)
        except Exception as error:
            out["errors"]["open source"] = repr(error)
        await pilot.pause()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=Path, required=True)
    parser.add_argument("--meta", type=Path, required=True, help="facts from generate.py")
    parser.add_argument("--j", type=int, default=40, help="timed j presses")
    parser.add_argument("--step", type=int, default=40, help="timed ] presses")
    parser.add_argument("--jumps", type=int, default=10, help="timed G (and g) presses")
    parser.add_argument("--searches", type=int, default=5, help="timed searches")
    parser.add_argument("--opens", type=int, default=8, help="timed source openings")
    args = parser.parse_args(argv)
    meta = json.loads(args.meta.read_text("utf-8"))
    counts = {"j": args.j, "]": args.step, "G": args.jumps, "search": args.searches,
              "open": args.opens}
    out = asyncio.run(drive(args.events, meta, counts))
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
