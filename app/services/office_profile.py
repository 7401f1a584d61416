"""Reading and saving the office profile (app.domain.office), and what a form still lacks.

Asked at first run and edited later by an administrator only (the rule lives here, so the
command line cannot bypass it). A form never prints an empty placeholder: `missing_for`
names what must be filled in before a form can print, and the renderers leave out a line
whose value is optional and empty.
"""

from __future__ import annotations

from datetime import time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.errors import DomainError, FieldError, ValidationFailed
from app.domain.messages import register, tr
from app.domain.office import (
    OfficeProfile,
    default_lines,
    default_place,
    district_word,
    validate_profile,
)
from app.models import Office, Officer
from app.services.context import DeskContext
from app.services.setup import current_desk, require

register(
    {
        "office.no_desk": {
            "vi": "Máy này chưa được thiết lập làm quầy tiếp nhận.",
            "en": "This computer is not set up as a reception desk yet.",
        },
        "office.incomplete": {
            "vi": "Thông tin đơn vị còn thiếu ({fields}): quản trị viên cần bổ sung trong "
            "Cài đặt › Thông tin đơn vị trước khi in.",
            "en": "The office details are incomplete ({fields}): an administrator must fill "
            "them in under Settings › Office details before printing.",
        },
        "office.field.governing_line": {"vi": "cơ quan chủ quản", "en": "governing body"},
        "office.field.office_line": {"vi": "tên đơn vị trên tiêu đề", "en": "header office line"},
        "office.field.place_name": {"vi": "địa danh", "en": "place name"},
        "office.field.return_hour": {"vi": "giờ trả kết quả", "en": "return hour"},
        "office.field.district": {
            "vi": "tiêu đề còn ghi cấp huyện",
            "en": "the header still names a district",
        },
    }
)


def _hour(text: str) -> time | None:
    try:
        return time.fromisoformat(text) if text else None
    except ValueError:
        return None


def profile_of(office: Office) -> OfficeProfile:
    return OfficeProfile(
        kind=office.kind,
        unit_name=office.name,
        governing_line=office.parent_name,
        office_line=office.header_line,
        province_code=office.province_code,
        commune_code=office.commune_code,
        place_name=office.place_name,
        address=office.address,
        hotline=office.hotline,
        contact_phone=office.phone,
        return_hour=_hour(office.return_hour),
    )


def _office(session: Session) -> Office:
    desk = current_desk(session)
    office = session.get(Office, desk.office_id) if desk else None
    if office is None:
        raise DomainError("office.no_desk", tr("office.no_desk"))
    return office


def get_profile(ctx: DeskContext) -> OfficeProfile:
    with ctx.read() as s:
        return profile_of(_office(s))


def save_profile(ctx: DeskContext, profile: OfficeProfile, actor_id: str | None) -> OfficeProfile:
    """Validate and store; an administrator only, except at first run (no officer yet)."""
    p = profile.normalised()
    errors = validate_profile(p)
    if errors:
        raise ValidationFailed(errors)
    with ctx.transaction() as s:
        if s.scalar(select(func.count(Officer.id))):
            require(s, actor_id, "office_profile")
        office = _office(s)
        office.kind, office.name = p.kind, p.unit_name
        office.parent_name, office.header_line = p.governing_line, p.office_line
        office.province_code, office.commune_code = p.province_code, p.commune_code
        office.place_name, office.address = p.place_name, p.address
        office.hotline, office.phone = p.hotline, p.contact_phone
        office.return_hour = p.return_hour.strftime("%H:%M") if p.return_hour else ""
    return p


def suggest(
    kind: str,
    *,
    province_name: str,
    province_full_name: str,
    commune_full_name: str,
    unit_name: str,
) -> tuple[str, str, str]:
    """(governing line, office line, place name) suggested for these names."""
    gov, line = default_lines(
        kind,
        province_full_name=province_full_name,
        commune_full_name=commune_full_name,
        unit_name=unit_name,
    )
    return gov, line, default_place(province_name, commune_full_name)


def missing_for_print(p: OfficeProfile) -> list[str]:
    """What a citizen's paper needs from the profile and does not have (field keys)."""
    missing = [
        f for f in ("governing_line", "office_line", "place_name") if not getattr(p, f).strip()
    ]
    if p.return_hour is None:
        missing.append("return_hour")
    if district_word(p.governing_line) or district_word(p.office_line):
        missing.append("district")
    return missing


def check_printable(p: OfficeProfile) -> None:
    """Refuse to print with a blank or outdated header, naming what to fill in."""
    missing = missing_for_print(p)
    if missing:
        names = ", ".join(tr(f"office.field.{f}") for f in missing)
        raise ValidationFailed(
            [FieldError("office", "office.incomplete", tr("office.incomplete", fields=names))]
        )
