"""Capture at the counter (issue 16): scan (SANE test backend) and import pages, reorder,
rotate, remove, store in the background; the dossier view shows the files and their state."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PIL import Image
from pypdf import PdfReader
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from reportlab.pdfgen import canvas

from app.domain.applicant import Applicant
from app.domain.completeness import HandedIn
from app.services import digitise, intake
from app.services.scanning import SaneScanner
from app.ui.capture import CaptureDialog, DigitisedPanel
from app.ui.dossier_view import DossierView
from tests.support.sane import sane_test_env

MOTHER = Applicant(
    full_name="Lê Thị Mai", id_number="001194123457", date_of_birth=date(1994, 3, 2), sex="F"
)
COMPONENTS = [("BHXH-C06-02", "Đơn đề nghị"), ("BHXH-C06-03", "Giấy khai sinh")]


def maternity(ctx) -> str:
    req = intake.IntakeRequest(
        "BHXH-C06",
        MOTHER,
        (HandedIn("BHXH-C06-02", "original", 1), HandedIn("BHXH-C06-03", "certified_copy", 1)),
        conditions={"BHXH-C06-01": False, "BHXH-C06-02": True, "BHXH-C06-03": True},
        filer="worker",
    )
    return intake.submit(ctx, req).dossier_id


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
    with qtbot.waitSignal(dlg.saved, timeout=120_000) as sig:
        dlg.save_btn.click()
        assert dlg.bar.isVisible() and not dlg.save_btn.isEnabled()  # busy, window alive
        if ocr_here:  # OCR takes seconds a page: the window says what it is doing
            qtbot.waitUntil(lambda: "Đang nhận dạng chữ" in dlg.note.text(), timeout=60_000)
            assert dlg.bar.maximum() == 0 and dlg.bar.isVisible()
    result = sig.args[0]
    assert result.pages == 3 and dlg.list.count() == 0
    assert result.pdfa == ocr_here and "Đang nhận dạng" not in dlg.note.text()
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


def test_intake_receipt_waits_for_the_scans_and_lists_them(qtbot, window, desk, tmp_path):
    """Form 01 printed at intake lists the components scanned in the checklist: the
    receipt waits until their pages are stored (the window meanwhile says so)."""
    from app.services.context import set_setting
    from app.ui.printing import open_previews
    from tests.gui.test_intake import type_applicant
    from tests.unit.print.printcheck import text

    with desk.transaction() as s:
        set_setting(s, "digitise.ocr", "0")  # the wait, not OCR, is under test here
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
    with qtbot.waitSignal(w.capture.stored, timeout=30_000):
        qtbot.keyClick(w.full_name, Qt.Key.Key_F9)
    ((message, previews),) = seen
    assert "phiếu tiếp nhận sẽ in khi lưu xong" in message
    assert previews == before  # not before the pages are stored
    qtbot.waitUntil(lambda: len(open_previews()) > before, timeout=30_000)
    preview = open_previews()[-1]
    assert "Thành phần đã số hóa (lưu bản điện tử khi tiếp nhận): 2 (1 trang)." in text(preview.pdf)
    preview.close()
