"""Intake at the counter: receive, request a supplement, or refuse, in one transaction.

The officer's three outcomes (Decree 61/2018 Art. 17): a complete dossier is received
(form 01, with code and appointment), an incomplete one gets the full list of what is
missing at once (form 02), a refused one gets its reason (form 03). Each creates the
dossier with its code, so every paper the applicant takes home carries one.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar, cast
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.applicant import Applicant, validate_applicant
from app.domain.catalogue import FILERS, Procedure
from app.domain.completeness import CompletenessResult, HandedIn, check_completeness, describe
from app.domain.errors import DomainError, FieldError, ValidationFailed
from app.domain.lifecycle import EventType
from app.domain.messages import register, tr
from app.domain.text import nfc
from app.models import Dossier, Event, new_id
from app.services.actions import _load, dossier_time_limit
from app.services.calendar_service import cutoff_setting, load_calendar
from app.services.catalogue_service import current_procedure, current_version, domain_procedure
from app.services.codes import allocate_code
from app.services.context import DeskContext, next_counter
from app.services.event_log import is_paired, record_created, record_event
from app.services.projection import FoldLookup, find_procedure_version
from app.services.setup import current_desk

CHANNELS = ("desk", "post", "online", "interconnected")
RETURN_METHODS = ("desk", "post", "online")
OUTCOMES = ("receive", "supplement", "refuse")
ZONE = "Asia/Ho_Chi_Minh"
_ZONE = ZoneInfo(ZONE)

register(
    {
        "intake.incomplete": {
            "vi": "Hồ sơ chưa đủ thành phần: {missing}. Hãy yêu cầu bổ sung thay vì tiếp nhận.",
            "en": "The dossier is incomplete: {missing}. Request a supplement instead.",
        },
        "intake.complete": {
            "vi": "Hồ sơ đã đủ thành phần; hãy tiếp nhận thay vì yêu cầu bổ sung.",
            "en": "The dossier is complete; receive it instead of requesting a supplement.",
        },
        "intake.undecided": {
            "vi": "Chưa xác định thành phần nào áp dụng: {names}. Hãy chọn Có/Không áp dụng.",
            "en": "Not yet decided whether these apply: {names}. Choose applies or not.",
        },
        "intake.reason": {"vi": "Cần ghi rõ lý do từ chối.", "en": "A refusal needs a reason."},
        "intake.channel": {"vi": "Kênh tiếp nhận không hợp lệ.", "en": "Unknown channel."},
        "intake.return_method": {
            "vi": "Hình thức trả kết quả không hợp lệ.",
            "en": "Unknown way of returning the result.",
        },
        "intake.sets": {"vi": "Số bộ hồ sơ phải từ 1 đến 99.", "en": "Sets must be 1 to 99."},
        "intake.item": {
            "vi": "Thành phần hồ sơ không hợp lệ: {detail}",
            "en": "Invalid component line: {detail}",
        },
        "intake.filer": {
            "vi": "Thủ tục này có thời hạn khác nhau theo người nộp ({article}): hãy chọn "
            "người nộp là đơn vị sử dụng lao động hay người lao động tự nộp.",
            "en": "This procedure's time limit depends on who files ({article}): choose the "
            "employer or the worker filing herself.",
        },
        "intake.online_only": {
            "vi": "Thủ tục này chỉ nộp trực tuyến, không nhận hồ sơ giấy tại quầy ({source}). "
            "Nơi nộp: {portal}. {steps} Để ghi nhận việc hỗ trợ, chọn kênh «Trực tuyến».",
            "en": "This procedure is filed online only; the desk takes no paper dossier "
            "({source}). Where: {portal}. {steps} To record an assisted filing, choose the "
            "«Online» channel.",
        },
        "intake.filer_unknown": {
            "vi": "Người nộp không hợp lệ (đơn vị sử dụng lao động hoặc người lao động).",
            "en": "Unknown filer (the employer or the worker).",
        },
        "intake.no_desk": {
            "vi": "Máy này chưa được thiết lập làm quầy tiếp nhận.",
            "en": "This computer is not set up as a reception desk yet.",
        },
    }
)


@dataclass(frozen=True)
class IntakeRequest:
    procedure_code: str
    applicant: Applicant
    items: tuple[HandedIn, ...] = ()
    conditions: dict[str, bool] = field(default_factory=dict)
    outcome: str = "receive"
    reason: str = ""
    channel: str = "desk"
    return_method: str = "desk"
    return_address: str = ""
    consignment_no: str = ""
    sets_count: int = 1
    #: "employer" or "worker" where the catalogue gives each its own time limit, else "".
    filer: str = ""
    #: The legal filing time when it is not now: a dossier received by post counts as
    #: filed when the agency signs the hand-over record (Decision 45/2016 Art. 7), not when
    #: the officer finishes typing it. Receipt time, appointment and code day follow it.
    filed_at: datetime | None = None


@dataclass(frozen=True)
class IntakeResult:
    dossier_id: str
    event_id: str
    code: str
    status: str
    received_at: datetime
    effective_receipt_date: date | None
    due_date: date | None
    completeness: CompletenessResult
    missing_text: tuple[str, ...]
    catalogue_version: str


def check(
    ctx: DeskContext, procedure_code: str, items: tuple[HandedIn, ...], conditions: dict[str, bool]
) -> CompletenessResult:
    """The live completeness state for the intake form (no write)."""
    with ctx.read() as s:
        return check_completeness(
            domain_procedure(current_version(s, procedure_code)), items, conditions
        )


def _undecided(procedure: Procedure, result: CompletenessResult) -> str:
    names = "; ".join(procedure.component(c).name_vi for c in result.unresolved_conditions)
    return tr("intake.undecided", names=names)


def _stated_conditions(session: Session, dossier_id: str) -> dict[str, bool]:
    """The conditions decided at intake (and at any earlier step), oldest first."""
    out: dict[str, bool] = {}
    rows = session.scalars(
        select(Event.payload)
        .where(Event.dossier_id == dossier_id)
        .order_by(Event.occurred_at, Event.desk_seq)
    )
    for payload in rows:
        conds = payload.get("conditions") if isinstance(payload, dict) else None
        if isinstance(conds, dict):
            out.update({str(k): bool(v) for k, v in conds.items()})
    return out


def _validate(req: IntakeRequest, today: date) -> list[FieldError]:
    errors = validate_applicant(req.applicant, today=today)
    if req.channel not in CHANNELS:
        errors.append(FieldError("channel", "intake.channel", tr("intake.channel")))
    if req.return_method not in RETURN_METHODS:
        errors.append(
            FieldError("return_method", "intake.return_method", tr("intake.return_method"))
        )
    if req.return_method == "post" and not nfc(req.return_address or req.applicant.address):
        errors.append(
            FieldError(
                "return_address", "applicant.address_for_post", tr("applicant.address_for_post")
            )
        )
    if not 1 <= req.sets_count <= 99:
        errors.append(FieldError("sets_count", "intake.sets", tr("intake.sets")))
    if req.outcome == "refuse" and not nfc(req.reason):
        errors.append(FieldError("reason", "intake.reason", tr("intake.reason")))
    if req.outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {req.outcome!r}")
    if req.filer and req.filer not in FILERS:
        errors.append(FieldError("filer", "intake.filer_unknown", tr("intake.filer_unknown")))
    return errors


def time_limit_for(procedure: Procedure, filer: str) -> tuple[int, str, str | None]:
    """(value, unit, article) for this dossier; FieldError when the filer must be chosen.

    Law 41/2024 Art. 62(3): maternity is settled in 07 working days from the employer's
    dossier, 05 when the worker files herself, so the appointment follows the filer.
    """
    tl = procedure.time_limit
    if tl.by_filer and filer not in tl.by_filer:
        raise ValidationFailed(
            [FieldError("filer", "intake.filer", tr("intake.filer", article=tl.article or ""))]
        )
    return tl.for_filer(filer)


def _time_limit_payload(value: int, unit: str, article: str | None, filer: str) -> dict[str, Any]:
    return {"value": value, "unit": unit, "article": article, "filer": filer or None}


def _component_lines(procedure: Procedure, items: tuple[HandedIn, ...]) -> list[dict[str, Any]]:
    """What was handed in, with the catalogue's name and form copied into the event."""
    by_code = {c.code: c for c in procedure.components}
    lines = []
    for it in items:
        if it.quantity <= 0:
            continue
        known = by_code.get(it.component_code)
        lines.append(
            {
                "component_code": it.component_code,
                "name_vi": known.name_vi if known else it.component_code,
                "form_code": known.form_code if known else None,
                "copy_kind": it.copy_kind,
                "quantity": it.quantity,
            }
        )
    return lines


# Entry numbers run on through the year for this desk's book (Circular 01/2018 Art. 10):
# each desk keeps its own volume (its slot number), so desks that are offline can never
# give two dossiers the same volume and entry; the counter is the setting
# `logbook.<desk id>.<year>`.


_T = TypeVar("_T")


class _DryRun(Exception):
    """Raised inside the transaction to roll back a warm-up intake."""

    def __init__(self, result: IntakeResult, extra: object = None) -> None:
        self.result = result
        self.extra = extra  # what `before_rollback` returned


def submit(
    ctx: DeskContext,
    req: IntakeRequest,
    *,
    dry_run: bool = False,
    before_rollback: Callable[[Session, Dossier], object] | None = None,
) -> IntakeResult:
    """Validate, check, number and record the dossier; nothing is written on any error.

    `dry_run` does all of it and rolls the transaction back: nothing stays written, no code
    is used up, but every statement has been compiled once (see `warm_up`);
    `before_rollback(session, dossier)` then runs on the dossier not yet rolled back.
    """
    try:
        return _submit(ctx, req, dry_run, before_rollback=before_rollback, guarded=not dry_run)
    except _DryRun as done:
        return done.result


def warm_up(
    ctx: DeskContext, before_rollback: Callable[[Session, Dossier], _T] | None = None
) -> _T | None:
    """One intake, rolled back, so the first citizen's Receive does not pay for compiling
    the statements (issue 10: the first preview after sign-in took 1.6 s); with
    `before_rollback`, the caller warms what follows a Receive (the receipt) on that very
    dossier, so a desk with no dossier yet is warmed as well as one with many. Returns what
    `before_rollback` returned (None when there is nothing to warm)."""
    from app.domain.applicant import Applicant

    with ctx.read() as s:
        from app.models import Procedure as ProcedureRow

        code = s.scalar(select(ProcedureRow.code).order_by(ProcedureRow.code).limit(1))
        if code is None or current_desk(s) is None:
            return None
        procedure = domain_procedure(current_version(s, code))
    items = tuple(HandedIn(c.code, "original", c.quantity) for c in procedure.components)
    conditions = {c.code: True for c in procedure.components if c.conditional}
    applicant = Applicant(full_name="Nguyễn Văn A", id_number="001090000001")
    try:
        _submit(
            ctx,
            IntakeRequest(code, applicant, items, conditions),
            True,
            before_rollback=before_rollback,
        )
    except _DryRun as done:
        return cast("_T | None", done.extra)
    return None


def submit_in(ctx: DeskContext, session: Session, req: IntakeRequest) -> IntakeResult:
    """`submit` inside the caller's transaction (the postal desk records the hand-over row
    with the dossier it creates, all or nothing); the caller runs the guard."""
    return _submit(ctx, req, False, session)


def _submit(
    ctx: DeskContext,
    req: IntakeRequest,
    dry_run: bool,
    session: Session | None = None,
    before_rollback: Callable[[Session, Dossier], object] | None = None,
    guarded: bool = False,
) -> IntakeResult:
    with nullcontext(session) if session is not None else ctx.transaction() as s:
        if guarded:
            from app.services import guard

            # Clock, offline limits, revocation (issue 12), checked in the transaction
            # that writes the dossier, before anything is dated.
            guard.before_intake_in(ctx, s)
        occurred = ctx.now()
        now = req.filed_at or occurred
        local_now = now.astimezone(_ZONE)
        applicant = req.applicant.normalised()
        errors = _validate(req, local_now.date())
        if errors:
            raise ValidationFailed(errors)
        desk = current_desk(s)
        if desk is None:
            raise DomainError("intake.no_desk", tr("intake.no_desk"))
        pv = current_procedure(s, req.procedure_code)
        procedure = pv.procedure
        online = procedure.online_only
        if online is not None and req.channel not in procedure.channels:
            raise ValidationFailed(
                [
                    FieldError(
                        "channel",
                        "intake.online_only",
                        tr(
                            "intake.online_only",
                            source=online.basis_vi,
                            portal=online.portal_vi,
                            steps=online.steps_vi,
                        ),
                    )
                ]
            )
        result = check_completeness(procedure, req.items, req.conditions)
        missing = tuple(describe(sf) for sf in [*result.missing, *result.insufficient])
        # What goes on the supplement request (Mẫu 02) is Vietnamese, whatever the screens.
        missing_vi = tuple(describe(sf, "vi") for sf in [*result.missing, *result.insufficient])
        if req.outcome == "receive" and not result.complete and not missing:
            raise DomainError("intake.undecided", _undecided(procedure, result))
        if req.outcome == "receive" and not result.complete:
            raise DomainError(
                "intake.incomplete", tr("intake.incomplete", missing="; ".join(missing))
            )
        if req.outcome == "supplement" and result.complete:
            raise DomainError("intake.complete", tr("intake.complete"))
        if req.outcome == "supplement" and not missing:
            # Only undecided conditions: a request listing nothing would send the citizen
            # away with no idea what to bring.
            raise DomainError("intake.undecided", _undecided(procedure, result))

        effective = due = None
        limit: dict[str, Any] | None = None
        if req.outcome != "refuse":
            filer = req.filer or procedure.filer_from_conditions(req.conditions) or ""
            value, unit, article = time_limit_for(procedure, filer)
            limit = _time_limit_payload(value, unit, article, filer)
        if req.outcome == "receive":
            assert limit is not None
            appt = load_calendar(s).appointment(
                now,
                limit["value"],
                limit["unit"],
                pv.same_day,
                cutoff=cutoff_setting(s),
            )
            effective, due = appt.effective_receipt_date, appt.due_date
        code = allocate_code(
            s, agency=desk.office_code, day=local_now.date(), slot=desk.slot, paired=is_paired(s)
        )
        components = _component_lines(procedure, req.items)
        payload: dict[str, Any] = {
            "code": code,
            "procedure_code": req.procedure_code,
            "catalogue_version": pv.catalogue_version,
            "applicant": applicant.as_payload(),
            "components": components,
            "conditions": dict(req.conditions),
            "channel": req.channel,
            "return_method": req.return_method,
            "return_address": nfc(req.return_address),
            "consignment_no": nfc(req.consignment_no),
            "sets_count": req.sets_count,
            "received_at": now.isoformat(),
            "effective_receipt_date": effective.isoformat() if effective else None,
            "due_date": due.isoformat() if due else None,
            "log_book": {
                "year": local_now.year,
                "volume": desk.slot,
                "entry": next_counter(s, f"logbook.{desk.desk_id}.{local_now.year}"),
            },
            "reason": nfc(req.reason),
            "missing": list(missing_vi) if req.outcome == "supplement" else [],
        }
        if limit is not None:
            # The limit this dossier runs under (it may depend on the filer), kept with it so
            # the receipt and a later supplement use the same one.
            payload["time_limit"] = limit
        etype = {
            "receive": EventType.RECEIVED,
            "supplement": EventType.SUPPLEMENT_REQUESTED,
            "refuse": EventType.REFUSED,
        }[req.outcome]
        ev, state = record_created(
            s,
            desk_id=desk.desk_id,
            office_id=desk.office_id,
            dossier_id=new_id(),
            type=etype.value,
            payload=payload,
            officer_id=ctx.officer_id,
            occurred_at=occurred,
            # What the fold would look up, known here already: this version, this office.
            lookup=FoldLookup(
                versions={(req.procedure_code, pv.catalogue_version): pv.id},
                offices=(desk.office_id,),
            ),
        )
        out = IntakeResult(
            ev.dossier_id,
            ev.id,
            code,
            state["status"],
            now,
            effective,
            due,
            result,
            missing,
            pv.catalogue_version,
        )
        if dry_run:
            extra = None
            if before_rollback is not None:
                dossier = s.get(Dossier, ev.dossier_id)
                assert dossier is not None
                extra = before_rollback(s, dossier)
            raise _DryRun(out, extra)
        return out


def receive_supplement(
    ctx: DeskContext, ref: str, items: tuple[HandedIn, ...], conditions: dict[str, bool]
) -> IntakeResult:
    """The applicant brings what was missing: the time limit restarts (Art. 19(4))."""
    from app.services import guard

    with ctx.transaction() as s:
        now = guard.desk_now(ctx, s)  # the new due date: never by a clock known wrong
        desk = current_desk(s)
        if desk is None:
            raise DomainError("intake.no_desk", tr("intake.no_desk"))
        d: Dossier = _load(s, ref)
        pv = find_procedure_version(s, d.procedure_code, d.catalogue_version)
        procedure = domain_procedure(pv)
        merged: dict[tuple[str, str], int] = {}
        for c in d.components:
            merged[(c.component_code, c.copy_kind)] = c.quantity
        for it in items:
            merged[(it.component_code, it.copy_kind)] = (
                merged.get((it.component_code, it.copy_kind), 0) + it.quantity
            )
        all_items = tuple(HandedIn(k[0], k[1], q) for k, q in merged.items())
        # What was decided at intake still holds; the officer may decide again now.
        stated = {**_stated_conditions(s, d.id), **conditions}
        result = check_completeness(procedure, all_items, stated)
        missing = tuple(describe(sf) for sf in [*result.missing, *result.insufficient])
        if not result.complete and not missing:
            raise DomainError("intake.undecided", _undecided(procedure, result))
        if not result.complete:
            raise DomainError(
                "intake.incomplete", tr("intake.incomplete", missing="; ".join(missing))
            )
        value, unit, _article = dossier_time_limit(s, d, procedure)
        appt = load_calendar(s).appointment(
            now,
            value,
            unit,  # type: ignore[arg-type]
            pv.same_day,
            cutoff=cutoff_setting(s),
        )
        payload = {
            "received_at": now.isoformat(),
            "effective_receipt_date": appt.effective_receipt_date.isoformat(),
            "due_date": appt.due_date.isoformat(),
            "components": _component_lines(procedure, all_items),
        }
        ev, dossier = record_event(
            s,
            desk_id=desk.desk_id,
            office_id=d.office_id,
            dossier_id=d.id,
            type=EventType.SUPPLEMENT_RECEIVED.value,
            payload=payload,
            officer_id=ctx.officer_id,
            occurred_at=now,
        )
        return IntakeResult(
            dossier.id,
            ev.id,
            d.code,
            dossier.status,
            now,
            appt.effective_receipt_date,
            appt.due_date,
            result,
            (),
            d.catalogue_version,
        )
