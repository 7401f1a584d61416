"""Settings › Office details: an administrator edits the header; an officer cannot."""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import Qt

from app.services import office_profile
from app.ui.office_profile import OfficeProfileDialog
from tests.conftest import make_admin


def test_officer_menu_entry_is_off(window):
    assert not window.office_action.isEnabled()


def test_administrator_edits_the_profile(qtbot, desk):
    admin = make_admin(desk)
    desk.officer_id = admin.id
    dlg = OfficeProfileDialog(desk)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: dlg.loaded, timeout=10_000)  # read on the worker pool
    form = dlg.form
    assert form.office_line.text() == "BẢO HIỂM XÃ HỘI CƠ SỞ BA ĐÌNH"  # as stored
    # Switching to a commune centre keeps what was typed over, suggests nothing over it.
    form.governing_line.setText("ỦY BAN NHÂN DÂN HUYỆN ĐÔNG ANH")
    qtbot.mouseClick(dlg.save_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "202/2025" in form.errors["governing_line"].text(), timeout=10_000)
    assert dlg.isVisible()
    form.governing_line.setText("BẢO HIỂM XÃ HỘI THÀNH PHỐ HÀ NỘI")
    form.return_hour.setTime(form.return_hour.time().fromString("15:30", "HH:mm"))
    with qtbot.waitSignal(dlg.accepted, timeout=10_000):
        qtbot.mouseClick(dlg.save_btn, Qt.MouseButton.LeftButton)
    assert office_profile.get_profile(desk).return_hour == time(15, 30)


def test_officer_is_refused_by_the_service(qtbot, desk):
    dlg = OfficeProfileDialog(desk)  # desk.officer_id is the plain officer
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: dlg.loaded, timeout=10_000)
    qtbot.mouseClick(dlg.save_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "quản trị viên" in dlg.error.text(), timeout=10_000)


def test_commune_centre_suggestions(qtbot):
    from app.ui.office_profile import OfficeProfileForm

    form = OfficeProfileForm()
    qtbot.addWidget(form)
    form.kind.setCurrentIndex(form.kind.findData("commune_centre"))
    form.province.setCurrentIndex(form.province.findData("01"))
    form.commune.setCurrentIndex(form.commune.findData("00004"))
    assert form.governing_line.text() == "ỦY BAN NHÂN DÂN PHƯỜNG BA ĐÌNH"
    assert form.office_line.text() == "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG"
    assert form.place_name.text() == "Ba Đình"
