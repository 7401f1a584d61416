"""Scanners: a wedge burst opens a dossier, a person typing does not; chip-ID QR fills the
applicant (wedge and serial paths); garbled scans say what to change."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt

from app.ui.scanner import ScanDetector, SerialScanReader, serial_available
from tests.gui.conftest import receive, type_text, wedge_scan

QR = ("001190012345|171234567|Nguyễn Thị Lan|15031990|Nữ|"
      "Số 12 Kim Mã, Phường Ba Đình, Hà Nội|01072021")


def scan(widget, text):
    """A wedge scanner: every key within a few ms, then Enter."""
    wedge_scan(widget, text)


def test_burst_opens_dossier_from_any_field(qtbot, window):
    r = receive(window.ctx)
    field = window.intake.full_name
    field.setFocus()
    qtbot.waitUntil(lambda: field.hasFocus() or window.focusWidget() is field, timeout=2000)
    scan(field, r.code)
    qtbot.waitUntil(
        lambda: bool(window.open_views) and window.open_views[-1].detail is not None,
        timeout=10_000,
    )
    assert window.open_views[-1].detail.code == r.code
    assert field.text() == ""  # the burst was taken back out of the field


def test_person_typing_is_not_a_scan(qtbot):
    from PySide6.QtWidgets import QApplication, QLineEdit

    edit = QLineEdit()
    qtbot.addWidget(edit)
    edit.show()
    edit.setFocus()
    det = ScanDetector(35)
    QApplication.instance().installEventFilter(det)
    got = []
    det.scanned.connect(got.append)
    try:
        qtbot.waitUntil(lambda: QApplication.focusWidget() is edit, timeout=2000)
        type_text(edit, "000.00.31.H56-261117-0001", delay_ms=60)  # ~16 keys a second
        qtbot.keyClick(edit, Qt.Key.Key_Return)
        assert got == []
        assert edit.text() == "000.00.31.H56-261117-0001"
        edit.clear()
        type_text(edit, "000.00.31.H56-261117-0002")
        qtbot.keyClick(edit, Qt.Key.Key_Return)
        assert got == ["000.00.31.H56-261117-0002"]
        assert edit.text() == ""
    finally:
        QApplication.instance().removeEventFilter(det)


def test_chip_id_qr_by_wedge_fills_applicant(qtbot, window):
    window.tabs.setCurrentIndex(1)
    table = window.dossiers.table
    table.setFocus()
    qtbot.waitUntil(lambda: window.focusWidget() is table, timeout=2000)
    scan(table, QR)
    it = window.intake
    assert window.tabs.currentIndex() == 0
    assert it.full_name.text() == "Nguyễn Thị Lan"
    assert it.id_number.text() == "001190012345"
    assert it.date_of_birth.text() == "15/03/1990"
    assert it.sex.currentData() == "F"
    assert it.province.currentText() == "Hà Nội"
    assert it.commune.currentText() == "Phường Ba Đình"
    assert not any(e.isVisible() and e.text() for e in it.errors.values())


def test_garbled_scan_says_what_to_change(qtbot, window, fake_dialogs):
    window.handle_scan("001190012345171234567Nguyeenx Thij Lan15031990Nuwx")
    window.handle_scan("001190012345|x|Lan|99999999|Nữ|Hà Nội|01072021")
    kinds = [k for k, _t, _m in fake_dialogs.shown]
    assert kinds == ["error", "error"]
    assert all("bộ gõ tiếng Việt" in m for _k, _t, m in fake_dialogs.shown)


def test_unknown_code_is_reported(qtbot, window, fake_dialogs):
    window.handle_scan("000.00.31.H56-261117-9999")
    qtbot.waitUntil(lambda: bool(fake_dialogs.shown), timeout=5000)
    assert fake_dialogs.shown[-1][1] == "Không tìm thấy hồ sơ"


def test_serial_reader_lines_from_a_device(qtbot, window):
    """The serial path: bytes from a QIODevice (here a QBuffer standing in for QSerialPort),
    UTF-8 so Vietnamese survives, split on CR/LF, even across reads."""
    buf = QBuffer()
    buf.setData(QByteArray(QR.encode("utf-8")[:40]))
    buf.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = SerialScanReader(buf)
    reader.scanned.connect(window.handle_scan)
    reader._read()
    assert window.intake.full_name.text() == ""
    reader.feed(QR.encode("utf-8")[40:] + b"\r\n")
    assert window.intake.full_name.text() == "Nguyễn Thị Lan"


def test_serial_port_unavailable_is_reported():
    reader = SerialScanReader.open_port("/dev/does-not-exist")
    assert getattr(reader, "unavailable", False)
    assert serial_available() in (True, False)


class _Clock:
    """Scanner time: each key press moves it on by `step` seconds."""

    def __init__(self, step: float = 0.005) -> None:
        self.t = 100.0
        self.step = step

    def __call__(self) -> float:
        self.t += self.step
        return self.t


def _detector(qtbot, text=""):
    from PySide6.QtWidgets import QApplication, QLineEdit

    edit = QLineEdit(text)
    qtbot.addWidget(edit)
    edit.show()
    edit.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is edit, timeout=2000)
    clock = _Clock()
    det = ScanDetector(35, clock=clock)
    got, unparsed = [], []
    det.scanned.connect(got.append)
    det.unparsed.connect(unparsed.append)
    QApplication.instance().installEventFilter(det)
    return edit, det, clock, got, unparsed


def _remove(det):
    from PySide6.QtWidgets import QApplication

    QApplication.instance().removeEventFilter(det)


def test_fast_typist_is_never_eaten(qtbot):
    """Issue 10: a fast typist (≥ 6 characters under 35 ms each) lost the words to the
    scanner; a burst that is no code or chip-ID QR stays typed."""
    edit, det, _clock, got, unparsed = _detector(qtbot, "Ghi chú: ")
    try:
        type_text(edit, "nguyen van")
        qtbot.keyClick(edit, Qt.Key.Key_Return)
        assert got == [] and unparsed == ["nguyen van"]
        assert edit.text() == "Ghi chú: nguyen van"
    finally:
        _remove(det)


def test_burst_split_by_an_odd_key_event_is_one_scan(qtbot):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    edit, det, _clock, got, _ = _detector(qtbot, "abc")
    try:
        edit.setCursorPosition(1)
        type_text(edit, "000.00.31.H56-26")
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):  # e.g. an IME's empty key
            QApplication.sendEvent(edit, QKeyEvent(kind, Qt.Key.Key_unknown,
                                                   Qt.KeyboardModifier.NoModifier, ""))
        qtbot.keyClick(edit, Qt.Key.Key_Control)
        type_text(edit, "1117-0001")
        qtbot.keyClick(edit, Qt.Key.Key_Return)
        assert got == ["000.00.31.H56-261117-0001"]
        assert edit.text() == "abc" and edit.cursorPosition() == 1  # exactly as before
    finally:
        _remove(det)


def test_burst_that_stalled_once_is_still_one_scan(qtbot):
    edit, det, clock, got, _ = _detector(qtbot)
    try:
        type_text(edit, QR[:30])
        clock.t += 0.2  # the machine was busy for 200 ms mid-scan
        type_text(edit, QR[30:])
        qtbot.keyClick(edit, Qt.Key.Key_Return)
        assert got == [QR] and edit.text() == ""
    finally:
        _remove(det)


def test_garbled_burst_stays_typed_with_a_hint(qtbot, window):
    field = window.intake.full_name
    field.setFocus()
    qtbot.waitUntil(lambda: window.focusWidget() is field, timeout=2000)
    garbled = "001190012345171234567Nguyeenx Thij Lan15031990Nuwx"
    scan(field, garbled)
    assert field.text() == garbled
    assert "bộ gõ tiếng Việt" in window.statusBar().currentMessage()
    assert window.open_views == []
