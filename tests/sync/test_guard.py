"""The desk's guard rails against a real central on loopback: a desk clock injected ±1 day
and ±3 minutes, a clock that went back, offline limits, and a revoked desk."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from app.central.models import DeskCredential, ReviewFlag
from app.services import guard, setup
from app.services.context import get_setting, set_setting
from app.sync.commands import SyncRefused, SyncUnavailable, connect, sync_once
from tests.conftest import make_admin
from tests.gui.conftest import receive
from tests.support.central import new_desk

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


class Skewed:
    """A desk clock off by `delta` from the real one."""

    def __init__(self, delta: timedelta) -> None:
        self.delta = delta

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.delta


def _paired(central, office, tmp_path, delta=timedelta(0)):
    desk = new_desk(tmp_path / "d", office_code=office)
    desk.clock = Skewed(delta)
    connect(desk, central.url, central.add_desk(office, "Quầy 1").token)
    sup = make_admin(desk, "giamsat", "mat-khau-gs", role="supervisor")
    officer = make_admin(desk, "canbo", "mat-khau-cb", role="officer")
    desk.officer_id = officer.id
    return desk, sup, officer


@pytest.mark.parametrize("days", [1, -1])
def test_a_clock_a_day_off_blocks_intake_until_a_supervisor_overrides(
    central, office, tmp_path, days
):
    if central.backend != "sqlite":
        pytest.skip("the clock is the desk's; one central backend is enough")
    desk, sup, officer = _paired(central, office, tmp_path, timedelta(days=days))
    sync_once(desk)
    state = guard.check(desk)
    assert state.clock_offset_s == pytest.approx(-days * 86400, abs=60)
    assert [b.kind for b in state.blocks] == [guard.CLOCK_FAR]
    with pytest.raises(guard.IntakeBlocked, match="CNTT") as err:
        receive(desk)
    assert err.value.blocks[0].overridable
    with pytest.raises(setup.Forbidden):
        guard.override(desk, officer.id, [guard.CLOCK_FAR], "khách đang chờ")
    guard.override(desk, sup.id, [guard.CLOCK_FAR], "khách đang chờ")
    result = receive(desk)
    # Dated by the corrected clock: today's code and due date, not tomorrow's/yesterday's.
    today = datetime.now(HCM).date()
    assert result.code.split("-")[1] == today.strftime("%y%m%d")
    with desk.read() as s:
        from app.models import Dossier

        received = s.scalar(select(Dossier.received_at).where(Dossier.code == result.code))
    assert abs((received - datetime.now(UTC)).total_seconds()) < 300
    log = guard.audit_log(desk)
    assert log[-1]["by"] == "giamsat" and log[-1]["kinds"] == [guard.CLOCK_FAR]
    assert abs(float(log[-1]["clock_offset_s"]) + days * 86400) < 60


@pytest.mark.parametrize("minutes", [3, -3])
def test_three_minutes_off_warns_but_does_not_block(central, office, tmp_path, minutes):
    if central.backend != "sqlite":
        pytest.skip("the clock is the desk's; one central backend is enough")
    desk, _sup, _officer = _paired(central, office, tmp_path, timedelta(minutes=minutes))
    sync_once(desk)
    state = guard.check(desk)
    assert not state.blocks and any("lệch" in w for w in state.warnings)
    code = receive(desk).code
    # A clock known to be 3 minutes off is corrected, not trusted.
    from app.models import Dossier

    with desk.read() as s:
        received = s.scalar(select(Dossier.received_at).where(Dossier.code == code))
    assert abs((received - datetime.now(UTC)).total_seconds()) < 60


def test_a_clock_that_went_back_blocks_intake(tmp_path):
    desk = new_desk(tmp_path / "d")
    desk.officer_id = make_admin(desk, "canbo", "mat-khau-cb", role="officer").id
    receive(desk)
    desk.clock = Skewed(timedelta(days=-2))
    state = guard.check(desk)
    assert [b.kind for b in state.blocks] == [guard.CLOCK_BEHIND]
    with pytest.raises(guard.IntakeBlocked, match="lùi"):
        receive(desk)


def test_offline_limits_and_their_override(central, office, tmp_path):
    if central.backend != "sqlite":
        pytest.skip("desk-side limits; one central backend is enough")
    desk, sup, _officer = _paired(central, office, tmp_path)
    with desk.transaction() as s:
        set_setting(s, "guard.max_unsynced_dossiers", "3")
        set_setting(s, "sync.central_url", "http://127.0.0.1:9")  # the network is down
    for _ in range(3):
        receive(desk)
    with pytest.raises(guard.IntakeBlocked, match="3 hồ sơ chưa đồng bộ"):
        receive(desk)
    # A week and a day without a good sync, too.
    with desk.transaction() as s:
        set_setting(s, "guard.max_unsynced_dossiers", "2000")
        old = datetime.now(UTC) - timedelta(hours=170)
        set_setting(s, "sync.last_good_sync", old.isoformat())
    with pytest.raises(guard.IntakeBlocked, match="chưa đồng bộ được với máy chủ 170 giờ"):
        receive(desk)
    with pytest.raises(SyncUnavailable):
        sync_once(desk, timeout=2)
    guard.override(desk, sup.id, [guard.OFFLINE_LONG], "mất mạng cả xã")
    receive(desk)
    # The network is back: a good sync lifts the limit by itself.
    with desk.transaction() as s:
        set_setting(s, "sync.central_url", central.url)
        set_setting(s, "guard.override.offline_long", "")
    sync_once(desk)
    assert not guard.check(desk).blocks


def test_a_revoked_desk_says_so_stops_after_grace_and_is_flagged_when_reinstated(
    central, office, tmp_path
):
    from app.central import admin

    desk, sup, _officer = _paired(central, office, tmp_path)
    receive(desk)
    sync_once(desk)
    with central.sessions.begin() as s:
        desk_id = s.scalar(select(DeskCredential.id).where(DeskCredential.office_id.is_not(None))
                           .order_by(DeskCredential.created_at.desc()))
        assert admin.revoke_desk(s, desk_id) == 1
    before_revocation_checked = datetime.now(UTC)
    with pytest.raises(SyncRefused):
        sync_once(desk)
    state = guard.check(desk)
    assert state.revoked_since is not None and not state.blocks
    assert any("thu hồi" in w for w in state.warnings)
    made_while_revoked = receive(desk, name="Phạm Văn Đức").code  # within the grace period
    # Past the grace period: no more receipts, and no supervisor can lift that.
    with desk.transaction() as s:
        set_setting(s, "sync.refused_at",
                    (datetime.now(UTC) - timedelta(hours=25)).isoformat())
    with pytest.raises(guard.IntakeBlocked, match="thu hồi") as err:
        receive(desk)
    assert not err.value.blocks[0].overridable
    with pytest.raises(Exception, match="Không thể cho phép"):
        guard.override(desk, sup.id, [guard.REVOKED], "x")
    # A new token is not a pardon: rotate-token keeps the desk revoked.
    with central.sessions.begin() as s:
        rotated = admin.rotate_token(s, desk_id)
    desk.close()
    desk2 = new_desk(tmp_path / "other", office_code=office, slot=5)
    with pytest.raises(SyncRefused):
        connect(desk2, central.url, rotated.token)
    with central.sessions.begin() as s:
        assert s.get(DeskCredential, desk_id).revoked_at is not None
        reinstated = admin.reinstate_desk(s, desk_id)
    from app.services.bootstrap import open_desk

    desk = open_desk(tmp_path / "d")
    connect(desk, central.url, reinstated.token)
    with desk.read() as s:
        assert get_setting(s, "sync.refused_at") == ""
    assert not guard.check(desk).blocks
    with central.sessions() as s:
        flags = list(s.scalars(select(ReviewFlag)))
    assert flags and all(f.reason == "after_revocation" for f in flags)
    from app.models import Dossier

    with central.sessions() as s:
        flagged_codes = set(
            s.scalars(select(Dossier.code).where(Dossier.id.in_([f.dossier_id for f in flags])))
        )
    assert made_while_revoked in flagged_codes
    assert before_revocation_checked
    desk.close()


def test_an_override_is_an_event_that_reaches_the_central_and_other_desks(
    central, office, tmp_path, capsys
):
    """The override is a typed event: queued in the outbox with the override itself,
    pushed, listed at the central (`onestop-central overrides`), pulled by the office's
    other desk without touching any dossier."""
    from app.central.cli import main as central_main
    from app.central.service import guard_overrides
    from app.models import Dossier, Event, Outbox
    from app.models.events import SYNC_ACCEPTED

    desk, sup, _officer = _paired(central, office, tmp_path, timedelta(days=1))
    sync_once(desk)
    guard.override(desk, sup.id, [guard.CLOCK_FAR], "khách đang chờ")
    with desk.read() as s:
        ev = s.scalar(select(Event).where(Event.type == "guard_overridden"))
        assert ev is not None and ev.dossier_id == ev.desk_id
        assert s.get(Outbox, ev.id) is not None  # in the outbox, same transaction
        # Dated by the corrected clock, not the clock a day ahead.
        occurred = ev.occurred_at.replace(tzinfo=UTC)
        assert abs((occurred - datetime.now(UTC)).total_seconds()) < 300
    code = receive(desk).code
    report = sync_once(desk)
    assert not report.failed
    with desk.read() as s:
        assert s.get(Event, ev.id).sync_state == SYNC_ACCEPTED
    with central.sessions() as s:
        rows = guard_overrides(s, office)
        assert s.scalar(select(Dossier.code).where(Dossier.id == ev.dossier_id)) is None
    assert len(rows) == 1
    row = rows[0]
    assert (row.by, row.kinds, row.blocks) == ("giamsat", ["clock_far"], ["clock_far"])
    assert row.reason == "khách đang chờ" and row.clock_offset_s == pytest.approx(-86400, abs=60)
    assert row.officer_id == sup.id and row.desk_name == "Quầy 1"
    capsys.readouterr()
    assert central_main(["overrides", "--db", central.db_url, "--office", office]) == 0
    listed = capsys.readouterr().out
    assert "giamsat" in listed and "clock_far" in listed and "khách đang chờ" in listed
    assert "-86" in listed  # the offset in seconds
    # The office's other desk pulls it: stored, no dossier made of it, no fold error.
    other = new_desk(tmp_path / "d2", office_code=office, slot=2)
    connect(other, central.url, central.add_desk(office, "Quầy 2", slot=2).token)
    pulled = sync_once(other)
    assert pulled.projection_errors == 0
    with other.read() as s:
        assert s.get(Event, ev.id) is not None
        assert s.scalar(select(func.count()).select_from(Dossier)) == 1
        assert s.scalar(select(Dossier.code)) == code
    # The desk's own list reads the same events.
    assert [e["event_id"] for e in guard.audit_log(desk)] == [ev.id]
    other.close()
    desk.close()


def test_a_desk_event_may_not_name_a_dossier():
    """An override pushed with another dossier's id is refused by the shared schema."""
    from app.models.event_schema import EventInvalid, parse_event

    wire = {
        "v": 2, "id": "6f1c1d1e-3a43-4b0a-9c4f-1b2c3d4e5f60", "desk_id": "d" * 36,
        "desk_seq": 1, "office_id": "o" * 36, "dossier_id": "x" * 36,
        "type": "guard_overridden",
        "payload": {"kinds": ["clock_far"], "until": "2026-12-01T10:00:00+00:00"},
        "occurred_at": "2026-12-01T02:00:00+00:00",
    }
    with pytest.raises(EventInvalid) as err:
        parse_event(wire)
    assert [p.field for p in err.value.problems] == ["dossier_id"]
    parse_event({**wire, "dossier_id": "d" * 36})
    with pytest.raises(EventInvalid):
        parse_event({**wire, "dossier_id": "d" * 36, "payload": {"kinds": ["revoked", "x"],
                                                                 "until": wire["occurred_at"]}})


def test_after_an_override_every_event_and_due_date_uses_the_corrected_clock(
    central, office, tmp_path
):
    """Not only intake: a desk opened afresh (no intake yet in this process), its actions,
    a supplement's new due date and a print are all dated
    by the desk clock corrected by the measured offset, never by the clock a day ahead."""
    if central.backend != "sqlite":
        pytest.skip("the clock is the desk's; one central backend is enough")
    from app.domain.completeness import HandedIn
    from app.models import Dossier, Event
    from app.services import actions, intake
    from app.services.bootstrap import open_desk

    desk, sup, officer = _paired(central, office, tmp_path, timedelta(days=1))
    sync_once(desk)
    guard.override(desk, sup.id, [guard.CLOCK_FAR], "khách đang chờ")
    lacking = receive(desk, outcome="supplement").code
    taken = receive(desk).code
    desk.close()
    fresh = open_desk(tmp_path / "d")  # a new process: nothing refreshed by an intake
    fresh.clock = Skewed(timedelta(days=1))
    fresh.officer_id = officer.id
    today = datetime.now(HCM).date()
    assert fresh.now().astimezone(HCM).date() == today
    transferred = actions.transfer(fresh, taken, "Phòng Chế độ")
    result = intake.receive_supplement(
        fresh, lacking, (HandedIn("BHXH-B02-02", "photocopy", 1),), {}
    )
    assert abs((result.received_at - datetime.now(UTC)).total_seconds()) < 300
    printed = actions.record_print(fresh, taken, "receipt", copy=True, synced=False)
    with fresh.read() as s:
        for event_id in (transferred, result.event_id, printed):
            at = s.get(Event, event_id).occurred_at.replace(tzinfo=UTC)
            assert abs((at - datetime.now(UTC)).total_seconds()) < 300, event_id
        supplemented = s.scalar(select(Dossier).where(Dossier.code == lacking))
        assert supplemented.effective_receipt_date <= today + timedelta(days=1)
        assert supplemented.received_at.replace(tzinfo=UTC) < datetime.now(UTC) + timedelta(
            minutes=5
        )
    fresh.close()


@pytest.mark.parametrize(
    "delta", [timedelta(days=1), timedelta(days=-1), timedelta(minutes=3), timedelta(minutes=-3)]
)
def test_the_clock_is_measured_from_the_date_header_of_every_answer(
    central, office, tmp_path, delta
):
    """A revoked desk gets only refusals (401): their HTTP Date header still measures its
    clock, so a desk a day off is blocked for it and one 3 minutes off is warned; a good
    answer's own server_time stays the finer source."""
    if central.backend != "sqlite":
        pytest.skip("the clock is the desk's; one central backend is enough")
    from app.central import admin
    from app.sync.client import CentralClient

    expected = -delta.total_seconds()
    with CentralClient(central.url, "khong-phai-token", clock=Skewed(delta)) as client:
        with pytest.raises(SyncRefused):
            client.desk()
        assert client.last_skew_s == pytest.approx(expected, abs=3)
        assert client.last_skew_source == "date"
    desk, _sup, _officer = _paired(central, office, tmp_path, delta)
    with desk.transaction() as s:  # nothing measured yet: the pairing answer is not stored
        set_setting(s, "sync.clock_skew_s", "")
    with central.sessions.begin() as s:
        desk_id = s.scalar(select(DeskCredential.id).where(DeskCredential.name == "Quầy 1")
                           .where(DeskCredential.revoked_at.is_(None))
                           .order_by(DeskCredential.created_at.desc()))
        admin.revoke_desk(s, desk_id)
    with pytest.raises(SyncRefused) as refused:
        sync_once(desk)
    state = guard.check(desk)
    assert state.clock_offset_s == pytest.approx(expected, abs=3)
    assert refused.value.report.clock_source == "date"
    if abs(delta) > timedelta(hours=1):
        assert [b.kind for b in state.blocks] == [guard.CLOCK_FAR]
    else:
        assert not state.blocks
        assert any("lệch" in w for w in state.warnings)
    # A good answer: the finer server_time, to well under a second.
    with CentralClient(central.url, "x", clock=Skewed(delta)) as client:
        client.health()
        assert client.last_skew_s == pytest.approx(expected, abs=1)
        assert client.last_skew_source == "server_time"
    desk.close()
