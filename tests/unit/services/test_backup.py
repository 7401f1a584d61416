"""Backups that restore: taken while another process writes, restored, compared row by row;
rotation; refusals of damaged and foreign files; the command line."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.config import DB_FILENAME
from app.domain.errors import DomainError
from app.services import backup, setup
from app.services.bootstrap import open_desk
from tests.conftest import make_admin, make_desk
from tests.unit.test_cli import ROOT, onestop

WRITER = """
import sqlite3, sys, time
con = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
con.execute("PRAGMA journal_mode=WAL")
con.execute("CREATE TABLE IF NOT EXISTS churn (id INTEGER PRIMARY KEY, body TEXT, n INT)")
print("ready", flush=True)
i = 0
end = time.time() + float(sys.argv[2])
while time.time() < end:
    con.execute("BEGIN IMMEDIATE")
    for _ in range(50):
        i += 1
        con.execute("INSERT INTO churn (body, n) VALUES (?, ?)", ("x" * 400, i))
    con.execute("UPDATE churn SET n = n + 1 WHERE id % 7 = 0")
    con.execute("COMMIT")
print(i, flush=True)
"""


def _rows(path: Path, table: str) -> list[tuple]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
    finally:
        con.close()


def test_backup_while_another_process_writes_restores_row_by_row(desk, tmp_path: Path):
    data_dir = desk.data_dir
    db = data_dir / DB_FILENAME
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), "3"], stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
    time.sleep(0.3)
    reports = []
    while writer.poll() is None:
        reports.append(backup.take_backup(data_dir, "manual", tmp_path / "usb"))
        time.sleep(0.2)
    assert writer.wait() == 0
    assert len(reports) >= 2 and all(not r.failed for r in reports)
    mid = reports[len(reports) // 2].made[0].path
    assert backup.integrity_problem(mid) is None
    snapshot = _rows(mid, "churn")
    assert snapshot  # taken while rows were arriving
    # The snapshot is one consistent state: each committed batch whole or absent.
    assert len(snapshot) % 50 == 0
    officers_before = _rows(db, "officers")
    # Restore the middle backup: the desk then holds exactly its rows.
    desk.close()
    admin_pw = "mat-khau-qt"
    ctx = open_desk(data_dir)
    make_admin(ctx)
    ctx.close()
    # The admin exists in the current database, not in the backup: the current one decides.
    aside = backup.restore_as(data_dir, mid, "quantri", admin_pw)
    assert aside.exists() and len(_rows(aside, "churn")) > len(snapshot)
    assert _rows(db, "churn") == snapshot
    assert _rows(db, "officers") == officers_before
    ctx = open_desk(data_dir)  # the restored database passes the start-up check
    assert setup.authenticate(ctx, "canbo1", "mat-khau-1") is not None
    ctx.close()
    # Both places hold the same good copies.
    assert {b.path.name for b in backup.list_backups(tmp_path / "usb")} <= {
        b.path.name for b in backup.list_backups(backup.backup_dir(data_dir))
    } | {b.path.name for b in backup.list_backups(tmp_path / "usb")}


def test_restore_refuses_damaged_foreign_and_non_admin(desk, tmp_path: Path):
    data_dir = desk.data_dir
    admin = make_admin(desk)
    good = backup.take_backup(data_dir, "manual").made[0].path
    db = data_dir / DB_FILENAME
    before = {t: _rows(db, t) for t in ("settings", "dossiers", "events")}
    damaged = tmp_path / "damaged.sqlite3"
    data = bytearray(good.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 65536] = b"\xAB" * 65536
    damaged.write_bytes(bytes(data))
    other = make_desk(tmp_path / "other", slot=2)
    other.close()
    foreign = backup.take_backup(tmp_path / "other", "manual").made[0].path
    desk.close()
    for bad, why in ((damaged, "hỏng"), (foreign, "quầy khác"),
                     (tmp_path / "nope.sqlite3", "không tìm thấy")):
        with pytest.raises(DomainError, match=why):
            backup.restore_as(data_dir, bad, "quantri", "mat-khau-qt")
    with pytest.raises(setup.Forbidden):
        backup.restore_as(data_dir, good, "canbo1", "mat-khau-1")
    with pytest.raises(setup.Forbidden):
        backup.restore_as(data_dir, good, "quantri", "sai-mat-khau")
    assert {t: _rows(db, t) for t in before} == before
    assert not list(data_dir.glob("*.before-restore-*"))  # nothing was moved aside
    assert admin is not None


def test_restore_over_a_damaged_database_asks_the_backups_admin(desk, tmp_path: Path):
    data_dir = desk.data_dir
    make_admin(desk)
    good = backup.take_backup(data_dir, "manual").made[0].path
    desk.close()
    db = data_dir / DB_FILENAME
    db.write_bytes(b"")  # emptied
    with pytest.raises(setup.Forbidden):
        backup.restore_as(data_dir, good, "canbo1", "mat-khau-1")  # an officer, not admin
    aside = backup.restore_as(data_dir, good, "quantri", "mat-khau-qt")
    assert aside.exists() and aside.stat().st_size == 0  # the emptied file kept aside
    open_desk(data_dir).close()


def test_rotation_keeps_recent_and_one_per_day(tmp_path: Path):
    folder = tmp_path / "b"
    folder.mkdir()
    now = datetime(2026, 11, 30, 12, tzinfo=UTC)
    for h in range(0, 24 * 30, 6):  # every 6 hours for 30 days
        at = now - timedelta(hours=h)
        (folder / f"desk-{at:%Y%m%dT%H%M%S}000000Z-auto.sqlite3").write_bytes(b"x")
    backup.rotate(folder, now=now)
    kept = backup.list_backups(folder)
    days = {b.taken_at.date() for b in kept}
    assert len(kept) <= backup.KEEP_LAST + backup.KEEP_DAYS
    assert kept[0].taken_at == now  # the newest stays
    assert len(days) >= backup.KEEP_DAYS
    assert min(b.taken_at for b in kept) >= now - timedelta(days=backup.KEEP_DAYS + 1)


def test_second_place_missing_is_reported_not_fatal(desk, tmp_path: Path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the USB folder should be")
    report = backup.take_backup(desk.data_dir, "auto", blocker / "sub")
    assert len(report.made) == 1 and len(report.failed) == 1
    assert not list(desk.data_dir.glob("backups/*.part"))


@pytest.mark.slow
def test_cli_backup_list_restore(desk, tmp_path: Path):
    data_dir = desk.data_dir
    make_admin(desk)
    desk.close()
    out = onestop(data_dir, "backup", "--to", str(tmp_path / "usb"))
    assert out.returncode == 0, out.stderr
    made = [Path(line) for line in out.stdout.splitlines()]
    assert len(made) == 2 and all(p.exists() for p in made)
    listed = onestop(data_dir, "backups")
    assert listed.returncode == 0 and str(made[0]) in listed.stdout
    bad = onestop(data_dir, "restore", str(tmp_path / "missing.sqlite3"), "--as", "quantri",
                  stdin="mat-khau-qt\n")
    assert bad.returncode == 2 and "không tìm thấy" in bad.stderr
    denied = onestop(data_dir, "restore", str(made[1]), "--as", "canbo1", stdin="mat-khau-1\n")
    assert denied.returncode == 2 and "quản trị viên" in denied.stderr
    ok = onestop(data_dir, "restore", str(made[1]), "--as", "quantri", stdin="mat-khau-qt\n")
    assert ok.returncode == 0, ok.stderr
    assert "before-restore" in ok.stdout
    assert ROOT.exists()
