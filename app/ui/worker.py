"""Run a function off the UI thread and deliver its result or error back on the UI thread.

The Picard/Anki shape: `run(fn, on_done, on_error)`; the work runs on a small shared
QThreadPool, and the callbacks run on the UI thread through a queued signal. Work functions
take and return plain data (ids, dataclasses), never ORM objects or sessions.
"""

from __future__ import annotations

import gc
import logging
import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThreadPool, QTimer, Signal

from app import gcpause

log = logging.getLogger(__name__)

_pool: QThreadPool | None = None


#: How long a worker may hold the GIL while the UI thread waits for it (CPython's default
#: is 5 ms; several workers in a row can then starve the UI for tens of milliseconds).
SWITCH_INTERVAL_S = 0.001


class MainThreadGC(QObject):
    """Runs Python's cyclic garbage collector on the UI thread only (qutebrowser's way).

    With automatic collection, a collection can start in whichever thread allocates: a
    worker then frees cyclic garbage that holds widget wrappers, and deleting a QObject off
    its thread crashes the process (seen here as segfaults in "Garbage-collecting" inside a
    worker). So automatic collection is off, and a timer collects on the UI thread.
    """

    def __init__(self, interval_ms: int = 1000) -> None:
        super().__init__()
        gcpause.disable_for_good()  # (a sync pull's pause ending later leaves it off)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.collect)
        self.timer.start()

    def collect(self) -> None:
        # Collect the youngest generation that is due, as the automatic collector would.
        counts, thresholds = gc.get_count(), gc.get_threshold()
        for gen in (2, 1, 0):
            if counts[gen] > thresholds[gen]:
                gc.collect(gen)
                break


_gc: MainThreadGC | None = None


def pool() -> QThreadPool:
    """The UI's worker pool: a few threads, so a slow count never starves a page load.

    Created on the UI thread by the first job, with the main-thread garbage collector."""
    global _pool, _gc
    if _pool is None:
        _gc = MainThreadGC()
        _pool = QThreadPool()
        _pool.setMaxThreadCount(3)
        sys.setswitchinterval(SWITCH_INTERVAL_S)
    return _pool


def settle_memory() -> None:
    """Move everything alive after start-up out of the collector's way (`gc.freeze`), so a
    full collection triggered by a worker does not hold the GIL over every import-time
    object while the officer scrolls."""
    gc.collect()
    gc.freeze()


class _Dispatcher(QObject):
    """One long-lived object on the UI thread; workers emit (job id, ok, value) through it.

    The callbacks stay here, on the UI thread, in `pending`: a worker thread never holds a
    reference to them (they usually close over widgets), so no widget wrapper can ever be
    released, and its C++ object deleted, on a worker thread.
    """

    deliver = Signal(int, bool, object)

    def __init__(self) -> None:
        super().__init__()
        self.pending: dict[int, tuple[Callable[[Any], None], Callable[[Any], None]]] = {}
        self.next_id = 0
        self.deliver.connect(self._run, Qt.ConnectionType.QueuedConnection)

    def _run(self, job: int, ok: bool, value: Any) -> None:
        on_ok, on_err = self.pending.pop(job)
        (on_ok if ok else on_err)(value)


_dispatcher: _Dispatcher | None = None


def _execute(fn: Callable[[], Any], job: int, deliver: Any) -> None:
    """Runs on a pool thread with nothing but the work function and the job number."""
    try:
        result = fn()
    except Exception as exc:  # delivered to the UI; the UI decides what to show
        deliver.emit(job, False, exc)
    else:
        deliver.emit(job, True, result)


def _alive(callback: Callable[[Any], None]) -> bool:
    """False when `callback` is a method of a widget already deleted: a window closed
    before its answer came back gets no answer (instead of "C++ object already deleted")."""
    owner = getattr(callback, "__self__", None)
    if not isinstance(owner, QObject):
        return True
    from shiboken6 import isValid

    return bool(isValid(owner))


def run(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    *,
    on: QThreadPool | None = None,
) -> None:
    """Run `fn()` on the pool; then `on_done(result)` or `on_error(exc)` on the UI thread.

    `fn` must not capture widgets: give it ids, the desk context and plain values. `on`:
    another pool than the shared one (long background work that must not take one of
    its few threads for minutes, such as OCR).
    """
    global _dispatcher
    if _dispatcher is None:
        _dispatcher = _Dispatcher()

    def finish_ok(result: Any) -> None:
        if on_done is not None and _alive(on_done):
            on_done(result)

    def finish_err(exc: BaseException) -> None:
        if on_error is not None:
            if _alive(on_error):
                on_error(exc)
        else:
            log.error("background job failed: %s", type(exc).__name__, exc_info=exc)

    d = _dispatcher
    d.next_id += 1
    job = d.next_id
    d.pending[job] = (finish_ok, finish_err)
    deliver = d.deliver
    (on or pool()).start(lambda: _execute(fn, job, deliver))


def wait_idle(msecs: int = 5000) -> bool:
    """Wait for all queued jobs (tests and shutdown)."""
    return pool().waitForDone(msecs)
