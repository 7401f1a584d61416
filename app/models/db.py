"""Engines, sessions and start-up migration.

SQLite is opened in WAL mode with foreign keys on and `synchronous=FULL`: a dossier the
officer saw as saved survives a power cut (DESIGN.md "Local write"). Write transactions
start with BEGIN IMMEDIATE, because a deferred transaction that reads then writes fails at
once under WAL with "database is locked", whatever the busy timeout (STYLE.md).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from alembic.config import Config

#: The newest migration; a test keeps it equal to Alembic's head. A desk already at this
#: revision starts without importing Alembic at all (it is a good part of start-up time).
SCHEMA_HEAD = "0016_i14"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 10_000


def _sqlite_from_hint(_compiler: Any, _table: Any, text: str) -> str:
    return text


# `Select.with_hint(table, "INDEXED BY ix", "sqlite")` renders after the table's name:
# SQLAlchemy's SQLite dialect drops FROM hints, and SQLite's planner, with no statistics
# (desks never run ANALYZE), prefers a primary key or a narrower index to a covering or
# partial one (the daily summary's returned results and ratings, reports.daily_summary).
# Other dialects never see a hint given for "sqlite".
setattr(SQLiteCompiler, "get_from_hint_text", _sqlite_from_hint)  # noqa: B010


def sqlite_url(path: Path | str) -> str:
    return f"sqlite:///{Path(path)}"


def make_engine(
    url: str, *, synchronous: str = "FULL", echo: bool = False, immediate: bool = True
) -> Engine:
    """Create an engine; for SQLite install the pragmas and the BEGIN hook.

    `immediate=True` is for the engine that writes. Readers get their own engine with a
    plain deferred BEGIN, so under WAL a long read never holds the write lock and a write
    never waits for a reader.
    """
    if not url.startswith("sqlite"):
        return create_engine(url, echo=echo, pool_pre_ping=True, hide_parameters=True)
    engine = create_engine(
        url,
        echo=echo,
        hide_parameters=True,  # personal data never reaches a log through an error text
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide where transactions begin.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA synchronous={synchronous}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.close()

    begin = "BEGIN IMMEDIATE" if immediate else "BEGIN"

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql(begin)

    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    cfg.attributes["engine"] = engine
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the schema to head; run at every start so no person ever upgrades a desk."""
    if engine.dialect.name == "sqlite" and current_revision(engine) == SCHEMA_HEAD:
        return
    from alembic import command

    command.upgrade(alembic_config(engine), "head")


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as c:
        has_table = c.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).first()
        if not has_table:
            return None
        row = c.exec_driver_sql("SELECT version_num FROM alembic_version").first()
        return str(row[0]) if row else None


def open_database(path: Path | str, **kwargs: Any) -> tuple[Engine, sessionmaker[Session]]:
    """Open (creating and migrating if needed) the SQLite database at `path`."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(sqlite_url(path), **kwargs)
    migrate(engine)
    return engine, make_session_factory(engine)
