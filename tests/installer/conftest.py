"""Build the frozen app ONCE per test session; every installer test shares it.

The build goes to a session temporary folder (never the developer's dist/), with
PyInstaller's work folder under build/ so a second session reuses its cache.
"""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def frozen_app(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The one-folder bundle (`<dist>/onestop`), built here with installer/build.py."""
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.skip("PyInstaller is not installed (it comes with the dev group: uv sync)")
    import sys

    sys.path.insert(0, str(ROOT / "installer"))
    try:
        from build import build  # installer/build.py
    finally:
        sys.path.remove(str(ROOT / "installer"))

    dist = tmp_path_factory.mktemp("dist")
    start = time.monotonic()
    bundle = build(dist, ROOT / "build" / "pyinstaller-tests")
    print(f"\nfrozen build: {time.monotonic() - start:.0f} s -> {bundle}")
    return bundle
