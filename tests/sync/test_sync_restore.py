"""The restore runbook of docs/central.md, as written: pg_dump, more work on two desks,
pg_restore, reset-cursors; both desks converge with every dossier and no code twice.

On the old protocol this lost the dossiers pushed after the backup (the desks thought
them sent), failed every later sync on the desks' UNIQUE server_seq, and handed the same
code block to a second desk.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select

from app.central import admin
from app.central.api import create_app
from app.central.convergence import central_view, desk_problems
from app.models import CodeBlock, Dossier
from app.sync.commands import connect, sync_once
from tests.support.central import (
    ServerThread,
    env_is_ci,
    free_port,
    new_desk,
    postgres_reachable,
    receive_dossiers,
    scratch_postgres,
    unique_office_code,
)


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def _run(*cmd: str) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, (cmd, done.stdout, done.stderr)


def _codes(desk: Any) -> list[str]:
    with desk.read() as s:
        return list(s.scalars(select(Dossier.code)))


def _sync_until_quiet(*desks: Any, rounds: int = 4) -> None:
    for _ in range(rounds):
        for d in desks:
            sync_once(d)


@pytest.mark.postgres
def test_restore_runbook_desks_converge_no_code_twice(tmp_path: Path) -> None:
    if not postgres_reachable():
        if env_is_ci():
            pytest.fail("CI=true but PostgreSQL is unreachable")
        pytest.skip("PostgreSQL at 127.0.0.1:5432 is unreachable")
    with scratch_postgres("onestop_restore") as url:
        port = free_port()
        app = create_app(url)
        server = ServerThread(app, port=port).__enter__()
        code = unique_office_code()
        with app.state.sessions.begin() as s:
            admin.add_office(s, code, "Một cửa khôi phục")
            t1 = admin.add_desk(s, code, "Quầy 1", 1).token
            t2 = admin.add_desk(s, code, "Quầy 2", 2).token
        d1 = new_desk(tmp_path / "d1", office_code=code, slot=1)
        d2 = new_desk(tmp_path / "d2", office_code=code, slot=2)
        connect(d1, server.url, t1)
        connect(d2, server.url, t2)
        receive_dossiers(d1, 3)
        receive_dossiers(d2, 2)
        _sync_until_quiet(d1, d2, rounds=1)

        # 0. the backup
        dump = tmp_path / "onestop.dump"
        _run("pg_dump", "--format=custom", f"--file={dump}", _libpq(url))

        # More work after the backup: d1 uses up its first block and gets a second one.
        receive_dossiers(d1, 40)
        receive_dossiers(d2, 4)
        _sync_until_quiet(d1, d2, rounds=2)
        with d1.read() as s:
            d1_blocks = s.scalars(select(CodeBlock).where(CodeBlock.source == "central")).all()
            assert len(d1_blocks) >= 4  # one a day ahead, and a second one today
        before = len(_codes(d1))
        assert before == len(_codes(d2)) == 49

        # 1. stop the central, 2. restore, 3. reset cursors, 4. start again
        server.__exit__(None, None, None)
        app.state.engine.dispose()
        restore = ("pg_restore", "--clean", "--if-exists", "--no-owner")
        _run(*restore, f"--dbname={_libpq(url)}", str(dump))
        _run(sys.executable, "-m", "app.central.cli", "reset-cursors", "--db", url)
        app = create_app(url)
        server = ServerThread(app, port=port).__enter__()
        try:
            with app.state.sessions() as s:
                held = set(s.scalars(select(Dossier.code)))
            assert len(held) == 5  # the restore lost the 44 dossiers of after the backup

            # The desks keep working; d2 needs numbers first, before d1 has said anything.
            receive_dossiers(d2, 30)
            receive_dossiers(d1, 12)
            _sync_until_quiet(d2, d1, d2, d1)

            codes = _codes(d1)
            assert Counter(codes).most_common(1)[0][1] == 1
            assert sorted(codes) == sorted(_codes(d2))  # the same office history
            assert len(codes) == before + 42
            view = central_view(app.state.sessions, code)
            assert len(view["dossiers"]) == len(codes)  # every dossier is back
            assert desk_problems(d1.sessions, view) == []
            assert desk_problems(d2.sessions, view) == []
        finally:
            server.__exit__(None, None, None)
            app.state.engine.dispose()
            d1.close()
            d2.close()


def test_desk_repaired_after_losing_its_database_continues_above(central, office, tmp_path):
    """It had its receipts refused `code_taken` and failed every sync on its desk_seq."""
    issued = central.add_desk(office, "Quầy 1", slot=1)
    d1 = new_desk(tmp_path / "d1", office_code=office, slot=1)
    connect(d1, central.url, issued.token)
    receive_dossiers(d1, 3)
    with d1.transaction() as s:  # used up its blocks while offline: its fallback range
        s.execute(delete(CodeBlock).where(CodeBlock.source == "central"))
    receive_dossiers(d1, 2)
    sync_once(d1, blocks=False)
    lost = set(_codes(d1))
    assert {c[-4:] for c in lost} >= {"9001", "9002"}
    d1.close()

    again = new_desk(tmp_path / "d1-new", office_code=office, slot=1)
    connect(again, central.url, issued.token, sync=False)
    with again.transaction() as s:  # and offline again at once: no new block yet
        s.execute(
            delete(CodeBlock).where(CodeBlock.source == "central", CodeBlock.next <= CodeBlock.last)
        )
    receive_dossiers(again, 2)
    fresh = set(_codes(again))
    assert not fresh & lost
    report = sync_once(again)
    assert report.rejected == 0 and report.accepted == 2
    assert set(_codes(again)) == fresh | lost
