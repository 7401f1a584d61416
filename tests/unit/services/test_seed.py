"""seed-demo: every state, and each seeded row is exactly the fold of its events."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text

from app.models import Dossier
from app.services import reports
from app.services.bootstrap import open_desk
from app.services.projection import rebuild_dossier
from app.services.seed import seed_demo
from tests.support.day_totals import assert_totals_match_rows
from tests.support.intake import receive_next_citizen

COMPARED = (
    "code",
    "status",
    "full_name",
    "name_fold",
    "id_number",
    "phone",
    "due_date",
    "original_due_date",
    "rescheduled",
    "feedback_given",
    "consignment_no",
    "return_method",
    "settled_at",
    "settled_type",
    "settled_outcome",
    "log_book_entry",
    "log_book_volume",
    "event_count",
    "note",
    "procedure_version_id",
    "received_at",
)


def test_seed_covers_every_state_and_matches_the_projection(tmp_path: Path) -> None:
    ctx = open_desk(tmp_path)
    report = seed_demo(ctx, dossiers=600, seed=7)
    assert report.dossiers == 600 and report.officers == 4
    assert set(report.by_status) == {
        "received",
        "supplement_requested",
        "refused",
        "in_progress",
        "result_ready",
        "returned",
        "cancelled",
    }
    with ctx.read() as s:
        rows = list(s.scalars(select(Dossier).limit(200)))
        seeded = {d.id: {k: getattr(d, k) for k in COMPARED} for d in rows}
    with ctx.transaction() as s:
        for did, expected in seeded.items():
            d = rebuild_dossier(s, did)
            assert d is not None
            assert {k: getattr(d, k) for k in COMPARED} == expected
        s.rollback()
    # A second run adds more without breaking codes or log-book numbering; run as a bulk
    # load (indexes dropped, then built again), it leaves the same indexes behind.
    indexes = "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
    with ctx.read() as s:
        before = s.execute(text(indexes)).all()
    again = seed_demo(ctx, dossiers=100, seed=8, bulk_at=1)
    assert again.dossiers == 100
    with ctx.read() as s:
        assert s.execute(text(indexes)).all() == before
        assert s.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    with ctx.read() as s:
        codes = list(s.scalars(select(Dossier.code)))
    assert len(codes) == len(set(codes)) == 700
    # The reports' per-day totals came with the seeded rows (issue 14): equal to a fill
    # from the rows, and II.06a from them equal to the plain query over the rows.
    assert assert_totals_match_rows(ctx.sessions) > 0
    today = ctx.now().astimezone(reports.ZONE).date()
    with ctx.read() as s:
        for a, b in ((today - timedelta(days=6), today), (today - timedelta(days=60), today)):
            plain = reports._ii06a_counts(s, reports.Scope(), a, b, b)
            assert plain and reports._ii06a_days(s, reports.Scope(), a, b, b) == plain


def test_a_failed_seed_keeps_whole_chunks_and_its_indexes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bulk seed that fails (disk full at its second chunk's events) leaves the chunks it
    committed whole, nothing of the failed one, every index built again, and a desk that
    takes the next citizen."""
    from app.services import seed

    ctx = open_desk(tmp_path)
    indexes = "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
    with ctx.read() as s:
        before = s.execute(text(indexes)).all()
    real, calls = seed.insert_rows, []

    def disk_full(conn, table, rows):  # type: ignore[no-untyped-def]
        if table.name == "events":
            calls.append(len(rows))
            if len(calls) == 2:
                raise OSError("disk full")
        real(conn, table, rows)

    monkeypatch.setattr(seed, "insert_rows", disk_full)
    with pytest.raises(OSError):
        seed_demo(ctx, dossiers=250, seed=3, batch=100, bulk_at=1)
    monkeypatch.undo()
    with ctx.read() as s:
        assert s.execute(text(indexes)).all() == before
        assert s.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        assert s.execute(text("SELECT count(*) FROM dossiers")).scalar() == 100
        # Each dossier has exactly the events it was folded from, and no event is orphaned.
        assert not s.execute(
            text(
                "SELECT d.id FROM dossiers d LEFT JOIN events e ON e.dossier_id = d.id "
                "GROUP BY d.id HAVING count(e.id) != d.event_count"
            )
        ).all()
        assert s.execute(text("SELECT count(*) FROM events")).scalar() == calls[0]
    res = receive_next_citizen(ctx)
    assert res.status == "received"
    ctx.close()


def test_a_seed_killed_before_its_indexes_are_built_gets_them_at_the_next_start(
    tmp_path: Path,
) -> None:
    """A bulk seed drops the tables' secondary indexes and builds them at its end; killed
    in between (found by killing `seed_demo` of 200,000 dossiers after 12 s), the desk
    opened without them: every look-up and report a scan of millions of rows. The next
    start builds what was dropped, and the desk is the same as before the seed began."""
    import subprocess
    import sys

    ctx = open_desk(tmp_path)
    indexes = "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
    with ctx.read() as s:
        before = s.execute(text(indexes)).all()
    ctx.close()
    code = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from app.services import seed\n"
        "from app.services.bootstrap import open_desk\n"
        "real = seed.insert_rows\n"
        "def killed(conn, table, rows):\n"
        "    real(conn, table, rows)\n"
        "    if table.name == 'outbox':\n"
        "        os._exit(9)  # after the first chunk's commit is under way: a kill\n"
        "seed.insert_rows = killed\n"
        "ctx = open_desk(Path(sys.argv[1]))\n"
        "seed.seed_demo(ctx, dossiers=250, seed=3, batch=100, bulk_at=1)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=Path.cwd())
    assert done.returncode == 9
    ctx = open_desk(tmp_path)
    try:
        with ctx.read() as s:
            assert s.execute(text(indexes)).all() == before
            assert s.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert receive_next_citizen(ctx).status == "received"
    finally:
        ctx.close()
