"""Setting a desk up: its office, itself and its officers.

The first start (UI) and `seed-demo` both come here, so a desk is configured one way.
"""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.dossier_code import FALLBACK_SLOTS, is_valid_agency_code
from app.domain.errors import FieldError, ValidationFailed
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


def current_desk(session: Session) -> DeskIdentity | None:
    desk_id = get_setting(session, "desk.id")
    desk = session.get(Desk, desk_id) if desk_id else None
    if desk is None:
        return None
    office = session.get(Office, desk.office_id)
    assert office is not None
    return DeskIdentity(office.id, office.code, office.name, desk.id, desk.name, desk.slot)


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
        return DeskIdentity(office.id, office.code, office.name, desk.id, desk.name, desk.slot)


def desk_identity(ctx: DeskContext) -> DeskIdentity | None:
    with ctx.read() as s:
        return current_desk(s)


def _officer_info(o: Officer) -> OfficerInfo:
    return OfficerInfo(o.id, o.username, o.full_name, o.role, o.active)


def has_officers(ctx: DeskContext) -> bool:
    with ctx.read() as s:
        return bool(s.scalar(select(func.count(Officer.id))))


def add_officer(
    ctx: DeskContext, *, username: str, full_name: str, password: str, role: str = "officer"
) -> OfficerInfo:
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
        )
        s.add(officer)
        s.flush()
        return _officer_info(officer)


def authenticate(ctx: DeskContext, username: str, password: str) -> OfficerInfo | None:
    """The officer if the password matches an active account, else None (no detail why)."""
    with ctx.read() as s:
        officer = s.scalar(select(Officer).where(Officer.username == username.strip().lower()))
        if officer is None or not officer.active:
            return None
        try:
            _hasher.verify(officer.password_hash, password)
        except (VerificationError, InvalidHashError):
            return None
        return _officer_info(officer)


def list_officers(ctx: DeskContext) -> list[OfficerInfo]:
    with ctx.read() as s:
        return [_officer_info(o) for o in s.scalars(select(Officer).order_by(Officer.username))]


def set_officer_active(
    ctx: DeskContext, officer_id: str, active: bool, role: str | None = None
) -> None:
    with ctx.transaction() as s:
        officer = s.get(Officer, officer_id)
        if officer is None:
            return
        officer.active = active
        if role is not None:
            if role not in ROLES:
                raise ValidationFailed([FieldError("role", "setup.role", tr("setup.role"))])
            officer.role = role
