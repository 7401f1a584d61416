"""A damaged or foreign database is named, never hidden: real files damaged each way.

Each case: the start-up check names it, `open_desk` refuses with the choices, the command
line exits 5 with the same message, and the file is byte-for-byte what it was.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from app.config import DB_FILENAME
from app.services import backup
from app.services.bootstrap import DatabaseProblem, open_desk
from tests.conftest import DAMAGE_CASES, make_desk
from tests.gui.conftest import receive
from tests.unit.test_cli import onestop


def _sha(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def _truncate(db: Path) -> None:
    size = db.stat().st_size
    with db.open("r+b") as f:
        f.truncate(size // 2)


def _garbage_middle(db: Path) -> None:
    size = db.stat().st_size
    with db.open("r+b") as f:
        f.seek(size // 2 - 32 * 1024)
        f.write(os.urandom(64 * 1024))


def _zero(db: Path) -> None:
    db.write_bytes(b"")


def _delete(db: Path) -> None:
    db.unlink()


def _newer(db: Path) -> None:
    con = sqlite3.connect(db)
    con.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    con.commit()
    con.close()


def _not_sqlite(db: Path) -> None:
    db.write_bytes(b"PK\x03\x04 this is a zip, not the desk database" * 100)


def _foreign(db: Path) -> None:
    con = sqlite3.connect(db)
    con.execute("UPDATE settings SET value = 'another-desk-id' WHERE key = 'desk.id'")
    con.commit()
    con.close()


def _no_desk(db: Path) -> None:
    con = sqlite3.connect(db)
    con.execute("DELETE FROM settings WHERE key = 'desk.id'")
    con.commit()
    con.close()


CASES: dict[str, tuple[Callable[[Path], None], str]] = {
    "truncated to half": (_truncate, "truncated"),
    "64 KB of garbage in the middle": (_garbage_middle, "damaged"),
    "zero length where data was": (_zero, "empty"),
    "file deleted where data was": (_delete, "gone"),
    "made by a newer version": (_newer, "newer"),
    "overwritten by another file": (_not_sqlite, "not_sqlite"),
    "another desk's database": (_foreign, "foreign"),
    "the desk's identity removed": (_no_desk, "empty"),
}


@pytest.fixture(scope="module")
def worked_template(tmp_path_factory: pytest.TempPathFactory, desk_template: Path) -> Path:
    """A desk folder with 200 dossiers, closed (WAL checkpointed), plus a backup."""
    folder = tmp_path_factory.mktemp("worked") / "desk"
    ctx = make_desk(folder, template=desk_template)
    given = ("An", "Bình", "Chi", "Dũng", "Hà", "Lan", "Minh", "Nam", "Oanh", "Phúc")
    for i in range(200):
        receive(ctx, name=f"Nguyễn Văn {given[i % 10]}", id_number=f"001190{i:06d}")
    ctx.close()
    backup.take_backup(folder, "start")
    return folder


@pytest.fixture
def worked_desk(worked_template: Path, tmp_path: Path) -> Path:
    import shutil

    return Path(shutil.copytree(worked_template, tmp_path / "desk"))


@pytest.mark.parametrize("case", list(CASES))
def test_damage_is_named_and_nothing_is_overwritten(worked_desk: Path, case: str) -> None:
    damage, kind = CASES[case]
    db = worked_desk / DB_FILENAME
    damage(db)
    before = _sha(db)
    with pytest.raises(DatabaseProblem) as err:
        open_desk(worked_desk)
    assert err.value.info.problem.kind == kind, err.value.info.problem
    info = err.value.info
    assert str(db) in info.message
    assert info.latest_backup is not None and info.latest_backup.exists()
    assert any("onestop restore" in c and str(info.latest_backup) in c for c in info.choices)
    assert _sha(db) == before  # nothing written to the damaged file
    DAMAGE_CASES.append(case)


@pytest.mark.slow
def test_cli_names_each_damage_with_its_choices(worked_desk: Path, tmp_path: Path) -> None:
    """The command line says the same thing and exits 5, for every case, each on a fresh
    copy of the worked desk."""
    import shutil

    for case, (damage, _kind) in CASES.items():
        folder = tmp_path / f"cli-{abs(hash(case))}"
        shutil.copytree(worked_desk, folder)
        db = folder / DB_FILENAME
        damage(db)
        before = _sha(db)
        out = onestop(folder, "find", "nguyen")
        assert out.returncode == 5, (case, out.stderr)
        assert str(db) in out.stderr and "onestop restore" in out.stderr, out.stderr
        assert "Traceback" not in out.stderr
        assert _sha(db) == before
        assert not (folder / DB_FILENAME).with_name("desk.sqlite3-journal").exists()


def test_a_new_folder_is_still_a_new_desk(tmp_path: Path) -> None:
    """No identity and no backup beside it: an absent or empty file is a first start."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / DB_FILENAME).write_bytes(b"")
    open_desk(tmp_path / "a").close()
    open_desk(tmp_path / "b").close()


@pytest.mark.parametrize("damage", [_garbage_middle, _truncate])
def test_salvage_exports_what_is_readable(worked_desk: Path, tmp_path: Path, damage) -> None:
    db = worked_desk / DB_FILENAME
    damage(db)
    before = _sha(db)
    report = backup.salvage(db, tmp_path / "csv")
    assert (tmp_path / "csv" / "offices.csv").exists()
    assert report.tables["offices"] == 1 and report.tables["officers"] == 1
    assert _sha(db) == before
