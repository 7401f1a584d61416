"""The committed postal samples in docs/samples/ are what scripts/make_postal_samples.py
makes today (compared as text through pdftotext: dates, numbers and every line)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from tests.unit.print.printcheck import decode, text

ROOT = Path(__file__).resolve().parents[3]
SAMPLES = ROOT / "docs" / "samples"


@pytest.mark.slow
def test_committed_postal_samples_are_what_the_script_makes(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "make_postal_samples", ROOT / "scripts" / "make_postal_samples.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    made = module.make_postal_samples(tmp_path, log=lambda _line: None)
    assert sorted(p.name for p in made) == sorted(p.name for p in SAMPLES.glob("buudien_*"))
    for p in made:
        if p.suffix == ".pdf":
            fresh, kept = text(p.read_bytes()), text((SAMPLES / p.name).read_bytes())
            assert fresh == kept, f"docs/samples/{p.name} is stale: run make_postal_samples.py"
            assert "huyện" not in kept.lower() and "quận" not in kept.lower()
    record = (SAMPLES / "buudien_bien_ban_giao_nhan.pdf").read_bytes()
    assert decode(record, dpi=200, symbology="code128") == ["HSBC261117000001-3-F4EAC80F"]
