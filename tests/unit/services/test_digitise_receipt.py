"""Form 01 lists the components digitised at reception (issue 16): by their row number,
with their pages, on the A5 and the 80 mm receipt; nothing when none was; a component
scanned on a later day is not "at reception"."""

from __future__ import annotations

from datetime import timedelta

from PIL import Image

from app.services import documents
from app.services.digitise import digitise_component, pages_from_files
from tests.support.maternity import maternity
from tests.unit.print.printcheck import text

LINE = "Thành phần đã số hóa (lưu bản điện tử khi tiếp nhận)"


def receipt(ctx, dossier: str, form: str = "receipt") -> str:
    return text(documents.render(ctx, dossier, form, record=False).pdf)


def test_receipt_lists_the_components_digitised_at_reception(desk, clock, tmp_path):
    png = tmp_path / "p.png"
    Image.new("RGB", (200, 300), "white").save(png)
    dossier = maternity(desk)
    assert LINE not in receipt(desk, dossier)  # nothing digitised: no line at all
    # The second row (the birth certificate), three pages, scanned at the counter.
    digitise_component(desk, dossier, "BHXH-C06-03", pages_from_files([png] * 3), ocr=False)
    a5 = receipt(desk, dossier)
    assert f"{LINE}: 2 (3 trang)." in a5
    assert f"{LINE}: 2 (3 trang)." in receipt(desk, dossier, "receipt-80mm")
    # The first row scanned the next day: not at reception, not on the receipt.
    clock.at += timedelta(days=1)
    digitise_component(desk, dossier, "BHXH-C06-02", pages_from_files([png]), ocr=False)
    assert f"{LINE}: 2 (3 trang)." in receipt(desk, dossier)
