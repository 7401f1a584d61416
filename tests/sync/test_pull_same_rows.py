"""A pull stores the same rows and folds the same dossier states, whatever its speed-ups.

The digest below was taken from the pull before the speed-ups of December 2026 (main at
61527aa): every row of the tables a pull fills, in insertion order, with ids (random per
run) replaced by their order of first appearance and `updated_at` (the wall clock) left
out. The central's feed is fixed (times, payloads, order); pages of 7 events split most
dossiers over two pages, so both the fold of new dossiers and the fold on top of a stored
one are covered. A speed-up must never change the digest.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from app.central import admin
from app.central.api import create_app
from app.central.models import EventOrder, OfficeCounter
from app.central.service import authenticate, content_hash
from app.config import DB_FILENAME
from app.domain.dossier_code import format_code
from app.models import Event
from app.sync.commands import SyncReport, _client_for, _pull, connect
from tests.support.central import (
    ServerThread,
    current_catalogue_version,
    new_desk,
    received_payload,
)
from tests.unit.services.test_seed_same_rows import _digest

OFFICE = "000.00.31.H56"
AT = datetime(2026, 11, 20, 2, 30, 0, 123456, tzinfo=UTC)
FOLLOW_UPS = ("transferred", "result_ready", "returned", "feedback_given")
FEEDBACK = {"scores": {"1": 2, "3": 2, "4": 1, "7": 2}, "channel": "desk"}
EXPECTED = "52ee66d1f0b0010b1325433a749ca5df3c4b0f330007a367ea008badf49c71c7"


def _fill(app: object, office_id: str, desk_id: str, dossiers: int, version: str) -> int:
    rows, orders, seq = [], [], 0
    with app.state.sessions.begin() as s:  # type: ignore[attr-defined]
        for i in range(dossiers):
            dossier_id = str(uuid.uuid4())
            code = format_code(OFFICE, date(2026, 11, 20), i + 1)
            for k, t in enumerate(("received", *FOLLOW_UPS)):
                seq += 1
                at = AT + timedelta(minutes=i, seconds=k)
                payload = (
                    received_payload(code, i + 1, catalogue_version=version, when=at)
                    if t == "received"
                    else (FEEDBACK if t == "feedback_given" else {})
                )
                ev = {
                    "id": str(uuid.uuid4()),
                    "desk_id": desk_id,
                    "desk_seq": seq,
                    "office_id": office_id,
                    "dossier_id": dossier_id,
                    "type": t,
                    "payload": payload,
                    "officer_id": None,
                    "occurred_at": at,
                    "recorded_at": at + timedelta(microseconds=7 * (k % 2)),
                    "origin": "desk",
                    "sync_state": "accepted",
                    "server_received_at": AT + timedelta(hours=1, minutes=i // 4),
                }
                rows.append(ev)
                orders.append(
                    {
                        "office_id": office_id,
                        "seq": seq,
                        "event_id": ev["id"],
                        "desk_id": desk_id,
                        "received_at": ev["server_received_at"],
                        "conflict": False,
                        "payload_hash": content_hash(ev),
                    }
                )
        s.execute(insert(Event), rows)
        s.execute(insert(EventOrder), orders)
        s.merge(OfficeCounter(office_id=office_id, last_seq=seq))
    return seq


def test_a_pull_stores_the_same_rows(tmp_path: Path) -> None:
    app = create_app(f"sqlite:///{tmp_path / 'central.sqlite3'}", rate_limit=None)
    with app.state.sessions.begin() as s:
        office = admin.add_office(s, OFFICE, "Một cửa")
        writer = admin.add_desk(s, OFFICE, "Quầy 1")
        token = admin.add_desk(s, OFFICE, "Quầy 2").token
        version = current_catalogue_version(s)
        office_id = office.id
    with app.state.sessions() as s:
        writer_id = authenticate(s, writer.token).desk_id
    events = _fill(app, office_id, writer_id, 60, version)
    with ServerThread(app) as server:
        desk = new_desk(tmp_path / "desk", office_code=OFFICE)
        connect(desk, server.url, token, sync=False)
        client = _client_for(desk.sessions, 30)
        report = SyncReport()
        _pull(desk.sessions, client, report, 7)
        client.close()
        desk.close()
    app.state.engine.dispose()
    assert report.inserted == events and report.projection_errors == report.refolded == 0
    got = _digest(tmp_path / "desk" / DB_FILENAME)
    assert got == EXPECTED, got
