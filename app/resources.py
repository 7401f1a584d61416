"""Where the bundled data files live (catalogue, geography, fonts, calendar).

Why a function: in a PyInstaller build the data is unpacked under `sys._MEIPASS`, not next
to the source, so every reader asks here instead of computing paths from `__file__`.
"""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    """The `resources/` directory, in a source checkout or a frozen build."""
    if getattr(sys, "frozen", False):
        return Path(sys._MEIPASS) / "resources"  # type: ignore[attr-defined]
    return Path(__file__).resolve().parents[1] / "resources"
