"""The applicant block as a whole: every field checked, every problem reported at once."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from app.domain.errors import FieldError
from app.domain.identifiers import (
    normalise_hi_card_no,
    normalise_id_number,
    normalise_phone,
    validate_citizen_id,
    validate_email,
    validate_full_name,
    validate_hi_card_no,
    validate_old_id,
    validate_phone,
    validate_social_insurance_no,
)
from app.domain.messages import register, tr
from app.domain.text import digits_only, nfc

register(
    {
        "applicant.sex": {
            "vi": "Giới tính phải là Nam hoặc Nữ.",
            "en": "Sex must be male or female.",
        },
        "applicant.dob_future": {
            "vi": "Ngày sinh không thể sau ngày hôm nay.",
            "en": "The date of birth cannot be after today.",
        },
        "applicant.address_for_post": {
            "vi": "Cần địa chỉ nhận kết quả khi trả qua bưu chính.",
            "en": "An address is needed to return the result by post.",
        },
    }
)


@dataclass(frozen=True)
class Applicant:
    full_name: str
    id_number: str = ""
    social_insurance_no: str = ""
    hi_card_no: str = ""
    date_of_birth: date | None = None
    sex: str | None = None
    phone: str = ""
    email: str = ""
    province_code: str = ""
    commune_code: str = ""
    address: str = ""
    #: A 9-digit CMND (or a 12-digit old one), kept beside the 12-digit number only.
    old_id_number: str = ""

    def normalised(self) -> Applicant:
        """NFC text, digits-only numbers, domestic phone form: what is stored and printed."""
        return replace(
            self,
            full_name=nfc(self.full_name),
            id_number=normalise_id_number(self.id_number) if self.id_number else "",
            social_insurance_no=digits_only(self.social_insurance_no),
            hi_card_no=normalise_hi_card_no(self.hi_card_no) if self.hi_card_no else "",
            phone=normalise_phone(self.phone) if self.phone else "",
            email=nfc(self.email),
            province_code=self.province_code.strip(),
            commune_code=self.commune_code.strip(),
            address=nfc(self.address),
            old_id_number=normalise_id_number(self.old_id_number) if self.old_id_number else "",
        )

    def as_payload(self) -> dict[str, object]:
        return {
            "full_name": self.full_name,
            "id_number": self.id_number,
            "social_insurance_no": self.social_insurance_no,
            "hi_card_no": self.hi_card_no,
            "date_of_birth": self.date_of_birth.isoformat() if self.date_of_birth else None,
            "sex": self.sex,
            "phone": self.phone,
            "email": self.email,
            "province_code": self.province_code,
            "commune_code": self.commune_code,
            "address": self.address,
            # Only when given, so a payload without it keeps its earlier shape.
            **({"old_id_number": self.old_id_number} if self.old_id_number else {}),
        }


def validate_applicant(a: Applicant, *, today: date, lang: str | None = None) -> list[FieldError]:
    """All field errors of the block (empty when acceptable)."""
    errors: list[FieldError] = []
    errors += validate_full_name(a.full_name, lang=lang)
    if a.sex not in (None, "", "M", "F"):
        errors.append(FieldError("sex", "applicant.sex", tr("applicant.sex", lang)))
    if a.date_of_birth and a.date_of_birth > today:
        errors.append(
            FieldError("date_of_birth", "applicant.dob_future", tr("applicant.dob_future", lang))
        )
    sex = a.sex if a.sex in ("M", "F") else None
    errors += validate_citizen_id(a.id_number, a.date_of_birth, sex, lang=lang)  # type: ignore[arg-type]
    errors += validate_old_id(a.old_id_number, a.id_number, lang=lang)
    if a.social_insurance_no:
        errors += validate_social_insurance_no(a.social_insurance_no, lang=lang)
    if a.hi_card_no:
        errors += validate_hi_card_no(a.hi_card_no, lang=lang)
    errors += validate_phone(a.phone, lang=lang)
    errors += validate_email(a.email, lang=lang)
    return errors
