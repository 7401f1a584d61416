"""The per-day event counts the writers keep (`event_day_totals`) give the same daily
summary as the plain queries over the events (`reports.daily_summary(..., plain=True)`,
the reference), over random histories stored through the pull's own apply path
(`commands._store_page`): pages out of server order (a settlement that changes after the
result was returned: an earlier refusal, a new appointment, arriving later), a page
stored twice, events of other desks and officers and of no officer, ratings with any
scores, days that change at 17:00 UTC; for every scope, also by procedure. The
migrations' SQL fills and a Python recount of the stored events must give the rows the
writers kept. Returns of a dossier this desk never receives the record of are not
counted, nor any of its events for a procedure (the plain query joins the dossier); an
event stored before its dossier's record counts for its procedure once the record
comes."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select
from sqlalchemy import event as sa_event

from app.models import (
    Dossier,
    DossierComponent,
    DossierDayTotal,
    DossierMonthTotal,
    Event,
    EventDayTotal,
    EventProcedureDayTotal,
    Outbox,
)
from app.services import event_totals, reports
from app.services.context import DeskContext
from app.sync import commands
from tests.support.day_totals import assert_event_totals_match_events, history_world

BASE = date(2026, 10, 1)
FOLLOW_UPS = (
    "result_ready",
    "result_ready",
    "returned",
    "returned",
    "posted",
    "feedback_given",
    "refused",
    "cancelled",
    "supplement_requested",
    "supplement_received",
    "appointment_changed",
    "transferred",
    "printed",
)
OFFICERS = ("me", "other", None)


def _at(day: int, hour: int) -> datetime:
    """Day `day` after BASE at `hour` UTC (17:00 UTC and later is the next Vietnam day)."""
    return datetime.combine(BASE + timedelta(days=day), datetime.min.time(), UTC).replace(hour=hour)


step = st.fixed_dictionaries(
    {
        "type": st.sampled_from(FOLLOW_UPS),
        "day": st.integers(-2, 20),
        "hour": st.integers(0, 23),
        "offset": st.integers(-3, 10),  # a new due date, from the event's day
        "other_desk": st.booleans(),
        "officer": st.sampled_from(OFFICERS),
        "scores": st.dictionaries(st.sampled_from(("1", "3", "4", "7")), st.integers(0, 2)),
        "page": st.integers(0, 2),  # stored with the first, second or third page
    }
)
dossier = st.fixed_dictionaries(
    {
        "proc": st.integers(0, 1),
        "other_desk": st.booleans(),
        "officer": st.sampled_from(OFFICERS),
        "day": st.integers(0, 15),
        "hour": st.integers(0, 23),
        "due": st.integers(-1, 10),
        "page": st.integers(0, 3),  # 3: its record never comes (its events are orphans)
        "steps": st.lists(step, max_size=5),
    }
)


@pytest.fixture
def world(desk: DeskContext) -> Iterator[dict[str, Any]]:
    w = history_world(desk)
    w["officers"] = {"me": w.pop("officer"), "other": "another-officer", None: None}
    yield w


def _pages(w: dict[str, Any], dossiers: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The histories as the central's feed would give them: server numbers in history
    order, each event on the page its history drew (so a later page may hold earlier
    numbers: the desk refolds those dossiers)."""
    pages: list[list[dict[str, Any]]] = [[], [], [], []]
    seq = 0
    for i, d in enumerate(dossiers):
        code, version = w["procs"][d["proc"]]
        dossier_id = str(uuid.UUID(int=i + 1))
        received = _at(d["day"], d["hour"])

        def ev(
            etype: str,
            when: datetime,
            payload: dict[str, Any],
            x: dict[str, Any],
            dossier_id: str = dossier_id,
        ) -> None:
            nonlocal seq
            seq += 1
            pages[x["page"]].append(
                {
                    "id": str(uuid.UUID(int=10_000 + seq)),
                    "desk_id": "another-desk" if x["other_desk"] else w["desk"],
                    "desk_seq": seq,
                    "office_id": w["office"],
                    "dossier_id": dossier_id,
                    "type": etype,
                    "payload": payload,
                    "officer_id": w["officers"][x["officer"]],
                    "occurred_at": when.isoformat(),
                    "server_seq": seq,
                    "server_received_at": when.isoformat(),
                }
            )

        ev(
            "received",
            received,
            {
                "code": f"T-{i}",
                "procedure_code": code,
                "catalogue_version": version,
                "log_book": {"year": 2026, "volume": 1, "entry": i + 1},
                "applicant": {"full_name": "Nguyễn Văn A"},
                "received_at": received.isoformat(),
                "due_date": (received.date() + timedelta(days=d["due"])).isoformat(),
            },
            d,
        )
        for x in d["steps"]:
            when = _at(d["day"] + x["day"], x["hour"])
            new_due = (when.date() + timedelta(days=x["offset"])).isoformat()
            payload: dict[str, Any] = {}
            if x["type"] == "supplement_received":
                payload = {"received_at": when.isoformat(), "due_date": new_due}
            elif x["type"] == "appointment_changed":
                payload = {"new_due_date": new_due}
            elif x["type"] == "feedback_given":
                payload = {"scores": x["scores"]}
            elif x["type"] == "printed":
                payload = {"form": "01"}
            ev(x["type"], when, payload, x)
    return pages


def _store(w: dict[str, Any], pages: list[list[dict[str, Any]]], again: int) -> None:
    """Each page through the pull's apply path, then page `again` a second time."""
    ctx: DeskContext = w["ctx"]
    with ctx.transaction() as s:
        for table in (
            Outbox,
            DossierComponent,
            Dossier,
            Event,
            DossierDayTotal,
            DossierMonthTotal,
            EventDayTotal,
            EventProcedureDayTotal,
        ):
            s.execute(delete(table))
    for page in [*pages[:3], pages[again]]:
        if page:
            with ctx.transaction() as s:
                commands._store_page(s, page, commands.SyncReport())


def _summary(ctx: DeskContext, a: date, b: date, scope: reports.Scope, plain: bool) -> Any:
    return asdict(reports.daily_summary(ctx, a, b, scope, plain=plain))


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    dossiers=st.lists(dossier, min_size=1, max_size=20),
    again=st.integers(0, 2),
    periods=st.lists(
        st.tuples(st.integers(-2, 25), st.integers(0, 20)),
        min_size=1,
        max_size=3,
    ),
)
def test_totals_give_the_plain_querys_summary(
    world: dict[str, Any],
    dossiers: list[dict[str, Any]],
    again: int,
    periods: list[tuple[int, int]],
) -> None:
    _store(world, _pages(world, dossiers), again)
    ctx: DeskContext = world["ctx"]
    with ctx.read() as s:
        stored = s.scalar(select(reports.func.count()).select_from(Event))
    # each event once
    assert stored == sum((d["page"] < 3) + len(d["steps"]) for d in dossiers)
    officer = world["officers"]["me"]
    scopes = [
        reports.Scope(),
        reports.Scope((world["office"],)),
        reports.Scope(("another-office",)),
        reports.Scope((world["office"],), desk_id=world["desk"]),
        reports.Scope(desk_id="another-desk"),
        reports.Scope((world["office"],), officer_id=officer),
        reports.Scope(officer_id="another-officer"),
        reports.Scope(desk_id=world["desk"], officer_id=officer),
    ]
    # By procedure (event_procedure_day_totals): events stored before their dossier's
    # record count for no procedure until it comes, and never if it never comes.
    first, second = (code for code, _ in world["procs"])
    scopes += [
        reports.Scope(procedure_code=first),
        reports.Scope((world["office"],), procedure_code=second),
        reports.Scope(("another-office",), procedure_code=first),
        reports.Scope(desk_id="another-desk", procedure_code=first),
        reports.Scope((world["office"],), officer_id=officer, procedure_code=second),
        reports.Scope(desk_id=world["desk"], procedure_code=second),
        reports.Scope(procedure_code="no-such-procedure"),
    ]
    for start, length in periods:
        a = BASE + timedelta(days=start)
        b = a + timedelta(days=length)
        for scope in scopes:
            fast = _summary(ctx, a, b, scope, plain=False)
            assert fast == _summary(ctx, a, b, scope, plain=True), (a, b, scope)
    # The writers' rows: a recount of the stored events, and the migration's SQL fill.
    assert_event_totals_match_events(ctx.sessions)


def test_a_settlement_changed_after_the_return_moves_it(world: dict[str, Any]) -> None:
    """A result ready late and returned, then (a later page) an appointment change made
    before the result that moves the due date past it: the return turns on time."""
    d = {
        "proc": 0,
        "other_desk": False,
        "officer": "me",
        "day": 0,
        "hour": 3,
        "due": 1,
        "page": 0,
    }
    steps = [
        {"type": "transferred", "day": 0, "hour": 4, "offset": 0, "page": 0},
        {"type": "appointment_changed", "day": 1, "hour": 4, "offset": 9, "page": 1},
        {"type": "result_ready", "day": 5, "hour": 4, "offset": 0, "page": 0},
        {"type": "returned", "day": 6, "hour": 4, "offset": 0, "page": 0},
    ]
    for x in steps:
        x.update(other_desk=False, officer="me", scores={})
    d["steps"] = steps
    pages = _pages(world, [d])
    ctx: DeskContext = world["ctx"]
    _store(world, [pages[0], [], []], 1)
    week = (BASE, BASE + timedelta(days=7))
    first = reports.daily_summary(ctx, *week)
    assert (first.returned_on_time, first.returned_late) == (0, 1)
    with ctx.transaction() as s:
        commands._store_page(s, pages[1], commands.SyncReport())
    then = reports.daily_summary(ctx, *week)
    assert (then.returned_on_time, then.returned_late) == (1, 0)
    plain = reports.daily_summary(ctx, *week, plain=True)
    assert (plain.returned_on_time, plain.returned_late) == (1, 0)
    assert assert_event_totals_match_events(ctx.sessions) > 0


def test_returns_are_read_back_by_dossier(world: dict[str, Any]) -> None:
    """Regression: moving a changed dossier's returns read them through
    ix_events_type_occurred (type first), walking every return the desk holds (~700,000
    at 1,000,000 dossiers) for each batch; they are read by dossier."""
    ctx: DeskContext = world["ctx"]
    seen: list[tuple[str, Any]] = []

    def spy(_conn: Any, _cur: Any, statement: str, params: Any, *_: Any) -> None:
        if "FROM events" in statement:
            seen.append((statement, params))

    sa_event.listen(ctx.engine, "before_cursor_execute", spy)
    try:
        with ctx.transaction() as s:
            changes = []
            for i in range(3):
                before = {"id": f"d-{i}", "procedure_code": "P", "settled_type": None}
                after = {**before, "settled_type": "result_ready", "settled_outcome": "on_time"}
                changes.append((before, after))
            event_totals.move_returns(s.connection(), changes)
    finally:
        sa_event.remove(ctx.engine, "before_cursor_execute", spy)
    assert len(seen) == 1
    with ctx.engine.connect() as c:
        plan = [r[3] for r in c.exec_driver_sql("EXPLAIN QUERY PLAN " + seen[0][0], seen[0][1])]
    assert any("ix_events_dossier (dossier_id=?)" in p for p in plan), plan


def test_an_event_ordered_before_its_record_counts_for_its_procedure(
    world: dict[str, Any],
) -> None:
    """An event the central numbered before its dossier's record, in the same page: the
    page's fold cannot take it first, the dossier is refolded (its record first) and
    written new, and its procedure's totals count both events (those the fold took in)."""
    d = {
        "proc": 0,
        "other_desk": False,
        "officer": "me",
        "day": 0,
        "hour": 3,
        "due": 5,
        "page": 0,
    }
    d["steps"] = [
        {"type": "transferred", "day": 0, "hour": 4, "offset": 0, "page": 0},
        {"type": "refused", "day": 1, "hour": 4, "offset": 0, "page": 0},
    ]
    for x in d["steps"]:
        x.update(other_desk=False, officer="me", scores={})
    pages = _pages(world, [d])
    record, transferred, refused = pages[0]
    transferred["server_seq"], record["server_seq"] = 1, 2  # numbered before its record
    _store(world, [[record, transferred, refused], [], []], 1)
    ctx: DeskContext = world["ctx"]
    week = (BASE, BASE + timedelta(days=7))
    scope = reports.Scope(procedure_code=world["procs"][0][0])
    plain = reports.daily_summary(ctx, *week, scope, plain=True)
    assert (plain.transferred, plain.refused) == (1, 1)
    assert _summary(ctx, *week, scope, plain=False) == asdict(plain)
    assert assert_event_totals_match_events(ctx.sessions) > 0
