"""Starting the desk window: QApplication, translations, first run or sign-in, main window.

Kept light at import time (the heavy screens load after the QApplication exists) so the
start-up bench stays close to a bare PySide6 window.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import cast

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

    app = cast(QApplication, QApplication.instance() or QApplication(sys.argv))
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
    from app.services.bootstrap import DatabaseProblem, open_desk
    from app.services.ui_support import read_settings

    try:
        ctx = open_desk(data_dir)
    except DatabaseProblem as exc:
        # Named, never hidden: a screen with the problem and the ways out; nothing is
        # overwritten, and the desk starts only once a good database is in place.
        app = make_application(lang or "vi")
        from app.ui.backup import DatabaseProblemDialog
        from app.ui.dialogs import dialogs

        problem = DatabaseProblemDialog(data_dir, exc.info)
        if not dialogs().exec(problem) or not problem.restored:
            return app, None
        ctx = open_desk(data_dir)
    if lang is None:
        lang = read_settings(ctx, "ui.language")["ui.language"] or "vi"
    app = make_application(lang)
    if exit_after_ms:
        from PySide6.QtCore import QTimer

        # exit(), not quit(): quit() is ignored until app.exec() runs, and exit() also ends
        # the modal first-run and sign-in dialogs' own event loops.
        QTimer.singleShot(exit_after_ms, lambda: app.exit(0))
    from app.services.setup import needs_first_run
    from app.ui.dialogs import dialogs
    from app.ui.firstrun import FirstRunDialog
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


def quick_language(data_dir: Path) -> str:
    """The screens' language straight from the desk file (stdlib sqlite3, read-only), so the
    sign-in window can show before SQLAlchemy is even imported; "vi" when unknown."""
    import sqlite3

    from app.config import DB_FILENAME

    path = data_dir / DB_FILENAME
    if not path.is_file():
        return "vi"
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.5)
        try:
            row = con.execute("SELECT value FROM settings WHERE key = 'ui.language'").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return "vi"
    return row[0] if row and row[0] in TRANSLATIONS else "vi"


class _FirstFrame:
    """Calls `then()` once, right after `widget` has painted for the first time."""

    def __init__(self, widget, then) -> None:  # type: ignore[no-untyped-def]
        from PySide6.QtCore import QEvent, QObject, QTimer

        class Filter(QObject):
            def eventFilter(self, obj, event):  # type: ignore[no-untyped-def]
                if event.type() == QEvent.Type.Paint:
                    widget.removeEventFilter(self)
                    QTimer.singleShot(0, then)  # after this paint is on screen
                return False

        self.filter = Filter(widget)
        widget.installEventFilter(self.filter)


def _bench_mark(name: str) -> None:
    """ONESTOP_BENCH_MARKS=<file>: bench/bench_startup.py's clock marks (wall time)."""
    import os
    import time

    path = os.environ.get("ONESTOP_BENCH_MARKS")
    if path:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"{name} {time.time():.6f}\n")
        if os.environ.get("ONESTOP_BENCH_EXIT_AT") == name:
            os._exit(0)  # the bench has what it measures; skip the teardown


def _open_in_background(data_dir: Path):  # type: ignore[no-untyped-def]
    """Runs on the worker pool: open (and if need be migrate) the desk and read what the
    sign-in window shows."""
    from app.services import setup
    from app.services.bootstrap import open_desk

    ctx = open_desk(data_dir)
    return ctx, setup.desk_identity(ctx), setup.needs_first_run(ctx)


class Startup:
    """The window first, then everything else (issue 10: start-up was 5× a bare window).

    The sign-in window is shown before the database, SQLAlchemy, the catalogue or the
    main window are loaded; once its first frame is painted the desk opens on the worker
    pool, and the sign-in button turns on when it is ready (Enter pressed earlier is
    kept). After sign-in the main window shows and the printing path (fonts, PDF and QtPdf
    renderers, the printer list) warms up in the background, so the first receipt
    preview is as quick as the later ones.
    """

    def __init__(self, app, data_dir: Path, after_first_frame=None) -> None:  # type: ignore[no-untyped-def]
        self.app = app
        self.data_dir = data_dir
        self.after_first_frame = after_first_frame
        self.ctx = None
        self.window = None

    def begin(self) -> None:
        from app.ui.signin import SignInDialog

        self.signin = SignInDialog(None)
        self.signin.accepted.connect(self._signed_in)
        self.signin.rejected.connect(self._gave_up)
        self._frame = _FirstFrame(self.signin, self._first_frame)
        self.signin.show()

    def _first_frame(self) -> None:
        from app.ui import worker

        _bench_mark("signin_painted")
        if self.after_first_frame is not None:
            then, self.after_first_frame = self.after_first_frame, None
            then()
        data_dir = self.data_dir
        worker.run(lambda: _open_in_background(data_dir), self._opened, self._failed)

    def _opened(self, result) -> None:  # type: ignore[no-untyped-def]
        ctx, desk, first_run = result
        self.ctx = ctx
        if first_run:
            from app.services import setup
            from app.ui import worker
            from app.ui.dialogs import dialogs
            from app.ui.firstrun import FirstRunDialog

            self.signin.hide()
            if not dialogs().exec(FirstRunDialog(ctx)):
                self.app.exit(0)
                return
            self.signin.show()
            worker.run(lambda: setup.desk_identity(ctx), lambda d: self._ready(ctx, d))
            return
        self._ready(ctx, desk)

    def _ready(self, ctx, desk) -> None:  # type: ignore[no-untyped-def]
        self.signin.set_context(ctx, desk)
        _bench_mark("signin_ready")
        warm_before_sign_in(ctx)

    def _failed(self, exc: BaseException) -> None:
        from PySide6.QtCore import QCoreApplication

        from app.services.bootstrap import DatabaseProblem
        from app.ui.dialogs import dialogs

        if isinstance(exc, DatabaseProblem):
            # Named, never hidden: the problem and the ways out; nothing is overwritten,
            # and the desk opens only once a good database is in place.
            from app.ui.backup import DatabaseProblemDialog

            self.signin.hide()
            self.problem = DatabaseProblemDialog(self.data_dir, exc.info)
            if dialogs().exec(self.problem) and self.problem.restored:
                self.signin.show()
                self._first_frame()
            else:
                self.app.exit(5)
            return

        dialogs().error(
            self.signin,
            QCoreApplication.translate("Startup", "Không mở được dữ liệu của quầy"),
            f"{type(exc).__name__}: {exc}"[:500],
        )
        self.app.exit(1)

    def _gave_up(self) -> None:
        if self.window is None:
            self.app.exit(0)

    def _signed_in(self) -> None:
        from app.ui.mainwindow import MainWindow

        assert self.ctx is not None and self.signin.officer is not None
        self.window = MainWindow(self.ctx, self.signin.officer)
        self._main_frame = _FirstFrame(self.window, self._main_painted)
        self.window.show()

    def _main_painted(self) -> None:
        from app.ui.printing import keep_spare

        _bench_mark("main_painted")
        warm_up(self.ctx)
        if self.window is not None:
            keep_spare(self.window)  # the first receipt's preview, built before it is needed


def warm_before_sign_in(ctx) -> None:  # type: ignore[no-untyped-def]
    """While the officer types a name and password, in the background, load what reads
    nothing private and writes nothing: the working-day calendar (and holidays), the PDF
    stack with its fonts, barcodes and QtPdf, the forms' modules and the printer list.
    Issue 10: the first Receive after sign-in paid for these (1.6 s)."""
    from app.ui import worker
    from app.ui.common import today_local
    from app.ui.printing import warm_printing

    worker.run(lambda: ui_support_nth(ctx, today_local()), None, lambda exc: None)
    warm_printing()


def warm_up(ctx) -> None:  # type: ignore[no-untyped-def]
    """After sign-in, in the background: one intake rolled back (its statements compiled),
    the receipt of that very dossier rendered once its lock is released, and the
    citizen's-earlier-dossiers query. The officer fills in the form meanwhile; nothing
    here waits on them or they on it."""
    from app.ui import worker

    def services() -> None:
        from app.services import documents, intake, search

        # The receipt is read from the rolled-back intake's own dossier (a desk with no
        # dossier yet is warmed like any other) and rendered once the lock is released.
        data = intake.warm_up(ctx, documents.receipt_data)
        search.earlier_dossiers(ctx, "001090000001")  # what Receive asks first
        if data is not None:
            documents.render_receipt_data(data)

    worker.run(services, None, lambda exc: None)
    worker.settle_memory()


def run_gui(
    data_dir: Path, lang: str | None = None, after_first_frame: Callable[[], None] | None = None
) -> int:
    """The desk's window; `after_first_frame` runs once the sign-in window is on screen
    (the CLI opens its log file there, off the path to the first frame)."""
    import os

    data_dir.mkdir(parents=True, exist_ok=True)
    app = make_application(lang or quick_language(data_dir))
    # ONESTOP_EXIT_AFTER_MS (or ONESTOP_SMOKE_EXIT_MS): smoke tests of the frozen app.
    exit_ms = os.environ.get("ONESTOP_EXIT_AFTER_MS") or os.environ.get("ONESTOP_SMOKE_EXIT_MS")
    if exit_ms:
        from PySide6.QtCore import QTimer

        # exit(), not quit(): quit() is ignored until app.exec() runs, and exit() also ends
        # the modal first-run dialog's own event loop.
        QTimer.singleShot(int(exit_ms), lambda: app.exit(0))
    startup = Startup(app, data_dir, after_first_frame)
    startup.begin()
    code = int(app.exec())
    from app.ui import worker

    worker.wait_idle(30_000)  # a desk still opening finishes before the process ends
    return code
