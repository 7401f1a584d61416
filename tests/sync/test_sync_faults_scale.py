"""A thousand injected faults, per backend: drops, cut answers, delays, 503s, 502 after the
commit, kill -9 of the central, and a restore of the central from a backup, across three
desks of two offices. Every dossier arrives once, every code is unique, every desk of an
office holds the same history as the central."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from app.central import admin
from app.central.convergence import central_view, desk_problems
from app.central.db import open_central
from app.domain.lifecycle import allowed_actions
from app.models import Dossier, Event
from app.services.sync_status import rejected_events
from app.sync.commands import SyncError, connect, sync_once
from tests.support.central import (
    FaultPlan,
    FaultProxy,
    act,
    env_is_ci,
    free_port,
    new_desk,
    postgres_reachable,
    receive_dossiers,
    scratch_postgres,
    unique_office_code,
)

FAULTS = FaultPlan(drop=0.09, cut=0.09, delay=0.09, error_5xx=0.09, error_after=0.09)
TARGET = 1000
PAYLOADS = {
    "appointment_changed": {"new_due_date": "2027-02-26", "reason": "chờ xác minh"},
    "supplement_requested": {"reason": "thiếu giấy tờ"},
    "cancelled": {"reason": "người nộp rút hồ sơ"},
    "refused": {"reason": "không thuộc thẩm quyền"},
    "feedback_given": {"scores": {"1": 2, "3": 2, "4": 1, "7": 2}, "channel": "desk"},
    "supplement_received": {
        "received_at": "2026-11-18T02:00:00+00:00",
        "effective_receipt_date": "2026-11-18",
        "due_date": "2027-01-12",
    },
}


class CentralProcess:
    """`onestop-central serve` as a child process, so it can be killed with SIGKILL."""

    def __init__(self, db_url: str, port: int) -> None:
        self.db_url, self.port = db_url, port
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = dict(os.environ, ONESTOP_CENTRAL_RATE="off")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "app.central.cli", "serve", "--db", self.db_url,
             "--port", str(self.port), "--log-level", "warning"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/v1/health", timeout=2).is_success:
                    return
            except httpx.HTTPError:
                pass
            assert self.proc.poll() is None, self.proc.stderr.read() if self.proc.stderr else ""
            time.sleep(0.1)
        raise AssertionError("central did not start")

    def kill9(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(20)


def _backup(db_url: str, dest: Path) -> None:
    if db_url.startswith("sqlite"):
        src = sqlite3.connect(db_url.removeprefix("sqlite:///"))
        out = sqlite3.connect(dest)
        src.backup(out)
        out.close()
        src.close()
    else:
        subprocess.run(
            ["pg_dump", "--format=custom", f"--file={dest}",
             db_url.replace("postgresql+psycopg://", "postgresql://")],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip


def _restore(db_url: str, src: Path) -> None:
    if db_url.startswith("sqlite"):
        # SQLite's online backup, the other way round: safe while other connections exist.
        backup = sqlite3.connect(src)
        live = sqlite3.connect(db_url.removeprefix("sqlite:///"))
        backup.backup(live)
        live.close()
        backup.close()
    else:
        subprocess.run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner",
             f"--dbname={db_url.replace('postgresql+psycopg://', 'postgresql://')}", str(src)],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
    subprocess.run(
        [sys.executable, "-m", "app.central.cli", "reset-cursors", "--db", db_url],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip


def _work(desk: Any, rng: random.Random, new: int, actions: int) -> None:
    receive_dossiers(desk, new)
    with desk.read() as s:
        rows = [
            (d.id, d.status, d.rescheduled, d.feedback_given) for d in s.scalars(select(Dossier))
        ]
    for d_id, status, resched, fb in rng.sample(rows, min(actions, len(rows))):
        options = [a.value for a in allowed_actions(status, rescheduled=resched, has_feedback=fb)]
        if options:
            etype = rng.choice(options)
            act(desk, d_id, etype, PAYLOADS.get(etype, {}), strict=False)


@pytest.fixture(params=["sqlite", "postgres"])
def central_db(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'central.sqlite3'}"
        return
    if not postgres_reachable():
        if env_is_ci():
            pytest.fail("CI=true but PostgreSQL is unreachable")
        pytest.skip("PostgreSQL at 127.0.0.1:5432 is unreachable")
    with scratch_postgres("onestop_faults") as url:
        yield url


@pytest.mark.slow
def test_a_thousand_faults_kill_and_restore(central_db: str, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ONESTOP_SYNC_KEEPALIVE", "0")  # a fault decision per request
    rng = random.Random(7)
    engine, sessions = open_central(central_db)  # migrated and seeded like the service
    office_a, office_b = unique_office_code(), unique_office_code()
    with sessions.begin() as s:
        admin.add_office(s, office_a, "Một cửa A")
        admin.add_office(s, office_b, "Một cửa B")
        plan = ((office_a, "A1", 1), (office_a, "A2", 2), (office_b, "B1", 1))
        tokens = [admin.add_desk(s, o, n, k).token for o, n, k in plan]
    port = free_port()
    central = CentralProcess(central_db, port)
    central.start()
    desks = [new_desk(tmp_path / n, office_code=o, slot=k) for o, n, k in plan]
    failures: Counter[str] = Counter()
    events: Counter[str] = Counter()
    started = time.monotonic()
    try:
        with FaultProxy(port, FaultPlan(), seed=13) as proxy:
            for desk, token in zip(desks, tokens, strict=True):
                connect(desk, proxy.url, token)
            backup = tmp_path / "central.backup"
            _backup(central_db, backup)
            proxy.plan = FAULTS
            rnd = 0
            while sum(v for k, v in proxy.counts.items() if k != "pass") < TARGET:
                rnd += 1
                for desk in desks:
                    _work(desk, rng, new=1, actions=2)
                    try:
                        sync_once(desk, timeout=5, push_batch=5, pull_limit=7)
                    except SyncError:
                        failures["round failed"] += 1
                if rnd == 10:
                    central.kill9()  # mid-flight: whatever was not committed is gone
                    events["kill -9 of the central"] += 1
                    central.start()
                if rnd == 25:
                    central.stop()  # the runbook: stop, restore, reset cursors, start
                    _restore(central_db, backup)
                    events["restore from backup"] += 1
                    central.start()
                if rnd % 10 == 0:
                    print(f"round {rnd}: {dict(proxy.counts)} {time.monotonic() - started:.0f}s")
                # A bound on rounds, not on seconds: the loop must end, whatever the load.
                assert rnd < 2000, f"faults never reached {TARGET}: {dict(proxy.counts)}"
            faults = {k: v for k, v in proxy.counts.items() if k != "pass"}
            proxy.plan = FaultPlan()
            for _ in range(3):
                for desk in desks:
                    sync_once(desk)
    finally:
        central.stop()
    elapsed = time.monotonic() - started
    total = sum(faults.values())
    print(f"{central_db.split(':')[0]}: faults injected {faults} (total {total}), ")
    print(f"{dict(events)}, failed rounds {dict(failures)}, {rnd} rounds, {elapsed:.0f}s")
    assert sum(faults.values()) >= TARGET and events["restore from backup"] == 1
    for office, members in ((office_a, desks[:2]), (office_b, desks[2:])):
        view = central_view(sessions, office)
        with members[0].read() as s:
            mine = s.scalar(select(func.count()).select_from(Dossier))
        assert len(view["dossiers"]) == mine >= 10  # every dossier arrived
        for desk in members:
            with desk.read() as s:
                refused = rejected_events(s)
            assert desk_problems(desk.sessions, view) == [], refused[:5]  # the same everywhere
    with sessions() as s:
        codes = s.scalars(select(Dossier.code)).all()
        assert len(codes) == len(set(codes))  # no code twice
        twice = s.execute(
            select(Event.desk_id, Event.desk_seq, func.count())
            .group_by(Event.desk_id, Event.desk_seq)
            .having(func.count() > 1)
        ).all()
        assert twice == []  # every event once
    engine.dispose()
    for desk in desks:
        desk.close()
