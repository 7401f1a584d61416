"""Engines, sessions and start-up migration.

SQLite is opened in WAL mode with foreign keys on and `synchronous=FULL`: a dossier the
officer saw as saved survives a power cut (DESIGN.md "Local write"). Write transactions
start with BEGIN IMMEDIATE, because a deferred transaction that reads then writes fails at
once under WAL with "database is locked", whatever the busy timeout (STYLE.md).
"""

from __future__ import annotations

import json
import sqlite3
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from alembic.config import Config

#: The newest migration; a test keeps it equal to Alembic's head. A desk already at this
#: revision starts without importing Alembic at all (it is a good part of start-up time).
SCHEMA_HEAD = "0019_i14"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 10_000
#: Engines in a bulk load: their new connections keep the rollback journal
#: (`rollback_journal`), not WAL.
_BULK: weakref.WeakSet[Engine] = weakref.WeakSet()


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
        try:
            # (a file another process holds fails the switch at once, and stays WAL)
            cur.execute(f"PRAGMA journal_mode={'DELETE' if engine in _BULK else 'WAL'}")
        except sqlite3.OperationalError:
            if engine not in _BULK:
                raise
        cur.execute(f"PRAGMA synchronous={synchronous}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.close()

    begin = "BEGIN IMMEDIATE" if immediate else "BEGIN"

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql(begin)

    return engine


@contextmanager
def rollback_journal(*engines: Engine) -> Iterator[bool]:
    """A bulk load into a desk file with SQLite's rollback journal instead of the WAL;
    yields whether the switch took.

    Why: under WAL every page is written twice, into the WAL and again into the database
    at each checkpoint, and every page read looks in the WAL first; a million-dossier demo
    seed (seven gigabytes of new pages) spent a sixth of its time so. A rollback journal
    keeps each transaction atomic at no cost for pages beyond the file's old end (new
    pages need no journal). Leaving WAL needs the file to itself: the engines' idle
    connections are closed first, and when another process holds the file, the load runs
    under WAL as always. Every connection made afterwards puts the file back into WAL
    (`make_engine`), also after a crash in between.
    """
    engine = engines[0]
    for e in engines:
        _BULK.add(e)
        e.dispose()
    switched = False
    try:
        with engine.connect() as c:  # a new connection: `make_engine` switches it
            switched = c.exec_driver_sql("PRAGMA journal_mode").scalar() == "delete"
        if not switched:  # another process holds the file: later failures are errors again
            for e in engines:
                _BULK.discard(e)
        yield switched
    finally:
        for e in engines:
            _BULK.discard(e)
            e.dispose()  # the next connection made sets WAL again
        if switched:
            with engine.connect() as c:
                c.exec_driver_sql("SELECT 1")


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


#: The settings row that holds, while a bulk load runs, the indexes it dropped (JSON list
#: of their CREATE statements): written with the drop, removed with the rebuild.
INDEXES_TO_BUILD = "db.indexes_to_build"


def drop_indexes(conn: Connection, tables: Sequence[str]) -> list[str]:
    """Drop the secondary indexes of `tables` for a bulk load, in the caller's transaction,
    and note them (`INDEXES_TO_BUILD`) in the same transaction; returns their statements.

    Why noted: a load killed before `build_indexes` left a desk without them (every look-up
    a scan of millions of rows); `open_database` builds what is noted at the next start."""
    marks = ", ".join("?" * len(tables))
    rows = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks}) ORDER BY name",
        tuple(tables),
    ).all()
    for name, _sql in rows:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    statements = [str(sql) for _name, sql in rows]
    conn.exec_driver_sql(
        "INSERT INTO settings (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (INDEXES_TO_BUILD, json.dumps(statements)),
    )
    return statements


def build_indexes(conn: Connection) -> int:
    """Build the indexes a bulk load dropped (`drop_indexes`), in the caller's transaction;
    returns how many (0 when none is noted)."""
    noted = conn.exec_driver_sql(
        "SELECT value FROM settings WHERE key = ?", (INDEXES_TO_BUILD,)
    ).scalar()
    if noted is None:
        return 0
    statements = json.loads(noted)
    for sql in statements:
        conn.exec_driver_sql(sql)
    conn.exec_driver_sql("DELETE FROM settings WHERE key = ?", (INDEXES_TO_BUILD,))
    return len(statements)


def _build_noted_indexes(engine: Engine) -> None:
    """What a killed bulk load left to build (`drop_indexes`), before any migration."""
    with engine.connect() as c:
        # A plain read first (the engine's BEGIN IMMEDIATE would take the write lock at
        # every start): the table may not exist yet, the row almost never does.
        raw = c.connection.driver_connection
        assert raw is not None
        try:
            noted = raw.execute(
                "SELECT 1 FROM settings WHERE key = ?", (INDEXES_TO_BUILD,)
            ).fetchone()
        except sqlite3.OperationalError:  # no settings table: a new file
            noted = None
        if noted is not None:
            build_indexes(c)
            c.commit()


def open_database(path: Path | str, **kwargs: Any) -> tuple[Engine, sessionmaker[Session]]:
    """Open (creating and migrating if needed) the SQLite database at `path`."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(sqlite_url(path), **kwargs)
    _build_noted_indexes(engine)
    migrate(engine)
    return engine, make_session_factory(engine)
