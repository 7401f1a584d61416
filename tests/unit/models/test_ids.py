"""The ids a desk makes (app.models.base.new_id): unique, in the form desks send, and
growing in time so that primary-key indexes grow at their end."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable
from pathlib import Path

from app.models import new_id


def test_ids_are_version_7_in_the_form_desks_send() -> None:
    ids = [new_id() for _ in range(2000)]
    assert len(set(ids)) == len(ids)
    for i in ids:
        u = uuid.UUID(i)
        assert u.version == 7 and u.variant == uuid.RFC_4122
        assert str(u) == i  # lowercase, hyphenated: the schema's no-copy path takes it


def test_ids_made_one_after_another_sort_in_the_order_made() -> None:
    ids = [new_id() for _ in range(20_000)]  # far more than one a millisecond
    assert ids == sorted(ids)


def _pages_written(path: Path, make: Callable[[], str]) -> int:
    """The pages one transaction of 1,000 new keys writes into a table that holds 50,000."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE t (id TEXT PRIMARY KEY) WITHOUT ROWID")
    db.execute("BEGIN")
    db.executemany("INSERT INTO t VALUES (?)", ((make(),) for _ in range(50_000)))
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.execute("BEGIN")
    db.executemany("INSERT INTO t VALUES (?)", ((make(),) for _ in range(1000)))
    db.execute("COMMIT")
    frames = int(db.execute("PRAGMA wal_checkpoint").fetchone()[1])
    db.close()
    return frames


def test_new_rows_keyed_by_them_touch_the_end_of_the_index(tmp_path: Path) -> None:
    """The point of version 7: rows keyed by new ids go at the end of the key's B-tree, so
    a transaction of new rows writes a few pages there; random version-4 keys land all
    over the index and dirty a page each (on a desk, every commit of a pull writes them)."""
    v7 = _pages_written(tmp_path / "v7.sqlite3", new_id)
    v4 = _pages_written(tmp_path / "v4.sqlite3", lambda: str(uuid.uuid4()))
    assert v7 * 10 < v4, (v7, v4)
