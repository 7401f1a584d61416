"""The printing warm-up's Qt types are made on the UI thread, before its worker starts.

Made by the worker, shiboken's lazy type creation ran while the UI thread built wrappers
for objects handed to the application-wide event filters (scanner, idle lock), and the
process crashed in shiboken's type lookup: tests/gui/test_reports.py died with SIGSEGV in
6 of 10 runs (gdb: BindingManager::findDerivedType under sendThroughApplicationEventFilters),
0 of 10 after. A fresh process, since the warm-up runs once per process."""

from __future__ import annotations

import os
import subprocess
import sys

PROBE = """
import sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
assert "PySide6.QtPdf" not in sys.modules, "imported before the warm-up"
from app.ui import printing
printing.warm_printing()
# The worker imports reportlab and the forms first (a tenth of a second and more): had the
# types been left to it, QtPdf would not be here yet.
print("PySide6.QtPdf" in sys.modules, "PySide6.QtPrintSupport" in sys.modules)
from app.ui import worker
worker.wait_idle(30_000)
"""


def test_warm_up_makes_its_qt_types_on_the_ui_thread() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, timeout=120
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["True", "True"], (out.stdout, out.stderr[-2000:])
