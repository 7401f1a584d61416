"""Reports over a desk whose history is built through the real use cases, one dossier per
rule; every expected figure below is counted by hand from the construction, not by calling
the report code."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, timedelta

import pytest
from sqlalchemy import event, func, select

from app.domain.errors import ValidationFailed
from app.models import Dossier, Event
from app.services import event_totals, reports
from app.services.context import DeskContext
from tests.unit.services.conftest import FRI, MON, History


def test_ii06a_counts_each_rule_once(history: History) -> None:
    rep = reports.ii06a_report(history.ctx, MON, FRI)
    e02 = next(x for x in rep.rows if x.procedure_code == "BHXH-E02")
    expected_e02 = {
        "online": 1,  # F
        "direct": 4,  # D, E (post), I, O
        "carried": 5,  # B, C, J, L, P (A was settled before the period)
        "received_total": 10,
        "early": 1,  # D
        "on_time": 2,  # J on its due day, E refused after receipt
        "late": 1,  # C
        "settled_total": 4,
        "pending_in_time": 4,  # F, O, P (due on the last day), I (waiting for a supplement)
        "pending_late": 2,  # B; L (its result came after the period)
        "pending_total": 6,
    }
    assert {k: e02[k] for k in expected_e02} == expected_e02
    e03 = next(x for x in rep.rows if x.procedure_code == "BHXH-E03")
    assert (e03["direct"], e03["pending_in_time"], e03["received_total"]) == (1, 1, 1)
    assert [(x.field_code, x.procedure_code) for x in rep.rows] == [
        ("BHXH", None),
        ("BHXH", "BHXH-E02"),
        ("BHYT", None),
        ("BHYT", "BHXH-E03"),
    ]
    assert rep.rows[0].name == "Bảo hiểm xã hội" and rep.rows[2].name == "Bảo hiểm y tế"
    t = rep.total
    assert (t["received_total"], t["settled_total"], t["pending_total"]) == (11, 4, 7)
    assert rep.on_time_ratio == pytest.approx(3 / 4)
    assert "online" in rep.incomplete and "Cổng Dịch vụ công" in rep.incomplete["online"]


def test_ii06a_one_procedure_and_an_earlier_period(history: History) -> None:
    only = reports.ii06a_report(history.ctx, MON, FRI, reports.Scope(procedure_code="BHXH-E03"))
    assert [x.procedure_code for x in only.rows] == [None, "BHXH-E03"]
    # 2–6 Nov: A received and settled early; B, C, L received and still pending on the 6th.
    early = reports.ii06a_report(history.ctx, date(2026, 11, 2), date(2026, 11, 6))
    t = early.total
    assert (t["direct"], t["carried"], t["early"], t["pending_in_time"], t["pending_late"]) == (
        4,
        0,
        1,
        3,
        0,
    )


def test_daily_summary_for_the_week(history: History) -> None:
    s = reports.daily_summary(history.ctx, MON, FRI, reports.office_scope(history.ctx))
    assert s.received == 6  # D, E, O, F, M, I
    assert s.supplement_requested == 2  # G at the counter, I after receipt
    assert s.refused == 2  # H at the counter, E after receipt
    assert s.transferred == 1  # B
    assert (s.returned_on_time, s.returned_late) == (1, 1)  # D, C
    assert s.overdue_carried == 2  # B, L
    assert s.per_day == [
        (MON, 3),
        (date(2026, 11, 17), 1),
        (date(2026, 11, 18), 1),
        (date(2026, 11, 19), 1),
        (FRI, 0),
    ]
    assert s.feedback_count == 2
    sat = {x.index: x.counts for x in s.satisfaction}
    assert sat == {
        "1": {0: 0, 1: 0, 2: 2},
        "3": {0: 0, 1: 1, 2: 1},
        "4": {0: 0, 1: 1, 2: 1},
        "7": {0: 1, 1: 0, 2: 1},
    }
    one_day = reports.daily_summary(history.ctx, date(2026, 11, 18))
    assert (one_day.received, one_day.refused, one_day.returned) == (1, 1, 1)
    e03 = reports.daily_summary(history.ctx, MON, FRI, reports.Scope(procedure_code="BHXH-E03"))
    assert (e03.received, e03.refused, e03.feedback_count) == (1, 0, 0)


def test_a_reversed_or_huge_period_is_refused_with_a_reason(desk: DeskContext) -> None:
    with pytest.raises(ValidationFailed) as exc:
        reports.ii06a_report(desk, FRI, MON)
    assert exc.value.errors[0].field == "to"
    with pytest.raises(ValidationFailed):
        reports.daily_summary(desk, date(2000, 1, 1), date(2026, 1, 1))


def test_overdue_control_and_desk_counts(history: History) -> None:
    c = reports.overdue_control(history.ctx, today=FRI)
    codes = {x.key: [r.code for r in x.rows] for x in c.lists}
    h = history.codes
    assert c.next_day == date(2026, 11, 23)
    assert codes["overdue"] == [h["B"]]
    assert c.by_key("overdue").rows[0].days == (FRI - history.due["B"]).days == 10
    assert codes["due_today"] == [h["P"]]
    assert codes["due_next"] == [h["O"]]
    assert codes["supplement"] == [h["N"]]  # G and I wait less than 30 days
    assert codes["ready"] == [h["A"], h["L"], h["J"]]  # by due date: 9, 12, 17 Nov
    assert c.by_key("ready").rows[2].since == date(2026, 11, 17)
    counts = reports.desk_counts(history.ctx, today=FRI)
    assert counts == reports.DeskCounts(
        overdue=1, due_today=1, due_next=1, supplement_waiting=1, ready=3
    )
    other = reports.desk_counts(history.ctx, desk_id="another-desk", today=FRI)
    assert other == reports.DeskCounts(0, 0, 0, 0, 0)
    limited = reports.overdue_control(history.ctx, today=FRI + timedelta(days=30), limit=2)
    late = limited.by_key("overdue")
    assert late.total == 5 and len(late.rows) == 2  # B, F, M, O, P: two shown, total kept


def _plans(ctx: DeskContext, run: Callable[[], object]) -> list[list[tuple[int, int, str]]]:
    """The SQLite query plan of every statement `run` executes."""
    return [plan for _statement, plan in _explained(ctx, run)]


def _explained(
    ctx: DeskContext, run: Callable[[], object]
) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """Every SELECT `run` executes, with its SQLite query plan."""
    seen: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, params, context, executemany) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, params))

    engines = {ctx.engine, ctx.readers.kw["bind"] if ctx.readers else ctx.engine}
    for e in engines:
        event.listen(e, "before_cursor_execute", capture)
    try:
        run()
    finally:
        for e in engines:
            event.remove(e, "before_cursor_execute", capture)
    with ctx.engine.connect() as c:
        return [
            (st, [(r[0], r[1], r[3]) for r in c.exec_driver_sql("EXPLAIN QUERY PLAN " + st, p)])
            for st, p in seen
        ]


def test_per_dossier_lookups_go_through_the_dossier_index(history: History) -> None:
    """Regression: SQLite answered "this dossier's latest result_ready event" through
    ix_events_type_occurred, walking every event of that type per dossier (overdue control
    took 47 s at 20,000 dossiers), and drove the office-scoped II.06a from all the office's
    dossiers instead of the period's events."""
    ctx = history.ctx
    office = reports.office_scope(ctx)
    runs = [
        lambda: reports.overdue_control(ctx, today=FRI),
        lambda: reports.desk_counts(ctx, today=FRI),
        lambda: reports.daily_summary(ctx, MON, FRI, office),
        lambda: reports.ii06a_report(ctx, MON, FRI, office),
    ]
    for run in runs:
        for plan in _plans(ctx, run):
            detail = {node: text for node, _parent, text in plan}
            for _node, parent, text in plan:
                if "ix_events_type_occurred" in text:
                    assert "CORRELATED" not in detail.get(parent, ""), plan
                assert "AUTOMATIC COVERING INDEX" not in text, plan


def _screen_scopes(ctx) -> list[reports.Scope]:
    """Every scope the report screen offers: all, the office, a desk, an officer, a
    procedure."""
    return [
        reports.Scope(),
        reports.office_scope(ctx),
        reports.Scope(desk_id=reports.scope_choices(ctx).my_desk_id),
        reports.Scope(officer_id="an-officer"),
        reports.Scope(procedure_code="BHXH-E02"),
    ]


def test_the_plain_summary_reads_the_periods_events_by_type_and_time(history: History) -> None:
    """The summary's plain reference (`plain=True`, what the per-day totals are proved
    against) reaches a period's events through ix_events_type_occurred, a range on type and
    time, and dossiers by their key: never a scan of either table. Since 0019_i14 the index
    holds type and time only (the summary itself reads per-day totals, and the wide index
    cost every stored event), so the plain path reads the period's event rows."""
    ctx = history.ctx
    for scope in _screen_scopes(ctx):
        explained = _explained(
            ctx, lambda s=scope: reports.daily_summary(ctx, MON, FRI, s, plain=True)
        )
        reads = [
            (statement, text.split(" ")[1], text)
            for statement, plan in explained
            for _n, _p, text in plan
            if text.startswith(("SCAN", "SEARCH"))
        ]
        events = [text for st, table, text in reads if table == "events" and "payload" not in st]
        assert events and all(
            text.startswith("SEARCH")
            and "ix_events_type_occurred (type=? AND occurred_at>?" in text
            for text in events
        ), (scope, events)
        dossiers = [text for _st, table, text in reads if table == "dossiers"]
        assert all(text.startswith("SEARCH") and "(id=?)" in text for text in dossiers), (
            scope,
            dossiers,
        )


def test_summary_reads_no_events(history: History) -> None:
    """Issue 14 item 7: the year's summary over all offices read ~2,000,000 events at
    1,000,000 dossiers (3.1 s); a scope without a procedure now reads the per-day totals
    (event_day_totals) and dossiers only for the overdue carried (from their own totals),
    and an officer's ratings (those of the dossiers the officer received)."""
    ctx = history.ctx
    for scope in _screen_scopes(ctx)[:3]:
        explained = _explained(ctx, lambda s=scope: reports.daily_summary(ctx, MON, FRI, s))
        tables = {
            text.split(" ")[1]
            for _st, plan in explained
            for _n, _p, text in plan
            if text.startswith(("SCAN", "SEARCH"))
        }
        assert "events" not in tables and "dossiers" not in tables, (scope, tables)
        assert "event_day_totals" in tables, (scope, tables)


def test_summary_returned_and_ratings_match_a_recount_of_the_rows(history: History) -> None:
    """The returned results and ratings, read from indexes since 0016_i14, against a plain
    recount of the event and dossier rows in Python for every scope, with C (returned late)
    returned a second time in the period: each returned event counts, by its dossier's
    settlement."""
    ctx = history.ctx
    with ctx.transaction() as s:
        first = s.scalars(
            select(Event)
            .join(Dossier, Dossier.id == Event.dossier_id)
            .where(Event.type == "returned", Dossier.settled_outcome == "late")
        ).one()
        seq = s.scalar(select(func.max(Event.desk_seq)).where(Event.desk_id == first.desk_id))
        again = Event(
            desk_id=first.desk_id,
            desk_seq=seq + 1,
            office_id=first.office_id,
            dossier_id=first.dossier_id,
            type="returned",
            payload={"note": ""},
            officer_id=first.officer_id,
            occurred_at=first.occurred_at + timedelta(hours=2),
            origin=first.origin,
            sync_state=first.sync_state,
        )
        s.add(again)
        s.flush()  # counted as the event writers count what they insert
        event_totals.record(
            s.connection(), [{c.key: getattr(again, c.key) for c in Event.__table__.columns}]
        )
    start, end = reports.utc_bounds(MON, FRI)
    with ctx.read() as s:
        dossiers = {d.id: d for d in s.scalars(select(Dossier))}
        events = [
            e for e in s.scalars(select(Event)) if start <= e.occurred_at.replace(tzinfo=UTC) < end
        ]
    choices = reports.scope_choices(ctx)
    officer = next((d.officer_id for d in dossiers.values() if d.officer_id), "an-officer")
    scopes = [
        reports.Scope(),
        reports.office_scope(ctx),
        reports.Scope(desk_id=choices.my_desk_id),
        reports.Scope(officer_id=officer),
        reports.Scope(procedure_code="BHXH-E02"),
        reports.Scope(procedure_code="BHXH-E03"),
    ]
    late_seen = False
    for scope in scopes:

        def acted(e: Event, scope: reports.Scope = scope) -> bool:
            d = dossiers[e.dossier_id]
            return (
                (not scope.office_ids or e.office_id in scope.office_ids)
                and scope.desk_id in (None, e.desk_id)
                and scope.officer_id in (None, e.officer_id)
                and scope.procedure_code in (None, d.procedure_code)
            )

        returned = [e for e in events if e.type in ("returned", "posted") and acted(e)]
        on_time = sum(
            1
            for e in returned
            if dossiers[e.dossier_id].settled_type == "result_ready"
            and dossiers[e.dossier_id].settled_outcome in ("early", "on_time")
        )
        rated = [
            e
            for e in events
            if e.type == "feedback_given"
            and (not scope.office_ids or e.office_id in scope.office_ids)
            and scope.desk_id in (None, e.desk_id)
            and scope.officer_id in (None, dossiers[e.dossier_id].officer_id)
            and scope.procedure_code in (None, dossiers[e.dossier_id].procedure_code)
        ]
        counts = {
            k: {v: sum(1 for e in rated if e.payload["scores"][k] == v) for v in (0, 1, 2)}
            for k in reports.FEEDBACK_INDICES
        }
        for plain in (True, False):  # from the events, and from the per-day totals
            got = reports.daily_summary(ctx, MON, FRI, scope, plain=plain)
            assert (got.returned_on_time, got.returned_late) == (
                on_time,
                len(returned) - on_time,
            ), (scope, plain)
            assert got.feedback_count == len(rated)
            assert {x.index: x.counts for x in got.satisfaction} == counts, (scope, plain)
            late_seen |= got.returned_late == 2
    assert late_seen  # C's two returns both counted late


def test_summary_returned_and_ratings_read_indexes_not_rows(history: History) -> None:
    """Issue 14 item 7: a year's summary at 1,000,000 dossiers took 3.2 s, of which 2.6 s
    joining the returned results to their dossiers' rows (for the settlement) and 1.65 s
    reading each rating's row and JSON payload. The settlement (and a scope's officer and
    procedure) now comes from ix_dossiers_report, the scores from ix_events_feedback."""
    ctx = history.ctx
    for scope in _screen_scopes(ctx):
        explained = _explained(
            ctx, lambda s=scope: reports.daily_summary(ctx, MON, FRI, s, plain=True)
        )
        returned = [plan for st, plan in explained if "settled_type" in st]
        ratings = [plan for st, plan in explained if "json_extract" in st.lower()]
        assert len(ratings) == 1, (scope, [st for st, _ in explained])
        rating_reads = [t for _n, _p, t in ratings[0] if t.startswith(("SCAN", "SEARCH"))]
        feedback = "SEARCH events USING INDEX ix_events_feedback"
        assert any(t.startswith(feedback) for t in rating_reads), (scope, rating_reads)
        assert all(
            t.startswith(feedback)
            or t.startswith("SEARCH dossiers USING COVERING INDEX ix_dossiers_report (id=?)")
            for t in rating_reads
        ), (scope, rating_reads)
        joins = [
            t
            for plan in returned
            for _n, _p, t in plan
            if t.startswith(("SCAN dossiers", "SEARCH dossiers"))
        ]
        assert joins and all(
            t == "SEARCH dossiers USING COVERING INDEX ix_dossiers_report (id=?)" for t in joins
        ), (scope, joins)


def test_ii06a_reads_the_day_totals_and_no_dossier_or_event(history: History) -> None:
    """Issue 14 item 7: the desk's II.06a sums ranges of the per-day and per-month totals
    (app.services.day_totals), never a dossier row or the event log: a year at 1,000,000
    dossiers took 13.5 s over the period's settling events, then 1.5-4.6 s over the dossier
    rows' covering index."""
    ctx = history.ctx
    for scope in (reports.Scope(), reports.office_scope(ctx), reports.Scope(desk_id="x")):
        for a, b in ((MON, FRI), (date(2025, 11, 20), FRI)):
            texts = [
                t
                for plan in _plans(
                    ctx, lambda s=scope, a=a, b=b: reports.ii06a_report(ctx, a, b, s)
                )
                for _n, _p, t in plan
            ]
            reads = [t.split(" ")[:2] for t in texts if t.startswith(("SCAN", "SEARCH"))]
            assert ["SEARCH", "dossier_day_totals"] in reads, texts
            assert not [r for r in reads if r[1] in ("dossiers", "events")], texts
            # the totals by key ranges (day or month first), never whole
            assert ["SCAN", "dossier_day_totals"] not in reads, texts
            assert ["SCAN", "dossier_month_totals"] not in reads, texts
