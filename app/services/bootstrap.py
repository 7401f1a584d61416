"""Opening a desk's database: check, create, migrate, seed the bundled catalogue and calendar.

Called at every start, by the window and by every command, so a desk never needs a person
to upgrade it; each step is a no-op when already done. Before anything writes, the file is
checked (app/models/dbcheck.py): a damaged, truncated, emptied, foreign or newer database
stops the start with `DatabaseProblem`, which names the problem and the ways out, and
nothing is overwritten.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.config import DB_FILENAME
from app.domain.errors import DomainError
from app.domain.messages import register, tr
from app.models.db import make_engine, make_session_factory, open_database, sqlite_url
from app.models.dbcheck import DbProblem, check_database, read_identity, write_identity
from app.services.calendar_service import seed_bundled_calendar
from app.services.catalogue_service import load_bundled_catalogue
from app.services.context import DeskContext, get_setting

register(
    {
        "db.gone": {
            "vi": "Không tìm thấy cơ sở dữ liệu của quầy {desk} ({path}), dù máy này đã "
            "làm việc. Chương trình KHÔNG tạo cơ sở dữ liệu mới thay thế.",
            "en": "The database of desk {desk} ({path}) is missing although this PC has "
            "worked before. The program did NOT create a new one in its place.",
        },
        "db.empty": {
            "vi": "Cơ sở dữ liệu {path} đang rỗng (0 byte hoặc không còn thông tin quầy) "
            "trong khi trước đây có dữ liệu. Không có gì bị ghi đè.",
            "en": "The database {path} is empty (zero bytes or no desk in it) where data "
            "was before. Nothing was overwritten.",
        },
        "db.not_sqlite": {
            "vi": "Tệp {path} không phải cơ sở dữ liệu SQLite (bị ghi đè hoặc nhầm tệp).",
            "en": "The file {path} is not a SQLite database (overwritten or a wrong file).",
        },
        "db.truncated": {
            "vi": "Cơ sở dữ liệu {path} bị cắt cụt (tệp ngắn hơn chính nó ghi nhận: {detail}).",
            "en": "The database {path} is truncated (shorter than it says it is: {detail}).",
        },
        "db.damaged": {
            "vi": "Cơ sở dữ liệu {path} bị hỏng (kiểm tra quick_check: {detail}).",
            "en": "The database {path} is damaged (quick_check: {detail}).",
        },
        "db.newer": {
            "vi": "Cơ sở dữ liệu {path} do phiên bản chương trình mới hơn tạo ra "
            "(lược đồ {detail}). Hãy cài phiên bản mới hơn; phiên bản này không mở nó.",
            "en": "The database {path} was made by a newer version of the program "
            "(schema {detail}). Install the newer version; this one will not open it.",
        },
        "db.foreign": {
            "vi": "Cơ sở dữ liệu {path} là của một quầy khác, không phải quầy {desk} "
            "của máy này.",
            "en": "The database {path} belongs to another desk, not to this PC's desk {desk}.",
        },
        "db.choice.restore": {
            "vi": "Khôi phục bản sao lưu tốt gần nhất ({when}): onestop restore \"{file}\"",
            "en": "Restore the latest good backup ({when}): onestop restore \"{file}\"",
        },
        "db.choice.no_backup": {
            "vi": "Chưa có bản sao lưu nào trong {dir}; nếu có bản sao lưu ở nơi khác (USB, "
            "thư mục mạng): onestop restore <tệp>",
            "en": "No backup in {dir}; with a backup elsewhere (USB, network share): "
            "onestop restore <file>",
        },
        "db.choice.salvage": {
            "vi": "Mở chỉ đọc và xuất phần dữ liệu còn đọc được ra CSV: "
            "onestop salvage --out <thư mục>",
            "en": "Open read-only and export what is still readable to CSV: "
            "onestop salvage --out <folder>",
        },
        "db.choice.central": {
            "vi": "Quầy đã kết nối máy chủ {url}: dựng lại dữ liệu từ máy chủ (các hồ sơ đã "
            "đồng bộ): onestop rebuild-from-central",
            "en": "This desk was paired with {url}: rebuild from the central (the synced "
            "dossiers): onestop rebuild-from-central",
        },
        "db.choice.upgrade": {
            "vi": "Cài phiên bản chương trình mới hơn (khuyến nghị).",
            "en": "Install the newer version of the program (recommended).",
        },
    }
)


@dataclass(frozen=True)
class DatabaseProblemInfo:
    problem: DbProblem
    message: str
    choices: tuple[str, ...]
    latest_backup: Path | None
    #: The central this desk was paired with ("" when never): it can rebuild from there.
    central_url: str = ""


class DatabaseProblem(DomainError):
    """The desk database cannot be used as it is; `info` says why and what can be done."""

    def __init__(self, info: DatabaseProblemInfo) -> None:
        self.info = info
        super().__init__(f"db.{info.problem.kind}", info.message)


def describe(problem: DbProblem, data_dir: Path) -> DatabaseProblemInfo:
    """The message and the choices a person gets for `problem` (screen and CLI alike)."""
    from app.services.backup import backup_dir, last_good_backup

    ident = read_identity(data_dir) or {}
    desk = ident.get("desk_name") or ident.get("desk_id") or "?"
    message = tr(
        f"db.{problem.kind}", path=str(problem.path), detail=problem.detail, desk=desk
    )
    second = ident.get("backup_second_dir")
    latest = last_good_backup(data_dir, Path(second) if second else None)
    choices = []
    if problem.kind == "newer":
        choices.append(tr("db.choice.upgrade"))
    if latest is not None:
        when = latest.taken_at.strftime("%d/%m/%Y %H:%M UTC")
        choices.append(tr("db.choice.restore", when=when, file=str(latest.path)))
    else:
        choices.append(tr("db.choice.no_backup", dir=str(backup_dir(data_dir))))
    if ident.get("central_url"):
        choices.append(tr("db.choice.central", url=ident["central_url"]))
    if problem.kind not in ("gone", "not_sqlite"):
        choices.append(tr("db.choice.salvage"))
    return DatabaseProblemInfo(
        problem,
        message,
        tuple(choices),
        latest.path if latest is not None else None,
        ident.get("central_url") or "",
    )


def check_desk_database(data_dir: Path) -> None:
    """Raise `DatabaseProblem` when the desk database must not be opened as it is."""
    problem = check_database(data_dir / DB_FILENAME, data_dir)
    if problem is not None:
        raise DatabaseProblem(describe(problem, data_dir))


def remember_identity(ctx: DeskContext) -> None:
    """Write the identity file beside the database (see app/models/dbcheck.py)."""
    if ctx.data_dir is None:
        return
    with ctx.read() as s:
        desk_id = get_setting(s, "desk.id")
        if not desk_id:
            return
        from app.services.setup import current_desk

        desk = current_desk(s)
        ident = {
            "desk_id": desk_id,
            "desk_name": desk.desk_name if desk else "",
            "office_code": desk.office_code if desk else "",
            "central_url": get_setting(s, "sync.central_url"),
            "backup_second_dir": get_setting(s, "backup.second_dir"),
        }
    # A read-only folder is reported by the database itself soon enough.
    with contextlib.suppress(OSError):
        write_identity(ctx.data_dir, ident)


def open_desk(data_dir: Path, *, synchronous: str = "FULL", check: bool = True) -> DeskContext:
    path = data_dir / DB_FILENAME
    if check:
        check_desk_database(data_dir)
    engine, sessions = open_database(path, synchronous=synchronous)
    reader = make_engine(sqlite_url(path), synchronous=synchronous, immediate=False)
    ctx = DeskContext(
        engine=engine, sessions=sessions, data_dir=data_dir, readers=make_session_factory(reader)
    )
    with ctx.transaction() as s:
        load_bundled_catalogue(s)
        seed_bundled_calendar(s)
        # From the first action on, dates use the guarded clock (the last offset measured).
        from app.services.guard import correction_s

        ctx.clock_correction_s = correction_s(s, ctx.now())
    remember_identity(ctx)

    # The identity file follows the database (setup, pairing, settings: whoever commits a
    # change to one of context.IDENTITY_KEYS), so the start-up check can tell a lost or
    # foreign database from a new desk.
    @event.listens_for(sessions, "after_commit")
    def _identity_follows(session: Session) -> None:
        if session.info.pop("identity_changed", False):
            remember_identity(ctx)

    return ctx
