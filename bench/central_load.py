"""Load on the central service over PostgreSQL: open loop, closed-loop saturation, baselines.

Open loop (what a desk waits at a realistic load): N simulated desks, 20 per office, each
pushing one batch of ~5 events every 30 s and pulling its office's feed 15 s later; the
arrivals follow the clock, not the answers, and a latency counts from the scheduled
moment, so a queue in the generator or the server shows in the figures.

Closed loop (saturation): a few dozen desks push batches of 5-50 events (uniform) as fast
as the answers come; events/s is the service's ceiling.

Baselines of the same run: a no-op authenticated endpoint (GET /v1/whoami, requests/s:
HTTP, auth and one query, the floor under any push) and pgbench running the push's own SQL
(`PUSH_SQL`, what PostgreSQL alone does here). The generator (one process, bench.rawhttp's
keep-alive HTTP/1.1 client on uvloop: httpx cost more CPU per request than the server's
no-op) shares the machine's cores with the server and PostgreSQL; its CPU time is printed.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import orjson

from app.central import admin
from app.central.service import authenticate
from app.domain.dossier_code import format_code
from app.models import new_id
from bench.rawhttp import HTTPError, RawClient
from tests.support.central import (
    PG_HOST,
    PG_PORT,
    current_catalogue_version,
    free_port,
    received_payload,
    scratch_postgres,
)

FOLLOW_UPS = ("transferred", "result_ready", "returned", "feedback_given")
DESKS_PER_OFFICE = 20
FEEDBACK = {"scores": {"1": 2, "3": 2, "4": 1, "7": 2}}


@dataclass
class SimDesk:
    """A paired desk of the generator: its token, identity and what it sent so far."""

    token: str
    desk_id: str
    office_id: str
    office_code: str
    slot: int
    seq: int = 0
    dossiers: int = 0
    cursor: str | None = None
    open: list[tuple[str, int]] = field(default_factory=list)  # (dossier, follow-ups sent)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def batch(self, n: int, version: str, *, whole: bool = False) -> list[dict[str, Any]]:
        """`n` events: follow-ups of dossiers received earlier, then new dossiers; `whole`:
        only dossiers received in this batch (the open loop sends batches without waiting
        for the answers, so a follow-up must not overtake the push that creates its
        dossier, which a real desk never lets happen)."""
        out: list[dict[str, Any]] = []
        now = datetime.now(UTC).isoformat()
        if whole:
            self.open = []
        while len(out) < n:
            if self.open and (whole or len(self.open) > 3 or random.random() < 0.5):
                dossier, done = self.open[0]
                kind = FOLLOW_UPS[done]
                payload: dict[str, Any] = FEEDBACK if kind == "feedback_given" else {}
                if done + 1 == len(FOLLOW_UPS):
                    self.open.pop(0)
                else:
                    self.open[0] = (dossier, done + 1)
            else:
                self.dossiers += 1
                # slot k owns numbers k*400+1 ... k*400+400 of a day: unique in the office
                day = date(2026, 3, 2) + timedelta(days=(self.dossiers - 1) // 400)
                num = self.slot * 400 + (self.dossiers - 1) % 400 + 1
                code = format_code(self.office_code, day, num)
                dossier = new_id()
                kind = "received"
                payload = received_payload(code, num, catalogue_version=version)
                self.open.append((dossier, 0))
            self.seq += 1
            out.append(
                {
                    "id": new_id(),
                    "desk_id": self.desk_id,
                    "desk_seq": self.seq,
                    "office_id": self.office_id,
                    "dossier_id": dossier,
                    "type": kind,
                    "payload": payload,
                    "occurred_at": now,
                }
            )
        return out


# --- the service and its desks -------------------------------------------------------------


def serve(db_url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    """`onestop-central serve --workers N` in its own process group, as deployed."""
    # A load bench measures, not throttles; 10 (+5) connections per worker are plenty on two
    # cores and keep 4 workers within PostgreSQL's 100 connections shared with others.
    env = dict(os.environ, ONESTOP_CENTRAL_RATE="off", ONESTOP_CENTRAL_POOL="10")
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "app.central.cli",
            "serve",
            "--db",
            db_url,
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        env=env,
        stderr=open(os.environ.get("ONESTOP_BENCH_SERVER_LOG", os.devnull), "ab"),
        start_new_session=True,
    )


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process and its live descendants (the uvicorn
    workers), read from /proc; 0 where /proc is not there."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except OSError:
            continue
    return total


@contextmanager
def measured(server_pid: int) -> Iterator[dict[str, float]]:
    """Wall, the generator's CPU and the server's CPU (all its processes) over a block,
    and the load average at its end: on a shared machine the wall time alone says little."""
    out: dict[str, float] = {}
    t, gen, srv = time.monotonic(), time.process_time(), tree_cpu(server_pid)
    yield out
    out["wall_s"] = round(time.monotonic() - t, 1)
    out["generator_cpu_s"] = round(time.process_time() - gen, 1)
    out["server_cpu_s"] = round(tree_cpu(server_pid) - srv, 1)
    out["load_avg"] = round(os.getloadavg()[0], 1)


def wait_up(url: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(url + "/v1/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError("central service did not start")
        time.sleep(0.3)


@contextmanager
def central(workers: int, prefix: str = "onestop_bench") -> Iterator[tuple[str, int, Any]]:
    """A scratch PostgreSQL database and the service over it: (url, server pid, sessions)."""
    from app.central.db import open_central
    from app.central.documents import seed_bundled

    with scratch_postgres(prefix) as db_url:
        engine, sessions = open_central(db_url)
        with sessions.begin() as s:
            seed_bundled(s)
        port = free_port()
        proc = serve(db_url, port, workers)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_up(url)
            yield url, proc.pid, sessions
        finally:
            proc.terminate()
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
            engine.dispose()


def make_desks(sessions: Any, n: int, tag: str) -> tuple[list[SimDesk], str]:
    """`n` desks, 20 to an office (as a large commune centre), paired straight in the
    database (not timed); returns them and the current catalogue version."""
    out: list[SimDesk] = []
    with sessions.begin() as s:
        version = current_catalogue_version(s)
        office = None
        for k in range(n):
            if k % DESKS_PER_OFFICE == 0:
                o = k // DESKS_PER_OFFICE
                code = f"{tag}{o // 100 % 100:02d}.{o % 100:02d}.31.H56"
                office = admin.add_office(s, code, f"Bench {code}")
            assert office is not None
            issued = admin.add_desk(s, office.code, f"D{k}")
            out.append(SimDesk(issued.token, issued.desk_id, office.id, office.code, issued.slot))
    with sessions() as s:
        assert authenticate(s, out[0].token) is not None
    return out, version


def _run(coro: Any) -> Any:
    """Run the generator's loop on uvloop where there is one (cheaper per request)."""
    try:
        import uvloop
    except ImportError:  # Windows
        return asyncio.run(coro)
    return uvloop.run(coro)


def _all_accepted(body: bytes) -> bool:
    return all(x["status"] == "accepted" for x in orjson.loads(body)["results"])


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    v = sorted(values)
    return round(1000 * v[min(len(v) - 1, int(len(v) * q))], 1)


# --- open loop --------------------------------------------------------------------------------


async def _open_loop(
    url: str, desks: list[SimDesk], version: str, period: float, duration: float, per_push: int
) -> dict[str, Any]:
    push_lat: list[float] = []
    pull_lat: list[float] = []
    errors: list[str] = []
    events = 0
    async with RawClient(url, max_connections=min(len(desks), 500)) as c:

        async def push(d: SimDesk, due: float) -> None:
            nonlocal events
            batch = d.batch(per_push, version, whole=True)
            try:
                code, body = await c.post("/v1/events", json={"events": batch}, headers=d.headers)
                if code == 200 and _all_accepted(body):
                    events += len(batch)
                else:
                    errors.append(f"push {code} {body[:120]!r}")
            except HTTPError as exc:
                errors.append(f"push {exc}")
            push_lat.append(time.monotonic() - due)

        async def pull(d: SimDesk, due: float) -> None:
            params = {"limit": "1000", **({"after": d.cursor} if d.cursor else {})}
            try:
                code, body = await c.get("/v1/events", params=params, headers=d.headers)
                if code != 200:
                    errors.append(f"pull {code} {body[:120]!r}")
                else:
                    d.cursor = orjson.loads(body)["next_cursor"]
            except HTTPError as exc:
                errors.append(f"pull {exc}")
            pull_lat.append(time.monotonic() - due)

        schedule: list[tuple[float, int, SimDesk]] = []
        for d in desks:
            t = random.uniform(0, period)
            while t < duration:
                schedule.append((t, 0, d))
                schedule.append((t + period / 2, 1, d))
                t += period
        schedule.sort(key=lambda x: x[0])
        tasks: list[asyncio.Task[None]] = []
        start = time.monotonic()
        for at, kind, d in schedule:
            delay = start + at - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            due = start + at
            tasks.append(asyncio.create_task(push(d, due) if kind == 0 else pull(d, due)))
        await asyncio.gather(*tasks)
        took = time.monotonic() - start
    return {
        "desks": len(desks),
        "pushes": len(push_lat),
        "pulls": len(pull_lat),
        "events_per_s": round(events / took),
        "push_p50_ms": _pct(push_lat, 0.50),
        "push_p95_ms": _pct(push_lat, 0.95),
        "push_p99_ms": _pct(push_lat, 0.99),
        "pull_p50_ms": _pct(pull_lat, 0.50),
        "pull_p95_ms": _pct(pull_lat, 0.95),
        "pull_p99_ms": _pct(pull_lat, 0.99),
        "errors": len(errors),
        "first_errors": errors[:3],
    }


def open_loop(
    desk_counts: list[int],
    *,
    workers: int = 2,
    period: float = 30.0,
    duration: float = 60.0,
    per_push: int = 5,
) -> list[dict[str, Any]]:
    """One row per desk count, each against a fresh database and server."""
    out = []
    for n in desk_counts:
        with central(workers) as (url, pid, sessions):
            desks, version = make_desks(sessions, n, "B")
            with measured(pid) as cost:
                row = _run(_open_loop(url, desks, version, period, duration, per_push))
        out.append({"workers": workers, **row, **cost})
        print("open-loop", out[-1], flush=True)
    return out


# --- closed loop ------------------------------------------------------------------------------


async def _closed_loop(
    url: str, desks: list[SimDesk], version: str, duration: float, sizes: tuple[int, int]
) -> dict[str, Any]:
    lat: list[float] = []
    errors: list[str] = []
    events = 0
    async with RawClient(url, max_connections=len(desks)) as c:
        stop = time.monotonic() + duration

        async def desk(d: SimDesk) -> None:
            nonlocal events
            while time.monotonic() < stop:
                batch = d.batch(random.randint(*sizes), version)
                t = time.monotonic()
                try:
                    code, body = await c.post(
                        "/v1/events", json={"events": batch}, headers=d.headers
                    )
                    if code == 200 and _all_accepted(body):
                        events += len(batch)
                    else:
                        errors.append(f"{code} {body[:120]!r}")
                except HTTPError as exc:
                    errors.append(str(exc))
                lat.append(time.monotonic() - t)

        start = time.monotonic()
        await asyncio.gather(*[desk(d) for d in desks])
        took = time.monotonic() - start
    return {
        "desks": len(desks),
        "pushes": len(lat),
        "events_per_s": round(events / took),
        "push_p50_ms": _pct(lat, 0.5),
        "push_p99_ms": _pct(lat, 0.99),
        "errors": len(errors),
        "first_errors": errors[:3],
    }


async def _noop_loop(url: str, desks: list[SimDesk], duration: float) -> dict[str, Any]:
    n = 0
    errors = 0
    async with RawClient(url, max_connections=len(desks), timeout=60) as c:
        stop = time.monotonic() + duration

        async def desk(d: SimDesk) -> None:
            nonlocal n, errors
            while time.monotonic() < stop:
                code, _body = await c.get("/v1/whoami", headers=d.headers)
                n += 1
                errors += code != 200

        start = time.monotonic()
        await asyncio.gather(*[desk(d) for d in desks])
        took = time.monotonic() - start
    return {"requests_per_s": round(n / took), "errors": errors}


def saturation(
    *,
    workers: int = 2,
    desks: int = 32,
    offices: int = 8,
    duration: float = 20.0,
    sizes: tuple[int, int] = (5, 50),
    runs: int = 1,
    baselines: bool = True,
) -> dict[str, Any]:
    """Closed-loop events/s (each run on the same server, after a warm-up) and, in the
    same run, the no-op endpoint's requests/s."""
    with central(workers) as (url, pid, sessions):
        sim, version = make_desks(sessions, offices * DESKS_PER_OFFICE, "S")
        # `desks` desks spread over `offices` offices
        per_office = desks // offices
        chosen = [sim[o * DESKS_PER_OFFICE + k] for k in range(per_office) for o in range(offices)]
        _run(_closed_loop(url, chosen, version, min(5.0, duration), sizes))  # warm-up
        rows, costs = [], []
        for _ in range(runs):
            with measured(pid) as cost:
                rows.append(_run(_closed_loop(url, chosen, version, duration, sizes)))
            costs.append(cost)
        noop, noop_cost = None, None
        if baselines:
            with measured(pid) as noop_cost:
                noop = _run(_noop_loop(url, chosen, min(10.0, duration)))
    out = {
        "workers": workers,
        "events_per_s": [r["events_per_s"] for r in rows],
        "push_p50_ms": [r["push_p50_ms"] for r in rows],
        "push_p99_ms": [r["push_p99_ms"] for r in rows],
        "errors": sum(r["errors"] for r in rows),
        "first_errors": [e for r in rows for e in r["first_errors"]][:3],
        "noop_requests_per_s": noop["requests_per_s"] if noop else None,
        # CPU per event of the server (all its processes), and what each run cost
        "server_cpu_ms_per_event": [
            round(1000 * c["server_cpu_s"] / max(1, r["events_per_s"] * c["wall_s"]), 3)
            for r, c in zip(rows, costs, strict=True)
        ],
        "runs": costs,
        "noop_cost": noop_cost,
    }
    print("saturation", out, flush=True)
    return out


# --- pgbench: PostgreSQL alone, running the push's SQL ----------------------------------------


def pgbench_push(
    batch: int = 27, offices: int = 8, clients: int = 8, duration: int = 15
) -> dict[str, Any]:
    """Transactions/s of `PUSH_SQL` (the statements of one push of `batch` events, same
    order and shapes, rows made in SQL) under pgbench, and so events/s: PostgreSQL alone."""
    from sqlalchemy import text, update

    from app.central.db import open_central
    from app.central.documents import seed_bundled
    from app.central.models import DeskCredential
    from app.models import ProcedureVersion

    with scratch_postgres("onestop_pgbench") as db_url:
        engine, sessions = open_central(db_url)
        with sessions.begin() as s:
            seed_bundled(s)
            pv = s.scalars(__import__("sqlalchemy").select(ProcedureVersion)).first()
            assert pv is not None
            for o in range(1, offices + 1):
                code = f"P{o // 100 % 100:02d}.{o % 100:02d}.31.H56"
                admin.add_office(s, code, f"pgbench {o}", office_id=f"off-{o}")
                desk = admin.add_desk(s, code, f"pgbench {o}")
                s.execute(
                    update(DeskCredential)
                    .where(DeskCredential.id == desk.desk_id)
                    .values(id=f"desk-{o}", token_hash=f"tok-{o}")
                )
            s.execute(text("CREATE SEQUENCE bench_key"))
        engine.dispose()
        dbname = db_url.rsplit("/", 1)[1]
        script_text = (
            PUSH_SQL.replace(":batch", str(batch))
            .replace(":dossiers", str(max(1, batch // 5)))
            .replace(":pv", f"'{pv.id}'")
        )
        with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
            f.write(script_text)
            script = f.name
        try:
            proc = subprocess.run(
                [
                    "pgbench",
                    "-h",
                    PG_HOST,
                    "-p",
                    str(PG_PORT),
                    "-U",
                    "postgres",
                    "-n",
                    "-c",
                    str(clients),
                    "-j",
                    "2",
                    "-T",
                    str(duration),
                    "-D",
                    f"offices={offices}",
                    "-f",
                    script,
                    dbname,
                ],
                capture_output=True,
                text=True,
                check=False,
            )
        finally:
            os.unlink(script)
    m = re.search(r"tps = ([0-9.]+)", proc.stdout)
    if proc.returncode != 0 or not m:
        return {"error": (proc.stderr or proc.stdout)[-400:]}
    tps = float(m.group(1))
    return {
        "batch": batch,
        "clients": clients,
        "tps": round(tps),
        "events_per_s": round(tps * batch),
    }


_PAYLOAD = (
    '{"code": "000.00.31.H56-260302-0401", "procedure_code": "1.001", "catalogue_version":'
    ' "2025.1", "applicant": {"full_name": "Nguyễn Thị Hoa", "id_number": "001190000401",'
    ' "date_of_birth": "1990-05-17", "sex": "F", "phone": "0912345678", "address": "Số 5 phố'
    ' Kim Mã, phường Ba Đình, Hà Nội"}, "components": [{"component_code": "1.001-01",'
    ' "name_vi": "Thẻ BHYT", "form_code": null, "copy_kind": "photocopy", "quantity": 1}],'
    ' "channel": "desk", "return_method": "desk", "sets_count": 1, "received_at":'
    ' "2026-03-02T08:00:00+07:00", "effective_receipt_date": "2026-03-02", "due_date":'
    ' "2026-04-11", "log_book": {"year": 2026, "volume": 1, "entry": 401}}'
)

#: The statements of one push (app.central.service.push_batch), in its order, for a batch of
#: :batch events of which :dossiers create dossiers (the rest fold into them): auth; known
#: ids; dossiers locked; codes taken; desk sequences held; the office; the procedure
#: version; dossiers and components inserted, folded ones updated; events inserted; the
#: desk's mark locked, counted and moved; the office's feed numbered (one statement) and
#: the numbered entries inserted. Each statement is one round trip, as the server's are
#: (its multi-row inserts go as one pipelined executemany). Office :o has one desk.
PUSH_SQL = (
    r"""\set o random(1, :offices)
BEGIN;
SELECT c.id, c.name, c.slot, c.revoked_at, f.id AS office, f.code, nextval('bench_key') AS k
  FROM central_desk_credentials c JOIN offices f ON f.id = c.office_id
  WHERE c.token_hash = 'tok-' || :o \gset
SELECT event_id, office_id, seq, conflict, payload_hash FROM central_event_order
  WHERE event_id IN (SELECT :k || '-e' || g FROM generate_series(1, :batch) g);
SELECT * FROM dossiers WHERE id IN (SELECT :k || '-x' || g FROM generate_series(1, :batch) g)
  ORDER BY id FOR UPDATE;
SELECT code, id FROM dossiers
  WHERE code IN (SELECT :k || '-c' || g FROM generate_series(1, :dossiers) g);
SELECT desk_seq, id FROM events WHERE desk_id = 'desk-' || :o
  AND desk_seq IN (SELECT :k * 50 + g FROM generate_series(1, :batch) g);
SELECT * FROM offices WHERE id = 'off-' || :o;
SELECT v.* FROM procedure_versions v JOIN procedures p ON p.id = v.procedure_id
  WHERE v.id = :pv;
INSERT INTO dossiers (id, code, office_id, desk_id, procedure_version_id, procedure_code,
  catalogue_version, status, full_name, name_fold, address, channel, return_method,
  return_address, sets_count, received_at, rescheduled, feedback_given, log_book_year,
  log_book_volume, log_book_entry, note, conflict, event_count, updated_at)
  SELECT :k || '-x' || g, :k || '-c' || g, 'off-' || :o, 'desk-' || :o, :pv, '1.001',
  '2025.1', 'received', 'Nguyễn Thị Hoa', 'nguyen thi hoa',
  'Số 5 phố Kim Mã, phường Ba Đình, Hà Nội', 'desk', 'desk', '', 1, now(), false, false,
  2026, 1, g, '', false, 1, now() FROM generate_series(1, :dossiers) g;
INSERT INTO dossier_components (id, dossier_id, position, component_code, name_vi,
  copy_kind, quantity)
  SELECT :k || '-p' || g, :k || '-x' || g, 0, '1.001-01', 'Thẻ BHYT', 'photocopy', 1
  FROM generate_series(1, :dossiers) g;
UPDATE dossiers SET status = 'transferred', event_count = event_count + 4, updated_at = now()
  WHERE id IN (SELECT :k || '-x' || g FROM generate_series(1, :dossiers) g);
INSERT INTO events (id, desk_id, desk_seq, office_id, dossier_id, type, payload, occurred_at,
  recorded_at, origin, sync_state, server_received_at)
  SELECT :k || '-e' || g, 'desk-' || :o, :k * 50 + g, 'off-' || :o,
  :k || '-x' || (1 + g % :dossiers), 'received', '"""
    + _PAYLOAD
    + r"""'::json, now(), now(),
  'desk', 'accepted', now() FROM generate_series(1, :batch) g;
SELECT held_seq, last_revoked_at, (SELECT count(*) FROM events e
  WHERE e.desk_id = 'desk-' || :o AND e.desk_seq > c.held_seq)
  FROM central_desk_credentials c WHERE c.id = 'desk-' || :o FOR UPDATE OF c;
UPDATE central_desk_credentials SET held_seq = greatest(held_seq, :k * 50 + :batch)
  WHERE id = 'desk-' || :o;
INSERT INTO central_office_counters (office_id, last_seq) VALUES ('off-' || :o, :batch)
  ON CONFLICT (office_id) DO UPDATE
  SET last_seq = central_office_counters.last_seq + :batch RETURNING last_seq \gset
INSERT INTO central_event_order (office_id, seq, event_id, desk_id, received_at, conflict,
  payload_hash)
  SELECT 'off-' || :o, :last_seq - :batch + g, :k || '-e' || g, 'desk-' || :o, now(), false,
  md5(g::text) || md5(g::text) FROM generate_series(1, :batch) g;
COMMIT;
"""
)


def table(results: dict[str, Any]) -> list[str]:
    """The figures as text, each beside its same-run baseline."""
    lines = []
    pg = results.get("pgbench", {})
    sat = results.get("saturation")
    if sat:
        lines.append(
            f"closed loop, {sat['workers']} workers, batches of 5-50 events: "
            f"{', '.join(str(x) for x in sat['events_per_s'])} events/s "
            f"(target >= 2,000; p50 {sat['push_p50_ms']} ms, p99 {sat['push_p99_ms']} ms, "
            f"errors {sat['errors']})"
        )
        for c, per in zip(sat["runs"], sat["server_cpu_ms_per_event"], strict=True):
            lines.append(
                f"  run: wall {c['wall_s']} s, server CPU {c['server_cpu_s']} s "
                f"({per} ms an event), generator CPU {c['generator_cpu_s']} s, "
                f"load average {c['load_avg']}"
            )
        lines.append(
            f"  baselines, same run: no-op authenticated GET /v1/whoami "
            f"{sat['noop_requests_per_s']} requests/s; pgbench on the push's SQL "
            + (
                f"{pg['events_per_s']} events/s ({pg['tps']} pushes/s of {pg['batch']})"
                if "events_per_s" in pg
                else f"failed: {pg.get('error', '-')}"
            )
        )
    if results.get("workers"):
        lines.append(
            "workers  events/s  push p50 ms  push p99 ms  no-op req/s  errors  "
            "server CPU ms/event  load  (best run)"
        )
        for w in results["workers"]:
            lines.append(
                f"{w['workers']:>7}  {max(w['events_per_s']):>8}  {min(w['push_p50_ms']):>11}  "
                f"{min(w['push_p99_ms']):>11}  {w['noop_requests_per_s']:>11}  {w['errors']:>6}  "
                f"{min(w['server_cpu_ms_per_event']):>19}  {w['runs'][-1]['load_avg']:>4}"
            )
    if results.get("open_loop"):
        lines.append(
            "open loop: one push of 5 events per desk every 30 s and a pull 15 s later "
            "(target at 1,000 desks: push p99 < 200 ms, 0 errors)"
        )
        lines.append(
            "  desks  pushes  events/s  push p50/p95/p99 ms      pull p50/p95/p99 ms      errors"
            "  server/generator CPU s  wall s  load"
        )
        for r in results["open_loop"]:
            push = f"{r['push_p50_ms']}/{r['push_p95_ms']}/{r['push_p99_ms']}"
            pull = f"{r['pull_p50_ms']}/{r['pull_p95_ms']}/{r['pull_p99_ms']}"
            lines.append(
                f"  {r['desks']:>5}  {r['pushes']:>6}  {r['events_per_s']:>8}  {push:<23}  "
                f"{pull:<23}  {r['errors']:>6}  "
                f"{r['server_cpu_s']:>9}/{r['generator_cpu_s']:<12}  {r['wall_s']:>6}  "
                f"{r['load_avg']:>4}"
            )
    lines.append(
        "(generator: one process, bench.rawhttp on uvloop, on the same 2 cores as the server and "
        "PostgreSQL)"
    )
    return lines


def run(
    *,
    desk_counts: tuple[int, ...] = (100, 1000, 5000),
    workers: int = 2,
    duration: float = 60.0,
    saturation_runs: int = 3,
    worker_sweep: tuple[int, ...] = (1, 2, 4),
) -> dict[str, Any]:
    """Every section of the central load bench, each printed as it ends, then the table."""
    results: dict[str, Any] = {}
    results["pgbench"] = pgbench_push()
    print("pgbench (push SQL)", results["pgbench"], flush=True)
    results["saturation"] = saturation(workers=workers, runs=saturation_runs)
    results["workers"] = [
        saturation(workers=w, runs=1, duration=15.0) for w in worker_sweep if w != workers
    ]
    results["workers"].append({**results["saturation"]})
    results["workers"].sort(key=lambda r: r["workers"])
    if desk_counts:
        results["open_loop"] = open_loop(list(desk_counts), workers=workers, duration=duration)
    for line in table(results):
        print(line, flush=True)
    return results


def main() -> None:
    import argparse

    p = argparse.ArgumentParser(prog="python -m bench.central_load")
    p.add_argument("--desks", default="100,1000,5000", help="open-loop desk counts")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--sweep", default="1,2,4", help="worker counts for the saturation sweep")
    p.add_argument("--duration", type=float, default=60.0, help="open-loop seconds per level")
    p.add_argument("--runs", type=int, default=3, help="closed-loop saturation runs")
    ns = p.parse_args()
    run(
        desk_counts=tuple(int(x) for x in ns.desks.split(",") if x),
        workers=ns.workers,
        duration=ns.duration,
        saturation_runs=ns.runs,
        worker_sweep=tuple(int(x) for x in ns.sweep.split(",") if x),
    )


if __name__ == "__main__":
    main()
