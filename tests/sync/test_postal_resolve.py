"""A hand-over record signed at two agency desks offline, resolved by a supervisor, through a
real central on loopback (SQLite and PostgreSQL): every desk and the central converge on
one live dossier per row; two supervisors offline choosing differently end the same way on
every desk, with a visible note and a flag, never a double (issue 15)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from sqlalchemy import select

from app.central.models import ReviewFlag
from app.domain.errors import DomainError
from app.models import Dossier
from app.models.postal import PostalBatch, PostalItem
from app.services import postal
from app.services.setup import Forbidden, current_desk
from app.sync.commands import sync_once
from tests.conftest import make_admin
from tests.sync.test_postal_sync import _accept, _desk, _post


def _two_signings(central: Any, tmp_path: Any, serial: int) -> tuple[Any, Any, Any, Any]:
    """Three dossiers handed over; desk a1 and desk a2 both sign the record offline; a1
    settles rows 1 and 2, a2 rows 1 and 3 (row 1 twice); then everyone syncs."""
    p_code, a_code = central.add_office(), central.add_office()
    post = _post(central, tmp_path, p_code, a_code)
    a1 = _desk(central, tmp_path, "a1", a_code, slot=1)
    a2 = _desk(central, tmp_path, "a2", a_code, slot=2)
    _accept(post, a_code, 3, serial)
    info = postal.hand_over(post, a_code)
    sync_once(post)
    rows = info.row_data()
    postal.sign_batch(a1, info.code.text(), rows)
    postal.sign_batch(a2, info.code.text(), rows)
    for pos in (1, 2):
        postal.settle_row(a1, info.batch_no, pos, "received")
    for pos in (1, 3):
        postal.settle_row(a2, info.batch_no, pos, "received")
    for ctx in (a1, a2, a1, post):
        sync_once(ctx)
    return post, a1, a2, info


def _supervisor(ctx: Any, name: str) -> str:
    return str(make_admin(ctx, username=name, role="supervisor").id)


def _desk_id(ctx: Any) -> str:
    with ctx.read() as s:
        d = current_desk(s)
        assert d is not None
        return d.desk_id


def _live(ctx: Any) -> Counter[str]:
    """Live dossiers per consignment (cancelled ones are kept, not counted)."""
    with ctx.read() as s:
        return Counter(
            d.consignment_no for d in s.scalars(select(Dossier)) if d.status != "cancelled"
        )


def _batch(ctx: Any, batch_no: str) -> tuple[Any, ...]:
    """What every desk must agree on about the record once resolved."""
    with ctx.read() as s:
        b = s.scalar(select(PostalBatch).where(PostalBatch.batch_no == batch_no))
        assert b is not None
        rows = tuple((r["pos"], r.get("outcome"), r.get("dossier_code")) for r in b.rows)
        res = dict(b.resolution or {})
        return (
            b.conflict,
            b.signed_by_desk,
            b.signed_at,
            rows,
            res.get("keep_desk"),
            res.get("disagree"),
            tuple(res.get("cancelled", ())),
            tuple(res.get("reopened", ())),
        )


def _flags(central: Any, batch_id: str) -> list[str]:
    with central.sessions() as cs:
        return sorted(
            cs.scalars(select(ReviewFlag.reason).where(ReviewFlag.dossier_id == batch_id))
        )


def test_a_supervisor_resolves_a_record_signed_twice(central, tmp_path):
    post, a1, a2, info = _two_signings(central, tmp_path, 51_000)
    assert _flags(central, info.batch_id) == ["postal_signed_twice"]
    assert all(postal.conflicts(c) for c in (a1, a2, post))
    assert _live(a1)[info.rows[0]["consignment_no"]] == 2  # the double, before

    with pytest.raises(Forbidden):  # an officer may not; the service says so
        postal.resolve_conflict(a1, info.batch_no, _desk_id(a1), "Trùng", actor_id=None)
    boss = _supervisor(a1, "giamsat1")
    done = postal.resolve_conflict(
        a1, info.batch_no, _desk_id(a1), "Quầy 1 ký trước, đúng giờ nhận bao", actor_id=boss
    )
    assert len(done.cancelled) == 1 and not done.untouched
    with pytest.raises(DomainError) as again:  # resolving twice writes nothing
        postal.resolve_conflict(a1, info.batch_no, _desk_id(a1), "Lần hai", actor_id=boss)
    assert again.value.code == "postal.no_conflict"

    for ctx in (a1, a2, post, a1):
        assert sync_once(ctx).rejected == 0
    assert _flags(central, info.batch_id) == []
    # One live dossier per row on both agency desks; the cancelled one is kept, its code too.
    numbers = [r["consignment_no"] for r in info.rows]
    for ctx in (a1, a2):
        assert [_live(ctx)[n] for n in numbers] == [1, 1, 1]
        with ctx.read() as s:
            (gone,) = s.scalars(select(Dossier).where(Dossier.status == "cancelled"))
            assert gone.code == done.cancelled[0] and gone.desk_id == _desk_id(a2)
        assert postal.conflicts(ctx) == []
    # Every desk folds the record alike: a1's signing stands, its time is the filing time.
    seen = {_batch(c, info.batch_no) for c in (a1, a2, post)}
    assert len(seen) == 1
    (state,) = seen
    assert state[0] is False and state[1] == _desk_id(a1) and state[4] == _desk_id(a1)
    # The post office sees one dossier code per consignment, the live one.
    with a1.read() as s:
        live = {
            d.consignment_no: d.code
            for d in s.scalars(select(Dossier))
            if d.status != "cancelled"
        }
    with post.read() as s:
        items = list(s.scalars(select(PostalItem)))
        assert {i.consignment_no: i.dossier_code for i in items} == live
        assert not any(i.conflict for i in items)
    # The consignment's history at the post office shows both signings and the resolution.
    steps = postal.item_history(post, info.rows[0]["consignment_no"])
    types = [st.type for st in steps]
    assert types[:2] == ["postal_accepted", "postal_handed_over"]
    assert types.count("postal_batch_received") == 2 and types.count("postal_row_settled") == 2
    assert types[-1] == "postal_conflict_resolved" and info.batch_no in steps[-1].detail


def test_two_supervisors_offline_choosing_differently_end_alike_everywhere(central, tmp_path):
    post, a1, a2, info = _two_signings(central, tmp_path, 52_000)
    # Both desks offline now: each supervisor keeps their own desk's signing.
    r1 = postal.resolve_conflict(
        a1, info.batch_no, _desk_id(a1), "Giữ quầy 1", actor_id=_supervisor(a1, "gs1")
    )
    r2 = postal.resolve_conflict(
        a2, info.batch_no, _desk_id(a2), "Giữ quầy 2", actor_id=_supervisor(a2, "gs2")
    )
    assert r1.cancelled and r2.cancelled and set(r1.cancelled).isdisjoint(r2.cancelled)
    for ctx in (a1, a2, a1, post):
        assert sync_once(ctx).rejected == 0

    # Deterministic: the same fold on both agency desks and at the post office.
    seen = {_batch(c, info.batch_no) for c in (a1, a2, post)}
    assert len(seen) == 1
    (state,) = seen
    conflict, _by, _at, rows, _keep, disagree, cancelled, reopened = state
    assert conflict is False and disagree is True
    assert set(cancelled) == {*r1.cancelled, *r2.cancelled}
    assert reopened == (1,)  # both of row 1's dossiers were cancelled: never two live
    assert rows[0] == (1, None, None)
    assert _flags(central, info.batch_id) == ["postal_resolved_twice"]
    numbers = [r["consignment_no"] for r in info.rows]
    for ctx in (a1, a2):
        assert [_live(ctx)[n] for n in numbers] == [0, 1, 1]

    # The reopened row is settled again: a new code, the cancelled ones never reused.
    again = postal.settle_row(a1, info.batch_no, 1, "received")
    assert again.dossier_code not in cancelled
    for ctx in (a1, a2, post):
        sync_once(ctx)
    for ctx in (a1, a2):
        assert [_live(ctx)[n] for n in numbers] == [1, 1, 1]
    seen = {_batch(c, info.batch_no) for c in (a1, a2, post)}
    assert len(seen) == 1
    (state,) = seen
    assert state[3][0] == (1, "received", again.dossier_code)
    with post.read() as s:
        item = s.scalar(select(PostalItem).where(PostalItem.consignment_no == numbers[0]))
        assert item is not None and item.dossier_code == again.dossier_code


def test_a_return_record_signed_at_two_post_office_desks_is_flagged_and_resolved(
    central, tmp_path
):
    """The other direction: results handed back, and two desks of the post office both sign
    the return record offline. Flagged at the central (it was not before), resolved by the
    post office's supervisor; nothing to cancel, every desk and the agency agree."""
    from app.services import actions
    from app.sync.commands import connect
    from tests.support.postal import make_post_desk

    p_code, a_code = central.add_office(), central.add_office()
    post1 = _post(central, tmp_path, p_code, a_code)
    post2 = make_post_desk(tmp_path / "post2", slot=2, office_code=p_code, agency_code=a_code)
    connect(post2, central.url, central.add_desk(p_code, "Quầy bưu điện 2").token)
    agency = _desk(central, tmp_path, "agency", a_code)
    _accept(post1, a_code, 2, 53_000)
    info = postal.hand_over(post1, a_code)
    sync_once(post1)
    sync_once(agency)
    postal.sign_batch(agency, info.code.text(), info.row_data())
    for pos in (1, 2):
        code = postal.settle_row(agency, info.batch_no, pos, "received").dossier_code
        actions.result_ready(agency, code)
    back = postal.return_hand_over(agency, p_code)
    sync_once(agency)
    for ctx in (post1, post2):
        sync_once(ctx)
    rows = back.return_rows()  # the paper, scanned at each post office desk offline
    postal.sign_return(post1, back.code.text(), rows)
    postal.sign_return(post2, back.code.text(), rows)
    for ctx in (post1, post2, post1, agency):
        assert sync_once(ctx).rejected == 0
    assert _flags(central, back.batch_id) == ["postal_signed_twice"]
    assert [b.batch_no for b in postal.conflicts(post1)] == [back.batch_no]
    assert [b.batch_no for b in postal.conflicts(agency)] == [back.batch_no]

    with pytest.raises(DomainError) as office:  # the agency did not sign it
        postal.resolve_conflict(
            agency, back.batch_no, _desk_id(post1), "x", actor_id=_supervisor(agency, "gsa")
        )
    assert office.value.code == "postal.resolve_office"
    done = postal.resolve_conflict(
        post1, back.batch_no, _desk_id(post1), "Quầy 1 nhận bao", actor_id=_supervisor(post1, "gsb")
    )
    assert done.cancelled == ()
    for ctx in (post1, post2, agency):
        sync_once(ctx)
    assert _flags(central, back.batch_id) == []
    seen = {_batch(c, back.batch_no) for c in (post1, post2, agency)}
    assert len(seen) == 1 and next(iter(seen))[:2] == (False, _desk_id(post1))
