"""The central's bulk insert (app.models.bulk on PostgreSQL) stores what Core's insert
stores: every column type of the event and dossier tables, NULLs, Python-side defaults."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import create_engine, delete, insert, select

from app.central.db import open_central
from app.models import Dossier, Event
from app.models.bulk import insert_rows

EVENTS = Event.__table__
DOSSIERS = Dossier.__table__


def _event(n: int, **over: object) -> dict[str, object]:
    row: dict[str, object] = {
        "id": f"00000000-0000-4000-8000-{n:012d}",
        "desk_id": "desk-1",
        "desk_seq": n,
        "office_id": "office-1",
        "dossier_id": f"dossier-{n}",
        "type": "received",
        "payload": {"applicant": {"full_name": "Nguyễn Thị Hoa"}, "n": n, "ok": True, "x": None},
        "officer_id": None,
        "occurred_at": datetime(2026, 3, 2, 8, 0, tzinfo=timezone(timedelta(hours=7))),
        "recorded_at": datetime(2026, 3, 2, 1, 0, 5, 123456, tzinfo=UTC),
        "origin": "desk",
        "sync_state": "accepted",
        "server_seq": None,
        "server_received_at": datetime(2026, 3, 2, 1, 0, 6, tzinfo=UTC),
        "reject_reason": 'a "quoted" \\ reason\nover two lines',
    }
    row.update(over)
    return row


def _read(conn, table, key):  # type: ignore[no-untyped-def]
    return [dict(r) for r in conn.execute(select(table).order_by(table.c[key])).mappings()]


def test_bulk_insert_stores_what_core_stores(pg_url: str) -> None:
    engine, _sessions = open_central(pg_url)
    try:
        with engine.begin() as conn:
            # storage, not references: the rows name no real office or procedure
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
            core = [_event(1), _event(2, payload={"list": [1, 2.5, "ễ"]}, desk_seq=2**31 - 1)]
            conn.execute(insert(EVENTS), core)
            expected = _read(conn, EVENTS, "desk_seq")
            conn.execute(delete(EVENTS).where(EVENTS.c.desk_id == "desk-1"))
            insert_rows(conn, EVENTS, core)
            assert _read(conn, EVENTS, "desk_seq") == expected
            conn.execute(delete(EVENTS).where(EVENTS.c.desk_id == "desk-1"))

            # a naive time is refused as Core refuses it (UTCDateTime), not stored as local
            with pytest.raises(ValueError, match="naive"):
                insert_rows(conn, EVENTS, [_event(5, occurred_at=datetime(2026, 3, 2, 8))])

            # left-out columns: Python defaults filled per row (id, recorded_at, origin,
            # sync_state), as Core fills them
            slim = [
                {
                    k: v
                    for k, v in _event(n).items()
                    if k not in ("id", "recorded_at", "origin", "sync_state")
                }
                for n in (3, 4)
            ]
            insert_rows(conn, EVENTS, slim)
            got = _read(conn, EVENTS, "desk_seq")
            assert [r["origin"] for r in got] == ["local", "local"]
            assert [r["sync_state"] for r in got] == ["queued", "queued"]
            assert len({r["id"] for r in got}) == 2 and all(len(r["id"]) == 36 for r in got)
            assert all(r["recorded_at"].tzinfo is not None for r in got)
            conn.execute(delete(EVENTS).where(EVENTS.c.desk_id == "desk-1"))

            dossier = {
                "id": "d-1",
                "code": "000.00.31.H56-260302-0001",
                "office_id": "office-1",
                "desk_id": "desk-1",
                "procedure_version_id": "pv",
                "procedure_code": "1.001",
                "catalogue_version": "2025.1",
                "status": "received",
                "full_name": "Nguyễn Thị Hoa",
                "name_fold": "nguyen thi hoa",
                "date_of_birth": date(1990, 5, 17),
                "received_at": datetime(2026, 3, 2, 1, 0, tzinfo=UTC),
                "due_date": date(2026, 4, 11),
                "rescheduled": True,
                "conflict": False,
                "event_count": 3,
                "log_book_year": 2026,
                "log_book_volume": 1,
                "log_book_entry": 1,
            }
            conn.execute(insert(DOSSIERS), [dossier])
            expected = _read(conn, DOSSIERS, "id")
            conn.execute(delete(DOSSIERS).where(DOSSIERS.c.id == "d-1"))
            insert_rows(conn, DOSSIERS, [dossier])
            got = _read(conn, DOSSIERS, "id")
            # updated_at is the clock's when filled in
            for rows in (expected, got):
                for r in rows:
                    r.pop("updated_at")
            assert got == expected
            conn.rollback()
    finally:
        engine.dispose()


def test_bulk_insert_sqlite_unchanged(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The desk's path (SQLite) is not the JSON one: the same rows go in as before."""
    engine = create_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    EVENTS.create(engine)
    with engine.begin() as conn:
        insert_rows(conn, EVENTS, [_event(1)])
        assert _read(conn, EVENTS, "desk_seq")[0]["payload"]["n"] == 1
