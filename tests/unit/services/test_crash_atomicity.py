"""A crash between any two statements of an intake leaves the whole dossier or nothing.

A child process runs one intake and kills itself with os._exit right before statement k
reaches SQLite (no clean-up, no rollback, like a power cut of the process); the parent
then opens the database and checks it is either untouched or holds the complete dossier.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.models import CodeBlock, Dossier, DossierComponent, Event, Outbox
from app.services.bootstrap import open_desk
from tests.conftest import make_desk

CHILD = textwrap.dedent(
    """
    import json, os, sys
    from datetime import date
    from sqlalchemy import event
    from app.domain.applicant import Applicant
    from app.domain.completeness import HandedIn
    from app.services import intake
    from app.services.bootstrap import open_desk

    data_dir, kill_at = sys.argv[1], int(sys.argv[2])
    ctx = open_desk(__import__("pathlib").Path(data_dir))
    count = 0

    @event.listens_for(ctx.engine, "before_cursor_execute")
    def _count(conn, cursor, statement, params, context, executemany):
        global count
        count += 1
        if count == kill_at:
            os._exit(17)

    @event.listens_for(ctx.engine, "commit")
    def _commit(conn):
        global count
        count += 1
        if count == kill_at:
            os._exit(17)

    app = Applicant(full_name="Nguyễn Văn Ánh", id_number="001090123456",
                    date_of_birth=date(1990, 5, 1), sex="M", phone="0912345678")
    items = (HandedIn("BHXH-C07-01", "original", 1), HandedIn("BHXH-C07-02", "original", 1))
    res = intake.submit(ctx, intake.IntakeRequest("BHXH-C07", app, items))
    count += 1  # one more kill point: right after the commit returned
    if count == kill_at:
        os._exit(17)
    print(json.dumps({"statements": count, "code": res.code}))
    """
)


def _state(data_dir: Path) -> tuple[int, int, int, int, int]:
    ctx = open_desk(data_dir)
    with ctx.read() as s:
        counts = tuple(
            int(s.scalar(select(func.count()).select_from(t)) or 0)
            for t in (Dossier, DossierComponent, Event, Outbox)
        )
        used = int(s.scalar(select(func.coalesce(func.sum(CodeBlock.next - CodeBlock.first), 0))))
    ctx.close()
    return (*counts, used)  # type: ignore[return-value]


def _run(data_dir: Path, kill_at: int) -> subprocess.CompletedProcess[str]:
    root = Path(__file__).resolve().parents[3]
    return subprocess.run(
        [sys.executable, "-c", CHILD, str(data_dir), str(kill_at)],
        capture_output=True,
        text=True,
        cwd=root,
        timeout=120,
    )


@pytest.mark.slow
def test_crash_at_every_statement_leaves_all_or_nothing(tmp_path: Path) -> None:
    template = tmp_path / "template"
    make_desk(template).close()
    # A dry run counts the statements of one intake (after start-up).
    probe = tmp_path / "probe"
    import shutil

    shutil.copytree(template, probe)
    done = _run(probe, 10**9)
    assert done.returncode == 0, done.stderr
    total = json.loads(done.stdout)["statements"]
    assert total >= 8
    empty = _state(template)
    outcomes = {"nothing": 0, "whole": 0}
    for k in range(1, total + 1):  # the last point is just after the commit
        work = tmp_path / f"k{k}"
        shutil.copytree(template, work)
        proc = _run(work, k)
        state = _state(work)
        assert proc.returncode == 17, proc.stderr[-500:]
        if state == empty:
            outcomes["nothing"] += 1
        else:
            # Whole dossier: one of each, the two components, one code consumed.
            assert state == (1, 2, 1, 1, 1), (k, state)
            outcomes["whole"] += 1
    # Every kill before the commit leaves nothing; the one after it leaves the whole dossier.
    assert outcomes == {"nothing": total - 1, "whole": 1}
