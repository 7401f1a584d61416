"""The per-day totals the fold keeps give the same II.06a figures as the plain query over
the dossier rows (`reports._ii06a_counts`, the reference), over random event histories:
remote folds with conflicts, settlements before a later receipt, new appointments, days
that change at 17:00 UTC, periods that run past today. Both write paths are used: the
bulk one (pull, seeding) and the one-row-at-a-time one (intake), and the migration's SQL
fill must produce the same rows as the fold."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from app.domain.errors import DomainError
from app.models import (
    Dossier,
    DossierComponent,
    DossierDayTotal,
    DossierMonthTotal,
)
from app.services import reports
from app.services.context import DeskContext
from app.services.projection import (
    fold_event,
    load_lookup,
    store_states,
    write_state,
)
from tests.support.day_totals import assert_totals_match_rows, history_world

BASE = date(2026, 10, 1)
FOLLOW_UPS = (
    "result_ready",
    "refused",
    "cancelled",
    "supplement_requested",
    "supplement_received",
    "appointment_changed",
    "transferred",
    "returned",
    "stopped",
)
CHANNELS = ("desk", "online", "post", "interconnected")


def _at(day: int, hour: int) -> str:
    """Day `day` after BASE at `hour` UTC (17:00 UTC and later is the next Vietnam day)."""
    return (
        datetime.combine(BASE + timedelta(days=day), datetime.min.time(), UTC)
        .replace(hour=hour)
        .isoformat()
    )


step = st.tuples(
    st.sampled_from(FOLLOW_UPS),
    st.integers(-3, 25),  # day: may come before the receipt (a desk clock behind)
    st.integers(0, 23),
    st.integers(0, 12),  # new due date offset for a supplement or new appointment
)
dossier = st.fixed_dictionaries(
    {
        "proc": st.integers(0, 1),
        "channel": st.sampled_from(CHANNELS),
        "other_desk": st.booleans(),
        "no_officer": st.booleans(),
        "at_counter": st.sampled_from(("received", "received", "received", "supplement")),
        "day": st.integers(0, 20),
        "hour": st.integers(0, 23),
        "due": st.one_of(st.none(), st.integers(0, 12)),
        "steps": st.lists(step, max_size=4),
        "incremental": st.booleans(),
    }
)


@pytest.fixture
def world(desk: DeskContext) -> Iterator[dict[str, Any]]:
    yield history_world(desk)


def _events(w: dict[str, Any], i: int, d: dict[str, Any]) -> list[SimpleNamespace]:
    code, version = w["procs"][d["proc"]]
    dossier_id = f"00000000-0000-0000-0000-{i:012d}"
    received = _at(d["day"], d["hour"])
    due = (BASE + timedelta(days=d["day"] + d["due"])).isoformat() if d["due"] is not None else None
    creating = "received" if d["at_counter"] == "received" else "supplement_requested"

    def ev(etype: str, when: str, payload: dict[str, Any]) -> SimpleNamespace:
        return SimpleNamespace(
            type=etype,
            payload=payload,
            dossier_id=dossier_id,
            office_id=w["office"],
            desk_id="another-desk" if d["other_desk"] else w["desk"],
            officer_id=None if d["no_officer"] else w["officer"],
            occurred_at=when,
        )

    out = [
        ev(
            creating,
            received,
            {
                "code": f"T-{i}",
                "procedure_code": code,
                "catalogue_version": version,
                "log_book": {"year": 2026, "volume": 1, "entry": i},
                "applicant": {"full_name": "Nguyễn Văn A"},
                "channel": d["channel"],
                "received_at": received,
                "due_date": due if creating == "received" else None,
            },
        )
    ]
    for etype, day, hour, offset in d["steps"]:
        when = _at(d["day"] + day, hour)
        new_due = (BASE + timedelta(days=d["day"] + day + offset)).isoformat()
        payload: dict[str, Any] = {}
        if etype == "supplement_received":
            payload = {"received_at": when, "due_date": new_due}
        elif etype == "appointment_changed":
            payload = {"new_due_date": new_due}
        out.append(ev(etype, when, payload))
    return out


def _write(w: dict[str, Any], dossiers: list[dict[str, Any]]) -> None:
    """Fold each history as a remote one and write it: in bulk, or one event at a time."""
    ctx: DeskContext = w["ctx"]
    with ctx.transaction() as s:
        for table in (DossierComponent, Dossier, DossierDayTotal, DossierMonthTotal):
            s.execute(delete(table))
        histories = [_events(w, i, d) for i, d in enumerate(dossiers)]
        lookup = load_lookup(s, [e for h in histories for e in h])
        bulk: dict[str, Any] = {}
        for d, evs in zip(dossiers, histories, strict=True):
            state: dict[str, Any] | None = None
            row = None
            for e in evs:
                try:
                    new = fold_event(state, e, lookup, remote=True)
                except DomainError:
                    if state is None:
                        break
                    new = {**state, "conflict": True}
                if d["incremental"]:
                    row = write_state(s, row, new, state)
                    s.flush()
                state = new
            if state is not None and not d["incremental"]:
                bulk[state["id"]] = state
        store_states(s, bulk, {})


def _compare(ctx: DeskContext, scope: reports.Scope, a: date, b: date, as_of: date) -> None:
    with ctx.read() as s:
        fast = reports._ii06a_days(s, scope, a, b, as_of)
        plain = reports._ii06a_counts(s, scope, a, b, as_of)
        # the summary's "overdue carried", from the late rows alone
        late = reports._ii06a_days(s, scope, a, b, as_of, late_only=True)
    assert fast == plain, (a, b, as_of, scope)
    overdue = sum(c["pending_late"] for c in plain.values())
    assert sum(c["pending_late"] for c in late.values()) == overdue, (a, b, as_of, scope)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    dossiers=st.lists(dossier, min_size=1, max_size=25),
    periods=st.lists(
        st.tuples(st.integers(-2, 30), st.integers(0, 25), st.integers(0, 40)),
        min_size=1,
        max_size=4,
    ),
)
def test_totals_give_the_plain_querys_figures(
    world: dict[str, Any], dossiers: list[dict[str, Any]], periods: list[tuple[int, int, int]]
) -> None:
    _write(world, dossiers)
    ctx: DeskContext = world["ctx"]
    scopes = [
        reports.Scope(),
        reports.Scope((world["office"],)),
        reports.Scope(desk_id=world["desk"]),
        reports.Scope(officer_id=world["officer"]),
        reports.Scope(procedure_code=world["procs"][1][0]),
    ]
    for start, length, as_of in periods:
        a = BASE + timedelta(days=start)
        b = a + timedelta(days=length)
        today = min(b, BASE + timedelta(days=as_of))
        for scope in scopes:
            _compare(ctx, scope, a, b, today)
    # The migration's SQL fill gives the rows the fold kept.
    assert_totals_match_rows(ctx.sessions)
