"""GUI fixtures: a fake dialog provider (nothing blocks), per-test UI settings, a signed-in
main window over a real temporary desk database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings

from app.services.context import DeskContext
from app.services.setup import OfficerInfo, authenticate
from app.ui import dialogs as dialogs_mod
from app.ui import worker
from app.ui.settings import UiSettings


class FakeDialogs(dialogs_mod.Dialogs):
    """Answers at once and records what would have been shown."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, str, str]] = []
        self.answer = True
        self.exec_result = 1
        self.executed: list[Any] = []
        self.save_path = ""
        self.dir_path = ""
        self.printer_ok = True

    def info(self, parent: Any, title: str, text: str) -> None:
        self.shown.append(("info", title, text))

    def error(self, parent: Any, title: str, text: str) -> None:
        self.shown.append(("error", title, text))

    def ask(self, parent: Any, title: str, text: str) -> bool:
        self.shown.append(("ask", title, text))
        return self.answer

    def exec(self, dialog: Any) -> int:
        self.executed.append(dialog)
        return self.exec_result

    def save_file(self, parent: Any, title: str, suggested: str, filt: str) -> str:
        return self.save_path

    def choose_dir(self, parent: Any, title: str, start: str = "") -> str:
        return self.dir_path

    def choose_printer(self, parent: Any, printer: Any) -> bool:
        return self.printer_ok


@pytest.fixture(scope="session", autouse=True)
def _warm_holidays() -> None:
    """Import the holidays package once, up front: the first import after PySide6 is loaded
    goes through shiboken's import hook module by module (hundreds of country modules)."""
    import holidays

    holidays.country_holidays("VN", years=2026)


@pytest.fixture(autouse=True)
def fake_dialogs() -> Iterator[FakeDialogs]:
    fake = FakeDialogs()
    old = dialogs_mod.install(fake)
    yield fake
    dialogs_mod.install(old)
    worker.wait_idle(10_000)


@pytest.fixture
def ui_settings(tmp_path: Path) -> UiSettings:
    return UiSettings(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def officer(desk: DeskContext) -> OfficerInfo:
    o = authenticate(desk, "canbo1", "mat-khau-1")
    assert o is not None
    return o


@pytest.fixture
def window(qtbot: Any, desk: DeskContext, officer: OfficerInfo, ui_settings: UiSettings) -> Any:
    from app.ui.mainwindow import MainWindow

    w = MainWindow(desk, officer, ui_settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w.context_ready, timeout=10_000)  # desk identity, from the pool
    yield w
    w.close()
    worker.wait_idle(10_000)


#: Offscreen-platform chatter that says nothing about our code.
_IGNORED_QT_MESSAGES = (
    "This plugin does not support propagateSizeHints",
    "This plugin does not support raise",
    "This plugin does not support grabbing the keyboard",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/gui" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.qt_log_ignore(*_IGNORED_QT_MESSAGES))


def wedge_scan(widget: Any, text: str) -> None:
    """A keyboard-wedge scanner: the burst and its Enter, a millisecond apart by the window's
    scan detector's clock whatever the machine's load (a loaded CI machine can pause the
    test process for longer than the detector's 35 ms between two keys; a real scanner's
    keys are never that far apart)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    detector = getattr(widget.window(), "scanner", None)
    saved = detector.clock if detector is not None else None
    if detector is not None:
        ticks = iter(range(10**9))
        start = saved()
        detector.clock = lambda: start + next(ticks) / 1000.0
    try:
        type_text(widget, text)
        QTest.keyClick(widget, Qt.Key.Key_Return)
    finally:
        if detector is not None:
            detector.clock = saved


def type_text(widget: Any, text: str, delay_ms: int = 0) -> None:
    """Type `text` key by key (QTest.keyClicks asserts on non-ASCII such as "ễ")."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    for ch in text:
        key = ord(ch.upper()) if ch.isascii() and ch.isprintable() else 0
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget,
                QKeyEvent(kind, key or Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch),
            )
        if delay_ms:
            QTest.qWait(delay_ms)


def receive(ctx: Any, name: str = "Nguyễn Thị Lan", id_number: str = "001190012345",
            phone: str = "0912345678", outcome: str = "receive") -> Any:
    """One dossier through the real intake use case (BHXH-B02, both items handed in)."""
    from app.domain.applicant import Applicant
    from app.domain.completeness import HandedIn
    from app.services import intake

    items = (HandedIn("BHXH-B02-01", "original", 1), HandedIn("BHXH-B02-02", "photocopy", 1))
    if outcome == "supplement":
        items = items[:1]
    return intake.submit(ctx, intake.IntakeRequest(
        "BHXH-B02", Applicant(full_name=name, id_number=id_number, phone=phone), items=items,
        outcome=outcome, reason="Không thuộc thẩm quyền" if outcome == "refuse" else ""))
