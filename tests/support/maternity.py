"""The maternity dossier the digitising tests scan into: two components handed in."""

from __future__ import annotations

from datetime import date

from app.domain.applicant import Applicant
from app.domain.completeness import HandedIn
from app.services import intake

MOTHER = Applicant(
    full_name="Lê Thị Mai", id_number="001194123457", date_of_birth=date(1994, 3, 2), sex="F"
)


def maternity(ctx) -> str:
    req = intake.IntakeRequest(
        "BHXH-C06",
        MOTHER,
        (HandedIn("BHXH-C06-02", "original", 1), HandedIn("BHXH-C06-03", "certified_copy", 1)),
        conditions={"BHXH-C06-01": False, "BHXH-C06-02": True, "BHXH-C06-03": True},
        filer="worker",
    )
    return intake.submit(ctx, req).dossier_id
