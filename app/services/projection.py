"""The dossier row as a fold of its events.

`apply_event` folds one event into the row (local writes, and pulled events in order);
`rebuild_dossier` refolds a dossier from all its events: the server's order first, then
this desk's pending events on top (DESIGN.md "Pull"). A remote event the lifecycle forbids
is kept and the dossier is flagged for a supervisor instead of being dropped.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.errors import DomainError
from app.domain.lifecycle import CREATING, EventType, next_status
from app.domain.text import fold, nfc
from app.models import Dossier, DossierComponent, Event, Office, Procedure, ProcedureVersion
from app.models.base import utcnow


class UnknownProcedure(DomainError):
    pass


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def _dt(value: Any) -> datetime:
    return datetime.fromisoformat(value)


def find_procedure_version(session: Session, code: str, catalogue_version: str) -> ProcedureVersion:
    """The version a dossier was checked against, by natural key (ids differ per database).

    Batch folds put a dict in ``session.info["procedure_versions"]`` (see
    `procedure_version_cache`) so thousands of dossiers do not cost a query each.
    """
    cache = session.info.get(PV_CACHE_KEY)
    if cache is not None and (code, catalogue_version) in cache:
        return cache[(code, catalogue_version)]  # type: ignore[no-any-return]
    pv = _find_procedure_version(session, code, catalogue_version)
    if cache is not None:
        cache[(code, catalogue_version)] = pv
    return pv


PV_CACHE_KEY = "procedure_versions"


@contextmanager
def procedure_version_cache(session: Session) -> Iterator[None]:
    """Remember procedure versions (and hold them in the identity map) for one batch."""
    session.info[PV_CACHE_KEY] = {}
    try:
        yield
    finally:
        session.info.pop(PV_CACHE_KEY, None)


def _find_procedure_version(
    session: Session, code: str, catalogue_version: str
) -> ProcedureVersion:
    pv = session.scalar(
        select(ProcedureVersion)
        .join(Procedure, Procedure.id == ProcedureVersion.procedure_id)
        .where(Procedure.code == code, ProcedureVersion.catalogue_version == catalogue_version)
    )
    if pv is None:
        # A desk that has not pulled that release yet still keeps the dossier, under the
        # procedure's current version; the dossier row keeps the version string it came with.
        proc = session.scalar(select(Procedure).where(Procedure.code == code))
        if proc is not None and proc.current_version_id:
            pv = session.get(ProcedureVersion, proc.current_version_id)
    if pv is None:
        raise UnknownProcedure("procedure.unknown", f"unknown procedure {code}@{catalogue_version}")
    return pv


def _set_applicant(d: Dossier, a: dict[str, Any]) -> None:
    d.full_name = nfc(a.get("full_name"))
    d.name_fold = fold(d.full_name)
    d.id_number = a.get("id_number") or None
    d.social_insurance_no = a.get("social_insurance_no") or None
    d.hi_card_no = a.get("hi_card_no") or None
    d.date_of_birth = _date(a.get("date_of_birth"))
    d.sex = a.get("sex") or None
    d.phone = a.get("phone") or None
    d.email = a.get("email") or None
    d.province_code = a.get("province_code") or None
    d.commune_code = a.get("commune_code") or None
    d.address = nfc(a.get("address"))


def _set_components(d: Dossier, items: list[dict[str, Any]]) -> None:
    d.components = [
        DossierComponent(
            position=i,
            component_code=c["component_code"],
            name_vi=c.get("name_vi", ""),
            form_code=c.get("form_code"),
            copy_kind=c["copy_kind"],
            quantity=int(c["quantity"]),
        )
        for i, c in enumerate(items)
    ]


def _set_receipt(d: Dossier, p: dict[str, Any]) -> None:
    d.received_at = _dt(p["received_at"])
    d.effective_receipt_date = _date(p.get("effective_receipt_date"))
    d.due_date = _date(p.get("due_date"))


def _create(session: Session, ev: Event) -> Dossier:
    p = ev.payload
    pv = find_procedure_version(session, str(p["procedure_code"]), str(p["catalogue_version"]))
    office = session.get(Office, ev.office_id)
    if office is None:
        raise DomainError("office.unknown", f"unknown office {ev.office_id}")
    d = Dossier(
        id=ev.dossier_id,
        code=str(p["code"]),
        office_id=ev.office_id,
        desk_id=ev.desk_id,
        officer_id=ev.officer_id,
        procedure_version_id=pv.id,
        procedure_code=str(p["procedure_code"]),
        catalogue_version=str(p["catalogue_version"]),
        channel=str(p.get("channel", "desk")),
        return_method=str(p.get("return_method", "desk")),
        return_address=nfc(p.get("return_address")),
        consignment_no=p.get("consignment_no") or None,
        sets_count=int(p.get("sets_count", 1)),
        log_book_year=int(p["log_book"]["year"]),
        log_book_volume=int(p["log_book"]["volume"]),
        log_book_entry=int(p["log_book"]["entry"]),
        note=nfc(p.get("reason")),
        event_count=0,
    )
    _set_applicant(d, p["applicant"])
    _set_components(d, p.get("components", []))
    _set_receipt(d, p)
    d.status = CREATING[EventType(ev.type)].value
    session.add(d)
    return d


def _update(d: Dossier, ev: Event) -> None:
    p, t = ev.payload, EventType(ev.type)
    if t is EventType.SUPPLEMENT_REQUESTED:
        d.note = nfc(p.get("reason"))
    elif t is EventType.SUPPLEMENT_RECEIVED:
        _set_receipt(d, p)
        if "components" in p:
            _set_components(d, p["components"])
    elif t in (EventType.REFUSED, EventType.CANCELLED, EventType.STOPPED):
        d.note = nfc(p.get("reason"))
    elif t is EventType.POSTED:
        d.consignment_no = p.get("consignment_no") or None
        d.return_method = "post"
    elif t is EventType.APPOINTMENT_CHANGED:
        d.original_due_date = d.due_date
        d.due_date = _date(p["new_due_date"])
        d.rescheduled = True
    elif t is EventType.FEEDBACK_GIVEN:
        d.feedback_given = True


#: The events that settle a dossier in the form II.06a sense ("đã giải quyết"): its result,
#: a refusal after receipt, a withdrawal. The first of them by time is the settlement.
SETTLING = frozenset({EventType.RESULT_READY, EventType.REFUSED, EventType.CANCELLED})
#: Vietnam time (UTC+7, no daylight saving): the day a settlement falls on.
VN_OFFSET = timedelta(hours=7)


def _utc(value: Any) -> datetime:
    at = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def settlement_outcome(
    settled_at: datetime | None, settled_type: str | None, due: date | None
) -> str | None:
    """early / on_time / late of a settlement against the due date in force. A refusal or
    a withdrawal counts as on time (form II.06a, column (9)); no due date, no outcome."""
    if settled_at is None or due is None:
        return None
    if settled_type != EventType.RESULT_READY.value:
        return "on_time"
    day = (_utc(settled_at) + VN_OFFSET).date()
    return "early" if day < due else ("on_time" if day == due else "late")


def _settle(d: Dossier, ev: Event, etype: EventType) -> None:
    """Keep the settlement columns: the earliest settling event whatever the fold order
    (desks' clocks and server order need not agree), a result winning a tie as the report
    always counted it; the outcome follows the due date (a new appointment moves it)."""
    if etype in SETTLING:
        at = _utc(ev.occurred_at)
        cur = _utc(d.settled_at) if d.settled_at is not None else None
        if cur is None or at < cur or (at == cur and etype is EventType.RESULT_READY):
            d.settled_at, d.settled_type = at, etype.value
    d.settled_outcome = settlement_outcome(d.settled_at, d.settled_type, d.due_date)


def apply_event(session: Session, ev: Event, *, remote: bool) -> Dossier:
    """Fold `ev` into its dossier (creating it for a creating event).

    A local event the lifecycle forbids raises DomainError (nothing written); a remote one
    is folded as far as possible and the dossier flagged `conflict`.
    """
    return fold_event(session, ev, session.get(Dossier, ev.dossier_id), remote=remote)


def fold_event(session: Session, ev: Event, d: Dossier | None, *, remote: bool) -> Dossier:
    """`apply_event` with the dossier row already at hand (None: not created yet).

    Lets batch callers (the central push, the desk pull) keep the rows of a batch in memory
    and flush once, instead of flushing after every event so that `session.get` finds them.
    """
    etype = EventType(ev.type)
    if d is None:
        # Refused / supplement requested create a dossier only when they carry its record
        # (a code); the same types on an existing dossier are plain actions.
        if etype not in CREATING or "code" not in ev.payload:
            if not remote:
                next_status(None, etype)  # raises the translated lifecycle error
            raise DomainError("dossier.unknown", f"event for unknown dossier {ev.dossier_id}")
        d = _create(session, ev)
    else:
        try:
            if etype is EventType.APPOINTMENT_CHANGED and d.rescheduled:
                raise DomainError("lifecycle.rescheduled_once", "rescheduled twice")
            if etype is EventType.FEEDBACK_GIVEN and d.feedback_given:
                raise DomainError("lifecycle.feedback_once", "rated twice")
            d.status = next_status(d.status, etype).value
        except DomainError:
            if not remote:
                raise
            d.conflict = True
        _update(d, ev)
    _settle(d, ev, etype)
    d.event_count += 1
    d.updated_at = utcnow()
    return d


def dossier_events(session: Session, dossier_id: str) -> list[Event]:
    """The dossier's events in fold order: server order, then local pending in desk order."""
    events = list(session.scalars(select(Event).where(Event.dossier_id == dossier_id)))
    return sorted(
        events,
        # The event that creates the dossier first, whatever its number: after a central
        # restore it can be waiting to be sent again while later ones already have theirs.
        key=lambda e: (
            not (e.type in CREATING and "code" in (e.payload or {})),
            e.server_seq is None,
            e.server_seq or 0,
            e.desk_id,
            e.desk_seq,
        ),
    )


def rebuild_dossier(session: Session, dossier_id: str) -> Dossier | None:
    """Refold a dossier from its events, e.g. after pulled events arrived out of order."""
    existing = session.get(Dossier, dossier_id)
    if existing is not None:
        session.delete(existing)
        session.flush()
    d: Dossier | None = None
    for ev in dossier_events(session, dossier_id):
        try:
            d = apply_event(session, ev, remote=True)
        except DomainError:
            if d is not None:
                d.conflict = True
    session.flush()
    return d
