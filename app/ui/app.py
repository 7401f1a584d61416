"""Starting the desk window: QApplication, translations, first run or sign-in, main window.

Kept light at import time (the heavy screens load after the QApplication exists) so the
start-up bench stays close to a bare PySide6 window.
"""

from __future__ import annotations

import sys
from pathlib import Path

TRANSLATIONS = ("vi", "en")


def translations_dir() -> Path:
    from app.resources import resources_dir

    return resources_dir() / "translations"


def install_translator(app: object, lang: str) -> object | None:
    """Load `onestop_<lang>.qm` (built by `pyside6-lrelease`, or compiled here from the
    `.ts` when only the source is present). Vietnamese is the source language: no file."""
    from PySide6.QtCore import QTranslator

    if lang == "vi":
        return None
    folder = translations_dir()
    qm = folder / f"onestop_{lang}.qm"
    ts = folder / f"onestop_{lang}.ts"
    if ts.exists() and (not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime):
        compile_translations(folder)
    translator = QTranslator(app)  # type: ignore[arg-type]
    if qm.exists() and translator.load(str(qm)):
        app.installTranslator(translator)  # type: ignore[attr-defined]
        return translator
    return None


def compile_translations(folder: Path) -> None:
    """`.ts` → `.qm` with the lrelease that ships with PySide6 (no-op when it is missing)."""
    import subprocess

    for ts in folder.glob("onestop_*.ts"):
        try:
            subprocess.run(
                ["pyside6-lrelease", "-silent", str(ts), "-qm", str(ts.with_suffix(".qm"))],
                check=False,
                timeout=60,
                capture_output=True,
            )
        except (OSError, subprocess.SubprocessError):
            return


def make_application(lang: str = "vi"):  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QApplication

    from app.domain.messages import set_language

    app = QApplication.instance() or QApplication(sys.argv)
    app.setOrganizationName("onestop")
    app.setApplicationName("onestop")
    set_language(lang)
    install_translator(app, lang)
    font = QFont(app.font())
    if font.pointSize() < 11:
        font.setPointSize(11)  # readable at the counter
        app.setFont(font)
    return app


def start(data_dir: Path, lang: str | None = None, *, exit_after_ms: int | None = None):  # type: ignore[no-untyped-def]
    """Open the desk; returns (app, main window or None when the officer gave up)."""
    from app.services.bootstrap import open_desk
    from app.services.ui_support import read_settings

    ctx = open_desk(data_dir)
    if lang is None:
        lang = read_settings(ctx, "ui.language")["ui.language"] or "vi"
    app = make_application(lang)
    if exit_after_ms:
        from PySide6.QtCore import QTimer

        # exit(), not quit(): quit() is ignored until app.exec() runs, and exit() also ends
        # the modal first-run and sign-in dialogs' own event loops.
        QTimer.singleShot(exit_after_ms, lambda: app.exit(0))
    from app.ui.dialogs import dialogs
    from app.ui.firstrun import FirstRunDialog, needs_first_run
    from app.ui.mainwindow import MainWindow
    from app.ui.signin import SignInDialog

    if needs_first_run(ctx) and not dialogs().exec(FirstRunDialog(ctx)):
        return app, None
    signin = SignInDialog(ctx)
    if not dialogs().exec(signin) or signin.officer is None:
        return app, None
    window = MainWindow(ctx, signin.officer)
    window.show()
    # Load the working-day calendar (and the holidays package) now, in the background, so
    # the first Receive does not wait for it.
    from app.ui import worker
    from app.ui.common import today_local

    worker.run(lambda: ui_support_nth(ctx, today_local()), None, lambda exc: None)
    worker.settle_memory()
    return app, window


def ui_support_nth(ctx, today):  # type: ignore[no-untyped-def]
    from app.services.ui_support import nth_working_day

    return nth_working_day(ctx, today, 2)


def run_gui(data_dir: Path, lang: str | None = None) -> int:
    import os

    data_dir.mkdir(parents=True, exist_ok=True)
    # ONESTOP_EXIT_AFTER_MS (or ONESTOP_SMOKE_EXIT_MS): smoke tests of the frozen app.
    exit_ms = os.environ.get("ONESTOP_EXIT_AFTER_MS") or os.environ.get("ONESTOP_SMOKE_EXIT_MS")
    app, window = start(data_dir, lang, exit_after_ms=int(exit_ms) if exit_ms else None)
    if window is None:
        return 0
    return int(app.exec())
