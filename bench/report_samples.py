"""Regenerate the report samples (docs/samples/bc_*) and screenshots 13–15 from a desk that
holds a year of seeded dossiers (e.g. the one `python -m bench reports` caches).

    uv run python bench/report_samples.py DESK_FOLDER [REPO]
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(desk: Path, repo: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from app.services import report_docs, reports
    from app.services.bootstrap import open_desk
    from app.ui import worker
    from app.ui.reports import ReportsWindow

    ctx = open_desk(desk)
    today = ctx.now().astimezone(reports.ZONE).date()
    mon = today - timedelta(days=today.weekday() + 7)
    sun = mon + timedelta(days=6)
    scope = reports.office_scope(ctx)
    out = repo / "docs" / "samples"
    for fmt in ("pdf", "xlsx"):
        ii06a = report_docs.export_ii06a(ctx, mon, sun, fmt, scope).data
        (out / f"bc_II06a_tuan.{fmt}").write_bytes(ii06a)
        daily = report_docs.export_daily(ctx, mon, sun, fmt, scope).data
        (out / f"bc_tong_hop_tuan.{fmt}").write_bytes(daily)
        control = report_docs.export_control(ctx, fmt).data
        (out / f"bc_kiem_soat_qua_han.{fmt}").write_bytes(control)

    app = QApplication([])

    def wait(cond: Callable[[], bool]) -> None:
        t0 = time.time()
        while not cond() and time.time() - t0 < 120:
            app.processEvents()
            time.sleep(0.02)

    w = ReportsWindow(ctx, office=True)
    w.resize(1180, 760)
    w.show()
    w.control.refresh()
    wait(lambda: w.control.control is not None)
    shots = repo / "docs" / "screenshots"
    w.grab().save(str(shots / "13-overdue-control-year.png"))
    w.tabs.setCurrentIndex(1)
    rw = w.reports
    for kind, name in (("ii06a", "14-report-ii06a-year"), ("daily", "15-report-daily-year")):
        rw.kind.setCurrentIndex(rw.kind.findData(kind))
        rw.set_period(mon, sun)
        rw.result = None
        rw.run()
        wait(lambda: rw.result is not None)
        w.grab().save(str(shots / f"{name}.png"))
    worker.wait_idle()
    ctx.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else Path.cwd())
