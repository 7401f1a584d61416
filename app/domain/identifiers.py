"""Local checks of personal identifiers and contact data (domain.md §4).

Validators return ``list[FieldError]`` (empty = acceptable) with a translated message that names
the field and says why. They only check structure: none of these numbers has a check digit.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import date
from typing import Literal

from app.domain.errors import FieldError
from app.domain.messages import register, tr
from app.domain.text import digits_only, fold, nfc

Sex = Literal["M", "F"]
IdKind = Literal["cccd", "cmnd"]

# Birth-registration province codes of the 12-digit number (Circular 07/2016 App. 1): the 63
# legacy provinces. Numbers keep these codes after the 2025 merger, so they are all accepted.
CCCD_PROVINCE_CODES: dict[str, str] = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn",
    "008": "Tuyên Quang", "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu",
    "014": "Sơn La", "015": "Yên Bái", "017": "Hòa Bình", "019": "Thái Nguyên",
    "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang", "025": "Phú Thọ",
    "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định",
    "037": "Ninh Bình", "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh",
    "044": "Quảng Bình", "045": "Quảng Trị", "046": "Thừa Thiên Huế", "048": "Đà Nẵng",
    "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định", "054": "Phú Yên",
    "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng",
    "070": "Bình Phước", "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu", "079": "Hồ Chí Minh", "080": "Long An", "082": "Tiền Giang",
    "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long", "087": "Đồng Tháp",
    "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ", "093": "Hậu Giang",
    "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}  # fmt: skip

OLD_HI_CARD_RE = re.compile(r"^[A-Z]{2}[1-5]\d{2}\d{10}$")
_SEPARATORS_RE = re.compile(r"[\s.\-_/]+")
_MOBILE_RE = re.compile(r"^0[35789]\d{8}$")
_LANDLINE_RE = re.compile(r"^02\d{8,9}$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
FULL_NAME_MAX = 100

_F = "{field}"
register(
    {
        "field.id_number": {"vi": "Số định danh cá nhân", "en": "Personal ID number"},
        "field.social_insurance_no": {"vi": "Mã số BHXH", "en": "Social insurance number"},
        "field.hi_card_no": {"vi": "Số thẻ BHYT", "en": "Health insurance card number"},
        "field.phone": {"vi": "Số điện thoại", "en": "Phone number"},
        "field.email": {"vi": "Email", "en": "E-mail"},
        "field.full_name": {"vi": "Họ và tên", "en": "Full name"},
        "field.name": {"vi": "Họ và tên", "en": "Name"},
        "id.required": {
            "vi": f"{_F} là bắt buộc.",
            "en": f"{_F} is required.",
        },
        "id.letters": {
            "vi": f"{_F} chỉ gồm chữ số, không được có chữ cái (đã nhập «{{value}}»).",
            "en": f"{_F} must contain digits only, no letters (entered «{{value}}»).",
        },
        "id.cccd.length": {
            "vi": f"{_F} phải có đúng 12 chữ số, hoặc 9 chữ số nếu là CMND cũ (đã nhập {{n}}).",
            "en": f"{_F} must have exactly 12 digits, or 9 for an old ID card (CMND) "
            "(entered {n}).",
        },
        "id.cccd.province": {
            "vi": f"{_F}: 3 chữ số đầu «{{province_code}}» không phải mã tỉnh nơi "
            "đăng ký khai sinh.",
            "en": f"{_F}: the first 3 digits «{{province_code}}» are not a birth-registration "
            "province code.",
        },
        "id.cccd.year": {
            "vi": f"{_F}: năm sinh mã hóa trong số ({{encoded}}) không khớp với ngày sinh đã "
            "khai (năm {declared}).",
            "en": f"{_F}: the birth year encoded in the number ({{encoded}}) does not match "
            "the declared date of birth (year {declared}).",
        },
        "id.cccd.sex": {
            "vi": f"{_F}: giới tính mã hóa trong số ({{encoded}}) không khớp với giới tính "
            "đã khai ({declared}).",
            "en": f"{_F}: the sex encoded in the number ({{encoded}}) does not match the "
            "declared sex ({declared}).",
        },
        "id.cmnd_not_identity": {
            "vi": f"{_F}: số CMND 9 chữ số không còn là giấy tờ tùy thân từ 01/01/2025 (Luật "
            "Căn cước 2023 Điều 46). Nhập số định danh 12 chữ số; ghi số CMND vào ô "
            "«Số CMND cũ».",
            "en": f"{_F}: the 9-digit ID card (CMND) is no longer an identity paper since "
            "01/01/2025 (Identification Law 2023 Art. 46). Enter the 12-digit personal ID "
            "number; put the CMND number in «Old ID number».",
        },
        "id.old_id.length": {
            "vi": f"{_F} phải có 9 chữ số (CMND cũ) hoặc 12 chữ số (đã nhập {{n}}).",
            "en": f"{_F} must have 9 digits (old CMND) or 12 digits (entered {{n}}).",
        },
        "id.old_id.without_id": {
            "vi": "Số CMND cũ chỉ ghi kèm số định danh 12 chữ số, không thay cho số định danh.",
            "en": "The old ID number is recorded beside the 12-digit number, not instead of it.",
        },
        "field.old_id_number": {"vi": "Số CMND cũ", "en": "Old ID number"},
        "id.kind.cccd": {
            "vi": "Số định danh cá nhân / CCCD 12 chữ số",
            "en": "12-digit personal ID / citizen ID card number",
        },
        "id.kind.cmnd": {
            "vi": "Số CMND cũ 9 chữ số",
            "en": "Old 9-digit ID card (CMND) number",
        },
        "sex.M": {"vi": "Nam", "en": "male"},
        "sex.F": {"vi": "Nữ", "en": "female"},
        "id.bhxh.length": {
            "vi": f"{_F} phải có đúng 10 chữ số (đã nhập {{n}}).",
            "en": f"{_F} must have exactly 10 digits (entered {{n}}).",
        },
        "id.hi.shape": {
            "vi": f"{_F} phải là mã số BHXH 10 chữ số (thẻ mới) hoặc mã thẻ cũ 15 ký tự dạng "
            "2 chữ cái + mức hưởng 1–5 + 2 số tỉnh + 10 số, ví dụ GD4010120152431 "
            "(đã nhập «{value}»).",
            "en": f"{_F} must be the 10-digit social insurance number (new card) or the old "
            "15-character code: 2 letters + benefit level 1–5 + 2-digit province + 10 digits, "
            "e.g. GD4010120152431 (entered «{value}»).",
        },
        "id.hi.level": {
            "vi": f"{_F}: mức hưởng (ký tự thứ 3) phải từ 1 đến 5 (đã nhập «{{level}}»).",
            "en": f"{_F}: the benefit level (3rd character) must be 1 to 5 (entered «{{level}}»).",
        },
        "id.phone.shape": {
            "vi": f"{_F} không hợp lệ: di động 10 số bắt đầu bằng 03, 05, 07, 08, 09 hoặc cố "
            "định bắt đầu bằng 02 (đã nhập «{value}»).",
            "en": f"{_F} is invalid: a mobile number is 10 digits starting 03, 05, 07, 08 or "
            "09, a landline starts with 02 (entered «{value}»).",
        },
        "id.phone.chars": {
            "vi": f"{_F} chỉ gồm chữ số, có thể bắt đầu bằng +84 (đã nhập «{{value}}»).",
            "en": f"{_F} may contain only digits, optionally starting with +84 (entered "
            "«{value}»).",
        },
        "id.email.shape": {
            "vi": f"{_F} không đúng dạng ten@mien.vn (đã nhập «{{value}}»).",
            "en": f"{_F} is not of the form name@domain.vn (entered «{{value}}»).",
        },
        "id.name.length": {
            "vi": f"{_F} dài tối đa {{max}} ký tự (đã nhập {{n}}).",
            "en": f"{_F} may be at most {{max}} characters (entered {{n}}).",
        },
        "id.name.digits": {
            "vi": f"{_F} không được chứa chữ số.",
            "en": f"{_F} must not contain digits.",
        },
        "id.name.chars": {
            "vi": f"{_F} chỉ gồm chữ cái, khoảng trắng, dấu nháy (') và gạch nối (-); "
            "ký tự không hợp lệ: {chars}.",
            "en": f"{_F} may contain only letters, spaces, apostrophes (') and hyphens (-); "
            "invalid characters: {chars}.",
        },
        "qr.malformed": {
            "vi": "Mã QR không phải mã QR trên thẻ căn cước gắn chip: {reason}.",
            "en": "The QR code is not a chip ID card QR code: {reason}.",
        },
        "qr.reason.fields": {
            "vi": "cần 7 trường ngăn cách bởi «|», chỉ đọc được {n}",
            "en": "7 fields separated by «|» are needed, only {n} were read",
        },
        "qr.reason.id": {
            "vi": "số định danh phải có 12 chữ số («{value}»)",
            "en": "the ID number must have 12 digits («{value}»)",
        },
        "qr.reason.old_id": {
            "vi": "số CMND cũ phải có 9 hoặc 12 chữ số («{value}»)",
            "en": "the old ID number must have 9 or 12 digits («{value}»)",
        },
        "qr.reason.name": {"vi": "thiếu họ tên", "en": "the full name is missing"},
        "qr.reason.date": {
            "vi": "{what} «{value}» không phải ngày dạng ngàythángnăm (ddmmyyyy)",
            "en": "{what} «{value}» is not a date of the form ddmmyyyy",
        },
        "qr.reason.dob": {"vi": "ngày sinh", "en": "date of birth"},
        "qr.reason.issue": {"vi": "ngày cấp", "en": "issue date"},
        "qr.reason.sex": {
            "vi": "giới tính «{value}» phải là Nam hoặc Nữ",
            "en": "sex «{value}» must be Nam or Nữ",
        },
    }
)


def _label(field_name: str, lang: str | None) -> str:
    """Translated field name; a field we have no name for (e.g. "guardian_id_number") falls
    back to the generic name of what is being checked, guessed from its suffix."""
    for key in (field_name, *(k for k in _GENERIC_FIELDS if field_name.endswith(k))):
        text = tr(f"field.{key}", lang)
        if text != f"field.{key}":
            return text
    return field_name


_GENERIC_FIELDS = (
    "id_number", "social_insurance_no", "hi_card_no", "phone", "email", "full_name", "name",
)  # fmt: skip


def _err(field_name: str, code: str, lang: str | None, **kw: object) -> FieldError:
    return FieldError(field_name, code, tr(code, lang, field=_label(field_name, lang), **kw))


def _compact(value: str | None) -> str:
    """NFC, then drop spaces, dots, dashes, underscores and slashes people and scanners add."""
    return _SEPARATORS_RE.sub("", unicodedata.normalize("NFC", value or ""))


def _has_letters(s: str) -> bool:
    return any(ch.isalpha() for ch in s)


# -- personal ID number ------------------------------------------------------------------


@dataclass(frozen=True)
class IdNumberCheck:
    """Result of checking a personal ID number: what it is and what is wrong with it."""

    normalised: str
    kind: IdKind | None
    errors: list[FieldError] = dc_field(default_factory=list)

    def kind_label(self, lang: str | None = None) -> str:
        """E.g. "Số CMND cũ 9 chữ số": shown so the officer sees which kind was recognised."""
        return tr(f"id.kind.{self.kind}", lang) if self.kind else ""


def normalise_id_number(value: str | None) -> str:
    """Digits only (spaces, dots and dashes dropped)."""
    return digits_only(unicodedata.normalize("NFC", value or ""))


def cccd_century_digit(year: int, sex: Sex) -> int:
    """G digit of the 12-digit number for a birth year and sex (1900s: M 0 / F 1, ...)."""
    return (year // 100 - 19) * 2 + (1 if sex == "F" else 0)


def check_citizen_id(
    value: str | None,
    date_of_birth: date | None = None,
    sex: Sex | None = None,
    field: str = "id_number",
    lang: str | None = None,
    required: bool = False,
    allow_cmnd: bool = False,
) -> IdNumberCheck:
    """Full check; ``validate_citizen_id`` returns only its errors.

    A 9-digit CMND is recognised (kind "cmnd") but, unless `allow_cmnd`, reported as no
    longer an identity paper: since 01/01/2025 it is kept only as an old ID beside the
    12-digit number (Identification Law 2023 Art. 46; domain.md §0.1).
    """
    compact = _compact(value)
    digits = normalise_id_number(value)
    if not compact:
        errs = [_err(field, "id.required", lang)] if required else []
        return IdNumberCheck("", None, errs)
    if _has_letters(compact):
        return IdNumberCheck(digits, None, [_err(field, "id.letters", lang, value=nfc(value))])
    if len(digits) == 9:
        errs = [] if allow_cmnd else [_err(field, "id.cmnd_not_identity", lang)]
        return IdNumberCheck(digits, "cmnd", errs)
    if len(digits) != 12:
        return IdNumberCheck(digits, None, [_err(field, "id.cccd.length", lang, n=len(digits))])
    errors: list[FieldError] = []
    province = digits[:3]
    if province not in CCCD_PROVINCE_CODES:
        errors.append(_err(field, "id.cccd.province", lang, province_code=province))
    g = int(digits[3])
    yy = int(digits[4:6])
    encoded_year = 1900 + (g // 2) * 100 + yy
    encoded_sex: Sex = "F" if g % 2 else "M"
    if date_of_birth is not None and date_of_birth.year != encoded_year:
        errors.append(
            _err(field, "id.cccd.year", lang, encoded=encoded_year, declared=date_of_birth.year)
        )
    if sex is not None and sex != encoded_sex:
        errors.append(
            _err(
                field,
                "id.cccd.sex",
                lang,
                encoded=tr(f"sex.{encoded_sex}", lang),
                declared=tr(f"sex.{sex}", lang),
            )
        )
    return IdNumberCheck(digits, "cccd", errors)


def validate_citizen_id(
    value: str | None,
    date_of_birth: date | None = None,
    sex: Sex | None = None,
    field: str = "id_number",
    lang: str | None = None,
    required: bool = False,
) -> list[FieldError]:
    """12-digit CCCD ``PPP G YY RRRRRR`` (checked against birth data) or 9-digit CMND."""
    return check_citizen_id(value, date_of_birth, sex, field, lang, required).errors


def id_number_kind(value: str | None) -> IdKind | None:
    """Kind ("cccd" / "cmnd") by length of an acceptable number, None otherwise."""
    return check_citizen_id(value, allow_cmnd=True).kind


def validate_old_id(
    value: str | None, id_number: str | None, field: str = "old_id_number", lang: str | None = None
) -> list[FieldError]:
    """The old ID (a 9-digit CMND, or a 12-digit one) is kept only beside the 12-digit number."""
    digits = normalise_id_number(value)
    if not _compact(value):
        return []
    if _has_letters(_compact(value)):
        return [_err(field, "id.letters", lang, value=nfc(value))]
    if len(digits) not in (9, 12):
        return [_err(field, "id.old_id.length", lang, n=len(digits))]
    if len(normalise_id_number(id_number)) != 12:
        return [FieldError(field, "id.old_id.without_id", tr("id.old_id.without_id", lang))]
    return []


# -- social insurance and health insurance ------------------------------------------------


def validate_social_insurance_no(
    value: str | None,
    field: str = "social_insurance_no",
    lang: str | None = None,
    required: bool = False,
) -> list[FieldError]:
    """10 digits; there is no published check digit, so none is tested."""
    compact = _compact(value)
    if not compact:
        return [_err(field, "id.required", lang)] if required else []
    if _has_letters(compact):
        return [_err(field, "id.letters", lang, value=nfc(value))]
    digits = digits_only(compact)
    if len(digits) != 10:
        return [_err(field, "id.bhxh.length", lang, n=len(digits))]
    return []


@dataclass(frozen=True)
class HiCard:
    kind: Literal["new", "old"]
    group_code: str | None
    benefit_level: int | None
    province_code: str | None
    social_insurance_no: str


def normalise_hi_card_no(value: str | None) -> str:
    """Uppercase with spaces, dots and dashes removed."""
    return _compact(value).upper()


def validate_hi_card_no(
    value: str | None,
    field: str = "hi_card_no",
    lang: str | None = None,
    required: bool = False,
) -> list[FieldError]:
    """New card: the 10-digit BHXH number; old card: 15 characters ``GD4 01 0120152431``."""
    v = normalise_hi_card_no(value)
    if not v:
        return [_err(field, "id.required", lang)] if required else []
    if re.fullmatch(r"\d{10}", v) or OLD_HI_CARD_RE.match(v):
        return []
    if re.fullmatch(r"[A-Z]{2}\d{13}", v):
        return [_err(field, "id.hi.level", lang, level=v[2])]
    return [_err(field, "id.hi.shape", lang, value=nfc(value))]


def parse_hi_card(value: str | None, lang: str | None = None) -> HiCard:
    """Split a card number into its parts; ValueError (translated) when it is not valid."""
    errors = validate_hi_card_no(value, lang=lang, required=True)
    if errors:
        raise ValueError(errors[0].message)
    v = normalise_hi_card_no(value)
    if len(v) == 10:
        return HiCard("new", None, None, None, v)
    return HiCard("old", v[:2], int(v[2]), v[3:5], v[5:])


# -- phone, e-mail, name ---------------------------------------------------------------


def normalise_phone(value: str | None) -> str:
    """Domestic ``0…`` form: separators dropped, ``+84`` / ``0084`` / ``84`` prefix to ``0``."""
    v = re.sub(r"[\s.\-()]+", "", unicodedata.normalize("NFC", value or ""))
    if v.startswith("+84"):
        v = "0" + v[3:]
    elif v.startswith("0084"):
        v = "0" + v[4:]
    elif v.startswith("84") and len(v) in (11, 12) and v[2] != "0":
        v = "0" + v[2:]
    return v


def validate_phone(
    value: str | None,
    field: str = "phone",
    lang: str | None = None,
    required: bool = False,
) -> list[FieldError]:
    """Mobile ``0`` + 9 digits with prefix 03/05/07/08/09, or landline ``02…`` (10–11 digits)."""
    v = normalise_phone(value)
    if not v:
        return [_err(field, "id.required", lang)] if required else []
    digits = v.removeprefix("+")  # a foreign "+1…" number is a shape error, not bad chars
    if not digits.isdigit() or not digits.isascii():
        return [_err(field, "id.phone.chars", lang, value=nfc(value))]
    if _MOBILE_RE.match(v) or _LANDLINE_RE.match(v):
        return []
    return [_err(field, "id.phone.shape", lang, value=nfc(value))]


def validate_email(
    value: str | None,
    field: str = "email",
    lang: str | None = None,
    required: bool = False,
) -> list[FieldError]:
    """Permissive: something@domain.tld with no spaces; the mail server is the real check."""
    v = nfc(value)
    if not v:
        return [_err(field, "id.required", lang)] if required else []
    if not _EMAIL_RE.match(v):
        return [_err(field, "id.email.shape", lang, value=v)]
    return []


def validate_full_name(
    value: str | None,
    field: str = "full_name",
    lang: str | None = None,
    required: bool = True,
) -> list[FieldError]:
    """Letters (any script, incl. Vietnamese), spaces, apostrophe and hyphen; ≤ 100 chars."""
    v = nfc(value)
    if not v:
        return [_err(field, "id.required", lang)] if required else []
    errors: list[FieldError] = []
    if len(v) > FULL_NAME_MAX:
        errors.append(_err(field, "id.name.length", lang, max=FULL_NAME_MAX, n=len(v)))
    if any(ch.isdigit() for ch in v):
        errors.append(_err(field, "id.name.digits", lang))
    bad = sorted(
        {
            ch
            for ch in v
            if not (
                ch.isalpha()
                or ch.isdigit()
                or ch in " '’-"
                or unicodedata.category(ch).startswith("M")
            )
        }
    )
    if bad:
        errors.append(_err(field, "id.name.chars", lang, chars=" ".join(bad)))
    return errors


# -- QR on the chip ID card ----------------------------------------------------------------


@dataclass(frozen=True)
class ChipIdQr:
    id_number: str
    old_id_number: str
    full_name: str
    date_of_birth: date
    sex: Sex
    address: str
    issue_date: date


_AIM_PREFIX_RE = re.compile(r"^\][A-Za-z][0-9A-Za-z]")
_LABEL_RE = re.compile(r"^[^\W\d_][^\W\d_ .]*(?:[ .][^\W\d_]+){0,3}\s*:\s*")
_ADDRESS_LABELS = ("dia chi", "noi thuong tru", "thuong tru", "address", "noi cu tru")


def _strip_label(s: str) -> str:
    return _LABEL_RE.sub("", s, count=1)


def _strip_address_label(s: str) -> str:
    head, sep, tail = s.partition(":")
    if sep and fold(head) in _ADDRESS_LABELS:
        return tail.strip()
    return s


def _qr_error(lang: str | None, reason_key: str, **kw: object) -> ValueError:
    return ValueError(tr("qr.malformed", lang, reason=tr(reason_key, lang, **kw)))


def _qr_date(raw: str, what: str, lang: str | None) -> date:
    d = digits_only(raw)
    try:
        if len(d) != 8:
            raise ValueError
        return date(int(d[4:]), int(d[2:4]), int(d[:2]))
    except ValueError:
        raise _qr_error(
            lang, "qr.reason.date", what=tr(f"qr.reason.{what}", lang), value=raw
        ) from None


def parse_chip_id_qr(text: str | None, lang: str | None = None) -> ChipIdQr:
    """Parse ``ID|old ID|name|ddmmyyyy|Nam/Nữ|address|ddmmyyyy`` defensively.

    Tolerates an AIM scanner prefix, labels such as "CCCD:", extra trailing fields, CR/LF and
    surrounding whitespace; text is NFC-normalised. ValueError (translated) when malformed.
    """
    t = unicodedata.normalize("NFC", text or "").strip().replace("\r", "").replace("\n", "")
    t = _AIM_PREFIX_RE.sub("", t)
    parts = [p.strip() for p in t.split("|")]
    # Some readers emit a leading separator or label-only field before the ID.
    while len(parts) > 7 and len(digits_only(parts[0])) != 12:
        parts.pop(0)
    if len(parts) < 7:
        raise _qr_error(lang, "qr.reason.fields", n=len(parts) if t else 0)
    id_raw, old_raw, name_raw, dob_raw, sex_raw, addr_raw, issue_raw = parts[:7]
    id_number = digits_only(_strip_label(id_raw))
    if len(id_number) != 12 or _has_letters(_strip_label(id_raw)):
        raise _qr_error(lang, "qr.reason.id", value=id_raw)
    old_id = digits_only(_strip_label(old_raw))
    if old_id and len(old_id) not in (9, 12):
        raise _qr_error(lang, "qr.reason.old_id", value=old_raw)
    full_name = nfc(_strip_label(name_raw))
    if not full_name:
        raise _qr_error(lang, "qr.reason.name")
    dob = _qr_date(dob_raw, "dob", lang)
    sex_f = fold(_strip_label(sex_raw))
    sex: Sex
    if sex_f in ("nam", "m", "male"):
        sex = "M"
    elif sex_f.startswith("nu") or sex_f in ("f", "female"):
        sex = "F"  # "Nữ" may arrive as "Nu", "Nuwx", "Nu~" from a keyboard-wedge scanner
    else:
        raise _qr_error(lang, "qr.reason.sex", value=sex_raw)
    address = nfc(_strip_address_label(addr_raw))
    issue = _qr_date(issue_raw, "issue", lang)
    return ChipIdQr(id_number, old_id, full_name, dob, sex, address, issue)


_LOOSE_CODE_RE = re.compile(
    r"[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9A-Z]{2}-\d{6}-\d{4}", re.IGNORECASE
)


def looks_garbled(text: str | None) -> bool:
    """True when a scan looks rewritten by a Vietnamese input method (Telex/VNI/Unikey on).

    Signs: a chip-ID QR (starts with a 12-digit number and is long) without its '|'
    separators; a dossier code that carries lowercase letters or diacritics; or Telex/VNI
    residue (tone keys glued to digits or '|') in what otherwise looks like a QR. The UI then
    asks the officer to switch the Vietnamese keyboard off and scan again.
    """
    if not text:
        return False
    t = unicodedata.normalize("NFC", text).strip()
    if not t:
        return False
    # Chip-ID QR without separators (or with too few).
    head = _strip_label(t)
    if re.match(r"^\d{12}", head) and len(t) >= 30 and t.count("|") < 6:
        return True
    # Dossier code: when folded and uppercased it is a code, but the raw text is not.
    folded = fold(t).upper().replace(" ", "")
    m = _LOOSE_CODE_RE.search(folded)
    if m:
        raw_segment = t.replace(" ", "")
        has_diacritics = any(not ch.isascii() for ch in raw_segment)
        has_lower = any(ch.islower() for ch in raw_segment if ch.isalpha())
        if has_diacritics or has_lower:
            return True
    # Near-code: ASCII letters became Vietnamese vowels with tone marks (VNI: "a1" -> "á").
    near_code = re.search(r"\d{3}\.\d{2}\.\d{2}\.", t) is not None
    return near_code and any(not ch.isascii() for ch in t if not ch.isspace())
