"""A supervisor's resolution of a record signed twice, on real desk databases (issue 15):
who may, what is checked before anything is written, and a fold that does not depend on
the order the resolutions arrive in. The whole two-desk story is tests/sync."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from app.domain.errors import DomainError, ValidationFailed
from app.domain.lifecycle import EventType
from app.models import Dossier, Event
from app.models.postal import PostalBatch
from app.services import postal
from app.services.context import DeskContext
from app.services.setup import Forbidden, current_desk
from tests.conftest import Clock, make_admin
from tests.support.postal import AGENCY_CODE, make_post_desk
from tests.unit.postal.test_postal_desk import _accept

OTHER_DESK = "0b5c1c1e-0000-4000-8000-00000000d2d2"


@pytest.fixture
def post(tmp_path: Path, clock: Clock) -> Iterator[DeskContext]:
    ctx = make_post_desk(tmp_path / "post", clock=clock)
    yield ctx
    ctx.close()


def _signed_twice(post: DeskContext, desk: DeskContext) -> postal.BatchInfo:
    """A record signed and settled on `desk`, then marked as also signed by another desk
    (what folding that desk's signature does: see tests/sync/test_postal_resolve.py)."""
    for n in range(1, 3):
        _accept(post, n)
    info = postal.hand_over(post, AGENCY_CODE)
    postal.sign_batch(desk, info.code.text(), info.row_data())
    postal.settle_row(desk, info.batch_no, 1, "received")
    with desk.transaction() as s:
        b = s.get(PostalBatch, info.batch_id)
        assert b is not None
        b.signers, b.receipts, b.conflict = [*b.signers, OTHER_DESK], 2, True
    return info


def _desk_id(ctx: DeskContext) -> str:
    with ctx.read() as s:
        d = current_desk(s)
        assert d is not None
        return d.desk_id


def _events(ctx: DeskContext) -> int:
    with ctx.read() as s:
        return int(s.scalar(select(func.count()).select_from(Event)) or 0)


def test_standing_settlement_per_row() -> None:
    def ev(i: str, desk: str, pos: int, code: str) -> SimpleNamespace:
        return SimpleNamespace(id=i, desk_id=desk, payload={"pos": pos, "dossier_code": code})

    settles = [
        ev("1", "A", 1, "X-1"),
        ev("2", "B", 1, "X-2"),  # row 1 twice: A's stands when A is kept
        ev("3", "B", 2, "X-3"),  # row 2 only B: the only dossier, kept
        ev("4", "A", 3, "X-4"),
        ev("5", "B", 3, "X-5"),  # row 3: both cancelled by two supervisors -> reopened
    ]
    got = postal.standing_settlements(settles, "A", {"X-4", "X-5"})
    assert {pos: e.id for pos, e in got.items()} == {1: "1", 2: "3"}
    assert postal.standing_settlements(settles, "B", set())[1].id == "2"


def test_only_a_supervisor_of_the_signing_office_resolves_and_bad_input_writes_nothing(
    post: DeskContext, desk: DeskContext
) -> None:
    info = _signed_twice(post, desk)
    before = _events(desk)
    me = _desk_id(desk)
    with pytest.raises(Forbidden):
        postal.resolve_conflict(desk, info.batch_no, me, "Trùng", actor_id=desk.officer_id)
    boss = str(make_admin(desk, username="giamsat", role="supervisor").id)
    with pytest.raises(ValidationFailed) as bad:
        postal.resolve_conflict(desk, info.batch_no, "not-a-signer", "  ", actor_id=boss)
    assert {e.field for e in bad.value.errors} == {"keep", "reason"}
    assert _events(desk) == before
    # The post office holds the record too, but the agency settles it.
    with post.transaction() as s:
        b = s.get(PostalBatch, info.batch_id)
        assert b is not None
        b.conflict = True
    post_boss = str(make_admin(post, username="giamsatbd", role="supervisor").id)
    with pytest.raises(DomainError) as office:
        postal.resolve_conflict(post, info.batch_no, me, "Trùng", actor_id=post_boss)
    assert office.value.code == "postal.resolve_office"

    # The other desk's signing kept. Its settlements have not reached this desk, so this
    # desk's dossier is the row's only one: kept (not a double), not cancelled.
    done = postal.resolve_conflict(
        desk, info.batch_no, OTHER_DESK, "Quầy 2 ký trước", actor_id=boss
    )
    assert done.cancelled == () and done.untouched == ()
    with desk.read() as s:
        (d,) = s.scalars(select(Dossier))
        assert d.status == "received"
    b2 = postal.batch(desk, info.batch_no)
    assert b2 is not None and not b2.conflict and b2.resolution is not None
    assert b2.resolution["keep_desk"] == OTHER_DESK and b2.resolution["reopened"] == []
    assert b2.rows[0]["dossier_code"] == d.code
    with pytest.raises(DomainError) as again:
        postal.resolve_conflict(desk, info.batch_no, OTHER_DESK, "Lần hai", actor_id=boss)
    assert again.value.code == "postal.no_conflict"


def test_the_first_resolution_in_log_order_stands_whatever_order_they_arrive_in(
    post: DeskContext, desk: DeskContext
) -> None:
    info = _signed_twice(post, desk)
    boss = str(make_admin(desk, username="giamsat", role="supervisor").id)
    me = _desk_id(desk)
    postal.resolve_conflict(desk, info.batch_no, me, "Giữ quầy này", actor_id=boss)
    b = postal.batch(desk, info.batch_no)
    assert b is not None and b.resolution is not None
    assert b.resolution["keep_desk"] == me and not b.resolution["disagree"]
    # Another supervisor, offline, resolved it earlier keeping the other desk: that event
    # arrives now (pulled) and is folded after ours, yet it is the one that stands.
    with desk.transaction() as s:
        mine = s.scalar(select(Event).where(Event.type == EventType.POSTAL_CONFLICT_RESOLVED))
        assert mine is not None
        theirs = Event(
            id="00000000-0000-4000-8000-0000000000aa",
            desk_id=OTHER_DESK,
            desk_seq=1,
            office_id=mine.office_id,
            dossier_id=info.batch_id,
            type=EventType.POSTAL_CONFLICT_RESOLVED.value,
            payload={**mine.payload, "keep_desk": OTHER_DESK, "cancelled": [], "by": "gs2"},
            officer_id=None,
            occurred_at=mine.occurred_at - timedelta(minutes=5),
            origin="remote",
            sync_state="accepted",
        )
        s.add(theirs)
        postal.fold_postal(s, theirs)
    b = postal.batch(desk, info.batch_no)
    assert b is not None and b.resolution is not None and not b.conflict
    assert b.resolution["keep_desk"] == OTHER_DESK and b.resolution["disagree"] is True
    assert b.resolution["choices"] == [OTHER_DESK, me] and b.resolution["count"] == 2


def test_the_central_order_comes_before_device_time(post: DeskContext, desk: DeskContext) -> None:
    """A resolution the central has numbered stands before one still waiting on this desk,
    whatever the device clocks said (DESIGN.md: device clocks never decide an order)."""
    info = _signed_twice(post, desk)
    boss = str(make_admin(desk, username="giamsat", role="supervisor").id)
    postal.resolve_conflict(desk, info.batch_no, _desk_id(desk), "Giữ quầy này", actor_id=boss)
    with desk.transaction() as s:
        mine = s.scalar(select(Event).where(Event.type == EventType.POSTAL_CONFLICT_RESOLVED))
        assert mine is not None and mine.server_seq is None  # not pushed yet
        theirs = Event(
            id="00000000-0000-4000-8000-0000000000bb",
            desk_id=OTHER_DESK,
            desk_seq=1,
            office_id=mine.office_id,
            dossier_id=info.batch_id,
            type=EventType.POSTAL_CONFLICT_RESOLVED.value,
            payload={**mine.payload, "keep_desk": OTHER_DESK, "cancelled": [], "by": "gs2"},
            officer_id=None,
            occurred_at=mine.occurred_at + timedelta(hours=1),  # a later clock
            origin="remote",
            sync_state="accepted",
            server_seq=7,
        )
        s.add(theirs)
        postal.fold_postal(s, theirs)
    b = postal.batch(desk, info.batch_no)
    assert b is not None and b.resolution is not None
    assert b.resolution["keep_desk"] == OTHER_DESK and b.resolution["disagree"] is True
