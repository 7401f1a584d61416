"""Appending events: the event, its outbox entry and the projection in one transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, func, select
from sqlalchemy.orm import Session

from app.domain.errors import FieldError, ValidationFailed
from app.domain.messages import current_language
from app.models import Dossier, Event, Outbox, new_id, utcnow
from app.models.bulk import insert_rows
from app.models.event_schema import EventInvalid, event_wire, parse_event
from app.models.events import SYNC_LOCAL, SYNC_QUEUED
from app.services import event_totals
from app.services.context import get_setting
from app.services.projection import (
    DossierState,
    FoldLookup,
    apply_event,
    fold_event,
    store_states,
)

_EVENTS: Table = Event.__table__  # type: ignore[assignment]
_OUTBOX: Table = Outbox.__table__  # type: ignore[assignment]
_EVENT_COLUMNS = tuple(c.key for c in _EVENTS.columns)


_MAX_SEQ = select(func.max(Event.desk_seq)).where(Event.desk_id == bindparam("desk_id"))


def _columns(event: Event) -> dict[str, Any]:
    return {c: getattr(event, c) for c in _EVENT_COLUMNS}


def next_desk_seq(session: Session, desk_id: str) -> int:
    """Per-desk sequence; safe because writes run under BEGIN IMMEDIATE.

    Never below `sync.desk_seq_floor`: the highest number the central holds of this desk,
    learnt when a desk that lost its database is paired again (app.sync.commands).
    """
    session.flush()  # an event added in this transaction counts
    current = session.connection().execute(_MAX_SEQ, {"desk_id": desk_id}).scalar()
    floor = int(get_setting(session, "sync.desk_seq_floor") or 0)
    return max(current or 0, floor) + 1


def is_paired(session: Session) -> bool:
    return bool(get_setting(session, "sync.central_url") and get_setting(session, "sync.token"))


def _local_event(
    session: Session,
    *,
    desk_id: str,
    office_id: str,
    dossier_id: str,
    type: str,
    payload: dict[str, Any],
    officer_id: str | None,
    occurred_at: datetime,
    **columns: Any,
) -> Event:
    """A new event of this desk, numbered and checked against the wire schema: the one
    way every local event is made, whichever way its rows are then written."""
    event = Event(
        id=new_id(),
        desk_id=desk_id,
        desk_seq=next_desk_seq(session, desk_id),
        office_id=office_id,
        dossier_id=dossier_id,
        type=type,
        payload=payload,
        officer_id=officer_id,
        occurred_at=occurred_at,
        origin="local",
        sync_state=SYNC_QUEUED if is_paired(session) else SYNC_LOCAL,
        **columns,
    )
    check_event(event)
    return event


def record_event(
    session: Session,
    *,
    desk_id: str,
    office_id: str,
    dossier_id: str,
    type: str,
    payload: dict[str, Any],
    officer_id: str | None,
    occurred_at: datetime,
) -> tuple[Event, Dossier]:
    """Append a local event, queue it for push and fold it into the dossier.

    Raises ValidationFailed when the event breaks the wire schema (a field too long, a
    control character ...: the same check the central makes, so nothing the desk writes
    can be refused there for its shape), or DomainError from the lifecycle; both before
    anything is flushed, so a refused action leaves the transaction clean.

    `occurred_at` has no default: the caller dates the event by the guarded desk clock
    (`ctx.now()` / `guard.desk_now`), never by a machine clock the desk knows is wrong.
    """
    event = _local_event(
        session,
        desk_id=desk_id,
        office_id=office_id,
        dossier_id=dossier_id,
        type=type,
        payload=payload,
        officer_id=officer_id,
        occurred_at=occurred_at,
    )
    dossier = apply_event(session, event, remote=False)
    session.add(event)
    session.add(Outbox(event_id=event.id, desk_seq=event.desk_seq))
    session.flush()
    event_totals.record(session.connection(), [_columns(event)])
    return event, dossier


def record_created(
    session: Session,
    *,
    desk_id: str,
    office_id: str,
    dossier_id: str,
    type: str,
    payload: dict[str, Any],
    officer_id: str | None,
    occurred_at: datetime,
    lookup: FoldLookup,
) -> tuple[Event, DossierState]:
    """`record_event` for the event that creates a new dossier (intake's path).

    The same event, the same schema check and the same fold (`fold_event` from nothing,
    with the catalogue and office `lookup` the caller already holds); the rows go in with
    bulk statements (`store_states`, `insert_rows`) instead of ORM objects: there is no
    row to read back and no unit of work to run, which cost more than the writes. Returns
    the event (not attached to the session) and the dossier's state as written.
    """
    now = utcnow()
    event = _local_event(
        session,
        desk_id=desk_id,
        office_id=office_id,
        dossier_id=dossier_id,
        type=type,
        payload=payload,
        officer_id=officer_id,
        occurred_at=occurred_at,
        recorded_at=now,  # no ORM defaults on the bulk path: every column given
        server_seq=None,
        server_received_at=None,
        reject_reason=None,
    )
    state = fold_event(None, event, lookup, remote=False)
    store_states(session, {dossier_id: state}, {})
    conn = session.connection()
    row = _columns(event)
    insert_rows(conn, _EVENTS, [row])
    event_totals.record(conn, [row])
    insert_rows(
        conn,
        _OUTBOX,
        [{"event_id": event.id, "desk_seq": event.desk_seq, "enqueued_at": now, "attempts": 0}],
    )
    return event, state


def record_desk_event(
    session: Session,
    *,
    desk_id: str,
    office_id: str,
    type: str,
    payload: dict[str, Any],
    officer_id: str | None,
    occurred_at: datetime,
) -> Event:
    """Append an event about the desk itself (e.g. a supervisor's override) and queue it
    for push: logged and synced like a dossier's, folded into none (dossier_id = desk)."""
    event = _local_event(
        session,
        desk_id=desk_id,
        office_id=office_id,
        dossier_id=desk_id,
        type=type,
        payload=payload,
        officer_id=officer_id,
        occurred_at=occurred_at,
    )
    session.add(event)
    session.add(Outbox(event_id=event.id, desk_seq=event.desk_seq))
    session.flush()
    return event


def _ui_field(path: str) -> str:
    """`payload.applicant.address` -> `address`: the name the forms use for the field."""
    return path.rsplit(".", 1)[-1] if path.startswith("payload.") else path


def check_event(event: Event) -> None:
    """The wire schema's verdict on a new local event, as field errors for the form."""
    try:
        parse_event(event_wire(event))
    except EventInvalid as exc:
        raise ValidationFailed(
            [
                FieldError(_ui_field(p.field), p.code, p.message(current_language()))
                for p in exc.problems
            ]
        ) from None
