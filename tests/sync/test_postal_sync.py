"""Postal hand-over records across offices through a real central on loopback (issue 15):
the record reaches the agency's office and no other, answers come back, a record signed
by two agency desks offline is a conflict, and replays change nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from app.central.models import EventRoute, ReviewFlag
from app.domain.applicant import Applicant
from app.domain.completeness import HandedIn
from app.domain.postal import make_s10
from app.models import Dossier, Event, Office, Outbox
from app.models.events import SYNC_QUEUED
from app.models.postal import PostalBatch, PostalItem
from app.services import postal
from app.sync.commands import connect, sync_once
from tests.support.central import new_desk
from tests.support.postal import make_post_desk

ANH = Applicant(
    full_name="Lê Văn Hùng",
    id_number="001085012345",
    date_of_birth=date(1985, 3, 4),
    sex="M",
    phone="0987654321",
    address="Số 12 phố Huế, phường Hai Bà Trưng, Hà Nội",
)
E02 = (HandedIn("BHXH-E02-01", "original", 1),)


def _offices(central: Any) -> tuple[str, str, str]:
    return central.add_office(), central.add_office(), central.add_office()


def _post(central: Any, tmp: Path, post_code: str, agency_code: str) -> Any:
    ctx = make_post_desk(tmp / "post", office_code=post_code, agency_code=agency_code)
    connect(ctx, central.url, central.add_desk(post_code, "Quầy bưu điện").token)
    return ctx


def _desk(central: Any, tmp: Path, name: str, code: str, slot: int = 1) -> Any:
    ctx = new_desk(tmp / name, office_code=code, slot=slot)
    connect(ctx, central.url, central.add_desk(code, name).token)
    return ctx


def _accept(post: Any, agency_code: str, n: int, serial: int) -> None:
    for i in range(n):
        postal.accept(
            post,
            postal.AcceptRequest(agency_code, "BHXH-E02", ANH, E02, make_s10("RR", serial + i)),
        )


def _count(ctx: Any, model: Any, *where: Any) -> int:
    with ctx.read() as s:
        return int(s.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def test_hand_over_reaches_the_agency_office_only_and_answers_come_back(central, tmp_path):
    p_code, a_code, c_code = _offices(central)
    post = _post(central, tmp_path, p_code, a_code)
    agency = _desk(central, tmp_path, "agency", a_code)
    third = _desk(central, tmp_path, "third", c_code)
    _accept(post, a_code, 3, 31_000)
    info = postal.hand_over(post, a_code)
    assert sync_once(post).accepted == 4

    sync_once(agency)
    sync_once(third)
    opened = postal.open_batch(agency, info.code.text())
    assert opened.known is not None and not opened.signed  # online: the record is here
    assert [r.consignment_no for r in opened.known.row_data()] == [
        r.consignment_no for r in info.row_data()
    ]
    # The third office sees nothing of it: no record, no event of the post office.
    assert _count(third, PostalBatch) == 0
    with post.read() as s:
        post_office = s.scalar(select(Office.id).where(Office.code == p_code))
    assert _count(third, Event, Event.office_id == post_office) == 0

    postal.sign_batch(agency, info.code.text(), opened.known.row_data())
    for pos in (1, 2):
        postal.settle_row(agency, info.batch_no, pos, "received")
    postal.settle_row(agency, info.batch_no, 3, "missing", reason="Không có trong bao")
    sync_once(agency)
    sync_once(post)
    sync_once(third)
    with post.read() as s:
        items = {i.consignment_no: i for i in s.scalars(select(PostalItem))}
        assert sorted(i.status for i in items.values()) == ["missing", "received", "received"]
        codes = {i.dossier_code for i in items.values() if i.status == "received"}
        assert all(c and c.startswith(a_code) for c in codes)
        b = s.scalar(select(PostalBatch).where(PostalBatch.batch_no == info.batch_no))
        assert b is not None and b.receipts == 1 and b.signed_at is not None and not b.conflict
        assert s.scalar(select(func.count()).select_from(Dossier)) == 0  # the agency's, not here
    with agency.read() as s:
        assert {d.code for d in s.scalars(select(Dossier))} == codes
    assert _count(third, PostalBatch) == 0 and _count(third, Dossier) == 0

    # Replays change nothing: the post office sends every event again.
    with central.sessions() as cs:
        routes_before = cs.scalar(select(func.count()).select_from(EventRoute))
    with post.transaction() as s:
        for ev in s.scalars(select(Event).where(Event.origin == "local")):
            ev.sync_state = SYNC_QUEUED
            s.add(Outbox(event_id=ev.id, desk_seq=ev.desk_seq))
    report = sync_once(post)
    assert report.accepted == 0 and report.rejected == 0
    with central.sessions() as cs:
        assert cs.scalar(select(func.count()).select_from(EventRoute)) == routes_before
    sync_once(agency)
    assert _count(agency, PostalBatch) == 1 and _count(agency, Dossier) == 2


def test_a_record_signed_by_two_agency_desks_offline_is_a_conflict(central, tmp_path):
    p_code, a_code, _c = _offices(central)
    post = _post(central, tmp_path, p_code, a_code)
    a1 = _desk(central, tmp_path, "a1", a_code, slot=1)
    a2 = _desk(central, tmp_path, "a2", a_code, slot=2)
    _accept(post, a_code, 2, 32_000)
    info = postal.hand_over(post, a_code)
    sync_once(post)
    rows = info.row_data()  # what both desks scan from the paper, each offline
    postal.sign_batch(a1, info.code.text(), rows)
    postal.sign_batch(a2, info.code.text(), rows)
    postal.settle_row(a1, info.batch_no, 1, "received")
    postal.settle_row(a2, info.batch_no, 1, "received")
    sync_once(a1)
    second = sync_once(a2)
    assert second.rejected == 0  # kept, never dropped
    with central.sessions() as cs:
        flags = cs.scalars(select(ReviewFlag).where(ReviewFlag.reason == "postal_signed_twice"))
        assert len(list(flags)) == 1
    sync_once(a1)
    sync_once(post)
    for ctx in (a1, a2, post):
        (b,) = postal.conflicts(ctx)
        assert b.batch_no == info.batch_no and b.receipts == 2
    # Both dossiers exist (nothing silently merged) until a supervisor settles it.
    assert _count(a1, Dossier) == 2
