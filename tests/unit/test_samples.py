"""The committed samples in docs/samples/ are what scripts/make_samples.py makes today.

Compared as text through pdftotext (dates, codes and every line included), since PDF bytes
carry their creation time. A change to a form, the catalogue or the office profile that
alters a sample fails here until the samples are regenerated:
    uv run python scripts/make_samples.py
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from tests.unit.print.printcheck import text

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "docs" / "samples"


def _script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "make_samples", ROOT / "scripts" / "make_samples.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_committed_samples_are_what_the_script_makes(tmp_path: Path) -> None:
    made = _script().make_samples(tmp_path, log=lambda _line: None)
    pdfs = sorted(p.name for p in made if p.suffix == ".pdf")
    committed = sorted(p.name for p in SAMPLES.glob("mau*.pdf"))
    assert pdfs == committed
    for name in pdfs:
        fresh, kept = text((tmp_path / name).read_bytes()), text((SAMPLES / name).read_bytes())
        assert fresh == kept, f"docs/samples/{name} is stale: run scripts/make_samples.py"
    assert (SAMPLES / "mau01_receipt_a5.png").is_file()
    # Post-2025 names, no district, no blank left in a paper.
    bhxh = text((SAMPLES / "mau01_receipt_a5.pdf").read_bytes())
    # (the header's left column wraps long lines; pdftotext keeps the words in order)
    assert "BẢO HIỂM XÃ HỘI CƠ SỞ BA" in bhxh and "Thông tư 03/2025/TT-VPCP" in bhxh
    commune = text((SAMPLES / "mau01_receipt_a5_xa.pdf").read_bytes())
    header = commune.split("GIẤY TIẾP NHẬN")[0].split()
    office = (
        "ỦY BAN NHÂN DÂN PHƯỜNG HOÀN KIẾM "
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG"
    )
    for word in office.split():  # the heading as printed
        assert word in header, word
    for name in pdfs:
        out = text((SAMPLES / name).read_bytes())
        assert "huyện" not in out.lower() and "quận" not in out.lower(), name
        assert not re.search(r"(^|\s), ngày", out), name
        assert "- Điện thoại: " not in out.replace("- Điện thoại: 0", ""), name
