"""Scanners behind one small interface: SANE through `scanimage` on Linux, WIA or TWAIN
through NAPS2's console program on Windows.

Why programs and not Python bindings: `scanimage` ships with sane-utils on every Linux
desk, NAPS2 (GPL, maintained, WIA 2.0 and TWAIN) is one installer on Windows; neither needs
a compiled extension in the frozen build, and a scanner that hangs or crashes takes down a
child process, not the window. Only the SANE one was verified, on Linux with the SANE
`test` backend. `Naps2Scanner` follows NAPS2's documented console options
(NAPS2.Lib/Automation/AutomatedScanningOptions.cs: --driver, --device, --listdevices,
--source, --dpi, --bitdepth, -o with $(nnnn), --noprofile, -f) and was NOT run anywhere
here: no Windows machine and no NAPS2 build are available (see docs/digitising.md).

The pages come back as PNG files in a folder the caller owns (lossless: the PDF embeds
them as they are, app.services.digitise).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from app.domain.errors import DomainError
from app.domain.messages import register, tr

register(
    {
        "scan.none": {
            "vi": "Không tìm thấy chương trình quét (scanimage của SANE). Cài gói sane-utils, "
            "hoặc nhập trang từ tệp ảnh/PDF.",
            "en": "No scanning program found (SANE's scanimage). Install sane-utils, or "
            "import the pages from image/PDF files.",
        },
        "scan.no_device": {
            "vi": "Không thấy máy quét nào. Kiểm tra cáp và nguồn máy quét.",
            "en": "No scanner found. Check the scanner's cable and power.",
        },
        "scan.failed": {
            "vi": "Máy quét báo lỗi: {why}",
            "en": "The scanner reported an error: {why}",
        },
        "scan.no_pages": {
            "vi": "Máy quét không trả về trang nào (khay giấy trống?).",
            "en": "The scanner returned no page (is the feeder empty?).",
        },
        "scan.windows": {
            "vi": "Chưa cài NAPS2 (quét WIA/TWAIN trên Windows): cài NAPS2 từ naps2.com, hoặc "
            "nhập trang từ tệp ảnh/PDF.",
            "en": "NAPS2 (WIA/TWAIN scanning on Windows) is not installed: install it from "
            "naps2.com, or import the pages from image/PDF files.",
        },
    }
)

FEEDER = "Automatic Document Feeder"


@dataclass(frozen=True)
class ScannerDevice:
    name: str  # what the driver calls it, e.g. "test:0", "epson2:libusb:001:004"
    label: str  # what the officer reads


@dataclass(frozen=True)
class ScanOptions:
    dpi: int = 300
    color: bool = True
    #: None: the flatbed, one page; FEEDER: until the feeder is empty (or `pages`).
    source: str | None = None
    pages: int | None = None


#: Called with the number of pages scanned so far.
Progress = Callable[[int], None]


class Scanner(Protocol):
    """What the capture screen needs from a scanner; one implementation per platform."""

    def devices(self) -> list[ScannerDevice]: ...

    def scan(
        self, device: str, out_dir: Path, options: ScanOptions, progress: Progress | None = None
    ) -> list[Path]:
        """Scan into `out_dir`; the page files in order. DomainError with a message to show."""
        ...


class SaneScanner:
    """SANE through the `scanimage` program (sane-utils). `env` adds e.g. SANE_CONFIG_DIR."""

    def __init__(self, program: str = "scanimage", env: dict[str, str] | None = None) -> None:
        found = shutil.which(program)
        if found is None:
            raise DomainError("scan.none", tr("scan.none"))
        self.program = found
        self.env = {**os.environ, **(env or {})}

    def devices(self) -> list[ScannerDevice]:
        out = self._run([self.program, "-f", "%d\t%v %m%n"], timeout=60)
        found = []
        for line in out.splitlines():
            name, _, label = line.partition("\t")
            if name.strip():
                found.append(ScannerDevice(name.strip(), label.strip() or name.strip()))
        return found

    def scan(
        self, device: str, out_dir: Path, options: ScanOptions, progress: Progress | None = None
    ) -> list[Path]:
        out_dir.mkdir(parents=True, exist_ok=True)
        count = options.pages if options.pages is not None else (None if options.source else 1)
        args = [
            self.program,
            "-d",
            device,
            "--format=png",
            f"--resolution={int(options.dpi)}",
            f"--mode={'Color' if options.color else 'Gray'}",
            f"--batch={out_dir / 'page-%04d.png'}",
        ]
        if count is not None:
            args.append(f"--batch-count={int(count)}")
        if options.source:
            args.append(f"--source={options.source}")
        proc = subprocess.Popen(
            args,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=self.env,
            cwd=out_dir,
        )
        assert proc.stderr is not None
        tail: list[str] = []
        done = 0
        for line in proc.stderr:
            tail = ([*tail, line.strip()])[-5:]
            if line.startswith("Scanned page"):
                done += 1
                if progress is not None:
                    progress(done)
        code = proc.wait()
        pages = sorted(out_dir.glob("page-*.png"))
        # scanimage ends a feeder batch with "out of documents" (status 7): not an error.
        if code != 0 and not pages:
            why = " ".join(t for t in tail if t) or f"exit status {code}"
            raise DomainError("scan.failed", tr("scan.failed", why=why[:300]))
        if not pages:
            raise DomainError("scan.no_pages", tr("scan.no_pages"))
        return pages

    def _run(self, args: list[str], timeout: float) -> str:
        try:
            done = subprocess.run(
                args, capture_output=True, text=True, timeout=timeout, env=self.env, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise DomainError("scan.failed", tr("scan.failed", why=str(exc)[:300])) from None
        if done.returncode != 0:
            why = done.stderr.strip()[:300] or f"exit status {done.returncode}"
            raise DomainError("scan.failed", tr("scan.failed", why=why))
        return done.stdout


class Naps2Scanner:
    """WIA (default) or TWAIN through NAPS2's console program, one PNG a page.

    NOT verified: written from NAPS2's option definitions, never run (no Windows here).
    """

    #: Where NAPS2's installer puts the console program.
    DEFAULT_PATHS = (
        r"C:\Program Files\NAPS2\NAPS2.Console.exe",
        r"C:\Program Files (x86)\NAPS2\NAPS2.Console.exe",
    )

    def __init__(
        self, program: str | None = None, driver: str = "wia", env: dict[str, str] | None = None
    ) -> None:
        candidates = [program] if program else ["NAPS2.Console", *self.DEFAULT_PATHS]
        found = next((p for p in (shutil.which(c) for c in candidates) if p), None)
        if found is None:
            raise DomainError("scan.windows", tr("scan.windows"))
        self.program = found
        self.driver = driver
        self.env = {**os.environ, **(env or {})}

    def devices(self) -> list[ScannerDevice]:
        out = self._run([self.program, "--listdevices", "--driver", self.driver], timeout=60)
        names = [line.strip() for line in out.splitlines() if line.strip()]
        return [ScannerDevice(n, n) for n in names]

    def scan(
        self, device: str, out_dir: Path, options: ScanOptions, progress: Progress | None = None
    ) -> list[Path]:
        out_dir.mkdir(parents=True, exist_ok=True)
        args = [
            self.program,
            "--noprofile",
            "--driver",
            self.driver,
            "--device",
            device,
            "--source",
            "feeder" if options.source else "glass",
            "--dpi",
            str(int(options.dpi)),
            "--bitdepth",
            "color" if options.color else "gray",
            "-o",
            str(out_dir / "page-$(nnnn).png"),
            "-f",
        ]
        self._run(args, timeout=1800)
        pages = sorted(out_dir.glob("page-*.png"))
        if options.pages is not None:
            pages = pages[: options.pages]
        if not pages:
            raise DomainError("scan.no_pages", tr("scan.no_pages"))
        if progress is not None:
            progress(len(pages))
        return pages

    def _run(self, args: list[str], timeout: float) -> str:
        try:
            done = subprocess.run(
                args, capture_output=True, text=True, timeout=timeout, env=self.env, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise DomainError("scan.failed", tr("scan.failed", why=str(exc)[:300])) from None
        if done.returncode != 0:
            why = (done.stderr or done.stdout).strip()[:300] or f"exit status {done.returncode}"
            raise DomainError("scan.failed", tr("scan.failed", why=why))
        return done.stdout


def default_scanner(env: dict[str, str] | None = None) -> Scanner:
    """The platform's scanner, or DomainError saying why there is none."""
    if sys.platform == "win32":  # WIA through NAPS2 (not verified: see Naps2Scanner)
        return Naps2Scanner(env=env)
    return SaneScanner(env=env)
