"""The garbage collector paused while lasting objects are made, and resumed as it was."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from citeline.collector import collector_paused, pause_until_resumed


@pytest.fixture(autouse=True)
def _collector_running() -> Iterator[None]:
    gc.enable()
    yield
    gc.enable()


def test_a_start_pause_lasts_until_resumed_then_resumes_only_once() -> None:
    resume = pause_until_resumed()
    assert not gc.isenabled()
    with collector_paused():  # (a load meanwhile)
        pass
    assert not gc.isenabled()  # left paused, as the block found it
    resume()
    assert gc.isenabled()
    gc.disable()  # someone else's pause since: a second call leaves it alone
    resume()
    assert not gc.isenabled()


def test_a_collector_paused_already_stays_paused() -> None:
    gc.disable()
    resume = pause_until_resumed()
    resume()
    assert not gc.isenabled()
