"""How counts are written: ``1 event``, ``2 events``, ``10,000 events``."""

from __future__ import annotations


def counted(number: int, noun: str) -> str:
    """``number`` (its thousands grouped) and ``noun``, plural unless ``number`` is 1."""
    return f"{number:,} {noun}" if number == 1 else f"{number:,} {noun}s"
