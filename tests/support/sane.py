"""The SANE `test` backend as the tests' real scanner.

Debian ships `test` commented out in /etc/sane.d/dll.conf; a SANE_CONFIG_DIR of our own
lists only it, so `scanimage` really runs against a device that always answers the same.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


def sane_test_env(folder: Path) -> dict[str, str]:
    """Environment for `scanimage` with only the test backend enabled."""
    if shutil.which("scanimage") is None:
        pytest.fail("scanimage (sane-utils) is not installed; .ci/run installs it")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dll.conf").write_text("test\n")
    return {"SANE_CONFIG_DIR": str(folder)}
