"""The timeline cache: used only for exactly the same files, and never trusted blindly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from citeline import cache
from citeline.cache_entry import EntryFile
from citeline.loader import load, remember
from citeline.model import LazyEvents
from citeline.source_files import stamp_of

SOURCE = "The envoy arrived on Monday. Talks began at once.\nThey ended in a deal.\n"
EVENTS = """\
title: Cache test
sources:
  - id: s
    file: s.txt
    title: Source
events:
  - id: arrival
    title: Envoy arrives
    date: "2021-03-01"
    place: Capital
    participants: [Envoy]
    tags: [visit]
    summary: The envoy arrives.
    passages:
      - source: s
        quote: The envoy arrived on Monday.
        note: a note
  - id: deal
    title: A deal
    date: 2021-03/2021-04~
    summary: They agree.
    passages:
      - source: s
        quote: They ended in a deal.
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "s.txt").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "events.yaml").write_text(EVENTS, encoding="utf-8")
    return tmp_path


def _warm(folder: Path):
    path = folder / "events.yaml"
    first = load(path, use_cache=True)
    assert not first.from_cache
    remember(path, first)
    return path, first


def test_second_load_comes_from_the_cache_and_is_identical(folder: Path) -> None:
    path, first = _warm(folder)
    second = load(path, use_cache=True)
    assert second.from_cache
    assert second.timeline == first.timeline
    assert second.diagnostics == first.diagnostics
    assert second.timeline.sources[0].text == SOURCE
    assert [e.location for e in second.timeline.events] == [
        e.location for e in first.timeline.events
    ]


def test_a_warm_load_imports_neither_the_yaml_reader_nor_the_anchoring(
    folder: Path, _private_cache: Path
) -> None:
    # (nor hashlib: its OpenSSL bindings take 2-6 ms to load, and BLAKE2 is had without)
    path, _ = _warm(folder)
    probe = (
        "import sys\n"
        "from pathlib import Path\n"
        "from citeline.loader import load\n"
        f"result = load(Path({str(path)!r}), use_cache=True)\n"
        "assert result.from_cache\n"
        "[event.passages for event in result.timeline.events]\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'yaml'"
        " or m in ('citeline.anchoring', 'citeline.yaml_reader', 'hashlib')))\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(_private_cache)}
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, env=env
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
    # ...and the probe sees them when the file changed
    (folder / "events.yaml").write_text(EVENTS + "\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", probe.replace("assert result.from_cache", "")],
        capture_output=True, text=True, timeout=60, env=env,
    )
    assert "citeline.anchoring" in done.stdout and "citeline.yaml_reader" in done.stdout


def test_cache_lives_under_xdg_cache_home(folder: Path, _private_cache: Path) -> None:
    _warm(folder)
    entries = list((_private_cache / "citeline").glob("*.json"))
    assert len(entries) == 1
    lines = entries[0].read_text(encoding="utf-8").split("\n")
    documents = [json.loads(line) for line in lines if line]  # plain JSON, no pickle
    header, table, citing, *chunks, text = documents
    ids, _dates, date_numbers, years, _days, gap_texts, gap_numbers, *_span = table
    assert header["title"] == "Cache test"
    assert ids == ["arrival", "deal"] and len(date_numbers) == 2
    assert years == [2021, 2021] and gap_texts == [] and gap_numbers == [-1, -1]
    assert citing == {"s": [0, 1]}
    assert header["event_count"] == sum(len(rows) for rows in chunks)
    assert text == SOURCE  # the one source's text, read from the entry on a warm start


def _rewrite_table(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    """Change the entry's table and write the checksum to match (as only a deliberate
    rewrite would): what is left to catch it is the table's own consistency."""
    import zlib

    entry = cache.entry_path(path)
    header, table, *rest = entry.read_text(encoding="utf-8").split("\n")
    table_row = json.loads(table)
    change(table_row)
    body = "\n".join([json.dumps(table_row, ensure_ascii=False), *rest])
    document = json.loads(header)
    document["checksum"] = zlib.crc32(body.encode("utf-8"))
    entry.write_text(json.dumps(document) + "\n" + body, encoding="utf-8")


@pytest.mark.parametrize(
    "change",
    [
        lambda table: table[2].__setitem__(0, len(table[1])),  # no such distinct date
        lambda table: table[2].__setitem__(0, -1),
        lambda table: table[6].__setitem__(1, 5),  # no such gap text
        lambda table: table[6].__setitem__(1, -2),
        lambda table: table[3].pop(),  # a year missing
        lambda table: table[4].append(738000),  # a day too many
    ],
    ids=["date past", "date before", "gap past", "gap before", "year missing", "day more"],
)
def test_a_table_that_does_not_add_up_is_a_miss(folder: Path, change) -> None:  # type: ignore[no-untyped-def]
    path, first = _warm(folder)
    _rewrite_table(path, lambda table: None)
    assert load(path, use_cache=True).from_cache  # (the rewrite itself keeps a good entry)
    _rewrite_table(path, change)
    result = load(path, use_cache=True)
    assert not result.from_cache and result.timeline == first.timeline


def test_a_cached_timeline_keeps_its_chronology_and_builds_a_date_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from citeline.chronology import Chronology, chronology_of
    from tests.test_pending_load import big_timeline

    path = big_timeline(tmp_path, events=650)
    first = load(path, use_cache=True)
    remember(path, first)
    built: list[object] = []
    real = cache._EventBuilder.event_date

    def building(self, row):  # type: ignore[no-untyped-def]
        built.append(row)
        return real(self, row)

    monkeypatch.setattr(cache._EventBuilder, "event_date", building)
    second = load(path, use_cache=True)
    assert second.from_cache and built == []
    worked_out = Chronology.of(first.timeline.dates)
    assert any(worked_out.gaps) and len(set(worked_out.years)) > 1  # (a fair test)
    assert second.timeline.chronology == worked_out == chronology_of(second.timeline)
    assert first.timeline.chronology is None and chronology_of(first.timeline) == worked_out
    assert chronology_of(first.timeline) is chronology_of(first.timeline)  # worked out once
    dates = second.timeline.dates
    assert dates[7] == first.timeline.dates[7] and len(built) == 1
    assert dates[-3:] == first.timeline.dates[-3:]
    assert dates == first.timeline.dates
    assert len(built) == len(set(first.timeline.dates))  # each distinct date built once
    assert second.timeline == first.timeline


def test_changed_events_file_is_a_miss(folder: Path) -> None:
    path, _ = _warm(folder)
    path.write_text(EVENTS.replace("Envoy arrives", "The envoy arrives"), encoding="utf-8")
    result = load(path, use_cache=True)
    assert not result.from_cache
    assert result.timeline.events[0].title == "The envoy arrives"


def test_changed_source_is_a_miss(folder: Path) -> None:
    path, _ = _warm(folder)
    (folder / "s.txt").write_text("Preface.\n" + SOURCE, encoding="utf-8")
    result = load(path, use_cache=True)
    assert not result.from_cache
    assert result.timeline.events[0].passages[0].line == 2


def test_source_turned_bad_is_a_miss_with_diagnostics(folder: Path) -> None:
    path, _ = _warm(folder)
    (folder / "s.txt").write_bytes(b"\x00binary")
    result = load(path, use_cache=True)
    assert not result.from_cache
    assert result.timeline is None
    assert any("binary" in d.message for d in result.diagnostics)


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],
        lambda text: "[]",
        lambda text: "not json",
        lambda text: text.replace(f'"format":{cache.FORMAT}', '"format":999'),
        lambda text: text.replace(cache.__version__, "0.0.0-other"),
        lambda text: text.replace("\n[[", "\n[[1,", 1),  # an event row of the wrong shape
        lambda text: text.replace("\n[[", "\n[", 1),  # not a list of rows
        lambda text: text[: text.rindex("\n[")] + "\n",  # the last line of events lost
        lambda text: text + "[]\n",  # a line too many
        lambda text: text.replace('"event_count":', '"event_count":1'),
        lambda text: text.replace(f'"chunk":{cache.CHUNK}', '"chunk":0'),  # header: no checksum
        lambda text: text.replace(f'"chunk":{cache.CHUNK}', '"chunk":-3'),
        lambda text: text.replace(f'"chunk":{cache.CHUNK}', '"chunk":1.5'),
    ],
)
def test_damaged_or_foreign_cache_is_a_miss(folder: Path, damage) -> None:
    path, first = _warm(folder)
    entry = cache.entry_path(path)
    entry.write_text(damage(entry.read_text(encoding="utf-8")), encoding="utf-8")
    result = load(path, use_cache=True)
    assert not result.from_cache
    assert result.timeline == first.timeline


def _count_decoding(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Every text the cache decodes as JSON from now on, in order."""
    decoded: list[bytes] = []
    real = json.loads

    def counting(text, *args, **kwargs):  # type: ignore[no-untyped-def]
        decoded.append(text)
        return real(text, *args, **kwargs)

    monkeypatch.setattr(cache.json, "loads", counting)
    return decoded


def _age(*paths: Path, seconds: float = 60) -> None:
    """Make files look modified ``seconds`` ago (long before any load of them)."""
    for path in paths:
        info = path.stat()
        then = info.st_mtime_ns - int(seconds * 1e9)
        os.utime(path, ns=(then, then))


def _count_digests(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What is digested from now on: texts (``digest``) and files' bytes (``UTF8Digest``)."""
    digested: list[str] = []
    real = cache.digest
    real_init = cache.UTF8Digest.__init__

    def counting(text: str) -> str:
        digested.append(text)
        return real(text)

    def counting_bytes(self: cache.UTF8Digest, utf8: bytes, **options: int) -> None:
        digested.append(utf8.decode("utf-8"))
        real_init(self, utf8, **options)

    monkeypatch.setattr(cache, "digest", counting)
    monkeypatch.setattr(cache.UTF8Digest, "__init__", counting_bytes)
    return digested


def test_files_unchanged_since_long_before_are_known_by_their_stamps(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _age(folder / "events.yaml", folder / "s.txt")
    path, first = _warm(folder)
    digested = _count_digests(monkeypatch)
    second = load(path, use_cache=True)
    assert second.from_cache and second.timeline == first.timeline
    assert digested == []  # neither file was digested: their stamps vouched for them


def test_files_modified_just_before_the_load_are_checked_by_content(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, first = _warm(folder)  # the files were written just now: stamps not trusted
    header = cache.entry_path(path).read_text(encoding="utf-8").split("\n")[0]
    document = json.loads(header)
    assert document["events_stamp"] is None and document["sources"][0]["stamp"] is None
    digested = _count_digests(monkeypatch)
    second = load(path, use_cache=True)
    assert second.from_cache and second.timeline == first.timeline
    assert len(digested) == 2  # the events file and the source, by content


@pytest.mark.parametrize("aged", [False, True], ids=["checked by content", "by stamp"])
def test_a_hit_gives_the_stamp_of_every_file_as_it_found_it(folder: Path, aged: bool) -> None:
    """What the browser's first look compares the files with (a load's ``stamps``)."""
    if aged:
        _age(folder / "events.yaml", folder / "s.txt")
    path, first = _warm(folder)
    second = load(path, use_cache=True)
    assert second.from_cache
    now = {
        os.path.normpath(file): stamp_of(os.stat(file))
        for file in (path, folder / "s.txt")
    }
    assert second.stamps == now == first.stamps


def test_a_racy_rewrite_keeping_size_and_time_is_caught(folder: Path) -> None:
    path, _ = _warm(folder)
    source = folder / "s.txt"
    info = source.stat()
    source.write_text(SOURCE.replace("Monday", "Friday"), encoding="utf-8")  # same size
    os.utime(source, ns=(info.st_atime_ns, info.st_mtime_ns))  # and the same time
    result = load(path, use_cache=True)
    assert not result.from_cache  # the stamp was not trusted, so the content was compared
    assert result.timeline is None  # the quote is no longer in the source


def test_a_touched_but_unchanged_file_is_still_a_hit(folder: Path) -> None:
    _age(folder / "events.yaml", folder / "s.txt")
    path, first = _warm(folder)
    os.utime(folder / "s.txt")  # a new modification time, the same text
    os.utime(path)
    second = load(path, use_cache=True)
    assert second.from_cache and second.timeline == first.timeline


def test_a_stamp_change_with_new_content_is_a_miss(folder: Path) -> None:
    _age(folder / "events.yaml", folder / "s.txt")
    path, _ = _warm(folder)
    path.write_text(EVENTS.replace("A deal", "A new deal"), encoding="utf-8")
    result = load(path, use_cache=True)
    assert not result.from_cache
    assert result.timeline.events[1].title == "A new deal"


def test_validate_never_uses_the_cache(folder: Path) -> None:
    path, _ = _warm(folder)
    assert not load(path).from_cache


def test_disabled_by_environment(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, _ = _warm(folder)
    monkeypatch.setenv("CITELINE_NO_CACHE", "1")
    assert not load(path, use_cache=True).from_cache


def test_unwritable_cache_folder_is_ignored(folder: Path, tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    path = folder / "events.yaml"
    result = load(path, use_cache=True)
    remember(path, result)  # must not raise
    assert not load(path, use_cache=True).from_cache
    assert not os.path.isdir(blocker)


def test_a_large_entry_builds_its_events_a_line_at_a_time_as_they_are_looked_at(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.test_pending_load import big_timeline

    monkeypatch.setattr(cache, "CHUNK", 100)
    path = big_timeline(tmp_path, events=650)
    first = load(path, use_cache=True)
    remember(path, first)
    lines = cache.entry_path(path).read_text(encoding="utf-8").split("\n")
    # the header, ids and dates, the events citing each source, ceil(650 / 100) lines,
    # the text of each source, the end
    assert len(lines) == 1 + 1 + 1 + 7 + len(first.timeline.sources) + 1
    decoded = _count_decoding(monkeypatch)
    reports: list[tuple[str, float]] = []
    second = load(path, use_cache=True, progress=lambda *report: reports.append(report))
    assert second.from_cache
    shares = [share for phase, share in reports if phase == cache.PHASE]
    assert shares == sorted(shares) and shares[-1] == 1.0
    # (not 0 % until the very end: the entry, then the sources, then the table)
    assert shares == [cache.READ_SHARE, cache.SOURCES_SHARE, 1.0]
    events = second.timeline.events
    assert isinstance(events, LazyEvents)
    assert len(decoded) == 2 and events.chunks_built == 0  # the header, the table
    # what the browser's first frame looks at builds nothing
    assert second.timeline.ids == first.timeline.ids
    assert second.timeline.dates == first.timeline.dates
    assert second.timeline.index_of("e649") == first.timeline.index_of("e649")
    assert len(events) == 650
    assert events.chunks_built == 0
    assert events[649] == first.timeline.events[649]
    assert events[-650] == first.timeline.events[0]
    assert events.chunks_built == 2 and len(decoded) == 4
    assert events[250:420] == first.timeline.events[250:420]  # lines 2, 3 and 4
    assert events.chunks_built == 5
    assert second.timeline == first.timeline
    assert events.chunks_built == 7 and len(decoded) == 2 + 7  # each line decoded once


def test_a_cached_timeline_finds_a_sources_passages_building_only_the_events_citing_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.test_pending_load import big_timeline

    monkeypatch.setattr(cache, "CHUNK", 10)
    path = big_timeline(tmp_path, events=200, sources=40)  # event e cites source e % 40
    first = load(path, use_cache=True)
    remember(path, first)
    second = load(path, use_cache=True)
    events = second.timeline.events
    assert isinstance(events, LazyEvents)
    wanted = [(e, p) for e, p in first.timeline.citations("s7")]
    assert len(wanted) == 5
    assert list(second.timeline.citations("s7")) == wanted
    assert events.chunks_built <= 5  # the chunks of those five events, of 20
    assert list(second.timeline.citations("nowhere")) == []
    second.timeline.index_citations()
    for source in second.timeline.sources:
        assert list(second.timeline.citations(source.id)) == list(
            first.timeline.citations(source.id)
        )


def test_a_stale_entry_is_told_by_its_header_alone(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, _ = _warm(folder)
    path.write_text(EVENTS.replace("Envoy arrives", "The envoy arrives"), encoding="utf-8")
    decoded = _count_decoding(monkeypatch)
    assert not load(path, use_cache=True).from_cache
    assert len(decoded) == 1 and decoded[0].startswith(b"{")  # the header, no line of events


def test_events_built_later_keep_out_of_the_collectors_way(folder: Path) -> None:
    """Each line of a cached timeline's events is built with the collector paused (its full
    collections walked every event built so far: pauses of 0.3 s at 100,000), and, for a
    browser's timeline, frozen out of its sight; the collector is left as it was."""
    import gc

    path, first = _warm(folder)
    was_enabled = gc.isenabled()
    gc.enable()
    try:
        paused: list[bool] = []
        result = load(path, use_cache=True, long_lived=True)
        events = result.timeline.events
        assert isinstance(events, LazyEvents)
        real = cache._EventBuilder.event

        def spying(self, *args):  # type: ignore[no-untyped-def]
            paused.append(not gc.isenabled())
            return real(self, *args)

        cache._EventBuilder.event = spying  # type: ignore[method-assign]
        try:
            built = events[0]
        finally:
            cache._EventBuilder.event = real  # type: ignore[method-assign]
        assert built == first.timeline.events[0]
        assert paused and all(paused) and gc.isenabled()
        assert gc.is_tracked(built.__dict__)
        assert not any(tracked is built.__dict__ for tracked in gc.get_objects())  # frozen
    finally:
        gc.unfreeze()
        if not was_enabled:
            gc.disable()


def test_a_source_known_by_its_stamp_is_not_read_its_text_comes_from_the_entry(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _age(folder / "events.yaml", folder / "s.txt")
    path, first = _warm(folder)
    read: list[str] = []
    real = cache.read_source

    def reading(root: Path, written: str):  # type: ignore[no-untyped-def]
        read.append(written)
        return real(root, written)

    monkeypatch.setattr(cache, "read_source", reading)
    decoded = _count_decoding(monkeypatch)
    second = load(path, use_cache=True)
    assert second.from_cache and read == []  # a stat, and no read of the file
    source = second.timeline.sources[0]
    assert "text" not in vars(source) and len(decoded) == 2  # the header, the table
    assert source.text == SOURCE and len(decoded) == 3  # its line, when first asked for
    assert source.text is source.text and len(decoded) == 3
    assert source == first.timeline.sources[0]
    assert hash(source) == hash(first.timeline.sources[0])
    assert repr(source) == repr(first.timeline.sources[0])
    assert source.line_col(SOURCE.index("They")) == (2, 1)
    with pytest.raises(AttributeError, match="'Source' object has no attribute 'texts'"):
        source.texts  # noqa: B018
    assert second.timeline == first.timeline


def test_a_source_read_again_since_its_stamp_changed_is_checked_by_its_digest(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _age(folder / "events.yaml", folder / "s.txt")
    path, first = _warm(folder)
    os.utime(folder / "s.txt")  # touched: the stamp no longer vouches for the text
    digested = _count_digests(monkeypatch)
    second = load(path, use_cache=True)
    assert second.from_cache and digested == [SOURCE]
    assert "text" in vars(second.timeline.sources[0])  # as read from the file
    assert second.timeline == first.timeline


@pytest.mark.parametrize("aged", [False, True], ids=["sources read", "texts from the entry"])
def test_once_every_event_is_built_the_entry_is_not_held(folder: Path, aged: bool) -> None:
    """The entry's bytes (100 MB at 100,000 events) are let go once every event is built."""
    import gc
    import types

    if aged:
        _age(folder / "events.yaml", folder / "s.txt")
    path, first = _warm(folder)
    held: list[bytes] = []
    real = EntryFile.whole

    def spying(entry_file: EntryFile) -> tuple[bytes, int]:
        whole = real(entry_file)
        held.append(whole[0])
        return whole

    def kept_by_the_timeline() -> bool:
        return any(isinstance(r, types.CellType) for r in gc.get_referrers(held[0]))

    EntryFile.whole = spying  # type: ignore[method-assign]
    try:
        result = load(path, use_cache=True)
    finally:
        EntryFile.whole = real  # type: ignore[method-assign]
    assert result.from_cache and kept_by_the_timeline()  # the events are not built yet
    assert result.timeline.events == first.timeline.events
    assert not kept_by_the_timeline()
    assert list(result.timeline.citations("s")) == list(first.timeline.citations("s"))
    assert result.timeline.sources == first.timeline.sources


@given(
    year=st.integers(1, 9999),
    month=st.none() | st.integers(1, 12),
    day=st.none() | st.integers(1, 28),
)
def test_a_partial_date_is_written_as_one_number_and_read_back(
    year: int, month: int | None, day: int | None
) -> None:
    from citeline.model import PartialDate

    date = PartialDate(year, month, day if month is not None else None)
    builder = cache._EventBuilder({}, "events.yaml")
    assert builder.partial(cache._date(date)) == date
    assert builder.partial(cache._date(date)) is builder.partial(cache._date(date))  # shared


@pytest.mark.parametrize("number", [0, 10_000_0000, 2022_13_01, 2022_00_05, 2022_02_32])
def test_a_number_that_is_no_partial_date_is_refused(number: int) -> None:
    with pytest.raises(ValueError):
        cache._EventBuilder({}, "events.yaml").partial(number)


def test_a_stamp_is_taken_only_of_a_regular_file_below_the_folder_through_no_link(
    tmp_path: Path,
) -> None:
    from citeline.source_files import stamp_below, stamp_of

    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("text", encoding="utf-8")
    (tmp_path / "outside.txt").write_text("text", encoding="utf-8")
    root = tmp_path / "sub"
    assert stamp_below(root, "a.txt") == stamp_of(os.stat(root / "a.txt"))
    assert stamp_below(root, "./a.txt") == stamp_below(root, "a.txt")
    (root / "link.txt").symlink_to(root / "a.txt")
    (root / "folder-link").symlink_to(root)
    for written in ["link.txt", "folder-link/a.txt", "missing.txt", ".", "../outside.txt",
                    str(root / "a.txt"), "a.txt/..", "a\x00.txt", "a.txt/b.txt",
                    "a.txt/.", "a.txt/"]:  # (a name the load refuses: none kept from before)
        assert stamp_below(root, written) is None, written
    # the folders found real are remembered for the next names, and only those
    (root / "deep").mkdir()
    (root / "deep" / "b.txt").write_text("more", encoding="utf-8")
    folders: set[str] = set()
    assert stamp_below(root, "deep/b.txt", folders) == stamp_of(os.stat(root / "deep/b.txt"))
    assert folders == {os.path.join(os.path.realpath(root), "deep")}
    assert stamp_below(root, "folder-link/a.txt", folders) is None
    assert stamp_below(root, "deep/../a.txt", folders) is not None  # (normalised: a.txt)


def test_a_source_turned_into_a_link_is_read_and_refused(folder: Path) -> None:
    _age(folder / "events.yaml", folder / "s.txt")
    path, _ = _warm(folder)
    (folder / "s.txt").rename(folder / "real.txt")
    (folder / "s.txt").symlink_to(folder / "real.txt")  # the same file, now through a link
    result = load(path, use_cache=True)
    assert not result.from_cache and result.timeline is None
    assert any("symbolic link" in d.message for d in result.diagnostics)


def _touch_long_ago(*paths: Path) -> None:
    """A new modification time for unchanged files, well before any load of them."""
    for path in paths:
        then = path.stat().st_mtime_ns - 30 * 10**9
        os.utime(path, ns=(then, then))


def test_files_found_unchanged_by_content_are_known_by_their_new_stamps_next_time(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events, source = folder / "events.yaml", folder / "s.txt"
    _age(events, source)
    path, first = _warm(folder)
    _touch_long_ago(events, source)  # (as a copy, a checkout or a touch does)
    digested = _count_digests(monkeypatch)
    second = load(path, use_cache=True)
    assert second.from_cache and sorted(digested) == sorted([EVENTS, SOURCE])
    assert second.cache_hit is not None
    assert set(second.cache_hit.checked) == {os.path.normpath(events), os.path.normpath(source)}
    assert second.worth_remembering
    remember(path, second)
    digested.clear()
    third = load(path, use_cache=True)
    assert third.from_cache and digested == []  # both known by their stamps again
    assert not third.worth_remembering  # (nothing to write)
    assert third.timeline == first.timeline


def test_a_stamp_from_just_before_the_load_is_not_trusted_when_restamping(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _age(folder / "events.yaml", folder / "s.txt")
    path, _ = _warm(folder)
    os.utime(folder / "s.txt")  # touched just now: a rewrite within the tick could follow
    second = load(path, use_cache=True)
    remember(path, second)
    header = json.loads(cache.entry_path(path).read_text(encoding="utf-8").split("\n")[0])
    assert header["sources"][0]["stamp"] is None and header["events_stamp"] is not None
    digested = _count_digests(monkeypatch)
    assert load(path, use_cache=True).from_cache and digested == [SOURCE]


def test_restamping_leaves_an_entry_replaced_meanwhile_alone(folder: Path) -> None:
    _age(folder / "events.yaml", folder / "s.txt")
    path, _ = _warm(folder)
    _touch_long_ago(folder / "s.txt")
    second = load(path, use_cache=True)
    assert second.worth_remembering
    path.write_text(EVENTS.replace("A deal", "Another deal"), encoding="utf-8")
    remember(path, load(path, use_cache=True))  # another start caches the new text
    replaced = cache.entry_path(path).read_bytes()
    remember(path, second)  # the first start's restamp comes late
    assert cache.entry_path(path).read_bytes() == replaced


def test_restamping_leaves_an_entry_damaged_meanwhile_alone(folder: Path) -> None:
    """Its header says it is the hit's, but its lines no longer match the checksum:
    rewriting the header would only write the damage out again."""
    _age(folder / "events.yaml", folder / "s.txt")
    path, _ = _warm(folder)
    _touch_long_ago(folder / "s.txt")
    second = load(path, use_cache=True)
    assert second.worth_remembering
    entry = cache.entry_path(path)
    damaged = entry.read_bytes().replace(b"A deal", b"A dEal")
    entry.write_bytes(damaged)
    remember(path, second)
    assert entry.read_bytes() == damaged


@given(text=st.text(), bom=st.booleans(), on_thread=st.booleans())
def test_a_files_bytes_digest_as_its_text_does(text: str, bom: bool, on_thread: bool) -> None:
    """The events file is digested from its bytes (beside the load, on a thread when
    they are many): the same key as its text, which drops a leading BOM, gives."""
    text = text.encode("utf-8", "replace").decode("utf-8")  # (no lone surrogates)
    utf8 = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    digest = cache.UTF8Digest(utf8, on_thread_from=0 if on_thread else len(utf8) + 1)
    assert (digest._thread is not None) is on_thread
    assert digest.result() == cache.digest(utf8.decode("utf-8").removeprefix("\ufeff"))


def test_entries_are_written_whole_but_not_synced_to_disk(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An entry is checked as it is read and made again when lost: it is renamed into
    place whole, without the two ``fsync`` calls an export makes (tens of ms each on a
    slow disk, in the cache warmer's way and after the first frame)."""
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: synced.append(fd) or real_fsync(fd))
    _age(folder / "events.yaml", folder / "s.txt")
    path, first = _warm(folder)
    _touch_long_ago(folder / "s.txt")  # (known by its content: the hit is restamped)
    second = load(path, use_cache=True)
    assert second.from_cache and second.worth_remembering
    remember(path, second)
    assert load(path, use_cache=True).timeline == first.timeline
    assert synced == []
    assert not [p for p in cache.entry_path(path).parent.iterdir() if p.suffix == ".tmp"]
