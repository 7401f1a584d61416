"""Documents from real dossiers: build the print data, render, and record the print.

The renderers in app.print know nothing of the database; this module reads the dossier
and its events in one read, renders, then records a `printed` event (a reprint is marked
as a copy, a dossier whose events the central service has not accepted yet carries the
"not yet synced" mark).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import print as docs
from app.domain.catalogue import Procedure
from app.domain.errors import DomainError, FieldError, ValidationFailed
from app.domain.lifecycle import EventType
from app.domain.messages import register, tr
from app.models import Dossier, Event, Office, Officer, ProcedureVersion
from app.models.events import SYNC_ACCEPTED
from app.services.actions import PRINT_FORMS, _load, dossier_time_limit, record_print
from app.services.catalogue_service import domain_procedure
from app.services.context import DeskContext, get_setting
from app.services.office_profile import check_printable, profile_of
from app.services.setup import current_desk

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
DOSSIER_FORMS = ("receipt", "receipt-80mm", "supplement", "refusal", "apology", "stop", "control")

register(
    {
        "doc.copy.original": {"vi": "Bản chính", "en": "Original"},
        "doc.copy.certified_copy": {"vi": "Bản sao chứng thực", "en": "Certified copy"},
        "doc.copy.photocopy": {"vi": "Bản chụp", "en": "Photocopy"},
        "doc.copy.any": {"vi": "Bản chính hoặc bản sao", "en": "Original or copy"},
        "doc.limit.working_days": {"vi": "{n} ngày làm việc", "en": "{n} working days"},
        "doc.limit.days": {"vi": "{n} ngày", "en": "{n} days"},
        "doc.limit.nonholiday_days": {
            "vi": "{n} ngày, không kể ngày nghỉ lễ, tết",
            "en": "{n} days, not counting public holidays and Tết",
        },
        "doc.limit.same_day": {"vi": "Trong ngày", "en": "Same day"},
        "doc.return.desk": {
            "vi": "Bộ phận tiếp nhận và trả kết quả",
            "en": "the reception desk",
        },
        "doc.return.post": {
            "vi": "{address} (qua dịch vụ bưu chính công ích)",
            "en": "{address} (by public postal service)",
        },
        "doc.return.online": {
            "vi": "Cổng Dịch vụ công (trực tuyến)",
            "en": "the public service portal (online)",
        },
        "doc.not_for_state": {
            "vi": "Hồ sơ đang ở trạng thái “{status}”, không in được {form}.",
            "en": "The dossier is “{status}”; {form} cannot be printed for it.",
        },
        "doc.range": {"vi": "Khoảng ngày không hợp lệ.", "en": "Invalid date range."},
        "doc.fee_free": {"vi": "{basis}", "en": "{basis}"},
        "doc.fee_amount": {
            "vi": "{amount} đồng ({basis})",
            "en": "{amount} VND ({basis})",
        },
        "doc.post_agent_receipt": {
            "vi": "Điểm bưu điện không cấp Giấy tiếp nhận và hẹn trả kết quả (mẫu 01): cơ quan "
            "có thẩm quyền cấp khi ký biên bản giao nhận hồ sơ (Quyết định 45/2016/QĐ-TTg "
            "Điều 7). Hãy in phiếu gửi hồ sơ và biên bản giao nhận.",
            "en": "A post-office agent desk does not issue the receipt (form 01): the agency "
            "issues it when it signs the hand-over record (Decision 45/2016/QĐ-TTg Art. 7). "
            "Print the consignment note and the hand-over record instead.",
        },
    }
)

#: Which event must exist before a form makes sense.
NEEDS = {
    "supplement": "supplement_requested",
    "refusal": "refused",
    "apology": "appointment_changed",
    "stop": "stopped",
}


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    form: str
    code: str | None
    copy: bool
    synced: bool


#: The language of every paper the desk prints: official forms for citizens and the log
#: book are Vietnamese whatever language the officer's screens use (issue 10).
PAPER_LANGUAGE = "vi"


def _local(dt: datetime) -> datetime:
    return dt.astimezone(ZONE)


def _at(day: date, office: Office) -> datetime:
    """The appointment: the due day at the office's usual return hour.

    Not the time of day the dossier came in: a dossier received at 16:40 is not due at
    16:40 on its day (the desk may close at 16:30). Printing is refused (`check_printable`)
    until an administrator has set the return hour.
    """
    hour = profile_of(office).return_hour or time(0, 0)
    return datetime.combine(day, hour, ZONE)


def office_info(o: Office) -> docs.OfficeInfo:
    return docs.OfficeInfo(
        o.code,
        o.name,
        o.parent_name,
        o.address,
        o.phone,
        o.hotline,
        o.place_name,
        header_line=o.header_line,
    )


def fee_text(procedure: Procedure) -> str | None:
    """The fee line as the catalogue says it (Decree 61/2018 Art. 15(1)(c)); None if silent."""
    fee = procedure.fee
    if fee is None:
        return None
    if fee.free:
        return tr("doc.fee_free", basis=fee.basis_vi)
    amount = f"{fee.amount_vnd:,}".replace(",", ".")
    return tr("doc.fee_amount", amount=amount, basis=fee.basis_vi)


def legal_basis(received: datetime, role: str) -> docs.FormSet:
    """The form set in force the day the dossier was received (data: app.print.FORM_SETS)."""
    return docs.form_set_for(_local(received).date(), role)


def _digitised_pages(s: Session, d: Dossier) -> dict[str, int]:
    """Pages per component stored on the day of reception (the receipt says "at
    reception"; a component scanned weeks later is not listed). Events carry the time as
    UTC; a naive value read back from SQLite is UTC too."""
    day = _local(d.received_at).date()
    out: dict[str, int] = {}
    events = s.scalars(
        select(Event)
        .where(Event.dossier_id == d.id, Event.type == EventType.COMPONENT_DIGITISED.value)
        .order_by(Event.occurred_at, Event.desk_seq)
    )
    for e in events:
        at = e.occurred_at if e.occurred_at.tzinfo else e.occurred_at.replace(tzinfo=UTC)
        if _local(at).date() == day:
            out[str(e.payload["component_code"])] = int(e.payload["pages"])
    return out


def _dossier_doc(
    s: Session, d: Dossier, *, copy: bool, synced: bool, role: str = "receipt"
) -> docs.DossierDoc:
    pv = s.get(ProcedureVersion, d.procedure_version_id)
    office = s.get(Office, d.office_id)
    officer = s.get(Officer, d.officer_id) if d.officer_id else None
    assert pv is not None and office is not None
    if pv.same_day:
        limit = tr("doc.limit.same_day")
    else:
        value, unit, _article = dossier_time_limit(s, d, None)
        limit = tr(f"doc.limit.{unit}", n=value)
    if d.return_method == "post":
        ret = tr("doc.return.post", address=d.return_address or d.address)
    else:
        ret = tr(f"doc.return.{d.return_method}")
    pages = _digitised_pages(s, d)
    return docs.DossierDoc(
        code=d.code,
        procedure_name=pv.name_vi,  # citizens' papers are Vietnamese whatever the screens
        procedure_code=_national_code(s, d.procedure_code),
        applicant_name=d.full_name,
        applicant_address=d.address,
        applicant_phone=d.phone or "",
        applicant_email=d.email or "",
        components=tuple(
            docs.ComponentLine(
                c.name_vi,
                c.form_code,
                tr(f"doc.copy.{c.copy_kind}"),
                c.quantity,
                pages.get(c.component_code, 0),
            )
            for c in d.components
        ),
        sets_count=d.sets_count,
        time_limit_text=limit,
        received_at=d.received_at,
        due_at=_at(d.due_date, office) if d.due_date else _local(d.received_at),
        return_method_text=ret,
        fee_text=fee_text(domain_procedure(pv)),
        log_book_volume=str(d.log_book_volume),
        log_book_entry=str(d.log_book_entry),
        receiving_officer=officer.full_name if officer else "",
        synced=synced,
        copy=copy,
        legal_basis=legal_basis(d.received_at, role),
        office=office_info(office),
    )


def _national_code(s: Session, code: str) -> str:
    """The national TTHC code when the catalogue has one, else our catalogue code."""
    from app.models import Procedure

    national = s.scalar(select(Procedure.national_code).where(Procedure.code == code))
    return national or code


def _last(events: list[Event], etype: str) -> Event | None:
    found = [e for e in events if e.type == etype]
    return found[-1] if found else None


def build(s: Session, d: Dossier, form: str, *, copy: bool) -> tuple[bytes, bool]:
    """Render `form` for dossier `d`; returns the PDF and whether it counts as synced."""
    events = sorted(
        s.scalars(select(Event).where(Event.dossier_id == d.id)),
        key=lambda e: (e.occurred_at, e.desk_seq),
    )
    synced = bool(events) and all(e.sync_state == SYNC_ACCEPTED for e in events)
    need = NEEDS.get(form)
    if (need and _last(events, need) is None) or (
        form.startswith("receipt") and d.due_date is None
    ):
        from app.domain.lifecycle import status_label

        raise DomainError(
            "doc.not_for_state", tr("doc.not_for_state", status=status_label(d.status), form=form)
        )
    office = s.get(Office, d.office_id)
    assert office is not None
    profile = profile_of(office)
    if form.startswith("receipt") and not profile.issues_receipts:
        raise DomainError("doc.post_agent_receipt", tr("doc.post_agent_receipt"))
    check_printable(profile)
    role = {"receipt-80mm": "receipt"}.get(form, form)
    doc = _dossier_doc(s, d, copy=copy, synced=synced, role=role)
    lang = PAPER_LANGUAGE
    if form == "receipt":
        copies = int(get_setting(s, "print.receipt_copies") or 1)
        return docs.render_receipt(doc, lang=lang, copies=2 if copies == 2 else 1), synced
    if form == "receipt-80mm":
        return docs.render_receipt_80mm(doc, lang=lang), synced
    officer = s.get(Officer, d.officer_id) if d.officer_id else None
    if form == "supplement":
        ev = _last(events, "supplement_requested")
        assert ev is not None
        missing = tuple(str(m) for m in ev.payload.get("missing") or [])  # type: ignore[union-attr]
        return docs.render_supplement(
            docs.SupplementDoc(
                doc,
                missing,
                str(ev.payload.get("reason") or ""),
                officer.full_name if officer else "",
                office.phone,
            ),
            lang=lang,
        ), synced
    if form == "refusal":
        ev = _last(events, "refused")
        assert ev is not None
        return docs.render_refusal(
            docs.RefusalDoc(doc, str(ev.payload.get("reason") or "")), lang=lang
        ), synced
    if form == "apology":
        ev = _last(events, "appointment_changed")
        assert ev is not None and d.original_due_date is not None and d.due_date is not None
        return docs.render_apology(
            docs.ApologyDoc(
                doc,
                _at(d.original_due_date, office),
                _at(d.due_date, office),
                str(ev.payload.get("reason") or ""),
                office.parent_name or office.name,
                issued_at=_local(ev.occurred_at),
                late=bool(ev.payload.get("late")),
            ),
            lang=lang,
        ), synced
    if form == "stop":
        ev = _last(events, "stopped")
        assert ev is not None
        return docs.render_stop_notice(
            docs.StopNoticeDoc(
                doc,
                str(ev.payload.get("reason") or ""),
                _local(ev.occurred_at),
                office.parent_name or office.name,
            ),
            lang=lang,
        ), synced
    if form == "control":
        names = dict(s.execute(select(Officer.id, Officer.full_name)).all())
        results = {"early": "early", "on_time": "on_time", "late": "late"}
        handovers = []
        for e in events:
            if e.type not in ("transferred", "result_ready", "returned", "posted"):
                continue
            outcome = None
            if e.type in ("result_ready",) and d.due_date:
                day = _local(e.occurred_at).date()
                outcome = results[
                    "early" if day < d.due_date else "on_time" if day == d.due_date else "late"
                ]
            who = names.get(e.officer_id or "", "")
            target = str(e.payload.get("to") or e.payload.get("consignment_no") or "")
            handovers.append(
                docs.Handover(
                    who or office.name,
                    target or d.full_name,
                    _local(e.occurred_at),
                    outcome,  # type: ignore[arg-type]
                    str(e.payload.get("note") or ""),
                )
            )
        return docs.render_control_sheet(
            docs.ControlSheetDoc(doc, office.parent_name or office.name, "", tuple(handovers)),
            lang=lang,
        ), synced
    raise ValidationFailed(
        [FieldError("form", "action.print_form", tr("action.print_form", form=form))]
    )


def receipt_data(s: Session, d: Dossier) -> docs.DossierDoc:
    """The receipt's contents for `d` as this session sees it: the warm-up reads them from
    its rolled-back intake's dossier inside that transaction and renders them after it,
    so the write lock is not held while reportlab works."""
    return _dossier_doc(s, d, copy=False, synced=False)


def render_receipt_data(doc: docs.DossierDoc) -> bytes:
    """The receipt PDF for contents from `receipt_data`."""
    return docs.render_receipt(doc, lang=PAPER_LANGUAGE)


def render(
    ctx: DeskContext, ref: str, form: str, *, copy: bool | None = None, record: bool = True
) -> Rendered:
    """Render a dossier's form; by default record the print as an event.

    `copy=None` decides by history: a form printed before comes out marked as a copy.
    """
    if form not in DOSSIER_FORMS:
        raise ValidationFailed(
            [FieldError("form", "action.print_form", tr("action.print_form", form=form))]
        )
    with ctx.read() as s:
        d = _load(s, ref)
        if copy is None:
            printed = s.scalars(
                select(Event.payload).where(Event.dossier_id == d.id, Event.type == "printed")
            )
            copy = any(p.get("form") == form for p in printed)
        pdf, synced = build(s, d, form, copy=copy)
        code = d.code
    if record:
        record_print(ctx, code, form, copy=copy, synced=synced)
    return Rendered(pdf, form, code, copy, synced)


def render_logbook(ctx: DeskContext, date_from: date, date_to: date) -> Rendered:
    """Form 06 for this desk's book (its volume), entries as numbered at intake."""
    if date_to < date_from:
        raise ValidationFailed([FieldError("to", "doc.range", tr("doc.range"))])
    start = datetime.combine(date_from, time(0), ZONE).astimezone(UTC)
    end = datetime.combine(date_to + timedelta(days=1), time(0), ZONE).astimezone(UTC)
    with ctx.read() as s:
        desk = current_desk(s)
        if desk is None:
            raise DomainError("action.no_desk", tr("action.no_desk"))
        office = s.get(Office, desk.office_id)
        assert office is not None
        check_printable(profile_of(office))
        rows = list(
            s.scalars(
                select(Dossier)
                .where(
                    Dossier.desk_id == desk.desk_id,
                    Dossier.received_at >= start,
                    Dossier.received_at < end,
                )
                .order_by(Dossier.log_book_year, Dossier.log_book_entry)
            )
        )
        names = dict(s.execute(select(ProcedureVersion.id, ProcedureVersion.name_vi)).all())
        entries = []
        for d in rows:
            evs = list(s.scalars(select(Event).where(Event.dossier_id == d.id)))
            when = {e.type: _local(e.occurred_at) for e in evs}
            entries.append(
                docs.LogBookEntry(
                    d.log_book_entry,
                    d.code,
                    names.get(d.procedure_version_id, d.procedure_code),
                    d.sets_count,
                    d.full_name,
                    ", ".join(x for x in (d.address, d.phone or "") if x),
                    office.parent_name or office.name,
                    _local(d.received_at),
                    _at(d.due_date, office) if d.due_date else _local(d.received_at),
                    when.get("transferred"),
                    when.get("result_ready"),
                    when.get("returned") or when.get("posted"),
                    d.note,
                )
            )
        pdf = docs.render_logbook(
            docs.LogBookDoc(
                office_info(office),
                date_from.year,
                str(desk.slot),
                tuple(entries),
                date_from,
                date_to,
                docs.form_set_for(date_to),
            ),
            lang=PAPER_LANGUAGE,
        )
    return Rendered(pdf, "logbook", None, False, True)


__all__ = ["DOSSIER_FORMS", "PRINT_FORMS", "Rendered", "render", "render_logbook"]
