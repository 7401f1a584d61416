"""The 80 mm thermal receipt and the A4 landscape log book."""

from __future__ import annotations

import pytest
from print_samples import CODE, make_dossier, make_logbook, needs_poppler, needs_zbar
from printcheck import decode, page_sizes_mm, text

from app.print import CIRCULAR_03_2025, render_logbook, render_receipt_80mm
from app.print.codes import DOT, QUIET_MODULES, Code128Flowable, QrFlowable


@pytest.fixture(scope="module")
def thermal() -> bytes:
    return render_receipt_80mm(make_dossier(synced=False, copy=True))


@pytest.fixture(scope="module")
def logbook() -> bytes:
    return render_logbook(make_logbook(30))


def test_thermal_is_one_80mm_page(thermal: bytes) -> None:
    sizes = page_sizes_mm(thermal)
    assert len(sizes) == 1
    width, height = sizes[0]
    assert abs(width - 80.0) < 0.2
    assert height > 150  # grows with the content


def test_thermal_page_grows_with_components() -> None:
    d = make_dossier()
    longer = render_receipt_80mm(make_dossier(components=d.components * 4))
    assert len(page_sizes_mm(longer)) == 1
    assert page_sizes_mm(longer)[0][1] > page_sizes_mm(render_receipt_80mm(d))[0][1]


@needs_poppler
@needs_zbar
def test_thermal_codes_decode_at_203_dpi(thermal: bytes) -> None:
    assert decode(thermal, dpi=203, mode="-gray", symbology="code128") == [CODE]
    assert decode(thermal, dpi=203, mode="-mono", symbology="code128") == [CODE]
    assert decode(thermal, dpi=203, mode="-gray", symbology="qrcode") == [CODE]


@needs_poppler
def test_thermal_text_and_marks(thermal: bytes) -> None:
    out = text(thermal)
    for expected in (
        "Nguyễn Thị Phượng",
        "Đặng Hữu Ước",
        CODE,
        "BẢN SAO",
        "Chưa đồng bộ",
        "NGƯỜI NỘP HỒ SƠ",
        "16 giờ 30 phút, ngày 01/12/2026",
        "Giấy chứng sinh của con",
    ):
        assert expected in out, expected


def test_barcode_geometry_suits_a_203_dpi_head() -> None:
    mm = 72 / 25.4
    bar = Code128Flowable(CODE, module_dots=2)
    assert bar.module >= 0.25 * mm - 1e-6
    assert abs(bar.module / DOT - 2) < 1e-9
    quiet = (bar.length - len(bar.pattern) * bar.module) / 2
    assert quiet >= QUIET_MODULES * bar.module - 1e-6
    with pytest.raises(ValueError):
        Code128Flowable(CODE, module_dots=1)
    assert QrFlowable(CODE).size > 0


def test_logbook_is_a4_landscape_on_several_pages(logbook: bytes) -> None:
    sizes = page_sizes_mm(logbook)
    assert len(sizes) >= 2
    for w, h in sizes:
        assert abs(w - 297) < 0.5 and abs(h - 210) < 0.5


@needs_poppler
def test_logbook_entries_and_repeated_header(logbook: bytes) -> None:
    out = text(logbook)
    assert "Mẫu số 06" in out
    assert "SỔ THEO DÕI HỒ SƠ" in out
    for no in (1537, 1550, 1566):
        assert str(no) in out
    assert "000.00.31.H56-261123-0042" in out
    assert "Hoàng Văn Ửng" in out and "Trương Quý Hưởng" in out
    last = len(page_sizes_mm(logbook))
    page2 = text(logbook, last, last)
    for head in ("STT", "Mã hồ sơ", "Tên TTHC", "Nhận hồ sơ", "Hẹn trả kết", "Ký nhận"):
        assert head in page2, head


@needs_poppler
def test_logbook_under_circular_03_2025_is_form_07() -> None:
    from dataclasses import replace

    pdf = render_logbook(replace(make_logbook(2), legal_basis=CIRCULAR_03_2025))
    assert "Mẫu số 07" in text(pdf)


@needs_poppler
def test_empty_logbook_renders() -> None:
    from dataclasses import replace

    pdf = render_logbook(replace(make_logbook(0), entries=()))
    assert "Không có hồ sơ" in text(pdf)


def test_fonts_ship_with_their_licence_under_resources() -> None:
    from app.print.fonts import _FILES, fonts_dir
    from app.resources import resources_dir

    assert fonts_dir() == resources_dir() / "fonts"
    for filename in _FILES.values():
        assert (fonts_dir() / filename).is_file()
    assert "Bitstream" in (fonts_dir() / "LICENSE-DejaVu.txt").read_text()
