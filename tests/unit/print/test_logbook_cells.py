"""The log book's plain-string cells look exactly like the Paragraph cells they replace.

Issue 14: a day's book (~1,000 rows) spent nine tenths of its time laying out one
Paragraph per cell; cells that fit their column on one line are now plain table
strings. The reference here is the old way (every cell a Paragraph), rasterised page by
page with poppler and compared pixel for pixel.
"""

from __future__ import annotations

import dataclasses
import subprocess
import tempfile
from pathlib import Path

import pytest
from print_samples import make_logbook, needs_poppler
from printcheck import page_sizes_mm, text
from reportlab.platypus import Paragraph

from app.print import logbook
from app.print.common import Styles, para
from app.print.data import LogBookDoc


def _tricky() -> LogBookDoc:
    """The sample book plus cells at the edges: whitespace runs, markup characters, a
    word wider than its column, empty cells, text a hair under and over one line."""
    doc = make_logbook(40)
    e = doc.entries
    w = logbook._columns("vi")[1]
    st = Styles(7.0)
    # a lead agency that just fits column 6 on one line, and one a letter longer
    fit = "Phòng"
    while logbook.stringWidth(fit + "i", st.cell.fontName, st.cell.fontSize) < w[6] - 3.2:
        fit += "i"
    extra = [
        dataclasses.replace(
            e[0], applicant_name="  Lê   Văn\tTám  ", note="A & B <b>x</b>", lead_agency=fit
        ),
        dataclasses.replace(e[1], lead_agency=fit + "ii", address_phone="Xã\nQuảng Khê"),
        dataclasses.replace(
            e[2], note="Khôngcókhoảngtrắngnàotrongghichúnàycảdàihơncột", applicant_name=""
        ),
        dataclasses.replace(e[3], procedure_name="", lead_agency="   "),
        dataclasses.replace(
            e[4],
            procedure_name="Cấp lại sổ BHXH & thẻ BHYT <i>mất</i>,  hỏng &amp;   sai thông tin",
            address_phone="Số 5 ngõ 3 <ngách 7>, xã Quảng Khê, tỉnh Lâm Đồng - 0912 345 678",
        ),
    ]
    return dataclasses.replace(doc, entries=(*extra, *e))


def _pages(pdf: bytes, tmp: Path, name: str) -> list[bytes]:
    src = tmp / f"{name}.pdf"
    src.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-gray", str(src), str(tmp / name)], check=True)
    return [p.read_bytes() for p in sorted(tmp.glob(f"{name}-*.pgm"))]


@needs_poppler
def test_plain_cells_render_like_paragraphs(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = _tricky()
    fast = logbook.render_logbook(doc)
    with monkeypatch.context() as m:
        m.setattr(logbook, "_cell", lambda text, style, width: para(text, style))
        old = logbook.render_logbook(doc)
    assert fast != old  # the fast path was taken
    assert len(page_sizes_mm(fast)) == len(page_sizes_mm(old)) >= 2
    assert text(fast) == text(old)
    with tempfile.TemporaryDirectory() as tmp:
        new_pages = _pages(fast, Path(tmp), "fast")
        old_pages = _pages(old, Path(tmp), "old")
    assert len(new_pages) == len(old_pages)
    for i, (a, b) in enumerate(zip(new_pages, old_pages, strict=True)):
        assert a == b, f"page {i + 1} differs"


def test_cell_kind_by_width() -> None:
    st = Styles(7.0)
    w = logbook._columns("vi")[1]
    assert logbook._cell(1537, st.cell_center, w[0]) == "1537"
    assert logbook._cell("  Lê   Văn\tTám ", st.cell, w[4]) == "Lê Văn Tám"
    long = logbook._cell("Cấp lại, đổi, điều chỉnh thông tin trên sổ BHXH, thẻ BHYT", st.cell, w[2])
    assert isinstance(long, Paragraph)
    assert long.wrap(w[2] - 3, 1000)[1] > st.cell.leading  # it does wrap


@needs_poppler
def test_escaped_text_shows_as_typed() -> None:
    out = text(logbook.render_logbook(_tricky()))
    assert "<b>x</b>" in out  # as typed, not markup (pdftotext closes up "A & B")
    assert "Lê Văn Tám" in out
