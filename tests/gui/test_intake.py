"""Intake driven with the keyboard: procedure picker, applicant, checklist, three outcomes."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.services.search import get_by_code
from app.ui.intake import IntakeWidget
from tests.gui.conftest import type_text


def make(qtbot, desk):
    w = IntakeWidget(desk)
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    qtbot.waitActive(w)
    qtbot.waitUntil(lambda: w.picker is not None, timeout=10_000)  # loaded in the background
    return w


def pick(qtbot, w, text):
    w.proc_search.setFocus()
    qtbot.keyClicks(w.proc_search, text)
    qtbot.keyClick(w.proc_search, Qt.Key.Key_Return)
    assert w.procedure is not None


def type_applicant(qtbot, w, name="Nguyễn Thị Lan", id_number="001190012345"):
    type_text(w.full_name, name)
    qtbot.keyClicks(w.id_number, id_number)
    qtbot.keyClicks(w.date_of_birth, "15/03/1990")
    w.sex.setCurrentIndex(2)


def test_procedure_search_folds_diacritics(qtbot, desk):
    w = make(qtbot, desk)
    qtbot.keyClicks(w.proc_search, "thai san")
    assert w.proc_list.count() == 2  # compulsory (C06) and voluntary insurance (C17)
    assert "thai sản" in w.proc_list.item(0).text()
    # Down then Enter in the list picks it too; the maternity items are all conditional.
    qtbot.keyClick(w.proc_search, Qt.Key.Key_Down)
    qtbot.keyClick(w.proc_list, Qt.Key.Key_Return)
    assert w.procedure.code == "BHXH-C06"
    assert "chưa xác nhận" in w.rows[1].name.text()  # confidence "M" is marked
    assert "Chưa xác định có áp dụng" in w.state.text()


def test_live_completeness_names_what_is_missing(qtbot, desk):
    w = make(qtbot, desk)
    pick(qtbot, w, "uy quyen")
    assert w.procedure.code == "BHXH-B02"
    assert w.state.text().count("•") == 2
    w.rows[0].frame.setFocus()
    qtbot.keyClick(w.rows[0].frame, Qt.Key.Key_Space)
    assert w.state.text().count("•") == 1
    assert w.rows[1].comp.name_vi in w.state.text()
    qtbot.keyClick(w.rows[1].frame, Qt.Key.Key_Space)
    assert "đủ thành phần" in w.state.text()
    # A photocopy where an original is required is named as such.
    w.rows[0].kind.setCurrentIndex(2)
    assert "•" in w.state.text()


def test_receive_complete_dossier_with_f9(qtbot, desk):
    w = make(qtbot, desk)
    pick(qtbot, w, "uy quyen")
    type_applicant(qtbot, w)
    for r in w.rows:
        r.received.setChecked(True)
    with qtbot.waitSignal(w.submitted, timeout=10_000) as sig:
        qtbot.keyClick(w.full_name, Qt.Key.Key_F9)
    result, outcome = sig.args
    assert outcome == "receive" and result.status == "received"
    assert result.due_date is not None
    assert get_by_code(desk, result.code).full_name == "Nguyễn Thị Lan"
    assert w.full_name.text() == "" and w.procedure is None  # ready for the next applicant


def test_incomplete_cannot_be_received_and_supplement_lists_all(qtbot, desk):
    w = make(qtbot, desk)
    pick(qtbot, w, "uy quyen")
    type_applicant(qtbot, w)
    qtbot.keyClick(w.full_name, Qt.Key.Key_F9)
    assert "chưa đủ" in w.general_error.text().lower()
    assert w.full_name.text() == "Nguyễn Thị Lan"  # nothing typed is lost
    with qtbot.waitSignal(w.submitted, timeout=10_000) as sig:
        qtbot.keyClick(w.full_name, Qt.Key.Key_F10)
    result, outcome = sig.args
    assert outcome == "supplement" and result.status == "supplement_requested"
    assert len(result.missing_text) == 2


def test_refuse_needs_a_reason(qtbot, desk):
    w = make(qtbot, desk)
    pick(qtbot, w, "uy quyen")
    type_applicant(qtbot, w)
    qtbot.keyClick(w.full_name, Qt.Key.Key_F11)
    assert w.errors["reason"].isVisible()
    assert w.focusWidget() is w.reason
    type_text(w.reason, "Không thuộc thẩm quyền")
    with qtbot.waitSignal(w.submitted, timeout=10_000) as sig:
        qtbot.keyClick(w.reason, Qt.Key.Key_F11)
    assert sig.args[0].status == "refused"


def test_bad_input_sits_next_to_its_field_and_keeps_text(qtbot, desk):
    w = make(qtbot, desk)
    pick(qtbot, w, "uy quyen")
    type_text(w.full_name, "Trần Văn Bình")
    qtbot.keyClicks(w.id_number, "12345")
    assert w.errors["id_number"].isVisible()
    assert w.errors["id_number"].text()
    qtbot.keyClicks(w.date_of_birth, "31/02/1990")
    assert w.errors["date_of_birth"].isVisible()
    qtbot.keyClicks(w.phone, "09")
    assert w.errors["phone"].isVisible()
    for r in w.rows:
        r.received.setChecked(True)
    qtbot.keyClick(w.full_name, Qt.Key.Key_F9)
    assert w.id_number.text() == "12345" and w.phone.text() == "09"
    assert w.focusWidget() is w.date_of_birth
    assert w.procedure is not None and all(r.received.isChecked() for r in w.rows)


def test_service_validation_error_goes_next_to_field(qtbot, desk):
    w = make(qtbot, desk)
    pick(qtbot, w, "uy quyen")
    type_applicant(qtbot, w)
    for r in w.rows:
        r.received.setChecked(True)
    w.return_method.setCurrentIndex(1)  # by post, but no address anywhere
    qtbot.keyClick(w.full_name, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: w.errors["return_address"].isVisible(), timeout=10_000)
    assert w.full_name.text() == "Nguyễn Thị Lan"
    type_text(w.return_address, "12 Kim Mã, Ba Đình, Hà Nội")
    with qtbot.waitSignal(w.submitted, timeout=10_000):
        qtbot.keyClick(w.full_name, Qt.Key.Key_F9)


def test_province_then_commune(qtbot, desk):
    w = make(qtbot, desk)
    assert w.province.count() == 35  # 34 provinces and the empty choice
    w.province.setCurrentIndex(w.province.findText("Hà Nội"))
    assert w.commune.count() > 100
    w.commune.setCurrentIndex(w.commune.findText("Phường Ba Đình"))
    assert w.commune_code() == "00004"


def test_maternity_with_nothing_decided_cannot_be_received(qtbot, desk):
    """Issue 10: name, ID and F9 on maternity used to say complete and print an empty table."""
    w = make(qtbot, desk)
    pick(qtbot, w, "thai san")
    type_applicant(qtbot, w)
    assert "đủ thành phần" not in w.state.text()
    assert "Chưa quyết định" in w.state.text()
    assert not w.receive_btn.isEnabled()
    qtbot.keyClick(w.full_name, Qt.Key.Key_F9)
    assert "Chưa xác định" in w.general_error.text()
    assert w.procedure is not None and w.full_name.text() == "Nguyễn Thị Lan"
    # F10 with nothing definite to ask for is refused by the service, with the reason shown.
    qtbot.keyClick(w.full_name, Qt.Key.Key_F10)
    qtbot.waitUntil(lambda: "Chưa xác định" in w.general_error.text(), timeout=10_000)
    assert w.procedure is not None


def test_f2_clears_the_form_from_anywhere(qtbot, window):
    it = window.intake
    qtbot.waitUntil(lambda: it.picker is not None, timeout=10_000)
    it.select_procedure("BHXH-B02")
    type_text(it.full_name, "Nguyễn Thị Lan")
    window.find()  # on the list tab
    qtbot.keyClick(window.dossiers.search, Qt.Key.Key_F2)
    assert window.tabs.currentIndex() == 0
    assert it.procedure is None and it.full_name.text() == ""
    assert window.focusWidget() is it.proc_search


def test_earlier_dossiers_show_and_a_repeat_within_30_days_asks(qtbot, desk, fake_dialogs):
    """Issue 10: an ID typed or scanned shows the citizen's earlier dossiers; the same
    procedure again within 30 days asks before receiving, and No keeps everything typed."""
    from datetime import UTC, datetime

    from tests.gui.conftest import receive

    desk.clock = lambda: datetime.now(UTC)  # the question compares with the real clock
    first = receive(desk, "Nguyễn Thị Lan", "001190012345")
    w = make(qtbot, desk)
    pick(qtbot, w, "uy quyen")
    type_applicant(qtbot, w)  # the same ID number
    qtbot.waitUntil(lambda: w.earlier_label.isVisible(), timeout=10_000)
    assert first.code in w.earlier_label.text()
    for r in w.rows:
        r.received.setChecked(True)
    fake_dialogs.answer = False
    qtbot.keyClick(w.full_name, Qt.Key.Key_F9)
    assert [k for k, _t, _m in fake_dialogs.shown] == ["ask"]
    assert first.code in fake_dialogs.shown[0][2]
    assert w.full_name.text() == "Nguyễn Thị Lan" and w.procedure is not None
    fake_dialogs.answer = True
    with qtbot.waitSignal(w.submitted, timeout=10_000) as sig:
        qtbot.keyClick(w.full_name, Qt.Key.Key_F9)
    assert sig.args[0].status == "received"
    assert not w.earlier_label.isVisible()  # cleared with the form


def test_another_procedure_does_not_ask(qtbot, desk, fake_dialogs):
    from datetime import UTC, datetime

    from tests.gui.conftest import receive

    desk.clock = lambda: datetime.now(UTC)
    receive(desk, "Nguyễn Thị Lan", "001190012345")  # BHXH-B02
    w = make(qtbot, desk)
    pick(qtbot, w, "om dau")
    type_applicant(qtbot, w)
    for r in w.rows:
        r.received.setChecked(True)
    with qtbot.waitSignal(w.submitted, timeout=10_000):
        qtbot.keyClick(w.full_name, Qt.Key.Key_F9)
    assert fake_dialogs.shown == []


def test_maternity_asks_who_files_and_the_due_date_follows(qtbot, desk):
    """Law 41/2024 Art. 62(3): the worker filing herself gets 05 working days, not 07."""
    from datetime import date

    w = make(qtbot, desk)
    pick(qtbot, w, "che do thai san")
    assert w.procedure.code == "BHXH-C06"
    assert w.filer.isVisible() and "5 ngày làm việc" in w.proc_label.text()
    type_applicant(qtbot, w)
    by_code = {r.comp.code: r for r in w.rows}
    # Neither the employer's list nor the worker's own application said to apply: the
    # filer cannot be told from the checklist, so it must be chosen.
    for code, applies in (("BHXH-C06-01", False), ("BHXH-C06-02", False), ("BHXH-C06-03", True)):
        combo = by_code[code].applies
        combo.setCurrentIndex(combo.findData(applies))
    by_code["BHXH-C06-03"].received.setChecked(True)
    assert "đủ thành phần" in w.state.text()
    with qtbot.waitSignal(w.submitted, timeout=3_000, raising=False) as sig:
        qtbot.keyClick(w.full_name, Qt.Key.Key_F9)
    assert not sig.signal_triggered
    qtbot.waitUntil(lambda: "Điều 62" in w.errors["filer"].text(), timeout=10_000)
    w.filer.setCurrentIndex(w.filer.findData("worker"))
    with qtbot.waitSignal(w.submitted, timeout=10_000) as sig:
        qtbot.keyClick(w.full_name, Qt.Key.Key_F9)
    result, _ = sig.args
    assert result.due_date == date(2026, 11, 25)  # Tue 17/11 + 05 working days (24/11 off)
    assert not w.filer.isVisible()  # cleared for the next applicant


def test_filer_is_hidden_where_it_does_not_matter(qtbot, desk):
    w = make(qtbot, desk)
    pick(qtbot, w, "uy quyen")
    assert not w.filer.isVisible()


def test_a_cmnd_in_the_id_field_is_explained(qtbot, desk):
    w = make(qtbot, desk)
    pick(qtbot, w, "uy quyen")
    type_text(w.full_name, "Nguyễn Thị Lan")
    qtbot.keyClicks(w.id_number, "123456789")
    w.validate_live(show_all=True)
    assert "Điều 46" in w.errors["id_number"].text()
    w.id_number.clear()
    qtbot.keyClicks(w.id_number, "001190012345")
    qtbot.keyClicks(w.old_id_number, "123456789")
    w.validate_live(show_all=True)
    assert w.errors["id_number"].text() == "" and w.errors["old_id_number"].text() == ""
    assert w.applicant()[0].old_id_number == "123456789"


def test_online_only_procedure_shows_the_online_steps(qtbot, desk):
    w = make(qtbot, desk)
    w.select_procedure("LT-02")
    assert "Chỉ nộp trực tuyến" in w.proc_label.text() and "VNeID" in w.proc_label.text()
    assert w.channel.currentData() == "online"
