"""The sync status a person can trust: per dossier, per desk, and the rejected events.

Pure queries (plus two small writes: retry and set aside); the UI calls these through a
worker and shows the result, never guessing from the network state alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.domain.lifecycle import EventType
from app.domain.messages import current_language
from app.domain.text import nfc
from app.models import Dossier, Event, Outbox
from app.models.events import (
    SYNC_ACCEPTED,
    SYNC_LOCAL,
    SYNC_QUEUED,
    SYNC_REJECTED,
    SYNC_SENT,
    SYNC_SET_ASIDE,
)
from app.services.context import DeskContext, get_setting

#: Worst first: a dossier shows the worst state over its events.
_SEVERITY = {
    SYNC_REJECTED: 0,
    SYNC_LOCAL: 1,
    SYNC_QUEUED: 2,
    SYNC_SENT: 3,
    SYNC_ACCEPTED: 4,
    SYNC_SET_ASIDE: 5,
}


#: What the last round found (DeskSyncStatus.state).
ONLINE = "online"  # the central answered and took this desk's requests
REFUSED = "refused"  # the central refused this desk (token revoked, another office ...)
CENTRAL_ERROR = "central_error"  # reachable, but it answered with a server error
OFFLINE = "offline"  # the central could not be reached
STATES = (ONLINE, REFUSED, CENTRAL_ERROR, OFFLINE)
#: The watchdog: a queue head that has not moved for this long while online is flagged.
STUCK_AFTER_S = 600.0


@dataclass(frozen=True)
class DeskSyncStatus:
    """Per desk: connection state (with why), the queue, its head's age, last successes.

    `online` is kept for older callers: True for online, refused and central error (the
    central answered), False offline, None before the first round.
    """

    online: bool | None
    waiting_count: int
    oldest_waiting_age_s: float | None
    last_good_sync: datetime | None
    last_error: str
    clock_skew_s: float | None
    rejected_count: int
    paired: bool = True
    state: str | None = None
    reason: str = ""
    head_event_id: str | None = None
    head_desk_seq: int | None = None
    head_attempts: int = 0
    head_last_error: str = ""
    last_push_ok: datetime | None = None
    last_pull_ok: datetime | None = None
    #: The watchdog's flag: online, and the queue head has not moved for STUCK_AFTER_S.
    stuck: bool = False


@dataclass(frozen=True)
class RejectedEvent:
    """A refused event as the sync screen lists it; `reason` in the current language."""

    event_id: str
    dossier_id: str
    type: str
    desk_seq: int
    occurred_at: datetime
    reason: str
    reason_code: str = ""
    field: str = ""
    dossier_code: str = ""


def reason_parts(stored: str | None, lang: str | None = None) -> tuple[str, str, str]:
    """(code, field, text) of a stored refusal: JSON from protocol 2, plain text before."""
    if not stored:
        return "", "", ""
    try:
        data = json.loads(stored)
    except ValueError:
        return "", "", stored
    if not isinstance(data, dict):
        return "", "", stored
    lang = lang or current_language()
    text = data.get("en" if lang == "en" else "vi") or data.get("en") or ""
    return str(data.get("code") or ""), str(data.get("field") or ""), str(text)


def _dt(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def desk_status(
    session: Session, *, online: bool | None = None, state: str | None = None, reason: str = ""
) -> DeskSyncStatus:
    """Waiting events (local, queued, sent), the head of the queue and its age, last
    successes, skew, rejections; `state`/`reason` come from the sync loop (it alone knows)."""
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
    head = session.execute(
        select(Outbox.event_id, Outbox.desk_seq, Outbox.attempts, Outbox.last_error)
        .join(Event, Event.id == Outbox.event_id)
        .where(Event.sync_state.in_([SYNC_QUEUED, SYNC_SENT]))
        .order_by(Outbox.desk_seq)
        .limit(1)
    ).first()
    if online is None and state is not None:
        online = state != OFFLINE
    return DeskSyncStatus(
        online=online,
        waiting_count=int(waiting or 0),
        oldest_waiting_age_s=(now - oldest).total_seconds() if oldest else None,
        last_good_sync=_dt(get_setting(session, "sync.last_good_sync")),
        last_error=get_setting(session, "sync.last_error"),
        clock_skew_s=float(skew) if skew else None,
        rejected_count=int(rejected or 0),
        paired=bool(get_setting(session, "sync.central_url")),
        state=state,
        reason=reason,
        head_event_id=head[0] if head else None,
        head_desk_seq=int(head[1]) if head else None,
        head_attempts=int(head[2] or 0) if head else 0,
        head_last_error=(head[3] or "") if head else "",
        last_push_ok=_dt(get_setting(session, "sync.last_push_ok")),
        last_pull_ok=_dt(get_setting(session, "sync.last_pull_ok")),
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


def rejected_events(session: Session, lang: str | None = None) -> list[RejectedEvent]:
    rows = session.execute(
        select(Event, Dossier.code)
        .outerjoin(Dossier, Dossier.id == Event.dossier_id)
        .where(Event.sync_state == SYNC_REJECTED)
        .order_by(Event.desk_seq)
    )
    out = []
    for e, code in rows:
        rcode, field, text = reason_parts(e.reject_reason, lang)
        out.append(
            RejectedEvent(
                e.id,
                e.dossier_id,
                e.type,
                e.desk_seq,
                e.occurred_at,
                text,
                rcode,
                field,
                code or "",
            )
        )
    return out


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


def set_aside(ctx: DeskContext, event_id: str, note: str = "") -> str | None:
    """Stop retrying a refused event, and record that as an event of its own (audited:
    who, when, which event, the central's reason, the officer's note). The refused event
    stays in the log. Returns the new event's id, None when the event is not refused."""
    from app.services.event_log import record_event
    from app.services.guard import desk_now
    from app.services.setup import current_desk

    with ctx.transaction() as s:
        ev = s.get(Event, event_id)
        desk = current_desk(s)
        if ev is None or ev.sync_state != SYNC_REJECTED or desk is None:
            return None
        code, _field, _text = reason_parts(ev.reject_reason)
        set_aside_event(s, event_id)
        record, _ = record_event(
            s,
            desk_id=desk.desk_id,
            office_id=ev.office_id,
            dossier_id=ev.dossier_id,
            type=EventType.SET_ASIDE.value,
            payload={"event_id": event_id, "reason_code": code[:64], "note": nfc(note)},
            officer_id=ctx.officer_id,
            occurred_at=desk_now(ctx, s),
        )
        return record.id


def rejected_list(ctx: DeskContext) -> list[RejectedEvent]:
    """`rejected_events` in its own read (for the sync screen's worker)."""
    with ctx.read() as s:
        return rejected_events(s)


def retry(ctx: DeskContext, event_id: str) -> bool:
    """Queue a refused event again (after the cause was fixed, e.g. a catalogue published)."""
    with ctx.transaction() as s:
        return retry_event(s, event_id)
