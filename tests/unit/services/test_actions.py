"""Lifecycle actions through the services: allowed paths, refused paths, once-only rules."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

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
VN = ZoneInfo("Asia/Ho_Chi_Minh")


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
    assert d.actions == ["supplement_received", "cancelled", "stopped"]


# -- dates that hold (Decree 61/2018 Art. 19(4), 19(9)) -------------------------------------
# E02 received Tue 17/11/2026 09:30 is due Wed 25/11 (05 working days; 24/11 is a holiday).


def _at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=VN)


def test_new_date_must_be_after_today_and_named_rule(desk: DeskContext, code: str, clock) -> None:  # type: ignore[no-untyped-def]
    clock.at = _at(27)  # Fri 27/11, two days after the due date
    with pytest.raises(ValidationFailed) as err:
        actions.reschedule(desk, code, date(2026, 11, 26), "Cần xác minh")
    assert [e.code for e in err.value.errors] == ["action.new_date_future"]
    assert "Điều 19 khoản 9" in err.value.errors[0].message
    with pytest.raises(ValidationFailed) as err:
        actions.reschedule(desk, code, date(2026, 11, 29), "Cần xác minh")  # a Sunday
    assert [e.code for e in err.value.errors] == ["action.new_date_workday"]
    assert "29/11/2026" in err.value.errors[0].message


def test_late_apology_is_allowed_but_recorded_and_printed_late(
    desk: DeskContext, code: str, clock
) -> None:  # type: ignore[no-untyped-def]
    from app.services import documents
    from tests.unit.print.printcheck import text

    clock.at = _at(20)  # Fri 20/11: the latest day is Mon 23/11 (24/11 is off)
    assert actions.reschedule_warning(desk, code) is None
    clock.at = _at(25)  # Wed 25/11, the due date itself
    warning = actions.reschedule_warning(desk, code)
    assert warning and "23/11/2026" in warning and "Điều 19 khoản 9" in warning
    actions.reschedule(desk, code, date(2026, 11, 30), "Cần xác minh thêm")
    d = actions.get_detail(desk, code)
    assert d.due_date == date(2026, 11, 30)
    assert d.events[-1].payload["late"] is True
    pdf = text(documents.render(desk, code, "apology").pdf)
    assert "lập sau thời hạn chậm nhất 01 ngày làm việc" in pdf


def test_apology_in_time_is_not_marked(desk: DeskContext, code: str) -> None:
    from app.services import documents
    from tests.unit.print.printcheck import text

    actions.reschedule(desk, code, date(2026, 12, 8), "Cần xác minh thêm")
    assert "late" not in actions.get_detail(desk, code).events[-1].payload
    assert "lập sau thời hạn" not in text(documents.render(desk, code, "apology").pdf)


def test_supplement_asked_after_the_third_working_day_is_warned(
    desk: DeskContext, code: str, clock
) -> None:  # type: ignore[no-untyped-def]
    actions.transfer(desk, code)
    clock.at = _at(20)  # Fri 20/11: the 3rd working day after 17/11
    assert actions.supplement_warning(desk, code) is None
    clock.at = _at(23)  # Mon 23/11: the 4th
    warning = actions.supplement_warning(desk, code)
    assert warning and "thứ 4" in warning and "Điều 19 khoản 4" in warning
    actions.request_supplement(desk, code, "Thiếu bản sao CCCD", ["Bản sao CCCD"])
    d = actions.get_detail(desk, code)
    assert d.status == "supplement_requested" and d.events[-1].payload["late"] is True


def test_applicant_withdraws_stop_is_in_history_and_form_05_prints(
    desk: DeskContext, code: str
) -> None:
    """Circular 03/2025 form 05: the officer records the reason; the notice prints."""
    from app.services import documents
    from tests.unit.print.printcheck import decode, text

    actions.transfer(desk, code)
    with pytest.raises(ValidationFailed):
        actions.stop(desk, code, "   ")
    actions.stop(desk, code, "Người nộp có đơn rút hồ sơ")
    d = actions.get_detail(desk, code)
    assert d.status == "stopped" and d.actions == []
    assert d.events[-1].type == "stopped" and d.events[-1].label.startswith("Dừng giải quyết")
    assert d.events[-1].payload["reason"] == "Người nộp có đơn rút hồ sơ"
    pdf = documents.render(desk, code, "stop").pdf
    out = text(pdf)
    assert "Mẫu số 05" in out and "Thông tư 03/2025/TT-VPCP" in out
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in out and "Người nộp có đơn rút hồ sơ" in out
    for dpi in (300, 203):
        assert decode(pdf, dpi=dpi, symbology="code128") == [code]
    assert actions.get_detail(desk, code).events[-1].payload["form"] == "stop"
    with pytest.raises(DomainError):
        actions.transfer(desk, code)  # final


def test_dossier_received_before_circular_03_2025_keeps_the_2018_forms(
    desk: DeskContext, clock
) -> None:  # type: ignore[no-untyped-def]
    from app.services import documents
    from tests.unit.print.printcheck import text

    clock.at = datetime(2025, 9, 12, 9, 0, tzinfo=VN)  # Fri 12/09/2025, before 15/09
    old = intake.submit(desk, intake.IntakeRequest("BHXH-E02", ANH, E02)).code
    clock.at = datetime(2025, 9, 15, 9, 0, tzinfo=VN)
    new = intake.submit(desk, intake.IntakeRequest("BHXH-E02", ANH, E02)).code
    assert "Thông tư 01/2018/TT-VPCP" in text(documents.render(desk, old, "receipt").pdf)
    assert "Thông tư 03/2025/TT-VPCP" in text(documents.render(desk, new, "receipt").pdf)
    actions.transfer(desk, old)
    control = text(documents.render(desk, old, "control").pdf)
    assert "Mẫu số 05" in control and "01/2018" in control  # form 05 of 2018: control sheet
