"""The background sync loop: plain threading, no Qt (the UI wraps it in a QThread).

Rounds run after a wake-up (a local write, the network coming back, a button) or when
the current delay ends: a normal interval while online, exponential backoff with full
jitter while the central service cannot be reached. The loop never raises; its state is
read with `status()`, which never waits on the network.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from app.services.sync_status import (
    CENTRAL_ERROR,
    OFFLINE,
    ONLINE,
    REFUSED,
    STUCK_AFTER_S,
    DeskSyncStatus,
    desk_status,
)
from app.sync.client import CentralError, SyncError, SyncRefused, SyncUnavailable
from app.sync.commands import SyncReport, sync_once

log = logging.getLogger(__name__)


class SyncWorker:
    def __init__(
        self,
        target: Any,
        *,
        interval_s: float = 30.0,
        backoff_base_s: float = 1.0,
        backoff_cap_s: float = 300.0,
        on_status: Callable[[DeskSyncStatus], None] | None = None,
        on_report: Callable[[SyncReport], None] | None = None,
        round_fn: Callable[[Any], SyncReport] | None = None,
        rng: random.Random | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sessions = target.sessions if hasattr(target, "sessions") else target
        self.interval_s = interval_s
        self.backoff_base_s = backoff_base_s
        self.backoff_cap_s = backoff_cap_s
        self._on_status = on_status
        self._on_report = on_report
        self._round = round_fn or (lambda sessions: sync_once(sessions))
        self._rng = rng or random.Random()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._state: str | None = None
        self._reason = ""
        self._retry_after: float | None = None
        self._clock = clock
        self._head: tuple[str | None, float] = (None, clock())
        self._failures = 0
        self._last_error = ""
        self.rounds = 0

    # -- control ---------------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="onestop-sync", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Run a round now (after a local write, or when the network is back)."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # -- state -----------------------------------------------------------------------------

    def next_delay(self) -> float:
        """Interval when healthy; full-jitter exponential backoff after failures."""
        if self._failures == 0:
            return self.interval_s
        ceiling = min(self.backoff_cap_s, self.backoff_base_s * 2 ** min(self._failures, 30))
        delay = self._rng.uniform(ceiling / 2, ceiling)
        if self._retry_after is not None:  # the central said when (429, 503)
            delay = max(delay, min(self._retry_after, self.backoff_cap_s))
        return delay

    def status(self) -> DeskSyncStatus:
        with self._lock:
            state, reason = self._state, self._reason
        with self._sessions() as s:
            st = desk_status(s, state=state, reason=reason)
        with self._lock:
            if self._last_error:
                st = replace(st, last_error=self._last_error)
            # The watchdog: the same head of the queue, online, for STUCK_AFTER_S.
            now = self._clock()
            if st.head_event_id != self._head[0]:
                self._head = (st.head_event_id, now)
            stuck = (
                st.head_event_id is not None
                and state == ONLINE
                and now - self._head[1] >= STUCK_AFTER_S
            )
        return replace(st, stuck=stuck)

    # -- loop ------------------------------------------------------------------------------

    def run_round(self) -> SyncReport | None:
        try:
            report = self._round(self._sessions)
        except SyncRefused as exc:
            self._fail(f"refused ({exc.status_code}): {exc}", REFUSED)
        except CentralError as exc:
            self._fail(str(exc), CENTRAL_ERROR, exc.retry_after_s)
        except SyncUnavailable as exc:
            self._fail(str(exc), OFFLINE)
        except SyncError as exc:  # any other 4xx: the central refused the request
            self._fail(str(exc), REFUSED)
        except Exception as exc:
            log.exception("sync round failed")
            self._fail(f"{type(exc).__name__}", CENTRAL_ERROR)
        else:
            with self._lock:
                self._failures = 0
                self._state, self._reason, self._retry_after = ONLINE, "", None
                self._last_error = ""
            if self._on_report:
                self._on_report(report)
            return report
        finally:
            self.rounds += 1
            self._publish()
        return None

    def _fail(self, message: str, state: str, retry_after: float | None = None) -> None:
        with self._lock:
            self._failures += 1
            self._state, self._reason, self._retry_after = state, message, retry_after
            self._last_error = message

    def _publish(self) -> None:
        if self._on_status is None:
            return
        try:
            self._on_status(self.status())
        except Exception:
            log.exception("status callback failed")

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            self.run_round()
            if self._stop.is_set():
                break
            self._wake.wait(self.next_delay())
