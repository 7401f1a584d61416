"""The lock locks: it covers the whole window, only a password gets past it, and the idle
lock always comes back. Sign-in throttling and the forced change after a reset."""

from __future__ import annotations

import contextlib
from datetime import timedelta

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from app.services import setup
from app.ui.signin import SignInDialog
from tests.conftest import make_admin
from tests.gui.conftest import receive


def _visible_texts(root: QWidget) -> str:
    """Every text a person could read in the window right now."""
    from PySide6.QtWidgets import QAbstractItemView, QLabel, QLineEdit

    out = []
    for w in root.findChildren(QWidget):
        if not w.isVisibleTo(root) or not w.isVisible():
            continue
        if isinstance(w, QLabel | QLineEdit):
            out.append(w.text())
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            m = w.model()
            out += [
                str(m.index(r, c).data())
                for r in range(m.rowCount())
                for c in range(m.columnCount())
            ]
    return "\n".join(out)


def _unlock(qtbot, window, password="mat-khau-1"):
    window.lock_screen.password.setText(password)
    window.lock_screen.form.try_sign_in()
    qtbot.waitUntil(lambda: not window.locked, timeout=10_000)


def test_lock_hides_citizen_data_and_other_windows(qtbot, window, desk):
    receive(desk, name="Nguyễn Thị Lan")
    window.find()
    window.dossiers.apply_filter()
    qtbot.waitUntil(lambda: window.dossiers.model.rowCount() == 1, timeout=10_000)
    window.show_dossier(window.dossiers.model.rows[0].id)
    view = window.open_views[-1]
    qtbot.waitUntil(lambda: "Nguyễn Thị Lan" in _visible_texts(view), timeout=10_000)
    assert "Nguyễn Thị Lan" in _visible_texts(window)
    window.lock()
    assert "Nguyễn Thị Lan" not in _visible_texts(window)
    assert not window.tabs.isVisible() and window.lock_screen.isVisible()
    assert not view.isVisible()
    assert not window.menuBar().isVisible()
    assert not window.find_action.isEnabled() and not window.quit_action.isEnabled()
    window.grab().save(str(desk.data_dir / "locked.png"))
    _unlock(qtbot, window)
    assert window.tabs.isVisible() and view.isVisible() and window.find_action.isEnabled()


def test_lock_survives_close_escape_and_alt_f4(qtbot, window):
    window.lock()
    # Title-bar X and Alt+F4 both arrive as a close event.
    ev = QCloseEvent()
    QApplication.sendEvent(window, ev)
    assert not ev.isAccepted()
    assert not window.close()
    assert window.isVisible() and window.locked
    ls = window.lock_screen
    assert not ls.close() and ls.isVisible()
    qtbot.keyClick(ls.password, Qt.Key.Key_Escape)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.keyClick(window, Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier)
    QApplication.sendEvent(
        window, QKeyEvent(QEvent.Type.ShortcutOverride, Qt.Key.Key_Q,
                          Qt.KeyboardModifier.ControlModifier)
    )
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    window.quit_action.trigger()  # disabled: does nothing
    assert window.isVisible() and window.locked and ls.isVisible()
    assert not window.tabs.isVisible()
    # Ctrl+L while locked does not stack a second lock.
    window.lock()
    _unlock(qtbot, window)
    assert window.tabs.isVisible()


def test_wrong_officer_cannot_unlock_but_supervisor_can(qtbot, window, desk):
    admin = make_admin(desk)
    setup.add_officer(desk, username="canbo2", full_name="Phạm Thị Hoa", password="mat-khau-2",
                      actor_id=admin.id)
    setup.add_officer(desk, username="giamsat", full_name="Trần Thu Hà", password="mat-khau-gs",
                      role="supervisor", actor_id=admin.id)
    window.lock()
    ls = window.lock_screen
    ls.username.setText("canbo2")
    ls.password.setText("mat-khau-2")
    ls.form.try_sign_in()
    qtbot.waitUntil(lambda: "Chỉ cán bộ" in ls.error.text(), timeout=10_000)
    assert window.locked
    ls.username.setText("giamsat")
    ls.password.setText("mat-khau-gs")
    ls.form.try_sign_in()
    qtbot.waitUntil(lambda: not window.locked, timeout=10_000)
    assert window.officer.username == "giamsat"


def test_idle_lock_returns_after_every_unlock(qtbot, window, fake_dialogs):
    for _ in range(2):
        window.lock_timer.start(30)
        qtbot.waitUntil(lambda: window.locked, timeout=3000)
        _unlock(qtbot, window)
        assert window.lock_timer.isActive()  # counting again
    # A lock time saved in the settings dialog applies at once and from every input on.
    for minutes in (0, 5):
        window.edit_settings()
        dialog = fake_dialogs.executed[-1]
        qtbot.waitUntil(dialog.lock.isEnabled, timeout=10_000)  # the stored time arrived
        dialog.lock.setValue(minutes)
        dialog.save()
        qtbot.keyClick(window.intake.proc_search, Qt.Key.Key_A)
        assert window.lock_timer.isActive() == (minutes > 0)
    assert window.lock_timer.remainingTime() > 4 * 60_000


def test_one_idle_lock_time_and_the_old_per_user_one_carried_into_it(
    qtbot, desk, officer, ui_settings
):
    """The lock time is the desk's setting (security.idle_lock_minutes), read by the window
    and written by the settings dialog; a lock time an older version kept per user in
    QSettings ('lock_minutes') is carried into it once, and never over a desk's own."""
    from app.services.ui_support import read_settings, write_setting
    from app.ui.mainwindow import MainWindow

    ui_settings.store.setValue("lock_minutes", 3)
    w = MainWindow(desk, officer, ui_settings)
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: w.context_ready, timeout=10_000)  # read on the pool
    assert read_settings(desk, "security.idle_lock_minutes")["security.idle_lock_minutes"] == "3"
    assert not ui_settings.store.contains("lock_minutes")
    assert w.idle_minutes == 3 and w.lock_timer.isActive() and w.lock_timer.interval() == 180_000
    w.close()
    # The desk's own value wins over a stale per-user one (another Windows user).
    write_setting(desk, "security.idle_lock_minutes", "7")
    ui_settings.store.setValue("lock_minutes", 1)
    w2 = MainWindow(desk, officer, ui_settings)
    qtbot.addWidget(w2)
    qtbot.waitUntil(lambda: w2.context_ready, timeout=10_000)  # read on the pool
    assert w2.idle_minutes == 7 and not ui_settings.store.contains("lock_minutes")
    w2.close()
    # A value out of range in the database reads as the default, never as "never".
    write_setting(desk, "security.idle_lock_minutes", "-1")
    w3 = MainWindow(desk, officer, ui_settings)
    qtbot.addWidget(w3)
    qtbot.waitUntil(lambda: w3.context_ready, timeout=10_000)  # read on the pool
    assert w3.idle_minutes == 10
    w3.close()


def test_sign_in_throttles_repeated_wrong_passwords(qtbot, desk, clock):
    for _ in range(setup.FREE_ATTEMPTS):
        assert setup.authenticate(desk, "canbo1", "sai-mat-khau") is None
    # Now even the right password waits.
    try:
        setup.authenticate(desk, "canbo1", "mat-khau-1")
        raise AssertionError("not throttled")
    except setup.SignInThrottled as exc:
        assert 0 < exc.seconds <= setup.THROTTLE_FIRST_S + 1
    dlg = SignInDialog(desk)
    qtbot.addWidget(dlg)
    dlg.username.setText("canbo1")
    dlg.password.setText("mat-khau-1")
    dlg.try_sign_in()
    qtbot.waitUntil(lambda: "chờ" in dlg.error.text(), timeout=10_000)
    assert dlg.officer is None
    clock.at += timedelta(seconds=setup.THROTTLE_FIRST_S + 1)
    assert setup.authenticate(desk, "canbo1", "sai-mat-khau") is None
    with_wait = setup.THROTTLE_FIRST_S * 2
    clock.at += timedelta(seconds=with_wait - 5)
    try:
        setup.authenticate(desk, "canbo1", "mat-khau-1")
        raise AssertionError("second wait should be longer")
    except setup.SignInThrottled:
        pass
    clock.at += timedelta(seconds=10)
    assert setup.authenticate(desk, "canbo1", "mat-khau-1") is not None
    # A right password resets the count.
    assert setup.authenticate(desk, "canbo1", "sai-mat-khau") is None
    assert setup.authenticate(desk, "canbo1", "mat-khau-1") is not None


def test_admin_reset_forces_a_change_at_next_sign_in(qtbot, desk):
    admin = make_admin(desk)
    canbo = setup.officer_by_username(desk, "canbo1")
    for _ in range(setup.FREE_ATTEMPTS + 1):
        with contextlib.suppress(setup.SignInThrottled):
            setup.authenticate(desk, "canbo1", "quen-mat-khau")
    setup.reset_password(desk, admin.id, canbo.id, "tam-thoi-123")  # also lifts the throttle
    dlg = SignInDialog(desk)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.username.setText("canbo1")
    dlg.password.setText("tam-thoi-123")
    dlg.try_sign_in()
    qtbot.waitUntil(lambda: dlg.form.pages.currentIndex() == 1, timeout=10_000)
    assert dlg.officer is None and dlg.result() == 0
    dlg.form.new_password.setText("tam-thoi-123")
    dlg.form.new_password2.setText("tam-thoi-123")
    dlg.form.try_change()
    qtbot.waitUntil(lambda: "khác mật khẩu cũ" in dlg.form.change_error.text(), timeout=10_000)
    dlg.form.new_password.setText("cua-rieng-toi")
    dlg.form.new_password2.setText("cua-rieng-toi-x")
    dlg.form.try_change()
    assert "không khớp" in dlg.form.change_error.text()
    dlg.form.new_password2.setText("cua-rieng-toi")
    with qtbot.waitSignal(dlg.signed_in, timeout=10_000):
        dlg.form.try_change()
    assert dlg.officer is not None and not dlg.officer.must_change_password
    assert setup.authenticate(desk, "canbo1", "tam-thoi-123") is None
    assert setup.authenticate(desk, "canbo1", "cua-rieng-toi") is not None
