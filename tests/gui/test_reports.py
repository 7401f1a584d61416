"""The supervisor's window over a real desk: status-bar counts, overdue control opening a
dossier, the II.06a report on screen, exported to Excel and previewed as PDF, a bad period
answered next to the field. Screenshots go to docs/screenshots with ONESTOP_SCREENSHOTS=1."""

from __future__ import annotations

import io
import os
from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import QDate, Qt

from app.ui import worker
from app.ui.printing import open_previews
from app.ui.reports import BarChart, ControlModel
from tests.unit.services.conftest import FRI, MON, build_history

REPO = Path(__file__).resolve().parents[2]


def shots_dir(tmp_path: Path) -> Path:
    out = REPO / "docs" / "screenshots" if os.environ.get("ONESTOP_SCREENSHOTS") else tmp_path
    out.mkdir(parents=True, exist_ok=True)
    return out


def test_control_model(qtmodeltester, desk, clock):
    from app.services import reports

    h = build_history(desk, clock)
    m = ControlModel()
    m.set_rows("overdue", reports.overdue_control(desk).by_key("overdue").rows)
    assert m.rowCount() == 2 and m.data(m.index(0, 0)) == h.codes["B"]
    qtmodeltester.check(m, force_py=True)


def test_supervisor_finds_overdue_and_prints_the_weeks_ii06a(
    qtbot, window, desk, clock, fake_dialogs, tmp_path
):
    h = build_history(desk, clock)  # the desk's clock now stands on Saturday 21 Nov
    shots = shots_dir(tmp_path)
    window.refresh_status()
    qtbot.waitUntil(lambda: "Quá hạn: 2" in window.control_label.text(), timeout=10_000)
    assert "Chờ trả: 3" in window.control_label.text()  # A, L, J

    window.control_action.trigger()
    w = window.reports_window
    qtbot.waitUntil(lambda: w.control.control is not None, timeout=10_000)
    assert w.tabs.currentIndex() == 0
    overdue = w.control.views["overdue"]
    model = overdue.model()
    assert [model.data(model.index(i, 0)) for i in range(model.rowCount())] == [
        h.codes["B"],
        h.codes["P"],
    ]
    assert w.control.tabs.tabText(0).startswith("Quá hạn (2)")
    w.resize(1180, 760)
    assert w.grab().save(str(shots / "10-overdue-control.png"))
    overdue.doubleClicked.emit(model.index(0, 0))
    qtbot.waitUntil(lambda: any(v.isVisible() for v in window.open_views), timeout=10_000)
    assert window.open_views[-1].dossier_id == model.data(model.index(0, 0), ControlModel.IdRole)

    window.reports_action.trigger()
    rw = w.reports
    assert w.tabs.currentIndex() == 1
    rw.kind.setCurrentIndex(rw.kind.findData("ii06a"))
    rw.set_period(MON, FRI)
    with qtbot.waitSignal(rw.shown, timeout=10_000):
        rw.run_btn.click()
    last = rw.table.rowCount() - 1
    assert rw.table.item(last, 0).text() == "Tổng cộng"
    assert [rw.table.item(last, c).text() for c in (1, 5, 9)] == ["11", "4", "7"]
    assert isinstance(rw.chart, BarChart) and rw.chart.values  # overdue by procedure
    assert "Cổng Dịch vụ công" in rw.note.text()
    assert w.grab().save(str(shots / "11-report-ii06a.png"))

    fake_dialogs.save_path = str(tmp_path / "ii06a.xlsx")
    rw.xlsx_btn.click()
    qtbot.waitUntil(lambda: (tmp_path / "ii06a.xlsx").exists(), timeout=10_000)
    wb = load_workbook(io.BytesIO((tmp_path / "ii06a.xlsx").read_bytes()))
    assert "II.06a" in wb.sheetnames and "Biểu đồ" in wb.sheetnames
    rw.pdf_btn.click()
    qtbot.waitUntil(lambda: bool(open_previews()), timeout=10_000)
    preview = open_previews()[-1]
    assert preview.pdf.startswith(b"%PDF") and preview.filename.startswith("II06a_")
    preview.close()

    rw.kind.setCurrentIndex(rw.kind.findData("daily"))
    with qtbot.waitSignal(rw.shown, timeout=10_000):
        rw.run_btn.click()
    assert rw.table.item(0, 1).text() == "6"  # received in the week
    assert rw.chart.values == [3.0, 1.0, 1.0, 1.0, 0.0]
    assert w.grab().save(str(shots / "12-report-daily.png"))
    w.close()
    worker.wait_idle()


def test_a_reversed_period_is_answered_next_to_the_dates(qtbot, window, desk):
    window.reports_action.trigger()
    rw = window.reports_window.reports
    rw.date_from.setDate(QDate(2026, 11, 20))
    rw.date_to.setDate(QDate(2026, 11, 16))
    rw.run_btn.click()
    qtbot.waitUntil(lambda: rw.period_error.isVisible(), timeout=10_000)
    assert "Ngày kết thúc" in rw.period_error.text()
    assert rw.date_from.date() == QDate(2026, 11, 20)  # what was typed stays
    rw.date_to.setDate(QDate(2026, 11, 21))
    with qtbot.waitSignal(rw.shown, timeout=10_000):
        qtbot.mouseClick(rw.run_btn, Qt.MouseButton.LeftButton)
    assert not rw.period_error.isVisible()
    window.reports_window.close()


def test_log_book_and_any_form_reprinted_from_the_window(qtbot, window, desk, clock, tmp_path):
    import subprocess

    from pypdf import PdfReader

    h = build_history(desk, clock)
    window.reports_action.trigger()
    rw = window.reports_window.reports
    rw.kind.setCurrentIndex(rw.kind.findData("logbook"))
    assert not rw.xlsx_btn.isEnabled()  # a form: PDF only
    rw.set_period(MON, FRI)
    rw.run_btn.click()
    qtbot.waitUntil(lambda: bool(open_previews()), timeout=10_000)
    book = open_previews()[-1]
    (tmp_path / "book.pdf").write_bytes(book.pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "book.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "SỔ THEO DÕI HỒ SƠ" in text.upper()
    assert h.codes["D"][-11:] in text and h.codes["A"][-11:] not in text  # the week only
    book.close()
    window.reports_window.close()

    window.show_dossier(_id(desk, h))
    view = window.open_views[-1]
    titles = [a.data() for a in view.forms_menu.actions()]
    assert titles[:2] == ["receipt", "receipt-80mm"]
    view.forms_menu.actions()[1].trigger()
    qtbot.waitUntil(lambda: bool(open_previews()), timeout=10_000)
    slip = open_previews()[-1]
    width_mm = float(PdfReader(io.BytesIO(slip.pdf)).pages[0].mediabox.width) / 72 * 25.4
    assert round(width_mm) == 80
    slip.close()
    view.close()


def _id(desk, h):
    from app.services import search

    return search.get_by_code(desk, h.codes["D"]).id


def test_reports_window_in_english(qtbot, desk, clock):
    from PySide6.QtWidgets import QApplication

    from app.ui.app import install_translator
    from app.ui.reports import ReportsWindow

    build_history(desk, clock)
    app = QApplication.instance()
    translator = install_translator(app, "en")
    try:
        w = ReportsWindow(desk)
        qtbot.addWidget(w)
        assert w.tabs.tabText(0) == "&Overdue control"
        assert w.reports.kind.itemText(0) == "Form II.06a: receiving and settling procedures"
        assert w.control.refresh_btn.text() == "Refresh (F5)"
        # The form's columns, fields, total and note on an English screen (the papers stay
        # Vietnamese): the titles used to come untranslated from the service.
        rw = w.reports
        rw.kind.setCurrentIndex(rw.kind.findData("ii06a"))
        rw.set_period(MON, FRI)
        with qtbot.waitSignal(rw.shown, timeout=10_000):
            rw.run_btn.click()
        heads = [rw.table.horizontalHeaderItem(c).text() for c in range(rw.table.columnCount())]
        assert heads[1] == "Received: (3) Total" and heads[8] == "Settled: (10) Late"
        assert heads[-1] == "In progress: (13) Overdue"
        names = [rw.table.item(r, 0).text() for r in range(rw.table.rowCount())]
        assert names[0] == "Social insurance" and names[-1] == "Total"
        assert "National Public Service Portal" in rw.note.text()
        assert "Cổng" not in rw.note.text()
        w.close()
    finally:
        app.removeTranslator(translator)
    worker.wait_idle()
