"""Issue 13: several workers behind one address, Prometheus metrics at /metrics, the
push's one-statement numbering and its held mark, all on real servers over loopback."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import pytest
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select

from app.central import admin
from app.central.api import create_app
from app.central.models import DeskCredential, EventOrder, OfficeCounter
from app.central.service import desks_to_report
from app.domain.dossier_code import format_code
from tests.support.central import (
    ServerThread,
    current_catalogue_version,
    free_port,
    received_payload,
    unique_office_code,
)


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a Prometheus text page, by (name, sorted labels)."""
    out: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def _value(page: dict, name: str, **labels: str) -> float:
    return page.get((name, tuple(sorted(labels.items()))), 0.0)


def _events(info: dict, version: str, first_seq: int, n: int, day: date) -> list[dict]:
    out = []
    for k in range(n):
        num = 100 + first_seq + k
        out.append(
            {
                "id": str(uuid.uuid4()),
                "desk_id": info["desk_id"],
                "desk_seq": first_seq + k,
                "office_id": info["office"]["id"],
                "dossier_id": str(uuid.uuid4()),
                "type": "received",
                "payload": received_payload(
                    format_code(info["office"]["code"], day, num), num, catalogue_version=version
                ),
                "occurred_at": datetime.now(UTC).isoformat(),
            }
        )
    return out


def _desk(central_url: str, token: str) -> tuple[httpx.Client, dict]:
    c = httpx.Client(base_url=central_url, headers={"Authorization": f"Bearer {token}"})
    r = c.get("/v1/whoami")
    assert r.status_code == 200, r.text
    info = c.get("/v1/desk").json()
    assert r.json()["desk_id"] == info["desk_id"]
    return c, info


def test_metrics_count_pushes_pulls_rejections_and_blocks(central, office):
    """One process: /metrics moves by exactly what the requests did."""
    with central.sessions() as s:
        version = current_catalogue_version(s)
    c, info = _desk(central.url, central.add_desk(office).token)
    before = _samples(httpx.get(central.url + "/metrics").text)
    good = _events(info, version, 1, 3, date(2026, 11, 17))
    bad = dict(good[0], id=str(uuid.uuid4()), desk_seq=4, payload={"code": "not a code"})
    r = c.post("/v1/events", json={"events": [*good, bad]})
    assert [x["status"] for x in r.json()["results"]] == ["accepted"] * 3 + ["rejected"]
    again = c.post("/v1/events", json={"events": good[:1]}).json()["results"]
    assert again[0]["status"] == "already_known"
    pulled = c.get("/v1/events").json()["events"]
    blocks = c.post("/v1/code-blocks", json={"days": ["2026-11-18"], "size": 10})
    assert blocks.status_code == 200 and len(blocks.json()["blocks"]) == 1
    assert httpx.get(central.url + "/v1/events").status_code == 401
    resp = httpx.get(central.url + "/metrics")
    assert resp.headers["content-type"].startswith("text/plain")
    after = _samples(resp.text)

    def delta(name: str, **labels: str) -> float:
        return _value(after, name, **labels) - _value(before, name, **labels)

    assert delta("onestop_central_push_seconds_count") == 2
    assert delta("onestop_central_pull_seconds_count") == 2  # the 401 one is timed too
    assert delta("onestop_central_requests_total", route="push", status="2xx") == 2
    assert delta("onestop_central_requests_total", route="pull", status="4xx") == 1
    assert delta("onestop_central_events_pushed_total", verdict="accepted") == 3
    assert delta("onestop_central_events_pushed_total", verdict="already_known") == 1
    assert delta("onestop_central_events_pushed_total", verdict="rejected") == 1
    assert delta("onestop_central_events_rejected_total", reason="event.schema") == 1
    assert delta("onestop_central_events_pulled_total") == len(pulled) >= 3
    assert delta("onestop_central_code_blocks_issued_total") == 1
    assert _value(after, "onestop_central_code_block_requests_in_progress") == 0
    with central.sessions() as s:  # other tests of the session may have "restored"
        waiting = len(desks_to_report(s, None))
    assert _value(after, "onestop_central_desks_to_report_blocks") == waiting
    assert _value(after, "onestop_central_database_up") == 1
    # no personal data in the page: the applicant's name and ID number are nowhere
    assert "Nguyễn" not in resp.text
    assert good[0]["payload"]["applicant"]["id_number"] not in resp.text


def test_metrics_show_the_code_block_queue_after_a_restore(tmp_path):
    """After reset-cursors every desk must report its blocks before its office gets new
    ones: the gauge counts them down as they report."""
    app = create_app(f"sqlite:///{tmp_path / 'c.sqlite3'}")
    try:
        with ServerThread(app) as server:
            code = unique_office_code()
            with app.state.sessions.begin() as s:
                admin.add_office(s, code, "Khôi phục")
                tokens = [admin.add_desk(s, code, f"Quầy {k}").token for k in range(3)]

            def queue() -> float:
                page = _samples(httpx.get(server.url + "/metrics").text)
                return _value(page, "onestop_central_desks_to_report_blocks")

            assert queue() == 0
            with app.state.sessions.begin() as s:
                admin.bump_cursor_epoch(s)
            assert queue() == 3
            for k, token in enumerate(tokens):
                r = httpx.post(
                    server.url + "/v1/code-blocks",
                    json={"days": [], "held": {}},
                    headers={"Authorization": f"Bearer {token}"},
                )
                assert r.status_code == 200, r.text
                assert queue() == 2 - k
    finally:
        app.state.engine.dispose()


def test_push_numbers_a_new_office_in_one_statement_and_moves_the_mark(central):
    """The office's first push creates its counter; numbers continue across pushes and
    the desk's held mark follows what it sent, also past its own refused event."""
    office = central.add_office()
    with central.sessions() as s:
        version = current_catalogue_version(s)
        assert s.get(OfficeCounter, _office_id(s, office)) is None
    c, info = _desk(central.url, central.add_desk(office).token)
    day = date(2026, 11, 19)
    first = c.post("/v1/events", json={"events": _events(info, version, 1, 4, day)}).json()
    assert [r["server_seq"] for r in first["results"]] == [1, 2, 3, 4]
    assert first["held_seq"] == 4
    batch = _events(info, version, 5, 3, day)
    # refused (another office's code), yet judged: the mark passes it
    batch[1]["payload"]["code"] = format_code(unique_office_code(), day, 200)
    second = c.post("/v1/events", json={"events": batch}).json()
    assert [r["status"] for r in second["results"]] == ["accepted", "rejected", "accepted"]
    assert [r["server_seq"] for r in second["results"]] == [5, None, 6]
    assert second["held_seq"] == 7
    # a gap (seq 8 never sent) holds the mark; stored events above it are counted later
    third = c.post("/v1/events", json={"events": _events(info, version, 9, 2, day)}).json()
    assert third["held_seq"] == 7
    fourth = c.post("/v1/events", json={"events": _events(info, version, 8, 1, day)}).json()
    assert fourth["held_seq"] == 10
    with central.sessions() as s:
        oid = _office_id(s, office)
        counter = s.get(OfficeCounter, oid)
        assert counter is not None and counter.last_seq == 9
        seqs = s.scalars(select(EventOrder.seq).where(EventOrder.office_id == oid)).all()
        assert sorted(seqs) == list(range(1, 10))
        cred = s.get(DeskCredential, info["desk_id"])
        assert cred is not None and cred.held_seq == 10


def test_push_knows_each_records_procedure_version_from_one_lookup(central):
    """A batch naming a known version, an unknown version of a known procedure, the known
    one again and an unknown procedure: the fold's one look-up of the batch's procedures
    answers each pair as a query per pair did."""
    office = central.add_office()
    with central.sessions() as s:
        version = current_catalogue_version(s)
    c, info = _desk(central.url, central.add_desk(office).token)
    batch = _events(info, version, 1, 4, date(2026, 11, 20))
    batch[1]["payload"]["catalogue_version"] = "1999.01.1"
    batch[3]["payload"]["procedure_code"] = "NO-SUCH"
    results = c.post("/v1/events", json={"events": batch}).json()["results"]
    assert [(r["status"], r["reason_code"]) for r in results] == [
        ("accepted", None),
        ("rejected", "procedure.unknown"),
        ("accepted", None),
        ("rejected", "procedure.unknown"),
    ]
    assert "1999.01.1" in results[1]["reason"] and "NO-SUCH" in results[3]["reason"]


def test_a_push_of_27_events_is_14_statements(pg_url):
    """Auth, known ids, dossiers locked, codes, desk sequences, the procedures, dossiers
    and components written, events, the desk's mark (read, moved), the feed numbered and
    its entries: none per event, none per procedure version (BEGIN/COMMIT aside)."""
    from sqlalchemy import event

    from app.central.service import push_batch

    app = create_app(pg_url, rate_limit=None)
    engine, sessions = app.state.engine, app.state.sessions
    try:
        code = unique_office_code()
        with sessions.begin() as s:
            admin.add_office(s, code, "Một cửa")
            issued = admin.add_desk(s, code, "Quầy")
            version = current_catalogue_version(s)
        with sessions() as s:
            info = {"desk_id": issued.desk_id, "office": {"id": _office_id(s, code), "code": code}}
        day = date(2026, 11, 21)
        earlier = _events(info, version, 1, 5, day)
        assert push_batch(sessions, issued.token, earlier) is not None
        batch = _events(info, version, 6, 27, day)
        # follow-ups: five of dossiers pushed before (updated), two of this batch's own
        targets = [e["dossier_id"] for e in earlier] + [
            batch[0]["dossier_id"],
            batch[1]["dossier_id"],
        ]
        for ev, dossier in zip(batch[20:], targets, strict=True):
            ev.update(type="transferred", payload={}, dossier_id=dossier)
        seen: list[str] = []
        listen = lambda *a: seen.append(a[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listen)
        try:
            pushed = push_batch(sessions, issued.token, batch)
        finally:
            event.remove(engine, "before_cursor_execute", listen)
        assert pushed is not None
        assert [r.status for r in pushed[1]] == ["accepted"] * 27, pushed[1]
        assert len(seen) == 14, seen
    finally:
        engine.dispose()


def _office_id(s, code: str) -> str:
    from app.models import Office

    oid = s.scalar(select(Office.id).where(Office.code == code))
    assert oid is not None
    return str(oid)


# --- several workers ------------------------------------------------------------------------


@pytest.fixture
def two_workers(pg_url: str, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`onestop-central serve --workers 2` on loopback, its metrics folder known."""
    port = free_port()
    metrics_dir = tmp_path / "metrics"
    env = dict(os.environ, PROMETHEUS_MULTIPROC_DIR=str(metrics_dir), ONESTOP_CENTRAL_RATE="off")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "app.central.cli",
            "serve",
            "--db",
            pg_url,
            "--port",
            str(port),
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        env=env,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):  # workers start slowly on a loaded machine
            try:
                if httpx.get(url + "/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None:
                pytest.fail(f"serve --workers 2 exited with {proc.returncode}")
            time.sleep(0.2)
        else:
            pytest.fail("serve --workers 2 did not answer")
        yield url, metrics_dir
    finally:
        proc.terminate()
        proc.wait(30)


def test_two_workers_one_address_one_feed_one_metrics_page(two_workers, pg_url):
    """Pushes land on both workers (new connection each), numbering stays one feed,
    idempotency holds across workers, and any worker's /metrics sums both."""
    from app.central.db import open_central

    url, metrics_dir = two_workers
    engine, sessions = open_central(pg_url)
    try:
        code = unique_office_code()
        with sessions.begin() as s:
            admin.add_office(s, code, "Hai tiến trình")
            token = admin.add_desk(s, code, "Quầy").token
            version = current_catalogue_version(s)
    finally:
        engine.dispose()
    headers = {"Authorization": f"Bearer {token}"}
    info = httpx.get(url + "/v1/desk", headers=headers).json()
    day = date(2026, 11, 20)
    before = _samples(httpx.get(url + "/metrics").text)
    seqs: list[int] = []
    batches = [_events(info, version, 1 + 5 * k, 5, day) for k in range(12)]
    for batch in batches:
        # a fresh connection each time: the kernel hands it to either worker
        r = httpx.post(url + "/v1/events", json={"events": batch}, headers=headers)
        assert r.status_code == 200, r.text
        seqs += [x["server_seq"] for x in r.json()["results"]]
    again = httpx.post(url + "/v1/events", json={"events": batches[0]}, headers=headers)
    assert {x["status"] for x in again.json()["results"]} == {"already_known"}
    assert [x["server_seq"] for x in again.json()["results"]] == seqs[:5]
    assert seqs == sorted(seqs) and len(set(seqs)) == 60
    pulled = httpx.get(url + "/v1/events", params={"limit": 1000}, headers=headers).json()
    assert [e["server_seq"] for e in pulled["events"] if e["desk_id"] == info["desk_id"]] == seqs
    # Bursts of concurrent new connections until both workers have answered some (an idle
    # worker can win every accept of a sequential client).
    calls = 0
    for _ in range(10):
        with ThreadPoolExecutor(16) as pool:
            codes = list(
                pool.map(
                    lambda _i: httpx.get(url + "/v1/whoami", headers=headers).status_code,
                    range(32),
                )
            )
        assert codes == [200] * 32
        calls += 32
        served = _workers_that_answered(metrics_dir, "whoami")
        if len(served) >= 2:
            break
    assert len(served) >= 2, f"one worker answered every request: {served}"
    for _ in range(4):  # whichever worker answers the scrape, the page is the sum
        after = _samples(httpx.get(url + "/metrics").text)

        def delta(name: str, **labels: str) -> float:
            return _value(after, name, **labels) - _value(before, name, **labels)  # noqa: B023

        assert delta("onestop_central_events_pushed_total", verdict="accepted") == 60
        assert delta("onestop_central_events_pushed_total", verdict="already_known") == 5
        assert delta("onestop_central_push_seconds_count") == 13
        assert delta("onestop_central_requests_total", route="whoami", status="2xx") == calls


def _workers_that_answered(metrics_dir: Path, route: str) -> list[str]:
    """The worker pids whose own counter file holds answers on `route` (every worker
    makes its files at start, so a file alone proves nothing)."""
    out = []
    for f in sorted(metrics_dir.glob("counter_*.db")):
        for family in MultiProcessCollector.merge([str(f)], accumulate=True):
            if any(
                s.name == "onestop_central_requests_total"
                and s.labels.get("route") == route
                and s.value > 0
                for s in family.samples
            ):
                out.append(f.stem.rsplit("_", 1)[-1])
                break
    return out


def test_workers_are_told_how_many_they_are(tmp_path, monkeypatch):
    """`serve --workers N` prepares once and hands N to the workers (each then keeps 1/N of
    the per-desk rate limit); nothing of it outlives the server."""
    from app.central.asgi import prepare_workers
    from app.central.limits import RateLimit

    monkeypatch.delenv("ONESTOP_CENTRAL_WORKERS", raising=False)
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    monkeypatch.setenv("ONESTOP_CENTRAL_RATE", "20,200")
    with prepare_workers(f"sqlite:///{tmp_path / 'c.sqlite3'}", 4):
        assert os.environ["ONESTOP_CENTRAL_WORKERS"] == "4"
        folder = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
        assert folder.is_dir()
        limit = RateLimit.from_env()
        assert limit is not None and limit.per_second == 5
    assert "ONESTOP_CENTRAL_WORKERS" not in os.environ
    assert "PROMETHEUS_MULTIPROC_DIR" not in os.environ and not folder.exists()


def test_serve_refuses_zero_workers(tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "app.central.cli",
            "serve",
            "--db",
            f"sqlite:///{tmp_path / 'c.sqlite3'}",
            "--workers",
            "0",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "--workers" in proc.stderr
    assert not (tmp_path / "c.sqlite3").exists()  # refused before anything was made


def test_pool_keeps_its_connections_under_load_and_opens_some_before_serving(pg_url, monkeypatch):
    """A connection returned while the pool is busy stays open for the next request
    (an overflow connection was closed on return and a new backend started for the next
    one), and a worker opens a few before it serves its first request."""
    from app.central.db import WARM_CONNECTIONS, open_central

    monkeypatch.setenv("ONESTOP_CENTRAL_POOL", "4")
    engine, _sessions = open_central(pg_url)
    try:
        assert engine.pool.checkedin() >= min(WARM_CONNECTIONS, 6)  # type: ignore[attr-defined]
        held = [engine.raw_connection() for _ in range(6)]  # 4 and half as many again
        pids = {c.driver_connection.info.backend_pid for c in held}  # type: ignore[union-attr]
        for c in held:
            c.close()
        assert engine.pool.checkedin() == 6  # type: ignore[attr-defined]
        again = [engine.raw_connection() for _ in range(6)]
        assert {c.driver_connection.info.backend_pid for c in again} == pids  # type: ignore[union-attr]
        for c in again:
            c.close()
    finally:
        engine.dispose()
