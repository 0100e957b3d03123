"""How counts are written."""

from __future__ import annotations

from citeline.wording import counted


def test_one_is_singular_and_thousands_are_grouped() -> None:
    assert counted(1, "event") == "1 event"
    assert counted(0, "event") == "0 events"
    assert counted(2, "cited passage") == "2 cited passages"
    assert counted(10_000, "event") == "10,000 events"
