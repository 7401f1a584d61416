"""Package the frozen build (dist/onestop/) as a .deb: `uv run python installer/build.py --deb`.

Layout of the package:
    /opt/onestop/                     the PyInstaller one-folder bundle
    /usr/bin/onestop                  a wrapper that execs /opt/onestop/onestop
    /usr/share/applications/onestop.desktop
    /usr/share/icons/hicolor/scalable/apps/onestop.svg (resources/icons/onestop.svg when present)
    /usr/share/icons/hicolor/256x256/apps/onestop.png (when resources/icons/onestop.png exists)

Depends lists the system libraries the bundled Qt loads but PyInstaller does not ship
(OpenGL/EGL, the X11 xcb helpers, fontconfig, D-Bus); everything else is in the bundle.
Run alone with `uv run python installer/linux/build_deb.py [--bundle dist/onestop]`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent

PACKAGE = "onestop"
MAINTAINER = "Onestop maintainers <onestop@localhost>"
# Libraries the bundled Qt (xcb platform plugin, QtGui, QtDBus) needs from the system.
DEPENDS = [
    "libc6 (>= 2.34)",
    "libegl1",
    "libgl1",
    "libfontconfig1",
    "libdbus-1-3",
    "libxkbcommon0",
    "libxkbcommon-x11-0",
    "libx11-xcb1",
    "libxcb1",
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-keysyms1",
    "libxcb-image0",
    "libxcb-randr0",
    "libxcb-render-util0",
    "libxcb-shape0",
    "libxcb-xkb1",
]
# ocrmypdf and tesseract-ocr-vie: digitised components become PDF/A with a Vietnamese text
# layer (optional: without them the desk keeps plain PDFs and says so).
RECOMMENDS = ["libwayland-cursor0", "fonts-dejavu-core", "ocrmypdf", "tesseract-ocr-vie"]

WRAPPER = """#!/bin/sh
# Start the one-stop desk application installed in /opt/onestop.
exec /opt/onestop/onestop "$@"
"""


def app_version() -> str:
    sys.path.insert(0, str(ROOT))
    from app import __version__

    return __version__


def deb_arch() -> str:
    return subprocess.run(
        ["dpkg", "--print-architecture"], check=True, capture_output=True, text=True
    ).stdout.strip()


def _icon_sources() -> tuple[Path, Path | None]:
    icons = ROOT / "resources" / "icons"
    svg = icons / "onestop.svg"
    png = icons / "onestop.png"
    return (svg if svg.exists() else HERE / "onestop.svg"), (png if png.exists() else None)


def stage(bundle: Path, root: Path, version: str, arch: str) -> None:
    """Lay the package's files out under `root` (the future /)."""
    opt = root / "opt" / PACKAGE
    shutil.copytree(bundle, opt, symlinks=True)

    usr_bin = root / "usr" / "bin"
    usr_bin.mkdir(parents=True)
    (usr_bin / PACKAGE).write_text(WRAPPER, encoding="utf-8")
    (usr_bin / PACKAGE).chmod(0o755)

    apps = root / "usr" / "share" / "applications"
    apps.mkdir(parents=True)
    shutil.copy2(HERE / "onestop.desktop", apps / "onestop.desktop")

    svg, png = _icon_sources()
    scalable = root / "usr/share/icons/hicolor/scalable/apps"
    scalable.mkdir(parents=True)
    shutil.copy2(svg, scalable / "onestop.svg")
    if png is not None:
        px = root / "usr/share/icons/hicolor/256x256/apps"
        px.mkdir(parents=True)
        shutil.copy2(png, px / "onestop.png")

    doc = root / "usr/share/doc" / PACKAGE
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(
        "Onestop — one-stop counter desk application. License: MIT.\n"
        "Bundled: Qt and PySide6 (LGPLv3), DejaVu fonts (see /opt/onestop/_internal/"
        "resources/fonts/LICENSE-DejaVu.txt), Python (PSF).\n",
        encoding="utf-8",
    )

    for dirpath, dirnames, filenames in os.walk(root):
        for d in dirnames:
            (Path(dirpath) / d).chmod(0o755)
        for f in filenames:
            p = Path(dirpath) / f
            if not p.is_symlink():
                p.chmod(0o755 if os.access(p, os.X_OK) else 0o644)

    size_kb = (
        sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink()) // 1024
    )
    debian = root / "DEBIAN"
    debian.mkdir()
    (debian / "control").write_text(
        f"Package: {PACKAGE}\n"
        f"Version: {version}\n"
        f"Architecture: {arch}\n"
        f"Maintainer: {MAINTAINER}\n"
        f"Installed-Size: {size_kb}\n"
        f"Depends: {', '.join(DEPENDS)}\n"
        f"Recommends: {', '.join(RECOMMENDS)}\n"
        "Section: misc\n"
        "Priority: optional\n"
        "Description: desk application for one-stop reception counters\n"
        " Logs incoming dossiers at a one-stop reception desk (bo phan mot cua),\n"
        " checks them against the procedure's required components, prints the\n"
        " receipt with a barcode and an appointment date, and synchronises with\n"
        " the central service when the network is available.\n",
        encoding="utf-8",
    )


def build_deb(bundle: Path, out_dir: Path, *, compression: str = "xz") -> Path:
    """Build `out_dir/onestop_<version>_<arch>.deb` from the one-folder `bundle`.

    xz gives the smallest package (release); gzip is several times faster (tests).
    """
    if not (bundle / PACKAGE).exists():
        raise SystemExit(f"{bundle / PACKAGE} is missing: run installer/build.py first")
    version, arch = app_version(), deb_arch()
    out_dir.mkdir(parents=True, exist_ok=True)
    deb = out_dir / f"{PACKAGE}_{version}_{arch}.deb"
    with tempfile.TemporaryDirectory(prefix="onestop-deb-") as tmp:
        root = Path(tmp) / "root"
        root.mkdir()
        stage(bundle, root, version, arch)
        subprocess.run(
            ["dpkg-deb", "--root-owner-group", f"-Z{compression}", "--build", str(root), str(deb)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return deb


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Build the .deb from the frozen bundle.")
    p.add_argument("--bundle", type=Path, default=ROOT / "dist" / PACKAGE)
    p.add_argument("--out", type=Path, default=ROOT / "dist")
    p.add_argument("--compression", default="xz", choices=("xz", "gzip", "zstd", "none"))
    args = p.parse_args(argv)
    deb = build_deb(args.bundle.resolve(), args.out.resolve(), compression=args.compression)
    print(f"package: {deb} ({deb.stat().st_size / 1_000_000:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
