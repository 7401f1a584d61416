"""What the endpoints do: auth, idempotent push, commit-ordered pull, code blocks.

Numbering: a push batch locks its office's counter row (SELECT ... FOR UPDATE on
PostgreSQL; SQLite serialises writers with BEGIN IMMEDIATE) before it numbers anything and
keeps the lock until commit, so sequence numbers become visible in increasing order and a
reader of `after=N` can never pass over a number that commits later (DESIGN.md "Order").
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.central.models import (
    CursorEpoch,
    DeskCredential,
    EventOrder,
    IssuedCodeBlock,
    OfficeCounter,
)
from app.domain.dossier_code import BLOCK_MAX, parse_code
from app.domain.errors import DomainError
from app.domain.lifecycle import CREATING, EventType
from app.models import Dossier, Event, Office, Procedure, ProcedureVersion, utcnow
from app.models.events import SYNC_ACCEPTED
from app.services.projection import apply_event, fold_event, procedure_version_cache

log = logging.getLogger(__name__)

ACCEPTED = "accepted"
ALREADY_KNOWN = "already_known"
REJECTED = "rejected"


# --- credentials -------------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class Caller:
    desk_id: str
    desk_name: str
    slot: int
    office_id: str
    office_code: str


def authenticate(session: Session, token: str) -> Caller | None:
    """The desk holding `token`, or None when unknown or revoked."""
    cred = session.scalar(
        select(DeskCredential).where(DeskCredential.token_hash == hash_token(token))
    )
    if cred is None or cred.revoked_at is not None:
        return None
    office = session.get(Office, cred.office_id)
    if office is None:
        return None
    return Caller(cred.id, cred.name, cred.slot, office.id, office.code)


# --- cursor ------------------------------------------------------------------------------


class CursorInvalid(ValueError):
    pass


class CursorExpired(ValueError):
    pass


def current_epoch(session: Session) -> int:
    return session.scalar(select(CursorEpoch.epoch).where(CursorEpoch.id == 1)) or 1


def encode_cursor(epoch: int, seq: int) -> str:
    raw = json.dumps({"e": epoch, "s": seq}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, epoch: int) -> int:
    """The sequence a cursor stands for; CursorExpired when it is of an older epoch."""
    if not cursor:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        e, s = int(data["e"]), int(data["s"])
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise CursorInvalid("the cursor is not one this service issued") from exc
    if e != epoch:
        raise CursorExpired("the cursor has expired; sync again from the start")
    if s < 0:
        raise CursorInvalid("the cursor is not one this service issued")
    return s


# --- push --------------------------------------------------------------------------------


@dataclass
class PushResult:
    id: str
    status: str
    server_seq: int | None = None
    reason: str | None = None
    reason_code: str | None = None
    conflict: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "server_seq": self.server_seq,
            "reason": self.reason,
            "reason_code": self.reason_code,
            "conflict": self.conflict,
        }


def content_hash(ev: dict[str, Any]) -> str:
    keys = ("desk_id", "desk_seq", "office_id", "dossier_id", "type", "payload")
    raw = json.dumps(
        {k: ev.get(k) for k in keys},
        sort_keys=True,
        ensure_ascii=False,
        default=str,
        separators=(",", ":"),
    )
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _lock_office(session: Session, office_id: str) -> OfficeCounter:
    """Create the office's counter row if needed and lock it until commit."""
    locked = (
        select(OfficeCounter)
        .where(OfficeCounter.office_id == office_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    counter = session.scalar(locked)
    if counter is None:
        dialect = session.get_bind().dialect.name
        ins = (pg_insert if dialect == "postgresql" else sqlite_insert)(OfficeCounter)
        session.execute(ins.values(office_id=office_id, last_seq=0).on_conflict_do_nothing())
        counter = session.scalar(locked)
    assert counter is not None
    return counter


REQUIRED_RECEIVED = (
    "code",
    "procedure_code",
    "catalogue_version",
    "applicant",
    "received_at",
    "log_book",
)


def _reject(ev_id: str, code: str, reason: str) -> PushResult:
    return PushResult(ev_id, REJECTED, reason=reason, reason_code=code)


@dataclass
class _Batch:
    """What a push batch keeps in memory so it can flush once (fast path)."""

    dossiers: dict[str, Dossier] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)
    versions: dict[tuple[str, str], bool] = field(default_factory=dict)
    #: Dossier ids looked up and not found (a prefetch answers for the whole batch).
    absent: set[str] = field(default_factory=set)

    def dossier(self, session: Session, dossier_id: str) -> Dossier | None:
        d = self.dossiers.get(dossier_id)
        if d is None and dossier_id not in self.absent:
            d = session.get(Dossier, dossier_id)
        return d

    def prefetch(self, session: Session, events: list[dict[str, Any]]) -> None:
        """Two queries for the batch instead of two per event (round trips dominate)."""
        ids = list({e["dossier_id"] for e in events})
        found = {d.id: d for d in _lock_dossiers(session, events)}
        self.dossiers.update(found)
        self.absent.update(i for i in ids if i not in found)
        codes = list(
            {
                str(e["payload"].get("code"))
                for e in events
                if e["type"] in CREATING and e["dossier_id"] not in found
            }
        )
        if codes:
            rows = session.execute(
                select(Dossier.code, Dossier.id).where(Dossier.code.in_(codes))
            ).all()
            self.codes.update({code: dossier_id for code, dossier_id in rows})


def _validate(
    session: Session, caller: Caller, ev: dict[str, Any], batch: _Batch | None = None
) -> PushResult | None:
    """A rejection a person can act on, or None when the event may be applied."""
    ev_id = ev["id"]
    try:
        etype = EventType(ev["type"])
    except ValueError:
        return _reject(
            ev_id,
            "event.type",
            f"Unknown event type '{ev['type']}'; update the "
            "desk program to a version the central service knows.",
        )
    if ev["desk_id"] != caller.desk_id:
        return _reject(
            ev_id,
            "event.desk",
            "This event was recorded under another desk "
            "identity; pair the desk again with `onestop connect`.",
        )
    p = ev["payload"]
    if batch is not None:
        dossier = batch.dossier(session, ev["dossier_id"])
    else:
        dossier = session.get(Dossier, ev["dossier_id"])
    if dossier is not None and dossier.office_id != caller.office_id:
        return _reject(ev_id, "dossier.office", "The dossier belongs to another office.")
    if etype in CREATING and dossier is None:
        missing = [k for k in REQUIRED_RECEIVED if k not in p]
        applicant = p.get("applicant")
        if not isinstance(applicant, dict) or not applicant.get("full_name"):
            missing.append("applicant.full_name")
        log_book = p.get("log_book")
        if not isinstance(log_book, dict) or not {"year", "volume", "entry"} <= log_book.keys():
            missing.append("log_book.year/volume/entry")
        if missing:
            return _reject(
                ev_id,
                "event.schema",
                "The dossier record is incomplete: missing " + ", ".join(missing) + ".",
            )
        try:
            code = parse_code(str(p["code"]), "en")
            datetime.fromisoformat(str(p["received_at"]))
        except ValueError as exc:
            return _reject(ev_id, "event.schema", str(exc))
        if code.agency != caller.office_code:
            return _reject(
                ev_id,
                "dossier.code_agency",
                f"Dossier code {p['code']} is not a code of this office ({caller.office_code}).",
            )
        key = (str(p["procedure_code"]), str(p["catalogue_version"]))
        known = batch.versions.get(key) if batch else None
        if known is None:
            known = (
                session.scalar(
                    select(ProcedureVersion.id)
                    .join(Procedure, Procedure.id == ProcedureVersion.procedure_id)
                    .where(Procedure.code == key[0], ProcedureVersion.catalogue_version == key[1])
                )
                is not None
            )
            if batch:
                batch.versions[key] = known
        if not known:
            return _reject(
                ev_id,
                "procedure.unknown",
                f"Procedure {p['procedure_code']} of catalogue "
                f"{p['catalogue_version']} is not known to the central service; "
                "publish that catalogue there, then retry.",
            )
        if batch is not None:
            other = batch.codes.get(str(p["code"]))
        else:
            other = session.scalar(select(Dossier.id).where(Dossier.code == str(p["code"])))
        if other is not None and other != ev["dossier_id"]:
            return _reject(
                ev_id,
                "dossier.code_taken",
                f"Dossier code {p['code']} is already "
                "used by another dossier; re-issue the receipt with a new code.",
            )
    elif dossier is None:
        return _reject(
            ev_id,
            "dossier.unknown",
            "The central service does not know this "
            "dossier yet (its first event was not accepted); retry that one first.",
        )
    return None


def push_events(session: Session, caller: Caller, events: list[dict[str, Any]]) -> list[PushResult]:
    """Apply a batch in the order given, each event at most once; one transaction.

    The fast path locks the batch's dossier rows, folds the whole batch in memory, and only
    then takes the office lock to number and insert it, so the office lock is held for a
    few statements and the commit. If anything goes wrong there, the batch is redone event
    by event in savepoints, so one bad event is rejected on its own and the others get in.
    Lock order is always dossiers (by id) then office: no deadlock between the two paths.
    """
    if not events:
        return []
    try:
        with session.begin_nested():
            return _push_fast(session, caller, events)
    except (DomainError, IntegrityError, KeyError, ValueError, TypeError, _Raced) as exc:
        # Expected for a batch holding a bad event or racing its own retry; anything else
        # here is a bug to look at.
        log.info("push batch of %d events redone one by one (%s)", len(events), type(exc).__name__)
        session.expire_all()
        _lock_dossiers(session, events)
        counter = _lock_office(session, caller.office_id)
        return _push_slow(session, caller, counter, events)


class _Raced(Exception):
    """An event of the batch was committed by a concurrent request meanwhile."""


def _lock_dossiers(session: Session, events: list[dict[str, Any]]) -> list[Dossier]:
    ids = sorted({e["dossier_id"] for e in events})
    return list(
        session.scalars(
            select(Dossier).where(Dossier.id.in_(ids)).order_by(Dossier.id).with_for_update()
        )
    )


def _prior_result(prior: EventOrder, caller: Caller, ev_id: str, h: str) -> PushResult:
    if prior.office_id != caller.office_id or prior.payload_hash != h:
        return _reject(
            ev_id,
            "event.id_reused",
            "This event id was already used for different content; the event was not stored.",
        )
    return PushResult(ev_id, ALREADY_KNOWN, prior.seq, conflict=prior.conflict)


def _push_fast(session: Session, caller: Caller, events: list[dict[str, Any]]) -> list[PushResult]:
    ids = [e["id"] for e in events]
    now = utcnow()
    known: dict[str, Any] = {
        row.event_id: row
        for row in session.scalars(select(EventOrder).where(EventOrder.event_id.in_(ids)))
    }
    batch = _Batch()
    batch.prefetch(session, [e for e in events if e["id"] not in known])
    results: list[PushResult] = []
    numbered: list[Any] = []  # results and orders whose seq is relative until the lock
    rows: list[dict[str, Any]] = []
    orders: list[dict[str, Any]] = []
    seq = 0
    offices = list(session.scalars(select(Office).where(Office.id == caller.office_id)))
    with session.no_autoflush, procedure_version_cache(session):
        for ev in events:
            h = content_hash(ev)
            prior = known.get(ev["id"])
            if prior is not None:
                results.append(_prior_result(prior, caller, ev["id"], h))
                if getattr(prior, "relative", False) and results[-1].status == ALREADY_KNOWN:
                    numbered.append(results[-1])
                continue
            rejection = _validate(session, caller, ev, batch)
            if rejection is not None:
                results.append(rejection)
                continue
            row = cast(Event, SimpleNamespace(**_event_values(ev, now)))
            before = batch.dossier(session, row.dossier_id)
            was_conflict = bool(before.conflict) if before is not None else False
            dossier = fold_event(session, row, before, remote=True)
            batch.dossiers[row.dossier_id] = dossier
            if row.type in CREATING and before is None:
                batch.codes[dossier.code] = dossier.id
            seq += 1
            rows.append(vars(row))
            order = {
                "office_id": caller.office_id,
                "seq": seq,
                "event_id": row.id,
                "desk_id": caller.desk_id,
                "received_at": now,
                "conflict": bool(dossier.conflict),
                "payload_hash": h,
            }
            orders.append(order)
            known[row.id] = SimpleNamespace(**order, relative=True)
            results.append(
                PushResult(
                    row.id, ACCEPTED, seq, conflict=bool(dossier.conflict) and not was_conflict
                )
            )
            numbered.append(results[-1])
    session.flush()  # dossier rows (new ones take their unique keys here)
    del offices
    counter = _lock_office(session, caller.office_id)
    if rows:
        late = session.scalar(
            select(func.count()).where(EventOrder.event_id.in_([r["id"] for r in rows]))
        )
        if late:
            raise _Raced
        base = counter.last_seq
        for order in orders:
            order["seq"] += base
        for r in numbered:
            r.server_seq += base
        conn = session.connection()
        conn.execute(Event.__table__.insert(), rows)
        conn.execute(EventOrder.__table__.insert(), orders)
        counter.last_seq = base + seq
        session.flush()
    return results


def _event_values(ev: dict[str, Any], now: datetime) -> dict[str, Any]:
    return {
        "id": ev["id"],
        "desk_id": ev["desk_id"],
        "desk_seq": ev["desk_seq"],
        "office_id": ev["office_id"],
        "dossier_id": ev["dossier_id"],
        "type": ev["type"],
        "payload": ev["payload"],
        "officer_id": ev.get("officer_id"),
        "occurred_at": ev["occurred_at"],
        "recorded_at": ev.get("recorded_at") or now,
        "origin": "desk",
        "sync_state": SYNC_ACCEPTED,
        "server_seq": None,
        "server_received_at": now,
        "reject_reason": None,
    }


def _push_slow(
    session: Session, caller: Caller, counter: OfficeCounter, events: list[dict[str, Any]]
) -> list[PushResult]:
    ids = [e["id"] for e in events]
    now = utcnow()
    known = {
        row.event_id: row
        for row in session.scalars(select(EventOrder).where(EventOrder.event_id.in_(ids)))
    }
    results: list[PushResult] = []
    for ev in events:
        h = content_hash(ev)
        prior = known.get(ev["id"])
        if prior is not None:
            if prior.office_id != caller.office_id or prior.payload_hash != h:
                results.append(
                    _reject(
                        ev["id"],
                        "event.id_reused",
                        "This event id was already "
                        "used for different content; the event was not stored.",
                    )
                )
            else:
                results.append(
                    PushResult(ev["id"], ALREADY_KNOWN, prior.seq, conflict=prior.conflict)
                )
            continue
        rejection = _validate(session, caller, ev)
        if rejection is not None:
            results.append(rejection)
            continue
        row = Event(
            id=ev["id"],
            desk_id=ev["desk_id"],
            desk_seq=ev["desk_seq"],
            office_id=ev["office_id"],
            dossier_id=ev["dossier_id"],
            type=ev["type"],
            payload=ev["payload"],
            officer_id=ev.get("officer_id"),
            occurred_at=ev["occurred_at"],
            recorded_at=ev.get("recorded_at") or now,
            origin="desk",
            sync_state=SYNC_ACCEPTED,
            server_received_at=now,
        )
        try:
            with session.begin_nested():
                before = session.get(Dossier, ev["dossier_id"])
                was_conflict = bool(before.conflict) if before is not None else False
                dossier = apply_event(session, row, remote=True)
                session.add(row)
                seq = counter.last_seq + 1
                conflict = bool(dossier.conflict) and not was_conflict
                order = EventOrder(
                    office_id=caller.office_id,
                    seq=seq,
                    event_id=row.id,
                    desk_id=caller.desk_id,
                    received_at=now,
                    conflict=bool(dossier.conflict),
                    payload_hash=h,
                )
                session.add(order)
                session.flush()
        except (DomainError, IntegrityError, KeyError, ValueError, TypeError) as exc:
            results.append(
                _reject(
                    ev["id"],
                    "event.invalid",
                    f"The event could not be applied: {type(exc).__name__}: {str(exc)[:200]}",
                )
            )
            continue
        counter.last_seq = seq
        known[row.id] = order
        results.append(PushResult(row.id, ACCEPTED, seq, conflict=conflict))
    session.flush()
    return results


# --- pull --------------------------------------------------------------------------------


def pull_events(
    session: Session, caller: Caller, after: int, limit: int
) -> tuple[list[dict[str, Any]], int, bool]:
    """Events of the caller's office with seq > after, in server order."""
    rows = session.execute(
        select(EventOrder.seq, EventOrder.received_at, Event)
        .join(Event, Event.id == EventOrder.event_id)
        .where(EventOrder.office_id == caller.office_id, EventOrder.seq > after)
        .order_by(EventOrder.seq)
        .limit(limit + 1)
    ).all()
    more = len(rows) > limit
    rows = rows[:limit]
    out = [
        {
            "id": e.id,
            "desk_id": e.desk_id,
            "desk_seq": e.desk_seq,
            "office_id": e.office_id,
            "dossier_id": e.dossier_id,
            "type": e.type,
            "payload": e.payload,
            "officer_id": e.officer_id,
            "occurred_at": e.occurred_at.isoformat(),
            "recorded_at": e.recorded_at.isoformat(),
            "server_seq": seq,
            "server_received_at": received.isoformat(),
        }
        for seq, received, e in rows
    ]
    last = rows[-1][0] if rows else after
    return out, last, more


# --- code blocks -------------------------------------------------------------------------


def _highest_used(session: Session, agency: str, day: date) -> int:
    """The highest block-range number a pushed dossier code of this agency and day used."""
    prefix = f"{agency}-{day:%y%m%d}-"
    top = 0
    for code in session.scalars(select(Dossier.code).where(Dossier.code.like(prefix + "%"))):
        try:
            seq = int(code[len(prefix) :])
        except ValueError:
            continue
        if seq <= BLOCK_MAX:
            top = max(top, seq)
    return top


def reserve_blocks(
    session: Session, caller: Caller, days: list[date], size: int, in_use: dict[date, int]
) -> list[dict[str, Any]]:
    """One new block per day for the caller: above every number issued or used, ≤ 8999."""
    _lock_office(session, caller.office_id)
    out = []
    for day in sorted(set(days)):
        issued = (
            session.scalar(
                select(func.max(IssuedCodeBlock.last)).where(
                    IssuedCodeBlock.office_id == caller.office_id, IssuedCodeBlock.day == day
                )
            )
            or 0
        )
        first = max(issued, _highest_used(session, caller.office_code, day), in_use.get(day, 0)) + 1
        last = min(first + size - 1, BLOCK_MAX)
        if first > last:
            continue  # the day's block range is used up: desks fall back to their slot range
        session.add(
            IssuedCodeBlock(
                office_id=caller.office_id, desk_id=caller.desk_id, day=day, first=first, last=last
            )
        )
        out.append(
            {
                "agency_code": caller.office_code,
                "day": day.isoformat(),
                "first": first,
                "last": last,
            }
        )
    session.flush()
    return out


def server_now() -> datetime:
    return datetime.now(UTC)


def valid_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except (ValueError, AttributeError, TypeError):
        return False
    return True
