"""The guard rails on screen: the status bar says why intake stops, the intake form keeps
what was typed, and a supervisor lifts an overridable block from the Quản trị menu."""

from __future__ import annotations

from datetime import timedelta

from app.services import guard
from app.services.context import set_setting
from tests.conftest import make_admin


def test_status_bar_names_the_block_and_a_supervisor_lifts_it(qtbot, window, desk,
                                                              fake_dialogs, monkeypatch):
    from app.ui.guard import OverrideDialog

    with desk.transaction() as s:
        set_setting(s, "sync.central_url", "http://127.0.0.1:9")
        set_setting(s, "sync.last_good_sync",
                    (desk.now() - timedelta(days=8)).isoformat())
        set_setting(s, "sync.refused_at", (desk.now() - timedelta(hours=2)).isoformat())
    make_admin(desk, "giamsat", "mat-khau-gs", role="supervisor")
    window.refresh_status()
    qtbot.waitUntil(lambda: window.guard_state is not None and bool(window.guard_state.blocks),
                    timeout=10_000)
    assert window.guard_label.isVisible() and "Không tiếp nhận được" in window.guard_label.text()
    assert "192 giờ" in window.guard_label.toolTip()

    def exec_(dlg):
        if isinstance(dlg, OverrideDialog):
            dlg.username.setText("canbo1")  # an officer may not
            dlg.password.setText("mat-khau-1")
            dlg.reason.setText("mất mạng cả xã")
            dlg.allow()
            qtbot.waitUntil(lambda: "giám sát" in dlg.error.text(), timeout=10_000)
            dlg.username.setText("giamsat")
            dlg.password.setText("mat-khau-gs")
            dlg.allow()
            qtbot.waitUntil(lambda: dlg.state is not None, timeout=10_000)
            return 1
        return 0

    monkeypatch.setattr(fake_dialogs, "exec", exec_)
    window.override_action.trigger()
    qtbot.waitUntil(lambda: not window.guard_state.blocks, timeout=10_000)
    # Still revoked, within its grace period: the status bar keeps saying so.
    assert "thu hồi" in window.guard_label.text()
    assert guard.audit_log(desk)[-1]["by"] == "giamsat"
