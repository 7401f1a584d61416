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

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal

log = logging.getLogger(__name__)

_pool: QThreadPool | None = None


#: How long a worker may hold the GIL while the UI thread waits for it (CPython's default
#: is 5 ms; several workers in a row can then starve the UI for tens of milliseconds).
SWITCH_INTERVAL_S = 0.001


def pool() -> QThreadPool:
    """The UI's worker pool: a few threads, so a slow count never starves a page load."""
    global _pool
    if _pool is None:
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
    """One long-lived object on the UI thread; workers emit (callback, value) through it.

    Why not one QObject per job: a per-job object emitted from the worker thread was
    reported deleted by PySide 6.12 ("Signal source has been deleted") under load.
    """

    deliver = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.deliver.connect(self._run, Qt.ConnectionType.QueuedConnection)

    def _run(self, payload: tuple[Callable[[Any], None], Any]) -> None:
        fn, value = payload
        fn(value)


_dispatcher: _Dispatcher | None = None


class _Job(QRunnable):
    def __init__(
        self,
        fn: Callable[[], Any],
        ok: Callable[[Any], None],
        err: Callable[[Any], None],
        dispatcher: _Dispatcher,
    ) -> None:
        super().__init__()
        self.fn, self.ok, self.err, self.dispatcher = fn, ok, err, dispatcher

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # delivered to the UI; the UI decides what to show
            self.dispatcher.deliver.emit((self.err, exc))
        else:
            self.dispatcher.deliver.emit((self.ok, result))


def run(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
) -> None:
    """Run `fn()` on the pool; then `on_done(result)` or `on_error(exc)` on the UI thread."""
    global _dispatcher
    if _dispatcher is None:
        _dispatcher = _Dispatcher()

    def finish_ok(result: Any) -> None:
        if on_done is not None:
            on_done(result)

    def finish_err(exc: BaseException) -> None:
        if on_error is not None:
            on_error(exc)
        else:
            log.error("background job failed: %s", type(exc).__name__, exc_info=exc)

    pool().start(_Job(fn, finish_ok, finish_err, _dispatcher))


def wait_idle(msecs: int = 5000) -> bool:
    """Wait for all queued jobs (tests and shutdown)."""
    return pool().waitForDone(msecs)
