"""The dossier row as a fold of its events.

`fold_event` is the one fold, pure: (prior state, event, lookup) -> new state, where the
state is the dossier's column values (plus its handed-in components) as a plain dict and
the lookup carries, explicitly, what the fold needs from the catalogue (procedure version
ids) and the offices. Nothing in it touches a session or the clock, so intake, the desk's
pull, the central's push and seeding all fold the same way and a test can fold without a
database. The session work lives beside it: `load_lookup` reads the lookup, `state_of` /
`write_state` move a state in and out of an ORM row (one event at a time: intake, the
central), `store_states` writes many states with bulk statements (pull, seeding).

`rebuild_dossier` refolds a dossier from all its events: the server's order first, then
this desk's pending events on top (DESIGN.md "Pull"). A remote event the lifecycle forbids
is kept and the dossier is flagged for a supervisor instead of being dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import Table, bindparam, delete, select, update
from sqlalchemy.orm import Session

from app.domain.errors import DomainError
from app.domain.lifecycle import CREATING, EventType, next_status
from app.domain.text import fold, nfc
from app.models import Dossier, DossierComponent, Event, Office, Procedure, ProcedureVersion
from app.models.base import new_id, utcnow
from app.models.bulk import insert_rows
from app.services import day_totals, event_totals


class UnknownProcedure(DomainError):
    pass


#: A dossier as the fold sees it: the `dossiers` columns by name, and "components", the
#: handed-in items (dicts of the `dossier_components` columns but id and dossier_id).
DossierState = dict[str, Any]

COMPONENT_KEYS = ("position", "component_code", "name_vi", "form_code", "copy_kind", "quantity")


class EventLike(Protocol):
    """What the fold reads of an event (an `Event` row, a pulled or pushed one alike)."""

    @property
    def type(self) -> str: ...
    @property
    def payload(self) -> dict[str, Any]: ...
    @property
    def dossier_id(self) -> str: ...
    @property
    def office_id(self) -> str: ...
    @property
    def desk_id(self) -> str: ...
    @property
    def officer_id(self) -> str | None: ...
    @property
    def occurred_at(self) -> datetime | str: ...


@dataclass(frozen=True)
class FoldLookup:
    """The reference data the fold needs, passed in so the fold itself reads nothing.

    `versions`: (procedure code, catalogue version) -> procedure version id; `current`:
    procedure code -> its current version id (a desk that has not pulled a release yet
    still keeps the dossier, under the current version; the row keeps the version string
    it came with); `offices`: the office ids a dossier may belong to (None: not checked).
    """

    versions: Mapping[tuple[str, str], str] = field(default_factory=dict)
    current: Mapping[str, str] = field(default_factory=dict)
    offices: Collection[str] | None = None

    def version_id(self, code: str, catalogue_version: str) -> str:
        pv = self.versions.get((code, catalogue_version)) or self.current.get(code)
        if pv is None:
            raise UnknownProcedure(
                "procedure.unknown", f"unknown procedure {code}@{catalogue_version}"
            )
        return pv


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def _dt(value: Any) -> datetime:
    return datetime.fromisoformat(value)


def _applicant(a: Mapping[str, Any]) -> dict[str, Any]:
    full_name = nfc(a.get("full_name"))
    return {
        "full_name": full_name,
        "name_fold": fold(full_name),
        "id_number": a.get("id_number") or None,
        "social_insurance_no": a.get("social_insurance_no") or None,
        "hi_card_no": a.get("hi_card_no") or None,
        "date_of_birth": _date(a.get("date_of_birth")),
        "sex": a.get("sex") or None,
        "phone": a.get("phone") or None,
        "email": a.get("email") or None,
        "province_code": a.get("province_code") or None,
        "commune_code": a.get("commune_code") or None,
        "address": nfc(a.get("address")),
    }


def _components(items: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "position": i,
            "component_code": c["component_code"],
            "name_vi": c.get("name_vi", ""),
            "form_code": c.get("form_code"),
            "copy_kind": c["copy_kind"],
            "quantity": int(c["quantity"]),
        }
        for i, c in enumerate(items)
    ]


def _receipt(p: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "received_at": _dt(p["received_at"]),
        "effective_receipt_date": _date(p.get("effective_receipt_date")),
        "due_date": _date(p.get("due_date")),
    }


def _created(ev: EventLike, lookup: FoldLookup) -> DossierState:
    p = ev.payload
    if lookup.offices is not None and ev.office_id not in lookup.offices:
        raise DomainError("office.unknown", f"unknown office {ev.office_id}")
    code, version = str(p["procedure_code"]), str(p["catalogue_version"])
    log_book = p["log_book"]
    return {
        "id": ev.dossier_id,
        "code": str(p["code"]),
        "office_id": ev.office_id,
        "desk_id": ev.desk_id,
        "officer_id": ev.officer_id,
        "procedure_version_id": lookup.version_id(code, version),
        "procedure_code": code,
        "catalogue_version": version,
        "status": CREATING[EventType(ev.type)].value,
        **_applicant(p["applicant"]),
        "channel": str(p.get("channel", "desk")),
        "return_method": str(p.get("return_method", "desk")),
        "return_address": nfc(p.get("return_address")),
        "consignment_no": p.get("consignment_no") or None,
        "sets_count": int(p.get("sets_count", 1)),
        **_receipt(p),
        "original_due_date": None,
        "rescheduled": False,
        "feedback_given": False,
        "log_book_year": int(log_book["year"]),
        "log_book_volume": int(log_book["volume"]),
        "log_book_entry": int(log_book["entry"]),
        "note": nfc(p.get("reason")),
        "settled_at": None,
        "settled_type": None,
        "settled_outcome": None,
        "conflict": False,
        "event_count": 0,
        "components": _components(p.get("components", [])),
    }


def _changes(d: Mapping[str, Any], ev: EventLike, t: EventType) -> dict[str, Any]:
    """The columns a follow-up event sets (the status aside)."""
    p = ev.payload
    if t is EventType.SUPPLEMENT_REQUESTED:
        return {"note": nfc(p.get("reason"))}
    if t is EventType.SUPPLEMENT_RECEIVED:
        out = _receipt(p)
        if "components" in p:
            out["components"] = _components(p["components"])
        return out
    if t in (EventType.REFUSED, EventType.CANCELLED, EventType.STOPPED):
        return {"note": nfc(p.get("reason"))}
    if t is EventType.POSTED:
        return {"consignment_no": p.get("consignment_no") or None, "return_method": "post"}
    if t is EventType.APPOINTMENT_CHANGED:
        return {
            "original_due_date": d["due_date"],
            "due_date": _date(p["new_due_date"]),
            "rescheduled": True,
        }
    if t is EventType.FEEDBACK_GIVEN:
        return {"feedback_given": True}
    return {}


#: The events that settle a dossier in the form II.06a sense ("đã giải quyết"): its result,
#: a refusal after receipt, a withdrawal. The first of them by time is the settlement.
SETTLING = frozenset({EventType.RESULT_READY, EventType.REFUSED, EventType.CANCELLED})
#: Vietnam time (UTC+7, no daylight saving): the day a settlement falls on.
VN_OFFSET = timedelta(hours=7)


def _utc(value: Any) -> datetime:
    at = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


#: A plain str: `.value` on an Enum member is a descriptor call, once per folded event.
_RESULT_READY = EventType.RESULT_READY.value


def settlement_outcome(
    settled_at: datetime | None, settled_type: str | None, due: date | None
) -> str | None:
    """early / on_time / late of a settlement against the due date in force. A refusal or
    a withdrawal counts as on time (form II.06a, column (9)); no due date, no outcome."""
    if settled_at is None or due is None:
        return None
    if settled_type != _RESULT_READY:
        return "on_time"
    day = (_utc(settled_at) + VN_OFFSET).date()
    return "early" if day < due else ("on_time" if day == due else "late")


def _settle(d: DossierState, ev: EventLike, etype: EventType) -> None:
    """Keep the settlement columns (on the fold's own new state): the earliest settling
    event whatever the fold order (desks' clocks and server order need not agree), a result
    winning a tie as the report always counted it; the outcome follows the due date (a new
    appointment moves it)."""
    if etype in SETTLING:
        at = _utc(ev.occurred_at)
        settled = d.get("settled_at")
        cur = _utc(settled) if settled is not None else None
        if cur is None or at < cur or (at == cur and etype is EventType.RESULT_READY):
            d["settled_at"], d["settled_type"] = at, etype.value
    d["settled_outcome"] = settlement_outcome(
        d.get("settled_at"), d.get("settled_type"), d["due_date"]
    )


#: Event types by value, and the lifecycle's allowed steps as they are met: the fold runs
#: for every event of a pull or a seed (millions), and an Enum call or a lifecycle lookup
#: through two Enum calls cost more than the rest of a follow-up event's fold.
_ETYPES: dict[str, EventType] = {t.value: t for t in EventType}
_STEPS: dict[tuple[str, EventType], str] = {}


def _next_status(current: str, etype: EventType) -> str:
    """`next_status(current, etype).value`, remembered once allowed (a forbidden step
    raises every time, from the lifecycle itself)."""
    key = (current, etype)
    after = _STEPS.get(key)
    if after is None:
        after = _STEPS[key] = next_status(current, etype).value
    return after


#: A state's key (not a column) listing the events the reports' totals count that this
#: fold took in: a new row's stored events for those totals (app.services.event_totals
#: `move_returns`), without reading them back from the events.
FOLDED = event_totals.FOLDED
_COUNTED = frozenset(EventType(t) for t in event_totals.COUNTED)


def fold_event(
    state: Mapping[str, Any] | None, ev: EventLike, lookup: FoldLookup, *, remote: bool
) -> DossierState:
    """The dossier after `ev`, from the dossier before it (None: not created yet).

    Pure: returns a new state and leaves `state` as it was. A local event the lifecycle
    forbids raises DomainError; a remote one is folded as far as possible and the dossier
    flagged `conflict` (kept for a supervisor, never dropped).
    """
    etype = _ETYPES.get(ev.type) or EventType(ev.type)
    if state is None:
        # Refused / supplement requested create a dossier only when they carry its record
        # (a code); the same types on an existing dossier are plain actions.
        if etype not in CREATING or "code" not in ev.payload:
            if not remote:
                next_status(None, etype)  # raises the translated lifecycle error
            raise DomainError("dossier.unknown", f"event for unknown dossier {ev.dossier_id}")
        d = _created(ev, lookup)
    else:
        d = dict(state)
        try:
            if etype is EventType.APPOINTMENT_CHANGED and d["rescheduled"]:
                raise DomainError("lifecycle.rescheduled_once", "rescheduled twice")
            if etype is EventType.FEEDBACK_GIVEN and d["feedback_given"]:
                raise DomainError("lifecycle.feedback_once", "rated twice")
            d["status"] = _next_status(d["status"], etype)
        except DomainError:
            if not remote:
                raise
            d["conflict"] = True
        d.update(_changes(d, ev, etype))
    _settle(d, ev, etype)
    if etype in _COUNTED:  # not a column: what the report totals need of a new row
        d[FOLDED] = (*d.get(FOLDED, ()), ev)
    d["event_count"] += 1
    return d


def fold_events(
    events: Iterable[EventLike],
    lookup: FoldLookup,
    state: Mapping[str, Any] | None = None,
) -> DossierState | None:
    """Refold remote events in order (a full rebuild from None): an event that cannot apply
    (e.g. a change before its dossier) flags the dossier instead of stopping the fold."""
    d: DossierState | None = dict(state) if state is not None else None
    for ev in events:
        try:
            d = fold_event(d, ev, lookup, remote=True)
        except DomainError:
            if d is not None:
                d["conflict"] = True
    return d


def is_record(ev: EventLike) -> bool:
    """The event that creates its dossier (carries its record, a code)."""
    return ev.type in CREATING and "code" in (ev.payload or {})


def fold_order(ev: Any) -> tuple[bool, bool, int, str, int]:
    """The fold order of a dossier's events: server order, then local pending in desk order.

    The event that creates the dossier comes first, whatever its number: after a central
    restore it can be waiting to be sent again while later ones already have theirs.
    """
    return (not is_record(ev), ev.server_seq is None, ev.server_seq or 0, ev.desk_id, ev.desk_seq)


# --- the session side: reading the lookup, moving states in and out of rows -------------

_DOSSIERS: Table = Dossier.__table__  # type: ignore[assignment]
_COMPONENTS: Table = DossierComponent.__table__  # type: ignore[assignment]
DOSSIER_COLUMNS = tuple(c.name for c in _DOSSIERS.columns)


def load_lookup(
    session: Session, events: Iterable[EventLike], offices: Collection[str] | None = None
) -> FoldLookup:
    """What folding `events` needs: the versions their records name (one query for a whole
    batch), and the known offices (given, e.g. the caller's, or read here)."""
    records = [ev for ev in events if is_record(ev)]
    if not records:
        return FoldLookup(offices=offices)
    codes = {str(ev.payload["procedure_code"]) for ev in records}
    versions: dict[tuple[str, str], str] = {}
    current: dict[str, str] = {}
    rows = session.execute(
        select(
            Procedure.code,
            ProcedureVersion.catalogue_version,
            ProcedureVersion.id,
            Procedure.current_version_id,
        )
        .join(ProcedureVersion, ProcedureVersion.procedure_id == Procedure.id)
        .where(Procedure.code.in_(sorted(codes)))
    )
    for code, version, pv_id, current_id in rows:
        versions[(code, version)] = pv_id
        if current_id:
            current[code] = current_id
    if offices is None:
        wanted = sorted({ev.office_id for ev in records})
        offices = set(session.scalars(select(Office.id).where(Office.id.in_(wanted))))
    return FoldLookup(versions=versions, current=current, offices=offices)


def find_procedure_version(session: Session, code: str, catalogue_version: str) -> ProcedureVersion:
    """The version a dossier was checked against, by natural key (ids differ per database);
    the procedure's current one when this desk does not hold that version."""
    pv = session.scalar(
        select(ProcedureVersion)
        .join(Procedure, Procedure.id == ProcedureVersion.procedure_id)
        .where(Procedure.code == code, ProcedureVersion.catalogue_version == catalogue_version)
    )
    if pv is None:
        proc = session.scalar(select(Procedure).where(Procedure.code == code))
        if proc is not None and proc.current_version_id:
            pv = session.get(ProcedureVersion, proc.current_version_id)
    if pv is None:
        raise UnknownProcedure("procedure.unknown", f"unknown procedure {code}@{catalogue_version}")
    return pv


def state_of(d: Dossier) -> DossierState:
    """A row's state for the fold (its components are read only if the fold replaces them,
    see `write_state`)."""
    return {k: getattr(d, k) for k in DOSSIER_COLUMNS}


def _row(state: Mapping[str, Any]) -> dict[str, Any]:
    # zip/map run in C: a pull writes tens of thousands of rows of ~50 columns.
    return dict(zip(DOSSIER_COLUMNS, map(state.get, DOSSIER_COLUMNS), strict=True))


def write_state(
    session: Session, d: Dossier | None, state: Mapping[str, Any], before: Mapping[str, Any] | None
) -> Dossier:
    """Put a folded state into its ORM row (new when `d` is None). Components are replaced
    only when the fold gave new ones (a new list object). The reports' day totals move in
    the same transaction (`_totals`)."""
    _totals(session, [(before, state)])
    if d is None:
        d = Dossier(**{k: state.get(k) for k in DOSSIER_COLUMNS if k != "updated_at"})
        session.add(d)
    else:
        for k in DOSSIER_COLUMNS:
            if k != "updated_at" and getattr(d, k) != state.get(k):
                setattr(d, k, state.get(k))
    if "components" in state and (
        before is None or before.get("components") is not state["components"]
    ):
        d.components = [DossierComponent(**c) for c in state["components"]]
    d.updated_at = utcnow()
    return d


def store_states(
    session: Session,
    states: Mapping[str, Mapping[str, Any]],
    before: Mapping[str, Mapping[str, Any] | None],
    *,
    new_ids: Callable[[], str] = new_id,
    totals: bool = True,
) -> None:
    """Write many folded states with bulk statements (the pull, the central's push, seeding).

    `before[id]` is the state the row holds now (None or absent: a new row). New rows are
    inserted in one statement; changed rows are updated, one statement per set of changed
    columns (so indexes on unchanged columns are left alone); components are rewritten
    only for dossiers whose fold gave new ones. `totals`: move the reports' day totals
    (False on the central, which does not keep them).
    """
    now = utcnow()
    new_rows: list[dict[str, Any]] = []
    updates: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    new_components: list[dict[str, Any]] = []
    replaced: list[str] = []
    for d_id, st in states.items():
        old = before.get(d_id)
        if old is None:
            row = _row(st)
            row["updated_at"] = now
            new_rows.append(row)
        else:
            changed = tuple(
                k
                for k in DOSSIER_COLUMNS
                if k not in ("id", "updated_at") and st.get(k) != old.get(k)
            )
            if changed:
                values = {k: st.get(k) for k in changed}
                values["b_id"], values["updated_at"] = d_id, now
                updates.setdefault(changed, []).append(values)
        comps = st.get("components")
        if comps is not None and (old is None or old.get("components") is not comps):
            if old is not None:
                replaced.append(d_id)
            new_components += [{**c, "id": new_ids(), "dossier_id": d_id} for c in comps]
    conn = session.connection()
    if totals:  # the desk's report totals; the central has none (c0010_i14)
        _totals(session, [(before.get(d_id), st) for d_id, st in states.items()])
    insert_rows(conn, _DOSSIERS, new_rows)
    for changed, rows in updates.items():
        conn.execute(
            update(_DOSSIERS)
            .where(_DOSSIERS.c.id == bindparam("b_id"))
            .values({k: bindparam(k) for k in (*changed, "updated_at")}),
            rows,
        )
    for i in range(0, len(replaced), 500):
        conn.execute(delete(_COMPONENTS).where(_COMPONENTS.c.dossier_id.in_(replaced[i : i + 500])))
    insert_rows(conn, _COMPONENTS, new_components)


def _totals(session: Session, changes: Iterable[day_totals.Change]) -> None:
    """The one hook of the reports' per-day totals in the write path: every dossier row the
    fold writes or drops passes here with its state before and after (a return's on-time
    count follows its dossier's settlement: app.services.event_totals)."""
    changes = list(changes)
    day_totals.apply(session.connection(), changes)
    event_totals.move_returns(session.connection(), changes)


def apply_event(session: Session, ev: Event, *, remote: bool) -> Dossier:
    """Fold `ev` into its dossier row (creating it for a creating event): intake's path.

    A local event the lifecycle forbids raises DomainError (nothing written); a remote one
    is folded as far as possible and the dossier flagged `conflict`.
    """
    d = session.get(Dossier, ev.dossier_id)
    before = state_of(d) if d is not None else None
    after = fold_event(before, ev, load_lookup(session, [ev]), remote=remote)
    return write_state(session, d, after, before)


def dossier_events(session: Session, dossier_id: str) -> list[Event]:
    """The dossier's events in fold order (`fold_order`)."""
    events = list(session.scalars(select(Event).where(Event.dossier_id == dossier_id)))
    return sorted(events, key=fold_order)


def rebuild_dossier(session: Session, dossier_id: str) -> Dossier | None:
    """Refold a dossier from its events, e.g. after pulled events arrived out of order."""
    existing = session.get(Dossier, dossier_id)
    if existing is not None:
        _totals(session, [(state_of(existing), None)])
        session.delete(existing)
        session.flush()
    events = dossier_events(session, dossier_id)
    state = fold_events(events, load_lookup(session, events))
    if state is None:
        return None
    d = write_state(session, None, state, None)
    session.flush()
    return d


def refold_states(events: Sequence[EventLike], lookup: FoldLookup) -> dict[str, DossierState]:
    """Many dossiers refolded from None at once (events already in fold order per dossier)."""
    by_dossier: dict[str, list[EventLike]] = {}
    for ev in events:
        by_dossier.setdefault(ev.dossier_id, []).append(ev)
    out: dict[str, DossierState] = {}
    for d_id, evs in by_dossier.items():
        st = fold_events(evs, lookup)
        if st is not None:
            out[d_id] = st
    return out
