"""Pausing Python's cyclic garbage collector over a bulk step, safely from any thread.

Why: storing a pulled page makes tens of thousands of container objects (decoded events,
checked models, rows, folded states); with automatic collection on, CPython started about
2,000 young and 16 full collections in one 100,000-event pull, each full one walking every
live object of the process: 2.75 s of the 9.6 s of desk CPU. Paused over a page, the
collector runs once afterwards instead. Reference counting still frees everything that is
not in a cycle, so memory stays bounded by a page.

The desk's UI turns automatic collection off for good (`disable_for_good`, collecting on
its own thread instead); a pause never turns it back on after that, whichever thread ends
its pause last.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_resume = False  # whether the collector was on when the first open pause began
_off_for_good = False


@contextmanager
def paused() -> Iterator[None]:
    """No automatic collection inside (pauses nest and overlap across threads); on exit of
    the last pause the collector is on again if it was on before the first one."""
    global _depth, _resume
    with _lock:
        if _depth == 0:
            _resume = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _resume and not _off_for_good:
                gc.enable()


def disable_for_good() -> None:
    """Automatic collection off from now on; no pause ending later turns it back on."""
    global _off_for_good
    with _lock:
        _off_for_good = True
        gc.disable()
