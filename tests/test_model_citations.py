"""A timeline's citations of each source: the same before and after its index is built."""

from __future__ import annotations

from citeline.loader import load_timeline
from citeline.timeline_path import bundled_events


def test_citations_are_the_same_found_by_a_pass_or_by_the_index() -> None:
    timeline = load_timeline(bundled_events())
    found = {s.id: list(timeline.citations(s.id)) for s in timeline.sources}
    assert "_citations_by_source" not in timeline.__dict__  # not built for one source
    assert found == {s.id: list(timeline.citations(s.id)) for s in timeline.sources}  # kept
    timeline.index_citations()
    assert "_citations_found" not in timeline.__dict__  # the index holds them now
    indexed = {s.id: list(timeline.citations(s.id)) for s in timeline.sources}
    assert indexed == found
    order = {event.id: i for i, event in enumerate(timeline.events)}
    for source in timeline.sources:
        pairs = found[source.id]
        assert pairs, source.id  # every bundled source is cited
        assert all(passage.source_id == source.id for _, passage in pairs)
        positions = [order[event.id] for event, _ in pairs]
        assert positions == sorted(positions)  # timeline order
    expected = sum(len(event.passages) for event in timeline.events)
    assert sum(len(pairs) for pairs in found.values()) == expected
    assert list(timeline.citations("no-such-source")) == []


def test_a_loaded_timeline_knows_the_events_citing_each_source() -> None:
    from dataclasses import replace

    timeline = load_timeline(bundled_events())
    assert timeline.citing is not None
    for source in timeline.sources:
        assert list(timeline.citing[source.id]) == [
            index
            for index, event in enumerate(timeline.events)
            if source.id in event.source_ids
        ]
    unknown = replace(timeline, citing=None)  # found by a pass over every event instead
    for source in timeline.sources:
        assert list(unknown.citations(source.id)) == list(timeline.citations(source.id))
