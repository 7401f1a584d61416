"""Citizens' papers are Vietnamese whatever the screens' language (issue 10)."""

from __future__ import annotations

import subprocess

from app.domain.applicant import Applicant
from app.domain.completeness import HandedIn
from app.domain.messages import set_language
from app.services import actions, documents, intake
from app.services.context import DeskContext

LAN = Applicant(full_name="Nguyễn Thị Lan", id_number="001190012345", phone="0912345678")
B02 = (HandedIn("BHXH-B02-01", "original", 1), HandedIn("BHXH-B02-02", "photocopy", 1))


def _text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()


def test_forms_print_vietnamese_with_english_screens(desk: DeskContext) -> None:
    set_language("en")
    try:
        r = intake.submit(desk, intake.IntakeRequest("BHXH-B02", LAN, B02))
        text = _text(documents.render(desk, r.dossier_id, "receipt", record=False).pdf)
        s = intake.submit(
            desk, intake.IntakeRequest("BHXH-B02", LAN, B02[:1], outcome="supplement")
        )
        supplement = _text(documents.render(desk, s.dossier_id, "supplement", record=False).pdf)
        # The screen still speaks English: the result names the shortfall in English ...
        assert s.missing_text and s.missing_text[0].startswith("Missing")
        detail = actions.get_detail(desk, r.dossier_id)
        assert detail.procedure_name_en and detail.components[0].name_en
    finally:
        set_language("vi")
    assert "GIẤY TIẾP NHẬN HỒ SƠ" in text
    assert "Ủy quyền lĩnh thay" in text and "Authoris" not in text
    # ... while the paper the citizen takes home lists it in Vietnamese.
    assert "Thiếu" in supplement and "Missing" not in supplement
