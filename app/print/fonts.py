"""Font registration from the shipped resources (never a system path at run time).

Why: the PDF must look the same on every desk, frozen or not, and DejaVu Sans covers every
precomposed Vietnamese letter. Registration parses the TTF once per process (module-level
cache), which keeps a receipt render in the tens of milliseconds.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "OneStopSans"
BOLD = "OneStopSans-Bold"
ITALIC = "OneStopSans-Italic"

_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
}

_lock = threading.Lock()
_registered = False


def _resources_dir() -> Path:
    """`resources/` next to the package, or inside the PyInstaller bundle when frozen."""
    try:  # another layer may provide the shared helper; prefer it when present
        from app.resources import resources_dir  # type: ignore[import-not-found]
    except ImportError:
        if getattr(sys, "frozen", False):
            return Path(sys._MEIPASS) / "resources"  # type: ignore[attr-defined]
        return Path(__file__).resolve().parents[2] / "resources"
    return Path(resources_dir())


def fonts_dir() -> Path:
    return _resources_dir() / "fonts"


def register_fonts() -> None:
    """Register the Vietnamese-capable fonts once; later calls return at once."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        base = fonts_dir()
        for name, filename in _FILES.items():
            path = base / filename
            if not path.is_file():
                raise FileNotFoundError(f"font file missing: {path}")
            pdfmetrics.registerFont(TTFont(name, str(path)))
        addMapping(REGULAR, 0, 0, REGULAR)
        addMapping(REGULAR, 1, 0, BOLD)
        addMapping(REGULAR, 0, 1, ITALIC)
        addMapping(REGULAR, 1, 1, BOLD)
        _registered = True
