"""The collector pause: back on after the last pause, never back on once off for good."""

from __future__ import annotations

import gc
import threading

import pytest

from app import gcpause


@pytest.fixture(autouse=True)
def _restore(monkeypatch):
    monkeypatch.setattr(gcpause, "_off_for_good", False)
    was = gc.isenabled()
    gc.enable()
    yield
    (gc.enable if was else gc.disable)()


def test_pause_turns_collection_off_and_back_on_and_nests():
    with gcpause.paused():
        assert not gc.isenabled()
        with gcpause.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause is still open
    assert gc.isenabled()


def test_a_pause_leaves_collection_off_when_it_was_off():
    gc.disable()
    with gcpause.paused():
        pass
    assert not gc.isenabled()


def test_off_for_good_during_a_pause_stays_off():
    """The UI turns automatic collection off (its worker threads must never collect)
    while a sync thread's pause is open: the pause ending must not turn it back on."""
    with gcpause.paused():
        gcpause.disable_for_good()
    assert not gc.isenabled()


def test_overlapping_pauses_of_two_threads():
    inside, leave = threading.Event(), threading.Event()

    def other() -> None:
        with gcpause.paused():
            inside.set()
            leave.wait(10)

    t = threading.Thread(target=other)
    t.start()
    inside.wait(10)
    with gcpause.paused():
        pass
    assert not gc.isenabled()  # the other thread's pause is still open
    leave.set()
    t.join(10)
    assert gc.isenabled()
