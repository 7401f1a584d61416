"""Pull and push are independent, and the status tells online, refused, central error and
offline apart (the issue: a 500 on push read as "unreachable" stopped both directions, and
the status bar said "Trực tuyến" after a refused round)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from app.central import admin
from app.central.api import create_app
from app.models import Dossier
from app.services.sync_status import CENTRAL_ERROR, OFFLINE, ONLINE, REFUSED
from app.sync.client import CentralError
from app.sync.commands import connect, sync_once
from app.sync.worker import SyncWorker
from tests.support.central import ServerThread, free_port, new_desk, receive_dossiers


class FailingPush:
    """In front of a real central: POST /v1/events answers 500, everything else passes."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"] == "/v1/events":
            body = json.dumps({"detail": "boom"}).encode()
            await send(
                {
                    "type": "http.response.start",
                    "status": 500,
                    "headers": [(b"content-type", b"application/json")],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)


@pytest.fixture
def failing(central):
    """A second server over the same central database whose push always fails."""
    app = create_app(central.db_url, seed=False)
    with ServerThread(FailingPush(app)) as server:
        yield server.url
    app.state.engine.dispose()


def test_a_desk_whose_push_fails_still_pulls(central, office, failing, tmp_path):
    d1 = new_desk(tmp_path / "d1", office_code=office, slot=1)
    d2 = new_desk(tmp_path / "d2", office_code=office, slot=2)
    connect(d1, central.url, central.add_desk(office, "Quầy 1").token)
    connect(d2, failing, central.add_desk(office, "Quầy 2").token, sync=False)
    theirs = receive_dossiers(d1, 3)
    sync_once(d1)
    receive_dossiers(d2, 2)  # stuck: every push answers 500
    with pytest.raises(CentralError) as exc:
        sync_once(d2)
    assert exc.value.status_code == 500
    report = exc.value.report  # type: ignore[attr-defined]
    assert "push" in report.failed and "pull" not in report.failed
    with d2.read() as s:
        held = set(s.scalars(select(Dossier.id)))
    assert set(theirs) <= held  # pulled all the same


def test_status_tells_the_four_states_apart(central, office, failing, tmp_path):
    desk = new_desk(tmp_path / "d", office_code=office, slot=1)
    issued = central.add_desk(office, "Quầy 1")
    connect(desk, central.url, issued.token)
    receive_dossiers(desk, 1)
    w = SyncWorker(desk)

    w.run_round()
    st = w.status()
    assert (st.state, st.online, st.reason) == (ONLINE, True, "")
    assert st.last_push_ok and st.last_pull_ok

    with desk.transaction() as s:  # the same desk against the failing server
        from app.services.context import set_setting

        set_setting(s, "sync.central_url", failing)
    receive_dossiers(desk, 1)
    w.run_round()
    st = w.status()
    assert st.state == CENTRAL_ERROR and st.online is True and "500" in st.reason
    assert st.waiting_count == 1 and st.head_event_id and st.head_attempts >= 1

    with desk.transaction() as s:
        set_setting(s, "sync.central_url", f"http://127.0.0.1:{free_port()}")
    w.run_round()
    st = w.status()
    assert st.state == OFFLINE and st.online is False

    with desk.transaction() as s:
        set_setting(s, "sync.central_url", central.url)
    with central.sessions.begin() as s:
        admin.revoke_desk(s, issued.desk_id)
    w.run_round()
    st = w.status()
    assert st.state == REFUSED and "401" in st.reason  # not "Trực tuyến"


def test_watchdog_flags_a_queue_head_that_does_not_move(central, office, tmp_path):
    desk = new_desk(tmp_path / "d", office_code=office, slot=1)
    connect(desk, central.url, central.add_desk(office, "Quầy 1").token)
    receive_dossiers(desk, 1)
    now = [1000.0]
    w = SyncWorker(desk, round_fn=lambda sessions: _ok(), clock=lambda: now[0])
    w.run_round()  # "online", but the event never leaves (the round does nothing)
    assert w.status().stuck is False
    now[0] += 599
    assert w.status().stuck is False
    now[0] += 2
    st = w.status()
    assert st.stuck is True and st.waiting_count == 1
    sync_once(desk)  # the head moves: the flag clears
    assert w.status().stuck is False


def _ok() -> Any:
    from app.sync.commands import SyncReport

    return SyncReport()
