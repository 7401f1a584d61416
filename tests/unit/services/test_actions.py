"""Lifecycle actions through the services: allowed paths, refused paths, once-only rules."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.domain.applicant import Applicant
from app.domain.completeness import HandedIn
from app.domain.errors import DomainError, ValidationFailed
from app.models import Event
from app.services import actions, intake
from app.services.context import DeskContext

ANH = Applicant(
    full_name="Trần Thị Bích", id_number="001190123456", date_of_birth=date(1990, 1, 2), sex="F"
)
E02 = (HandedIn("BHXH-E02-01", "original", 1),)


@pytest.fixture
def code(desk: DeskContext) -> str:
    return intake.submit(desk, intake.IntakeRequest("BHXH-E02", ANH, E02)).code


def _events(ctx: DeskContext) -> int:
    with ctx.read() as s:
        return int(s.scalar(select(func.count()).select_from(Event)) or 0)


def test_full_path_to_return_by_post_and_feedback(desk: DeskContext, code: str) -> None:
    actions.transfer(desk, code, to_agency="Phòng Thu")
    actions.result_ready(desk, code)
    with pytest.raises(ValidationFailed):
        actions.return_by_post(desk, code, "")
    actions.return_by_post(desk, code, "eb123456789vn")
    actions.record_feedback(desk, code, {"1": 2, "3": 2, "4": 1, "7": 2})
    d = actions.get_detail(desk, code)
    assert d.status == "returned" and d.consignment_no == "EB123456789VN"
    assert [e.type for e in d.events] == [
        "received",
        "transferred",
        "result_ready",
        "posted",
        "feedback_given",
    ]
    feedback = d.events[-1]
    assert feedback.officer == ""  # the rating is anonymous (Circular 01/2018 Art. 27(3))
    with pytest.raises(DomainError):
        actions.record_feedback(desk, code, {"1": 2, "3": 2, "4": 1, "7": 2})


def test_forbidden_transition_writes_nothing(desk: DeskContext, code: str) -> None:
    before = _events(desk)
    with pytest.raises(DomainError) as exc:
        actions.return_at_desk(desk, code)
    assert "Đã tiếp nhận" in exc.value.message
    assert _events(desk) == before


def test_reschedule_only_once_and_only_later(desk: DeskContext, code: str) -> None:
    detail = actions.get_detail(desk, code)
    assert detail.due_date is not None
    with pytest.raises(ValidationFailed):
        actions.reschedule(desk, code, detail.due_date, "Cần xác minh")
    with pytest.raises(ValidationFailed):  # a Saturday is not a working day
        actions.reschedule(desk, code, date(2026, 12, 5), "Cần xác minh")
    actions.reschedule(desk, code, date(2026, 12, 8), "Cần xác minh thêm")
    after = actions.get_detail(desk, code)
    assert after.due_date == date(2026, 12, 8)
    assert after.original_due_date == detail.due_date and after.rescheduled
    assert "appointment_changed" not in after.actions
    with pytest.raises(DomainError):
        actions.reschedule(desk, code, date(2026, 12, 9), "Lần hai")


def test_cancel_needs_reason_and_is_final(desk: DeskContext, code: str) -> None:
    with pytest.raises(ValidationFailed):
        actions.cancel(desk, code, "  ")
    actions.cancel(desk, code, "Người nộp rút hồ sơ")
    assert actions.get_detail(desk, code).actions == []
    with pytest.raises(DomainError):
        actions.transfer(desk, code)


def test_unknown_dossier(desk: DeskContext) -> None:
    with pytest.raises(DomainError):
        actions.transfer(desk, "000.00.31.H56-261117-9999")


def test_supplement_after_assessment(desk: DeskContext, code: str) -> None:
    actions.transfer(desk, code)
    actions.request_supplement(desk, code, "Thiếu bản sao CCCD", ["Bản sao CCCD"])
    d = actions.get_detail(desk, code)
    assert d.status == "supplement_requested"
    assert d.actions == ["supplement_received", "cancelled"]
