"""Forms 01–05 rendered from Vietnamese data, read back with poppler and zbar."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from print_samples import (
    CODE,
    make_apology,
    make_control,
    make_dossier,
    make_refusal,
    make_supplement,
    needs_poppler,
    needs_zbar,
)
from printcheck import decode, page_sizes_mm, text

from app.domain.text import nfc
from app.print import (
    CIRCULAR_03_2025,
    render_apology,
    render_control_sheet,
    render_receipt,
    render_refusal,
    render_supplement,
)

A5 = (148.0, 210.0)


def _is_a5(pdf: bytes) -> bool:
    return all(abs(w - A5[0]) < 0.5 and abs(h - A5[1]) < 0.5 for w, h in page_sizes_mm(pdf))


@pytest.fixture(scope="module")
def receipt2() -> bytes:
    return render_receipt(make_dossier(), copies=2)


@pytest.fixture(scope="module")
def documents() -> dict[str, bytes]:
    return {
        "supplement": render_supplement(make_supplement()),
        "refusal": render_refusal(make_refusal(copy=True, synced=False)),
        "apology": render_apology(make_apology()),
        "control": render_control_sheet(make_control()),
    }


def test_receipt_two_copies_on_a5_pages(receipt2: bytes) -> None:
    assert len(page_sizes_mm(receipt2)) == 2
    assert _is_a5(receipt2)


@needs_poppler
def test_receipt_text_has_every_field_with_diacritics(receipt2: bytes) -> None:
    page1 = text(receipt2, 1, 1)
    page2 = text(receipt2, 2, 2)
    assert "Liên 1: lưu" in page1
    assert "Liên 2: giao người nộp" in page2
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BẢO HIỂM XÃ HỘI TỈNH LÂM ĐỒNG",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "Mẫu số 01",
        CODE,
        "Nguyễn Thị Phượng",
        "Đặng Hữu Ước",
        "Thôn Đắk Nông, xã Quảng Khê, tỉnh Lâm Đồng",
        "0912 345 678",
        "phuong.nguyen@example.vn",
        "Giấy ra viện của người mẹ sau khi sinh con",
        "Bản chụp",
        "2. Số lượng hồ sơ: 1 (bộ)",
        "06 ngày làm việc",
        "09 giờ 05 phút, ngày 23/11/2026",  # 02:05 UTC shown in Vietnam time
        "16 giờ 30 phút, ngày 01/12/2026",
        "Bộ phận Một cửa (trực tiếp)",
        "Quyển số: 02, Số thứ tự: 1537",
        "Phí, lệ phí: Không thu phí, lệ phí (thủ tục BHXH, BHYT)",
        "1900 9068",
        "mang theo giấy này và giấy tờ tùy thân khi nhận kết quả",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Quảng Khê, ngày 23 tháng 11 năm 2026",
    ):
        assert nfc(expected) in page1, expected
    assert "BẢN SAO" not in page1
    assert "Chưa đồng bộ" not in page1


@needs_poppler
@needs_zbar
def test_receipt_codes_decode_at_300_dpi(receipt2: bytes) -> None:
    assert decode(receipt2, dpi=300, symbology="code128", last=2) == [CODE, CODE]
    assert decode(receipt2, dpi=300, symbology="qrcode") == [CODE]


@needs_poppler
@needs_zbar
def test_receipt_code128_decodes_at_203_dpi_gray(receipt2: bytes) -> None:
    assert decode(receipt2, dpi=203, symbology="code128") == [CODE]


@needs_poppler
def test_english_labels() -> None:
    pdf = render_receipt(make_dossier(), lang="en")
    out = text(pdf)
    assert "DOSSIER RECEIPT AND APPOINTMENT SLIP" in out
    assert "Dossier code" in out
    assert "Nguyễn Thị Phượng" in out
    assert "Please bring this slip" in out


@needs_poppler
def test_copy_and_unsynced_marks(documents: dict[str, bytes]) -> None:
    out = text(documents["refusal"])
    assert "BẢN SAO" in out
    assert "Chưa đồng bộ" in out
    # Citizens' papers are Vietnamese only: no English beside the marks.
    assert "not yet synced" not in out and "COPY" not in out
    clean = text(documents["apology"])
    assert "BẢN SAO" not in clean and "Chưa đồng bộ" not in clean


def test_forms_are_a5(documents: dict[str, bytes]) -> None:
    for name, pdf in documents.items():
        assert _is_a5(pdf), name
        assert len(page_sizes_mm(pdf)) == 1, name


@needs_poppler
@needs_zbar
@pytest.mark.parametrize("name", ["supplement", "refusal", "apology", "control"])
def test_forms_codes_decode(documents: dict[str, bytes], name: str) -> None:
    pdf = documents[name]
    assert decode(pdf, dpi=300, symbology="code128") == [CODE]
    assert decode(pdf, dpi=300, symbology="qrcode") == [CODE]


@needs_poppler
def test_supplement_lists_every_missing_item_and_the_guide(documents: dict[str, bytes]) -> None:
    out = text(documents["supplement"])
    doc = make_supplement()
    assert "Mẫu số 02" in out
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in out
    for item in doc.missing:
        assert nfc(item) in out
    assert "tờ khai thiếu chữ ký" in out
    assert "Đặng Hữu Ước, số điện thoại 0263 3822 456" in out
    assert "NGƯỜI HƯỚNG DẪN" in out


@needs_poppler
def test_refusal_states_the_reason(documents: dict[str, bytes]) -> None:
    out = text(documents["refusal"])
    assert "Mẫu số 03" in out
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in out
    assert "Sở Lao động - Thương binh và Xã hội" in out


@needs_poppler
def test_apology_shows_original_and_new_dates(documents: dict[str, bytes]) -> None:
    out = text(documents["apology"])
    assert "Mẫu số 04" in out
    assert "16 giờ 30 phút, ngày 01/12/2026" in out  # original due
    assert "15 giờ 00 phút, ngày 04/12/2026" in out  # new due
    assert "Trần Thị Hướng" in out
    assert "Quảng Khê, ngày 30 tháng 11 năm 2026" in out


@needs_poppler
def test_control_sheet_rows(documents: dict[str, bytes]) -> None:
    out = text(documents["control"])
    assert "Mẫu số 05" in out
    for expected in (
        "Phòng Chế độ bảo hiểm xã hội",
        "Phòng Quản lý thu - Sổ, thẻ",
        "Trước hạn",
        "Đúng hạn",
        "Xác minh quá trình",
        "KẾT QUẢ",
    ):
        assert expected in out, expected


@needs_poppler
def test_form_numbers_follow_the_legal_basis() -> None:
    pdf = render_control_sheet(make_control(legal_basis=CIRCULAR_03_2025))
    out = text(pdf)
    assert "Mẫu số 06" in out
    assert "Thông tư 03/2025/TT-VPCP" in out
    apology = text(render_apology(make_apology(legal_basis=CIRCULAR_03_2025)))
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in apology


@needs_poppler
def test_decomposed_input_prints_precomposed() -> None:
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Trương Quý Hưởng")
    pdf = render_receipt(make_dossier(applicant_name=nfd))
    assert "Trương Quý Hưởng" in text(pdf)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        render_receipt(make_dossier(received_at=datetime(2026, 11, 23, 9, 5)))


def test_copies_must_be_one_or_two() -> None:
    with pytest.raises(ValueError):
        render_receipt(make_dossier(), copies=3)


def test_long_component_list_flows_to_a_second_page() -> None:
    d = make_dossier()
    many = d.components * 8
    pdf = render_receipt(replace(d, components=many))
    assert len(page_sizes_mm(pdf)) >= 2
    assert _is_a5(pdf)


def test_print_layer_imports_no_qt() -> None:
    code = "import sys, app.print; assert not [m for m in sys.modules if m.startswith('PySide6')]"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_blank_office_fields_leave_their_words_out() -> None:
    """A desk set up through the first-run screens printed ", ngày …" and
    "Đường dây nóng:  - Điện thoại:" (issue 9): a missing value now drops its words."""
    from dataclasses import replace

    from app.print import render_receipt, render_supplement
    from tests.unit.print.print_samples import OFFICE, make_dossier, make_supplement
    from tests.unit.print.printcheck import text

    bare = replace(OFFICE, place_name="", hotline="", phone="")
    receipt = text(render_receipt(make_dossier(office=bare, fee_text=None)))
    import re

    assert not re.search(r"(^|\s), ngày", receipt) and "Ngày 23 tháng 11 năm 2026" in receipt
    assert "Đường dây nóng" not in receipt and "Điện thoại" not in receipt
    assert "Phí, lệ phí" not in receipt  # the catalogue said nothing: no line, no "Không thu"
    only_phone = text(render_receipt(make_dossier(office=replace(OFFICE, hotline=""))))
    assert "Điện thoại: 0263 3822 456" in only_phone and "Đường dây nóng" not in only_phone
    supplement = make_supplement(office=bare)
    supplement = replace(supplement, guide_phone="")
    out = text(render_supplement(supplement))
    assert "số điện thoại" not in out and "liên hệ với Đặng Hữu Ước để được hướng dẫn" in out


def test_form_set_follows_the_day_of_receipt() -> None:
    from datetime import date

    from app.print import CIRCULAR_01_2018, CIRCULAR_03_2025, form_set_for

    assert form_set_for(date(2025, 9, 14)) is CIRCULAR_01_2018
    assert form_set_for(date(2025, 9, 15)) is CIRCULAR_03_2025
    assert form_set_for(date(2026, 11, 17)) is CIRCULAR_03_2025
    # Form 05 (stopping) exists only in Circular 03/2025: an older dossier uses it too.
    assert form_set_for(date(2024, 5, 2), "stop") is CIRCULAR_03_2025
    assert CIRCULAR_01_2018.form("control").number == "05"
    assert CIRCULAR_03_2025.form("stop").number == "05"
    assert CIRCULAR_03_2025.form("logbook").number == "07"
    # What could not be confirmed says so in the data.
    assert all(f.note for f in CIRCULAR_03_2025.forms.values())
    assert all(f.note is None for f in CIRCULAR_01_2018.forms.values())
    assert CIRCULAR_03_2025.confidence == "S" and CIRCULAR_01_2018.confidence == "V"


def test_stop_notice_renders_and_scans_back() -> None:
    from app.print import CIRCULAR_03_2025, StopNoticeDoc, render_stop_notice

    doc = StopNoticeDoc(
        make_dossier(legal_basis=CIRCULAR_03_2025),
        "Người nộp có đơn xin rút hồ sơ ngày 25/11/2026 để bổ sung giấy tờ khác.",
        datetime(2026, 11, 25, 3, 0, tzinfo=UTC),
        "Bảo hiểm xã hội tỉnh Lâm Đồng",
    )
    pdf = render_stop_notice(doc)
    out = text(pdf)
    for expected in (
        "Mẫu số 05",
        "Thông tư 03/2025/TT-VPCP",
        "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
        "Lý do: Người nộp có đơn xin rút hồ sơ",
        "Quảng Khê, ngày 25 tháng 11 năm 2026",
        CODE,
    ):
        assert nfc(expected) in out, expected
    for dpi in (300, 203):
        assert decode(pdf, dpi=dpi, symbology="code128") == [CODE], dpi


def test_a_form_code_already_in_the_name_is_not_repeated() -> None:
    """The receipt printed "… (mẫu 01B-HSB) (mẫu 01B-HSB)" for catalogue names that carry it."""
    from app.print import ComponentLine, render_receipt, render_receipt_80mm

    line = ComponentLine(
        "Danh sách đề nghị hưởng chế độ ốm đau (mẫu 01B-HSB)", "01B-HSB", "Bản chính", 1
    )
    doc = make_dossier(components=(line,))
    assert text(render_receipt(doc)).count("01B-HSB") == 1
    assert text(render_receipt_80mm(doc)).count("01B-HSB") == 1
