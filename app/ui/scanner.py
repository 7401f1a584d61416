"""Barcode and QR scanners: keyboard-wedge bursts and virtual serial ports.

A wedge scanner "types" a whole code in a few milliseconds and ends with Enter; a person
types far slower. The detector watches key presses application-wide (any window of the app),
and when Enter ends a burst whose keys all came faster than `max_interval_ms` and the burst
is a chip-ID QR or a dossier code, it eats the Enter, puts the line edit back as it was
before the burst, and emits `scanned`. A fast typist's words, or a burst an input method
garbled, are never eaten: they stay typed (issue 10).

A scanner in virtual-COM mode sends bytes (UTF-8, so Vietnamese letters survive the input
method); `SerialScanReader` reads lines from any QIODevice, e.g. a QSerialPort.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QIODevice, QObject, Qt, Signal
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import QApplication, QLineEdit

from app.domain.dossier_code import normalise_scanned_code
from app.domain.identifiers import parse_chip_id_qr

MIN_SCAN_LENGTH = 6
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def is_scan(text: str) -> bool:
    """A burst the desk acts on: a chip-ID card's QR or a dossier code. Anything else a
    fast burst brings (a fast typist, a garbled scan) stays typed text (issue 10)."""
    if "|" in text:
        try:
            parse_chip_id_qr(text)
        except ValueError:
            return False
        return True
    return normalise_scanned_code(text) is not None


#: Keys that end a burst: a person editing or moving, never a scanner. Other keys without
#: text (modifiers, dead keys, an input method's odd event) neither end nor join a burst.
_BREAKS = {
    Qt.Key.Key_Tab, Qt.Key.Key_Backtab, Qt.Key.Key_Backspace, Qt.Key.Key_Delete,
    Qt.Key.Key_Escape, Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down,
    Qt.Key.Key_Home, Qt.Key.Key_End, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown,
}


class _Run:
    """Characters that came fast one after another, and the field as it was before them."""

    def __init__(self, widget: Any, now: float) -> None:
        self.chars: list[str] = []
        self.widget = widget
        self.before = (widget.text(), widget.cursorPosition()) if isinstance(
            widget, QLineEdit
        ) else None
        self.last = now

    @property
    def text(self) -> str:
        return "".join(self.chars)


class ScanDetector(QObject):
    """Install on the QApplication.

    Signals:
        scanned(str): a burst that is a chip-ID QR or a dossier code; its characters were
            taken back out of the field they landed in, exactly as the field was before.
        unparsed(str): a fast burst ending in Enter that is neither; left where it was typed.
    """

    scanned = Signal(str)
    unparsed = Signal(str)

    def __init__(
        self,
        max_interval_ms: int = 35,
        parent: QObject | None = None,
        clock: Any = time.monotonic,
        accept: Callable[[str], bool] = is_scan,
    ) -> None:
        super().__init__(parent)
        self.max_interval = max_interval_ms / 1000.0
        self.clock = clock
        self.accept = accept
        self.run: _Run | None = None
        self.previous: _Run | None = None  # the run before a stall, in case it was one scan
        self.enabled = True

    def reset(self) -> None:
        self.run = self.previous = None

    @property
    def buffer(self) -> list[str]:
        return self.run.chars if self.run is not None else []

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if not self.enabled or event.type() != QEvent.Type.KeyPress:
            return False
        # A key press reaches the filter once per object on its way (window, focus widget,
        # parents): count it at the focus widget only, or at the window when none has focus.
        fw = QApplication.focusWidget()
        if (fw is not None and obj is not fw) or (fw is None and not isinstance(obj, QWindow)):
            return False
        if isinstance(fw, QLineEdit) and fw.echoMode() != QLineEdit.EchoMode.Normal:
            return False  # a password is never a scan (and must never be taken back)
        now = self.clock()
        key = event.key()  # type: ignore[attr-defined]
        if key in _ENTER:
            return self._enter(now)
        text = event.text()  # type: ignore[attr-defined]
        if not text or not text.isprintable():
            code = getattr(key, "value", key)
            if key in _BREAKS or Qt.Key.Key_F1.value <= code <= Qt.Key.Key_F35.value:
                self.reset()
            return False
        if self.run is not None and now - self.run.last > self.max_interval:
            # A pause: a person typing, a new scan, or a scan that stalled once.
            self.previous = self.run if len(self.run.chars) >= MIN_SCAN_LENGTH else None
            self.run = None
        if self.run is None:
            self.run = _Run(fw, now)
        self.run.chars.append(text)
        self.run.last = now
        return False

    def _enter(self, now: float) -> bool:
        run, previous = self.run, self.previous
        self.reset()
        if run is None or now - run.last > self.max_interval * 3:
            return False
        candidates = []
        if previous is not None and previous.widget is run.widget:
            candidates.append((previous.text + run.text, previous))
        if len(run.chars) >= MIN_SCAN_LENGTH:
            candidates.append((run.text, run))
        for burst, start in candidates:
            if self.accept(burst):
                self._take_back(start, burst)
                self.scanned.emit(burst)
                return True
        if len(run.chars) >= MIN_SCAN_LENGTH:
            self.unparsed.emit(run.text)
        return False

    @staticmethod
    def _take_back(start: _Run, burst: str) -> None:
        """Put the field back as it was before the burst, only if the burst is what it has."""
        w = start.widget
        if not isinstance(w, QLineEdit) or start.before is None:
            return
        text, cursor = start.before
        if w.text() == text[:cursor] + burst + text[cursor:]:
            w.setText(text)
            w.setCursorPosition(cursor)


class SerialScanReader(QObject):
    """Lines from a serial scanner (CR and/or LF terminated), decoded as UTF-8.

    Signals:
        scanned(str): one scan.
        error(str): the port could not be opened or failed.
    """

    scanned = Signal(str)
    error = Signal(str)

    def __init__(self, device: QIODevice | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.device = device
        self._pending = b""
        if device is not None:
            device.readyRead.connect(self._read)

    def _read(self) -> None:
        assert self.device is not None
        self.feed(bytes(self.device.readAll().data()))

    def feed(self, data: bytes) -> None:
        self._pending += data
        while True:
            cut = [i for i in (self._pending.find(b"\r"), self._pending.find(b"\n")) if i >= 0]
            if not cut:
                return
            i = min(cut)
            line, self._pending = self._pending[:i], self._pending[i + 1 :]
            text = line.decode("utf-8", errors="replace").strip()
            if text:
                self.scanned.emit(text)

    @classmethod
    def open_port(
        cls, port_name: str, baud: int = 9600, parent: QObject | None = None
    ) -> SerialScanReader:
        """Open a QSerialPort (PySide6-Addons); the reader reports failures on `error`."""
        try:
            from PySide6.QtSerialPort import QSerialPort  # type: ignore[import-not-found]
        except ImportError:
            reader = cls(None, parent)
            reader.unavailable = True  # type: ignore[attr-defined]
            return reader
        port = QSerialPort(port_name)
        port.setBaudRate(baud)
        reader = cls(port, parent)
        port.setParent(reader)
        if not port.open(QIODevice.OpenModeFlag.ReadOnly):
            reader.unavailable = True  # type: ignore[attr-defined]
            reader.open_error = port.errorString()  # type: ignore[attr-defined]
        return reader


def serial_available() -> bool:
    try:
        import PySide6.QtSerialPort  # type: ignore[import-not-found]  # noqa: F401
    except ImportError:
        return False
    return True
