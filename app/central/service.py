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
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import orjson
from sqlalchemy import (
    ARRAY,
    Connection,
    Integer,
    String,
    Text,
    any_,
    bindparam,
    cast,
    delete,
    func,
    insert,
    select,
    true,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from app.central.models import (
    CursorEpoch,
    DeskCredential,
    EventOrder,
    EventRoute,
    IssuedCodeBlock,
    OfficeCounter,
    ReviewFlag,
)
from app.domain.dossier_code import BLOCK_MAX, parse_code
from app.domain.lifecycle import CREATING, DESK_EVENTS, POSTAL, EventType
from app.domain.messages import register, tr
from app.models import Dossier, Event, Office, Procedure, ProcedureVersion, utcnow
from app.models.bulk import insert_rows
from app.models.event_schema import (
    EventInvalid,
    WireEvent,
    event_row,
    parse_event,
    pulled_row_wire,
    reason_texts,
)
from app.models.events import SYNC_ACCEPTED
from app.services.projection import (
    DossierState,
    fold_event,
    is_record,
    load_lookup,
    store_states,
)

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


@dataclass(frozen=True)
class _Hot:
    """The statements every push runs, built once per dialect and run on the session's
    connection as Core: building a statement, its cache key and the ORM's execution layer
    cost more CPU than psycopg's part (cProfile of push_batch). On PostgreSQL an id list
    is one array parameter (`= ANY(...)`): the statement's text, so psycopg's prepared
    statement, is the same for any number of ids; SQLite gets an expanding IN."""

    auth: Any
    known: Any
    lock: Any
    codes: Any
    seqs: Any
    held: Any
    number: Any


def _among(column: Any, name: str, item: Any, postgres: bool) -> Any:
    if postgres:
        return column == any_(bindparam(name, type_=ARRAY(item)))
    return column.in_(bindparam(name, expanding=True))


def _build_hot(dialect: str) -> _Hot:
    pg = dialect == "postgresql"
    cred, office, order = DeskCredential.__table__, Office.__table__, EventOrder.__table__
    dossiers, ev, counters = Dossier.__table__, Event.__table__, OfficeCounter.__table__
    above = (  # how many events of the desk are stored above its mark
        select(func.count())
        .where(ev.c.desk_id == bindparam("desk"), ev.c.desk_seq > cred.c.held_seq)
        .scalar_subquery()
    )
    ins = (pg_insert if pg else sqlite_insert)(OfficeCounter)
    return _Hot(
        auth=select(
            cred.c.id, cred.c.name, cred.c.slot, cred.c.revoked_at, office.c.id, office.c.code
        )
        .join(office, office.c.id == cred.c.office_id)
        .where(cred.c.token_hash == bindparam("h")),
        known=select(
            order.c.event_id, order.c.office_id, order.c.seq, order.c.conflict, order.c.payload_hash
        ).where(_among(order.c.event_id, "ids", String, pg)),
        lock=select(dossiers)
        .where(_among(dossiers.c.id, "ids", String, pg))
        .order_by(dossiers.c.id)
        .with_for_update(),
        codes=select(dossiers.c.code, dossiers.c.id).where(
            _among(dossiers.c.code, "codes", String, pg)
        ),
        seqs=select(ev.c.desk_seq, ev.c.id).where(
            ev.c.desk_id == bindparam("desk"), _among(ev.c.desk_seq, "seqs", Integer, pg)
        ),
        held=select(cred.c.held_seq, cred.c.last_revoked_at, above)
        .where(cred.c.id == bindparam("desk"))
        .with_for_update(of=cred),
        number=ins.values(office_id=bindparam("b_office"), last_seq=bindparam("b_n"))
        .on_conflict_do_update(
            index_elements=[counters.c.office_id],
            set_={"last_seq": counters.c.last_seq + bindparam("b_n")},
        )
        .returning(counters.c.last_seq),
    )


_HOT: dict[str, _Hot] = {}


def _hot(session: Session) -> tuple[Connection, _Hot]:
    """The session's connection (its transaction begun) and the statements for it."""
    conn = session.connection()
    name = conn.dialect.name
    hot = _HOT.get(name)
    if hot is None:
        hot = _HOT[name] = _build_hot(name)
    return conn, hot


def authenticate(session: Session, token: str) -> Caller | None:
    """The desk holding `token`, or None when unknown or revoked (one query: it precedes
    every request)."""
    conn, hot = _hot(session)
    row = conn.execute(hot.auth, {"h": hash_token(token)}).first()
    if row is None or row[3] is not None:
        return None
    return Caller(row[0], row[1], row[2], row[4], row[5])


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

register(
    {
        "event.office": {
            "vi": "Sự kiện ghi cho đơn vị khác (mã {office}); quầy chỉ được gửi hồ sơ của "
            "đơn vị mình. Kết nối lại quầy với đúng đơn vị.",
            "en": "The event is for another office; a desk may only write its own office's "
            "dossiers (office id {office}). Pair the desk with the right office.",
        },
        "event.desk": {
            "vi": "Sự kiện được ghi dưới danh tính quầy khác; kết nối lại quầy bằng "
            "`onestop connect`.",
            "en": "This event was recorded under another desk identity; pair the desk again "
            "with `onestop connect`.",
        },
        "dossier.office": {
            "vi": "Hồ sơ thuộc đơn vị khác.",
            "en": "The dossier belongs to another office.",
        },
        "event.code_format": {
            "vi": "Mã hồ sơ {code} không đúng định dạng: {detail}",
            "en": "Dossier code {code} is not well formed: {detail}",
        },
        "dossier.code_agency": {
            "vi": "Mã hồ sơ {code} không phải mã của đơn vị này ({agency}).",
            "en": "Dossier code {code} is not a code of this office ({agency}).",
        },
        "procedure.unknown": {
            "vi": "Thủ tục {procedure} của danh mục {version} chưa được công bố ở máy chủ "
            "trung tâm; công bố danh mục đó rồi gửi lại.",
            "en": "Procedure {procedure} of catalogue {version} is not known to the central "
            "service; publish that catalogue there, then retry.",
        },
        "dossier.code_taken": {
            "vi": "Mã hồ sơ {code} đã được dùng cho hồ sơ khác; cấp lại phiếu với mã mới.",
            "en": "Dossier code {code} is already used by another dossier; re-issue the "
            "receipt with a new code.",
        },
        "dossier.unknown": {
            "vi": "Máy chủ trung tâm chưa có hồ sơ này (sự kiện đầu tiên của hồ sơ chưa được "
            "nhận); gửi lại sự kiện đó trước.",
            "en": "The central service does not know this dossier yet (its first event was "
            "not accepted); retry that one first.",
        },
        "event.id_reused": {
            "vi": "Mã sự kiện đã được dùng cho nội dung khác; sự kiện không được lưu.",
            "en": "This event id was already used for different content; the event was not stored.",
        },
        "postal.route_unknown": {
            "vi": "Cơ quan nhận {office} chưa có ở máy chủ trung tâm; kiểm tra mã cơ quan "
            "trong danh sách cơ quan quầy phục vụ.",
            "en": "Receiving office {office} is not known to the central service; check the "
            "agency code in the desk's list of agencies served.",
        },
        "event.seq_taken": {
            "vi": "Số thứ tự {seq} của quầy đã thuộc một sự kiện khác ở máy chủ trung tâm; "
            "quầy cần đồng bộ lại trước khi ghi tiếp.",
            "en": "Desk sequence {seq} already belongs to another event at the central "
            "service; the desk must sync before it records more.",
        },
    }
)


@dataclass
class PushResult:
    """The verdict on one pushed event; `reason`/`reason_vi` say what a person can do."""

    id: str
    status: str
    server_seq: int | None = None
    reason: str | None = None
    reason_code: str | None = None
    conflict: bool = False
    reason_vi: str | None = None
    field: str | None = None
    #: server_seq still relative to the batch (until `_number_feed`)
    relative: bool = False
    #: the feed entry to insert when numbered
    order: dict[str, Any] | None = None
    #: a postal event's second office (its id), numbered in that office's feed too
    route_to: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "server_seq": self.server_seq,
            "reason": self.reason,
            "reason_vi": self.reason_vi,
            "reason_code": self.reason_code,
            "field": self.field,
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


def _number(session: Session, office_id: str, n: int) -> int:
    """Reserve `n` sequence numbers of the office's feed in one statement and keep its
    counter row locked until commit; returns the last number before them."""
    conn, hot = _hot(session)
    top = conn.execute(hot.number, {"b_office": office_id, "b_n": n}).scalar_one()
    return int(top) - n


def _reject(ev_id: str, key: str, **kw: object) -> PushResult:
    """A refusal with its reason in English (the v1 `reason`) and Vietnamese."""
    return PushResult(
        ev_id,
        REJECTED,
        reason=tr(key, "en", **kw),
        reason_code=key,
        reason_vi=tr(key, "vi", **kw),
    )


def _schema_reject(ev_id: str, exc: EventInvalid) -> PushResult:
    first = exc.problems[0]
    vi, en = reason_texts(first)
    return PushResult(
        ev_id,
        REJECTED,
        reason=en,
        reason_code="event.schema",
        reason_vi=vi,
        field=first.field,
    )


def _raw_id(raw: Any) -> str:
    """The id to answer an unreadable event with (what it claimed, cut to size)."""
    value = raw.get("id") if isinstance(raw, dict) else None
    return str(value)[:36] if value is not None else ""


@dataclass
class _Batch:
    """What a push batch keeps in memory so it is folded and flushed once."""

    #: dossier id -> its state (as locked, then as folded by the batch's events).
    dossiers: dict[str, DossierState] = field(default_factory=dict)
    #: dossier id -> the state its row holds (what `store_states` compares with).
    stored: dict[str, DossierState] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)
    versions: dict[tuple[str, str], bool] = field(default_factory=dict)
    #: (desk_id, desk_seq) -> event id already stored (a sequence cannot be reused).
    seqs: dict[tuple[str, int], str] = field(default_factory=dict)
    #: postal event id -> the second office it is routed to (issue 15).
    routes: dict[str, str] = field(default_factory=dict)

    def prefetch(self, session: Session, events: list[WireEvent]) -> None:
        """A few queries for the batch instead of some per event (round trips dominate)."""
        self.stored = {d["id"]: d for d in _lock_dossiers(session, events)}
        self.dossiers = dict(self.stored)
        codes = list(
            {
                str(e.payload.get("code"))
                for e in events
                if e.type in CREATING and e.dossier_id not in self.dossiers
            }
        )
        conn, hot = _hot(session)
        if codes:
            rows = conn.execute(hot.codes, {"codes": codes}).all()
            self.codes.update({code: dossier_id for code, dossier_id in rows})
        by_desk: dict[str, list[int]] = {}
        for e in events:
            by_desk.setdefault(e.desk_id, []).append(e.desk_seq)
        for desk_id, seqs in by_desk.items():
            for chunk in _chunks(seqs):
                held = conn.execute(hot.seqs, {"desk": desk_id, "seqs": chunk}).all()
                self.seqs.update({(desk_id, int(seq)): str(ev_id) for seq, ev_id in held})


def _chunks(items: list[Any], n: int = 500) -> list[list[Any]]:
    return [items[i : i + n] for i in range(0, len(items), n)]


def _validate(session: Session, caller: Caller, ev: WireEvent, batch: _Batch) -> PushResult | None:
    """A rejection a person can act on, or None when the (schema-checked) event may apply."""
    if ev.office_id != caller.office_id:
        return _reject(ev.id, "event.office", office=caller.office_id)
    if ev.desk_id != caller.desk_id:
        return _reject(ev.id, "event.desk")
    holder = batch.seqs.get((ev.desk_id, ev.desk_seq))
    if holder is not None and holder != ev.id:
        return _reject(ev.id, "event.seq_taken", seq=ev.desk_seq)
    p = ev.payload
    if ev.type in POSTAL:
        return _validate_postal(session, caller, ev, batch)
    dossier = batch.dossiers.get(ev.dossier_id)
    if dossier is not None and dossier["office_id"] != caller.office_id:
        return _reject(ev.id, "dossier.office")
    if ev.type in CREATING and dossier is None and "code" in p:
        code_text = str(p["code"])
        try:
            code = parse_code(code_text, "en")
        except ValueError as exc:
            return _reject(ev.id, "event.code_format", code=code_text, detail=str(exc))
        if code.agency != caller.office_code:
            return _reject(ev.id, "dossier.code_agency", code=code_text, agency=caller.office_code)
        key = (str(p["procedure_code"]), str(p["catalogue_version"]))
        known = batch.versions.get(key)
        if known is None:
            known = (
                session.scalar(
                    select(ProcedureVersion.id)
                    .join(Procedure, Procedure.id == ProcedureVersion.procedure_id)
                    .where(Procedure.code == key[0], ProcedureVersion.catalogue_version == key[1])
                )
                is not None
            )
            batch.versions[key] = known
        if not known:
            return _reject(ev.id, "procedure.unknown", procedure=key[0], version=key[1])
        other = batch.codes.get(code_text)
        if other is not None and other != ev.dossier_id:
            return _reject(ev.id, "dossier.code_taken", code=code_text)
    elif dossier is None and ev.type is not EventType.SET_ASIDE and ev.type not in DESK_EVENTS:
        # (a set-aside is kept even when the dossier never got here: it is the audit
        # record that the desk gave up on the event that would have created it; a desk
        # event, e.g. a supervisor's override, belongs to no dossier)
        return _reject(ev.id, "dossier.unknown")
    return None


def _validate_postal(
    session: Session, caller: Caller, ev: WireEvent, batch: _Batch
) -> PushResult | None:
    """A postal event names its subject by its own id (no dossier row here); the office in
    `route_to` must exist: the event is shown to it and to no other (issue 15)."""
    code = str(ev.payload.get("route_to") or "")
    if not code or code == caller.office_code:
        return None
    office_id = session.scalar(select(Office.id).where(Office.code == code))
    if office_id is None:
        return _reject(ev.id, "postal.route_unknown", office=code)
    batch.routes[ev.id] = office_id
    return None


def _postal_conflict(session: Session, ev: WireEvent, rows: list[dict[str, Any]]) -> bool:
    """A hand-over record signed by a second desk (two agency desks offline): kept and
    flagged for a supervisor, never silently taken as a second filing."""
    if ev.type not in (EventType.POSTAL_BATCH_RECEIVED, EventType.POSTAL_RETURN_RECEIVED):
        return False
    if any(
        r["dossier_id"] == ev.dossier_id
        and r["type"] == ev.type.value
        and r["desk_id"] != ev.desk_id
        for r in rows
    ):
        return True
    other = session.scalar(
        select(Event.id)
        .where(
            Event.dossier_id == ev.dossier_id,
            Event.type == ev.type.value,
            Event.desk_id != ev.desk_id,
        )
        .limit(1)
    )
    return other is not None


class CentralBusy(Exception):
    """A batch kept racing concurrent writers: the desk retries later (503, not 500)."""


class _Raced(Exception):
    """An event of the batch was committed by a concurrent request meanwhile."""


def _parse(raw: list[Any]) -> tuple[list[PushResult | None], list[tuple[int, WireEvent]]]:
    """Schema verdicts (None where the event parsed) and the parsed events by position."""
    results: list[PushResult | None] = [None] * len(raw)
    parsed: list[tuple[int, WireEvent]] = []
    for i, item in enumerate(raw):
        try:
            parsed.append((i, parse_event(item)))
        except EventInvalid as exc:
            results[i] = _schema_reject(_raw_id(item), exc)
    return results, parsed


def _raced(exc: Exception, attempt: int) -> None:
    """Log a retried race; after the last try, CentralBusy (a 503 the desk retries)."""
    if attempt == 3:
        # Not a race after all: the class and SQLSTATE only, never the message
        # (a driver's message can quote the values, that is personal data).
        orig = getattr(exc, "orig", None)
        log.error(
            "database error %s (%s) on a push batch, 4 tries",
            type(exc).__name__,
            getattr(orig, "sqlstate", None) or "-",
        )
        raise CentralBusy from None
    log.info("push batch raced a concurrent one (%s); judged again", type(exc).__name__)


def push_events(session: Session, caller: Caller, raw: list[Any]) -> list[PushResult]:
    """Judge every event of a batch on its own, apply the good ones in order, once each.

    Each event is checked against the wire schema, then against what the central holds;
    a refused event gets its verdict and the rest of the batch is still judged (DESIGN.md
    "Push"). The accepted ones are folded in memory and numbered under the office lock,
    in one savepoint. A concurrent writer can still take a code or an event id between the
    checks and the insert: then the savepoint is rolled back and the batch judged again,
    which turns the race into a verdict (already known, code taken).

    For a caller that holds a transaction; the API uses `push_batch` (same steps, each try
    in a transaction of its own, no savepoint round trips).
    """
    results, parsed = _parse(raw)
    for attempt in range(4):
        try:
            with session.begin_nested():
                applied = _apply(session, caller, [e for _, e in parsed])
            break
        except (IntegrityError, _Raced) as exc:
            session.expire_all()
            _raced(exc, attempt)
    return _settle(session, caller, results, parsed, applied)[0]


def push_batch(
    sessions: sessionmaker[Session], token: str, raw: list[Any]
) -> tuple[Caller, list[PushResult], int] | None:
    """The API's push: auth and the whole batch in one transaction (one connection from
    the pool), retried whole on a race. None when the token is unknown or revoked.

    Returns the caller, the verdicts in batch order and the desk's held_seq after them.
    """
    results, parsed = _parse(raw)
    for attempt in range(4):
        try:
            with sessions.begin() as session:
                caller = authenticate(session, token)
                if caller is None:
                    return None
                applied = _apply(session, caller, [e for _, e in parsed])
                verdicts, held = _settle(session, caller, list(results), parsed, applied)
            return caller, verdicts, held
        except (IntegrityError, _Raced) as exc:
            _raced(exc, attempt)
    raise AssertionError("unreachable")


def _settle(
    session: Session,
    caller: Caller,
    results: list[PushResult | None],
    parsed: list[tuple[int, WireEvent]],
    applied: list[PushResult],
) -> tuple[list[PushResult], int]:
    """Verdicts in batch order; held_seq moved; late events flagged; the feed numbered.

    The office's counter is taken last, just before commit, so the office lock is held
    for the numbering insert only (DESIGN.md "Order": numbers still become visible in
    increasing order, as every numbering commits before the next one can start).
    """
    for (i, _), verdict in zip(parsed, applied, strict=True):
        results[i] = verdict
    judged = {
        e.desk_seq
        for (_, e), verdict in zip(parsed, applied, strict=True)
        if e.desk_id == caller.desk_id and verdict.reason_code != "event.seq_taken"
    }
    own = frozenset(
        e.desk_seq
        for (_, e), verdict in zip(parsed, applied, strict=True)
        if verdict.order is not None and e.desk_id == caller.desk_id
    )
    held, revoked_at = _advance_held(session, caller.desk_id, judged, own)
    if revoked_at is not None:
        flag_after_revocation(session, caller, [e for _, e in parsed], applied, revoked_at)
    _number_feed(session, caller, applied)
    return [r for r in results if r is not None], held


def advance_held_seq(session: Session, desk_id: str, judged: set[int]) -> int:
    """Move the desk's `held_seq` over this batch's verdicts and the events stored above it.

    Judged counts, stored or refused: a refused event stays refused until the desk sends
    it again, so it must not hold the mark back. Stored in the same transaction as the
    batch, so a restored backup restores a mark that matches what it holds.
    """
    return _advance_held(session, desk_id, judged)[0]


def _advance_held(
    session: Session, desk_id: str, judged: set[int], own: frozenset[int] = frozenset()
) -> tuple[int, datetime | None]:
    """`advance_held_seq`, also returning when the desk was last revoked (None: never).

    One query locks the credential and counts the events stored above its mark; only when
    some are not the batch's own (`own`: their desk_seq) are they read. The mark is
    written only when it moved."""
    ev = Event.__table__
    conn, hot = _hot(session)
    while True:
        row = conn.execute(hot.held, {"desk": desk_id}).first()
        if row is None:
            return 0, None
        held = start = int(row[0] or 0)
        revoked_at = row[1]
        stored: set[int] = set()
        # This batch's own events are judged already: only others need reading.
        if int(row[2]) > len({q for q in own if q > held}):
            stored = set(
                session.scalars(
                    select(ev.c.desk_seq)
                    .where(ev.c.desk_id == desk_id, ev.c.desk_seq > held)
                    .order_by(ev.c.desk_seq)
                    .limit(5000)
                )
            )
        known = judged | stored
        while held + 1 in known:
            held += 1
        if held != start:
            session.execute(
                update(DeskCredential).where(DeskCredential.id == desk_id).values(held_seq=held)
            )
        if held == start or len(stored) < 5000:
            if revoked_at is not None and revoked_at.tzinfo is None:
                revoked_at = revoked_at.replace(tzinfo=UTC)
            return held, revoked_at


def desk_sequence(session: Session, desk_id: str) -> tuple[int, int]:
    """(held_seq, highest desk_seq stored) of a desk: what a desk re-paired after losing
    its database must continue above."""
    held = session.scalar(select(DeskCredential.held_seq).where(DeskCredential.id == desk_id))
    top = session.scalar(select(func.max(Event.desk_seq)).where(Event.desk_id == desk_id))
    return int(held or 0), int(top or 0)


def flag_after_revocation(
    session: Session,
    caller: Caller,
    events: list[WireEvent],
    verdicts: list[PushResult],
    since: datetime | None = None,
) -> int:
    """Flag for review the accepted events a reinstated desk made after its revocation:
    the central could not see them when they were made."""
    if since is None:
        cred = session.get(DeskCredential, caller.desk_id)
        if cred is None or cred.last_revoked_at is None:
            return 0
        since = cred.last_revoked_at
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    n = 0
    for ev, verdict in zip(events, verdicts, strict=True):
        if verdict.status != ACCEPTED:
            continue
        occurred = ev.occurred_at
        if occurred.tzinfo is None:
            occurred = occurred.replace(tzinfo=UTC)
        if occurred >= since and session.get(ReviewFlag, ev.id) is None:
            session.add(
                ReviewFlag(
                    event_id=ev.id,
                    office_id=caller.office_id,
                    desk_id=caller.desk_id,
                    dossier_id=ev.dossier_id,
                    reason="after_revocation",
                )
            )
            n += 1
    if n:
        session.flush()
    return n


def review_flags(session: Session, office_code: str | None = None) -> list[tuple[Any, ...]]:
    q = select(
        ReviewFlag.event_id,
        ReviewFlag.dossier_id,
        ReviewFlag.desk_id,
        ReviewFlag.reason,
        ReviewFlag.flagged_at,
    ).order_by(ReviewFlag.flagged_at)
    if office_code:
        office = session.scalar(select(Office).where(Office.code == office_code.strip().upper()))
        q = q.where(ReviewFlag.office_id == (office.id if office else ""))
    return [tuple(r) for r in session.execute(q)]


@dataclass(frozen=True)
class OverrideRow:
    """A supervisor's override of a desk's guard rails, as the central received it."""

    event_id: str
    office_code: str
    desk_name: str
    officer_id: str | None
    by: str
    kinds: list[str]
    blocks: list[str]
    reason: str
    clock_offset_s: float | None
    occurred_at: datetime
    until: str
    received_at: datetime | None


def guard_overrides(session: Session, office_code: str | None = None) -> list[OverrideRow]:
    """The overrides desks pushed (issue 12), oldest first: who let which desk go on past
    which limit, why, and the clock offset the desk had measured."""
    q = (
        select(Event, Office.code, DeskCredential.name)
        .join(Office, Office.id == Event.office_id)
        .outerjoin(DeskCredential, DeskCredential.id == Event.desk_id)
        .where(Event.type == EventType.GUARD_OVERRIDDEN.value)
        .order_by(Event.server_received_at, Event.desk_seq)
    )
    if office_code:
        q = q.where(Office.code == office_code.strip().upper())
    out = []
    for ev, code, desk_name in session.execute(q):
        p = ev.payload or {}
        offset = p.get("clock_offset_s")
        out.append(
            OverrideRow(
                ev.id,
                code,
                desk_name or ev.desk_id,
                ev.officer_id,
                str(p.get("by", "")),
                list(p.get("kinds", [])),
                list(p.get("blocks", [])),
                str(p.get("reason", "")),
                float(offset) if offset is not None else None,
                ev.occurred_at,
                str(p.get("until", "")),
                ev.server_received_at,
            )
        )
    return out


def _lock_dossiers(session: Session, events: list[WireEvent]) -> list[DossierState]:
    ids = sorted({e.dossier_id for e in events})
    conn, hot = _hot(session)
    out: list[DossierState] = []
    for chunk in _chunks(ids):
        out += (dict(r) for r in conn.execute(hot.lock, {"ids": chunk}).mappings())
    return out


def _prior_result(prior: Any, caller: Caller, ev_id: str, h: str) -> PushResult:
    if prior.office_id != caller.office_id or prior.payload_hash != h:
        return _reject(ev_id, "event.id_reused")
    return PushResult(ev_id, ALREADY_KNOWN, prior.seq, conflict=prior.conflict)


def _apply(session: Session, caller: Caller, events: list[WireEvent]) -> list[PushResult]:
    """The one apply path: lock dossiers, fold the batch in memory, insert the events.

    The accepted results carry their feed entry with a sequence relative to the batch;
    `_number_feed` makes it absolute under the office lock, last thing before commit.
    """
    if not events:
        return []
    now = utcnow()
    known: dict[str, Any] = {}
    conn, hot = _hot(session)
    for chunk in _chunks([e.id for e in events]):
        known.update({row.event_id: row for row in conn.execute(hot.known, {"ids": chunk})})
    batch = _Batch()
    batch.prefetch(session, [e for e in events if e.id not in known])
    results: list[PushResult] = []
    rows: list[dict[str, Any]] = []
    seq = 0
    lookup = load_lookup(session, events, offices={caller.office_id})
    # The lookup read every version of the batch's procedures: whether a record's
    # (procedure, version) exists is known without a query of its own per pair.
    for e in events:
        if is_record(e):
            key = (str(e.payload["procedure_code"]), str(e.payload["catalogue_version"]))
            batch.versions[key] = key in lookup.versions
    postal_flags: list[WireEvent] = []
    with session.no_autoflush:
        for ev in events:
            wire = ev.model_dump(include=set(_HASHED))
            wire["type"] = ev.type.value
            h = content_hash(wire)
            prior = known.get(ev.id)
            if prior is not None:
                results.append(_prior_result(prior, caller, ev.id, h))
                if getattr(prior, "relative", False) and results[-1].status == ALREADY_KNOWN:
                    results[-1].relative = True
                continue
            rejection = _validate(session, caller, ev, batch)
            if rejection is not None:
                results.append(rejection)
                continue
            values = event_row(
                ev,
                origin="desk",
                sync_state=SYNC_ACCEPTED,
                server_seq=None,
                server_received_at=now,
            )
            if ev.recorded_at is None:
                values["recorded_at"] = now
            before = batch.dossiers.get(ev.dossier_id)
            was_conflict = bool(before["conflict"]) if before is not None else False
            if ev.type in POSTAL:
                # Folded on the desks (app.services.postal); here stored, ordered, routed.
                dossier_conflict = _postal_conflict(session, ev, rows)
                was_conflict = False
                if dossier_conflict:
                    postal_flags.append(ev)
            elif ev.type in DESK_EVENTS or (before is None and ev.type is EventType.SET_ASIDE):
                dossier_conflict = False  # nothing to fold into: kept as the audit record
            else:
                dossier = fold_event(before, SimpleNamespace(**values), lookup, remote=True)
                batch.dossiers[ev.dossier_id] = dossier
                if ev.type in CREATING and before is None:
                    batch.codes[dossier["code"]] = dossier["id"]
                dossier_conflict = bool(dossier["conflict"])
            batch.seqs[(ev.desk_id, ev.desk_seq)] = ev.id
            seq += 1
            rows.append(values)
            order: dict[str, Any] = {
                "office_id": caller.office_id,
                "seq": seq,
                "event_id": ev.id,
                "desk_id": caller.desk_id,
                "received_at": now,
                "conflict": dossier_conflict,
                "payload_hash": h,
            }
            known[ev.id] = SimpleNamespace(**order, relative=True)
            results.append(
                PushResult(
                    ev.id,
                    ACCEPTED,
                    seq,
                    conflict=dossier_conflict and not was_conflict,
                    relative=True,
                    order=order,
                )
            )
    # The dossier rows (new ones take their unique keys here).
    # No per-day report totals here (the desk's, see c0010_i14): their rows would be
    # locked by every push of an office until commit, long before the office counter.
    store_states(
        session,
        {k: v for k, v in batch.dossiers.items() if v is not batch.stored.get(k)},
        batch.stored,
        totals=False,
    )
    for r in results:
        if r.order is not None and r.id in batch.routes:
            r.route_to = batch.routes[r.id]  # a postal event shown to a second office too
    # an event id taken meanwhile by a concurrent push raises here: judged again
    _insert_rows(session, Event, rows)
    for ev in postal_flags:
        session.add(
            ReviewFlag(
                event_id=ev.id,
                office_id=caller.office_id,
                desk_id=caller.desk_id,
                dossier_id=ev.dossier_id,
                reason="postal_signed_twice",
            )
        )
    resolutions = [
        ev
        for ev, r in zip(events, results, strict=True)
        if ev.type is EventType.POSTAL_CONFLICT_RESOLVED and r.status == ACCEPTED
    ]
    if postal_flags or resolutions:
        session.flush()
    for ev in resolutions:
        _clear_postal_flags(session, caller, ev)
    return results


def _clear_postal_flags(session: Session, caller: Caller, ev: WireEvent) -> None:
    """A supervisor resolved a record signed twice: its review flags go (the signings and
    the resolution stay in the log as the audit trail). A resolution keeping another desk
    than an earlier one (two supervisors offline) is flagged in turn: the desks fold both
    the same way, and a person should know."""
    session.execute(
        delete(ReviewFlag).where(
            ReviewFlag.dossier_id == ev.dossier_id, ReviewFlag.reason == "postal_signed_twice"
        )
    )
    earlier = session.scalars(
        select(Event.payload).where(
            Event.dossier_id == ev.dossier_id,
            Event.type == EventType.POSTAL_CONFLICT_RESOLVED.value,
            Event.id != ev.id,
        )
    )
    if any(p.get("keep_desk") != ev.payload["keep_desk"] for p in earlier):
        session.add(
            ReviewFlag(
                event_id=ev.id,
                office_id=caller.office_id,
                desk_id=caller.desk_id,
                dossier_id=ev.dossier_id,
                reason="postal_resolved_twice",
            )
        )
        session.flush()


def _insert_rows(session: Session, entity: Any, rows: list[dict[str, Any]]) -> None:
    """One statement for all rows (on PostgreSQL `INSERT … SELECT * FROM unnest(arrays)`,
    the same text whatever the batch size: app.models.bulk.insert_rows)."""
    if not rows:
        return
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        insert_rows(conn, entity.__table__, rows)
    else:
        conn.execute(insert(entity), rows)


def _number_feed(session: Session, caller: Caller, applied: list[PushResult]) -> None:
    """Number the accepted events in the office's feed, and the postal ones routed to a
    second office in that office's (issue 15): one counter statement per office, in office
    id order (two batches routing to each other's office never wait on each other), which
    locks each counter until commit, then one insert per table."""
    accepted = [r for r in applied if r.order is not None]
    if not accepted:
        return
    routed: dict[str, list[PushResult]] = {}
    for r in accepted:
        if r.route_to:
            routed.setdefault(r.route_to, []).append(r)
    counts = {caller.office_id: len(accepted), **{o: len(rs) for o, rs in routed.items()}}
    bases = {o: _number(session, o, counts[o]) for o in sorted(counts)}
    base = bases[caller.office_id]
    orders: list[dict[str, Any]] = []
    for r in applied:
        if r.relative:
            assert r.server_seq is not None
            r.server_seq += base
            r.relative = False
        if r.order is not None:
            r.order["seq"] += base
            orders.append(r.order)
    routes = [
        {
            "office_id": office,
            "seq": bases[office] + k,
            "event_id": r.id,
            "received_at": orders[0]["received_at"],
        }
        for office in sorted(routed)
        for k, r in enumerate(routed[office], 1)
    ]
    for r in accepted:
        r.order = None
        r.route_to = None
    _insert_rows(session, EventOrder, orders)
    _insert_rows(session, EventRoute, routes)


_HASHED = ("desk_id", "desk_seq", "office_id", "dossier_id", "type", "payload")


# --- pull --------------------------------------------------------------------------------


def pull_events(
    session: Session, caller: Caller, after: int, limit: int
) -> tuple[list[dict[str, Any]], int, bool]:
    """Events of the caller's office with seq > after, in server order: its own and those
    routed to it (postal hand-overs, one number sequence per office).

    Plain rows, not ORM objects, and each payload as its stored JSON text wrapped in an
    orjson.Fragment (serialise the page with orjson): a page of 5,000 events was mostly
    object loading and decoding then encoding the same payloads again."""
    ev = Event.__table__
    cols = (
        ev.c.id,
        ev.c.desk_id,
        ev.c.desk_seq,
        ev.c.office_id,
        ev.c.dossier_id,
        ev.c.type,
        cast(ev.c.payload, Text).label("payload"),
        ev.c.officer_id,
        ev.c.occurred_at,
        ev.c.recorded_at,
    )
    rows: list[Any] = list(
        session.execute(
            select(EventOrder.seq, EventOrder.received_at, *cols)
            .join(ev, ev.c.id == EventOrder.event_id)
            .where(EventOrder.office_id == caller.office_id, EventOrder.seq > after)
            .order_by(EventOrder.seq)
            .limit(limit + 1)
        )
    )
    routed = session.execute(
        select(EventRoute.seq, EventRoute.received_at, *cols)
        .join(ev, ev.c.id == EventRoute.event_id)
        .where(EventRoute.office_id == caller.office_id, EventRoute.seq > after)
        .order_by(EventRoute.seq)
        .limit(limit + 1)
    ).all()
    if routed:
        rows = sorted([*rows, *routed], key=lambda r: r.seq)[: limit + 1]
    more = len(rows) > limit
    rows = rows[:limit]
    fragment = orjson.Fragment
    out = [pulled_row_wire(r, None if r.payload is None else fragment(r.payload)) for r in rows]
    last = rows[-1].seq if rows else after
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


#: Numbers a desk may say it holds without a block recorded for it here (a central restored
#: from a backup forgot the blocks it issued after it): bounded, so no desk can use up a
#: day's numbers for the whole office by claiming them.
MAX_UNRECORDED_PER_DAY = 1000
MAX_BLOCK = 500


class BlocksRefused(ValueError):
    """A desk claimed numbers it may not hold; the message says which and why."""


def _local_top(slot: int) -> int:
    """The top of a stand-alone desk's own share of a day's numbers (app.services.codes)."""
    from app.services.codes import LOCAL_SLOT_SIZE

    return slot * LOCAL_SLOT_SIZE


def _recorded(session: Session, office_id: str, day: date) -> list[IssuedCodeBlock]:
    return list(
        session.scalars(
            select(IssuedCodeBlock).where(
                IssuedCodeBlock.office_id == office_id, IssuedCodeBlock.day == day
            )
        )
    )


def _learn_held(
    session: Session, caller: Caller, day: date, claims: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Record the blocks a desk holds that this central does not know (it was restored from
    a backup taken before it issued them), so it plans above them. A claim that overlaps
    another desk's recorded block is returned as a conflict and not recorded."""
    recorded = _recorded(session, caller.office_id, day)
    conflicts: list[tuple[int, int]] = []
    unrecorded = 0
    for first, last in sorted(set(claims)):
        if not 1 <= first <= last <= BLOCK_MAX or last - first + 1 > MAX_BLOCK:
            raise BlocksRefused(f"held block {first}-{last} of {day} is not a block")
        mine = [b for b in recorded if b.desk_id == caller.desk_id]
        if any(b.first <= first and last <= b.last for b in mine):
            continue
        if any(
            b.first <= last and first <= b.last for b in recorded if b.desk_id != caller.desk_id
        ):
            conflicts.append((first, last))
            continue
        unrecorded += last - first + 1
        if unrecorded > MAX_UNRECORDED_PER_DAY:
            raise BlocksRefused(
                f"the desk claims more than {MAX_UNRECORDED_PER_DAY} numbers of {day} "
                "that were never issued to it here"
            )
        block = IssuedCodeBlock(
            office_id=caller.office_id, desk_id=caller.desk_id, day=day, first=first, last=last
        )
        session.add(block)
        recorded.append(block)
    session.flush()
    return conflicts


def _check_in_use(session: Session, caller: Caller, day: date, used: int) -> None:
    """A desk's "used" number must lie in what it may use: its recorded blocks, or its
    stand-alone share (from before pairing); anything else would let one desk move every
    other desk's blocks up to the end of the day's range."""
    if used <= _local_top(caller.slot):
        return
    mine = [b for b in _recorded(session, caller.office_id, day) if b.desk_id == caller.desk_id]
    if any(b.first <= used <= b.last for b in mine):
        return
    raise BlocksRefused(
        f"in_use {used} for {day} is outside this desk's blocks and its stand-alone share "
        f"(1..{_local_top(caller.slot)})"
    )


def reserve_blocks(
    session: Session,
    caller: Caller,
    days: list[date],
    size: int,
    in_use: dict[date, int],
    held: dict[date, list[tuple[int, int]]] | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """One new block per day for the caller: above every number issued, held, used, ≤ 8999.

    `held` are the central blocks the desk holds (protocol 2): any this central no longer
    knows are recorded first. Returns (new blocks, conflicting held blocks).
    """
    # The desk's credential before the office's counter, as a push takes them (one order
    # of locks, no deadlock between a desk's push and its block request).
    session.execute(
        update(DeskCredential)
        .where(DeskCredential.id == caller.desk_id)
        .values(blocks_reported_at=utcnow())
    )
    _lock_office(session, caller.office_id)
    out: list[dict[str, Any]] = []
    conflicts: list[dict[str, Any]] = []
    for day, claims in (held or {}).items():
        for first, last in _learn_held(session, caller, day, claims):
            conflicts.append({"day": day.isoformat(), "first": first, "last": last})
    for day, used in in_use.items():
        _check_in_use(session, caller, day, used)
    if desks_to_report(session, caller.office_id):
        # Restored from a backup: a desk not heard from since may hold blocks this
        # database forgot. Until it has said which, no new block (desks draw on their own
        # slot's fallback range, which cannot collide).
        return out, conflicts
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
    return out, conflicts


RESTORE_WAIT_S = 24 * 3600


def desks_to_report(session: Session, office_id: str | None) -> list[str]:
    """Desks of the office (None: of every office) that have not reported their code
    blocks since the last `reset-cursors` (the restore runbook's step); empty when not after
    a restore, or when the restore is more than a day old (a desk offline that long is
    revoked or re-paired)."""
    epoch = session.get(CursorEpoch, 1)
    if epoch is None or (epoch.epoch or 1) <= 1 or epoch.changed_at is None:
        return []
    since = epoch.changed_at
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    if (utcnow() - since).total_seconds() > RESTORE_WAIT_S:
        return []
    return list(
        session.scalars(
            select(DeskCredential.id).where(
                DeskCredential.office_id == office_id if office_id else true(),
                DeskCredential.revoked_at.is_(None),
                (DeskCredential.blocks_reported_at.is_(None))
                | (DeskCredential.blocks_reported_at < since),
            )
        )
    )


def desk_codes(session: Session, caller: Caller, since: date) -> list[dict[str, Any]]:
    """Per day from `since`: the blocks recorded for this desk and the highest number it
    used (its dossier codes here). A desk re-paired after losing its database starts above
    them, so it never prints a code it printed before."""
    out: dict[date, dict[str, Any]] = {}
    for b in session.scalars(
        select(IssuedCodeBlock).where(
            IssuedCodeBlock.desk_id == caller.desk_id, IssuedCodeBlock.day >= since
        )
    ):
        entry = out.setdefault(b.day, {"day": b.day.isoformat(), "blocks": [], "used": 0})
        entry["blocks"].append([b.first, b.last])
    start = datetime.combine(since, datetime.min.time(), UTC) - timedelta(days=1)
    for code in session.scalars(
        select(Dossier.code).where(Dossier.desk_id == caller.desk_id, Dossier.received_at >= start)
    ):
        try:
            parsed = parse_code(code, "en")
        except ValueError:
            continue
        if parsed.day < since:
            continue
        entry = out.setdefault(parsed.day, {"day": parsed.day.isoformat(), "blocks": [], "used": 0})
        entry["used"] = max(entry["used"], parsed.seq)
    return [out[d] for d in sorted(out)]


def server_now() -> datetime:
    return datetime.now(UTC)


def valid_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except (ValueError, AttributeError, TypeError):
        return False
    return True
