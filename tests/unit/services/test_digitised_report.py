"""The share digitised at reception (issue 16) counted per component and exported like the
other reports: the xlsx read back with openpyxl (formulas, frozen header, Vietnamese
titles, a chart), the PDF through pdftotext and pdfimages (a vector chart)."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from PIL import Image

from app.services import report_docs
from app.services.digitise import digitise_component, pages_from_files
from app.services.digitised_report import digitised_share
from tests.support.maternity import maternity

DAY = date(2026, 11, 17)  # the clock fixture's day


def history(desk, clock, tmp_path: Path) -> None:
    """Four maternity dossiers received on DAY, two components handed in each:
    a both stored that day, b one of them, c stored the next day, d never."""
    png = tmp_path / "p.png"
    Image.new("RGB", (200, 300), "white").save(png)
    pages = pages_from_files([png])
    a, b, c, _d = (maternity(desk) for _ in range(4))
    for code in ("BHXH-C06-02", "BHXH-C06-03"):
        digitise_component(desk, a, code, pages, ocr=False)
    digitise_component(desk, b, "BHXH-C06-03", pages, ocr=False)
    clock.at += timedelta(days=1)
    for code in ("BHXH-C06-02", "BHXH-C06-03"):
        digitise_component(desk, c, code, pages, ocr=False)


def test_a_dossier_counts_as_digitised_only_when_every_component_is(desk, clock, tmp_path):
    history(desk, clock, tmp_path)
    with desk.read() as s:
        share = digitised_share(s, DAY, DAY)
    t = share.total
    assert (t.received, t.digitised, t.complete) == (4, 2, 1)
    assert t.complete_share == 0.25 and t.share == 0.5
    (proc,) = share.by_procedure
    assert (proc.key, proc.complete) == ("BHXH-C06", 1)


def evaluate(ws: Any, ref: str) -> float:
    """A cell's value, computing the formula shapes this export writes (SUM of a column
    range, IF(x=0,0,y/x)), so the test checks what Excel will show."""
    v = ws[ref].value
    if not (isinstance(v, str) and v.startswith("=")):
        return float(v or 0)
    body = v[1:]
    m = re.fullmatch(r"SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)", body)
    if m:
        col, a, b = m.group(1), int(m.group(2)), int(m.group(4))
        return sum(evaluate(ws, f"{col}{r}") for r in range(a, b + 1))
    m = re.fullmatch(r"IF\(([A-Z]+\d+)=0,0,([A-Z]+\d+)/([A-Z]+\d+)\)", body)
    assert m, body
    den = evaluate(ws, m.group(3))
    return 0.0 if evaluate(ws, m.group(1)) == 0 else evaluate(ws, m.group(2)) / den


def _row_of(ws: Any, text: str) -> int:
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str) and text in c.value:
                return c.row
    raise AssertionError(f"{text!r} not in sheet")


def test_xlsx_has_formulas_frozen_header_vietnamese_titles_and_a_chart(desk, clock, tmp_path):
    history(desk, clock, tmp_path)
    out = report_docs.export_digitised(desk, DAY, DAY, "xlsx")
    assert out.filename == "SoHoa_20261117_20261117.xlsx"
    wb = load_workbook(io.BytesIO(out.data))
    assert wb.sheetnames == ["Theo thủ tục", "Theo cán bộ", "Biểu đồ"]
    ws = wb["Theo thủ tục"]
    assert any(c.value == "TỶ LỆ HỒ SƠ SỐ HÓA KHI TIẾP NHẬN" for c in ws["A"][:8])
    assert any(c.value == "Ngày 17/11/2026" for c in ws["A"][:8])
    head = _row_of(ws, "Thủ tục / cán bộ")
    assert [ws.cell(row=head, column=i).value for i in range(2, 6)] == [
        "Tiếp nhận",
        "Có thành phần số hóa",
        "Số hóa đủ thành phần",
        "Tỷ lệ số hóa đủ",
    ]
    assert ws.freeze_panes == f"A{head + 1}"
    r = _row_of(ws, "BHXH-C06")
    assert "thai sản" in ws[f"A{r}"].value
    assert [ws[f"{c}{r}"].value for c in "BCD"] == [4, 2, 1]
    assert ws[f"E{r}"].value == f"=IF(B{r}=0,0,D{r}/B{r})"  # a real formula
    assert ws[f"E{r}"].number_format == "0.0%" and evaluate(ws, f"E{r}") == 0.25
    total = _row_of(ws, "Tổng cộng")
    assert ws[f"B{total}"].value == f"=SUM(B{r}:B{r})"
    assert [evaluate(ws, f"{c}{total}") for c in "BCDE"] == [4, 2, 1, 0.25]
    assert "Thông tư 03/2025/TT-VPCP" in str(ws.cell(row=total + 3, column=1).value)
    officers = wb["Theo cán bộ"]
    o = _row_of(officers, "Nguyễn Văn An")
    assert [officers[f"{c}{o}"].value for c in "BCD"] == [4, 2, 1]
    charts = wb["Biểu đồ"]
    assert len(charts._charts) == 1
    assert charts["A1"].value == "Tỷ lệ hồ sơ số hóa khi tiếp nhận theo thủ tục"


def test_pdf_has_the_office_header_figures_notes_and_a_vector_chart(desk, clock, tmp_path):
    history(desk, clock, tmp_path)
    out = report_docs.export_digitised(desk, DAY, DAY, "pdf")
    assert out.filename.endswith(".pdf") and out.data.startswith(b"%PDF")
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(out.data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "TỶ LỆ HỒ SƠ SỐ HÓA KHI TIẾP NHẬN" in text and "Ngày 17/11/2026" in text
    assert "Tiếp nhận 4 hồ sơ; số hóa đủ thành phần khi tiếp nhận 1 (25,0%)" in text
    totals = [line.split() for line in text.splitlines() if "Tổng cộng" in line]
    assert len(totals) == 2 and all(t[-4:] == ["4", "2", "1", "25,0%"] for t in totals)
    assert "Tỷ lệ hồ sơ số hóa khi tiếp nhận theo thủ tục" in text  # chart title, as text
    assert "Thông tư 03/2025/TT-VPCP" in text and "Thông tư 01/2023/TT-VPCP" in text
    images = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    assert len(images.strip().splitlines()) == 2  # header lines only: the chart is vector
