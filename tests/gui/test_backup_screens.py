"""Backups from the screen: the administrator's backup screen, the status-bar warning, the
automatic backup at start and at sign-out, and the screen a damaged database gets."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.config import DB_FILENAME
from app.services import backup
from app.services.setup import authenticate
from app.ui import worker
from tests.central.conftest import central, office, pg_url  # noqa: F401 (fixtures)
from tests.conftest import make_admin
from tests.gui.conftest import receive


def _codes(db: Path) -> set[str]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {r[0] for r in con.execute("SELECT code FROM dossiers")}
    finally:
        con.close()


def _admin_window(qtbot, desk, ui_settings):
    from app.ui.mainwindow import MainWindow

    admin = make_admin(desk)
    w = MainWindow(desk, admin, ui_settings)
    qtbot.addWidget(w)
    w.show()
    return w


def test_start_and_signout_backups_and_the_stale_warning(qtbot, window, desk):
    folder = backup.backup_dir(desk.data_dir)
    qtbot.waitUntil(lambda: any(b.reason == "start" for b in backup.list_backups(folder)),
                    timeout=10_000)
    qtbot.waitUntil(lambda: window.backup_status is not None
                    and window.backup_status.last is not None, timeout=10_000)
    assert not window.backup_label.isVisible()
    assert not window.backup_action.isEnabled()  # an officer, not an administrator
    # Only a two-day-old copy left: the status bar says so.
    worker.wait_idle(10_000)
    newest = backup.list_backups(folder)[0]
    for b in backup.list_backups(folder)[1:]:
        b.path.unlink()
    old = datetime.now(UTC) - timedelta(days=2)
    newest.path.rename(folder / f"desk-{old:%Y%m%dT%H%M%S}000000Z-auto.sqlite3")
    window.show_backup_status(backup.backup_status(desk))
    assert window.backup_label.isVisible() and "48 giờ" in window.backup_label.text()
    window.close()
    assert any(b.reason == "signout" for b in backup.list_backups(folder))


def test_admin_backs_up_sets_second_place_and_restores(qtbot, desk, ui_settings, tmp_path,
                                                       fake_dialogs):
    from app.ui.backup import BackupDialog

    w = _admin_window(qtbot, desk, ui_settings)
    assert w.backup_action.isEnabled()
    first = receive(desk, name="Trần Văn Bình").code
    w.backup_action.trigger()
    dlg = fake_dialogs.executed[-1]
    assert isinstance(dlg, BackupDialog)
    dlg.show()
    # A second place that is a file, not a folder: said next to the field, text kept.
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    dlg.second.setText(str(blocker / "usb"))
    dlg.save_second()
    qtbot.waitUntil(lambda: dlg.second_error.isVisible(), timeout=10_000)
    assert dlg.second.text() == str(blocker / "usb")
    fake_dialogs.dir_path = str(tmp_path / "usb")
    dlg.choose_second()
    dlg.save_second()
    qtbot.waitUntil(lambda: getattr(dlg, "second_saved", None) == str(tmp_path / "usb"),
                    timeout=10_000)
    assert not dlg.second_error.isVisible()
    qtbot.mouseClick(dlg.backup_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(backup.list_backups(tmp_path / "usb")) == 1, timeout=10_000)
    qtbot.waitUntil(lambda: "Bản sao lưu tốt gần nhất" in dlg.last.text(), timeout=10_000)
    manual = backup.list_backups(tmp_path / "usb")[0].path
    second = receive(desk, name="Lê Thị Cúc").code
    db = desk.data_dir / DB_FILENAME
    assert {first, second} <= _codes(db)
    # Restore the copy on the USB stick: a wrong password changes nothing.
    qtbot.waitUntil(lambda: dlg.list.count() >= 2, timeout=10_000)
    row = next(i for i in range(dlg.list.count()) if str(tmp_path / "usb") in
               dlg.list.item(i).text())
    dlg.list.setCurrentRow(row)
    dlg.password.setText("sai-mat-khau")
    dlg.ask_restore()
    qtbot.waitUntil(lambda: fake_dialogs.shown and fake_dialogs.shown[-1][0] == "error",
                    timeout=20_000)
    assert second in _codes(db)
    dlg.list.setCurrentRow(row)
    dlg.password.setText("mat-khau-qt")
    dlg.ask_restore()
    qtbot.waitUntil(lambda: getattr(w, "restored_from", None) == manual, timeout=20_000)
    assert first in _codes(db) and second not in _codes(db)
    assert not w.isVisible()


def test_damaged_database_screen_restores_the_latest_backup(qtbot, desk, fake_dialogs,
                                                          monkeypatch, tmp_path):
    from app.ui import app as app_mod
    from app.ui.backup import DatabaseProblemDialog
    from app.ui.signin import SignInDialog

    make_admin(desk)
    code = receive(desk).code
    data_dir = desk.data_dir
    desk.close()
    backup.take_backup(data_dir, "start")
    db = data_dir / DB_FILENAME
    # Cut the last quarter: the schema's pages stay (with every table and index since
    # the postal tables, half the file no longer holds them all and nothing is readable).
    with db.open("r+b") as f:
        f.truncate(db.stat().st_size * 3 // 4)
    seen = []

    def exec_(dialog):
        seen.append(dialog)
        if isinstance(dialog, DatabaseProblemDialog):
            qtbot.addWidget(dialog)
            assert "cắt cụt" in dialog.message.text()
            assert "onestop restore" in dialog.choices.text()
            fake_dialogs.dir_path = str(tmp_path / "csv")
            dialog.salvage()
            qtbot.waitUntil(lambda: (tmp_path / "csv" / "offices.csv").exists(), timeout=10_000)
            dialog.username.setText("quantri")
            dialog.password.setText("mat-khau-1")  # wrong: not the administrator's
            dialog.restore_latest()
            qtbot.waitUntil(lambda: dialog.restore_btn.isEnabled(), timeout=20_000)
            assert dialog.error.text().startswith("Chỉ")
            assert not dialog.restored
            dialog.password.setText("mat-khau-qt")
            dialog.restore_latest()
            qtbot.waitUntil(lambda: dialog.restored, timeout=20_000)
            return 1
        if isinstance(dialog, SignInDialog):
            from app.services.bootstrap import open_desk

            ctx = open_desk(data_dir)
            dialog.officer = authenticate(ctx, "canbo1", "mat-khau-1")
            ctx.close()
            return 1
        return 0

    monkeypatch.setattr(fake_dialogs, "exec", exec_)
    _app, window = app_mod.start(data_dir, "vi")
    assert window is not None
    qtbot.addWidget(window)
    assert code in _codes(db)
    assert list(data_dir.glob("desk.sqlite3.before-restore-*"))
    window.close()


def test_damaged_database_screen_rebuilds_from_the_central(
    qtbot, fake_dialogs, monkeypatch, tmp_path, central, office  # noqa: F811 (fixtures)
):
    """A paired desk whose database is gone: the start-up screen offers the rebuild, runs it
    in the background (the window stays responsive), and the desk then starts at its
    first-run page for an administrator with every synced dossier back."""
    if central.backend != "sqlite":
        pytest.skip("the desk side is what is tested; one central backend is enough")
    from app import credentials
    from app.services.bootstrap import open_desk
    from app.sync.commands import connect, sync_once
    from app.ui import app as app_mod
    from app.ui.backup import DatabaseProblemDialog
    from app.ui.firstrun import FirstRunDialog
    from app.ui.signin import SignInDialog
    from tests.support.central import new_desk, receive_dossiers

    monkeypatch.setenv(credentials.ENV_STORE, "file")
    data_dir = tmp_path / "d"
    desk = new_desk(data_dir, office_code=office)
    connect(desk, central.url, central.add_desk(office, "Quầy 1").token)
    receive_dossiers(desk, 3)
    sync_once(desk)
    db = data_dir / DB_FILENAME
    codes = _codes(db)
    desk.close()
    db.unlink()  # the disk lost it
    seen = []

    def exec_(dialog):
        seen.append(type(dialog).__name__)
        if isinstance(dialog, DatabaseProblemDialog):
            qtbot.addWidget(dialog)
            assert dialog.rebuild_btn.isEnabled()
            assert "rebuild-from-central" in dialog.choices.text()
            dialog.rebuild()
            # Working in the background: the screen is back at once, buttons held.
            assert not dialog.restored and not dialog.rebuild_btn.isEnabled()
            qtbot.waitUntil(lambda: dialog.restored, timeout=60_000)
            assert any("Đã dựng lại" in s[1] for s in fake_dialogs.shown)
            return 1
        if isinstance(dialog, FirstRunDialog):
            # The desk is known (no new-desk setup): its profile or its administrator.
            known = (dialog.PAGE_PROFILE, dialog.PAGE_ADMIN)
            qtbot.waitUntil(lambda: dialog.pages.currentIndex() in known, timeout=10_000)
            make_admin(dialog.ctx)
            return 1
        if isinstance(dialog, SignInDialog):
            ctx = open_desk(data_dir)
            dialog.officer = authenticate(ctx, "quantri", "mat-khau-qt")
            ctx.close()
            return 1
        return 0

    monkeypatch.setattr(fake_dialogs, "exec", exec_)
    _app, window = app_mod.start(data_dir, "vi")
    assert window is not None
    qtbot.addWidget(window)
    assert seen[:2] == ["DatabaseProblemDialog", "FirstRunDialog"]
    assert _codes(db) == codes
    assert not (data_dir / "rebuild.part").exists()
    window.close()


def test_rebuild_is_not_offered_to_a_desk_never_paired(qtbot, desk, fake_dialogs):
    from app.services.bootstrap import DatabaseProblem, open_desk
    from app.ui.backup import DatabaseProblemDialog

    make_admin(desk)
    data_dir = desk.data_dir
    desk.close()
    (data_dir / DB_FILENAME).unlink()
    try:
        open_desk(data_dir)
        raise AssertionError("a lost database must be named")
    except DatabaseProblem as exc:
        info = exc.info
    dialog = DatabaseProblemDialog(data_dir, info)
    qtbot.addWidget(dialog)
    assert not dialog.rebuild_btn.isEnabled()
    dialog.rebuild()
    assert not fake_dialogs.shown and not dialog.restored
