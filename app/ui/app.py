"""Starting the desk window (a plain window until the counter UI lands)."""

from __future__ import annotations

import sys
from pathlib import Path


def run_gui(data_dir: Path, lang: str | None = None) -> int:
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    from app.services.bootstrap import open_desk

    app = QApplication.instance() or QApplication(sys.argv)
    ctx = open_desk(data_dir)
    window = QMainWindow()
    window.setWindowTitle("Một cửa — Bộ phận tiếp nhận và trả kết quả")
    window.setCentralWidget(QLabel(f"Dữ liệu: {data_dir}"))
    window.resize(900, 600)
    window.show()
    _ = ctx, lang
    return app.exec()
