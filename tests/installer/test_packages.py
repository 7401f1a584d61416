"""The .deb installs into a temporary root with a valid desktop entry; the NSIS script compiles."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def deb(frozen_app: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("dpkg-deb") is None:
        pytest.skip("dpkg-deb is missing (Debian package: dpkg)")
    sys.path.insert(0, str(ROOT / "installer" / "linux"))
    try:
        from build_deb import build_deb
    finally:
        sys.path.remove(str(ROOT / "installer" / "linux"))
    # Uncompressed: the release build uses xz, which takes minutes on a small machine.
    return build_deb(frozen_app, tmp_path_factory.mktemp("deb"), compression="none")


def test_deb_control(deb: Path) -> None:
    from app import __version__

    out = subprocess.run(
        ["dpkg-deb", "--info", str(deb)], check=True, capture_output=True, text=True
    ).stdout
    assert "Package: onestop" in out
    assert f"Version: {__version__}" in out
    for lib in ("libegl1", "libxkbcommon0", "libfontconfig1", "libdbus-1-3", "libgl1"):
        assert lib in out


def test_deb_installs_into_temporary_root(deb: Path, tmp_path: Path) -> None:
    root = tmp_path / "root"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    exe = root / "opt" / "onestop" / "onestop"
    assert exe.is_file() and os.access(exe, os.X_OK)
    assert (root / "opt/onestop/_internal/resources/catalogue/vss.json").is_file()
    wrapper = root / "usr" / "bin" / "onestop"
    assert os.access(wrapper, os.X_OK)
    assert "/opt/onestop/onestop" in wrapper.read_text()
    desktop = root / "usr/share/applications/onestop.desktop"
    assert desktop.is_file()
    assert (root / "usr/share/icons/hicolor/scalable/apps/onestop.svg").is_file()
    if shutil.which("desktop-file-validate") is None:
        pytest.skip("desktop-file-validate is missing (Debian package: desktop-file-utils)")
    r = subprocess.run(["desktop-file-validate", str(desktop)], capture_output=True, text=True)
    assert r.returncode == 0 and not r.stdout.strip(), r.stdout + r.stderr
    # The installed program runs from its new place.
    r = subprocess.run(
        [str(exe), "--version"],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=60,
    )
    assert r.returncode == 0 and r.stdout.startswith("onestop "), r.stderr


def test_nsis_script_compiles(frozen_app: Path, tmp_path: Path) -> None:
    makensis = shutil.which("makensis")
    if makensis is None:
        pytest.skip("makensis is missing (Debian package: nsis)")
    from app import __version__

    out = tmp_path / "onestop-setup-test.exe"
    r = subprocess.run(
        [
            makensis,
            "-V2",
            "-WX",  # a warning is an error
            "-DNOCOMPRESS",
            f"-DVERSION={__version__}",
            f"-DPAYLOAD={frozen_app}",
            f"-DOUTFILE={out}",
            str(ROOT / "installer" / "windows" / "onestop.nsi"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert out.stat().st_size > 10_000_000  # the payload is inside
    assert out.read_bytes()[:2] == b"MZ"
