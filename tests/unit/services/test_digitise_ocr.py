"""PDF/A through OCRmyPDF (issue 16): the real ocrmypdf and Tesseract with its Vietnamese
data run; the file declares PDF/A in its XMP, its text layer has the Vietnamese words, its
pages keep their pixels, and it is recorded like a plain PDF. Without the tool or the
Vietnamese data the plain PDF is kept and the officer is told which is missing. The plain
PDF is stored first (the receipt waits for it only); the PDF/A copy follows it
(`upgrade_to_pdfa`) as a second event that replaces it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont
from pypdf import PdfReader

from app.models import Event, StoredFile
from app.models.events import Outbox
from app.resources import resources_dir
from app.services import digitise
from app.services.context import set_setting
from app.services.digitise import digitise_component, pages_from_files
from app.services.scanning import SaneScanner, ScanOptions
from tests.support.maternity import maternity
from tests.support.sane import sane_test_env

LINES = (
    "GIẤY CHỨNG SINH",
    "Họ và tên mẹ: Lê Thị Mai",
    "Nơi sinh: Bệnh viện Phụ sản",
    "Ngày sinh của con: 12 tháng 3 năm 2026",
)


def paper(path: Path, lines=LINES, *, fmt="PNG", turn=0) -> Path:
    """A page of Vietnamese text as a 150 dpi scan would give it; `turn` degrees
    counter-clockwise, as a paper put sideways on the glass."""
    font = ImageFont.truetype(str(resources_dir() / "fonts" / "DejaVuSans.ttf"), 44)
    im = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(im)
    for i, text in enumerate(lines):
        draw.text((100, 150 + i * 90), text, font=font, fill=0)
    if turn:
        im = im.rotate(turn, expand=True, fillcolor=255)
    if fmt == "JPEG":
        im = im.convert("RGB")
    im.save(path, fmt, dpi=(150, 150), **({"quality": 90} if fmt == "JPEG" else {}))
    return path


PDFTOTEXT = shutil.which("pdftotext") or "pdftotext"  # before a test narrows PATH


def pdftotext(path: Path) -> str:
    return subprocess.run(
        [PDFTOTEXT, "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def xmp_pdfa(path: Path) -> tuple[str | None, str | None]:
    with pikepdf.open(path) as pdf, pdf.open_metadata() as meta:
        return meta.get("pdfaid:part"), meta.get("pdfaid:conformance")


@pytest.fixture
def ocr_installed() -> None:
    program, missing = digitise.ocr_program()
    if program is None:
        pytest.fail(
            f"OCRmyPDF with Tesseract's vie data is needed ({missing}); .ci/run installs it"
        )


@pytest.mark.slow
def test_vietnamese_pages_become_pdfa_with_their_words_pixels_and_event(
    desk, tmp_path, ocr_installed
):
    png = paper(tmp_path / "chung-sinh.png")
    jpg = paper(tmp_path / "trang-2.jpg", ("Trang hai: Số định danh cá nhân",), fmt="JPEG")
    # Put on the glass sideways; the officer turned it upright before saving.
    sideways = paper(tmp_path / "nghieng.png", ("Đơn đề nghị hưởng chế độ thai sản",), turn=90)
    pages = pages_from_files([png, jpg, sideways])
    pages[2] = pages[2].rotated(90)  # clockwise, undoing the 90° counter-clockwise
    dossier = maternity(desk)
    plain = digitise_component(desk, dossier, "BHXH-C06-03", pages)
    assert not plain.pdfa and plain.ocr_pending and plain.note == "" and plain.pages == 3
    up = digitise.upgrade_to_pdfa(desk, dossier, "BHXH-C06-03", plain.sha256)
    assert up.outcome == "done" and up.sha256 != plain.sha256

    path = digitise.store_of(desk).path_for(up.sha256)
    assert digitise.sha256_file(path) == up.sha256
    assert xmp_pdfa(path) == ("2", "B")
    assert digitise.pdfa_id(path) == ("2", "B")
    text = pdftotext(path)
    for words in ("GIẤY CHỨNG SINH", "Lê Thị Mai", "Bệnh viện Phụ sản", "định danh", "thai sản"):
        assert words in text, (words, text)
    # The pages are still the scans: PNG pixels unchanged, JPEG bytes as they were.
    with pikepdf.open(path) as pdf:
        (first,) = pdf.pages[0].get_images().values()
        stored = pikepdf.PdfImage(first).as_pil_image()
    with Image.open(png) as original:
        assert ImageChops.difference(stored.convert("L"), original).getbbox() is None
    assert jpg.read_bytes() in path.read_bytes()
    # The sideways page shows upright (portrait) whichever way the PDF/A encodes it.
    third = PdfReader(path).pages[2]
    w, h = float(third.mediabox.width), float(third.mediabox.height)
    assert (h > w) == (third.rotation % 180 == 0)

    with desk.read() as s:
        ev = s.get(Event, up.event_id)
        assert ev.type == "component_digitised" and ev.dossier_id == dossier
        assert ev.payload["pdfa"] is True and ev.payload["sha256"] == up.sha256
        assert ev.payload["replaces"] == plain.sha256
        assert ev.payload["size"] == path.stat().st_size and ev.payload["pages"] == 3
        assert s.get(Outbox, ev.id) is not None
        row = s.get(StoredFile, up.sha256)
        assert row.present and row.size == path.stat().st_size
        (listed,) = digitise.dossier_files(s, dossier)
        assert listed.pdfa and listed.sha256 == up.sha256

    # The same pages again: OCRmyPDF would stamp a new time and id; the file is reused.
    again = digitise_component(desk, dossier, "BHXH-C06-03", pages)
    assert again.sha256 == plain.sha256 and not again.pdfa
    up2 = digitise.upgrade_to_pdfa(desk, dossier, "BHXH-C06-03", again.sha256)
    assert up2.outcome == "done" and up2.sha256 == up.sha256
    assert len(list(digitise.store_of(desk).all())) == 2  # the plain PDF and its PDF/A


@pytest.mark.slow
def test_a_sane_scan_becomes_pdfa(desk, tmp_path, ocr_installed):
    scanner = SaneScanner(env=sane_test_env(tmp_path / "sane"))
    files = scanner.scan("test:0", tmp_path / "scan", ScanOptions(dpi=75, pages=1))
    dossier = maternity(desk)
    result = digitise_component(
        desk, dossier, "BHXH-C06-02", pages_from_files(files, source="scanner")
    )
    up = digitise.upgrade_to_pdfa(desk, dossier, "BHXH-C06-02", result.sha256)
    path = digitise.store_of(desk).path_for(up.sha256)
    assert up.outcome == "done" and xmp_pdfa(path) == ("2", "B")
    with desk.read() as s:
        assert s.get(Event, up.event_id).payload["source"] == "scanner"
    with Image.open(files[0]) as scanned, pikepdf.open(path) as pdf:
        (img,) = pdf.pages[0].get_images().values()
        assert pikepdf.PdfImage(img).as_pil_image().size == scanned.size


def test_without_ocrmypdf_the_plain_pdf_is_kept_and_said(desk, tmp_path, monkeypatch):
    tesseract = shutil.which("tesseract")
    only = tmp_path / "bin"
    only.mkdir()
    if tesseract:  # Tesseract there, OCRmyPDF not: the message is about OCRmyPDF
        os.symlink(tesseract, only / "tesseract")
    monkeypatch.setenv("PATH", str(only))
    png = paper(tmp_path / "a.png")
    dossier = maternity(desk)
    result = digitise_component(desk, dossier, "BHXH-C06-02", pages_from_files([png]))
    assert not result.pdfa and not result.ocr_pending
    assert digitise.pending_upgrades(desk) == []  # nothing to pick up without the tool
    assert digitise.upgrade_to_pdfa(desk, dossier, "BHXH-C06-02", result.sha256).outcome == (
        "unavailable"
    )
    assert result.note.startswith("Chưa cài OCRmyPDF") and "PDF thường" in result.note
    path = digitise.store_of(desk).path_for(result.sha256)
    assert xmp_pdfa(path) == (None, None) and digitise.pdfa_id(path) is None
    assert pdftotext(path).strip() == ""  # no text layer: the plain pages only
    with desk.read() as s:
        assert s.get(Event, result.event_id).payload["pdfa"] is False


def test_without_vietnamese_data_the_plain_pdf_is_kept_and_said(desk, tmp_path, monkeypatch):
    data = tmp_path / "tessdata"
    data.mkdir()
    found = Path("/usr/share/tesseract-ocr/5/tessdata")
    for lang in ("eng", "osd"):  # everything but vie
        if (found / f"{lang}.traineddata").exists():
            os.symlink(found / f"{lang}.traineddata", data / f"{lang}.traineddata")
    monkeypatch.setenv("TESSDATA_PREFIX", str(data))
    program, missing = digitise.ocr_program()
    if shutil.which("ocrmypdf") and shutil.which("tesseract"):
        assert (program, missing) == (None, "digitise.no_vie")
    png = paper(tmp_path / "a.png")
    dossier = maternity(desk)
    result = digitise_component(desk, dossier, "BHXH-C06-02", pages_from_files([png]))
    assert not result.pdfa and "PDF thường" in result.note
    if shutil.which("ocrmypdf") and shutil.which("tesseract"):
        assert "tiếng Việt" in result.note and "tesseract-ocr-vie" in result.note
    assert digitise.pdfa_id(digitise.store_of(desk).path_for(result.sha256)) is None


def test_the_setting_turns_ocr_off_without_a_note(desk, tmp_path):
    with desk.transaction() as s:
        set_setting(s, "digitise.ocr", "0")
    png = paper(tmp_path / "a.png")
    dossier = maternity(desk)
    result = digitise_component(desk, dossier, "BHXH-C06-02", pages_from_files([png]))
    assert not result.pdfa and result.note == "" and not result.ocr_pending
    assert digitise.pending_upgrades(desk) == []
    assert digitise.pdfa_id(digitise.store_of(desk).path_for(result.sha256)) is None
