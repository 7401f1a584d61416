"""Open every window on a configured screen and report where its action buttons are.

Run as a child process (the platform and its screen are fixed when QApplication starts):

    QT_QPA_PLATFORM=offscreen:configfile=<screen.json> python -m tests.gui.screen_fit \
        <data_dir> <report.json> [<screenshots_dir>]

`screen_config` writes the JSON the offscreen platform reads. The report lists, per window,
the screen's available area, the window's frame, and each button's rectangle in global
coordinates after clipping by every parent (a button scrolled away or cut off by its
window shows up clipped). tests/gui/test_screens.py asserts on it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

TASKBAR_PX = 40


def screen_config(width: int, height: int, taskbar: int = TASKBAR_PX) -> dict[str, Any]:
    """An offscreen-platform screen of `width`×`height` with a taskbar along the bottom."""
    return {
        "synchronousWindowSystemEvents": True,
        "windowFrameMargins": True,
        "screens": [
            {
                "name": f"desk-{width}x{height}",
                "x": 0,
                "y": 0,
                "width": width,
                "height": height,
                "availableGeometry": {"x": 0, "y": 0, "width": width, "height": height - taskbar},
                "logicalDpi": 96,
            }
        ],
    }


def _visible_rect(w: Any) -> tuple[list[int], list[int]]:
    """(full, clipped) global rectangles of `w` as [x, y, width, height]."""
    from PySide6.QtCore import QPoint, QRect

    top = w.window()
    full = QRect(w.mapTo(top, QPoint(0, 0)), w.size())
    clip = QRect(full)
    p = w.parentWidget()
    while p is not None and p is not top:
        clip = clip.intersected(QRect(p.mapTo(top, QPoint(0, 0)), p.size()))
        p = p.parentWidget()
    clip = clip.intersected(top.rect())
    origin = top.mapToGlobal(QPoint(0, 0))
    full.translate(origin)
    clip.translate(origin)
    return (
        [full.x(), full.y(), full.width(), full.height()],
        [clip.x(), clip.y(), clip.width(), clip.height()],
    )


def describe_window(name: str, win: Any, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    from PySide6.QtWidgets import QAbstractButton, QApplication, QCheckBox, QPushButton

    QApplication.processEvents()
    avail = win.screen().availableGeometry()
    frame = win.frameGeometry()
    geo = win.geometry()
    buttons = []
    for b in win.findChildren(QAbstractButton):
        if not b.isVisibleTo(win) or isinstance(b, QCheckBox) or not isinstance(b, QPushButton):
            continue
        if b.window() is not win:
            continue
        full, clipped = _visible_rect(b)
        buttons.append({"text": b.text(), "rect": full, "visible": clipped})
    out = {
        "name": name,
        "available": [avail.x(), avail.y(), avail.width(), avail.height()],
        "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
        "geometry": [geo.x(), geo.y(), geo.width(), geo.height()],
        "buttons": buttons,
        "widgets": {},
    }
    for key, w in (extra or {}).items():
        full, clipped = _visible_rect(w)
        out["widgets"][key] = {"rect": full, "visible": clipped}
    return out


def main(argv: list[str]) -> int:
    from PySide6.QtWidgets import QApplication

    from app.domain.identifiers import parse_chip_id_qr
    from app.services.bootstrap import open_desk
    from app.services.setup import authenticate
    from app.ui import printing, worker
    from app.ui.dossier_view import DossierView
    from app.ui.firstrun import FirstRunDialog
    from app.ui.mainwindow import MainWindow
    from app.ui.officers import OfficersDialog, SettingsDialog
    from app.ui.settings import UiSettings
    from app.ui.signin import SignInDialog
    from tests.conftest import make_desk
    from tests.gui.conftest import receive

    data_dir, report = Path(argv[0]), Path(argv[1])
    shots = Path(argv[2]) if len(argv) > 2 else None
    app = QApplication.instance() or QApplication([])
    from PySide6.QtCore import QSettings

    settings = UiSettings(QSettings(str(data_dir / "ui.ini"), QSettings.Format.IniFormat))
    ctx = make_desk(data_dir / "desk")
    officer = authenticate(ctx, "canbo1", "mat-khau-1")
    assert officer is not None
    windows: list[dict[str, Any]] = []

    def grab(win: Any, file: str) -> None:
        if shots is not None:
            shots.mkdir(parents=True, exist_ok=True)
            win.grab().save(str(shots / file))

    def settle(cond: Any = None, ms: int = 20_000) -> None:
        import time

        end = time.monotonic() + ms / 1000
        while time.monotonic() < end:
            app.processEvents()
            if cond is None or cond():
                if cond is None:
                    worker.wait_idle(ms)
                    app.processEvents()
                return
            time.sleep(0.01)
        raise TimeoutError("window did not settle")

    fr = FirstRunDialog(open_desk(data_dir / "fresh"))
    fr.show()
    settle()
    windows.append(describe_window("first-run", fr))
    grab(fr, "first-run.png")
    fr.next_btn.click()
    settle()
    windows.append(describe_window("first-run-desk", fr))
    fr.close()

    si = SignInDialog(ctx)
    si.show()
    settle()
    windows.append(describe_window("sign-in", si))
    grab(si, "sign-in.png")
    si.close()

    mw = MainWindow(ctx, officer, settings)
    mw.show()
    settle()
    it = mw.intake
    it.select_procedure("BHXH-C06")
    it.fill_from_chip(
        parse_chip_id_qr(
            "001190012345|171234567|Nguyễn Thị Lan|15031990|Nữ|"
            "Số 12 Kim Mã, Phường Ba Đình, Hà Nội|01072021"
        )
    )
    settle()
    checklist = {f"row0.{i}": w for i, w in enumerate(it.rows[0].widgets())}
    windows.append(
        describe_window("main-intake", mw, {"statusbar": mw.statusBar(), **checklist})
    )
    grab(mw, "intake.png")
    size = mw.size()
    mw.resize(1024, 600)  # the smallest main window the desks need
    settle()
    small = describe_window("main-intake-1024x600", mw, {"statusbar": mw.statusBar(), **checklist})
    grab(mw, "intake-1024x600.png")
    small["minimum"] = [mw.minimumSizeHint().width(), mw.minimumSizeHint().height()]
    windows.append(small)
    mw.resize(size)
    settle()

    r = receive(ctx)
    mw.find()
    settle(lambda: mw.dossiers.model.total is not None and not mw.dossiers.model.loading)
    windows.append(describe_window("main-list", mw, {"statusbar": mw.statusBar()}))
    grab(mw, "dossier-list.png")

    v = DossierView(ctx, r.dossier_id, mw, settings)
    v.show()
    settle(lambda: v.detail is not None)
    windows.append(describe_window("dossier-view", v))
    grab(v, "dossier-view.png")
    v.print_receipt()
    settle(lambda: bool(printing.open_previews()))
    pv = printing.open_previews()[-1]
    settle()
    windows.append(describe_window("receipt-preview", pv))
    grab(pv, "receipt-preview.png")
    pv.close()
    v.close()

    mw.open_control()
    settle()
    rw = mw.reports_window
    windows.append(describe_window("reports-control", rw))
    grab(rw, "reports-control.png")
    mw.open_reports()
    settle()
    windows.append(describe_window("reports", rw))
    grab(rw, "reports.png")
    rw.close()

    od = OfficersDialog(ctx, mw)
    od.show()
    settle()
    windows.append(describe_window("officers", od))
    grab(od, "officers.png")
    od.close()
    sd = SettingsDialog(settings, mw, ctx)
    sd.show()
    settle()
    windows.append(describe_window("settings", sd))
    grab(sd, "settings.png")
    sd.close()

    from app.ui.postal import ConflictsDialog, ResolveDialog
    from app.ui.postal_admin import PostalHistoryDialog, PostalSetupDialog

    postal_windows = (
        ("postal-setup", PostalSetupDialog(ctx, mw)),
        ("postal-history", PostalHistoryDialog(ctx, mw)),
        ("postal-resolve", ResolveDialog(ctx, "ABCDEF123456", mw)),
        ("postal-conflicts", ConflictsDialog(ctx, mw)),
    )
    for name, dlg in postal_windows:
        dlg.show()
        settle()
        windows.append(describe_window(name, dlg))
        grab(dlg, f"{name}.png")
        dlg.close()
    mw.close()
    settle()
    report.write_text(json.dumps(windows, ensure_ascii=False, indent=1), encoding="utf-8")
    ctx.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
