"""First run (stand-alone and pairing), sign-in, lock screen, idle lock, About."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from app.services import setup
from app.services.bootstrap import open_desk
from app.services.setup import needs_first_run
from app.ui.firstrun import FirstRunDialog
from app.ui.signin import SignInDialog
from tests.conftest import make_admin
from tests.gui.conftest import type_text


def click_next(qtbot, dlg) -> None:
    """Next, then wait for its step (run on the worker pool) to come back."""
    qtbot.mouseClick(dlg.next_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)


def opened(qtbot, dlg) -> None:
    """The wizard's start (stored profile, provisioning file) is read on the pool."""
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)


def fill_profile(qtbot, dlg) -> None:
    """A BHXH cơ sở in Hà Nội: the header lines and the place come from the suggestions."""
    form = dlg.profile_form
    assert form.unit_name.text() == "Bộ phận Một cửa BHXH Ba Đình"  # from the desk page
    click_next(qtbot, dlg)  # nothing chosen yet
    assert dlg.pages.currentIndex() == dlg.PAGE_PROFILE
    assert form.errors["kind"].isVisible()
    form.kind.setCurrentIndex(form.kind.findData("bhxh"))
    form.province.setCurrentIndex(form.province.findData("01"))
    form.commune.setCurrentIndex(form.commune.findData("00004"))
    form.unit_name.clear()
    type_text(form.unit_name, "Bảo hiểm xã hội cơ sở Ba Đình")
    form.unit_name.textEdited.emit(form.unit_name.text())
    assert form.governing_line.text() == "BẢO HIỂM XÃ HỘI THÀNH PHỐ HÀ NỘI"
    assert form.office_line.text() == "BẢO HIỂM XÃ HỘI CƠ SỞ BA ĐÌNH"
    assert form.place_name.text() == "Ba Đình"
    type_text(form.address, "Số 8 Phạm Hùng, phường Ba Đình, Hà Nội")
    type_text(form.hotline, "1900 9068")
    # A header naming a district is refused next to the field, nothing else is lost.
    form.office_line.setText("BẢO HIỂM XÃ HỘI QUẬN BA ĐÌNH")
    click_next(qtbot, dlg)
    assert dlg.pages.currentIndex() == dlg.PAGE_PROFILE
    assert "202/2025" in form.errors["office_line"].text()
    assert form.hotline.text() == "1900 9068"
    form.office_line.setText("BẢO HIỂM XÃ HỘI CƠ SỞ BA ĐÌNH")


def test_first_run_standalone_creates_desk_and_admin(qtbot, tmp_path: Path):
    ctx = open_desk(tmp_path / "new")
    assert needs_first_run(ctx)
    dlg = FirstRunDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    opened(qtbot, dlg)
    assert dlg.standalone.isChecked() and not dlg.url.isEnabled()
    click_next(qtbot, dlg)
    assert dlg.pages.currentIndex() == dlg.PAGE_DESK
    qtbot.keyClicks(dlg.office_code, "not a code")
    type_text(dlg.office_name, "Bộ phận Một cửa BHXH Ba Đình")
    click_next(qtbot, dlg)
    assert dlg.pages.currentIndex() == dlg.PAGE_DESK
    assert dlg.desk_errors["office_code"].isVisible()
    assert dlg.office_name.text() == "Bộ phận Một cửa BHXH Ba Đình"  # kept
    dlg.office_code.clear()
    qtbot.keyClicks(dlg.office_code, "000.00.31.H56")
    qtbot.keyClick(dlg.office_code, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dlg.pages.currentIndex() == dlg.PAGE_PROFILE, timeout=10_000)
    fill_profile(qtbot, dlg)
    click_next(qtbot, dlg)
    assert dlg.pages.currentIndex() == dlg.PAGE_ADMIN
    type_text(dlg.full_name, "Lê Quản Trị")
    qtbot.keyClicks(dlg.password, "mat-khau-1")
    qtbot.keyClicks(dlg.password2, "mat-khau-2")
    qtbot.mouseClick(dlg.next_btn, Qt.MouseButton.LeftButton)
    assert dlg.admin_errors["password2"].isVisible()
    dlg.password2.clear()
    qtbot.keyClicks(dlg.password2, "mat-khau-1")
    click_next(qtbot, dlg)
    assert dlg.pages.currentIndex() == dlg.PAGE_DONE
    assert str(tmp_path / "new") in dlg.where.text()
    from app.logging_setup import default_log_dir

    assert str(default_log_dir()) in dlg.where.text()
    with qtbot.waitSignal(dlg.finished_setup):
        qtbot.mouseClick(dlg.next_btn, Qt.MouseButton.LeftButton)
    assert not needs_first_run(ctx)
    officer = setup.authenticate(ctx, "admin", "mat-khau-1")
    assert officer is not None and officer.role == "administrator"
    # The desk set up through these screens prints a receipt with no blank left in it.
    import re
    from datetime import UTC, datetime

    from app.domain.applicant import Applicant
    from app.domain.completeness import HandedIn
    from app.services import documents, intake
    from tests.unit.print.printcheck import text as pdf_text

    ctx.officer_id = officer.id
    ctx.clock = lambda: datetime(2026, 11, 17, 9, 40, tzinfo=UTC)  # 16:40 in Hà Nội
    res = intake.submit(
        ctx,
        intake.IntakeRequest(
            "BHXH-E02",
            Applicant(full_name="Phạm Thị Lan"),
            (HandedIn("BHXH-E02-01", "original", 1),),
        ),
    )
    text = pdf_text(documents.render(ctx, res.code, "receipt").pdf)
    assert not re.search(r"(^|\s), ngày", text)
    assert "- Điện thoại" not in text and "số điện thoại  để" not in text
    assert "BẢO HIỂM XÃ HỘI CƠ SỞ BA ĐÌNH" in text and "Ba Đình, ngày 17 tháng 11" in text
    assert "16 giờ 00 phút" in text  # the return hour asked at first run
    assert "Đường dây nóng: 1900 9068" in text
    ctx.close()


def test_first_run_pairing_needs_address_and_reports_failure(qtbot, tmp_path: Path):
    ctx = open_desk(tmp_path / "new")
    dlg = FirstRunDialog(ctx)
    qtbot.addWidget(dlg)
    opened(qtbot, dlg)
    dlg.paired.setChecked(True)
    assert dlg.url.isEnabled()
    qtbot.mouseClick(dlg.next_btn, Qt.MouseButton.LeftButton)
    assert "Cần nhập" in dlg.pair_error.text()
    qtbot.keyClicks(dlg.url, "http://127.0.0.1:9")  # nothing listens on the discard port
    qtbot.keyClicks(dlg.token, "desk-token")
    qtbot.mouseClick(dlg.next_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Không kết nối được" in dlg.pair_error.text(), timeout=20_000)
    assert dlg.pages.currentIndex() == dlg.PAGE_MODE
    assert dlg.url.text() == "http://127.0.0.1:9"


def test_sign_in_wrong_then_right(qtbot, desk):
    dlg = SignInDialog(desk)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)
    assert dlg.error.isVisible()
    qtbot.keyClicks(dlg.username, "canbo1")
    qtbot.keyClicks(dlg.password, "wrong-password")
    qtbot.keyClick(dlg.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "không đúng" in dlg.error.text(), timeout=10_000)
    assert dlg.password.text() == "" and dlg.username.text() == "canbo1"
    qtbot.keyClicks(dlg.password, "mat-khau-1")
    with qtbot.waitSignal(dlg.signed_in, timeout=10_000) as sig:
        qtbot.keyClick(dlg.password, Qt.Key.Key_Return)
    assert sig.args[0].username == "canbo1"
    assert dlg.officer is not None


def test_lock_screen_needs_the_same_officer(qtbot, window, desk):
    admin = make_admin(desk)
    setup.add_officer(desk, username="canbo2", full_name="Phạm Thị Hoa", password="mat-khau-2",
                      actor_id=admin.id)
    window.lock()
    dlg = window.lock_dialog
    assert window.locked and dlg.isVisible()
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    assert dlg.isVisible()  # Esc does not get past the lock
    dlg.username.setText("canbo2")
    qtbot.keyClicks(dlg.password, "mat-khau-2")
    qtbot.keyClick(dlg.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Chỉ cán bộ" in dlg.error.text(), timeout=10_000)
    assert window.locked
    dlg.username.setText("canbo1")
    qtbot.keyClicks(dlg.password, "mat-khau-1")
    qtbot.keyClick(dlg.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.locked, timeout=10_000)


def test_idle_time_locks_the_screen(qtbot, window):
    window.lock_timer.start(50)
    qtbot.waitUntil(lambda: window.locked, timeout=3000)


def test_status_bar_and_about(qtbot, window, desk, fake_dialogs):
    qtbot.waitUntil(lambda: window.sync_status is not None, timeout=5000)
    assert "Nguyễn Văn An" in window.officer_label.text()
    assert "Quầy 1" in window.desk_label.text()
    assert "độc lập" in window.online_label.text()
    assert window.waiting_label.text() == "Chờ đồng bộ: 0"
    assert "chưa có" in window.sync_label.text()
    window.about()
    kind, _title, text = fake_dialogs.shown[-1]
    assert kind == "info" and str(desk.data_dir) in text and "0.1.0" in text


def test_officer_cannot_manage_officers(window):
    assert not window.officers_action.isEnabled()


def test_admin_adds_officer(qtbot, desk):
    from app.ui.officers import OfficersDialog

    desk.officer_id = make_admin(desk).id

    dlg = OfficersDialog(desk)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: dlg.model.rowCount() == 2, timeout=10_000)
    qtbot.keyClicks(dlg.username, "canbo3")
    type_text(dlg.full_name, "Đỗ Minh Châu")
    qtbot.keyClicks(dlg.password, "short")
    dlg.add()
    qtbot.waitUntil(lambda: dlg.error.isVisible(), timeout=10_000)
    assert dlg.username.text() == "canbo3"  # refused: nothing typed is lost
    dlg.password.clear()
    qtbot.keyClicks(dlg.password, "mat-khau-3")
    dlg.role.setCurrentIndex(1)
    dlg.add()
    qtbot.waitUntil(lambda: dlg.model.rowCount() == 3, timeout=10_000)
    assert dlg.username.text() == ""
    dlg.table.selectRow(1)  # sorted by username: canbo1, canbo3, quantri
    dlg.toggle_active()
    qtbot.waitUntil(
        lambda: not next(o for o in setup.list_officers(desk) if o.username == "canbo3").active,
        timeout=10_000,
    )


def test_officers_model(qtmodeltester, desk):
    from app.ui.officers import OfficersModel

    qtmodeltester.check(OfficersModel(setup.list_officers(desk)))


def test_paired_desk_shows_offline(qtbot, desk, officer, ui_settings):
    from app.services.ui_support import write_setting
    from app.ui.mainwindow import MainWindow

    write_setting(desk, "sync.central_url", "http://127.0.0.1:9")  # nothing listens there
    write_setting(desk, "sync.token", "desk-token")
    w = MainWindow(desk, officer, ui_settings)
    qtbot.addWidget(w)
    try:
        qtbot.waitUntil(lambda: w.sync_worker is not None, timeout=10_000)
        assert w.sync_worker.running
        qtbot.waitUntil(lambda: w.online_label.text() == "Mất kết nối", timeout=20_000)
    finally:
        w.close()
    assert not w.sync_worker.running


def test_start_goes_through_sign_in(qtbot, desk, fake_dialogs, monkeypatch):
    from app.ui import app as app_mod
    from app.ui.signin import SignInDialog

    def exec_(dialog):
        if isinstance(dialog, SignInDialog):
            dialog.officer = setup.authenticate(desk, "canbo1", "mat-khau-1")
        return 1

    monkeypatch.setattr(fake_dialogs, "exec", exec_)
    _app, window = app_mod.start(desk.data_dir, "vi")
    assert window is not None and window.officer.username == "canbo1"
    qtbot.addWidget(window)
    window.close()


def test_exit_after_ms_ends_the_modal_first_run(tmp_path):
    """The smoke-test hook (installer tests) also ends the modal first-run dialog. In a
    child process: app.exit() outside app.exec() would leave this process's Qt flagged to
    quit every later event loop.

    The child says when a modal dialog of ours ends; only an exit can end the first-run
    dialog here (nothing clicks it). A loaded machine can take longer than the delay to
    get the dialog up at all (the exit then comes first and proves nothing), so the delay
    doubles until the dialog was up when the exit came (it flaked at a fixed 500 ms)."""
    import os
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path\n"
        "from app.ui import dialogs\n"
        "real = dialogs.Dialogs.exec\n"
        "def exec_(self, dialog):\n"
        "    r = real(self, dialog)\n"
        "    print('modal ended:', type(dialog).__name__, r, flush=True)\n"
        "    return r\n"
        "dialogs.Dialogs.exec = exec_\n"
        "from app.ui.app import run_gui\n"
        "sys.exit(run_gui(Path(sys.argv[1])))\n"
    )
    for attempt, delay_ms in enumerate((1000, 5000, 25000)):
        folder = tmp_path / f"fresh{attempt}"
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ONESTOP_EXIT_AFTER_MS=str(delay_ms))
        r = subprocess.run([sys.executable, "-c", code, str(folder)], env=env,
                           timeout=90, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        assert "Traceback" not in r.stderr
        if "modal ended: FirstRunDialog 0" in r.stdout:
            break
        # The exit came before the dialog was up: nothing else may have ended a modal.
        assert "modal ended" not in r.stdout, r.stdout
    else:
        raise AssertionError("the first-run dialog never came up before the exit (25 s)")
    assert (folder / "desk.sqlite3").is_file()


def test_first_run_prefills_pairing_from_provisioning_file(qtbot, tmp_path: Path):
    data = tmp_path / "prov"
    data.mkdir()
    (data / "provisioning.json").write_text(
        '{"format": 1, "central_url": "https://motcua.example.gov.vn", "desk_token": "t0k"}',
        encoding="utf-8",
    )
    ctx = open_desk(data)
    dlg = FirstRunDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    opened(qtbot, dlg)
    assert dlg.paired.isChecked() and dlg.url.isEnabled()
    assert (dlg.url.text(), dlg.token.text()) == ("https://motcua.example.gov.vn", "t0k")
