"""Bad input never costs a 500, the good events of its batch, or personal data in the log.

Each case is one the issue found on the old protocol: one over-long or broken field made
the central answer 500 for the whole batch (and log the applicant's data), one event dated
1999 made the whole batch a 422 on every sync, and bodies of any size were parsed before
the token was even looked at.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select, text

from app.central.api import create_app
from app.central.limits import Limits, RateLimit
from app.domain.dossier_code import format_code
from app.models import Dossier
from tests.support.central import ServerThread, received_payload


def _client(central: Any, token: str | None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=central.url, headers=headers, timeout=60)


def _setup(central: Any, office: str) -> tuple[httpx.Client, dict[str, Any], str]:
    c = _client(central, central.add_desk(office).token)
    info = c.get("/v1/desk").json()
    version = c.get("/v1/catalogue").json()["version"]
    return c, info, version


def _received(info: dict[str, Any], seq: int, n: int, version: str) -> dict[str, Any]:
    code = format_code(info["office"]["code"], date(2026, 11, 17), n)
    return {
        "v": 2,
        "id": str(uuid.uuid4()),
        "desk_id": info["desk_id"],
        "desk_seq": seq,
        "office_id": info["office"]["id"],
        "dossier_id": str(uuid.uuid4()),
        "type": "received",
        "payload": received_payload(code, n, catalogue_version=version),
        "officer_id": None,
        "occurred_at": datetime.now(UTC).isoformat(),
    }


def _applicant(field: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(ev: dict[str, Any]) -> None:
        ev["payload"]["applicant"][field] = value

    return change


def _payload(field: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(ev: dict[str, Any]) -> None:
        ev["payload"][field] = value

    return change


def _envelope(field: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(ev: dict[str, Any]) -> None:
        ev[field] = value

    return change


BAD = {
    "address_320": (_applicant("address", "Số 5 " + "x" * 315), "payload.applicant.address"),
    "name_101": (_applicant("full_name", "Nguyễn " + "a" * 94), "payload.applicant.full_name"),
    "nul_byte": (_applicant("full_name", "Nguyễn\x00Hoa"), "payload.applicant.full_name"),
    "lone_surrogate": (_applicant("address", "Kim Mã \ud800"), "payload.applicant.address"),
    "not_nfc": (_applicant("full_name", "Nguye\u0302\u0303n Hoa"), "payload.applicant.full_name"),
    "desk_seq_2_40": (_envelope("desk_seq", 2**40), "desk_seq"),
    "sets_1e30": (_payload("sets_count", 1e30), "payload.sets_count"),
    "dated_1999": (_envelope("occurred_at", "1999-12-31T23:00:00+00:00"), "occurred_at"),
    "received_1999": (_payload("received_at", "1999-12-31T23:00:00+00:00"), "payload.received_at"),
    "unknown_field": (_payload("secret", "x"), "payload.secret"),
    "huge_list": (_payload("missing", ["x"] * 5000), "payload.missing"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_one_bad_event_is_refused_alone_with_a_reason(central, office, case):
    c, info, version = _setup(central, office)
    change, field = BAD[case]
    events = [_received(info, i + 1, i + 1, version) for i in range(3)]
    change(events[1])
    # ASCII-escaped JSON, as a desk could send it: "\ud800" arrives as a lone surrogate.
    body = json.dumps({"events": events}).encode()
    r = c.post("/v1/events", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert [x["status"] for x in results] == ["accepted", "rejected", "accepted"]
    bad = results[1]
    assert bad["reason_code"] == "event.schema" and bad["field"] == field
    assert field in bad["reason"] and field in bad["reason_vi"]
    assert bad["reason"] != bad["reason_vi"]  # one for each language
    with central.sessions() as s:
        held = set(
            s.scalars(select(Dossier.id).where(Dossier.id.in_([e["dossier_id"] for e in events])))
        )
    assert held == {events[0]["dossier_id"], events[2]["dossier_id"]}


def test_version_1_envelope_still_accepted(central, office):
    """A desk not yet upgraded sends no `v`; its events get in as before."""
    c, info, version = _setup(central, office)
    ev = _received(info, 1, 1, version)
    del ev["v"]
    r = c.post("/v1/events", json={"events": [ev]})
    assert r.json()["results"][0]["status"] == "accepted"


def test_body_limit_before_parsing_and_before_auth(central, office):
    big = b'{"events": [' + b" " * (2 * 1024 * 1024) + b"]}"
    headers = {"Content-Type": "application/json"}
    for token in (None, "not-a-token", central.add_desk(office).token):
        c = _client(central, token)
        r = c.post("/v1/events", content=big, headers=headers)
        assert r.status_code == 413, (token, r.status_code)
        assert "1048576" in r.json()["detail"]

        def chunks():  # no Content-Length: counted while it streams
            for _ in range(40):
                yield b" " * 65536

        r = c.post("/v1/events", content=chunks(), headers=headers)
        assert r.status_code == 413


def test_limits_rate_per_token_with_retry_after(tmp_path: Path):
    app = create_app(f"sqlite:///{tmp_path / 'c.sqlite3'}", rate_limit=RateLimit(1.0, 3))
    with ServerThread(app) as server:
        for token in ("a", "b"):  # per token: one desk's burst does not hold up another
            c = httpx.Client(
                base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=30
            )
            codes = [c.get("/v1/desk").status_code for _ in range(5)]
            assert codes[:3] == [401, 401, 401] and codes[3:] == [429, 429]
            r = c.get("/v1/desk")
            assert r.status_code == 429 and 1 <= int(r.headers["Retry-After"]) <= 2
        assert httpx.get(server.url + "/v1/health").status_code == 200  # no token: not counted
    app.state.engine.dispose()


def test_rate_limit_refills():
    now = [0.0]
    limits = Limits(lambda *_: None, rate=RateLimit(2.0, 2), clock=lambda: now[0])  # type: ignore[arg-type, return-value]
    assert [limits._retry_after("k") for _ in range(2)] == [0.0, 0.0]
    assert limits._retry_after("k") == pytest.approx(0.5)
    now[0] = 0.6
    assert limits._retry_after("k") == 0.0


def test_rate_limit_is_shared_out_between_workers(monkeypatch):
    """Each uvicorn worker keeps its own buckets: with N workers each allows 1/N, so a desk
    never gets more than the configured rate in all."""
    monkeypatch.delenv("ONESTOP_CENTRAL_WORKERS", raising=False)
    monkeypatch.setenv("ONESTOP_CENTRAL_RATE", "20,200")
    assert RateLimit.from_env() == RateLimit(20.0, 200)
    monkeypatch.setenv("ONESTOP_CENTRAL_WORKERS", "4")
    assert RateLimit.from_env() == RateLimit(5.0, 50)
    monkeypatch.delenv("ONESTOP_CENTRAL_RATE")
    assert RateLimit.from_env() == RateLimit(RateLimit.per_second / 4, RateLimit.burst // 4)
    monkeypatch.setenv("ONESTOP_CENTRAL_RATE", "off")
    assert RateLimit.from_env() is None


def _break_dossier_inserts(central: Any) -> None:
    """A trigger that fails inserts of one name: a database error the checks cannot foresee."""
    with central.sessions.begin() as s:
        if central.backend == "postgres":
            s.execute(
                text(
                    "CREATE OR REPLACE FUNCTION onestop_t_fail() RETURNS trigger AS $$ BEGIN "
                    "IF NEW.full_name LIKE 'Lê Bí Mật%' THEN "
                    "RAISE EXCEPTION 'forced failure for %', NEW.full_name; END IF; "
                    "RETURN NEW; END $$ LANGUAGE plpgsql"
                )
            )
            s.execute(text("DROP TRIGGER IF EXISTS onestop_t_fail ON dossiers"))
            s.execute(
                text(
                    "CREATE TRIGGER onestop_t_fail BEFORE INSERT ON dossiers FOR EACH ROW "
                    "EXECUTE FUNCTION onestop_t_fail()"
                )
            )
        else:
            s.execute(
                text(
                    "CREATE TRIGGER IF NOT EXISTS onestop_t_fail BEFORE INSERT ON dossiers "
                    "WHEN NEW.full_name LIKE 'Lê Bí Mật%' "
                    "BEGIN SELECT RAISE(ABORT, 'forced failure'); END"
                )
            )


def test_database_error_is_503_and_keeps_personal_data_out_of_the_log(
    central, office, caplog, capfd
):
    c, info, version = _setup(central, office)
    _break_dossier_inserts(central)
    ev = _received(info, 1, 1, version)
    applicant = ev["payload"]["applicant"]
    applicant.update(full_name="Lê Bí Mật Thị Hồng", id_number="079123456789", phone="0987654321")
    applicant["address"] = "Số 77 ngõ Bí Mật, Hoàn Kiếm"
    caplog.set_level(logging.DEBUG)
    r = c.post("/v1/events", json={"events": [ev]})
    assert r.status_code == 503, r.text
    assert "Retry-After" in r.headers
    time.sleep(0.2)
    logged = caplog.text + "".join(capfd.readouterr())
    assert "database error" in logged  # the failure is logged ...
    for secret in ("Bí Mật", "079123456789", "0987654321", "Hoàn Kiếm"):
        assert secret not in logged and secret not in r.text  # ... without who it was about
    with central.sessions.begin() as s:
        s.execute(
            text(
                "DROP TRIGGER IF EXISTS onestop_t_fail"
                + (" ON dossiers" if central.backend == "postgres" else "")
            )
        )
