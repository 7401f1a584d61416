"""The desk's bulk insert writes UTC times as the same text as the ORM/Core path (one
conversion step instead of two layers of processors), and still refuses a naive time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter
from sqlalchemy import create_engine, insert

from app.models import Event
from app.models.bulk import insert_rows

EVENTS = Event.__table__
TIMES = [
    datetime(2026, 3, 2, 8, 0, tzinfo=timezone(timedelta(hours=7))),  # no microseconds
    datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    datetime(2000, 1, 1, 0, 0, 0, 1, tzinfo=timezone(timedelta(hours=-11, minutes=-30))),
    datetime(2100, 6, 1, 12, 30, tzinfo=timezone(timedelta(hours=14))),
]


def _row(n: int, t: datetime) -> dict[str, object]:
    return {
        "id": f"00000000-0000-4000-8000-{n:012d}",
        "desk_id": "desk-1",
        "desk_seq": n,
        "office_id": "office-1",
        "dossier_id": "dossier-1",
        "type": "transferred",
        "payload": {},
        "officer_id": None,
        "occurred_at": t,
        "recorded_at": t,
        "origin": "remote",
        "sync_state": "accepted",
        "server_seq": n,
        "server_received_at": t,
    }


def test_times_stored_as_core_stores_them(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = create_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    EVENTS.create(engine)
    with engine.begin() as conn:
        conn.execute(insert(EVENTS), [_row(k, t) for k, t in enumerate(TIMES, 1)])
        core = conn.exec_driver_sql(
            "SELECT occurred_at, recorded_at, server_received_at FROM events ORDER BY desk_seq"
        ).all()
        conn.exec_driver_sql("DELETE FROM events")
        insert_rows(conn, EVENTS, [_row(k, t) for k, t in enumerate(TIMES, 1)])
        bulk = conn.exec_driver_sql(
            "SELECT occurred_at, recorded_at, server_received_at FROM events ORDER BY desk_seq"
        ).all()
    assert bulk == core
    assert core[0][0] == "2026-03-02 01:00:00.000000"
    with engine.begin() as conn, pytest.raises(ValueError, match="naive"):
        insert_rows(conn, EVENTS, [_row(9, datetime(2026, 3, 2, 8))])


_ZONES = st.one_of(
    st.just(UTC),
    st.builds(
        lambda m: timezone(timedelta(minutes=m)), st.integers(min_value=-23 * 60, max_value=23 * 60)
    ),
    st.sampled_from([ZoneInfo("Asia/Ho_Chi_Minh"), ZoneInfo("America/New_York")]),
)


@settings(max_examples=500, deadline=None)
@given(
    st.datetimes(min_value=datetime(2, 1, 1), max_value=datetime(9998, 12, 31), timezones=_ZONES)
)
def test_one_step_conversion_equals_the_two_steps(v: datetime) -> None:
    """Offset subtraction and a cut isoformat give astimezone(UTC)'s text, DST folds and
    zones with odd offsets included; the same object twice (the memo) gives it again."""
    from app.models.bulk import _sqlite_utc, _sqlite_utc_reference

    assert _sqlite_utc(v) == _sqlite_utc_reference(v)
    assert _sqlite_utc(v) == _sqlite_utc_reference(v)
    w = v + timedelta(microseconds=1)
    assert _sqlite_utc(w) == _sqlite_utc_reference(w)
    # An equal time in another object (the memo once compared them): the same instant in
    # another zone, and the other reading of a DST fold (equal in its zone, an hour apart).
    for x in (w.replace(), w.astimezone(UTC), w.replace(fold=1 - w.fold), w.replace(fold=0)):
        assert _sqlite_utc(x) == _sqlite_utc_reference(x)


def test_equal_times_of_a_dst_fold_are_not_taken_for_one_instant() -> None:
    """01:30 on the night New York leaves summer time happens twice (fold 0 and 1): the two
    compare equal in their zone but are an hour apart, so the memo must not reuse a text."""
    from app.models.bulk import _sqlite_utc

    first = datetime(2026, 11, 1, 1, 30, tzinfo=ZoneInfo("America/New_York"))
    second = first.replace(fold=1)
    assert first == second
    assert _sqlite_utc(first) == "2026-11-01 05:30:00.000000"
    assert _sqlite_utc(second) == "2026-11-01 06:30:00.000000"
    same = first.astimezone(timezone(timedelta(hours=7)))  # another zone, the same instant
    assert _sqlite_utc(same) == "2026-11-01 05:30:00.000000"


_WIRE_PARSE = TypeAdapter(datetime)


@settings(max_examples=500, deadline=None)
@given(
    st.datetimes(min_value=datetime(2, 1, 1), max_value=datetime(9998, 12, 31), timezones=_ZONES),
    st.sampled_from(["auto", "microseconds", "seconds", "milliseconds"]),
    st.sampled_from(["T", " "]),
    st.booleans(),
    st.booleans(),
)
def test_a_wire_time_cut_from_its_text_is_the_parsed_time_converted(
    v: datetime, spec: str, sep: str, in_utc: bool, zulu: bool
) -> None:
    """The pull stores a wire time's own digits when its text is UTC with microseconds,
    and that text is what converting the time pydantic parsed from it gives; any other
    form is left to the conversion (None)."""
    from app.models.bulk import _sqlite_utc, wire_utc_text

    t = v.astimezone(UTC) if in_utc else v
    text = t.isoformat(sep, spec)
    if zulu and text.endswith("+00:00"):
        text = text[:-6] + "Z"
    cut = wire_utc_text(text)
    assert cut is None or cut == _sqlite_utc(_WIRE_PARSE.validate_python(text))
    if (
        in_utc
        and sep == "T"
        and not zulu
        and (spec == "microseconds" or (spec == "auto" and v.microsecond))
    ):
        assert cut == _sqlite_utc(t)  # what `_iso` sends: cut, never converted
    assert wire_utc_text(None) is None and wire_utc_text(t) is None
