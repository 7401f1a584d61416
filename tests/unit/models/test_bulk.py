"""Bulk inserts store the very text the ORM stores (the seed and the pull rely on it)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Table, create_engine, insert
from sqlalchemy.dialects import sqlite

from app.models import CalendarDay, Event
from app.models.base import Base, UTCDateTime
from app.models.bulk import _fast_date, _sqlite_utc, insert_rows

DIALECT = sqlite.dialect()
UTC_PROC = UTCDateTime()._cached_bind_processor(DIALECT)
EVENTS: Table = Event.__table__  # type: ignore[assignment]
DATE_TYPE = CalendarDay.__table__.c.day.type  # type: ignore[attr-defined]
DATE_PROC = DATE_TYPE._cached_bind_processor(DIALECT)

offsets = st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))


@settings(max_examples=300)
@given(st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)), offsets)
def test_quick_utc_text_is_sqlalchemys_text(value: datetime, tz: timezone) -> None:
    aware = value.replace(tzinfo=tz)
    assert _sqlite_utc(aware) == UTC_PROC(aware)


@settings(max_examples=200)
@given(st.dates(min_value=date(1000, 1, 1)) | st.datetimes(min_value=datetime(1000, 1, 1)))
def test_quick_date_text_is_sqlalchemys_text(value: date) -> None:
    fast = _fast_date(DATE_TYPE, DIALECT, DATE_PROC)
    assert fast is not DATE_PROC
    assert fast(value) == DATE_PROC(value)


def test_naive_datetime_is_refused_as_by_the_orm() -> None:
    for proc in (_sqlite_utc, UTC_PROC):
        try:
            proc(datetime(2026, 1, 1))
        except ValueError:
            continue
        raise AssertionError("a naive datetime was written")


def test_rows_read_back_equal_to_core_inserted_ones(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    Base.metadata.create_all(engine, tables=[EVENTS])
    at = datetime(2026, 11, 17, 9, 30, 1, 5, tzinfo=timezone(timedelta(hours=7)))
    row = {
        "desk_id": "d",
        "desk_seq": 1,
        "office_id": "o",
        "dossier_id": "x",
        "type": "received",
        "payload": {"a": "Nguyễn", "n": 1},
        "officer_id": None,
        "occurred_at": at,
        "recorded_at": at.astimezone(UTC),
        "origin": "local",
        "sync_state": "local",
    }
    with engine.begin() as conn:
        insert_rows(conn, EVENTS, [{**row, "id": "bulk"}])
        conn.execute(insert(EVENTS), [{**row, "id": "core", "desk_seq": 2}])
        got = conn.exec_driver_sql(
            "SELECT payload, occurred_at, recorded_at FROM events ORDER BY id"
        ).all()
    assert got[0] == got[1]
    assert got[0][1] == "2026-11-17 02:30:01.000005"


def test_insert_plan_rows_equal_insert_rows_ones(tmp_path: Path) -> None:
    """A caller building its tuples with `insert_plan`'s processors (the pull's events)
    stores what `insert_rows` stores; a processor is only there for a converted column."""
    from app.models.bulk import insert_plan

    engine = create_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    Base.metadata.create_all(engine, tables=[EVENTS])
    at = datetime(2026, 11, 17, 9, 30, 1, 5, tzinfo=timezone(timedelta(hours=7)))
    row = {
        "id": "rows",
        "desk_id": "d",
        "desk_seq": 1,
        "office_id": "o",
        "dossier_id": "x",
        "type": "received",
        "payload": {},
        "officer_id": None,
        "occurred_at": at,
        "recorded_at": at.astimezone(UTC),
        "origin": "local",
        "sync_state": "local",
    }
    keys = tuple(row)
    with engine.begin() as conn:
        insert_rows(conn, EVENTS, [row])
        sql, procs = insert_plan(conn, EVENTS, keys)
        assert {k for k, p in zip(keys, procs, strict=True) if p} == {
            "payload",
            "occurred_at",
            "recorded_at",
        }
        planned = {**row, "id": "plan", "desk_seq": 2}
        conn.exec_driver_sql(
            sql,
            [tuple(p(planned[k]) if p else planned[k] for k, p in zip(keys, procs, strict=True))],
        )
        got = conn.exec_driver_sql(
            "SELECT payload, occurred_at, recorded_at FROM events ORDER BY id"
        ).all()
    assert got[0] == got[1] == ("{}", "2026-11-17 02:30:01.000005", "2026-11-17 02:30:01.000005")


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300)
@given(st.dictionaries(st.text(), _json, max_size=5) | st.lists(_json, max_size=4))
def test_quick_json_text_is_sqlalchemys_text(value: object) -> None:
    """The payload column's quicker processor (json's C encoder built once) writes the
    text SQLAlchemy's JSON processor writes: non-ASCII, escapes, floats, big integers."""
    from app.models.bulk import _fast_json

    col = EVENTS.c.payload
    proc = col.type._cached_bind_processor(DIALECT)
    fast = _fast_json(col.type, DIALECT, proc)
    assert fast is not proc
    assert fast(value) == proc(value)
