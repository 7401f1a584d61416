"""Checking that desks and the central service agree (tests, bench, operators' audits)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.models import Dossier, Event, Office, Outbox
from app.models.events import SYNC_ACCEPTED


def central_view(sessions: sessionmaker[Session], office_code: str) -> dict[str, Any]:
    with sessions() as s:
        office_id = s.scalar(select(Office.id).where(Office.code == office_code))
        events = set(s.scalars(select(Event.id).where(Event.office_id == office_id)))
        dossiers = {
            d.id: (d.code, d.status, d.conflict, d.event_count)
            for d in s.scalars(select(Dossier).where(Dossier.office_id == office_id))
        }
    return {"office_id": office_id, "events": events, "dossiers": dossiers}


def desk_problems(desk_sessions: sessionmaker[Session], central: dict[str, Any]) -> list[str]:
    """Everything that keeps this desk from holding exactly its office's central state."""
    problems: list[str] = []
    with desk_sessions() as s:
        rows = s.execute(select(Event.id, Event.office_id, Event.sync_state)).all()
        ids = [r[0] for r in rows]
        dup = [i for i, n in Counter(ids).items() if n > 1]
        if dup:
            problems.append(f"{len(dup)} events twice")
        mine = {r[0] for r in rows if r[1] == central["office_id"]}
        if mine - central["events"]:
            problems.append(f"{len(mine - central['events'])} desk events not on the central")
        if central["events"] - mine:
            problems.append(f"{len(central['events'] - mine)} central events not on the desk")
        if len(mine) != len(rows):
            problems.append(f"{len(rows) - len(mine)} events of another office on the desk")
        waiting = [r for r in rows if r[2] != SYNC_ACCEPTED]
        if waiting:
            problems.append(f"{len(waiting)} events not accepted: {Counter(r[2] for r in waiting)}")
        if s.scalar(select(Outbox.event_id).limit(1)) is not None:
            problems.append("outbox not empty")
        dossiers = {
            d.id: (d.code, d.status, d.conflict, d.event_count) for d in s.scalars(select(Dossier))
        }
    codes = Counter(v[0] for v in dossiers.values())
    if any(n > 1 for n in codes.values()):
        problems.append("a dossier code twice on the desk")
    if set(dossiers) != set(central["dossiers"]):
        problems.append(
            f"dossier sets differ: desk {len(dossiers)} central {len(central['dossiers'])}"
        )
    differ = [k for k, v in dossiers.items() if central["dossiers"].get(k) not in (None, v)]
    if differ:
        k = differ[0]
        problems.append(
            f"{len(differ)} dossiers differ, e.g. desk {dossiers[k]} "
            f"central {central['dossiers'][k]}"
        )
    return problems
