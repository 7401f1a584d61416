"""The keystroke budget at the counter (issue 10): a complete maternity dossier after a
chip-ID scan in at most 20 keys beyond the data.

Everything goes through key events sent to whatever has the focus, as a keyboard would:
the procedure search, the wedge scanner's burst, the phone number, the checklist and F9.
Counted: every key for the procedure, moves, the checklist and Receive. Not counted: the
scanner's characters and the phone's digits (the data itself).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from app.models import Event
from app.services import actions
from tests.gui.conftest import type_text, wedge_scan
from tests.gui.test_scanner import QR

BUDGET = 20


class Keyboard:
    """Sends keys to the focused widget and counts the ones that are not data."""

    def __init__(self) -> None:
        self.counted = 0
        self.log: list[str] = []

    def focus(self):  # type: ignore[no-untyped-def]
        w = QApplication.focusWidget()
        assert w is not None, "nothing has the focus"
        return w

    def press(self, key: Qt.Key, label: str = "") -> None:
        QTest.keyClick(self.focus(), key)
        self.counted += 1
        self.log.append(label or Qt.Key(key).name)

    def type(self, text: str) -> None:
        """Typed by the officer and counted, key by key."""
        for ch in text:
            type_text(self.focus(), ch)
            self.counted += 1
            self.log.append(ch)

    def data(self, text: str) -> None:
        """The data itself (phone digits): typed, not counted."""
        type_text(self.focus(), text)

    def scan(self, text: str) -> None:
        """A keyboard-wedge scanner: the burst and its Enter, not counted."""
        wedge_scan(self.focus(), text)


def test_maternity_after_chip_scan_within_budget(qtbot, window, desk):
    it = window.intake
    qtbot.waitUntil(lambda: it.picker is not None, timeout=10_000)
    kb = Keyboard()
    assert QApplication.focusWidget() is it.proc_search

    kb.type("thai san")
    kb.press(Qt.Key.Key_Return)
    assert it.procedure is not None and it.procedure.code == "BHXH-C06"
    kb.scan(QR)
    assert it.full_name.text() == "Nguyễn Thị Lan" and it.id_number.text() == "001190012345"
    assert QApplication.focusWidget() is it.phone
    kb.data("0912345678")

    kb.press(Qt.Key.Key_F4)  # to the checklist
    assert QApplication.focusWidget() is it.rows[0].frame
    kb.press(Qt.Key.Key_Space)  # employer's list (01B-HSB) handed in: the route applies
    kb.press(Qt.Key.Key_Down)
    kb.press(Qt.Key.Key_K)  # the worker's own application (14-HSB) does not apply
    kb.press(Qt.Key.Key_Down)
    kb.press(Qt.Key.Key_Space)  # the child's birth certificate, certified copy
    assert it.result is not None and it.result.complete, it.state.text()

    with qtbot.waitSignal(it.submitted, timeout=10_000) as sig:
        kb.press(Qt.Key.Key_F9)
    result, outcome = sig.args
    assert outcome == "receive" and result.status == "received"
    assert kb.counted <= BUDGET, kb.log
    print(f"keystrokes beyond the data: {kb.counted} ({' '.join(kb.log)})")

    detail = actions.get_detail(desk, result.dossier_id)
    assert detail.applicant["phone"] == "0912345678"
    assert sorted(c.component_code for c in detail.components) == ["BHXH-C06-01", "BHXH-C06-03"]
    with desk.read() as s:
        payload = s.scalar(select(Event.payload).where(Event.dossier_id == result.dossier_id))
    assert payload["conditions"] == {
        "BHXH-C06-01": True, "BHXH-C06-02": False, "BHXH-C06-03": True,
    }


def test_the_same_procedure_again_is_one_key(qtbot, window):
    it = window.intake
    qtbot.waitUntil(lambda: it.picker is not None, timeout=10_000)
    it.last_code = "BHXH-C06"
    it.proc_search.setFocus()
    QTest.keyClick(it.proc_search, Qt.Key.Key_Return)
    assert it.procedure is not None and it.procedure.code == "BHXH-C06"
    assert QApplication.focusWidget() is it.full_name


def test_checklist_keys_change_kind_count_and_condition(qtbot, window):
    it = window.intake
    qtbot.waitUntil(lambda: it.picker is not None, timeout=10_000)
    it.select_procedure("BHXH-C06")
    row = it.rows[2]
    row.frame.setFocus()
    QTest.keyClick(row.frame, Qt.Key.Key_2)
    assert row.received.isChecked() and row.count.value() == 2
    assert row.applies is not None and row.applies.currentData() is True
    QTest.keyClick(row.frame, Qt.Key.Key_Left)
    assert row.kind.currentData() == "original"
    QTest.keyClick(row.frame, Qt.Key.Key_Backspace)
    assert row.applies.currentData() is None
    QTest.keyClick(row.frame, Qt.Key.Key_Space)
    assert not row.received.isChecked()
    QTest.keyClick(row.frame, Qt.Key.Key_Up)
    assert QApplication.focusWidget() is it.rows[1].frame
