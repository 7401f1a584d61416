"""The week of history the report tests share: built through the real use cases, one
dossier per rule (letters as in each test's expected figures)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from app.domain.applicant import Applicant
from app.domain.completeness import HandedIn
from app.services import actions, intake
from app.services.context import DeskContext
from tests.conftest import Clock

ANH = Applicant(
    full_name="Trần Thị Bích", id_number="001190123456", date_of_birth=date(1990, 1, 2), sex="F"
)
E02 = (HandedIn("BHXH-E02-01", "original", 1),)
E03 = (HandedIn("BHXH-E03-01", "original", 1), HandedIn("BHXH-E03-02", "original", 1))
MON, FRI = date(2026, 11, 16), date(2026, 11, 20)


def at(day: date, hour: int = 10) -> datetime:
    """`hour` o'clock in Hà Nội on `day`, as UTC."""
    return datetime(day.year, day.month, day.day, hour - 7, 0, tzinfo=UTC)


@dataclass
class History:
    ctx: DeskContext
    codes: dict[str, str]
    due: dict[str, date]


def _receive(
    ctx: DeskContext,
    clock: Clock,
    day: date,
    proc: str = "BHXH-E02",
    items: tuple[HandedIn, ...] = E02,
    channel: str = "desk",
    outcome: str = "receive",
) -> intake.IntakeResult:
    clock.at = at(day)
    req = intake.IntakeRequest(
        proc,
        ANH,
        items if outcome != "supplement" else (),
        outcome=outcome,
        channel=channel,
        reason="Lý do" if outcome != "receive" else "",
    )
    return intake.submit(ctx, req)


@pytest.fixture
def history(desk: DeskContext, clock: Clock) -> History:
    return build_history(desk, clock)


def build_history(desk: DeskContext, clock: Clock) -> History:
    """The week Mon 16 – Fri 20 Nov 2026 and what came before and after it (letters as in
    the expected figures of each test)."""
    r: dict[str, intake.IntakeResult] = {}
    r["N"] = _receive(desk, clock, date(2026, 10, 1), outcome="supplement")
    r["A"] = _receive(desk, clock, date(2026, 11, 2))
    r["B"] = _receive(desk, clock, date(2026, 11, 3))
    r["C"] = _receive(desk, clock, date(2026, 11, 4))
    r["L"] = _receive(desk, clock, date(2026, 11, 5))
    clock.at = at(date(2026, 11, 5), 14)
    actions.result_ready(desk, r["A"].code)  # settled before the period: counted nowhere
    r["J"] = _receive(desk, clock, date(2026, 11, 10))
    r["P"] = _receive(desk, clock, date(2026, 11, 13))
    r["D"] = _receive(desk, clock, MON)
    r["E"] = _receive(desk, clock, MON, channel="post")
    r["O"] = _receive(desk, clock, MON)
    clock.at = at(MON, 15)
    actions.transfer(desk, r["B"].code)
    r["F"] = _receive(desk, clock, date(2026, 11, 17), channel="online")
    r["G"] = _receive(desk, clock, date(2026, 11, 17), outcome="supplement")
    clock.at = at(date(2026, 11, 17), 11)
    actions.result_ready(desk, r["C"].code)  # late
    actions.result_ready(desk, r["J"].code)  # on its due day
    r["H"] = _receive(desk, clock, date(2026, 11, 18), outcome="refuse")
    r["M"] = _receive(desk, clock, date(2026, 11, 18), "BHXH-E03", E03)
    clock.at = at(date(2026, 11, 18), 11)
    actions.result_ready(desk, r["D"].code)  # early
    actions.return_at_desk(desk, r["C"].code)
    actions.record_feedback(desk, r["C"].code, {"1": 2, "3": 1, "4": 2, "7": 2})
    r["I"] = _receive(desk, clock, date(2026, 11, 19))
    clock.at = at(date(2026, 11, 19), 11)
    actions.request_supplement(desk, r["I"].code, "Thiếu tờ khai", ["Tờ khai"])
    actions.refuse(desk, r["E"].code, "Không thuộc thẩm quyền")
    actions.return_at_desk(desk, r["D"].code)
    actions.record_feedback(desk, r["D"].code, {"1": 2, "3": 2, "4": 1, "7": 0})
    clock.at = at(date(2026, 11, 21), 9)  # Saturday, after the period
    actions.result_ready(desk, r["L"].code)
    due = {k: v.due_date for k, v in r.items() if v.due_date is not None}
    # Preconditions of the construction (E02: 7 days; these come from intake, not reports).
    assert due["B"] == date(2026, 11, 10) and due["C"] == date(2026, 11, 11)
    assert due["L"] == date(2026, 11, 12) and due["J"] == date(2026, 11, 17)
    assert due["P"] == FRI and due["O"] == date(2026, 11, 23) and due["D"] > date(2026, 11, 18)
    return History(desk, {k: v.code for k, v in r.items()}, due)
