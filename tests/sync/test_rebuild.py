"""A paired desk whose database is gone rebuilds its office history from the central."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest

from app import credentials
from app.config import DB_FILENAME
from app.services.bootstrap import DatabaseProblem, open_desk
from app.services.context import get_setting
from app.sync.commands import connect, sync_once
from tests.support.central import new_desk, receive_dossiers
from tests.unit.test_cli import ROOT


def _onestop(data_dir, *args):
    env = {**os.environ, "ONESTOP_DATA_DIR": str(data_dir), credentials.ENV_STORE: "file"}
    return subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=300)


def _codes(db):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {r[0] for r in con.execute("SELECT code FROM dossiers")}
    finally:
        con.close()


def test_lost_database_rebuilt_from_the_central(central, office, tmp_path, monkeypatch):
    if central.backend != "sqlite":
        pytest.skip("the desk side is what is tested; one central backend is enough")
    monkeypatch.setenv(credentials.ENV_STORE, "file")
    data = tmp_path / "d"
    desk = new_desk(data, office_code=office)
    connect(desk, central.url, central.add_desk(office, "Quầy 1").token)
    receive_dossiers(desk, 3)
    sync_once(desk)
    with desk.read() as s:
        desk_id = get_setting(s, "desk.id")
    codes = _codes(data / DB_FILENAME)
    desk.close()
    (data / DB_FILENAME).unlink()  # the disk lost it
    with pytest.raises(DatabaseProblem) as err:
        open_desk(data)
    assert err.value.info.problem.kind == "gone"
    # Unreachable central: nothing changes.
    r = _onestop(data, "rebuild-from-central", "--url", "http://127.0.0.1:9")
    assert r.returncode == 3, r.stderr
    assert not (data / DB_FILENAME).exists()
    r = _onestop(data, "rebuild-from-central")
    assert r.returncode == 0, r.stderr
    assert _codes(data / DB_FILENAME) == codes
    ctx = open_desk(data)
    with ctx.read() as s:
        assert get_setting(s, "desk.id") == desk_id
    assert sync_once(ctx).rejected == 0
    ctx.close()
    assert not (data / "rebuild.part").exists()


def test_never_paired_desk_cannot_rebuild(tmp_path):
    desk = new_desk(tmp_path / "d")
    desk.close()
    r = _onestop(tmp_path / "d", "rebuild-from-central")
    assert r.returncode == 2 and "never paired" in r.stderr
