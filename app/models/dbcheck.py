"""The start-up check of the desk database: damaged, truncated, emptied, foreign or newer.

Run before anything opens the database for writing, so a problem is named instead of
"repaired" by SQLite or Alembic (a zero-length file used to become a fresh desk back at
first run; a newer schema used to crash Alembic). The check only reads; nothing here
writes to the database file but SQLite's own rollback of a hot journal (`_roll_back`),
which any open for writing does first.

What "data was here" means: the data folder keeps a small identity file beside the
database (`desk-identity.json`: desk, office, when last seen) written at every good start,
and any backup in the data folder counts too. A missing or empty database with either of
those beside it is a loss to report, never a new desk.

When the whole file is read: `PRAGMA quick_check` reads every page, about 4 s a gigabyte
here, so minutes for a desk of a million dossiers (5 GB) if it ran at every start. It runs
when it can matter: the file is small (under a second), the last session did not end
cleanly (a `-wal` file left behind: SQLite removes it when the last connection closes),
no whole-file check passed in the last week, or the last one failed. Damage between starts
is still caught within hours: every automatic backup reads every page of a snapshot and
runs `integrity_check` on it (app/services/backup.py), and records its verdict here.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

MIGRATIONS_VERSIONS = Path(__file__).resolve().parent / "migrations" / "versions"
IDENTITY_FILENAME = "desk-identity.json"
SQLITE_MAGIC = b"SQLite format 3\x00"
#: The last whole-file check's verdict, beside the database (see the module note).
CHECK_FILENAME = "desk-check.json"
#: Below this size the whole-file check runs at every start (about a second here).
FULL_CHECK_BELOW = 256 * 1024 * 1024
#: A whole-file check at least this often, whatever else happened.
FULL_CHECK_EVERY = timedelta(days=7)

#: Kinds of problem, in the order the check finds them.
GONE = "gone"  # no database file, but a desk lived here
EMPTY = "empty"  # a zero-length file where data was
NOT_SQLITE = "not_sqlite"  # not a SQLite file at all (overwritten, wrong file)
TRUNCATED = "truncated"  # shorter than its own header says
DAMAGED = "damaged"  # PRAGMA quick_check found errors, or SQLite refused to read it
NEWER = "newer"  # made by a newer version of the program
FOREIGN = "foreign"  # another desk's database


@dataclass(frozen=True)
class DbProblem:
    """What is wrong and the evidence; `detail` is for IT (never personal data)."""

    kind: str
    detail: str = ""
    path: Path | None = None
    facts: dict[str, str] = field(default_factory=dict)


def known_revisions() -> set[str]:
    """Every migration this program knows, read from the files (Alembic stays unimported)."""
    out = set()
    for f in MIGRATIONS_VERSIONS.glob("*.py"):
        m = re.search(r'^revision\s*=\s*"([^"]+)"', f.read_text(encoding="utf-8"), re.M)
        if m:
            out.add(m.group(1))
    return out


def read_identity(data_dir: Path) -> dict[str, str] | None:
    try:
        data = json.loads((data_dir / IDENTITY_FILENAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write_identity(data_dir: Path, identity: dict[str, str]) -> None:
    """Remember which desk lives in this folder (only rewritten when it changes)."""
    if read_identity(data_dir) == identity:
        return
    path = data_dir / IDENTITY_FILENAME
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(json.dumps(identity, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)


def read_check(data_dir: Path) -> tuple[datetime, bool] | None:
    """When the last whole-file check ran and whether it passed; None when never."""
    try:
        data = json.loads((data_dir / CHECK_FILENAME).read_text(encoding="utf-8"))
        return datetime.fromisoformat(data["checked_at"]), bool(data["ok"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def record_check(data_dir: Path, ok: bool, at: datetime | None = None) -> None:
    """Remember a whole-file check's verdict (start-up check or a backup's snapshot)."""
    path = data_dir / CHECK_FILENAME
    tmp = path.with_name(path.name + ".part")
    when = (at or datetime.now(UTC)).isoformat()
    try:
        tmp.write_text(json.dumps({"checked_at": when, "ok": ok}), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # a read-only folder: the next start simply checks the whole file again


def full_check_reason(path: Path, data_dir: Path, now: datetime | None = None) -> str | None:
    """Why this start must read the whole file ("small", "unclean", "never", "failed",
    "stale"), or None when the last week's checks and a clean shutdown vouch for it."""
    if path.stat().st_size < FULL_CHECK_BELOW:
        return "small"
    # A read-only open leaves an empty -wal behind; a writer that died leaves frames in it.
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return "unclean"
    last = read_check(data_dir)
    if last is None:
        return "never"
    at, ok = last
    if not ok:
        return "failed"
    if (now or datetime.now(UTC)) - at > FULL_CHECK_EVERY:
        return "stale"
    return None


def _roll_back(path: Path) -> bool:
    """Roll back a hot journal, as SQLite does at the first open for writing; True when
    there was one (the last session did not end cleanly: the file is then read whole).

    Why: a desk runs in WAL, but a large demo seed writes under the rollback journal
    (app.models.db.rollback_journal), and one killed midway leaves `-journal` beside the
    file. A read-only connection cannot roll it back, so it could read nothing ("attempt to
    write a readonly database") and the check called a sound file damaged. Only a file
    with SQLite's header is opened; a failure is left to the read-only check to name."""
    journal = path.with_name(path.name + "-journal")
    try:
        if not journal.exists() or journal.stat().st_size == 0:
            return False
        with path.open("rb") as f:
            if f.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
                return False
        con = sqlite3.connect(path, timeout=10)
    except (OSError, sqlite3.Error):
        return False
    try:
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error:
        pass
    finally:
        con.close()
    return True


def _header_problem(path: Path, size: int) -> DbProblem | None:
    with path.open("rb") as f:
        header = f.read(100)
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        return DbProblem(NOT_SQLITE, "no SQLite header", path)
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # The page count in the header is valid only when "version-valid-for" matches the
    # change counter (SQLite file format §1.3.7).
    if header[92:96] == header[24:28] and pages and size < pages * page_size:
        return DbProblem(
            TRUNCATED,
            f"file has {size} bytes, its header says {pages} pages of {page_size}",
            path,
            {"size": str(size), "expected": str(pages * page_size)},
        )
    return None


def check_database(
    path: Path, data_dir: Path | None = None, *, now: datetime | None = None
) -> DbProblem | None:
    """None when the database at `path` may be opened; else what is wrong with it."""
    data_dir = data_dir or path.parent
    identity = read_identity(data_dir)
    had_data = identity is not None or any(data_dir.glob("backups/*.sqlite3"))
    if not path.exists():
        return DbProblem(GONE, "database file missing", path) if had_data else None
    size = path.stat().st_size
    if size == 0:
        wal = path.with_name(path.name + "-wal")
        if had_data or (wal.exists() and wal.stat().st_size > 0):
            return DbProblem(EMPTY, "zero-length database file", path)
        return None
    unclean = _roll_back(path)
    size = path.stat().st_size  # (a rollback gives back the pages past the file's old end)
    problem = _header_problem(path, size)
    if problem is not None:
        return problem
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    except sqlite3.Error as exc:
        return DbProblem(DAMAGED, str(exc), path)
    try:
        if unclean or full_check_reason(path, data_dir, now) is not None:
            rows = [r[0] for r in con.execute("PRAGMA quick_check(20)")]
            record_check(data_dir, rows == ["ok"], now)
            if rows != ["ok"]:
                return DbProblem(DAMAGED, "; ".join(rows[:5]), path)
        has_version = con.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        revision = None
        if has_version:
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
        if revision is not None and revision not in known_revisions():
            return DbProblem(
                NEWER, f"schema revision {revision} is unknown here", path, {"revision": revision}
            )
        if identity and identity.get("desk_id"):
            desk_id = None
            if con.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='settings'"
            ).fetchone():
                row = con.execute("SELECT value FROM settings WHERE key='desk.id'").fetchone()
                desk_id = row[0] if row else None
            if desk_id != identity["desk_id"]:
                return DbProblem(
                    FOREIGN if desk_id else EMPTY,
                    "the database belongs to another desk"
                    if desk_id
                    else "the database holds no desk where one was",
                    path,
                    {"expected_desk": identity["desk_id"], "found_desk": desk_id or ""},
                )
    except sqlite3.DatabaseError as exc:
        record_check(data_dir, False, now)
        return DbProblem(DAMAGED, str(exc), path)
    finally:
        con.close()
    return None
