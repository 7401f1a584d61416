"""Barcode and QR scanners: keyboard-wedge bursts and virtual serial ports.

A wedge scanner "types" a whole code in a few milliseconds and ends with Enter; a person
types far slower. The detector watches key presses application-wide (any window of the app),
and when Enter ends a burst whose keys all came faster than `max_interval_ms`, it eats the
Enter, takes the burst back out of the line edit it landed in, and emits `scanned`.

A scanner in virtual-COM mode sends bytes (UTF-8, so Vietnamese letters survive the input
method); `SerialScanReader` reads lines from any QIODevice, e.g. a QSerialPort.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QEvent, QIODevice, QObject, Qt, Signal
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import QApplication, QLineEdit

MIN_SCAN_LENGTH = 6
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class ScanDetector(QObject):
    """Install on the QApplication. Signals: scanned(str)."""

    scanned = Signal(str)

    def __init__(
        self, max_interval_ms: int = 35, parent: QObject | None = None, clock: Any = time.monotonic
    ) -> None:
        super().__init__(parent)
        self.max_interval = max_interval_ms / 1000.0
        self.clock = clock
        self.buffer: list[str] = []
        self.last = 0.0
        self.enabled = True

    def reset(self) -> None:
        self.buffer = []

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
            burst = "".join(self.buffer)
            self.buffer = []
            if len(burst) >= MIN_SCAN_LENGTH and now - self.last <= self.max_interval * 3:
                self._take_back(burst)
                self.scanned.emit(burst)
                return True
            return False
        text = event.text()  # type: ignore[attr-defined]
        if not text or not text.isprintable():
            if key not in (Qt.Key.Key_Shift, Qt.Key.Key_AltGr):
                self.buffer = []
            return False
        if self.buffer and now - self.last > self.max_interval:
            self.buffer = []  # a pause: this is a person (or a new scan)
        self.buffer.append(text)
        self.last = now
        return False

    @staticmethod
    def _take_back(burst: str) -> None:
        w = QApplication.focusWidget()
        if isinstance(w, QLineEdit):
            text = w.text()
            if text.endswith(burst):
                w.setText(text[: -len(burst)])


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
