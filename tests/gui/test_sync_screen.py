"""The sync screen (issue 11): refused events with the central's reason, retry, set aside
(recorded as an audited event), the queue's head and age, last successes, the watchdog,
and "sync now"; before it, the rejected list existed in services and no screen showed it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sqlalchemy import select, update

from app.models import Event
from app.models.events import SYNC_QUEUED, SYNC_REJECTED, SYNC_SET_ASIDE
from app.services.sync_status import DeskSyncStatus
from app.sync.commands import encode_reason
from app.ui import worker
from app.ui.sync_screen import RejectedModel, SyncScreen
from tests.gui.conftest import receive

VERDICT = {
    "reason_code": "procedure.unknown",
    "field": "",
    "reason": "Procedure BHXH-B02 of catalogue 1999.1 is not known to the central service.",
    "reason_vi": "Thủ tục BHXH-B02 của danh mục 1999.1 chưa được công bố ở máy chủ trung tâm.",
}


def _refuse(desk, event_id: str) -> None:
    with desk.transaction() as s:
        s.execute(
            update(Event)
            .where(Event.id == event_id)
            .values(sync_state=SYNC_REJECTED, reject_reason=encode_reason(VERDICT))
        )


def _status(**kw) -> DeskSyncStatus:
    base = DeskSyncStatus(
        online=True,
        waiting_count=0,
        oldest_waiting_age_s=None,
        last_good_sync=None,
        last_error="",
        clock_skew_s=None,
        rejected_count=0,
    )
    return replace(base, **kw)


def test_refused_events_set_aside_as_an_event_and_retry(qtbot, qtmodeltester, desk, tmp_path: Path):
    first, second = receive(desk), receive(desk, id_number="001190012346")
    _refuse(desk, first.event_id)
    _refuse(desk, second.event_id)
    screen = SyncScreen(desk)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitUntil(lambda: screen.model.rowCount() == 2, timeout=5000)
    standalone = RejectedModel()  # unparented: it outlives the screen for the tester
    standalone.set_rows(screen.model.rows)
    qtmodeltester.check(standalone, force_py=True)
    assert "chưa được công bố" in screen.model.index(0, screen.model.REASON).data()
    assert screen.model.index(0, screen.model.CODE).data() == first.code
    assert not screen.set_aside_btn.isEnabled()  # nothing chosen yet
    screen.grab().save(str(tmp_path / "sync_screen.png"))

    screen.table.selectRow(0)
    screen.note.setText("Thủ tục đã bị bãi bỏ")
    with qtbot.waitSignal(screen.sync_requested, timeout=5000):
        screen.set_aside_btn.click()
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1, timeout=5000)
    with desk.read() as s:
        assert s.get(Event, first.event_id).sync_state == SYNC_SET_ASIDE
        audit = s.scalars(select(Event).where(Event.type == "set_aside")).one()
        assert audit.payload == {
            "event_id": first.event_id,
            "reason_code": "procedure.unknown",
            "note": "Thủ tục đã bị bãi bỏ",
        }
        assert audit.officer_id == desk.officer_id and audit.dossier_id == first.dossier_id

    screen.table.selectRow(0)
    with qtbot.waitSignal(screen.sync_requested, timeout=5000):
        screen.retry_btn.click()
    qtbot.waitUntil(lambda: screen.model.rowCount() == 0, timeout=5000)
    with desk.read() as s:
        assert s.get(Event, second.event_id).sync_state == SYNC_QUEUED
    worker.wait_idle()


def test_state_queue_head_last_success_and_watchdog(qtbot, desk):
    st = _status(
        state="refused",
        reason="refused (401): A valid desk token is required",
        waiting_count=3,
        oldest_waiting_age_s=3 * 3600,
        head_desk_seq=17,
        head_attempts=5,
        head_last_error="central service answered 503",
        stuck=True,
    )
    screen = SyncScreen(desk, read_status=lambda: st)
    qtbot.addWidget(screen)
    qtbot.waitUntil(lambda: bool(screen.queue_label.text()), timeout=5000)
    assert "từ chối" in screen.state_label.text() and "401" in screen.state_label.text()
    assert "3 sự kiện" in screen.queue_label.text() and "17" in screen.queue_label.text()
    assert "503" in screen.queue_label.text()
    assert "10 phút" in screen.watchdog_label.text()
    for state, word in (("central_error", "Lỗi máy chủ"), ("offline", "Mất kết nối")):
        screen.show_status(replace(st, state=state, stuck=False))
        assert word in screen.state_label.text() and screen.watchdog_label.text() == ""
    with qtbot.waitSignal(screen.sync_requested, timeout=2000):
        screen.sync_btn.click()
    worker.wait_idle()


def test_f8_opens_the_sync_screen(qtbot, window):
    window.sync_action.trigger()
    qtbot.waitUntil(lambda: getattr(window, "sync_window", None) is not None, timeout=5000)
    assert window.sync_window.isVisible()
    window.sync_window.close()
