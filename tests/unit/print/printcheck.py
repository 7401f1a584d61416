"""Look at rendered PDFs the way a person and a scanner would: poppler and zbar."""

from __future__ import annotations

import subprocess
import tempfile
import unicodedata
from pathlib import Path

from pypdf import PdfReader

MM = 72 / 25.4


def page_sizes_mm(pdf: bytes) -> list[tuple[float, float]]:
    import io

    reader = PdfReader(io.BytesIO(pdf))
    return [(float(p.mediabox.width) / MM, float(p.mediabox.height) / MM) for p in reader.pages]


def text(pdf: bytes, first: int | None = None, last: int | None = None) -> str:
    """pdftotext output, NFC-normalised, whitespace (line wraps) collapsed to one space."""
    args = ["pdftotext", "-enc", "UTF-8"]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    out = subprocess.run([*args, "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return " ".join(unicodedata.normalize("NFC", out.decode("utf-8")).split())


def decode(
    pdf: bytes, *, dpi: int, mode: str = "-gray", symbology: str, first: int = 1, last: int = 1
) -> list[str]:
    """Rasterise pages with pdftoppm and decode one symbology with zbarimg."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "doc.pdf"
        src.write_bytes(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                str(dpi),
                mode,
                "-f",
                str(first),
                "-l",
                str(last),
                str(src),
                str(Path(tmp) / "page"),
            ],
            check=True,
        )
        images = sorted(str(p) for p in Path(tmp).glob("page*"))
        found: list[str] = []
        for image in images:
            proc = subprocess.run(
                ["zbarimg", "--raw", "-q", "-Sdisable", f"-S{symbology}.enable", image],
                capture_output=True,
            )
            found += [line for line in proc.stdout.decode().splitlines() if line]
        return found
