"""Setting a desk up: its office, itself and its officers.

The first start (UI) and `seed-demo` both come here, so a desk is configured one way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from app.domain.dossier_code import FALLBACK_SLOTS, is_valid_agency_code
from app.domain.errors import DomainError, FieldError, ValidationFailed
from app.domain.messages import register, tr
from app.domain.text import nfc
from app.models import Desk, Office, Officer
from app.services.context import DeskContext, get_setting, set_setting

ROLES = ("officer", "supervisor", "administrator")
_hasher = PasswordHasher()

register(
    {
        "setup.agency_code": {
            "vi": "Mã đơn vị phải theo QCVN 102:2016/BTTTT, ví dụ 000.00.31.H56.",
            "en": "The unit code must follow QCVN 102:2016/BTTTT, e.g. 000.00.31.H56.",
        },
        "setup.required": {"vi": "Không được để trống.", "en": "Required."},
        "setup.slot": {
            "vi": "Số thứ tự quầy phải từ 1 đến {max} và chưa quầy nào dùng.",
            "en": "The desk number must be 1 to {max} and not used by another desk.",
        },
        "setup.username_taken": {
            "vi": "Tên đăng nhập đã có người dùng.",
            "en": "That username is taken.",
        },
        "setup.password_short": {
            "vi": "Mật khẩu cần ít nhất 8 ký tự.",
            "en": "The password needs at least 8 characters.",
        },
        "setup.role": {"vi": "Vai trò không hợp lệ.", "en": "Unknown role."},
        "auth.forbidden": {
            "vi": "Chỉ {roles} mới được {what}.",
            "en": "Only {roles} may {what}.",
        },
        "auth.role.administrator": {"vi": "quản trị viên", "en": "an administrator"},
        "auth.role.supervisor": {
            "vi": "giám sát viên hoặc quản trị viên",
            "en": "a supervisor or an administrator",
        },
        "auth.what.manage_officers": {"vi": "quản lý cán bộ", "en": "manage officers"},
        "auth.what.backup": {"vi": "sao lưu dữ liệu", "en": "back up the data"},
        "auth.what.restore": {"vi": "khôi phục dữ liệu", "en": "restore the data"},
        "auth.what.revoke": {
            "vi": "thu hồi hoặc cấp lại quyền quầy",
            "en": "revoke or reinstate a desk",
        },
        "auth.what.override": {"vi": "cho phép vượt giới hạn", "en": "override a limit"},
        "auth.what.postal_setup": {
            "vi": "đặt các cơ quan quầy bưu điện phục vụ và biểu cước bưu chính",
            "en": "set the agencies a post-office desk serves and the postal fee table",
        },
        "auth.what.postal_resolve": {
            "vi": "giải quyết biên bản giao nhận được ký nhận hai lần",
            "en": "resolve a hand-over record signed twice",
        },
        "auth.what.office_profile": {
            "vi": "sửa thông tin đơn vị in trên phiếu",
            "en": "edit the office details printed on papers",
        },
        "auth.self_lock": {
            "vi": "Không thể tự khoá tài khoản đang đăng nhập.",
            "en": "You cannot lock the account you are signed in with.",
        },
        "auth.self_demote": {
            "vi": "Không thể tự bỏ quyền quản trị của chính mình.",
            "en": "You cannot remove your own administrator role.",
        },
        "auth.unknown_officer": {"vi": "Không có cán bộ này.", "en": "No such officer."},
        "auth.throttled": {
            "vi": "Sai mật khẩu nhiều lần: chờ {seconds} giây rồi thử lại.",
            "en": "Too many wrong passwords: wait {seconds} seconds and try again.",
        },
        "auth.wrong_password": {
            "vi": "Mật khẩu hiện tại không đúng.",
            "en": "The current password is wrong.",
        },
        "auth.same_password": {
            "vi": "Mật khẩu mới phải khác mật khẩu cũ.",
            "en": "The new password must differ from the old one.",
        },
    }
)


@dataclass(frozen=True)
class DeskIdentity:
    office_id: str
    office_code: str
    office_name: str
    desk_id: str
    desk_name: str
    slot: int


@dataclass(frozen=True)
class OfficerInfo:
    id: str
    username: str
    full_name: str
    role: str
    active: bool
    #: An administrator chose this password: the officer must pick their own first.
    must_change_password: bool = False


#: Wrong passwords allowed in a row before sign-in starts to wait.
FREE_ATTEMPTS = 5
#: First wait after the free attempts; it doubles with each further failure, up to the cap.
THROTTLE_FIRST_S = 30
THROTTLE_MAX_S = 15 * 60

#: Which roles a permission needs (checked here, so the command line cannot bypass them).
PERMISSIONS: dict[str, tuple[str, ...]] = {
    "manage_officers": ("administrator",),
    "backup": ("administrator",),
    "restore": ("administrator",),
    "revoke": ("administrator",),
    "override": ("supervisor", "administrator"),
    "office_profile": ("administrator",),
    "postal_setup": ("administrator",),
    "postal_resolve": ("supervisor", "administrator"),
}


class SignInThrottled(DomainError):
    """Too many wrong passwords in a row: no sign-in for `seconds`, right password or not."""

    def __init__(self, seconds: int) -> None:
        self.seconds = seconds
        super().__init__("auth.throttled", tr("auth.throttled", seconds=seconds))


class Forbidden(DomainError):
    """The acting officer's role does not allow this."""


_IDENTITY = (
    select(Office.id, Office.code, Office.name, Desk.id, Desk.name, Desk.slot)
    .join(Office, Office.id == Desk.office_id)
    .where(Desk.id == bindparam("desk_id"))
)


def current_desk(session: Session) -> DeskIdentity | None:
    """This database's desk and office, in one statement built once (every intake asks)."""
    desk_id = get_setting(session, "desk.id")
    if not desk_id:
        return None
    session.flush()  # a desk or office changed in this transaction reads as changed
    row = session.connection().execute(_IDENTITY, {"desk_id": desk_id}).first()
    return DeskIdentity(*row) if row is not None else None


def ensure_office(session: Session, *, code: str, name: str, **fields: str) -> Office:
    office = session.scalar(select(Office).where(Office.code == code))
    if office is None:
        office = Office(code=code, name=nfc(name), **{k: nfc(v) for k, v in fields.items()})
        session.add(office)
        session.flush()
    return office


def setup_desk(
    ctx: DeskContext,
    *,
    office_code: str,
    office_name: str,
    desk_name: str,
    slot: int = 1,
    office_fields: dict[str, str] | None = None,
) -> DeskIdentity:
    """Create (or reuse) the office and make this database the desk `desk_name`."""
    errors = []
    office_code = office_code.strip().upper()
    if not is_valid_agency_code(office_code):
        errors.append(FieldError("office_code", "setup.agency_code", tr("setup.agency_code")))
    if not nfc(office_name):
        errors.append(FieldError("office_name", "setup.required", tr("setup.required")))
    if not nfc(desk_name):
        errors.append(FieldError("desk_name", "setup.required", tr("setup.required")))
    if not 1 <= slot <= FALLBACK_SLOTS:
        errors.append(FieldError("slot", "setup.slot", tr("setup.slot", max=FALLBACK_SLOTS)))
    if errors:
        raise ValidationFailed(errors)
    with ctx.transaction() as s:
        office = ensure_office(s, code=office_code, name=office_name, **(office_fields or {}))
        taken = s.scalar(select(Desk).where(Desk.office_id == office.id, Desk.slot == slot))
        if taken is not None and taken.id != get_setting(s, "desk.id"):
            raise ValidationFailed(
                [FieldError("slot", "setup.slot", tr("setup.slot", max=FALLBACK_SLOTS))]
            )
        desk = taken or Desk(office_id=office.id, name=nfc(desk_name), slot=slot)
        s.add(desk)
        s.flush()
        set_setting(s, "desk.id", desk.id)
        set_setting(s, "desk.office_id", office.id)
        identity = DeskIdentity(office.id, office.code, office.name, desk.id, desk.name, desk.slot)
    return identity  # the identity file is written as the transaction ends (context.py)


def desk_identity(ctx: DeskContext) -> DeskIdentity | None:
    with ctx.read() as s:
        return current_desk(s)


def _officer_info(o: Officer) -> OfficerInfo:
    return OfficerInfo(
        o.id, o.username, o.full_name, o.role, o.active, bool(o.must_change_password)
    )


def require(session: Session, actor_id: str | None, permission: str) -> Officer:
    """The acting officer, if active and allowed `permission`; else `Forbidden`."""
    roles = PERMISSIONS[permission]
    actor = session.get(Officer, actor_id) if actor_id else None
    if actor is None or not actor.active or actor.role not in roles:
        who = "auth.role.administrator" if roles == ("administrator",) else "auth.role.supervisor"
        what = tr(f"auth.what.{permission}")
        raise Forbidden("auth.forbidden", tr("auth.forbidden", roles=tr(who), what=what))
    return actor


def may(ctx: DeskContext, actor_id: str | None, permission: str) -> bool:
    """Whether `actor_id` holds `permission` (for screens that only ask, never decide)."""
    with ctx.read() as s:
        try:
            require(s, actor_id, permission)
        except Forbidden:
            return False
        return True


def has_officers(ctx: DeskContext) -> bool:
    with ctx.read() as s:
        return bool(s.scalar(select(func.count(Officer.id))))


def needs_first_run(ctx: DeskContext) -> bool:
    """No desk identity yet, or no officer to sign in: the first-run wizard is due."""
    return desk_identity(ctx) is None or not has_officers(ctx)


def add_officer(
    ctx: DeskContext,
    *,
    username: str,
    full_name: str,
    password: str,
    role: str = "officer",
    actor_id: str | None = None,
    must_change_password: bool = False,
) -> OfficerInfo:
    """Add an account. The first account of a desk needs no actor (first run); every later
    one needs an administrator as `actor_id`, from the screen and the command line alike."""
    username = username.strip().lower()
    errors = []
    if not username:
        errors.append(FieldError("username", "setup.required", tr("setup.required")))
    if not nfc(full_name):
        errors.append(FieldError("full_name", "setup.required", tr("setup.required")))
    if len(password) < 8:
        errors.append(FieldError("password", "setup.password_short", tr("setup.password_short")))
    if role not in ROLES:
        errors.append(FieldError("role", "setup.role", tr("setup.role")))
    with ctx.transaction() as s:
        if s.scalar(select(func.count(Officer.id))):
            require(s, actor_id, "manage_officers")
        if username and s.scalar(select(Officer.id).where(Officer.username == username)):
            errors.append(
                FieldError("username", "setup.username_taken", tr("setup.username_taken"))
            )
        if errors:
            raise ValidationFailed(errors)
        desk = current_desk(s)
        if desk is None:
            raise ValidationFailed([FieldError("desk", "setup.required", tr("setup.required"))])
        officer = Officer(
            office_id=desk.office_id,
            username=username,
            full_name=nfc(full_name),
            password_hash=_hasher.hash(password),
            role=role,
            must_change_password=must_change_password,
        )
        s.add(officer)
        s.flush()
        return _officer_info(officer)


def _wait_seconds(failures: int) -> int:
    extra = failures - FREE_ATTEMPTS
    if extra < 0:
        return 0
    return int(min(THROTTLE_FIRST_S * 2**extra, THROTTLE_MAX_S))


def authenticate(ctx: DeskContext, username: str, password: str) -> OfficerInfo | None:
    """The officer if the password matches an active account, else None (no detail why).

    Wrong passwords in a row are counted on the account: after `FREE_ATTEMPTS` every try
    waits longer (`SignInThrottled`, even with the right password), so a shared desk PC
    cannot be used to guess a colleague's password. A right password resets the count.
    """
    now = ctx.now()
    with ctx.transaction() as s:
        officer = s.scalar(select(Officer).where(Officer.username == username.strip().lower()))
        if officer is None or not officer.active:
            return None
        if officer.blocked_until is not None and officer.blocked_until > now:
            raise SignInThrottled(int((officer.blocked_until - now).total_seconds()) + 1)
        try:
            _hasher.verify(officer.password_hash, password)
        except (VerificationError, InvalidHashError):
            officer.failed_logins += 1
            wait = _wait_seconds(officer.failed_logins)
            officer.blocked_until = now + timedelta(seconds=wait) if wait else None
            return None
        if officer.failed_logins or officer.blocked_until is not None:
            officer.failed_logins = 0
            officer.blocked_until = None
        return _officer_info(officer)


def change_password(ctx: DeskContext, officer_id: str, old: str, new: str) -> OfficerInfo:
    """The officer changes their own password (also the forced change after a reset)."""
    errors = []
    if len(new) < 8:
        errors.append(FieldError("password", "setup.password_short", tr("setup.password_short")))
    elif new == old:
        errors.append(FieldError("password", "auth.same_password", tr("auth.same_password")))
    with ctx.transaction() as s:
        officer = s.get(Officer, officer_id)
        if officer is None or not officer.active:
            raise DomainError("auth.unknown_officer", tr("auth.unknown_officer"))
        try:
            _hasher.verify(officer.password_hash, old)
        except (VerificationError, InvalidHashError):
            errors.insert(
                0, FieldError("old_password", "auth.wrong_password", tr("auth.wrong_password"))
            )
        if errors:
            raise ValidationFailed(errors)
        officer.password_hash = _hasher.hash(new)
        officer.must_change_password = False
        return _officer_info(officer)


def reset_password(
    ctx: DeskContext, actor_id: str | None, officer_id: str, new: str
) -> OfficerInfo:
    """An administrator sets a temporary password; the officer must change it at sign-in.

    Also lifts a sign-in throttle, which is how a locked-out officer gets back in.
    """
    if len(new) < 8:
        raise ValidationFailed(
            [FieldError("password", "setup.password_short", tr("setup.password_short"))]
        )
    with ctx.transaction() as s:
        require(s, actor_id, "manage_officers")
        officer = s.get(Officer, officer_id)
        if officer is None:
            raise DomainError("auth.unknown_officer", tr("auth.unknown_officer"))
        officer.password_hash = _hasher.hash(new)
        officer.must_change_password = officer.id != actor_id
        officer.failed_logins = 0
        officer.blocked_until = None
        return _officer_info(officer)


def officer_by_username(ctx: DeskContext, username: str) -> OfficerInfo | None:
    with ctx.read() as s:
        o = s.scalar(select(Officer).where(Officer.username == username.strip().lower()))
        return _officer_info(o) if o is not None else None


def list_officers(ctx: DeskContext) -> list[OfficerInfo]:
    with ctx.read() as s:
        return [_officer_info(o) for o in s.scalars(select(Officer).order_by(Officer.username))]


def set_officer_active(
    ctx: DeskContext,
    officer_id: str,
    active: bool,
    role: str | None = None,
    *,
    actor_id: str | None,
) -> None:
    """Lock/unlock an account or change its role: administrators only, and never their
    own account (an administrator who locks or demotes themself may leave none)."""
    with ctx.transaction() as s:
        require(s, actor_id, "manage_officers")
        officer = s.get(Officer, officer_id)
        if officer is None:
            raise DomainError("auth.unknown_officer", tr("auth.unknown_officer"))
        if officer.id == actor_id and not active:
            raise DomainError("auth.self_lock", tr("auth.self_lock"))
        if officer.id == actor_id and role is not None and role != officer.role:
            raise DomainError("auth.self_demote", tr("auth.self_demote"))
        officer.active = active
        if role is not None:
            if role not in ROLES:
                raise ValidationFailed([FieldError("role", "setup.role", tr("setup.role"))])
            officer.role = role
