"""Font registration from the shipped resources (never a system path at run time).

Fonts are found through `app.resources.resources_dir()` (works frozen and from source).
Why: the PDF must look the same on every desk, frozen or not, and DejaVu Sans covers every
precomposed Vietnamese letter. Registration parses the TTF once per process (module-level
cache), which keeps a receipt render in the tens of milliseconds.
"""

from __future__ import annotations

import threading
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app.resources import resources_dir

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


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


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
