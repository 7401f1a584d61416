"""The agent-desk mode of the main window and the hand-over record dialog (issue 15), at
1366×768 (minus the taskbar and title bar), Vietnamese by default, English via Qt's
translation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication

from app.domain.applicant import Applicant
from app.domain.completeness import HandedIn
from app.domain.postal import make_s10
from app.services import postal
from app.services.setup import authenticate
from app.ui import postal as postal_ui
from app.ui import worker
from app.ui.app import install_translator
from app.ui.mainwindow import MainWindow
from tests.support.postal import AGENCY_CODE, make_post_desk

#: 1366×768 with a 40-pixel taskbar and a 32-pixel title bar.
SIZE = (1366, 768 - 40 - 32)


@pytest.fixture
def post(tmp_path: Path, clock: Any) -> Iterator[Any]:
    ctx = make_post_desk(tmp_path / "post", clock=clock)
    yield ctx
    ctx.close()


def _window(qtbot: Any, ctx: Any, username: str, ui_settings: Any) -> MainWindow:
    officer = authenticate(ctx, username, "mat-khau-1")
    assert officer is not None
    w = MainWindow(ctx, officer, ui_settings)
    qtbot.addWidget(w)
    w.resize(*SIZE)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w.context_ready)
    worker.wait_idle(10_000)  # the agent-mode check runs on the pool
    qtbot.wait(50)
    return w


def _on_screen(w: Any) -> bool:
    top = w.window()
    rect = QRect(w.mapTo(top, QPoint(0, 0)), w.size())
    return top.rect().contains(rect) and w.isVisible()


def test_agent_desk_window_takes_a_dossier_and_hands_it_over(
    qtbot: Any, post: Any, ui_settings: Any, fake_dialogs: Any
) -> None:
    w = _window(qtbot, post, "buudien1", ui_settings)
    assert w.tabs.count() == 2
    assert w.tabs.tabText(0) == "&Nhận gửi qua bưu điện"
    form = w.postal_intake
    qtbot.waitUntil(lambda: form.setup is not None and form.components.count() > 0)
    assert form.agency.currentData() == AGENCY_CODE
    assert "bảng cước chưa đối chiếu" in form.fee.text()
    assert _on_screen(form.accept_btn) and _on_screen(form.consignment)
    form.procedure.setCurrentIndex(form.procedure.findData("BHXH-E02"))
    for i in range(form.components.count()):
        form.components.item(i).setCheckState(Qt.CheckState.Checked)
    form.full_name.setText("Trần Thị Bích")
    form.id_number.setText("001190123456")
    form.phone.setText("0912345678")
    form.address.setText("Số 3 ngõ Văn Chương, Hà Nội")
    form.consignment.setText("EE123456784VN")  # wrong check digit
    form.check_consignment()
    err = form.errors["consignment_no"]
    qtbot.waitUntil(lambda: err.isVisible())
    assert "Số kiểm tra" in err.text()
    form.submit()
    qtbot.waitUntil(lambda: form.accept_btn.isEnabled())
    assert err.isVisible() and form.full_name.text() == "Trần Thị Bích"  # nothing lost
    form.consignment.setText("EE123456785VN")
    form.submit()
    qtbot.waitUntil(lambda: "Đã nhận" in form.result.text())
    assert "BC-261117-01-0001" in form.result.text()
    qtbot.waitUntil(lambda: any(p.isVisible() for p in postal_ui._previews))
    assert form.full_name.text() == ""

    w.tabs.setCurrentIndex(1)
    table = w.handover
    qtbot.waitUntil(lambda: table.table.rowCount() == 1 and table.agency.count() == 1)
    assert table.table.item(0, 1).text() == "EE123456785VN"
    table.hand_over()
    qtbot.waitUntil(lambda: table.table.item(0, 4).text() == "Đã giao cơ quan")
    assert table.table.item(0, 5).text()  # the record's number
    assert _on_screen(table.hand_btn) and _on_screen(table.delivered_btn)
    worker.wait_idle(10_000)
    for p in postal_ui._previews:
        p.close()


def test_agency_desk_receives_a_record_by_scanning_it(
    qtbot: Any, post: Any, desk: Any, ui_settings: Any, fake_dialogs: Any
) -> None:
    e02 = (HandedIn("BHXH-E02-01", "original", 1),)
    who = Applicant(full_name="Lê Văn Hùng", id_number="001085012345", address="Hà Nội")
    for n in (1, 2):
        postal.accept(
            post, postal.AcceptRequest(AGENCY_CODE, "BHXH-E02", who, e02, make_s10("RR", n))
        )
    info = postal.hand_over(post, AGENCY_CODE)
    w = _window(qtbot, desk, "canbo1", ui_settings)
    assert w.tabs.tabText(0) == "&Tiếp nhận hồ sơ"  # an agency desk keeps its intake
    w.handle_scan(info.code.text())
    dialog = w.batch_dialog
    qtbot.waitUntil(lambda: "0/2" in dialog.heading.text())
    assert not dialog.sign_btn.isEnabled()
    for row in info.row_data():
        w.handle_scan(row.qr_text())
    assert "2/2" in dialog.heading.text() and dialog.sign_btn.isEnabled()
    assert _on_screen(dialog.sign_btn)
    dialog.sign()
    qtbot.waitUntil(lambda: "Đã ký nhận" in dialog.heading.text())
    assert dialog.buttons["received"].isEnabled()
    dialog.table.selectRow(0)
    dialog.settle("received")
    qtbot.waitUntil(lambda: dialog.table.item(0, 4).text() == "received")
    assert dialog.table.item(0, 3).text().startswith(AGENCY_CODE)
    dialog.table.selectRow(1)
    dialog.settle("refused")  # a refusal needs its reason: shown next to the field
    qtbot.waitUntil(lambda: dialog.errors["reason"].isVisible())
    dialog.reason.setText("Không có trong bao")
    dialog.settle("missing")
    qtbot.waitUntil(lambda: dialog.table.item(1, 4).text() == "missing")
    w.handle_scan(info.code.text())  # scanned again: opens as signed, not signed twice
    again = w.batch_dialog
    qtbot.waitUntil(lambda: "Đã ký nhận" in again.heading.text())
    assert not again.sign_btn.isEnabled()
    worker.wait_idle(10_000)
    from app.ui.printing import open_previews

    qtbot.waitUntil(lambda: bool(open_previews()))  # form 01 of the dossier received
    for p in open_previews():
        p.close()
        p.deleteLater()
    for d in (dialog, again):
        d.close()


def test_agent_desk_in_english(qtbot: Any, post: Any, ui_settings: Any) -> None:
    app = QApplication.instance()
    translator = install_translator(app, "en")
    assert translator is not None
    try:
        w = _window(qtbot, post, "buudien1", ui_settings)
        assert w.tabs.tabText(0) == "&Post-office intake"
        assert w.tabs.tabText(1) == "&Hand-over and delivery"
        assert w.postal_intake.accept_btn.text() == "Accept and print the receipt (F9)"
        assert w.handover.hand_btn.text() == "Make the hand-over record"
        w.close()
    finally:
        app.removeTranslator(translator)
