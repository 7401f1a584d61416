"""The central API over real sockets, on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
import subprocess
import sys
import uuid
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select

from app.central import admin
from app.central.models import EventOrder
from app.domain.dossier_code import BLOCK_MAX, format_code
from app.models import Dossier, Event
from app.models.event_schema import pulled_wire
from tests.support.central import PROCEDURE, received_payload, unique_office_code


def _catalogue_version(central) -> str:
    r = _client(central, central.add_desk(central.add_office(), "x").token).get("/v1/catalogue")
    return r.json()["version"]


def _client(central, token: str | None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=central.url, headers=headers, timeout=30)


def _desk_info(client: httpx.Client) -> dict:
    r = client.get("/v1/desk")
    assert r.status_code == 200, r.text
    return r.json()


def _event(info: dict, seq: int, dossier_id: str, etype: str, payload: dict) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "desk_id": info["desk_id"],
        "desk_seq": seq,
        "office_id": info["office"]["id"],
        "dossier_id": dossier_id,
        "type": etype,
        "payload": payload,
        "officer_id": None,
        "occurred_at": datetime.now(UTC).isoformat(),
    }


def _received(info: dict, seq: int, n: int, version: str, day: date | None = None) -> dict:
    day = day or date(2026, 11, 17)
    code = format_code(info["office"]["code"], day, n)
    return _event(
        info,
        seq,
        str(uuid.uuid4()),
        "received",
        received_payload(code, n, catalogue_version=version),
    )


def _push(client: httpx.Client, events: list[dict]) -> list[dict]:
    r = client.post("/v1/events", json={"events": events})
    assert r.status_code == 200, r.text
    return r.json()["results"]


def test_health_and_openapi(central):
    r = httpx.get(central.url + "/v1/health")
    assert r.status_code == 200 and r.json()["status"] == "ok"
    assert r.json()["database"] == ("postgresql" if central.backend == "postgres" else "sqlite")
    spec = httpx.get(central.url + "/openapi.json").json()
    for path in ("/v1/events", "/v1/catalogue", "/v1/calendar", "/v1/code-blocks", "/v1/health"):
        assert path in spec["paths"]


def test_tokens_missing_wrong_revoked_and_other_office(central, office):
    issued = central.add_desk(office, "Quầy 1")
    other = central.add_office()
    good = _client(central, issued.token)
    info = _desk_info(good)
    assert info["office"]["code"] == office and info["slot"] == 1

    assert _client(central, None).get("/v1/events").status_code == 401
    assert _client(central, "not-a-token").get("/v1/events").status_code == 401
    # Another office's data: refused, for reading and for writing.
    assert good.get("/v1/events", params={"office": other}).status_code == 403
    ev = _received(info, 1, 1, _catalogue_version(central))
    with central.sessions() as s:
        from app.models import Office

        other_id = s.scalar(select(Office.id).where(Office.code == other))
    ev["office_id"] = other_id
    r = good.post("/v1/events", json={"events": [ev]})
    assert r.status_code == 200  # a per-event verdict: the rest of a batch is still judged
    assert r.json()["results"][0]["reason_code"] == "event.office"
    # Revoked: refused from then on.
    with central.sessions.begin() as s:
        assert admin.revoke_desk(s, issued.desk_id) == 1
    assert good.get("/v1/events").status_code == 401
    assert good.post("/v1/events", json={"events": []}).status_code == 401


def test_push_is_idempotent_and_numbered(central, office):
    c = _client(central, central.add_desk(office).token)
    info = _desk_info(c)
    version = _catalogue_version(central)
    events = [_received(info, i + 1, i + 1, version) for i in range(5)]
    first = _push(c, events)
    assert [r["status"] for r in first] == ["accepted"] * 5
    seqs = [r["server_seq"] for r in first]
    assert seqs == sorted(seqs) and len(set(seqs)) == 5
    again = _push(c, events)  # a lost answer, sent again
    assert [r["status"] for r in again] == ["already_known"] * 5
    assert [r["server_seq"] for r in again] == seqs
    # Same id, other content: refused, and the stored one is untouched.
    forged = dict(events[0], payload=dict(events[0]["payload"], sets_count=9))
    assert _push(c, [forged])[0]["status"] == "rejected"
    with central.sessions() as s:
        codes = s.scalars(
            select(Dossier.code).where(Dossier.id.in_([e["dossier_id"] for e in events]))
        ).all()
        assert len(codes) == 5


def test_rejections_name_a_fix_and_conflicts_are_kept(central, office):
    c = _client(central, central.add_desk(office).token)
    info = _desk_info(c)
    version = _catalogue_version(central)
    bad_proc = _received(info, 1, 1, "1999.01.1")
    bad_proc["payload"]["procedure_code"] = "NO-SUCH"
    wrong_agency = _received(info, 2, 2, version)
    wrong_agency["payload"]["code"] = format_code(unique_office_code(), date(2026, 11, 17), 2)
    missing = _received(info, 3, 3, version)
    del missing["payload"]["applicant"]
    orphan = _event(info, 4, str(uuid.uuid4()), "transferred", {})
    results = _push(c, [bad_proc, wrong_agency, missing, orphan])
    assert [r["status"] for r in results] == ["rejected"] * 4
    assert [r["reason_code"] for r in results] == [
        "procedure.unknown",
        "dossier.code_agency",
        "event.schema",
        "dossier.unknown",
    ]
    assert all(len(r["reason"]) > 20 for r in results)

    ok = _received(info, 5, 5, version)
    d = ok["dossier_id"]
    flow = [
        ok,
        _event(info, 6, d, "result_ready", {}),
        _event(info, 7, d, "returned", {}),
        _event(info, 8, d, "returned", {}),
    ]  # returned twice: kept, flagged
    results = _push(c, flow)
    assert [r["status"] for r in results] == ["accepted"] * 4
    assert results[-1]["conflict"] is True
    cancelled = _received(info, 9, 9, version)
    d2 = cancelled["dossier_id"]
    results = _push(
        c,
        [
            cancelled,
            _event(info, 10, d2, "cancelled", {"reason": "x"}),
            _event(info, 11, d2, "transferred", {}),
        ],
    )
    assert [r["status"] for r in results] == ["accepted"] * 3
    with central.sessions() as s:
        assert s.get(Dossier, d).conflict and s.get(Dossier, d2).conflict
        assert s.get(Dossier, d2).status == "cancelled"
    # A duplicate code from another dossier is refused with a way out.
    dup = _received(info, 12, 5, version)
    r = _push(c, [dup])[0]
    assert r["status"] == "rejected" and r["reason_code"] == "dossier.code_taken"


def test_pull_in_server_order_with_cursor_and_410(central, office):
    c1 = _client(central, central.add_desk(office, "Quầy 1").token)
    c2 = _client(central, central.add_desk(office, "Quầy 2").token)
    other = _client(central, central.add_desk(central.add_office(), "Khác").token)
    i1, i2, io = _desk_info(c1), _desk_info(c2), _desk_info(other)
    version = _catalogue_version(central)
    _push(c1, [_received(i1, k, k, version) for k in range(1, 8)])
    _push(c2, [_received(i2, k, 100 + k, version) for k in range(1, 8)])
    _push(other, [_received(io, 1, 1, version)])
    seen, cursor = [], None
    while True:
        params = {"limit": 3} | ({"after": cursor} if cursor else {})
        page = c2.get("/v1/events", params=params).json()
        seen += page["events"]
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    assert len(seen) == 14 and {e["office_id"] for e in seen} == {i1["office"]["id"]}
    assert [e["server_seq"] for e in seen] == list(range(1, 15))
    # the pull passes payloads through as stored text: the same JSON as the ORM row's
    with central.sessions() as s:
        for e in seen:
            order = s.scalar(select(EventOrder).where(EventOrder.event_id == e["id"]))
            assert e == pulled_wire(s.get(Event, e["id"]), order.seq, order.received_at)
    assert c2.get("/v1/events", params={"after": cursor}).json()["events"] == []
    assert c2.get("/v1/events", params={"after": "garbage!"}).status_code == 400
    with central.sessions.begin() as s:
        admin.bump_cursor_epoch(s)
    assert c2.get("/v1/events", params={"after": cursor}).status_code == 410
    assert len(c2.get("/v1/events").json()["events"]) == 14


def test_code_blocks_never_overlap_and_skip_used_numbers(central, office):
    c1 = _client(central, central.add_desk(office, "Quầy 1").token)
    c2 = _client(central, central.add_desk(office, "Quầy 2").token)
    i1 = _desk_info(c1)
    day = date(2026, 11, 18)
    version = _catalogue_version(central)
    # A number already used by a pushed dossier is never handed out.
    _push(c1, [_received(i1, 1, 30, version, day=day)])
    got = []
    for c in (c1, c2, c1, c2):
        r = c.post("/v1/code-blocks", json={"days": [day.isoformat()], "size": 40})
        assert r.status_code == 200, r.text
        got += r.json()["blocks"]
    ranges = sorted((b["first"], b["last"]) for b in got)
    assert ranges[0][0] == 31
    for (_a1, b1), (a2, _b2) in itertools.pairwise(ranges):
        assert b1 < a2
    # A desk's own used numbers (stand-alone before pairing) are respected too.
    r = c2.post(
        "/v1/code-blocks",
        json={"days": [day.isoformat()], "size": 10, "in_use": {day.isoformat(): 500}},
    )
    assert r.json()["blocks"][0]["first"] == 501
    # Never into the offline fallback range.
    r = c1.post("/v1/code-blocks", json={"days": [day.isoformat()], "size": 500})
    for _ in range(20):
        r = c1.post("/v1/code-blocks", json={"days": [day.isoformat()], "size": 500})
        for b in r.json()["blocks"]:
            assert b["last"] <= BLOCK_MAX
    assert r.json()["blocks"] == []


def test_catalogue_and_calendar_documents(central, office):
    c = _client(central, central.add_desk(office).token)
    cat = c.get("/v1/catalogue").json()
    assert cat["version"] and cat["document"]["procedures"]
    assert any(p["code"] == PROCEDURE for p in cat["document"]["procedures"])
    again = c.get("/v1/catalogue", params={"have": cat["version"]}).json()
    assert again["unchanged"] and again["document"] is None
    cal = c.get("/v1/calendar").json()
    assert cal["version"] and "days" in cal["document"]
    assert _client(central, None).get("/v1/catalogue").status_code == 401


def test_admin_cli_prints_token_once_and_revokes(tmp_path, capsys):
    from app.central.cli import main

    db = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    code = unique_office_code()

    def cli(*args: str) -> tuple[int, str]:
        rc = main([*args, "--db", db])
        return rc, capsys.readouterr().out

    assert cli("add-office", "--code", code, "--name", "Một cửa")[0] == 0
    # The console script itself, once, in its own process.
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "app.central.cli",
            "add-desk",
            "--office",
            code,
            "--name",
            "Quầy 1",
            "--db",
            db,
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    token = out.stdout.strip().splitlines()[-1]
    assert len(token) >= 40
    rc, listing = cli("list-desks")
    assert rc == 0 and token not in listing and "active" in listing
    assert token not in (tmp_path / "c.sqlite3").read_bytes().decode("latin-1")
    assert cli("revoke-desk", "--office", code, "--name", "Quầy 1")[0] == 0
    assert "revoked" in cli("list-desks")[1]
    desk_id = cli("list-desks")[1].split()[0]
    rc, out = cli("rotate-token", "--desk", desk_id)
    assert rc == 0 and out.strip().splitlines()[-1] != token
    # A new token is not a pardon (issue 12): un-revoking is its own, explicit command.
    assert "revoked" in cli("list-desks")[1]
    rc, out = cli("reinstate-desk", "--desk", desk_id)
    assert rc == 0 and "flagged for review" in out
    assert "active" in cli("list-desks")[1]
    assert cli("reinstate-desk", "--desk", desk_id)[0] == 2  # not revoked any more
    assert cli("add-desk", "--office", "XXX.00.00.H00", "--name", "x")[0] == 2


def test_clock_skew_is_reported(central, office):
    c = _client(central, central.add_desk(office).token)
    sent = (datetime.now(UTC) - timedelta(minutes=10)).isoformat()
    r = c.post("/v1/events", json={"events": [], "sent_at": sent}).json()
    assert 590 < r["clock_skew_s"] < 700


@pytest.mark.parametrize("body", [{"events": "nope"}, {"nothing": []}, [1, 2]])
def test_malformed_batches_are_422(central, office, body):
    c = _client(central, central.add_desk(office).token)
    assert c.post("/v1/events", json=body).status_code == 422


@pytest.mark.parametrize(
    "event",
    [
        {"id": "x"},
        "nope",
        {
            "id": str(uuid.uuid4()),
            "desk_id": "d",
            "desk_seq": 0,
            "office_id": "o",
            "dossier_id": "x",
            "type": "received",
            "payload": {},
            "occurred_at": "2026-01-01T00:00:00",
        },
    ],
)
def test_malformed_events_get_a_verdict_each(central, office, event):
    """Formerly a 422 for the whole batch, on every sync: now that event alone is refused."""
    c = _client(central, central.add_desk(office).token)
    r = c.post("/v1/events", json={"events": [event]})
    assert r.status_code == 200, r.text
    (verdict,) = r.json()["results"]
    assert verdict["status"] == "rejected"
    assert verdict["reason"] and verdict["reason_vi"] and verdict["reason_code"]
