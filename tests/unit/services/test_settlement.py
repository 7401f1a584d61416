"""The settlement the fold keeps on the dossier row (issue 14 item 7): when, by which event
and with which outcome against the due date in force. Expected values come from the
construction (tests/unit/services/conftest.py), counted by hand, not from the fold."""

from __future__ import annotations

from datetime import UTC, date, datetime

from alembic import command
from sqlalchemy import select, update

from app.domain.lifecycle import EventType
from app.models import Dossier
from app.models.db import alembic_config
from app.services import actions, intake, reports
from app.services.context import DeskContext
from app.services.projection import rebuild_dossier
from tests.conftest import Clock
from tests.unit.services.conftest import E02, History, _receive, at

Row = tuple[datetime | None, str | None, str | None]


def _settlement(ctx: DeskContext) -> dict[str, Row]:
    with ctx.read() as s:
        return {
            code: (at_, kind, outcome)
            for code, at_, kind, outcome in s.execute(
                select(
                    Dossier.code, Dossier.settled_at, Dossier.settled_type, Dossier.settled_outcome
                )
            )
        }


def test_each_dossier_of_the_week_carries_its_settlement(history: History) -> None:
    got = _settlement(history.ctx)
    h = history.codes
    assert got[h["A"]] == (at(date(2026, 11, 5), 14), "result_ready", "early")
    assert got[h["C"]] == (at(date(2026, 11, 17), 11), "result_ready", "late")  # due 11 Nov
    assert got[h["J"]] == (at(date(2026, 11, 17), 11), "result_ready", "on_time")  # due day
    assert got[h["D"]] == (at(date(2026, 11, 18), 11), "result_ready", "early")
    assert got[h["E"]] == (at(date(2026, 11, 19), 11), "refused", "on_time")  # after receipt
    assert got[h["L"]] == (at(date(2026, 11, 21), 9), "result_ready", "late")  # due 12 Nov
    # Refused at the counter: settled, but never received, so no due date and no outcome.
    assert got[h["H"]] == (at(date(2026, 11, 18)), "refused", None)
    for k in ("B", "F", "G", "I", "M", "N", "O", "P"):
        assert got[h[k]] == (None, None, None), k
    # C and D were returned and rated afterwards: later events leave the settlement alone.


def test_a_supplement_pause_and_a_new_appointment_move_the_outcome(
    desk: DeskContext, clock: Clock
) -> None:
    """The due date in force decides: a supplement restarts the time limit (Decree 61/2018
    Art. 19(4)) and a new appointment moves it (Art. 19(9))."""
    paused = _receive(desk, clock, date(2026, 11, 2))
    assert paused.due_date == date(2026, 11, 9)
    clock.at = at(date(2026, 11, 3))
    actions.request_supplement(desk, paused.code, "Thiếu tờ khai", ["Tờ khai"])
    moved = _receive(desk, clock, date(2026, 11, 9))
    plain = _receive(desk, clock, date(2026, 11, 9))
    assert moved.due_date == plain.due_date == date(2026, 11, 16)
    clock.at = at(date(2026, 11, 12))
    again = intake.receive_supplement(desk, paused.code, E02, {})
    assert again.due_date == date(2026, 11, 19)  # the time limit restarted on 12 Nov
    clock.at = at(date(2026, 11, 13))
    actions.reschedule(desk, moved.code, date(2026, 11, 25), "Cần xác minh thêm")
    clock.at = at(date(2026, 11, 18))
    for code in (paused.code, moved.code, plain.code):
        actions.result_ready(desk, code)
    got = _settlement(desk)
    settled = at(date(2026, 11, 18))
    assert got[paused.code] == (settled, "result_ready", "early")  # 18 < 19 Nov, not 9 Nov
    assert got[moved.code] == (settled, "result_ready", "early")  # 18 < 25 Nov, not 16 Nov
    assert got[plain.code] == (settled, "result_ready", "late")  # 18 > 16 Nov
    # II.06a counts them by those outcomes (all three received before 16 Nov: carried).
    week = reports.ii06a_report(desk, date(2026, 11, 16), date(2026, 11, 20)).total
    assert [week[k] for k in ("carried", "direct", "early", "on_time", "late")] == [3, 0, 2, 0, 1]
    assert week["pending_total"] == 0
    # The week before: all received in it (the supplement moved the receipt to 12 Nov), none
    # settled by its end, none past its due date on the 13th.
    before = reports.ii06a_report(desk, date(2026, 11, 9), date(2026, 11, 13)).total
    assert [before[k] for k in ("direct", "carried", "settled_total")] == [3, 0, 0]
    assert (before["pending_in_time"], before["pending_late"]) == (3, 0)


def test_a_refold_and_the_migration_backfill_agree_with_the_fold(history: History) -> None:
    """Refolding (pulled events out of order) keeps the columns; a database made before
    the columns existed gets the same values from its events when it is migrated."""
    ctx = history.ctx
    want = _settlement(ctx)
    with ctx.transaction() as s:
        for did in list(s.scalars(select(Dossier.id))):
            rebuild_dossier(s, did)
    assert _settlement(ctx) == want
    # Blank them, go back to the schema before them, and up again: the backfill refills.
    with ctx.transaction() as s:
        s.execute(update(Dossier).values(settled_at=None, settled_type=None, settled_outcome=None))
    cfg = alembic_config(ctx.engine)
    command.downgrade(cfg, "0009_i15")
    command.upgrade(cfg, "head")
    assert _settlement(ctx) == want
    assert sum(1 for v in want.values() if v[0] is not None) == 7


def test_settling_event_types_are_the_forms_settlements() -> None:
    from app.services.projection import SETTLING, settlement_outcome

    assert {EventType.RESULT_READY, EventType.REFUSED, EventType.CANCELLED} == SETTLING
    when = at(date(2026, 11, 20), 23)  # 23:00 in Hà Nội is 16:00 UTC the same day
    assert settlement_outcome(when, "result_ready", date(2026, 11, 20)) == "on_time"
    half_past_midnight = datetime(2026, 11, 20, 17, 30, tzinfo=UTC)  # 21 Nov in Hà Nội
    assert settlement_outcome(half_past_midnight, "result_ready", date(2026, 11, 20)) == "late"
    assert settlement_outcome(when, "cancelled", date(2026, 11, 1)) == "on_time"
    assert settlement_outcome(when, "result_ready", None) is None
