"""Capture at the counter (issue 16): scan (SANE test backend) and import pages, reorder,
rotate, remove, store in the background; the PDF/A copy (real OCRmyPDF) follows on its
own queue, never waited for; the dossier view shows the files and their state."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from reportlab.pdfgen import canvas

from app.services import digitise
from app.services.scanning import SaneScanner
from app.ui.capture import CaptureDialog, DigitisedPanel, ocr_queue, stop_ocr
from app.ui.dossier_view import DossierView
from tests.support.maternity import maternity
from tests.support.sane import sane_test_env

COMPONENTS = [("BHXH-C06-02", "Đơn đề nghị"), ("BHXH-C06-03", "Giấy khai sinh")]


@pytest.fixture(autouse=True)
def no_ocr_left_running(desk):
    """A test's background OCR stops with the test (its files go with its tmp folder)."""
    yield
    stop_ocr(desk)


def two_page_pdf(path: Path) -> Path:
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    for t in ("TRANG MOT", "TRANG HAI"):
        c.drawString(72, 700, t)
        c.showPage()
    c.save()
    return path


def test_scan_import_reorder_rotate_remove_and_save(qtbot, desk, tmp_path):
    dossier = maternity(desk)
    env = sane_test_env(tmp_path / "sane")
    pdf = two_page_pdf(tmp_path / "giay.pdf")
    png = tmp_path / "anh.png"
    Image.new("RGB", (500, 700), "white").save(png)
    dlg = CaptureDialog(
        desk,
        dossier,
        COMPONENTS,
        "BHXH-C06-03",
        scanner=lambda: SaneScanner(env=env),
        choose_files=lambda _parent: [pdf],
    )
    qtbot.addWidget(dlg)
    dlg.show()
    assert not dlg.save_btn.isEnabled()
    dlg.buttons["scan"].click()  # scanimage runs on the worker pool
    qtbot.waitUntil(lambda: dlg.list.count() == 1, timeout=30_000)
    assert dlg.list.pages()[0].source == "scanner"
    dlg.buttons["files"].click()
    qtbot.waitUntil(lambda: dlg.list.count() == 3, timeout=10_000)
    # A file dropped from the file manager.
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(png))])
    drop = QDropEvent(
        QPointF(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    dlg.list.dropEvent(drop)
    qtbot.waitUntil(lambda: dlg.list.count() == 4, timeout=10_000)
    # scan, TRANG MOT, TRANG HAI, png  ->  TRANG HAI (turned), scan, png
    dlg.list.setCurrentRow(1)
    dlg.remove()
    dlg.list.setCurrentRow(1)
    dlg.move_page(-1)
    dlg.list.setCurrentRow(0)
    dlg.rotate()
    assert [p.kind for p in dlg.list.pages()] == ["pdf", "image", "image"]
    ocr_here = digitise.ocr_program()[0] is not None
    with qtbot.waitSignal(dlg.saved, timeout=60_000) as sig:
        dlg.save_btn.click()
        assert dlg.bar.isVisible() and not dlg.save_btn.isEnabled()  # busy, window alive
    result = sig.args[0]
    # Stored as the plain PDF at once; the PDF/A copy is not waited for.
    assert result.pages == 3 and dlg.list.count() == 0 and not result.pdfa
    assert "✓" in dlg.note.text() and not dlg.busy and not dlg.bar.isVisible()
    if ocr_here:
        assert result.ocr_pending and "đang chờ, chạy nền" in dlg.note.text()
        qtbot.waitUntil(lambda: "(PDF/A): xong ✓" in dlg.note.text(), timeout=120_000)
        (f,) = digitise.files_of(desk, dossier)
        assert f.pdfa and f.ocr == "done"
        assert digitise.pdfa_part(digitise.store_of(desk).path_for(f.sha256)) == "2"
    assert "3 trang" in dlg.note.text() or "BHXH-C06-03" in dlg.note.text()
    reader = PdfReader(digitise.store_of(desk).path_for(result.sha256))
    assert "TRANG HAI" in reader.pages[0].extract_text()
    # Turned: shown landscape, as /Rotate (plain PDF) or drawn turned (PDF/A by OCRmyPDF).
    first = reader.pages[0]
    w, h = float(first.mediabox.width), float(first.mediabox.height)
    assert (w > h) == (first.rotation % 180 == 0)
    assert reader.pages[2].images[0].image.size == (500, 700)


def test_ocr_missing_is_said_on_screen_and_the_plain_pdf_kept(qtbot, desk, tmp_path, monkeypatch):
    dossier = maternity(desk)
    png = tmp_path / "anh.png"
    Image.new("RGB", (500, 700), "white").save(png)
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # no ocrmypdf on this machine
    dlg = CaptureDialog(desk, dossier, COMPONENTS, choose_files=lambda _p: [png])
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.buttons["files"].click()
    qtbot.waitUntil(lambda: dlg.list.count() == 1, timeout=10_000)
    with qtbot.waitSignal(dlg.saved, timeout=30_000) as sig:
        dlg.save_btn.click()
    result = sig.args[0]
    assert not result.pdfa
    assert "Chưa cài OCRmyPDF" in dlg.note.text() and "PDF thường" in dlg.note.text()
    assert dlg.note.isVisible()
    assert digitise.pdfa_id(digitise.store_of(desk).path_for(result.sha256)) is None


def test_bad_file_message_next_to_the_list_and_pages_kept(qtbot, desk, tmp_path):
    dossier = maternity(desk)
    png = tmp_path / "anh.png"
    Image.new("RGB", (300, 300), "white").save(png)
    bad = tmp_path / "ghichu.txt"
    bad.write_text("x")
    dlg = CaptureDialog(desk, dossier, COMPONENTS, choose_files=lambda _p: [png])
    qtbot.addWidget(dlg)
    dlg.buttons["files"].click()
    qtbot.waitUntil(lambda: dlg.list.count() == 1, timeout=10_000)
    dlg.add_files([bad])
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    assert "ghichu.txt" in dlg.error.text() and dlg.list.count() == 1


def test_dossier_view_shows_files_state_and_pages(qtbot, desk, tmp_path):
    dossier = maternity(desk)
    png = tmp_path / "anh.png"
    Image.new("RGB", (400, 500), "white").save(png)
    digitise.digitise_component(
        desk, dossier, "BHXH-C06-02", digitise.pages_from_files([png]), ocr=False
    )
    v = DossierView(desk, dossier)
    qtbot.addWidget(v)
    v.show()
    qtbot.waitUntil(lambda: v.detail is not None, timeout=10_000)
    v.digitised_btn.click()
    panel = v.digitised
    assert isinstance(panel, DigitisedPanel)
    qtbot.waitUntil(lambda: panel.table.item(0, 2) is not None, timeout=10_000)
    rows = {panel.table.item(r, 0).text()[:11]: panel.table.item(r, 2).text() for r in range(2)}
    assert rows["BHXH-C06-02"] == "Trên máy này, chưa gửi máy chủ"
    assert rows["BHXH-C06-03"] == "Chưa số hóa"
    ocr_here = digitise.ocr_program()[0] is not None
    assert panel.table.item(0, 3).text() == ("Đang chờ" if ocr_here else "Không (PDF thường)")
    assert panel.table.item(1, 3).text() == ""
    panel.table.selectRow(0)
    with qtbot.waitSignal(panel.viewer_shown, timeout=10_000):
        panel.open_viewer()
    assert panel.viewer is not None and panel.viewer.doc.pageCount() == 1


def test_reports_screen_shows_the_share_digitised_at_reception(qtbot, desk, tmp_path, fake_dialogs):
    import io

    from openpyxl import load_workbook

    from app.ui.printing import open_previews
    from app.ui.reports import ReportsWidget

    png = tmp_path / "anh.png"
    Image.new("RGB", (300, 300), "white").save(png)
    a, b = maternity(desk), maternity(desk)
    pages = digitise.pages_from_files([png])
    digitise.digitise_component(desk, a, "BHXH-C06-02", pages, ocr=False)
    for code in ("BHXH-C06-02", "BHXH-C06-03"):  # b: every component handed in
        digitise.digitise_component(desk, b, code, pages, ocr=False)
    w = ReportsWidget(desk)
    qtbot.addWidget(w)
    w.kind.setCurrentIndex(w.kind.findData("digitised"))
    assert w.xlsx_btn.isEnabled() and w.pdf_btn.isEnabled()
    w.set_period(date(2026, 11, 16), date(2026, 11, 20))
    with qtbot.waitSignal(w.shown, timeout=10_000):
        w.run_btn.click()
    cells = [
        [w.table.item(r, c).text() if w.table.item(r, c) else "" for c in range(5)]
        for r in range(w.table.rowCount())
    ]
    assert cells[0][0] == "Theo thủ tục"
    assert cells[1][0].startswith("BHXH-C06") and cells[1][1:] == ["2", "2", "1", "50,0 %"]
    assert cells[-1] == ["Tổng cộng", "2", "2", "1", "50,0 %"]
    assert any(row[0] == "Nguyễn Văn An" for row in cells)
    assert "TT 03/2025/TT-VPCP Điều 5" in w.note.text() and "[S]" in w.note.text()
    assert w.chart.values == [0.5]

    fake_dialogs.save_path = str(tmp_path / "sohoa.xlsx")
    w.xlsx_btn.click()
    qtbot.waitUntil(lambda: (tmp_path / "sohoa.xlsx").exists(), timeout=10_000)
    wb = load_workbook(io.BytesIO((tmp_path / "sohoa.xlsx").read_bytes()))
    assert wb.sheetnames == ["Theo thủ tục", "Theo cán bộ", "Biểu đồ"]
    w.pdf_btn.click()
    qtbot.waitUntil(lambda: bool(open_previews()), timeout=10_000)
    preview = open_previews()[-1]
    assert preview.pdf.startswith(b"%PDF") and preview.filename.startswith("SoHoa_")
    preview.close()


def test_intake_checklist_scans_two_components_without_adding_tab_stops(qtbot, desk, tmp_path):
    """The done-when of issue 16 at the counter: a maternity dossier, two components
    scanned from the checklist (SANE test backend), stored once the dossier is received."""
    from app.ui.intake import IntakeWidget
    from tests.gui.test_intake import make, pick, type_applicant

    env = sane_test_env(tmp_path / "sane")
    w = make(qtbot, desk)
    assert isinstance(w, IntakeWidget)
    pick(qtbot, w, "che do thai san")
    assert w.procedure.code == "BHXH-C06"
    type_applicant(qtbot, w)
    by_code = {r.comp.code: r for r in w.rows}
    for code, applies in (("BHXH-C06-01", False), ("BHXH-C06-02", True), ("BHXH-C06-03", True)):
        combo = by_code[code].applies
        combo.setCurrentIndex(combo.findData(applies))
    by_code["BHXH-C06-02"].received.setChecked(True)
    by_code["BHXH-C06-03"].received.setChecked(True)
    w.filer.setCurrentIndex(w.filer.findData("worker"))
    buttons = w.capture.buttons
    assert all(b.focusPolicy() == Qt.FocusPolicy.NoFocus for b in buttons.values())
    for code in ("BHXH-C06-02", "BHXH-C06-03"):
        dlg = w.capture.open(by_code[code])
        dlg.make_scanner = lambda: SaneScanner(env=env)
        qtbot.addWidget(dlg)
        dlg.buttons["scan"].click()
        qtbot.waitUntil(lambda d=dlg: d.list.count() == 1 and not d.busy, timeout=30_000)
        dlg.save_btn.click()
        assert buttons[code].text() == "📷 1"
    with (
        qtbot.waitSignal(w.capture.finished, timeout=30_000) as sig,
        qtbot.waitSignal(w.submitted, timeout=10_000) as got,
    ):
        qtbot.keyClick(w.full_name, Qt.Key.Key_F9)
    results = sig.args[0]
    assert len(results) == 2 and all(r.pages == 1 for r in results)
    dossier = got.args[0].dossier_id
    with desk.read() as s:
        files = digitise.dossier_files(s, dossier)
    assert sorted(f.component_code for f in files) == ["BHXH-C06-02", "BHXH-C06-03"]


def test_intake_receipt_lists_the_scans_without_waiting_for_ocr(qtbot, window, desk, tmp_path):
    """Form 01 printed at intake lists the components scanned in the checklist: the
    receipt waits only for their plain PDFs to be stored; their PDF/A copies (OCR, seconds
    a page) come afterwards in the background. OCR is on and installed here: the preview
    is on screen while no PDF/A event exists yet."""
    from app.domain.lifecycle import EventType
    from app.models import Event
    from app.ui.printing import open_previews
    from tests.gui.test_intake import type_applicant
    from tests.unit.print.printcheck import text

    if digitise.ocr_program()[0] is None:
        pytest.fail("OCRmyPDF with Tesseract's vie data is needed; .ci/run installs it")
    env = sane_test_env(tmp_path / "sane")
    w = window.intake
    qtbot.waitUntil(lambda: w.picker is not None, timeout=10_000)
    w.select_procedure("BHXH-C06")
    type_applicant(qtbot, w)
    by_code = {r.comp.code: r for r in w.rows}
    for code, applies in (("BHXH-C06-01", False), ("BHXH-C06-02", True), ("BHXH-C06-03", True)):
        combo = by_code[code].applies
        combo.setCurrentIndex(combo.findData(applies))
    by_code["BHXH-C06-02"].received.setChecked(True)
    by_code["BHXH-C06-03"].received.setChecked(True)
    w.filer.setCurrentIndex(w.filer.findData("worker"))
    dlg = w.capture.open(by_code["BHXH-C06-03"])
    dlg.make_scanner = lambda: SaneScanner(env=env)
    qtbot.addWidget(dlg)
    dlg.buttons["scan"].click()
    qtbot.waitUntil(lambda: dlg.list.count() == 1 and not dlg.busy, timeout=30_000)
    dlg.save_btn.click()
    before = len(open_previews())
    seen: list[tuple[str, int]] = []  # just after the window handled the intake
    w.submitted.connect(
        lambda *_: seen.append((window.statusBar().currentMessage(), len(open_previews())))
    )
    queue = ocr_queue(desk)
    upgrades: list[object] = []
    queue.finished.connect(upgrades.append)

    def pdfa_events() -> list[Event]:
        with desk.read() as s:
            return [
                e
                for e in s.query(Event).filter(Event.type == EventType.COMPONENT_DIGITISED.value)
                if e.payload["pdfa"]
            ]

    with qtbot.waitSignal(w.capture.stored, timeout=30_000):
        qtbot.keyClick(w.full_name, Qt.Key.Key_F9)
    ((message, previews),) = seen
    assert "phiếu tiếp nhận sẽ in khi lưu xong" in message  # the short wait for the plain PDF
    assert previews == before
    qtbot.waitUntil(lambda: len(open_previews()) > before, timeout=30_000)
    # The receipt is on screen; the OCR has not finished (it is seconds a page).
    assert pdfa_events() == [] and upgrades == []
    assert queue.running is not None and queue.running.component_code == "BHXH-C06-03"
    preview = open_previews()[-1]
    assert "Thành phần đã số hóa (lưu bản điện tử khi tiếp nhận): 2 (1 trang)." in text(preview.pdf)
    preview.close()
    # Then the PDF/A copy comes by itself, replacing the plain file.
    qtbot.waitUntil(lambda: len(upgrades) == 1, timeout=120_000)
    (ev,) = pdfa_events()
    assert ev.payload["component_code"] == "BHXH-C06-03" and ev.payload["replaces"]


@pytest.mark.slow
def test_the_panel_follows_the_background_pdfa_done_and_failed(qtbot, desk, tmp_path):
    from app.services.context import set_setting

    if digitise.ocr_program()[0] is None:
        pytest.fail("OCRmyPDF with Tesseract's vie data is needed; .ci/run installs it")
    dossier = maternity(desk)
    png = tmp_path / "anh.png"
    Image.new("RGB", (400, 500), "white").save(png)
    a = digitise.digitise_component(desk, dossier, "BHXH-C06-02", digitise.pages_from_files([png]))
    panel = DigitisedPanel(desk, dossier, COMPONENTS, fetch=False)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.table.item(0, 3) is not None, timeout=10_000)
    assert panel.table.item(0, 3).text() == "Đang chờ"
    queue = ocr_queue(desk)
    with qtbot.waitSignal(queue.finished, timeout=120_000) as done:
        queue.add(digitise.Upgrade(dossier, "BHXH-C06-02", a.sha256))
        qtbot.waitUntil(lambda: panel.table.item(0, 3).text() == "Đang nhận dạng…", timeout=10_000)
    assert done.args[0].outcome == "done"
    qtbot.waitUntil(lambda: panel.table.item(0, 3).text() == "Xong ✓", timeout=10_000)
    # The second component: its OCR cannot finish in time; the failure is shown, kept.
    with desk.transaction() as s:
        set_setting(s, "digitise.ocr_timeout_s", "0.05")
    other = tmp_path / "khac.png"  # other pages (the same would reuse the first PDF/A)
    Image.new("RGB", (300, 500), "white").save(other)
    b = digitise.digitise_component(
        desk, dossier, "BHXH-C06-03", digitise.pages_from_files([other])
    )
    with qtbot.waitSignal(queue.finished, timeout=60_000) as failed:
        queue.add(digitise.Upgrade(dossier, "BHXH-C06-03", b.sha256))
    assert failed.args[0].outcome == "failed"
    qtbot.waitUntil(
        lambda: panel.table.item(1, 3).text().startswith("Không thành công: timed out"),
        timeout=10_000,
    )
    assert digitise.pending_upgrades(desk) == []  # not offered again after a restart
    # Someone asks once more (with a sane time limit): it is made this time.
    with desk.transaction() as s:
        set_setting(s, "digitise.ocr_timeout_s", "120")
    assert not panel.retry_btn.isEnabled()  # nothing selected
    panel.table.selectRow(0)
    assert not panel.retry_btn.isEnabled()  # done, nothing to retry
    panel.table.selectRow(1)
    assert panel.retry_btn.isEnabled()
    with qtbot.waitSignal(queue.finished, timeout=120_000) as again:
        panel.retry_btn.click()
    assert again.args[0].outcome == "done"
    qtbot.waitUntil(lambda: panel.table.item(1, 3).text() == "Xong ✓", timeout=10_000)


@pytest.mark.slow
def test_the_main_window_picks_up_copies_left_and_stops_ocr_when_closed(
    qtbot, desk, officer, ui_settings, tmp_path
):
    """After sign-in the window finds the PDF/A copies still to make (left by a desk closed
    before they were made); closing the window kills a running OCRmyPDF without recording
    or remembering anything, and the next window makes the copy."""
    from app.ui.mainwindow import MainWindow

    if digitise.ocr_program()[0] is None:
        pytest.fail("OCRmyPDF with Tesseract's vie data is needed; .ci/run installs it")
    dossier = maternity(desk)
    png = tmp_path / "anh.png"
    Image.new("RGB", (600, 800), "white").save(png)
    a = digitise.digitise_component(desk, dossier, "BHXH-C06-02", digitise.pages_from_files([png]))
    left = digitise.Upgrade(dossier, "BHXH-C06-02", a.sha256)

    first = MainWindow(desk, officer, ui_settings)
    qtbot.addWidget(first)
    first.show()
    queue = ocr_queue(desk)
    qtbot.waitUntil(lambda: queue.running == left, timeout=20_000)
    results: list[object] = []
    queue.finished.connect(results.append)
    first.close()  # OCRmyPDF is running: it is killed, the window does not wait minutes
    qtbot.waitUntil(lambda: len(results) == 1, timeout=10_000)
    assert [r.outcome for r in results] == ["cancelled"]  # type: ignore[attr-defined]
    assert digitise.files_of(desk, dossier)[0].ocr == "pending"  # not a failure
    assert digitise.pending_upgrades(desk) == [left]

    second = MainWindow(desk, officer, ui_settings)
    qtbot.addWidget(second)
    second.show()
    again = ocr_queue(desk)
    assert again is not queue
    with qtbot.waitSignal(again.finished, timeout=120_000) as done:
        pass
    assert done.args[0].outcome == "done" and done.args[0].upgrade == left
    (f,) = digitise.files_of(desk, dossier)
    assert f.pdfa and f.ocr == "done"
    second.close()
