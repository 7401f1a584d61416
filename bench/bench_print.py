"""How long a receipt takes to render, against a bare one-page reportlab PDF.

Targets: render_receipt ≤ 3× the bare page and < 50 ms. Fonts are registered once per
process (app.print.fonts), so the first, warm-up render is excluded from the medians.
Run: `uv run python bench/bench_print.py`.
"""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime

from reportlab.lib.pagesizes import A5
from reportlab.pdfgen.canvas import Canvas

from app.print import (
    CIRCULAR_01_2018,
    ComponentLine,
    DossierDoc,
    OfficeInfo,
    render_receipt,
    render_receipt_80mm,
)
from app.print.fonts import REGULAR, register_fonts

ROUNDS = 30


def sample_dossier() -> DossierDoc:
    return DossierDoc(
        code="000.00.31.H56-261123-0042",
        procedure_name="Giải quyết hưởng trợ cấp thai sản đối với người lao động",
        procedure_code="1.000948.000.00.00.H56",
        applicant_name="Nguyễn Thị Phượng",
        applicant_address="Thôn Đắk Nông, xã Quảng Khê, tỉnh Lâm Đồng",
        applicant_phone="0912 345 678",
        applicant_email="phuong.nguyen@example.vn",
        components=(
            ComponentLine("Tờ khai đề nghị hưởng chế độ thai sản", "01B-HSB", "Bản chính", 1),
            ComponentLine("Giấy chứng sinh của con", None, "Bản sao", 1),
            ComponentLine("Giấy ra viện của người mẹ sau khi sinh con", None, "Bản chụp", 1),
        ),
        sets_count=1,
        time_limit_text="06 ngày làm việc",
        received_at=datetime(2026, 11, 23, 2, 5, tzinfo=UTC),
        due_at=datetime(2026, 12, 1, 9, 30, tzinfo=UTC),
        return_method_text="Bộ phận Một cửa (trực tiếp)",
        fee_text=None,
        log_book_volume="02",
        log_book_entry="1537",
        receiving_officer="Đặng Hữu Ước",
        synced=True,
        copy=False,
        legal_basis=CIRCULAR_01_2018,
        office=OfficeInfo(
            agency_code="000.00.31.H56",
            unit_name="Bộ phận Tiếp nhận và Trả kết quả BHXH cơ sở Quảng Khê",
            parent_name="Bảo hiểm xã hội tỉnh Lâm Đồng",
            address="Xã Quảng Khê, tỉnh Lâm Đồng",
            phone="0263 3822 456",
            hotline="1900 9068",
            place_name="Quảng Khê",
        ),
    )


def bare_page() -> bytes:
    """The floor: one A5 page, one line of Helvetica, no fonts to embed."""
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A5)
    c.setFont("Helvetica", 10)
    c.drawString(40, 500, "000.00.31.H56-261123-0042")
    c.showPage()
    c.save()
    return buf.getvalue()


def bare_page_ttf() -> bytes:
    """One A5 page, one line in the shipped TTF: the floor once a font must be embedded."""
    register_fonts()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A5)
    c.setFont(REGULAR, 10)
    c.drawString(40, 500, "Nguyễn Thị Phượng 000.00.31.H56-261123-0042")
    c.showPage()
    c.save()
    return buf.getvalue()


def _median_ms(fn: Callable[[], bytes], rounds: int) -> float:
    fn()  # warm-up: imports, font registration
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def run(rounds: int = ROUNDS) -> list[tuple[str, float, float]]:
    """(name, median ms, ratio to the bare page) for each measured render."""
    doc = sample_dossier()
    bare = _median_ms(bare_page, rounds)
    rows = [("bare one-page PDF (Helvetica)", bare, 1.0)]
    ttf = _median_ms(bare_page_ttf, rounds)
    rows.append(("bare one-page PDF (embedded TTF)", ttf, ttf / bare))
    for name, fn in (
        ("render_receipt (A5, 1 copy)", lambda: render_receipt(doc)),
        ("render_receipt (A5, 2 copies)", lambda: render_receipt(doc, copies=2)),
        ("render_receipt_80mm", lambda: render_receipt_80mm(doc)),
    ):
        ms = _median_ms(fn, rounds)
        rows.append((name, ms, ms / bare))
    return rows


if __name__ == "__main__":
    results = run()
    ttf_ms = results[1][1]
    for name, ms, ratio in results:
        print(f"{name:34s} median {ms:8.2f} ms  {ratio:6.1f}× bare  {ms / ttf_ms:5.1f}× bare TTF")
