"""When the start-up check reads the whole desk file, and that damage is caught either way.

A desk of a million dossiers is about 5 GB; `PRAGMA quick_check` over it took minutes at
every start. These tests use a real desk file and real damage, with the size threshold
lowered so a small file counts as large.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.config import DB_FILENAME
from app.models import dbcheck
from app.models.dbcheck import (
    DAMAGED,
    check_database,
    full_check_reason,
    read_check,
    record_check,
)
from app.services import backup
from tests.conftest import make_desk

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def large(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file counts as large (the real threshold is 256 MiB)."""
    monkeypatch.setattr(dbcheck, "FULL_CHECK_BELOW", 0)


@pytest.fixture
def desk_dir(tmp_path: Path) -> Path:
    ctx = make_desk(tmp_path / "desk")
    ctx.close()  # a clean shutdown: SQLite removes the -wal file
    return tmp_path / "desk"


def _garbage_middle(db: Path) -> None:
    size = db.stat().st_size
    with db.open("r+b") as f:
        f.seek(size // 2 - 32 * 1024)
        f.write(os.urandom(64 * 1024))


def test_a_small_file_is_always_read_whole(desk_dir: Path) -> None:
    db = desk_dir / DB_FILENAME
    record_check(desk_dir, True, NOW)
    assert full_check_reason(db, desk_dir, NOW) == "small"


def test_a_clean_shutdown_leaves_no_wal_and_a_read_only_look_an_empty_one(
    large: None, desk_dir: Path
) -> None:
    db = desk_dir / DB_FILENAME
    record_check(desk_dir, True, NOW)
    assert not (desk_dir / (DB_FILENAME + "-wal")).exists()
    # The sign-in window reads the language read-only before the desk opens.
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    con.execute("SELECT value FROM settings").fetchall()
    con.close()
    assert full_check_reason(db, desk_dir, NOW) is None


def test_a_large_file_is_read_whole_when_never_checked_then_not_for_a_week(
    large: None, desk_dir: Path
) -> None:
    db = desk_dir / DB_FILENAME
    (desk_dir / dbcheck.CHECK_FILENAME).unlink(missing_ok=True)
    assert full_check_reason(db, desk_dir, NOW) == "never"
    assert check_database(db, desk_dir, now=NOW) is None
    assert read_check(desk_dir) == (NOW, True)
    assert full_check_reason(db, desk_dir, NOW + timedelta(days=6)) is None
    assert full_check_reason(db, desk_dir, NOW + timedelta(days=8)) == "stale"


def test_a_large_file_after_a_crash_is_read_whole_and_its_damage_named(
    large: None, desk_dir: Path
) -> None:
    db = desk_dir / DB_FILENAME
    record_check(desk_dir, True, NOW)
    # A writer killed mid-session: its -wal file stays behind, as after a power cut.
    code = (
        "import os, sqlite3, sys\n"
        "con = sqlite3.connect(sys.argv[1])\n"
        "con.execute('PRAGMA journal_mode=WAL')\n"
        "con.execute(\"INSERT INTO settings (key, value) VALUES ('test.crash', '1')\")\n"
        "con.commit()\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", code, str(db)], check=True)
    assert (desk_dir / (DB_FILENAME + "-wal")).stat().st_size > 0
    assert full_check_reason(db, desk_dir, NOW) == "unclean"
    _garbage_middle(db)
    problem = check_database(db, desk_dir, now=NOW)
    assert problem is not None and problem.kind == DAMAGED
    assert read_check(desk_dir) == (NOW, False)
    assert full_check_reason(db, desk_dir, NOW) in ("unclean", "failed")


def test_damage_between_starts_is_caught_by_the_next_backup_then_at_start(
    large: None, desk_dir: Path
) -> None:
    """The trade-off, end to end: a clean, recently checked large file is opened without
    reading it whole; the backup's snapshot reads every page, fails, and flags it, so the
    next start reads the whole file and names the damage."""
    db = desk_dir / DB_FILENAME
    # Rows written after the schema, as a working desk's dossiers are: damage lands in
    # them, not in the pages the cheap checks read (schema, settings).
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE ballast (b BLOB)")
    con.executemany("INSERT INTO ballast VALUES (?)", ((os.urandom(4000),) for _ in range(1000)))
    con.commit()
    con.close()
    record_check(desk_dir, True, NOW)
    size = db.stat().st_size
    with db.open("r+b") as f:
        f.seek(size - 1_000_000)
        f.write(os.urandom(64 * 1024))
    assert full_check_reason(db, desk_dir, NOW) is None
    assert check_database(db, desk_dir, now=NOW) is None  # not read whole: not seen yet

    report = backup.take_backup(desk_dir, "auto", now=NOW + timedelta(hours=4))
    assert not report.made and report.failed
    assert read_check(desk_dir) == (NOW + timedelta(hours=4), False)
    assert full_check_reason(db, desk_dir, NOW + timedelta(hours=5)) == "failed"
    problem = check_database(db, desk_dir, now=NOW + timedelta(hours=5))
    assert problem is not None and problem.kind == DAMAGED


def test_a_good_backup_counts_as_a_whole_file_check(large: None, desk_dir: Path) -> None:
    db = desk_dir / DB_FILENAME
    (desk_dir / dbcheck.CHECK_FILENAME).unlink(missing_ok=True)
    report = backup.take_backup(desk_dir, "auto", now=NOW)
    assert report.made
    assert read_check(desk_dir) == (NOW, True)
    assert full_check_reason(db, desk_dir, NOW + timedelta(days=1)) is None


def test_an_unreadable_check_file_means_never_checked(large: None, desk_dir: Path) -> None:
    (desk_dir / dbcheck.CHECK_FILENAME).write_text("{not json", encoding="utf-8")
    assert read_check(desk_dir) is None
    assert full_check_reason(desk_dir / DB_FILENAME, desk_dir, NOW) == "never"


def test_a_bulk_load_killed_under_the_rollback_journal_is_rolled_back_not_called_damaged(
    large: None, desk_dir: Path
) -> None:
    """A large demo seed writes under the rollback journal (app.models.db.rollback_journal);
    killed midway (found by killing `seed_demo` of 200,000 dossiers after 12 s) it leaves a
    hot journal, and the read-only check could not read past it: "damaged (quick_check:
    attempt to write a readonly database)". It is SQLite's own recovery: rolled back at
    the check, the file is read whole and the desk opens as before the load."""
    db = desk_dir / DB_FILENAME
    record_check(desk_dir, True, NOW)
    code = (
        "import os, sqlite3, sys\n"
        "con = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "con.execute('PRAGMA journal_mode=DELETE')\n"
        "con.execute('PRAGMA cache_size=5')\n"  # pages spill into the file mid-transaction
        "con.execute('BEGIN IMMEDIATE')\n"
        "con.executemany('INSERT INTO settings (key, value) VALUES (?, ?)',\n"
        "    [(f'test.bulk.{i}', 'x' * 500) for i in range(5000)])\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", code, str(db)], check=True)
    journal = desk_dir / (DB_FILENAME + "-journal")
    assert journal.stat().st_size > 0
    assert check_database(db, desk_dir, now=NOW) is None
    assert not journal.exists() or journal.stat().st_size == 0
    assert read_check(desk_dir) == (NOW, True)  # read whole: the last session was unclean
    con = sqlite3.connect(db)
    try:
        assert con.execute(
            "SELECT count(*) FROM settings WHERE key LIKE 'test.bulk.%'"
        ).fetchone() == (0,)
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        con.close()
