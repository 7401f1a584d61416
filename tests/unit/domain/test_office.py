"""The office profile: defaults from the kind of office, no district in a header."""

from __future__ import annotations

from datetime import time

from app.domain.office import (
    OfficeProfile,
    default_lines,
    default_place,
    district_word,
    validate_profile,
)

GOOD = OfficeProfile(
    kind="commune_centre",
    unit_name="Trung tâm Phục vụ hành chính công phường Ba Đình",
    governing_line="ỦY BAN NHÂN DÂN PHƯỜNG BA ĐÌNH",
    office_line="TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
    province_code="01",
    commune_code="00004",
    place_name="Ba Đình",
    address="Số 1 Đội Cấn, phường Ba Đình, Hà Nội",
    hotline="",
    contact_phone="024 3823 0000",
    return_hour=time(16, 0),
)


def test_default_lines_for_each_kind() -> None:
    names = dict(
        province_full_name="Thành phố Hà Nội",
        commune_full_name="Phường Ba Đình",
        unit_name="Bảo hiểm xã hội cơ sở Ba Đình",
    )
    assert default_lines("bhxh", **names) == (
        "BẢO HIỂM XÃ HỘI THÀNH PHỐ HÀ NỘI",
        "BẢO HIỂM XÃ HỘI CƠ SỞ BA ĐÌNH",
    )
    assert default_lines("commune_centre", **names) == (
        "ỦY BAN NHÂN DÂN PHƯỜNG BA ĐÌNH",
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
    )
    assert default_lines("province_centre", **{**names, "province_full_name": "Tỉnh Bắc Ninh"}) == (
        "ỦY BAN NHÂN DÂN TỈNH BẮC NINH",
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
    )
    gov, line = default_lines(
        "post_agent", **{**names, "unit_name": "Bưu điện văn hóa xã Đông Anh"}
    )
    assert (gov, line) == ("TỔNG CÔNG TY BƯU ĐIỆN VIỆT NAM", "BƯU ĐIỆN VĂN HÓA XÃ ĐÔNG ANH")


def test_default_place() -> None:
    assert default_place("Hà Nội", "Phường Ba Đình") == "Ba Đình"
    assert default_place("Lâm Đồng", "Xã Quảng Khê") == "Quảng Khê"
    assert default_place("Khánh Hòa", "Đặc khu Trường Sa") == "Trường Sa"
    assert default_place("Hà Nội", "") == "Hà Nội"


def test_district_words_are_found_whole_and_in_capitals() -> None:
    assert district_word("ỦY BAN NHÂN DÂN HUYỆN ĐÔNG ANH") == "huyện"
    assert district_word("Bảo hiểm xã hội quận Ba Đình") == "quận"
    assert district_word("UBND THỊ XÃ SƠN TÂY") == "thị xã"
    assert district_word("Quản lý thu") is None  # "quản" is not "quận"
    assert district_word("BẢO HIỂM XÃ HỘI CƠ SỞ BA ĐÌNH") is None


def test_validate_profile() -> None:
    assert validate_profile(GOOD) == []
    bad = OfficeProfile(
        kind="district",
        unit_name="",
        governing_line="ỦY BAN NHÂN DÂN HUYỆN ĐÔNG ANH",
        office_line="BỘ PHẬN MỘT CỬA",
        place_name="",
        address="",
        hotline="19OO 9068",
        contact_phone="",
        return_hour=time(19, 0),
    )
    fields = {e.field: e.code for e in validate_profile(bad)}
    assert fields == {
        "kind": "office.kind",
        "unit_name": "office.required",
        "governing_line": "office.district",
        "place_name": "office.required",
        "address": "office.required",
        "hotline": "office.phone",
        "return_hour": "office.return_hour",
    }
    message = next(e.message for e in validate_profile(bad) if e.field == "governing_line")
    assert "202/2025" in message
    no_phone = OfficeProfile(**{**GOOD.__dict__, "contact_phone": "", "hotline": ""})
    assert [e.field for e in validate_profile(no_phone)] == ["contact_phone"]
    assert not OfficeProfile(kind="post_agent").issues_receipts
    assert GOOD.issues_receipts
