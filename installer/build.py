"""Build the desk app as a PyInstaller one-folder bundle: `uv run python installer/build.py`.

Output: `dist/onestop/` (the `onestop` executable, and on Windows `onestopw.exe` for the
shortcuts, with everything else under `dist/onestop/_internal/`: Qt plugins, `resources/`,
the Alembic migrations). `--deb` then packages it as `dist/onestop_<version>_<arch>.deb`.
Prints the build time and the bundle size. PyInstaller does not cross-compile: build the
Windows payload on Windows (docs/installer.md).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "installer" / "onestop.spec"


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def human(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


def make_windows_icon(out: Path) -> Path | None:
    """Draw the app icon as .ico for the Windows executables (Pillow comes with reportlab)."""
    try:
        from PIL import Image, ImageDraw
    except ImportError:
        return None
    img = Image.new("RGBA", (256, 256), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((8, 8, 248, 248), radius=40, fill=(200, 16, 46, 255))
    d.rounded_rectangle((56, 48, 200, 208), radius=12, fill=(255, 255, 255, 255))
    for y in (88, 120, 152):
        d.rectangle((80, y, 176, y + 10), fill=(200, 16, 46, 255))
    d.ellipse((150, 150, 214, 214), fill=(255, 205, 0, 255))
    out.parent.mkdir(parents=True, exist_ok=True)
    img.save(out, sizes=[(16, 16), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])
    return out


def build(dist: Path, work: Path, *, clean: bool = False) -> Path:
    """Run PyInstaller on installer/onestop.spec; return the bundle folder."""
    import PyInstaller.__main__

    if sys.platform == "win32":
        make_windows_icon(ROOT / "build" / "icon" / "onestop.ico")
    args = [str(SPEC), "--noconfirm", "--distpath", str(dist), "--workpath", str(work)]
    if clean:
        args.append("--clean")
    # Quieter output; PyInstaller's own warnings still show.
    args += ["--log-level", os.environ.get("ONESTOP_PYI_LOG", "WARN")]
    PyInstaller.__main__.run(args)
    bundle = dist / "onestop"
    exe = bundle / ("onestop.exe" if sys.platform == "win32" else "onestop")
    if not exe.exists():
        raise SystemExit(f"build failed: {exe} is missing")
    return bundle


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder")
    p.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller")
    p.add_argument("--clean", action="store_true", help="empty PyInstaller's cache first")
    p.add_argument("--deb", action="store_true", help="also build the .deb (Linux)")
    args = p.parse_args(argv)

    start = time.monotonic()
    bundle = build(args.dist.resolve(), args.work.resolve(), clean=args.clean)
    took = time.monotonic() - start
    print(f"frozen app: {bundle}")
    print(f"build time: {took:.0f} s")
    print(f"bundle size: {human(folder_size(bundle))}")
    if args.deb:
        sys.path.insert(0, str(ROOT / "installer" / "linux"))
        from build_deb import build_deb

        deb = build_deb(bundle, args.dist.resolve())
        print(f"package: {deb} ({human(deb.stat().st_size)})")
    shutil.rmtree(ROOT / "build" / "icon", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
