"""The whole postal cycle (issue 15's test): two desks of two offices and a real central on
loopback. The post office takes 20 dossiers in (fees, consignments) and hands them over;
the agency desk, offline, receives them from the printed record (rasterised with pdftoppm,
decoded with zbarimg), then syncs; results go back on a printed return record and are
delivered; every count reconciles and nothing is received twice."""

from __future__ import annotations

import io
from collections import Counter

from pypdf import PdfReader
from sqlalchemy import func, select

from app.domain.postal import make_s10, parse_return_row, parse_row
from app.models import Dossier
from app.models.postal import PostalBatch, PostalItem
from app.services import actions, postal
from app.sync.commands import sync_once
from tests.sync.test_postal_sync import ANH, E02, _desk, _post
from tests.unit.print.print_samples import needs_zbar
from tests.unit.print.printcheck import decode

N = 20
MISSING_POS = 7


def _scan(pdf: bytes) -> tuple[str, list[str]]:
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    (code,) = decode(pdf, dpi=200, symbology="code128", first=1, last=1)
    return code, decode(pdf, dpi=300, symbology="qrcode", first=1, last=pages)


@needs_zbar
def test_postal_cycle_two_offices_twenty_dossiers(central, tmp_path):
    p_code, a_code, c_code = central.add_office(), central.add_office(), central.add_office()
    post = _post(central, tmp_path, p_code, a_code)
    agency = _desk(central, tmp_path, "agency", a_code)
    third = _desk(central, tmp_path, "third", c_code)
    accepted = []
    for i in range(N):
        option = 1 if i % 5 == 4 else 3  # every fifth applicant sends only
        accepted.append(
            postal.accept(
                post,
                postal.AcceptRequest(
                    a_code, "BHXH-E02", ANH, E02, make_s10("RB", 40_000 + i), option=option
                ),
            )
        )
    record = postal.hand_over(post, a_code)
    assert record.count == N
    sync_once(post)

    # The agency desk is offline: it has only the paper.
    code, qr = _scan(postal.handover_pdf(post, record.batch_no))
    rows = [parse_row(q) for q in qr]
    assert len(rows) == N and len({r.consignment_no for r in rows}) == N
    signed = postal.sign_batch(agency, code, rows)
    codes = {}
    for r in sorted(rows, key=lambda r: r.pos):
        outcome = "missing" if r.pos == MISSING_POS else "received"
        got = postal.settle_row(agency, record.batch_no, r.pos, outcome)
        codes[r.consignment_no] = got.dossier_code
    sync_once(agency)
    sync_once(post)

    with post.read() as s:
        items = list(s.scalars(select(PostalItem)))
        assert Counter(i.status for i in items) == {"received": N - 1, "missing": 1}
        assert sum(i.fee_total for i in items) == sum(a.fee_total for a in accepted)
        b = s.scalar(select(PostalBatch).where(PostalBatch.batch_no == record.batch_no))
        assert b is not None and b.receipts == 1 and not b.conflict
        assert b.signed_at == signed.signed_at
        assert {i.consignment_no: i.dossier_code or "" for i in items} == codes
    with agency.read() as s:
        dossiers = list(s.scalars(select(Dossier)))
        assert len(dossiers) == N - 1
        assert all(d.channel == "post" and d.received_at == signed.signed_at for d in dossiers)
        # Nothing received twice: one dossier per consignment.
        assert len({d.consignment_no for d in dossiers}) == N - 1

    # Results back: settled, posted on a printed return record, delivered.
    for d in dossiers:
        actions.result_ready(agency, d.code)
    back = postal.return_hand_over(agency, p_code)
    missing_no = next(r.consignment_no for r in rows if r.pos == MISSING_POS)
    posted_back = [
        a for i, a in enumerate(accepted) if i % 5 != 4 and a.consignment_no != missing_no
    ]
    assert back.count == len(posted_back)
    sync_once(agency)
    code, qr = _scan(postal.handover_pdf(agency, back.batch_no))
    taken = postal.sign_return(post, code, [parse_return_row(q) for q in qr])
    for r in taken.return_rows():
        postal.record_delivery(post, r.consignment_no, "delivered")
    sync_once(post)
    sync_once(agency)
    sync_once(third)

    with post.read() as s:
        statuses = Counter(i.status for i in s.scalars(select(PostalItem)))
    assert statuses == {"delivered": back.count, "received": N - 1 - back.count, "missing": 1}
    with agency.read() as s:
        assert Counter(d.status for d in s.scalars(select(Dossier))) == {
            "returned": back.count,
            "result_ready": N - 1 - back.count,
        }
        ret = s.scalar(select(PostalBatch).where(PostalBatch.batch_no == back.batch_no))
        assert ret is not None and {r["delivery"] for r in ret.rows} == {"delivered"}
    with central.sessions() as cs:
        some_code = next(c for c in codes.values() if c)
        agency_id = cs.scalar(select(Dossier.office_id).where(Dossier.code == some_code))
        held = cs.scalar(
            select(func.count()).select_from(Dossier).where(Dossier.office_id == agency_id)
        )
    assert held == N - 1
    with third.read() as s:
        assert s.scalar(select(func.count()).select_from(PostalBatch)) == 0
        assert s.scalar(select(func.count()).select_from(Dossier)) == 0
