"""Issue 10: service calls run on the worker pool, not the UI thread (seen at run time, the
static check is tests/unit/test_ui_off_thread.py); a window closed before its answer came
back gets no answer."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QLabel

from app.services import actions, catalogue_service, setup, ui_support
from app.ui import dossier_list, worker
from tests.conftest import make_admin
from tests.gui.conftest import receive


@pytest.fixture
def seen(monkeypatch):
    """Record, for chosen service functions, whether each call ran on the UI thread."""
    calls: list[tuple[str, bool]] = []

    def spy(module, name):
        real = getattr(module, name)

        def wrapped(*a, **k):
            calls.append((name, threading.current_thread() is threading.main_thread()))
            return real(*a, **k)

        monkeypatch.setattr(module, name, wrapped)

    for module, name in (
        (setup, "list_officers"),
        (setup, "add_officer"),
        (setup, "desk_identity"),
        (actions, "get_detail"),
        (catalogue_service, "get_procedure"),
        (dossier_list, "list_procedures"),  # imported there by name
        (ui_support, "nth_working_day"),
        (ui_support, "read_settings"),
    ):
        spy(module, name)
    return calls


def test_officers_dialog_and_argon2_run_off_the_ui_thread(qtbot, desk, seen):
    from app.ui.officers import OfficersDialog

    desk.officer_id = make_admin(desk).id
    dlg = OfficersDialog(desk)
    qtbot.addWidget(dlg)
    qtbot.waitUntil(lambda: dlg.model.rowCount() == 2, timeout=10_000)
    dlg.username.setText("canbo7")
    dlg.full_name.setText("Lý Thị Bảy")
    dlg.password.setText("mat-khau-7")
    dlg.add()
    assert not dlg.action_buttons[0].isEnabled()  # one click, one call, while it hashes
    qtbot.waitUntil(lambda: dlg.model.rowCount() == 3, timeout=10_000)
    assert ("add_officer", False) in seen
    assert ("list_officers", False) in seen
    assert not [c for c in seen if c[1]], seen


def test_dossier_view_and_list_load_off_the_ui_thread(qtbot, desk, seen):
    from app.ui.dossier_list import DossierListWidget
    from app.ui.dossier_view import DossierView

    r = receive(desk)
    seen.clear()
    v = DossierView(desk, r.dossier_id)
    qtbot.addWidget(v)
    assert v.detail is None  # nothing read on the UI thread while the window opens
    qtbot.waitUntil(lambda: v.detail is not None, timeout=10_000)
    assert v.procedure is not None and v.next_working_day is not None
    w = DossierListWidget(desk)
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: w.procedure.count() > 1, timeout=10_000)
    names = {n for n, _ in seen}
    assert {"get_detail", "get_procedure", "desk_identity", "list_procedures"} <= names
    assert not [c for c in seen if c[1]], seen


def test_main_window_reads_its_desk_off_the_ui_thread(qtbot, desk, officer, ui_settings, seen):
    from app.ui.mainwindow import MainWindow

    w = MainWindow(desk, officer, ui_settings)
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: w.context_ready, timeout=10_000)
    assert "Quầy 1" in w.desk_label.text()
    w.edit_settings()  # the settings dialog reads the stored language on the pool
    worker.wait_idle(10_000)
    qtbot.wait(50)
    w.close()
    assert ("desk_identity", False) in seen and ("read_settings", False) in seen
    assert not [c for c in seen if c[1]], seen


def test_a_closed_window_gets_no_answer(qtbot):
    import shiboken6

    got: list[object] = []

    class Owner(QLabel):
        def answer(self, value: object) -> None:
            got.append(value)

    owner = Owner()
    worker.run(lambda: 1, owner.answer)
    shiboken6.delete(owner)  # closed and gone before the answer comes back
    worker.wait_idle(5000)
    qtbot.wait(100)
    assert got == []  # before: RuntimeError "Internal C++ object already deleted"
    alive = Owner()
    qtbot.addWidget(alive)
    worker.run(lambda: 2, alive.answer)
    qtbot.waitUntil(lambda: got == [2], timeout=5000)
