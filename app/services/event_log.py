"""Appending events: the event, its outbox entry and the projection in one transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Dossier, Event, Outbox, new_id, utcnow
from app.models.events import SYNC_LOCAL, SYNC_QUEUED
from app.services.context import get_setting
from app.services.projection import apply_event


def next_desk_seq(session: Session, desk_id: str) -> int:
    """Per-desk sequence; safe because writes run under BEGIN IMMEDIATE."""
    current = session.scalar(select(func.max(Event.desk_seq)).where(Event.desk_id == desk_id))
    return (current or 0) + 1


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
    occurred_at: datetime | None = None,
) -> tuple[Event, Dossier]:
    """Append a local event, queue it for push and fold it into the dossier.

    Raises DomainError (from the lifecycle) before anything is flushed, so a refused
    action leaves the transaction clean.
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
        occurred_at=occurred_at or utcnow(),
        origin="local",
        sync_state=SYNC_QUEUED if is_paired(session) else SYNC_LOCAL,
    )
    dossier = apply_event(session, event, remote=False)
    session.add(event)
    session.add(Outbox(event_id=event.id, desk_seq=event.desk_seq))
    session.flush()
    return event, dossier
