"""Supervisor reports at scale, each beside a baseline measured in the same run.

Desk: a database seeded with `size` dossiers received over a year (seed_demo), every report
over the whole database (all offices it holds) and over one office; the target is < 1 s per
report at 1,000,000 dossiers. The baseline is a bare `count(*)` over the same tables (the
cheapest statement that touches every row through an index).

    uv run python -m bench reports [--sizes 1000000] [--cache DIR]
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from app.services import report_docs, reports
from app.services.bootstrap import open_desk
from app.services.context import DeskContext
from app.services.seed import seed_demo
from app.services.setup import setup_desk


def seeded(cache: Path, size: int) -> DeskContext:
    """A desk holding `size` dossiers over 365 days, built once and kept in `cache`."""
    folder = cache / f"reports-{size}"
    if not (folder / "done").exists():
        ctx = open_desk(folder, synchronous="OFF")
        setup_desk(
            ctx,
            office_code="000.00.31.H56",
            office_name="Bộ phận Một cửa BHXH Ba Đình",
            desk_name="Quầy 1",
        )
        seed_demo(ctx, dossiers=size, seed=size, days=365)
        with ctx.engine.connect() as c:
            c.exec_driver_sql("ANALYZE")
        ctx.close()
        (folder / "done").write_text("ok")
    return open_desk(folder)


def timed(fn: Callable[[], Any], repeat: int = 3) -> float:
    """Median wall time in ms (the first call warms the page cache and is dropped)."""
    fn()
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return statistics.median(out)


def run_size(ctx: DeskContext, size: int) -> list[str]:
    today = ctx.now().astimezone(reports.ZONE).date()
    monday = today - timedelta(days=today.weekday() + 7)
    week = (monday, monday + timedelta(days=6))
    month = (date(today.year, today.month, 1) - timedelta(days=1)).replace(day=1)
    month_end = date(today.year, today.month, 1) - timedelta(days=1)
    year = (today - timedelta(days=364), today)
    office = reports.office_scope(ctx)
    everything = reports.Scope()

    def count(table: str) -> Callable[[], Any]:
        def run() -> Any:
            with ctx.read() as s:
                return s.connection().exec_driver_sql(f"SELECT count(*) FROM {table}").scalar()

        return run

    with ctx.read() as s:
        n_events = s.connection().exec_driver_sql("SELECT count(*) FROM events").scalar()
    base_d = timed(count("dossiers"))
    base_e = timed(count("events"))
    lines = [
        f"desk with {size:,} dossiers, {n_events:,} events",
        f"  baseline count(*) dossiers {base_d:8.1f} ms   count(*) events {base_e:8.1f} ms",
    ]
    cases: list[tuple[str, Callable[[], Any]]] = [
        ("overdue control, whole office", lambda: reports.overdue_control(ctx)),
        ("status-bar counts, one desk", lambda: reports.desk_counts(ctx)),
        ("daily summary, one day, all", lambda: reports.daily_summary(ctx, week[0])),
        ("daily summary, week, all", lambda: reports.daily_summary(ctx, *week, everything)),
        ("daily summary, week, office", lambda: reports.daily_summary(ctx, *week, office)),
        ("II.06a week, all offices", lambda: reports.ii06a_report(ctx, *week, everything)),
        ("II.06a week, one office", lambda: reports.ii06a_report(ctx, *week, office)),
        ("II.06a month, all offices", lambda: reports.ii06a_report(ctx, month, month_end)),
        ("II.06a year, all offices", lambda: reports.ii06a_report(ctx, *year, everything)),
        (
            "II.06a week to xlsx (query+file)",
            lambda: report_docs.export_ii06a(ctx, *week, "xlsx", everything),
        ),
        (
            "II.06a week to pdf (query+file)",
            lambda: report_docs.export_ii06a(ctx, *week, "pdf", everything),
        ),
    ]
    for name, fn in cases:
        ms = timed(fn)
        verdict = "ok" if ms < 1000 else "MISSED"
        lines.append(
            f"  {name:36s} {ms:8.1f} ms  = {ms / base_d:5.1f}x count(dossiers)"
            f"  target < 1000 ms: {verdict}"
        )
    return lines


def run(sizes: tuple[int, ...] = (1_000_000,), cache: Path | None = None) -> list[str]:
    cache = cache or Path(tempfile.gettempdir()) / "onestop-bench"
    cache.mkdir(parents=True, exist_ok=True)
    out: list[str] = []
    for size in sizes:
        ctx = seeded(cache, size)
        try:
            out += run_size(ctx, size)
        finally:
            ctx.close()
    return out


if __name__ == "__main__":
    import sys

    args = [int(x) for x in sys.argv[1].split(",")] if len(sys.argv) > 1 else [1_000_000]
    for line in run(tuple(args), Path(sys.argv[2]) if len(sys.argv) > 2 else None):
        print(line, flush=True)
