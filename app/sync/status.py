"""The sync status a person can trust: per dossier, per desk, and the rejected events.

Pure queries (plus two small writes: retry and set aside); the UI calls these through a
worker and shows the result, never guessing from the network state alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.models import Event, Outbox
from app.models.events import (
    SYNC_ACCEPTED,
    SYNC_LOCAL,
    SYNC_QUEUED,
    SYNC_REJECTED,
    SYNC_SENT,
    SYNC_SET_ASIDE,
)
from app.services.context import get_setting

#: Worst first: a dossier shows the worst state over its events.
_SEVERITY = {
    SYNC_REJECTED: 0,
    SYNC_LOCAL: 1,
    SYNC_QUEUED: 2,
    SYNC_SENT: 3,
    SYNC_ACCEPTED: 4,
    SYNC_SET_ASIDE: 5,
}


@dataclass(frozen=True)
class DeskSyncStatus:
    online: bool | None
    waiting_count: int
    oldest_waiting_age_s: float | None
    last_good_sync: datetime | None
    last_error: str
    clock_skew_s: float | None
    rejected_count: int
    paired: bool = True


@dataclass(frozen=True)
class RejectedEvent:
    event_id: str
    dossier_id: str
    type: str
    desk_seq: int
    occurred_at: datetime
    reason: str


def _dt(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def desk_status(session: Session, *, online: bool | None = None) -> DeskSyncStatus:
    """Waiting events (local, queued, sent), their age, last good sync, skew, rejections."""
    now = datetime.now(UTC)
    waiting, oldest = session.execute(
        select(func.count(Event.id), func.min(Event.recorded_at)).where(
            Event.sync_state.in_([SYNC_LOCAL, SYNC_QUEUED, SYNC_SENT])
        )
    ).one()
    rejected = session.scalar(select(func.count(Event.id)).where(Event.sync_state == SYNC_REJECTED))
    skew = get_setting(session, "sync.clock_skew_s")
    if oldest is not None and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=UTC)
    return DeskSyncStatus(
        online=online,
        waiting_count=int(waiting or 0),
        oldest_waiting_age_s=(now - oldest).total_seconds() if oldest else None,
        last_good_sync=_dt(get_setting(session, "sync.last_good_sync")),
        last_error=get_setting(session, "sync.last_error"),
        clock_skew_s=float(skew) if skew else None,
        rejected_count=int(rejected or 0),
        paired=bool(get_setting(session, "sync.central_url")),
    )


def dossier_sync_state(session: Session, dossier_id: str) -> str | None:
    """local / queued / sent / accepted / rejected: the worst over the dossier's events."""
    states = set(session.scalars(select(Event.sync_state).where(Event.dossier_id == dossier_id)))
    states.discard(SYNC_SET_ASIDE)
    if not states:
        return None
    return min(states, key=lambda s: _SEVERITY.get(s, 0))


def dossier_sync_states(session: Session, dossier_ids: list[str]) -> dict[str, str]:
    """The same for many dossiers in one query (list views)."""
    out: dict[str, str] = {}
    rows = session.execute(
        select(Event.dossier_id, Event.sync_state)
        .where(Event.dossier_id.in_(dossier_ids), Event.sync_state != SYNC_SET_ASIDE)
        .distinct()
    )
    for dossier_id, state in rows:
        cur = out.get(dossier_id)
        if cur is None or _SEVERITY.get(state, 0) < _SEVERITY.get(cur, 0):
            out[dossier_id] = state
    return out


def rejected_events(session: Session) -> list[RejectedEvent]:
    rows = session.scalars(
        select(Event).where(Event.sync_state == SYNC_REJECTED).order_by(Event.desk_seq)
    )
    return [
        RejectedEvent(e.id, e.dossier_id, e.type, e.desk_seq, e.occurred_at, e.reject_reason or "")
        for e in rows
    ]


def retry_event(session: Session, event_id: str) -> bool:
    """Queue a rejected or set-aside event again (e.g. after the catalogue was published)."""
    ev = session.get(Event, event_id)
    if ev is None or ev.sync_state not in (SYNC_REJECTED, SYNC_SET_ASIDE):
        return False
    ev.sync_state = SYNC_QUEUED
    ev.reject_reason = None
    if session.get(Outbox, event_id) is None:
        session.add(Outbox(event_id=event_id, desk_seq=ev.desk_seq))
    session.flush()
    return True


def set_aside_event(session: Session, event_id: str) -> bool:
    """Stop retrying a rejected event; it stays in the log for the audit trail."""
    ev = session.get(Event, event_id)
    if ev is None or ev.sync_state != SYNC_REJECTED:
        return False
    ev.sync_state = SYNC_SET_ASIDE
    session.execute(delete(Outbox).where(Outbox.event_id == event_id))
    session.flush()
    return True
