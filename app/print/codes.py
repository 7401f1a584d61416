"""Dossier code as Code 128 and QR, drawn as vector rectangles on the printer's dot grid.

Why: a module of 2 dots at 203 dpi (0.25 mm) is the narrowest a thermal head prints
reliably; 10 modules of quiet zone on each side are what scanners need. Snapping the symbol
to the 203-dpi grid keeps every bar an exact number of dots, so a thermal print has no
half-dots at the edges. A barcode that does not fit across the paper is turned 90 degrees
(the page grows downward) rather than shrunk below the 2-dot minimum.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import groupby

import barcode
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib import colors
from reportlab.platypus import Flowable

from app.domain.text import nfc

PRINTER_DPI = 203
DOT = 72.0 / PRINTER_DPI  # one 203-dpi printer dot, in points
QUIET_MODULES = 10


@lru_cache(maxsize=256)
def code128_modules(value: str) -> str:
    """The Code 128 module pattern ("1" = bar) of `value`, without quiet zones."""
    return barcode.get_barcode_class("code128")(value).build()[0]


@lru_cache(maxsize=256)
def qr_matrix(value: str) -> tuple[tuple[bool, ...], ...]:
    """QR modules (error correction M) from reportlab's encoder, True = dark.

    Cached: choosing the mask pattern is the slowest step of a receipt, and two copies or a
    reprint encode the same code again.
    """
    widget = QrCodeWidget(value, barLevel="M")
    widget.qr.make()
    return tuple(tuple(bool(m) for m in row) for row in widget.qr.modules)


def _runs(cells) -> list[tuple[int, int]]:
    """(start, length) of each run of dark cells."""
    out = []
    start = 0
    for dark, group in groupby(cells):
        n = len(list(group))
        if dark:
            out.append((start, n))
        start += n
    return out


def code128_width(value: str, module_dots: int) -> float:
    """Width in points of the symbol plus both quiet zones."""
    return (len(code128_modules(value)) + 2 * QUIET_MODULES) * module_dots * DOT


def _snap(canv) -> None:
    """Translate so the origin lies on the 203-dpi dot grid of the page."""
    ax, ay = canv.absolutePosition(0, 0)
    canv.translate(round(ax / DOT) * DOT - ax, round(ay / DOT) * DOT - ay)


class Code128Flowable(Flowable):
    """A Code 128 symbol with its quiet zones; `rotate=True` runs it down the page."""

    def __init__(
        self, value: str, module_dots: int = 2, bar_height: float = 34.0, rotate: bool = False
    ) -> None:
        super().__init__()
        if module_dots < 2:
            raise ValueError("a module must be at least 2 printer dots (0.25 mm)")
        self.value = nfc(value)
        self.pattern = code128_modules(self.value)
        self.module = module_dots * DOT
        self.bar_height = bar_height
        self.rotate = rotate
        self.length = (len(self.pattern) + 2 * QUIET_MODULES) * self.module

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if self.rotate:
            return self.bar_height, self.length
        return self.length, self.bar_height

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        _snap(canv)
        if self.rotate:
            # Bars become horizontal lines stacked from the top of the box downward.
            canv.translate(self.bar_height, 0)
            canv.rotate(90)
        canv.setFillColor(colors.black)
        path = canv.beginPath()
        x0 = QUIET_MODULES * self.module
        for start, n in _runs(c == "1" for c in self.pattern):
            path.rect(x0 + start * self.module, 0, n * self.module, self.bar_height)
        canv.drawPath(path, stroke=0, fill=1)
        canv.restoreState()


class QrFlowable(Flowable):
    """A QR code (error correction M) with a 4-module quiet zone, modules on the dot grid.

    The matrix comes from reportlab's QR encoder (the one behind `QrCodeWidget`); the dark
    runs are drawn as one vector path, which is several times faster than the widget's
    shape tree and gives the same marks.
    """

    def __init__(self, value: str, module_dots: int = 5, border: int = 4) -> None:
        super().__init__()
        self.value = nfc(value)
        self.matrix = qr_matrix(self.value)
        self.module = module_dots * DOT
        self.border = border
        self.size = (len(self.matrix) + 2 * border) * self.module

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        _snap(canv)
        canv.setFillColor(colors.black)
        path = canv.beginPath()
        m = self.module
        count = len(self.matrix)
        for r, row in enumerate(self.matrix):
            y = (count - 1 - r + self.border) * m
            for start, n in _runs(row):
                path.rect((start + self.border) * m, y, n * m, m)
        canv.drawPath(path, stroke=0, fill=1)
        canv.restoreState()
