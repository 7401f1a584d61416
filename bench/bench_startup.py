"""Start-up bench: process start → usable main window, against a bare PySide6 window.

Both run as fresh subprocesses, interleaved, `ONESTOP_BENCH_RUNS` times (default 7); the
median wall time of each is reported with the ratio. Target: app ≤ 1.5 × bare.

"Usable" means the desk database is open (migrated beforehand, as on every start after the
first), the main window with intake, list and status bar is shown and its first events are
processed. Sign-in is left out: it waits for a person (and argon2 is deliberately slow).

    uv run python bench/bench_startup.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE = """
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel
app = QApplication([])
w = QMainWindow()
w.setCentralWidget(QLabel("ready"))
w.resize(1280, 800)
w.show()
app.processEvents()
"""

APP = """
import sys
from pathlib import Path
from app.services.bootstrap import open_desk
from app.ui.app import make_application
ctx = open_desk(Path(sys.argv[1]))
app = make_application("vi")
from app.services.setup import list_officers
from app.ui.mainwindow import MainWindow
from PySide6.QtCore import QSettings
from app.ui.settings import UiSettings
w = MainWindow(ctx, list_officers(ctx)[0],
               UiSettings(QSettings(sys.argv[1] + "/ui.ini", QSettings.Format.IniFormat)))
w.show()
app.processEvents()
"""


def _prepare(folder: Path) -> None:
    from app.services.bootstrap import open_desk
    from app.services.setup import add_officer, setup_desk

    ctx = open_desk(folder)
    setup_desk(ctx, office_code="000.00.31.H56", office_name="BHXH Ba Đình", desk_name="Quầy 1")
    add_officer(ctx, username="admin", full_name="Quản trị", password="mat-khau-1",
                role="administrator")
    ctx.engine.dispose()


#: Byte-code cache for the children. An installed desk runs compiled modules (PyInstaller
#: bundles them; a wheel install compiles them), but this environment may set
#: PYTHONDONTWRITEBYTECODE, which would make every start re-compile SQLAlchemy & co. The
#: cache lives outside the source tree; the warm-up run fills it for both sides.
_PYCACHE = Path(tempfile.gettempdir()) / "onestop-bench-pycache"


def _time(code: str, *args: str) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               PYTHONPYCACHEPREFIX=str(_PYCACHE))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *args], check=True, env=env,
                   cwd=Path(__file__).resolve().parents[1], stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def run(runs: int | None = None) -> dict[str, float]:
    runs = runs or int(os.environ.get("ONESTOP_BENCH_RUNS", "7"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "desk"
        _prepare(folder)
        _time(BARE)  # warm the file cache for both
        _time(APP, str(folder))
        bare, app = [], []
        for _ in range(runs):
            bare.append(_time(BARE))
            app.append(_time(APP, str(folder)))
    result = {"bare_s": statistics.median(bare), "app_s": statistics.median(app)}
    result["ratio"] = result["app_s"] / result["bare_s"]
    return result


def main() -> int:
    r = run()
    print(f"bare PySide6 window : {r['bare_s'] * 1000:7.0f} ms (median)")
    print(f"onestop main window : {r['app_s'] * 1000:7.0f} ms (median)")
    print(f"ratio               : {r['ratio']:.2f}× (target ≤ 1.5×)")
    return 0 if r["ratio"] <= 1.5 else 1


if __name__ == "__main__":
    sys.exit(main())
