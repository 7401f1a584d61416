"""Grab every screen to PNG. Written to docs/screenshots when ONESTOP_SCREENSHOTS=1 (to
refresh the committed images), else to a temporary folder (still proves each renders)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.services.bootstrap import open_desk
from app.services.seed import seed_demo
from app.ui import printing
from app.ui.dossier_view import DossierView
from app.ui.firstrun import FirstRunDialog
from app.ui.signin import SignInDialog
from tests.gui.conftest import receive

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    if os.environ.get("ONESTOP_SCREENSHOTS") == "1":
        out = REPO / "docs" / "screenshots"
    else:
        out = tmp_path / "shots"
    out.mkdir(parents=True, exist_ok=True)
    return out


def save(widget, path: Path) -> None:
    assert widget.grab().save(str(path))
    assert path.stat().st_size > 1000


def test_grab_screens(qtbot, window, desk, shots, tmp_path):
    fr = FirstRunDialog(open_desk(tmp_path / "fresh"))
    qtbot.addWidget(fr)
    fr.show()
    qtbot.waitUntil(lambda: not fr.busy, timeout=10_000)
    save(fr, shots / "01-first-run.png")
    fr.next_btn.click()
    qtbot.waitUntil(lambda: fr.pages.currentIndex() == fr.PAGE_DESK, timeout=10_000)
    save(fr, shots / "02-first-run-desk.png")
    si = SignInDialog(desk)
    qtbot.addWidget(si)
    si.show()
    qtbot.waitUntil(lambda: "—" in si.form.title.text(), timeout=10_000)  # the desk's name
    save(si, shots / "03-sign-in.png")

    it = window.intake
    qtbot.waitUntil(lambda: it.picker is not None, timeout=10_000)
    it.select_procedure("BHXH-C04")
    from app.domain.identifiers import parse_chip_id_qr

    it.fill_from_chip(parse_chip_id_qr(
        "001190012345|171234567|Nguyễn Thị Lan|15031990|Nữ|"
        "Số 12 Kim Mã, Phường Ba Đình, Hà Nội|01072021"))
    it.phone.setText("09123")
    it.touched.add("phone")
    it.validate_live()
    it.rows[0].received.setChecked(True)
    window.resize(1366, 820)
    save(window, shots / "04-intake.png")

    seed_demo(desk, dossiers=300, days=20)
    r = receive(desk)
    window.find()
    qtbot.waitUntil(lambda: window.dossiers.model.total is not None
                    and not window.dossiers.model.loading, timeout=20_000)
    window.refresh_status()
    qtbot.waitUntil(lambda: window.sync_status is not None
                    and window.sync_status.waiting_count > 0, timeout=5000)
    save(window, shots / "05-dossier-list.png")
    window.dossiers.due.setCurrentIndex(3)  # overdue
    qtbot.waitUntil(lambda: window.dossiers.model.total is not None
                    and not window.dossiers.model.loading, timeout=20_000)
    save(window, shots / "06-dossier-list-overdue.png")

    v = DossierView(desk, r.dossier_id)
    qtbot.addWidget(v)
    v.show()
    qtbot.waitUntil(lambda: v.detail is not None, timeout=10_000)
    v.action_buttons["transferred"].click()
    qtbot.waitUntil(lambda: len(v.events.events) == 2, timeout=10_000)
    v.start_action("appointment_changed")
    save(v, shots / "07-dossier-view.png")
    v.hide_form()
    v.print_receipt()
    qtbot.waitUntil(lambda: bool(printing.open_previews()), timeout=20_000)
    save(printing.open_previews()[-1], shots / "08-receipt-preview.png")


def test_grab_english(qtbot, desk, officer, ui_settings, shots):
    from PySide6.QtWidgets import QApplication

    from app.domain.messages import set_language
    from app.ui.app import install_translator
    from app.ui.mainwindow import MainWindow

    app = QApplication.instance()
    translator = install_translator(app, "en")
    set_language("en")
    try:
        w = MainWindow(desk, officer, ui_settings)
        qtbot.addWidget(w)
        w.show()
        qtbot.waitUntil(lambda: w.intake.picker is not None, timeout=10_000)
        w.intake.select_procedure("BHXH-B02")
        w.resize(1366, 820)
        save(w, shots / "09-intake-english.png")
        w.close()
    finally:
        app.removeTranslator(translator)
