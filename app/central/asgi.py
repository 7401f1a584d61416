"""ASGI entry for several worker processes: `uvicorn app.central.asgi:app_factory --factory
--workers N`, with the database in ONESTOP_CENTRAL_DB."""

from __future__ import annotations

import os

from fastapi import FastAPI

from app.central.api import create_app
from app.central.db import DEFAULT_DB_URL


def app_factory() -> FastAPI:
    return create_app(os.environ.get("ONESTOP_CENTRAL_DB", DEFAULT_DB_URL))
