"""Local checks of ID numbers, BHXH/HI numbers, phone, e-mail, name and the chip-ID QR."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.identifiers import (
    CCCD_PROVINCE_CODES,
    HiCard,
    cccd_century_digit,
    check_citizen_id,
    looks_garbled,
    normalise_hi_card_no,
    normalise_id_number,
    normalise_phone,
    parse_chip_id_qr,
    parse_hi_card,
    validate_citizen_id,
    validate_email,
    validate_full_name,
    validate_hi_card_no,
    validate_phone,
    validate_social_insurance_no,
)

# Hà Nội (001), female born 1990 (G=1), random 012345.
CCCD_F_1990 = "001190012345"


def codes(errors: list) -> list[str]:
    return [e.code for e in errors]


# -- citizen ID ------------------------------------------------------------------------


def test_province_table_has_63_legacy_codes() -> None:
    assert len(CCCD_PROVINCE_CODES) == 63
    assert CCCD_PROVINCE_CODES["079"] == "Hồ Chí Minh"


def test_valid_cccd_with_matching_birth_data() -> None:
    assert validate_citizen_id(CCCD_F_1990, date(1990, 5, 1), "F") == []
    assert validate_citizen_id("001 190.012 345") == []
    assert normalise_id_number(" 001 190.012-345 ") == CCCD_F_1990
    assert check_citizen_id(CCCD_F_1990).kind == "cccd"


@pytest.mark.parametrize(
    ("year", "sex", "g"),
    [(1950, "M", 0), (1950, "F", 1), (2005, "M", 2), (2005, "F", 3), (2101, "F", 5),
     (2250, "M", 6), (2399, "F", 9)],
)  # fmt: skip
def test_century_digit(year: int, sex: str, g: int) -> None:
    assert cccd_century_digit(year, sex) == g  # type: ignore[arg-type]
    number = f"079{g}{year % 100:02d}000001"
    assert validate_citizen_id(number, date(year, 1, 1), sex) == []  # type: ignore[arg-type]


def test_length_message_names_field_and_count() -> None:
    errs = validate_citizen_id("00119001234", lang="vi")
    assert codes(errs) == ["id.cccd.length"]
    assert errs[0].field == "id_number"
    assert "Số định danh cá nhân phải có đúng 12 chữ số" in errs[0].message
    assert "(đã nhập 11)" in errs[0].message
    en = validate_citizen_id("00119001234", lang="en")[0].message
    assert "12 digits" in en and "11" in en


def test_old_cmnd_is_recognised_but_not_an_identity_paper() -> None:
    """Since 01/01/2025 (Identification Law 2023 Art. 46) a CMND is only an old ID."""
    c = check_citizen_id("123 456 789")
    assert c.kind == "cmnd" and c.normalised == "123456789"
    assert codes(c.errors) == ["id.cmnd_not_identity"]
    assert "Điều 46" in c.errors[0].message and "CMND cũ" in c.errors[0].message
    assert check_citizen_id("123 456 789", allow_cmnd=True).errors == []
    assert "CMND" in c.kind_label("vi")
    assert "CCCD" in check_citizen_id(CCCD_F_1990).kind_label("vi")


def test_letters_rejected() -> None:
    errs = validate_citizen_id("0011900I2345")
    assert codes(errs) == ["id.letters"]
    assert "chữ cái" in errs[0].message


def test_unknown_province_rejected_but_not_new_codes_required() -> None:
    assert codes(validate_citizen_id("003190012345")) == ["id.cccd.province"]
    # 046 (Thừa Thiên Huế) is a legacy code, not one of the 34 new ones: still fine.
    assert validate_citizen_id("046190012345") == []


def test_birth_year_and_sex_mismatch() -> None:
    errs = validate_citizen_id(CCCD_F_1990, date(1991, 1, 1), "M")
    assert codes(errs) == ["id.cccd.year", "id.cccd.sex"]
    assert "1990" in errs[0].message and "1991" in errs[0].message
    assert "Nữ" in errs[1].message and "Nam" in errs[1].message
    # Right year, wrong century digit: 2090 would be G=3 for a woman.
    assert codes(validate_citizen_id(CCCD_F_1990, date(2090, 1, 1))) == ["id.cccd.year"]


def test_empty_and_required_and_custom_field() -> None:
    assert validate_citizen_id("") == []
    assert codes(validate_citizen_id(None, required=True)) == ["id.required"]
    errs = validate_citizen_id("12", field="guardian_id_number")
    assert errs[0].field == "guardian_id_number"
    assert errs[0].message.startswith("Số định danh cá nhân")


# -- BHXH and HI card ------------------------------------------------------------------


def test_social_insurance_no() -> None:
    assert validate_social_insurance_no("0120152431") == []
    assert validate_social_insurance_no("01 2015 2431") == []
    assert codes(validate_social_insurance_no("012015243")) == ["id.bhxh.length"]
    assert "(đã nhập 9)" in validate_social_insurance_no("012015243")[0].message
    assert codes(validate_social_insurance_no("01201524X1")) == ["id.letters"]


def test_hi_card_new_and_old() -> None:
    assert validate_hi_card_no("0120152431") == []
    assert validate_hi_card_no("gd4 01 0120152431") == []
    assert normalise_hi_card_no("gd4-01-0120152431") == "GD4010120152431"
    assert parse_hi_card("GD4010120152431") == HiCard("old", "GD", 4, "01", "0120152431")
    assert parse_hi_card("0120152431") == HiCard("new", None, None, None, "0120152431")
    assert parse_hi_card("te1790123456789").group_code == "TE"


def test_hi_card_errors() -> None:
    assert codes(validate_hi_card_no("GD6010120152431")) == ["id.hi.level"]
    assert codes(validate_hi_card_no("GD401012015243")) == ["id.hi.shape"]
    assert codes(validate_hi_card_no("G14010120152431")) == ["id.hi.shape"]
    with pytest.raises(ValueError, match="BHYT"):
        parse_hi_card("12345")


# -- phone, e-mail, name ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "norm"),
    [("0912345678", "0912345678"), ("+84 912 345 678", "0912345678"),
     ("84912345678", "0912345678"), ("0084-35-123-4567", "0351234567"),
     ("024 3825 1234", "02438251234"), ("(0236) 382 1234", "02363821234"),
     ("0203 123 456", "0203123456")],
)  # fmt: skip
def test_valid_phones(raw: str, norm: str) -> None:
    assert normalise_phone(raw) == norm
    assert validate_phone(raw) == []


@pytest.mark.parametrize("raw", ["0112345678", "091234567", "09123456789", "0412345678",
                                 "+1 415 555 0100", "02123"])  # fmt: skip
def test_invalid_phones(raw: str) -> None:
    assert codes(validate_phone(raw)) == ["id.phone.shape"]


def test_phone_letters_and_empty() -> None:
    assert codes(validate_phone("09l2345678")) == ["id.phone.chars"]
    assert validate_phone("") == []
    assert codes(validate_phone(" ", required=True)) == ["id.required"]


def test_email() -> None:
    assert validate_email("nguyen.van.an@example.com.vn") == []
    assert validate_email("") == []
    for bad in ("an@", "an@example", "an example@x.vn", "@x.vn", "a@@x.vn"):
        assert codes(validate_email(bad)) == ["id.email.shape"], bad


def test_full_name() -> None:
    assert validate_full_name("Nguyễn Thị Ánh Tuyết") == []
    assert validate_full_name("H'Hen Niê") == []
    assert validate_full_name("Trần-Lê Đức") == []
    assert codes(validate_full_name("")) == ["id.required"]
    assert codes(validate_full_name("Nguyễn Văn 2")) == ["id.name.digits"]
    errs = validate_full_name("Nguyễn @Văn")
    assert codes(errs) == ["id.name.chars"] and "@" in errs[0].message
    assert codes(validate_full_name("A" * 101)) == ["id.name.length"]
    assert validate_full_name("A" * 100) == []


# -- chip ID QR -------------------------------------------------------------------------

QR = "001190012345|123456789|Nguyễn Thị An|01051990|Nữ|Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội|15032021"


def test_parse_chip_qr() -> None:
    q = parse_chip_id_qr(QR)
    assert q.id_number == "001190012345" and q.old_id_number == "123456789"
    assert q.full_name == "Nguyễn Thị An"
    assert q.date_of_birth == date(1990, 5, 1) and q.issue_date == date(2021, 3, 15)
    assert q.sex == "F"
    assert q.address.startswith("Số 1")


def test_parse_chip_qr_defensive() -> None:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", QR)
    q = parse_chip_id_qr(f"  CCCD:{decomposed}|extra|fields\r\n")
    assert q.full_name == "Nguyễn Thị An"  # NFC again
    assert q.id_number == "001190012345"
    q2 = parse_chip_id_qr("001090012345||Trần Văn B|31121985|Nam|Địa chỉ: Huế|01012022")
    assert q2.old_id_number == "" and q2.sex == "M" and q2.address == "Huế"
    q3 = parse_chip_id_qr(QR.replace("|Nữ|", "|Nuwx|"))  # keyboard wedge with Telex
    assert q3.sex == "F"


@pytest.mark.parametrize(
    "bad",
    ["", "001190012345", QR.replace("|", ";"), QR.replace("001190012345", "00119001234"),
     QR.replace("01051990", "31021990"), QR.replace("|Nữ|", "|X|"),
     QR.replace("123456789", "1234")],
)  # fmt: skip
def test_parse_chip_qr_rejects(bad: str) -> None:
    with pytest.raises(ValueError, match="QR"):
        parse_chip_id_qr(bad)


def test_parse_chip_qr_message_translated() -> None:
    with pytest.raises(ValueError, match="chip ID card"):
        parse_chip_id_qr("hello", lang="en")


def test_looks_garbled() -> None:
    assert not looks_garbled(QR)
    assert looks_garbled(QR.replace("|", ""))
    assert looks_garbled("000.00.11.h02-260216-0001")
    assert looks_garbled("000.00.11.Hơ2-260216-0001")
    assert not looks_garbled("000.00.11.H02-260216-0001")
    assert not looks_garbled("")
    assert not looks_garbled("0120152431")


def test_old_id_only_beside_the_12_digit_number() -> None:
    from app.domain.identifiers import validate_old_id

    assert validate_old_id("", CCCD_F_1990) == []
    assert validate_old_id("123 456 789", CCCD_F_1990) == []
    assert codes(validate_old_id("123456789", "")) == ["id.old_id.without_id"]
    assert codes(validate_old_id("12345", CCCD_F_1990)) == ["id.old_id.length"]
    assert codes(validate_old_id("12345678A", CCCD_F_1990)) == ["id.letters"]
