"""Report files: the xlsx read back with openpyxl (cells, formulas evaluated here, frozen
header, dates as dates, charts), the PDF through pdftotext and pdfimages (charts are vector,
not pictures)."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from app.domain.errors import ValidationFailed
from app.services import report_docs
from tests.unit.services.conftest import FRI, MON, History


def evaluate(ws: Any, ref: str) -> int:
    """The value of a cell, computing the two formula shapes the export writes
    (`=A1+B1+…` and `=SUM(A1:A9)`), so the test checks what Excel will show."""
    v = ws[ref].value
    if not (isinstance(v, str) and v.startswith("=")):
        return int(v or 0)
    body = v[1:]
    m = re.fullmatch(r"SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)", body)
    if m:
        col, a, b = m.group(1), int(m.group(2)), int(m.group(4))
        return sum(evaluate(ws, f"{col}{r}") for r in range(a, b + 1))
    return sum(evaluate(ws, part) for part in body.split("+"))


def _row_of(ws: Any, text: str) -> int:
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str) and text in c.value:
                return c.row
    raise AssertionError(f"{text!r} not in sheet")


def test_ii06a_xlsx_has_formulas_frozen_header_and_a_chart(history: History) -> None:
    out = report_docs.export_ii06a(history.ctx, MON, FRI, "xlsx")
    assert out.filename == "II06a_20261116_20261120.xlsx"
    wb = load_workbook(io.BytesIO(out.data))
    ws = wb["II.06a"]
    assert any("II.06a/VPCP/KSTT" in str(c.value) for c in ws["A"][:10])
    head = _row_of(ws, "(3) Tổng số")
    assert ws.freeze_panes == f"A{head + 1}"
    assert ws.cell(row=head - 1, column=3).value == "Số hồ sơ nhận giải quyết"
    r = _row_of(ws, "(BHXH-E02)")
    assert ws[f"C{r}"].value == f"=D{r}+E{r}+F{r}"  # (3) = (4)+(5)+(6), a real formula
    assert ws[f"G{r}"].value == f"=H{r}+I{r}+J{r}"
    got = [evaluate(ws, f"{col}{r}") for col in "CDEFGHIJKLM"]
    # Same hand counts as test_reports: received 10 (1 online, 4 direct, 5 carried),
    # settled 4 (1 early, 2 on time, 1 late), pending 6 (4 in time, 2 late).
    assert got == [10, 1, 4, 5, 4, 1, 2, 1, 6, 4, 2]
    sub = _row_of(ws, "Lĩnh vực Bảo hiểm xã hội")
    assert ws[f"D{sub}"].value == f"=SUM(D{sub + 1}:D{sub + 1})"
    total = _row_of(ws, "Tổng cộng")
    assert ws[f"C{total}"].value.startswith("=")
    assert [evaluate(ws, f"{col}{total}") for col in "CGK"] == [11, 4, 7]
    assert "Cổng Dịch vụ công" in str(ws.cell(row=total + 2, column=1).value)
    charts = wb["Biểu đồ"]
    assert len(charts._charts) == 2
    assert charts["A1"].value.startswith("Tỷ lệ giải quyết")


def _pdftext(pdf: bytes, tmp_path: Path) -> str:
    p = tmp_path / "r.pdf"
    p.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(p), "-"], capture_output=True, text=True, check=True
    ).stdout


def _images(pdf: bytes, tmp_path: Path) -> int:
    p = tmp_path / "i.pdf"
    p.write_bytes(pdf)
    out = subprocess.run(
        ["pdfimages", "-list", str(p)], capture_output=True, text=True, check=True
    ).stdout
    return len(out.strip().splitlines()) - 2  # two header lines


def test_ii06a_pdf_has_header_figures_notes_and_a_vector_chart(
    history: History, tmp_path: Path
) -> None:
    pdf = report_docs.export_ii06a(history.ctx, MON, FRI, "pdf").data
    text = _pdftext(pdf, tmp_path)
    assert "Biểu số II.06a/VPCP/KSTT" in text
    assert "BẢO HIỂM XÃ HỘI CƠ SỞ BA ĐÌNH" in text
    assert "từ ngày 16/11/2026 đến ngày 20/11/2026" in text
    total_line = next(line for line in text.splitlines() if "Tổng cộng" in line)
    assert total_line.split()[2:] == ["11", "1", "5", "5", "4", "1", "2", "1", "7", "5", "2"]
    assert "Tỷ lệ giải quyết trước hạn và đúng hạn: 75,0%" in text
    assert "Hồ sơ quá hạn theo thủ tục" in text  # the chart's title, drawn as text
    assert "(*) Cột (4) chỉ gồm" in text
    assert _images(pdf, tmp_path) == 0  # charts are lines and text, not a picture


def test_daily_summary_files(history: History, tmp_path: Path) -> None:
    x = report_docs.export_daily(history.ctx, MON, FRI, "xlsx")
    wb = load_workbook(io.BytesIO(x.data))
    days = wb["Theo ngày"]
    first = _row_of(days, "Ngày") + 1
    assert isinstance(days[f"A{first}"].value, datetime)  # a date, not text
    assert days[f"A{first}"].number_format == "DD/MM/YYYY"
    assert [days[f"B{first + i}"].value for i in range(5)] == [3, 1, 1, 1, 0]
    sat = wb["Hài lòng"]
    r = _row_of(sat, "Chỉ số 3")
    assert sat[f"E{r}"].value == f"=B{r}+C{r}+D{r}" and evaluate(sat, f"E{r}") == 2
    assert len(wb["Biểu đồ"]._charts) == 1
    pdf = report_docs.export_daily(history.ctx, MON, FRI, "pdf").data
    text = _pdftext(pdf, tmp_path)
    assert "BÁO CÁO TỔNG HỢP TIẾP NHẬN VÀ TRẢ KẾT QUẢ" in text
    line = next(x for x in text.splitlines() if "Quá hạn chuyển sang" in x)
    assert line.split()[-1] == "2"
    assert "Hồ sơ tiếp nhận theo ngày" in text


def test_control_files_and_a_bad_format(history: History, tmp_path: Path) -> None:
    out = report_docs.export_control(history.ctx, "xlsx", today=FRI)
    wb = load_workbook(io.BytesIO(out.data))
    ws = wb["Quá hạn"]
    r = _row_of(ws, history.codes["B"])
    assert ws[f"E{r}"].value.date() == history.due["B"] and ws[f"F{r}"].value == 10
    text = _pdftext(report_docs.export_control(history.ctx, "pdf", today=FRI).data, tmp_path)
    assert history.codes["B"] in text and "KIỂM SOÁT HỒ SƠ ĐẾN HẠN, QUÁ HẠN" in text
    with pytest.raises(ValidationFailed) as exc:
        report_docs.export_control(history.ctx, "docx")
    assert exc.value.errors[0].field == "format"
