"""Backups that restore: online copies of the desk database, checked, rotated, restorable.

A live WAL database is never copied as a file (the copy can miss the WAL or catch a page
mid-write): SQLite's online backup API reads one consistent snapshot while officers keep
writing. Each copy is written as `.part`, turned into a single self-contained file
(journal_mode=DELETE), passed through `PRAGMA integrity_check`, and only then given its
final name, so a file named `desk-….sqlite3` in a backup folder is always a good one.

Copies go to `<data folder>/backups` and, when an administrator chose one, to a second
place (USB stick, network share); a missing second place is reported, never fatal.
Restore refuses a damaged or foreign file, and keeps the current database aside first.
"""

from __future__ import annotations

import contextlib
import csv
import logging
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.config import DB_FILENAME
from app.domain.errors import DomainError, FieldError, ValidationFailed
from app.domain.messages import register, tr
from app.models.dbcheck import (
    DAMAGED,
    FOREIGN,
    NEWER,
    NOT_SQLITE,
    DbProblem,
    check_database,
    known_revisions,
    read_identity,
    record_check,
)
from app.services.context import DeskContext, get_setting, set_setting
from app.services.digitise import FILES_DIRNAME, FileStore, mirror_files

log = logging.getLogger(__name__)

BACKUP_DIRNAME = "backups"
#: Rotation: the newest KEEP_LAST copies, plus the newest copy of each of the last
#: KEEP_DAYS days (a fault noticed a week late still has a copy from before it).
KEEP_LAST = 10
KEEP_DAYS = 14
#: The status bar warns when the newest good backup is older than this.
WARN_AFTER = timedelta(days=1)
_NAME = re.compile(r"^desk-(\d{8}T\d{6}(?:\d{6})?Z)-([a-z-]+)\.sqlite3$")

register(
    {
        "backup.bad_file": {
            "vi": "Không dùng được tệp sao lưu {name}: {why}",
            "en": "The backup {name} cannot be used: {why}",
        },
        "backup.why.not_sqlite": {
            "vi": "không phải tệp cơ sở dữ liệu.",
            "en": "it is not a database file.",
        },
        "backup.why.damaged": {"vi": "tệp bị hỏng ({d}).", "en": "the file is damaged ({d})."},
        "backup.why.newer": {
            "vi": "tệp do phiên bản chương trình mới hơn tạo ra.",
            "en": "it was made by a newer version of the program.",
        },
        "backup.why.foreign": {
            "vi": "tệp là dữ liệu của quầy khác.",
            "en": "it is another desk's data.",
        },
        "backup.why.missing": {"vi": "không tìm thấy tệp.", "en": "the file does not exist."},
        "backup.no_dir": {
            "vi": "Không ghi được vào thư mục sao lưu {dir}: {why}",
            "en": "Cannot write to the backup folder {dir}: {why}",
        },
        "backup.db_missing": {
            "vi": "Chưa có cơ sở dữ liệu để sao lưu.",
            "en": "There is no database to back up.",
        },
    }
)


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime
    reason: str
    size: int


@dataclass(frozen=True)
class BackupReport:
    """One backup round: the copies made and the places that failed (with why)."""

    made: tuple[BackupInfo, ...]
    failed: tuple[tuple[Path, str], ...]


def backup_dir(data_dir: Path) -> Path:
    return data_dir / BACKUP_DIRNAME


def _stamp(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def _parse(path: Path) -> BackupInfo | None:
    m = _NAME.match(path.name)
    if not m:
        return None
    raw = m.group(1)
    fmt = "%Y%m%dT%H%M%S%fZ" if len(raw) > 16 else "%Y%m%dT%H%M%SZ"
    try:
        at = datetime.strptime(raw, fmt).replace(tzinfo=UTC)
        size = path.stat().st_size
    except (ValueError, OSError):
        return None
    return BackupInfo(path, at, m.group(2), size)


def list_backups(*folders: Path | None) -> list[BackupInfo]:
    """Finished backups in the folders, newest first (`.part` files are not backups)."""
    out = []
    for folder in folders:
        if folder is None or not folder.is_dir():
            continue
        for p in folder.glob("desk-*.sqlite3"):
            info = _parse(p)
            if info is not None:
                out.append(info)
    return sorted(out, key=lambda b: b.taken_at, reverse=True)


def _copy_online(src_path: Path, dest: Path) -> None:
    """SQLite's backup API: a consistent snapshot of a live database, writers unblocked."""
    src = sqlite3.connect(f"file:{src_path}?mode=ro", uri=True, timeout=30)
    try:
        dst = sqlite3.connect(dest)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            dst.commit()
        finally:
            dst.close()
    finally:
        src.close()


def integrity_problem(path: Path) -> str | None:
    """None when `PRAGMA integrity_check` says ok; else its first findings."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = [r[0] for r in con.execute("PRAGMA integrity_check(20)")]
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return None if rows == ["ok"] else "; ".join(rows[:5])


def take_backup(
    data_dir: Path,
    reason: str = "manual",
    second: Path | None = None,
    *,
    now: datetime | None = None,
) -> BackupReport:
    """Back the desk database up to the data folder and `second`; rotate each folder."""
    db = data_dir / DB_FILENAME
    if not db.exists() or db.stat().st_size == 0:
        raise DomainError("backup.db_missing", tr("backup.db_missing"))
    at = now or datetime.now(UTC)
    made, failed = [], []
    for folder in (backup_dir(data_dir), second):
        if folder is None:
            continue
        final = folder / f"desk-{_stamp(at)}-{reason}.sqlite3"
        part = final.with_name(final.name + ".part")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            _copy_online(db, part)
            problem = integrity_problem(part)
            # The snapshot read every page of the desk database: its verdict stands for a
            # whole-file check, so the next start need not read 5 GB again (dbcheck.py).
            record_check(data_dir, problem is None, at)
            if problem is not None:
                raise OSError(f"integrity_check: {problem}")
            part.replace(final)
        except (OSError, sqlite3.Error) as exc:
            if isinstance(exc, sqlite3.DatabaseError) and "malformed" in str(exc):
                record_check(data_dir, False, at)  # the desk database itself is damaged
            with contextlib.suppress(OSError):
                part.unlink(missing_ok=True)
            failed.append((folder, str(exc)))
            log.warning("backup to %s failed: %s", folder, exc)
            continue
        made.append(BackupInfo(final, at, reason, final.stat().st_size))
        rotate(folder, now=at)
        _backup_files(data_dir, folder, failed)
    return BackupReport(tuple(made), tuple(failed))


def _backup_files(data_dir: Path, folder: Path, failed: list[tuple[Path, str]]) -> None:
    """The digitised files (issue 16) beside the database copies: one content-addressed
    store per backup folder, only added to (a file never changes under its name)."""
    src = data_dir / FILES_DIRNAME
    if not src.is_dir():
        return
    try:
        mirror_files(FileStore(src), FileStore(folder / FILES_DIRNAME))
    except OSError as exc:
        failed.append((folder, str(exc)))
        log.warning("backup of the digitised files to %s failed: %s", folder, exc)


def rotate(folder: Path, *, now: datetime | None = None) -> list[Path]:
    """Delete what the rotation rule does not keep; returns the deleted files."""
    backups = list_backups(folder)
    keep = {b.path for b in backups[:KEEP_LAST]}
    now = now or datetime.now(UTC)
    seen_days: set[str] = set()
    for b in backups:  # newest first: the first of each day is that day's newest
        day = b.taken_at.date().isoformat()
        if now - b.taken_at <= timedelta(days=KEEP_DAYS) and day not in seen_days:
            seen_days.add(day)
            keep.add(b.path)
    gone = []
    for b in backups:
        if b.path not in keep:
            b.path.unlink(missing_ok=True)
            gone.append(b.path)
    return gone


def last_good_backup(data_dir: Path, second: Path | None = None) -> BackupInfo | None:
    backups = list_backups(backup_dir(data_dir), second)
    return backups[0] if backups else None


def backup_age(
    data_dir: Path, second: Path | None = None, now: datetime | None = None
) -> timedelta | None:
    """Age of the newest good backup; None when there is none."""
    last = last_good_backup(data_dir, second)
    if last is None:
        return None
    return (now or datetime.now(UTC)) - last.taken_at


def verify_backup(path: Path, data_dir: Path) -> None:
    """Refuse (DomainError) a backup that is damaged, newer, foreign, or not a database."""
    problem: DbProblem | None
    if not path.is_file():
        why = tr("backup.why.missing")
        raise DomainError("backup.bad_file", tr("backup.bad_file", name=path.name, why=why))
    problem = check_database(path, data_dir)
    if problem is None:
        detail = integrity_problem(path)
        problem = DbProblem(DAMAGED, detail, path) if detail else None
    if problem is None:
        return
    why = {
        NOT_SQLITE: tr("backup.why.not_sqlite"),
        NEWER: tr("backup.why.newer"),
        FOREIGN: tr("backup.why.foreign"),
    }.get(problem.kind) or tr("backup.why.damaged", d=problem.detail)
    raise DomainError("backup.bad_file", tr("backup.bad_file", name=path.name, why=why))


def backup_officers(path: Path) -> list[tuple[str, str, str, bool]]:
    """(username, password hash, role, active) as stored in a backup file, read-only: who
    may restore is decided by the accounts of the data being restored when the current
    database cannot be read."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [
            (u, h, r, bool(a))
            for u, h, r, a in con.execute(
                "SELECT username, password_hash, role, active FROM officers"
            )
        ]
    finally:
        con.close()


def move_aside(db: Path, at: datetime) -> Path:
    """Rename the database (and its WAL/SHM) out of the way; never delete it."""
    aside = db.with_name(f"{db.name}.before-restore-{_stamp(at)}")
    for suffix in ("", "-wal", "-shm"):
        p = db.with_name(db.name + suffix)
        if p.exists():
            p.replace(aside.with_name(aside.name + suffix))
    return aside


def restore(data_dir: Path, backup: Path, *, now: datetime | None = None) -> Path:
    """Put `backup` in place of the desk database; returns where the old one was kept.

    The caller checked who asks (an administrator) and that no engine holds the
    database open. The old database is renamed aside (a readable one is also backed up
    first, so it shows in the backup list); the backup is copied in through the backup API
    and checked again before the desk uses it.
    """
    at = now or datetime.now(UTC)
    verify_backup(backup, data_dir)
    db = data_dir / DB_FILENAME
    if db.exists() and db.stat().st_size > 0 and check_database(db, data_dir) is None:
        take_backup(data_dir, "before-restore", now=at)
    aside = move_aside(db, at)
    part = db.with_name(db.name + ".part")
    _copy_online(backup, part)
    problem = integrity_problem(part)
    if problem is not None:  # pragma: no cover - the backup passed the same check above
        part.unlink(missing_ok=True)
        raise DomainError("backup.bad_file", tr("backup.bad_file", name=backup.name, why=problem))
    con = sqlite3.connect(part)
    try:
        con.execute("PRAGMA journal_mode=WAL")
    finally:
        con.close()
    part.replace(db)
    files = backup.parent / FILES_DIRNAME
    if files.is_dir():  # digitised files the restored events name and the desk lacks
        mirror_files(FileStore(files), FileStore(data_dir / FILES_DIRNAME))
    log.info("restored the desk database from %s; the previous one is %s", backup.name, aside)
    return aside


def restore_as(
    data_dir: Path, backup: Path, username: str, password: str, *, now: datetime | None = None
) -> Path:
    """`restore`, for an administrator only (screen and command line alike).

    Who is an administrator is read from the current database when it is sound, else from
    the backup being restored (a damaged database cannot answer, and the backup's accounts
    are the ones that will be in force)."""
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError

    from app.services import setup
    from app.services.bootstrap import open_desk

    verify_backup(backup, data_dir)
    db = data_dir / DB_FILENAME
    if db.exists() and db.stat().st_size > 0 and check_database(db, data_dir) is None:
        ctx = open_desk(data_dir)
        try:
            officer = setup.authenticate(ctx, username, password)
            with ctx.transaction() as s:
                setup.require(s, officer.id if officer else None, "restore")
        finally:
            ctx.close()
    else:
        allowed = False
        for name, pw_hash, role, active in backup_officers(backup):
            if name == username.strip().lower() and active and role == "administrator":
                try:
                    allowed = PasswordHasher().verify(pw_hash, password)
                except (VerificationError, InvalidHashError):
                    allowed = False
        if not allowed:
            what = tr("auth.what.restore")
            raise setup.Forbidden(
                "auth.forbidden",
                tr("auth.forbidden", roles=tr("auth.role.administrator"), what=what),
            )
    return restore(data_dir, backup, now=now)


@dataclass(frozen=True)
class SalvageReport:
    tables: dict[str, int]
    errors: dict[str, str]


def salvage(db: Path, out_dir: Path) -> SalvageReport:
    """Open a damaged database read-only and write every row still readable to CSV, table
    by table. `immutable=1`: SQLite writes nothing, not even WAL recovery."""
    out_dir.mkdir(parents=True, exist_ok=True)
    tables: dict[str, int] = {}
    errors: dict[str, str] = {}
    con = sqlite3.connect(f"file:{db}?mode=ro&immutable=1", uri=True)
    # Read-only, so nothing is written; it lets SQLite list the tables even when part of
    # the schema's pages are gone (a truncated file), instead of refusing them all.
    con.execute("PRAGMA writable_schema=ON")
    try:
        try:
            names = [
                r[0]
                for r in con.execute(
                    "SELECT name FROM sqlite_master WHERE type='table' "
                    "AND name NOT LIKE 'sqlite_%'"
                )
            ]
        except sqlite3.DatabaseError as exc:
            return SalvageReport({}, {"sqlite_master": str(exc)})
        for name in names:
            count = 0
            try:
                cur = con.execute(f'SELECT * FROM "{name}"')
                with (out_dir / f"{name}.csv").open("w", newline="", encoding="utf-8") as f:
                    w = csv.writer(f)
                    w.writerow([d[0] for d in cur.description])
                    for row in cur:
                        w.writerow(row)
                        count += 1
            except sqlite3.DatabaseError as exc:
                errors[name] = str(exc)
            tables[name] = count
    finally:
        con.close()
    return SalvageReport(tables, errors)


def identity_desk(data_dir: Path) -> str | None:
    ident = read_identity(data_dir)
    return ident.get("desk_id") if ident else None


__all__ = [
    "BackupInfo",
    "BackupReport",
    "backup_age",
    "backup_dir",
    "known_revisions",
    "last_good_backup",
    "list_backups",
    "restore",
    "salvage",
    "take_backup",
    "verify_backup",
]


# -- what the window needs (plain data; roles checked here, not in the screen) ------------


@dataclass(frozen=True)
class BackupStatus:
    last: BackupInfo | None
    age_s: float | None
    second_dir: str
    every_hours: float
    #: No good backup, or the newest is older than WARN_AFTER: the status bar warns.
    stale: bool
    backups: tuple[BackupInfo, ...]


def _desk_backup_settings(ctx: DeskContext) -> tuple[str, float]:
    with ctx.read() as s:
        second = get_setting(s, "backup.second_dir")
        try:
            every = float(get_setting(s, "backup.every_hours") or 0)
        except ValueError:
            every = 4.0
    return second, every


def backup_status(ctx: DeskContext) -> BackupStatus:
    assert ctx.data_dir is not None
    second, every = _desk_backup_settings(ctx)
    backups = list_backups(backup_dir(ctx.data_dir), Path(second) if second else None)
    last = backups[0] if backups else None
    age = (datetime.now(UTC) - last.taken_at).total_seconds() if last else None
    stale = age is None or age > WARN_AFTER.total_seconds()
    return BackupStatus(last, age, second, every, stale, tuple(backups))


def auto_backup(ctx: DeskContext, reason: str) -> BackupReport:
    """The automatic rounds (start, every N hours, sign-out): data folder + second place."""
    assert ctx.data_dir is not None
    second, _every = _desk_backup_settings(ctx)
    return take_backup(ctx.data_dir, reason, Path(second) if second else None)


def set_second_dir(ctx: DeskContext, actor_id: str | None, folder: str) -> None:
    """An administrator chooses the second place; it must be a folder we can write to."""
    from app.services.setup import require

    folder = folder.strip()
    if folder:
        p = Path(folder)
        probe = p / ".onestop-write-test"
        try:
            p.mkdir(parents=True, exist_ok=True)
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            raise ValidationFailed(
                [FieldError("second_dir", "backup.no_dir",
                            tr("backup.no_dir", dir=folder, why=exc.strerror or str(exc)))]
            ) from exc
    with ctx.transaction() as s:
        require(s, actor_id, "backup")
        set_setting(s, "backup.second_dir", folder)
