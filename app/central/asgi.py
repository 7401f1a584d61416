"""ASGI entry for several worker processes: `onestop-central serve --workers N` (or
`uvicorn app.central.asgi:app_factory --factory --workers N` with the database in
ONESTOP_CENTRAL_DB, after `prepare_workers` has run once)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import FastAPI

from app.central.db import DEFAULT_DB_URL

ENV_PREPARED = "ONESTOP_CENTRAL_PREPARED"
ENV_METRICS_DIR = "PROMETHEUS_MULTIPROC_DIR"


def app_factory() -> FastAPI:
    from app.central.api import create_app

    prepared = os.environ.get(ENV_PREPARED) == "1"
    return create_app(os.environ.get("ONESTOP_CENTRAL_DB", DEFAULT_DB_URL), seed=not prepared)


@contextmanager
def prepare_workers(db_url: str, workers: int) -> Iterator[None]:
    """Migrate and seed once, before the workers start (N processes migrating and seeding
    the same database at once would race), give them one folder for their metrics
    (prometheus-client's multiprocess mode: /metrics of any worker sums them all) and tell
    them how many they are (each keeps 1/N of the per-desk rate limit: app.central.limits)."""
    from app.central import documents
    from app.central.db import open_central

    engine, sessions = open_central(db_url)
    with sessions.begin() as s:
        documents.seed_bundled(s)
    engine.dispose()
    own_dir = ENV_METRICS_DIR not in os.environ
    metrics_dir = os.environ.get(ENV_METRICS_DIR) or tempfile.mkdtemp(prefix="onestop-metrics-")
    os.makedirs(metrics_dir, exist_ok=True)
    for name in os.listdir(metrics_dir):  # the last run's counts are not this run's
        if name.endswith(".db"):
            os.unlink(os.path.join(metrics_dir, name))
    env = {
        "ONESTOP_CENTRAL_DB": db_url,
        ENV_PREPARED: "1",
        ENV_METRICS_DIR: metrics_dir,
        "ONESTOP_CENTRAL_WORKERS": str(workers),
    }
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        if own_dir:
            shutil.rmtree(metrics_dir, ignore_errors=True)
