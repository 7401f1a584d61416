"""Appending events: the event, its outbox entry and the projection in one transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.errors import FieldError, ValidationFailed
from app.domain.messages import current_language
from app.models import Dossier, Event, Outbox, new_id
from app.models.event_schema import EventInvalid, event_wire, parse_event
from app.models.events import SYNC_LOCAL, SYNC_QUEUED
from app.services.context import get_setting
from app.services.projection import apply_event


def next_desk_seq(session: Session, desk_id: str) -> int:
    """Per-desk sequence; safe because writes run under BEGIN IMMEDIATE.

    Never below `sync.desk_seq_floor`: the highest number the central holds of this desk,
    learnt when a desk that lost its database is paired again (app.sync.commands).
    """
    current = session.scalar(select(func.max(Event.desk_seq)).where(Event.desk_id == desk_id))
    floor = int(get_setting(session, "sync.desk_seq_floor") or 0)
    return max(current or 0, floor) + 1


def is_paired(session: Session) -> bool:
    return bool(get_setting(session, "sync.central_url") and get_setting(session, "sync.token"))


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
    )
    check_event(event)
    dossier = apply_event(session, event, remote=False)
    session.add(event)
    session.add(Outbox(event_id=event.id, desk_seq=event.desk_seq))
    session.flush()
    return event, dossier


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
    event = Event(
        id=new_id(),
        desk_id=desk_id,
        desk_seq=next_desk_seq(session, desk_id),
        office_id=office_id,
        dossier_id=desk_id,
        type=type,
        payload=payload,
        officer_id=officer_id,
        occurred_at=occurred_at,
        origin="local",
        sync_state=SYNC_QUEUED if is_paired(session) else SYNC_LOCAL,
    )
    check_event(event)
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
