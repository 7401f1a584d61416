"""The sample 2026 office the tests, the benches and the samples script set desks up as."""

from __future__ import annotations

#: A 2026 office profile (app.domain.office): a BHXH cơ sở in Hà Nội.
OFFICE_FIELDS: dict[str, str] = {
    "kind": "bhxh",
    "parent_name": "BẢO HIỂM XÃ HỘI THÀNH PHỐ HÀ NỘI",
    "header_line": "BẢO HIỂM XÃ HỘI CƠ SỞ BA ĐÌNH",
    "province_code": "01",
    "commune_code": "00004",
    "place_name": "Ba Đình",
    "address": "Số 8 Phạm Hùng, phường Ba Đình, Hà Nội",
    "hotline": "1900 9068",
    "phone": "024 3791 0000",
    "return_hour": "16:00",
}
