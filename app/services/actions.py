"""Lifecycle actions on an existing dossier, and the dossier's full view.

Each action is one transaction: the lifecycle check, the event, its outbox entry and the
projection. A refused action raises DomainError or ValidationFailed and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.catalogue import Procedure
from app.domain.errors import DomainError, FieldError, ValidationFailed
from app.domain.lifecycle import EventType, allowed_actions, check_action, event_label, status_label
from app.domain.messages import register, tr
from app.domain.text import nfc
from app.models import Desk, Dossier, Event, Officer, ProcedureVersion
from app.services import guard
from app.services.calendar_service import load_calendar
from app.services.context import DeskContext
from app.services.event_log import record_event
from app.services.setup import current_desk

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
FEEDBACK_INDICES = ("1", "3", "4", "7")  # Circular 01/2018 Art. 13-14: scored per dossier
PRINT_FORMS = (
    "receipt",
    "receipt-80mm",
    "supplement",
    "refusal",
    "apology",
    "stop",
    "control",
    "logbook",
)

register(
    {
        "action.receiver_id": {"vi": "số định danh", "en": "ID number"},
        "action.receiver_authorised": {
            "vi": "nhận thay theo giấy ủy quyền",
            "en": "collecting for the applicant under authorisation",
        },
        "action.reason_required": {"vi": "Cần ghi rõ lý do.", "en": "A reason is required."},
        "action.not_found": {"vi": "Không tìm thấy hồ sơ {ref}.", "en": "Dossier {ref} not found."},
        "action.no_desk": {
            "vi": "Máy này chưa được thiết lập làm quầy tiếp nhận.",
            "en": "This computer is not set up as a reception desk yet.",
        },
        "action.consignment_required": {
            "vi": "Cần số hiệu bưu gửi khi trả kết quả qua bưu chính.",
            "en": "The consignment number is needed to return by post.",
        },
        "action.new_date_after": {
            "vi": "Ngày hẹn mới phải sau ngày hẹn cũ ({old}): hẹn lại là để gia hạn "
            "(NĐ 61/2018 Điều 19 khoản 9).",
            "en": "The new date must be after the current appointment ({old}): a new "
            "appointment extends the time limit (Decree 61/2018 Art. 19(9)).",
        },
        "action.new_date_future": {
            "vi": "Ngày hẹn mới phải sau hôm nay ({today}): người nộp được báo trước ngày "
            "hẹn mới (NĐ 61/2018 Điều 19 khoản 9).",
            "en": "The new date must be after today ({today}): the applicant is told before "
            "the new date (Decree 61/2018 Art. 19(9)).",
        },
        "action.new_date_workday": {
            "vi": "Ngày hẹn mới phải là ngày làm việc; {day} là ngày nghỉ (Bộ luật Lao động "
            "Điều 111, 112 và lịch nghỉ của cơ quan).",
            "en": "The new date must be a working day; {day} is a day off (Labour Code "
            "Art. 111–112 and the office's calendar).",
        },
        "action.apology_late": {
            "vi": "Văn bản xin lỗi, hẹn lại lập ngày {today}, sau hạn chậm nhất {latest} (01 "
            "ngày làm việc trước ngày hẹn cũ {old}, NĐ 61/2018 Điều 19 khoản 9): vẫn lập "
            "được nhưng được ghi và in là gửi muộn.",
            "en": "The apology and new date are made on {today}, after the latest day "
            "{latest} (01 working day before the old date {old}, Decree 61/2018 Art. 19(9)): "
            "still allowed, but recorded and printed as late.",
        },
        "action.supplement_late": {
            "vi": "Đã quá thời hạn yêu cầu bổ sung: hôm nay là ngày làm việc thứ {n} kể từ "
            "ngày tiếp nhận {received}, quá 03 ngày làm việc (NĐ 61/2018 Điều 19 khoản 4). "
            "Yêu cầu vẫn được ghi nhận là muộn.",
            "en": "The time for asking for a supplement has passed: today is working day {n} "
            "after receipt on {received}, beyond 03 working days (Decree 61/2018 Art. 19(4)). "
            "The request is still recorded, as late.",
        },
        "action.feedback_index": {
            "vi": "Chỉ số {index} phải là 0, 1 hoặc 2.",
            "en": "Index {index} must be 0, 1 or 2.",
        },
        "action.print_form": {"vi": "Mẫu in không hợp lệ: {form}.", "en": "Unknown form: {form}."},
    }
)


def _load(session: Session, ref: str) -> Dossier:
    d = session.get(Dossier, ref) or session.scalar(select(Dossier).where(Dossier.code == ref))
    if d is None:
        raise DomainError("action.not_found", tr("action.not_found", ref=ref))
    return d


def dossier_time_limit(
    session: Session, d: Dossier, procedure: Procedure | None
) -> tuple[int, str, str | None]:
    """The limit a dossier runs under: as recorded when it was created, else the catalogue's."""
    first = session.scalar(
        select(Event)
        .where(Event.dossier_id == d.id, Event.type.in_(("received", "supplement_requested")))
        .order_by(Event.occurred_at, Event.desk_seq)
        .limit(1)
    )
    recorded = first.payload.get("time_limit") if first is not None else None
    if isinstance(recorded, dict) and isinstance(recorded.get("value"), int):
        return recorded["value"], str(recorded["unit"]), recorded.get("article")
    if procedure is not None:
        return procedure.time_limit.for_filer(None)
    pv = session.get(ProcedureVersion, d.procedure_version_id)
    assert pv is not None
    return pv.time_limit_value, pv.time_limit_unit, None


def _act(
    ctx: DeskContext,
    ref: str,
    etype: EventType,
    payload: dict[str, Any],
    check: Any = None,
) -> str:
    with ctx.transaction() as s:
        desk = current_desk(s)
        if desk is None:
            raise DomainError("action.no_desk", tr("action.no_desk"))
        d = _load(s, ref)
        check_action(d.status, etype, rescheduled=d.rescheduled, has_feedback=d.feedback_given)
        if check is not None:
            check(s, d)
        ev, _ = record_event(
            s,
            desk_id=desk.desk_id,
            office_id=d.office_id,
            dossier_id=d.id,
            type=etype.value,
            payload=payload,
            officer_id=ctx.officer_id,
            occurred_at=guard.desk_now(ctx, s),
        )
        return ev.id


def _reason(reason: str) -> str:
    text = nfc(reason)
    if not text:
        raise ValidationFailed(
            [FieldError("reason", "action.reason_required", tr("action.reason_required"))]
        )
    return text


def transfer(ctx: DeskContext, ref: str, to_agency: str = "", note: str = "") -> str:
    return _act(ctx, ref, EventType.TRANSFERRED, {"to": nfc(to_agency), "note": nfc(note)})


def result_ready(ctx: DeskContext, ref: str, note: str = "") -> str:
    return _act(ctx, ref, EventType.RESULT_READY, {"note": nfc(note)})


def return_at_desk(ctx: DeskContext, ref: str, receiver: str = "") -> str:
    return _act(ctx, ref, EventType.RETURNED, {"receiver": nfc(receiver)})


def return_to(
    ctx: DeskContext, ref: str, name: str, id_number: str = "", authorisation: str = ""
) -> str:
    """The result handed over at the desk, recording who collected it (issue 10): their
    name, ID number and, for someone collecting on the citizen's behalf, the authorisation
    (number and date). Kept as one line in the event's `receiver`."""
    from app.domain.identifiers import validate_citizen_id, validate_full_name

    errors = validate_full_name(name, field="receiver_name")
    errors += validate_citizen_id(id_number, field="receiver_id") if id_number.strip() else []
    if errors:
        raise ValidationFailed(errors)
    line = nfc(name)
    if id_number.strip():
        line += f" — {tr('action.receiver_id', 'vi')} {nfc(id_number)}"
    if authorisation.strip():
        line += f" — {tr('action.receiver_authorised', 'vi')} {nfc(authorisation)}"
    return return_at_desk(ctx, ref, line)


def return_by_post(ctx: DeskContext, ref: str, consignment_no: str) -> str:
    no = nfc(consignment_no).upper()
    if not no:
        raise ValidationFailed(
            [
                FieldError(
                    "consignment_no",
                    "action.consignment_required",
                    tr("action.consignment_required"),
                )
            ]
        )
    return _act(ctx, ref, EventType.POSTED, {"consignment_no": no})


#: Working days after receipt within which a supplement may be asked (Decree 61 Art. 19(4)).
SUPPLEMENT_DAYS = 3


def _today(ctx: DeskContext) -> date:
    return ctx.now().astimezone(ZONE).date()


def _supplement_late(s: Session, d: Dossier, today: date) -> str | None:
    received = d.effective_receipt_date or d.received_at.astimezone(ZONE).date()
    n = load_calendar(s).working_days_between(received, today)
    if n <= SUPPLEMENT_DAYS:
        return None
    return tr("action.supplement_late", n=n, received=received.strftime("%d/%m/%Y"))


def supplement_warning(ctx: DeskContext, ref: str) -> str | None:
    """The warning to show before asking for a supplement, or None when still in time."""
    with ctx.read() as s:
        return _supplement_late(s, _load(s, ref), _today(ctx))


def request_supplement(ctx: DeskContext, ref: str, reason: str, missing: list[str]) -> str:
    """After assessment (Decree 61 Art. 19(4)); the time limit restarts on full receipt.

    Asked after the third working day from receipt it is still recorded (the applicant
    must not lose the dossier for the office's delay) but marked late in the event.
    """
    text = _reason(reason)
    with ctx.read() as s:
        late = _supplement_late(s, _load(s, ref), _today(ctx)) is not None
    payload: dict[str, Any] = {"reason": text, "missing": [nfc(m) for m in missing]}
    if late:
        payload["late"] = True
    return _act(ctx, ref, EventType.SUPPLEMENT_REQUESTED, payload)


def refuse(ctx: DeskContext, ref: str, reason: str) -> str:
    return _act(ctx, ref, EventType.REFUSED, {"reason": _reason(reason)})


def cancel(ctx: DeskContext, ref: str, reason: str) -> str:
    return _act(ctx, ref, EventType.CANCELLED, {"reason": _reason(reason)})


def stop(ctx: DeskContext, ref: str, reason: str) -> str:
    """The applicant withdraws: the office stops settling the dossier and notifies them
    with form 05 of Circular 03/2025 ("Thông báo dừng giải quyết hồ sơ"); the officer
    records the reason (the applicant's request, and anything else that matters)."""
    return _act(ctx, ref, EventType.STOPPED, {"reason": _reason(reason)})


def apology_deadline(s: Session, d: Dossier) -> date | None:
    """The last day the apology and new date may be made on time: 01 working day before
    the current due date (Decree 61/2018 Art. 19(9))."""
    if d.due_date is None:
        return None
    return load_calendar(s).add_working_days(d.due_date, -1)  # type: ignore[no-any-return]


def reschedule_warning(ctx: DeskContext, ref: str) -> str | None:
    """The warning to show before rescheduling, or None when the apology is in time."""
    with ctx.read() as s:
        d = _load(s, ref)
        latest, today = apology_deadline(s, d), _today(ctx)
        if latest is None or today <= latest or d.due_date is None:
            return None
        return tr(
            "action.apology_late",
            today=today.strftime("%d/%m/%Y"),
            latest=latest.strftime("%d/%m/%Y"),
            old=d.due_date.strftime("%d/%m/%Y"),
        )


def reschedule(ctx: DeskContext, ref: str, new_date: date, reason: str) -> str:
    """Set a new appointment, once only (Decree 61 Art. 19(9)); prints as form 04.

    The new date is later than the current one and than today, and a working day. An
    apology made later than one working day before the old date is still allowed but
    recorded (and printed) as late.
    """
    text = _reason(reason)
    today = _today(ctx)
    payload: dict[str, Any] = {"new_due_date": new_date.isoformat(), "reason": text}

    def check(s: Session, d: Dossier) -> None:
        errors: list[FieldError] = []
        if d.due_date is not None and new_date <= d.due_date:
            old = d.due_date.strftime("%d/%m/%Y")
            errors.append(
                FieldError(
                    "new_date", "action.new_date_after", tr("action.new_date_after", old=old)
                )
            )
        if new_date <= today:
            errors.append(
                FieldError(
                    "new_date",
                    "action.new_date_future",
                    tr("action.new_date_future", today=today.strftime("%d/%m/%Y")),
                )
            )
        if not load_calendar(s).is_working_day(new_date):
            errors.append(
                FieldError(
                    "new_date",
                    "action.new_date_workday",
                    tr("action.new_date_workday", day=new_date.strftime("%d/%m/%Y")),
                )
            )
        if errors:
            raise ValidationFailed(errors)
        latest = apology_deadline(s, d)
        if latest is not None and today > latest:
            payload["late"] = True

    return _act(ctx, ref, EventType.APPOINTMENT_CHANGED, payload, check)


def record_feedback(
    ctx: DeskContext, ref: str, scores: dict[str, int], channel: str = "desk"
) -> str:
    """The applicant's rating on indices 1, 3, 4 and 7; no officer or rater is stored with it.

    Circular 01/2018 Art. 27(3) asks for confidentiality of those who give feedback: the
    event carries the scores and the channel only.
    """
    errors = [
        FieldError(f"index_{k}", "action.feedback_index", tr("action.feedback_index", index=k))
        for k in FEEDBACK_INDICES
        if scores.get(k) not in (0, 1, 2)
    ]
    if errors:
        raise ValidationFailed(errors)
    payload = {"scores": {k: int(scores[k]) for k in FEEDBACK_INDICES}, "channel": channel}
    officer, ctx.officer_id = ctx.officer_id, None
    try:
        return _act(ctx, ref, EventType.FEEDBACK_GIVEN, payload)
    finally:
        ctx.officer_id = officer


def record_print(ctx: DeskContext, ref: str, form: str, *, copy: bool, synced: bool) -> str:
    """Every print is an event, so the history shows what paper the applicant holds."""
    if form not in PRINT_FORMS:
        raise ValidationFailed(
            [FieldError("form", "action.print_form", tr("action.print_form", form=form))]
        )
    return _act(ctx, ref, EventType.PRINTED, {"form": form, "copy": copy, "synced": synced})


@dataclass(frozen=True)
class EventView:
    id: str
    type: str
    label: str
    occurred_at: datetime
    officer: str
    desk_id: str
    sync_state: str
    reject_reason: str | None
    payload: dict[str, Any]
    desk_name: str = ""  # "" when the desk is not known here (another office's desk)


@dataclass(frozen=True)
class ComponentView:
    component_code: str
    name_vi: str
    form_code: str | None
    copy_kind: str
    quantity: int
    name_en: str = ""  # from the catalogue version, for English screens; papers use name_vi


@dataclass(frozen=True)
class DossierDetail:
    id: str
    code: str
    status: str
    status_label: str
    procedure_code: str
    procedure_name: str
    catalogue_version: str
    time_limit_value: int
    time_limit_unit: str
    applicant: dict[str, Any]
    channel: str
    return_method: str
    return_address: str
    consignment_no: str | None
    sets_count: int
    received_at: datetime
    effective_receipt_date: date | None
    due_date: date | None
    original_due_date: date | None
    rescheduled: bool
    feedback_given: bool
    log_book: tuple[int, int, int]
    note: str
    conflict: bool
    components: list[ComponentView]
    events: list[EventView]
    actions: list[str]
    has_unsynced: bool
    procedure_name_en: str = ""  # for English screens (papers are always Vietnamese)


def get_detail(ctx: DeskContext, ref: str) -> DossierDetail:
    with ctx.read() as s:
        d = _load(s, ref)
        pv = s.get(ProcedureVersion, d.procedure_version_id)
        assert pv is not None
        events = sorted(
            s.scalars(select(Event).where(Event.dossier_id == d.id)),
            key=lambda e: (e.occurred_at, e.desk_seq),
        )
        names = dict(s.execute(select(Officer.id, Officer.full_name)).all())
        desks = dict(s.execute(select(Desk.id, Desk.name)).all())
        limit = dossier_time_limit(s, d, None)
        views = [
            EventView(
                e.id,
                e.type,
                event_label(e.type),
                e.occurred_at,
                names.get(e.officer_id, "") if e.officer_id else "",
                e.desk_id,
                e.sync_state,
                e.reject_reason,
                dict(e.payload),
                desks.get(e.desk_id, ""),
            )
            for e in events
        ]
        from app.services.catalogue_service import domain_procedure

        english = {c.code: c.name_en for c in domain_procedure(pv).components}
        return DossierDetail(
            id=d.id,
            code=d.code,
            status=d.status,
            status_label=status_label(d.status),
            procedure_code=d.procedure_code,
            procedure_name=pv.name_vi,
            catalogue_version=d.catalogue_version,
            time_limit_value=limit[0],
            time_limit_unit=limit[1],
            applicant={
                "full_name": d.full_name,
                "id_number": d.id_number,
                "social_insurance_no": d.social_insurance_no,
                "hi_card_no": d.hi_card_no,
                "date_of_birth": d.date_of_birth,
                "sex": d.sex,
                "phone": d.phone,
                "email": d.email,
                "province_code": d.province_code,
                "commune_code": d.commune_code,
                "address": d.address,
            },
            channel=d.channel,
            return_method=d.return_method,
            return_address=d.return_address,
            consignment_no=d.consignment_no,
            sets_count=d.sets_count,
            received_at=d.received_at,
            effective_receipt_date=d.effective_receipt_date,
            due_date=d.due_date,
            original_due_date=d.original_due_date,
            rescheduled=d.rescheduled,
            feedback_given=d.feedback_given,
            log_book=(d.log_book_year, d.log_book_volume, d.log_book_entry),
            note=d.note,
            conflict=d.conflict,
            components=[
                ComponentView(
                    c.component_code,
                    c.name_vi,
                    c.form_code,
                    c.copy_kind,
                    c.quantity,
                    english.get(c.component_code, ""),
                )
                for c in d.components
            ],
            events=views,
            actions=[
                a.value
                for a in allowed_actions(
                    d.status, rescheduled=d.rescheduled, has_feedback=d.feedback_given
                )
            ],
            has_unsynced=any(e.sync_state != "accepted" for e in events),
            procedure_name_en=pv.name_en or "",
        )
