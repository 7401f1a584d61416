"""The local store: durable SQLite settings, migrations at start, no lock errors."""

from __future__ import annotations

import sqlite3
import threading
import time
import warnings
from pathlib import Path

from sqlalchemy import Column, inspect, select, text
from sqlalchemy.schema import CreateIndex

from app.models import Setting
from app.models.db import (
    SCHEMA_HEAD,
    make_engine,
    make_session_factory,
    migrate,
    open_database,
    rollback_journal,
    sqlite_url,
)


def test_pragmas_and_schema(tmp_path: Path) -> None:
    engine, _ = open_database(tmp_path / "d.sqlite3")
    with engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert c.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
    tables = set(inspect(engine).get_table_names())
    assert {
        "offices",
        "desks",
        "officers",
        "procedures",
        "procedure_versions",
        "components",
        "dossiers",
        "dossier_components",
        "events",
        "outbox",
        "code_blocks",
        "settings",
        "calendar_days",
        "catalogue_releases",
        "alembic_version",
    } <= tables


def test_migration_is_idempotent_and_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "d.sqlite3"
    engine, sessions = open_database(path)
    with sessions.begin() as s:
        s.add(Setting(key="k", value="v"))
    engine.dispose()
    engine, sessions = open_database(path)
    with engine.connect() as c:
        assert c.execute(text("SELECT version_num FROM alembic_version")).scalar() == SCHEMA_HEAD
    with sessions() as s:
        assert s.get(Setting, "k").value == "v"  # type: ignore[union-attr]


def test_read_then_write_from_threads_never_locks(tmp_path: Path) -> None:
    """BEGIN IMMEDIATE: 4 threads × 50 read-then-write transactions, no 'database is locked'."""
    engine = make_engine(sqlite_url(tmp_path / "d.sqlite3"), synchronous="NORMAL")
    migrate(engine)
    sessions = make_session_factory(engine)
    with sessions.begin() as s:
        s.add(Setting(key="n", value="0"))
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(50):
                with sessions.begin() as s:
                    row = s.scalar(select(Setting).where(Setting.key == "n"))
                    assert row is not None
                    row.value = str(int(row.value) + 1)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with sessions() as s:
        assert s.get(Setting, "n").value == "200"  # type: ignore[union-attr]


def test_naive_datetimes_are_refused(tmp_path: Path) -> None:
    from datetime import datetime

    import pytest

    from app.models import Office

    _, sessions = open_database(tmp_path / "d.sqlite3")
    with pytest.raises(Exception, match="naive"), sessions.begin() as s:
        s.add(Office(code="X", name="x", created_at=datetime(2026, 1, 1)))
        s.flush()


def test_migrations_match_the_models(tmp_path: Path) -> None:
    """A model change without its migration would reach desks as a silent schema drift."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from app.models import Base

    engine, _ = open_database(tmp_path / "d.sqlite3")
    with engine.connect() as c, warnings.catch_warnings():
        # Neither SQLAlchemy nor Alembic compare an expression index: compared below.
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based")
        warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression")
        diff = compare_metadata(MigrationContext.configure(c), Base.metadata)
    assert diff == []
    with engine.connect() as c:
        rows = c.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type='index'")
        built = {name: sql for name, sql in rows}
    expressions = [
        ix
        for t in Base.metadata.tables.values()
        for ix in t.indexes
        if ix.expressions and any(not isinstance(e, Column) for e in ix.expressions)
    ]
    assert "ix_events_feedback" in [ix.name for ix in expressions]
    for ix in expressions:
        model = str(CreateIndex(ix).compile(dialect=engine.dialect))
        assert " ".join(built[ix.name].split()).replace(" IF NOT EXISTS", "") == " ".join(
            model.split()
        )


def test_schema_head_constant_is_alembics_head(tmp_path: Path) -> None:
    from alembic.script import ScriptDirectory

    from app.models.db import SCHEMA_HEAD, alembic_config

    engine = make_engine(sqlite_url(tmp_path / "d.sqlite3"))
    assert ScriptDirectory.from_config(alembic_config(engine)).get_current_head() == SCHEMA_HEAD


def _mode(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return str(con.execute("PRAGMA journal_mode").fetchone()[0])
    finally:
        con.close()


def test_a_bulk_load_runs_under_the_rollback_journal_and_wal_comes_back(tmp_path: Path) -> None:
    """Inside `rollback_journal` every connection of the engines (a new one too) writes
    with the rollback journal; after it, and after a failure in it, the file is in WAL."""
    path = tmp_path / "d.sqlite3"
    engine, sessions = open_database(path)
    reader = make_engine(sqlite_url(path), immediate=False)
    with reader.connect() as c:  # an idle pooled reader must not block the switch
        c.exec_driver_sql("SELECT 1")
    with rollback_journal(engine, reader) as switched:
        assert switched
        with sessions.begin() as s:
            s.add(Setting(key="k", value="v"))
        with engine.connect() as a, reader.connect() as b:  # b: a new connection
            assert a.exec_driver_sql("PRAGMA journal_mode").scalar() == "delete"
            assert b.exec_driver_sql("PRAGMA journal_mode").scalar() == "delete"
        assert not (tmp_path / "d.sqlite3-wal").exists()
    assert _mode(path) == "wal"
    with sessions() as s:
        assert s.get(Setting, "k") is not None
    try:
        with rollback_journal(engine):
            raise OSError("disk full")
    except OSError:
        pass
    assert _mode(path) == "wal"
    with engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_a_bulk_load_beside_another_holder_stays_in_wal(tmp_path: Path) -> None:
    """The app open in another process holds the file: the load runs under WAL as always,
    without waiting for the busy timeout."""
    path = tmp_path / "d.sqlite3"
    engine, sessions = open_database(path)
    other = sqlite3.connect(path)
    other.execute("SELECT count(*) FROM settings").fetchall()
    try:
        started = time.monotonic()
        with rollback_journal(engine) as switched:
            assert not switched
            with sessions.begin() as s:
                s.add(Setting(key="k", value="v"))
            with engine.connect() as c:
                assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert time.monotonic() - started < 5
        assert other.execute("SELECT value FROM settings WHERE key = 'k'").fetchone() == ("v",)
    finally:
        other.close()
