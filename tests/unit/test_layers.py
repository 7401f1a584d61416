"""The one-way layers of DESIGN.md (STYLE.md habit 1): import-linter's contracts in
pyproject.toml (layers, no Qt below the UI, no SQL in the UI, pure rules), run here too so
a leak fails the tests as well as .ci/run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_import_contracts_hold() -> None:
    lint = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run(
        [str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout[-3000:]
    assert "0 broken" in done.stdout
