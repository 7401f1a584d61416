"""The dossier view: details, history, and each action with the keyboard; printing."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.services.actions import get_detail
from app.ui import printing
from app.ui.dossier_view import DossierView
from tests.gui.conftest import receive, type_text


def view(qtbot, desk, ref):
    v = DossierView(desk, get_detail(desk, ref).id)
    qtbot.addWidget(v)
    v.show()
    qtbot.waitUntil(lambda: v.detail is not None, timeout=10_000)  # read on the worker pool
    return v


def act(qtbot, v, etype, n_events):
    v.action_buttons[etype].click()
    qtbot.waitUntil(lambda: len(v.events.events) == n_events, timeout=10_000)


def test_details_and_lifecycle_to_feedback(qtbot, desk):
    r = receive(desk)
    v = view(qtbot, desk, r.code)
    assert r.code in v.header.text() and "BHXH-B02" in v.header.text()
    assert v.detail.catalogue_version in v.header.text()
    assert "Nguyễn Thị Lan" in v.applicant.text()
    assert v.components.text().count("•") == 2
    assert v.events.rowCount() == 1
    assert v.events.data(v.events.index(0, 2)) == "Nguyễn Văn An"  # who
    assert v.events.data(v.events.index(0, 4)) == "chưa gửi"  # sync state, stand-alone
    visible = {e for e, b in v.action_buttons.items() if not b.isHidden()}
    assert "transferred" in visible and "returned" not in visible
    act(qtbot, v, "transferred", 2)
    act(qtbot, v, "result_ready", 3)
    assert not v.action_buttons["returned"].isHidden()
    # Return by post needs a consignment number.
    v.start_action("posted")
    assert v.form_box.isVisible()
    v.confirm.click()
    assert "vận đơn" in v.form_error.text()
    qtbot.keyClicks(v.consignment, "EB123456789VN")
    qtbot.keyClick(v.consignment, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(v.events.events) == 4, timeout=10_000)
    assert v.detail.status == "returned" and v.detail.consignment_no == "EB123456789VN"
    v.start_action("feedback_given")
    v.scores["3"].setCurrentIndex(1)
    v.confirm.click()
    qtbot.waitUntil(lambda: len(v.events.events) == 5, timeout=10_000)
    fb = v.events.events[-1]
    assert fb.payload["scores"] == {"1": 2, "3": 1, "4": 2, "7": 2}
    assert fb.officer == ""  # anonymous
    assert v.action_buttons["feedback_given"].isHidden()


def test_reschedule_once_and_cancel_need_reasons(qtbot, desk):
    r = receive(desk)
    v = view(qtbot, desk, r.code)
    v.start_action("appointment_changed")
    v.confirm.click()
    assert v.form_error.text()
    type_text(v.reason, "Chờ xác minh thông tin")
    v.confirm.click()
    qtbot.waitUntil(lambda: len(v.events.events) == 2 or bool(v.form_error.text()),
                    timeout=10_000)
    assert not v.form_error.text(), v.form_error.text()
    assert v.detail.rescheduled and "hẹn lại" in v.header.text()
    assert v.action_buttons["appointment_changed"].isHidden()  # once only
    v.start_action("cancelled")
    qtbot.keyClick(v.reason, Qt.Key.Key_Escape)
    assert not v.form_box.isVisible() and v.isVisible()
    v.start_action("cancelled")
    type_text(v.reason, "Người nộp rút hồ sơ")
    v.confirm.click()
    qtbot.waitUntil(lambda: v.detail.status == "cancelled", timeout=10_000)


def test_supplement_received_restarts(qtbot, desk):
    r = receive(desk, outcome="supplement")
    v = view(qtbot, desk, r.code)
    assert not v.action_buttons["supplement_received"].isHidden()
    v.start_action("supplement_received")
    missing = [row for row in v.item_rows if row.count.value() > 0]
    assert len(missing) == 1
    missing[0].received.setChecked(True)
    v.confirm.click()
    qtbot.waitUntil(lambda: v.detail.status == "received", timeout=10_000)
    # Issue 10: the citizen leaves with a receipt that carries the new date.
    qtbot.waitUntil(lambda: bool(printing.open_previews()), timeout=20_000)
    preview = printing.open_previews()[-1]
    qtbot.addWidget(preview)
    assert preview.windowTitle() == "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"


def test_history_names_the_desk_and_header_shows_overdue(qtbot, desk, clock):
    from datetime import timedelta

    r = receive(desk)
    v = view(qtbot, desk, r.code)
    assert v.events.data(v.events.index(0, 3)) == "Quầy 1"  # the desk's name, not its id
    from app.domain.lifecycle import overdue_days
    from app.ui.common import today_local

    n = overdue_days("received", r.due_date, today_local())  # the test clock is in the past
    assert (f"Quá hạn {n} ngày" in v.header.text()) == (n > 0)
    v.close()

    assert overdue_days("received", r.due_date, r.due_date + timedelta(days=3)) == 3
    assert overdue_days("returned", r.due_date, r.due_date + timedelta(days=3)) == 0
    assert overdue_days("received", r.due_date, r.due_date) == 0


def test_print_preview_and_save(qtbot, desk, tmp_path, fake_dialogs):
    r = receive(desk)
    v = view(qtbot, desk, r.code)
    v.print_receipt()
    qtbot.waitUntil(lambda: bool(printing.open_previews()), timeout=20_000)
    preview = printing.open_previews()[-1]
    qtbot.addWidget(preview)
    assert preview.page_labels, "the PDF is rendered to page images"
    if not printing.printers_available():
        assert not preview.print_btn.isEnabled() and "PDF" in preview.note.text()
    fake_dialogs.save_path = str(tmp_path / "receipt.pdf")
    assert preview.save_pdf() == fake_dialogs.save_path
    assert (tmp_path / "receipt.pdf").read_bytes().startswith(b"%PDF")
    qtbot.keyClick(preview, Qt.Key.Key_Escape)
    assert not preview.isVisible()
    qtbot.waitUntil(lambda: any(e.type == "printed" for e in get_detail(desk, r.code).events),
                    timeout=5000)


def test_late_supplement_request_is_warned_before_confirming(qtbot, desk, clock):
    from datetime import UTC, datetime

    r = receive(desk)  # Tue 17/11/2026
    v = view(qtbot, desk, r.code)
    act(qtbot, v, "transferred", 2)
    clock.at = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Mon 23/11: the 4th working day
    v.start_action("supplement_requested")
    qtbot.waitUntil(lambda: "Điều 19 khoản 4" in v.form_error.text(), timeout=10_000)
    assert v.form_box.isVisible()


def test_return_records_who_collected(qtbot, desk):
    """Issue 10: name, ID number and, for someone collecting on the citizen's behalf, the
    authorisation; prefilled with the applicant, bad input refused next to the form."""
    r = receive(desk)
    v = view(qtbot, desk, r.code)
    act(qtbot, v, "transferred", 2)
    act(qtbot, v, "result_ready", 3)
    v.start_action("returned")
    assert v.receiver_name.text() == "Nguyễn Thị Lan"
    assert v.receiver_id.text() == "001190012345"
    v.receiver_name.setText("Trần Văn Bình")
    v.receiver_id.setText("12345")
    v.confirm.click()
    qtbot.waitUntil(lambda: bool(v.form_error.text()), timeout=10_000)
    assert len(v.events.events) == 3 and v.receiver_name.text() == "Trần Văn Bình"
    v.receiver_id.setText("001090012346")
    v.authorisation.setText("số 12/UQ ngày 20/11/2026")
    v.confirm.click()
    qtbot.waitUntil(lambda: len(v.events.events) == 4, timeout=10_000)
    receiver = v.events.events[-1].payload["receiver"]
    assert receiver.startswith("Trần Văn Bình — số định danh 001090012346")
    assert "ủy quyền số 12/UQ ngày 20/11/2026" in receiver
    assert "Trần Văn Bình" in v.events.data(v.events.index(3, 1))


def test_withdrawal_stops_the_dossier_and_records_the_reason(qtbot, desk):
    r = receive(desk)
    v = view(qtbot, desk, r.code)
    assert not v.action_buttons["stopped"].isHidden()
    v.start_action("stopped")
    v.confirm.click()
    assert "lý do" in v.form_error.text()
    type_text(v.reason, "Người nộp có đơn rút hồ sơ")
    v.confirm.click()
    qtbot.waitUntil(lambda: v.detail.status == "stopped", timeout=10_000)
    assert v.events.events[1].type == "stopped"
