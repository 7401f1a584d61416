"""Bad input to every command exits 2 with a message and changes nothing (real processes)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.config import DB_FILENAME
from app.services import setup
from tests.conftest import make_admin
from tests.gui.conftest import receive
from tests.unit.test_cli import onestop


def _count(db: Path, sql: str) -> int:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return int(con.execute(sql).fetchone()[0])
    finally:
        con.close()


PRINTED = "SELECT count(*) FROM events WHERE type = 'printed'"


@pytest.mark.slow
def test_print_that_cannot_be_written_records_nothing(desk, tmp_path: Path):
    code = receive(desk).code
    data_dir = desk.data_dir
    db = data_dir / DB_FILENAME
    desk.close()
    before = _count(db, PRINTED)
    # A missing folder; a path under a file; /proc, where not even root may create a file
    # (the tests run as root, for whom a chmod-ed folder is still writable).
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    for out in (tmp_path / "missing" / "r.pdf", blocker / "r.pdf", Path("/proc/onestop-r.pdf")):
        r = onestop(data_dir, "print", code, "--form", "receipt", "--out", str(out))
        assert r.returncode == 2, (out, r.stderr)
        assert "Traceback" not in r.stderr and str(out) in r.stderr
        assert not out.with_name(out.name + ".part").exists()
        assert not list(tmp_path.rglob("*.part"))
    assert _count(db, PRINTED) == before
    good = tmp_path / "ok.pdf"
    r = onestop(data_dir, "print", code, "--form", "receipt", "--out", str(good))
    assert r.returncode == 0, r.stderr
    assert good.read_bytes().startswith(b"%PDF") and _count(db, PRINTED) == before + 1


@pytest.mark.slow
def test_negative_and_bad_counts_exit_2_before_anything_is_written(tmp_path: Path):
    for args in (
        ("seed-demo", "--dossiers", "-5"),
        ("seed-demo", "--dossiers", "many"),
        ("find", "nguyen", "--limit", "-1"),
        ("setup", "--office-code", "000.00.31.H56", "--office-name", "X", "--desk-name", "Q",
         "--slot", "-2"),
    ):
        r = onestop(tmp_path, *args)
        assert r.returncode == 2, (args, r.stderr)
        assert "negative" in r.stderr or "whole number" in r.stderr or "at least" in r.stderr
        assert not (tmp_path / DB_FILENAME).exists(), args  # no demo office, no database


@pytest.mark.slow
def test_seed_demo_refuses_a_paired_desk(desk):
    from app.services.ui_support import write_setting

    write_setting(desk, "sync.central_url", "http://127.0.0.1:9")
    db = desk.data_dir / DB_FILENAME
    before = _count(db, "SELECT count(*) FROM dossiers")
    desk.close()
    r = onestop(desk.data_dir, "seed-demo", "--dossiers", "5")
    assert r.returncode == 2 and "máy chủ trung tâm" in r.stderr, r.stderr
    assert _count(db, "SELECT count(*) FROM dossiers") == before


@pytest.mark.slow
def test_officer_rules_hold_from_the_command_line(desk):
    make_admin(desk)
    data_dir = desk.data_dir
    desk.close()
    r = onestop(data_dir, "add-officer", "--username", "x", "--full-name", "X Y",
                "--password", "mat-khau-x")
    assert r.returncode == 2 and "quản trị viên" in r.stderr, r.stderr
    r = onestop(data_dir, "add-officer", "--username", "x", "--full-name", "X Y",
                "--password", "mat-khau-x", "--as", "canbo1", stdin="mat-khau-1\n")
    assert r.returncode == 2 and "quản trị viên" in r.stderr, r.stderr
    r = onestop(data_dir, "add-officer", "--username", "x", "--full-name", "X Y",
                "--password", "mat-khau-x", "--as", "quantri", stdin="sai\n")
    assert r.returncode == 2 and "wrong username or password" in r.stderr, r.stderr
    r = onestop(data_dir, "add-officer", "--username", "x", "--full-name", "X Y",
                "--password", "mat-khau-x", "--as", "quantri", stdin="mat-khau-qt\n")
    assert r.returncode == 0, r.stderr
    r = onestop(data_dir, "reset-password", "canbo1", "--as", "x", "--password", "tam-thoi-1",
                stdin="mat-khau-x\n")
    assert r.returncode == 2 and "quản trị viên" in r.stderr, r.stderr
    r = onestop(data_dir, "reset-password", "canbo1", "--as", "quantri",
                "--password", "tam-thoi-1", stdin="mat-khau-qt\n")
    assert r.returncode == 0, r.stderr
    from app.services.bootstrap import open_desk

    ctx = open_desk(data_dir)
    o = setup.authenticate(ctx, "canbo1", "tam-thoi-1")
    assert o is not None and o.must_change_password
    assert setup.officer_by_username(ctx, "x").must_change_password
    ctx.close()


@pytest.mark.slow
def test_connect_takes_a_token_that_starts_with_a_dash(desk):
    desk.close()
    r = onestop(desk.data_dir, "connect", "http://127.0.0.1:9", "-Xq3_token-starts-with-dash")
    assert "unrecognized arguments" not in r.stderr and "expected one argument" not in r.stderr
    assert r.returncode == 3, r.stderr  # it got as far as the (absent) central
