"""Digitising at reception: scan (SANE test backend), import, one PDF per component,
content-addressed, recorded by an event in the dossier's transaction (issue 16)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.pdfgen import canvas
from sqlalchemy import func, select

from app.domain.applicant import Applicant
from app.domain.completeness import HandedIn
from app.domain.errors import DomainError, ValidationFailed
from app.models import Event, StoredFile
from app.models.events import Outbox
from app.services import digitise, intake
from app.services.context import set_setting
from app.services.digitise import digitise_component, pages_from_files
from app.services.scanning import SaneScanner, ScanOptions
from tests.support.sane import sane_test_env

MOTHER = Applicant(
    full_name="Lê Thị Mai", id_number="001194123457", date_of_birth=date(1994, 3, 2), sex="F"
)
C06 = (HandedIn("BHXH-C06-02", "original", 1), HandedIn("BHXH-C06-03", "certified_copy", 1))


def maternity(ctx) -> str:
    req = intake.IntakeRequest(
        "BHXH-C06",
        MOTHER,
        C06,
        conditions={"BHXH-C06-01": False, "BHXH-C06-02": True, "BHXH-C06-03": True},
        filer="worker",
    )
    return intake.submit(ctx, req).dossier_id


def pdf_file(path: Path, texts: list[str]) -> Path:
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    for t in texts:
        c.drawString(72, 700, t)
        c.showPage()
    c.save()
    return path


def image_file(path: Path, fmt: str, size=(800, 1100), mode="RGB") -> Path:
    im = Image.new(mode, size, "white" if mode != "RGBA" else (255, 255, 255, 128))
    im.save(path, fmt, dpi=(300, 300))
    return path


def test_scan_through_sane_test_backend_end_to_end(desk, tmp_path):
    scanner = SaneScanner(env=sane_test_env(tmp_path / "sane"))
    devices = scanner.devices()
    assert "test:0" in [d.name for d in devices]
    seen: list[int] = []
    files = scanner.scan("test:0", tmp_path / "scan", ScanOptions(dpi=150, pages=3), seen.append)
    assert len(files) == 3 and seen == [1, 2, 3]
    dossier = maternity(desk)
    pages = pages_from_files(files, source="scanner")
    result = digitise_component(desk, dossier, "BHXH-C06-02", pages, ocr=False)
    reader = PdfReader(digitise.store_of(desk).path_for(result.sha256))
    assert len(reader.pages) == 3 == result.pages
    with Image.open(files[0]) as first:
        scanned = first.size
    # Lossless: the page's image is the scanned image, pixel for pixel.
    assert reader.pages[0].images[0].image.size == scanned
    with desk.read() as s:
        ev = s.get(Event, result.event_id)
        assert ev.type == "component_digitised" and ev.dossier_id == dossier
        assert ev.payload["source"] == "scanner" and ev.payload["size"] == result.size
        assert s.get(Outbox, ev.id) is not None
        assert s.get(StoredFile, result.sha256).present


def test_scanner_error_is_a_message(desk, tmp_path):
    scanner = SaneScanner(env=sane_test_env(tmp_path / "sane"))
    with pytest.raises(DomainError) as err:
        scanner.scan("nosuch:0", tmp_path / "scan", ScanOptions())
    assert "Máy quét báo lỗi" in err.value.message


def test_import_multipage_pdf_reordered_rotated_and_a_page_removed(desk, tmp_path):
    src = pdf_file(tmp_path / "giay.pdf", ["TRANG MOT", "TRANG HAI", "TRANG BA"])
    pages = pages_from_files([src])
    assert len(pages) == 3
    chosen = [pages[2].rotated(90), pages[0]]  # page 2 removed, 3 before 1, 3 turned
    dossier = maternity(desk)
    result = digitise_component(desk, dossier, "BHXH-C06-03", chosen, ocr=False)
    reader = PdfReader(digitise.store_of(desk).path_for(result.sha256))
    assert len(reader.pages) == 2
    assert "TRANG BA" in reader.pages[0].extract_text()
    assert "TRANG MOT" in reader.pages[1].extract_text()
    assert reader.pages[0].rotation == 90 and reader.pages[1].rotation == 0


def test_same_pages_a_second_apart_make_the_same_file(desk, tmp_path):
    """QPDF's default /ID mixed in the clock: two saves a second apart hashed apart."""
    import time

    src = pdf_file(tmp_path / "giay.pdf", ["TRANG MOT"])
    png = image_file(tmp_path / "b.png", "PNG")
    pages = [*pages_from_files([src]), *pages_from_files([png])]
    first = tmp_path / "1.pdf"
    digitise.build_pdf(pages, first)
    time.sleep(1.1)
    second = tmp_path / "2.pdf"
    digitise.build_pdf(pages, second)
    assert digitise.sha256_file(first) == digitise.sha256_file(second)


def test_import_jpeg_and_png_lossless(desk, tmp_path):
    jpg = image_file(tmp_path / "a.jpg", "JPEG", (600, 800))
    png = image_file(tmp_path / "b.png", "PNG", (700, 900))
    rgba = image_file(tmp_path / "c.png", "PNG", (300, 400), mode="RGBA")
    dossier = maternity(desk)
    result = digitise_component(
        desk, dossier, "BHXH-C06-02", pages_from_files([jpg, png, rgba]), ocr=False
    )
    path = digitise.store_of(desk).path_for(result.sha256)
    reader = PdfReader(path)
    sizes = [p.images[0].image.size for p in reader.pages]
    assert sizes == [(600, 800), (700, 900), (300, 400)]
    # The JPEG is embedded as it was (no recompression): its bytes are in the file.
    assert jpg.read_bytes() in path.read_bytes()
    # 300 dpi images give their paper size: 600 px = 2 inches = 144 pt.
    assert round(float(reader.pages[0].mediabox.width)) == 144


def test_not_an_image_or_pdf_is_refused_by_name(desk, tmp_path):
    bad = tmp_path / "ghi-chu.txt"
    bad.write_text("không phải ảnh")
    with pytest.raises(ValidationFailed) as err:
        pages_from_files([bad])
    assert "ghi-chu.txt" in err.value.errors[0].message
    broken = tmp_path / "hong.pdf"
    broken.write_bytes(b"%PDF-1.4\n garbage")
    with pytest.raises(ValidationFailed):
        pages_from_files([broken])


def test_same_pages_twice_make_one_file_and_a_damaged_file_is_detected(desk, tmp_path):
    png = image_file(tmp_path / "b.png", "PNG")
    dossier = maternity(desk)
    r1 = digitise_component(desk, dossier, "BHXH-C06-02", pages_from_files([png]), ocr=False)
    r2 = digitise_component(desk, dossier, "BHXH-C06-02", pages_from_files([png]), ocr=False)
    assert r1.sha256 == r2.sha256
    store = digitise.store_of(desk)
    assert len(list(store.all())) == 1
    assert digitise.file_path(desk, r1.sha256).is_file()
    path = store.path_for(r1.sha256)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    assert not store.verify(r1.sha256)
    with pytest.raises(DomainError) as err:
        digitise.file_path(desk, r1.sha256)
    assert err.value.code == "digitise.damaged"


def test_limits_are_settings_with_clear_messages_and_nothing_written(desk, tmp_path):
    dossier = maternity(desk)
    big = image_file(tmp_path / "big.png", "PNG", (1200, 1200))
    noise = Image.effect_noise((1200, 1200), 100).convert("RGB")
    noise.save(big, "PNG")
    with desk.transaction() as s:
        set_setting(s, "digitise.max_page_mb", "0.5")
    with pytest.raises(ValidationFailed) as err:
        digitise_component(desk, dossier, "BHXH-C06-02", pages_from_files([big]), ocr=False)
    assert "Trang 1" in err.value.errors[0].message and "0,5 MB" in err.value.errors[0].message
    with desk.transaction() as s:
        set_setting(s, "digitise.max_page_mb", "20")
        set_setting(s, "digitise.max_dossier_mb", "5")
    digitise_component(desk, dossier, "BHXH-C06-02", pages_from_files([big]), ocr=False)
    with pytest.raises(ValidationFailed) as err:
        digitise_component(desk, dossier, "BHXH-C06-03", pages_from_files([big, big]), ocr=False)
    assert "mỗi hồ sơ" in err.value.errors[0].message
    with desk.read() as s:
        n = s.scalar(
            select(func.count()).select_from(Event).where(Event.type == "component_digitised")
        )
        assert n == 1
    assert len(list(digitise.store_of(desk).all())) == 1


def test_unknown_component_refused_and_missing_ocr_is_said(desk, tmp_path, monkeypatch):
    dossier = maternity(desk)
    png = image_file(tmp_path / "b.png", "PNG")
    with pytest.raises(ValidationFailed) as err:
        digitise_component(desk, dossier, "BHXH-X99-01", pages_from_files([png]), ocr=False)
    assert err.value.errors[0].field == "component"
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # no ocrmypdf, no tesseract
    result = digitise_component(desk, dossier, "BHXH-C06-02", pages_from_files([png]))
    assert not result.pdfa and "OCRmyPDF" in result.note
    with desk.read() as s:
        assert [f.component_code for f in digitise.dossier_files(s, dossier)] == ["BHXH-C06-02"]
        assert digitise.dossier_files(s, dossier)[0].state == "here"


def test_large_file_is_hashed_in_chunks(tmp_path):
    path = tmp_path / "big.bin"
    with path.open("wb") as f:
        for i in range(5):
            f.write(bytes([i]) * digitise.CHUNK)
    import hashlib

    assert digitise.sha256_file(path) == hashlib.sha256(path.read_bytes()).hexdigest()


def test_backups_include_the_files_and_a_restore_brings_them_back(desk, tmp_path):
    from app.services import backup

    png = image_file(tmp_path / "b.png", "PNG")
    dossier = maternity(desk)
    r = digitise_component(desk, dossier, "BHXH-C06-02", pages_from_files([png]), ocr=False)
    usb = tmp_path / "usb"
    report = backup.take_backup(desk.data_dir, "manual", usb)
    assert not report.failed
    for folder in (backup.backup_dir(desk.data_dir), usb):
        assert digitise.FileStore(folder / "files").verify(r.sha256)
    desk.close()
    lost = digitise.FileStore(desk.data_dir / "files").path_for(r.sha256)
    lost.unlink()  # the disk lost the file after the backup
    backup.restore(desk.data_dir, report.made[1].path)
    assert digitise.FileStore(desk.data_dir / "files").verify(r.sha256)


def test_share_digitised_at_reception_by_procedure_and_officer(desk, clock, tmp_path):
    from datetime import timedelta

    from app.services.digitised_report import digitised_share

    png = image_file(tmp_path / "b.png", "PNG")
    a, b, c = maternity(desk), maternity(desk), maternity(desk)
    digitise_component(desk, a, "BHXH-C06-02", pages_from_files([png]), ocr=False)
    digitise_component(desk, a, "BHXH-C06-03", pages_from_files([png]), ocr=False)
    clock.at += timedelta(days=1)  # c is scanned the next day: not "at reception"
    digitise_component(desk, c, "BHXH-C06-02", pages_from_files([png]), ocr=False)
    day = date(2026, 11, 17)
    with desk.read() as s:
        share = digitised_share(s, day, day + timedelta(days=1))
    assert (share.total.received, share.total.digitised, share.total.complete) == (3, 1, 1)
    (proc,) = share.by_procedure
    assert proc.key == "BHXH-C06" and "thai sản" in proc.label and proc.digitised == 1
    (officer,) = share.by_officer
    assert officer.label == "Nguyễn Văn An" and round(officer.share, 3) == 0.333
    assert b not in {a, c}  # received that day, never digitised


def test_windows_scanner_says_naps2_is_missing(tmp_path, monkeypatch):
    """NAPS2 (WIA/TWAIN on Windows) is not installed here: the officer is told what to
    install or to import files. (Scanning through NAPS2 itself was never run here.)"""
    from app.services.scanning import Naps2Scanner

    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(DomainError) as err:
        Naps2Scanner()
    assert err.value.code == "scan.windows" and "NAPS2" in err.value.message
    assert "nhập trang từ tệp" in err.value.message
