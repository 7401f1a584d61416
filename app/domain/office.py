"""The office profile: what kind of counter this is and how its papers are headed.

Why here: every paper for a citizen carries the header, the place of the date line, the
hotline and the return hour; an officer who sees a district-level header (no district exists
since 01/07/2025, Resolution 202/2025) or ", ngày …" with no place stops trusting the rest.
The defaults are built from the kind of office and its names (domain.md §0.1 [ORG]):
- BHXH cơ sở: "BẢO HIỂM XÃ HỘI TỈNH/THÀNH PHỐ …" over "BẢO HIỂM XÃ HỘI CƠ SỞ …";
- provincial Public Administration Service Centre: "ỦY BAN NHÂN DÂN TỈNH …" over
  "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG" [M: by analogy with the commune centre];
- commune centre: "ỦY BAN NHÂN DÂN XÃ/PHƯỜNG …" over "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG"
  (Decree 118/2025 Art. 7(3) [S]);
- post-office agent desk: "TỔNG CÔNG TY BƯU ĐIỆN VIỆT NAM" over its own name [M]. It never
  issues form 01: the agency does, once it signs the hand-over record (Decision 45/2016
  Art. 7 [PD]).
Every line stays editable; the defaults only save typing. Pure: no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import time

from app.domain.errors import FieldError
from app.domain.messages import register, tr

OFFICE_KINDS = ("bhxh", "province_centre", "commune_centre", "post_agent")

#: Earliest and latest return hour an office may set (a working day's office hours).
EARLIEST_RETURN = time(7, 0)
LATEST_RETURN = time(17, 30)

#: Words naming the district level abolished on 01/07/2025 (Resolution 202/2025/QH15).
_DISTRICT = re.compile(r"(?<!\w)(huyện|quận|thị xã)(?!\w)")
_PHONE = re.compile(r"^\+?[0-9][0-9 .\-]{2,18}[0-9]$")

register(
    {
        "office.kind": {
            "vi": "Chọn loại đơn vị tiếp nhận.",
            "en": "Choose the kind of office.",
        },
        "office.required": {"vi": "Không được để trống.", "en": "Required."},
        "office.district": {
            "vi": "Không dùng “{word}”: cấp huyện không còn từ 01/07/2025 "
            "(Nghị quyết 202/2025/QH15); hãy ghi tên tỉnh hoặc xã/phường.",
            "en": "Do not use “{word}”: districts were abolished on 01/07/2025 "
            "(Resolution 202/2025/QH15); name the province or the commune.",
        },
        "office.phone": {
            "vi": "Số điện thoại chỉ gồm chữ số (có thể có dấu cách, dấu chấm, +).",
            "en": "A phone number has digits only (spaces, dots and + allowed).",
        },
        "office.return_hour": {
            "vi": "Giờ trả kết quả phải trong giờ làm việc, từ {start} đến {end}.",
            "en": "The return hour must be within office hours, {start} to {end}.",
        },
        "office.kind.bhxh": {"vi": "Bảo hiểm xã hội cơ sở", "en": "Local social insurance office"},
        "office.kind.province_centre": {
            "vi": "Trung tâm Phục vụ hành chính công tỉnh",
            "en": "Provincial Public Administration Service Centre",
        },
        "office.kind.commune_centre": {
            "vi": "Trung tâm Phục vụ hành chính công xã, phường",
            "en": "Commune Public Administration Service Centre",
        },
        "office.kind.post_agent": {
            "vi": "Điểm bưu điện nhận hồ sơ thay",
            "en": "Post-office agent desk",
        },
    }
)

CENTRE_LINE = "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG"
POST_PARENT = "TỔNG CÔNG TY BƯU ĐIỆN VIỆT NAM"


@dataclass(frozen=True)
class OfficeProfile:
    """What an office prints about itself; empty strings are "not given".

    governing_line and office_line: the two lines of the header (printed in capitals).
    unit_name: how texts name the unit ("Bộ phận … tiếp nhận hồ sơ của …").
    place_name: the place of the date line ("Ba Đình, ngày … tháng … năm …").
    contact_phone: the officers' phone for guidance; hotline: the office's hotline.
    return_hour: the usual time results are returned (the receipt's due time).
    """

    kind: str = ""
    unit_name: str = ""
    governing_line: str = ""
    office_line: str = ""
    province_code: str = ""
    commune_code: str = ""
    place_name: str = ""
    address: str = ""
    hotline: str = ""
    contact_phone: str = ""
    return_hour: time | None = None

    def normalised(self) -> OfficeProfile:
        def n(s: str) -> str:
            return " ".join(unicodedata.normalize("NFC", s).split())

        return replace(
            self,
            unit_name=n(self.unit_name),
            governing_line=n(self.governing_line).upper(),
            office_line=n(self.office_line).upper(),
            place_name=n(self.place_name),
            address=n(self.address),
            hotline=n(self.hotline),
            contact_phone=n(self.contact_phone),
        )

    @property
    def issues_receipts(self) -> bool:
        """A post-office agent desk hands the dossier over; the agency issues form 01."""
        return self.kind != "post_agent"


def kind_label(kind: str, lang: str | None = None) -> str:
    return tr(f"office.kind.{kind}", lang)


def default_lines(
    kind: str, *, province_full_name: str, commune_full_name: str, unit_name: str
) -> tuple[str, str]:
    """The suggested governing-body and office lines for a kind of office and its names.

    province_full_name is as the 2025 list writes it ("Thành phố Hà Nội", "Tỉnh Bắc Ninh");
    commune_full_name likewise ("Phường Ba Đình", "Xã Đông Anh").
    """
    province = province_full_name.strip().upper()
    commune = commune_full_name.strip().upper()
    unit = unit_name.strip().upper()
    if kind == "bhxh":
        return (f"BẢO HIỂM XÃ HỘI {province}".strip(), unit or "BẢO HIỂM XÃ HỘI CƠ SỞ")
    if kind == "province_centre":
        return (f"ỦY BAN NHÂN DÂN {province}".strip(), CENTRE_LINE)
    if kind == "commune_centre":
        return (f"ỦY BAN NHÂN DÂN {commune}".strip(), CENTRE_LINE)
    if kind == "post_agent":
        return (POST_PARENT, unit)
    return ("", unit)


def default_place(province_name: str, commune_full_name: str) -> str:
    """The place of the date line: the commune without its kind word, else the province."""
    words = commune_full_name.strip().split(" ", 1)
    if len(words) == 2 and words[0].lower() in ("xã", "phường", "đặc"):
        name = words[1]
        return name.split(" ", 1)[1] if words[0].lower() == "đặc" and " " in name else name
    return province_name.strip()


def district_word(text: str) -> str | None:
    """The abolished district-level word in `text`, if any ("huyện", "quận", "thị xã")."""
    m = _DISTRICT.search(unicodedata.normalize("NFC", text).lower())
    return m.group(1) if m else None


def validate_profile(p: OfficeProfile, lang: str | None = None) -> list[FieldError]:
    """Every field with what is wrong with it; the header lines never name a district."""
    errors: list[FieldError] = []
    if p.kind not in OFFICE_KINDS:
        errors.append(FieldError("kind", "office.kind", tr("office.kind", lang)))
    for field in ("unit_name", "governing_line", "office_line", "place_name", "address"):
        value = getattr(p, field)
        if not value.strip():
            errors.append(FieldError(field, "office.required", tr("office.required", lang)))
            continue
        word = district_word(value)
        if word and field != "address":
            errors.append(
                FieldError(field, "office.district", tr("office.district", lang, word=word))
            )
    if not p.hotline.strip() and not p.contact_phone.strip():
        errors.append(FieldError("contact_phone", "office.required", tr("office.required", lang)))
    for field in ("hotline", "contact_phone"):
        value = getattr(p, field).strip()
        if value and not _PHONE.match(value):
            errors.append(FieldError(field, "office.phone", tr("office.phone", lang)))
    if p.return_hour is None or not EARLIEST_RETURN <= p.return_hour <= LATEST_RETURN:
        errors.append(
            FieldError(
                "return_hour",
                "office.return_hour",
                tr(
                    "office.return_hour",
                    lang,
                    start=EARLIEST_RETURN.strftime("%H:%M"),
                    end=LATEST_RETURN.strftime("%H:%M"),
                ),
            )
        )
    return errors
