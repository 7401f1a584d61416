"""Prometheus metrics of the central service, scraped at GET /metrics.

prometheus-client keeps the counts; with several worker processes (`serve --workers N`)
it runs in its multiprocess mode (PROMETHEUS_MULTIPROC_DIR, set by `prepare_workers`
before the workers start), so any worker's /metrics answers for all of them. No label
carries personal data or an unbounded value: routes, status classes and reason codes only.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Seconds; a push of 5-50 events answers in tens of ms, a queue shows in the upper ones.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

REQUESTS = Counter(
    "onestop_central_requests",
    "HTTP requests answered, by route and status class.",
    ["route", "status"],
)
PUSH_SECONDS = Histogram(
    "onestop_central_push_seconds", "Time to answer a push (POST /v1/events).", buckets=BUCKETS
)
PULL_SECONDS = Histogram(
    "onestop_central_pull_seconds", "Time to answer a pull (GET /v1/events).", buckets=BUCKETS
)
EVENTS_PUSHED = Counter(
    "onestop_central_events_pushed",
    "Pushed events by verdict (accepted, already_known, rejected).",
    ["verdict"],
)
EVENTS_REJECTED = Counter(
    "onestop_central_events_rejected",
    "Refused events by reason code (e.g. event.schema, dossier.code_taken).",
    ["reason"],
)
EVENTS_PULLED = Counter("onestop_central_events_pulled", "Events served by pulls.")
BLOCKS_ISSUED = Counter("onestop_central_code_blocks_issued", "Dossier-code blocks issued.")
BLOCK_REQUESTS_WAITING = Gauge(
    "onestop_central_code_block_requests_in_progress",
    "Code-block requests being served or waiting for their office's lock.",
    multiprocess_mode="livesum",
)

CONTENT_TYPE = CONTENT_TYPE_LATEST


def count_verdicts(results: Iterable[Any]) -> None:
    """Count a push's verdicts (PushResult-like: .status, .reason_code)."""
    by_status: dict[str, int] = {}
    for r in results:
        by_status[r.status] = by_status.get(r.status, 0) + 1
        if r.status == "rejected":
            EVENTS_REJECTED.labels(r.reason_code or "unknown").inc()
    for verdict, n in by_status.items():
        EVENTS_PUSHED.labels(verdict).inc(n)


class DatabaseGauges(Collector):
    """Read at scrape time from the database: what no single worker knows."""

    def __init__(self, read: Callable[[], dict[str, float]]) -> None:
        self.read = read

    def collect(self) -> Iterable[GaugeMetricFamily]:
        try:
            values = self.read()
        except Exception:  # a scrape never fails because the database is down
            values = {}
        g = GaugeMetricFamily(
            "onestop_central_desks_to_report_blocks",
            "Desks that must report their code blocks before their office gets new ones "
            "(after a restore from a backup): the code-block queue.",
        )
        if "desks_to_report_blocks" in values:
            g.add_metric([], values["desks_to_report_blocks"])
        yield g
        up = GaugeMetricFamily("onestop_central_database_up", "1 when the database answered.")
        up.add_metric([], 1.0 if values else 0.0)
        yield up


def scrape(extra: CollectorRegistry) -> bytes:
    """The Prometheus text of this process (or of every worker, in multiprocess mode),
    then `extra`'s (collectors read at scrape time)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        out = generate_latest(registry)
    else:
        out = generate_latest(REGISTRY)
    return out + generate_latest(extra)


_ROUTES = {
    ("POST", "/v1/events"): "push",
    ("GET", "/v1/events"): "pull",
    ("POST", "/v1/code-blocks"): "code_blocks",
    ("GET", "/v1/whoami"): "whoami",
    ("GET", "/v1/desk"): "desk",
    ("GET", "/v1/catalogue"): "catalogue",
    ("GET", "/v1/calendar"): "calendar",
    ("GET", "/v1/health"): "health",
}


class MetricsMiddleware:
    """Times and counts every request by route (a fixed list: no path from a client
    becomes a label) and status class."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        route = _ROUTES.get((scope["method"], scope["path"]), "other")
        start = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        waiting = route == "code_blocks"
        if waiting:
            BLOCK_REQUESTS_WAITING.inc()
        try:
            await self.app(scope, receive, send_status)
        finally:
            if waiting:
                BLOCK_REQUESTS_WAITING.dec()
            took = time.perf_counter() - start
            REQUESTS.labels(route, f"{status // 100}xx").inc()
            if route == "push":
                PUSH_SECONDS.observe(took)
            elif route == "pull":
                PULL_SECONDS.observe(took)
