"""Opening the central database: shared schema, then the central tables, at every start."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.orm import Session, sessionmaker

from app.central.models import CursorEpoch
from app.models.db import BUSY_TIMEOUT_MS, make_engine, make_session_factory, migrate

CENTRAL_MIGRATIONS = Path(__file__).resolve().parent / "migrations"
DEFAULT_DB_URL = "sqlite:///onestop-central.sqlite3"


def normalise_url(url: str) -> str:
    """Accept plain postgresql:// URLs and use psycopg 3 for them."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def central_alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(CENTRAL_MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    cfg.attributes["engine"] = engine
    return cfg


def migrate_central(engine: Engine) -> None:
    migrate(engine)  # shared tables: events, dossiers, catalogue, offices
    command.upgrade(central_alembic_config(engine), "head")


def read_engine(engine: Engine) -> Engine:
    """For SQLite, a second engine whose transactions begin deferred: readers (auth, pull,
    documents) must not queue behind the write lock that BEGIN IMMEDIATE takes."""
    if engine.dialect.name != "sqlite":
        return engine
    reader = create_engine(
        engine.url,
        hide_parameters=True,
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )

    @event.listens_for(reader, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA cache_size=-65536")  # 64 MB: the feed joins events by UUID
        cur.close()

    @event.listens_for(reader, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")

    return reader


#: Connections a worker opens before it serves: its first requests after a start do not
#: each wait for a PostgreSQL backend to start (tens of ms on a loaded machine).
WARM_CONNECTIONS = 4


def warm_pool(engine: Engine, n: int) -> None:
    """Open up to `n` pooled connections at once and give them back, kept open."""
    held = []
    try:
        for _ in range(min(n, engine.pool.size())):  # type: ignore[attr-defined]
            held.append(engine.raw_connection())
    finally:
        for c in held:
            c.close()  # back to the pool, not closed


def open_central(url: str) -> tuple[Engine, sessionmaker[Session]]:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        # NORMAL is durable in WAL across application crashes; the server's disk is the
        # concern of its operator (backups), and FULL would fsync every push batch twice.
        engine = make_engine(url, synchronous="NORMAL")

        @event.listens_for(engine, "connect")
        def _cache(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
            dbapi_conn.execute("PRAGMA cache_size=-65536")
    else:
        # Request threads hold a connection while they wait for an office lock. Pool per
        # process: ONESTOP_CENTRAL_POOL (default 20) and half as many again, all kept open
        # once made (no overflow): an overflow connection is closed when it comes back to
        # a full pool, so under a steady load above the pool size every few requests
        # opened a new PostgreSQL connection (a backend started) and closed it again
        # (py-spy: connect and close ~7 % of a worker's samples on the no-op endpoint).
        # Mind PostgreSQL's max_connections (100 by default) times the number of workers.
        # No ping before each checkout (a round trip per request): a connection the server
        # dropped fails its request with a 503 the desk retries, and SQLAlchemy then
        # replaces the whole pool; connections are also renewed every 30 min.
        size = int(os.environ.get("ONESTOP_CENTRAL_POOL", "20"))
        engine = create_engine(
            url,
            pool_pre_ping=False,
            pool_recycle=1800,
            pool_size=size + size // 2,
            max_overflow=0,
            pool_timeout=120,
            hide_parameters=True,  # no personal data in error texts and logs
        )
        # Core executemany inserts as multi-row INSERT ... VALUES (...), (...) rather than
        # psycopg's row-by-row executemany. A push's own bulk rows (events, feed, dossiers)
        # go through app.models.bulk.insert_rows instead: one json_populate_recordset
        # statement whose text does not change with the number of rows.
        engine.dialect.use_insertmanyvalues_wo_returning = True
    migrate_central(engine)
    if engine.dialect.name == "postgresql":
        warm_pool(engine, WARM_CONNECTIONS)
    sessions = make_session_factory(engine)
    with sessions.begin() as s:
        if s.scalar(select(CursorEpoch).where(CursorEpoch.id == 1)) is None:
            s.add(CursorEpoch(id=1, epoch=1))
    return engine, sessions
