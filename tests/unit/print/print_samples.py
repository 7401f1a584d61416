"""Realistic Vietnamese documents for the print tests (many diacritics, aware datetimes)."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime

import pytest

from app.print.data import (
    CIRCULAR_01_2018,
    ApologyDoc,
    ComponentLine,
    ControlSheetDoc,
    DossierDoc,
    Handover,
    LogBookDoc,
    LogBookEntry,
    OfficeInfo,
    RefusalDoc,
    SupplementDoc,
)

CODE = "000.00.31.H56-261123-0042"

OFFICE = OfficeInfo(
    agency_code="000.00.31.H56",
    unit_name="Bảo hiểm xã hội cơ sở Quảng Khê",
    parent_name="Bảo hiểm xã hội tỉnh Lâm Đồng",
    address="Số 12 đường Nguyễn Tất Thành, xã Quảng Khê, tỉnh Lâm Đồng",
    phone="0263 3822 456",
    hotline="1900 9068",
    place_name="Quảng Khê",
    header_line="BẢO HIỂM XÃ HỘI CƠ SỞ QUẢNG KHÊ",
)


def make_dossier(**changes: object) -> DossierDoc:
    base = dict(
        code=CODE,
        procedure_name="Giải quyết hưởng trợ cấp thai sản đối với người lao động",
        procedure_code="1.000948.000.00.00.H56",
        applicant_name="Nguyễn Thị Phượng",
        applicant_address="Thôn Đắk Nông, xã Quảng Khê, tỉnh Lâm Đồng",
        applicant_phone="0912 345 678",
        applicant_email="phuong.nguyen@example.vn",
        components=(
            ComponentLine("Tờ khai đề nghị hưởng chế độ thai sản", "01B-HSB", "Bản chính", 1),
            ComponentLine("Giấy chứng sinh của con", None, "Bản sao", 1),
            ComponentLine("Giấy ra viện của người mẹ sau khi sinh con", None, "Bản chụp", 1),
            ComponentLine("Căn cước của người lao động", None, "Bản chụp", 1),
        ),
        sets_count=1,
        time_limit_text="06 ngày làm việc",
        received_at=datetime(2026, 11, 23, 2, 5, tzinfo=UTC),  # 09:05 in Vietnam
        due_at=datetime(2026, 12, 1, 9, 30, tzinfo=UTC),  # 16:30 in Vietnam
        return_method_text="Bộ phận Một cửa (trực tiếp)",
        fee_text="Không thu phí, lệ phí (thủ tục BHXH, BHYT)",
        log_book_volume="02",
        log_book_entry="1537",
        receiving_officer="Đặng Hữu Ước",
        synced=True,
        copy=False,
        legal_basis=CIRCULAR_01_2018,
        office=OFFICE,
    )
    base.update(changes)
    return DossierDoc(**base)  # type: ignore[arg-type]


def make_supplement(**changes: object) -> SupplementDoc:
    return SupplementDoc(
        dossier=make_dossier(**changes),
        missing=(
            "Giấy chứng sinh của con (bản sao có chứng thực)",
            "Tờ khai 01B-HSB: ghi rõ số sổ BHXH và chữ ký của người lao động",
            "Giấy xác nhận của đơn vị về thời gian nghỉ việc hưởng chế độ",
        ),
        reason="Hồ sơ chưa đủ thành phần theo quy định; tờ khai thiếu chữ ký.",
        guiding_officer="Đặng Hữu Ước",
        guide_phone="0263 3822 456",
    )


def make_refusal(**changes: object) -> RefusalDoc:
    return RefusalDoc(
        dossier=make_dossier(**changes),
        reason="Thủ tục không thuộc thẩm quyền giải quyết của cơ quan BHXH cơ sở; đề nghị "
        "Ông/Bà nộp hồ sơ tại Sở Lao động - Thương binh và Xã hội.",
    )


def make_apology(**changes: object) -> ApologyDoc:
    d = make_dossier(**changes)
    return ApologyDoc(
        dossier=d,
        original_due=d.due_at,
        new_due=datetime(2026, 12, 4, 8, 0, tzinfo=UTC),  # 15:00 in Vietnam
        reason="Cần xác minh thông tin thời gian đóng bảo hiểm xã hội với đơn vị cũ.",
        signer="Trần Thị Hướng",
        issued_at=datetime(2026, 11, 30, 3, 0, tzinfo=UTC),
    )


def make_control(**changes: object) -> ControlSheetDoc:
    d = make_dossier(**changes)
    return ControlSheetDoc(
        dossier=d,
        lead_agency="Phòng Chế độ bảo hiểm xã hội",
        coordinating="Phòng Quản lý thu - Sổ, thẻ",
        handovers=(
            Handover(
                "Bộ phận TN&TKQ",
                "Phòng Chế độ BHXH",
                datetime(2026, 11, 23, 8, 10, tzinfo=UTC),
                "early",
                "",
            ),
            Handover(
                "Phòng Chế độ BHXH",
                "Phòng Quản lý thu - Sổ, thẻ",
                datetime(2026, 11, 25, 2, 0, tzinfo=UTC),
                "on_time",
                "Xác minh quá trình",
            ),
            Handover(
                "Phòng Quản lý thu - Sổ, thẻ",
                "Bộ phận TN&TKQ",
                datetime(2026, 11, 30, 9, 45, tzinfo=UTC),
                None,
                "Đang xử lý",
            ),
        ),
    )


NAMES = (
    "Nguyễn Thị Phượng",
    "Đặng Hữu Ước",
    "Trương Quý Hưởng",
    "Lê Thị Ngọc Ánh",
    "Phạm Đức Thắng",
    "Vũ Thị Hường",
    "Hoàng Văn Ửng",
)


def make_logbook(n: int = 30) -> LogBookDoc:
    entries = []
    for i in range(n):
        day = 23 + (i // 12) % 5
        entries.append(
            LogBookEntry(
                entry_no=1537 + i,
                code=f"000.00.31.H56-2611{day:02d}-{42 + i:04d}",
                procedure_name="Giải quyết hưởng trợ cấp thai sản"
                if i % 2
                else "Cấp lại, đổi, điều chỉnh thông tin trên sổ BHXH, thẻ BHYT",
                sets_count=1 + i % 2,
                applicant_name=NAMES[i % len(NAMES)],
                address_phone=f"Xã Quảng Khê, tỉnh Lâm Đồng - 0912 345 {600 + i}",
                lead_agency="Phòng Chế độ BHXH",
                received=datetime(2026, 11, day, 2, 5 + i, tzinfo=UTC),
                due=datetime(2026, 12, 1, 9, 30, tzinfo=UTC),
                transferred=datetime(2026, 11, day, 8, 0, tzinfo=UTC) if i % 3 else None,
                result_received=None,
                returned=None,
                note="Bổ sung lần 1" if i % 7 == 3 else "",
            )
        )
    return LogBookDoc(
        office=OFFICE,
        year=2026,
        volume="02",
        entries=tuple(entries),
        date_from=date(2026, 11, 23),
        date_to=date(2026, 11, 27),
        legal_basis=CIRCULAR_01_2018,
    )


needs_poppler = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None,
    reason="poppler-utils (pdftoppm, pdftotext) is not installed",
)
needs_zbar = pytest.mark.skipif(
    shutil.which("zbarimg") is None, reason="zbar-tools (zbarimg) is not installed"
)
