"""The post-office agent desk and the agency desk, on two real desk databases (issue 15).

Papers are decoded back the way the other desk reads them: rasterised with pdftoppm and
scanned with zbarimg, never taken from memory.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from app.domain.applicant import Applicant
from app.domain.completeness import HandedIn
from app.domain.errors import DomainError, ValidationFailed
from app.domain.postal import make_s10, parse_row
from app.models import Dossier, Event, Outbox
from app.models.postal import PostalBatch, PostalItem
from app.services import postal
from app.services.context import DeskContext
from tests.conftest import Clock, make_admin
from tests.support.postal import AGENCY_CODE, POST_CODE, make_post_desk
from tests.unit.print.print_samples import needs_zbar
from tests.unit.print.printcheck import decode, text

ANH = Applicant(
    full_name="Trần Thị Bích",
    id_number="001190123456",
    date_of_birth=date(1990, 1, 2),
    sex="F",
    phone="0912 345 678",
    address="Số 3 ngõ Văn Chương, phường Văn Miếu - Quốc Tử Giám, Hà Nội",
)
E02 = (HandedIn("BHXH-E02-01", "original", 1),)


@pytest.fixture
def post(tmp_path: Path, clock: Clock) -> Iterator[DeskContext]:
    ctx = make_post_desk(tmp_path / "post", clock=clock)
    yield ctx
    ctx.close()


def _accept(post: DeskContext, n: int, **kw: object) -> postal.Accepted:
    req = postal.AcceptRequest(
        agency_code=AGENCY_CODE,
        procedure_code="BHXH-E02",
        applicant=ANH,
        items=E02,
        consignment_no=make_s10("EE", 10_000 + n),
    )
    for k, v in kw.items():
        object.__setattr__(req, k, v)
    return postal.accept(post, req)


def _counts(ctx: DeskContext) -> tuple[int, int, int]:
    with ctx.read() as s:
        return (
            int(s.scalar(select(func.count()).select_from(PostalItem)) or 0),
            int(s.scalar(select(func.count()).select_from(Event)) or 0),
            int(s.scalar(select(func.count()).select_from(Outbox)) or 0),
        )


def test_accept_collects_catalogue_charges_plus_postal_fee(post: DeskContext) -> None:
    got = _accept(post, 1)
    table = postal.bundled_fee_table()
    band = next(b for b in table["bands"] if b["scope"] == "province")
    # BHXH procedures are free (catalogue fee 0); the postal fee is sending + returning.
    assert (got.fee_charges, got.fee_postal) == (0, band["send_vnd"] + band["return_vnd"])
    assert got.fee_total == got.fee_charges + got.fee_postal
    assert not got.fee_confirmed  # the bundled table is unconfirmed
    assert got.receipt_no == "BC-261117-01-0001"
    assert _accept(post, 2, option=1).fee_postal == band["send_vnd"]
    view = postal.item(post, got.consignment_no)
    assert (view.status, view.dossier_code, view.papers) == ("accepted", "", 1)
    with post.read() as s:
        ev = s.scalar(select(Event).where(Event.dossier_id == got.item_id))
        assert ev is not None and ev.type == "postal_accepted"
        assert s.get(Outbox, ev.id) is not None


def test_bad_consignment_numbers_get_a_message_next_to_the_field(post: DeskContext) -> None:
    first = _accept(post, 1)
    before = _counts(post)
    with pytest.raises(ValidationFailed) as wrong:
        _accept(post, 2, consignment_no="EE123456784VN")
    (err,) = wrong.value.for_field("consignment_no")
    assert err.code == "postal.s10_check"
    with pytest.raises(ValidationFailed) as used:
        _accept(post, 3, consignment_no=first.consignment_no.lower())
    (err,) = used.value.for_field("consignment_no")
    assert err.code == "postal.s10_used" and first.consignment_no in err.message
    with pytest.raises(ValidationFailed) as agency:
        _accept(post, 4, agency_code="000.00.99.G01")
    assert agency.value.for_field("agency")
    assert _counts(post) == before  # nothing half-written
    assert postal.check_consignment(post, first.consignment_no)[0].code == "postal.s10_used"


def test_an_incomplete_dossier_is_not_accepted(post: DeskContext) -> None:
    with pytest.raises(DomainError) as exc:
        _accept(post, 1, items=())
    assert exc.value.code == "postal.incomplete"
    assert _counts(post)[0] == 0


def test_an_agency_desk_is_not_an_agent_desk(desk: DeskContext) -> None:
    admin = make_admin(desk)
    postal.set_agencies(
        desk, [postal.Agency(AGENCY_CODE, "BHXH", "", "province")], actor_id=admin.id
    )
    with pytest.raises(DomainError) as exc:
        _accept(desk, 1)
    assert exc.value.code == "postal.not_agent"


def test_agencies_naming_a_district_are_refused(post: DeskContext) -> None:
    with pytest.raises(ValidationFailed) as exc:
        postal.set_agencies(
            post,
            [postal.Agency(AGENCY_CODE, "Trung tâm Phục vụ hành chính công quận Ba Đình")],
            actor_id=postal_admin(post),
        )
    assert exc.value.for_field("agencies[0].name")
    assert [a.code for a in postal.agencies_list(post)] == [AGENCY_CODE]


def postal_admin(ctx: DeskContext) -> str:
    """The administrator tests/support/postal.py made on the post desk (slot 1)."""
    from app.services.setup import officer_by_username

    admin = officer_by_username(ctx, "quantri1")
    assert admin is not None
    return admin.id


def test_only_an_administrator_sets_agencies_and_fees(post: DeskContext) -> None:
    from app.services.setup import Forbidden

    before = postal.agencies_list(post)
    table = postal.bundled_fee_table()
    for actor in (post.officer_id, None):
        with pytest.raises(Forbidden):
            postal.set_agencies(
                post, [postal.Agency("000.00.99.G01", "Sở Tư pháp")], actor_id=actor
            )
        with pytest.raises(Forbidden):
            postal.set_fee_table(post, table, actor_id=actor)
    assert postal.agencies_list(post) == before
    postal.set_fee_table(post, table, actor_id=postal_admin(post))


def test_a_fee_table_dropping_a_band_in_use_is_refused(post: DeskContext) -> None:
    table = postal.bundled_fee_table()
    kept = [b for b in table["bands"] if b["scope"] != "province"]
    with pytest.raises(ValidationFailed) as exc:
        postal.set_fee_table(post, {**table, "bands": kept}, actor_id=postal_admin(post))
    assert exc.value.errors[0].code == "postal.band_in_use"
    with post.read() as s:
        assert postal.fee_table(s).band("province") is not None  # nothing stored


def test_an_agency_listed_twice_is_refused(post: DeskContext) -> None:
    twice = [postal.Agency(AGENCY_CODE, "BHXH"), postal.Agency(f" {AGENCY_CODE}", "BHXH 2")]
    with pytest.raises(ValidationFailed) as exc:
        postal.set_agencies(post, twice, actor_id=postal_admin(post))
    assert exc.value.for_field("agencies[1].code")
    assert [a.code for a in postal.agencies_list(post)] == [AGENCY_CODE]


@needs_zbar
def test_fee_receipt_prints_its_number_as_a_barcode(post: DeskContext) -> None:
    got = _accept(post, 1)
    pdf = postal.fee_receipt_pdf(post, got.receipt_no)
    assert decode(pdf, dpi=200, symbology="code128") == [got.receipt_no]
    words = text(pdf)
    assert "BIÊN LAI THU CƯỚC" in words
    assert got.consignment_no in words
    assert "60.000 đ" in words
    assert "không cấp mã hồ sơ" in words  # the agency issues the code and form 01


def _scan_record(pdf: bytes) -> tuple[str, list[str]]:
    """The batch code and every row QR of a printed record, as an agency desk reads them."""
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    (code,) = decode(pdf, dpi=200, symbology="code128", first=1, last=1)
    rows = decode(pdf, dpi=300, symbology="qrcode", first=1, last=pages)
    return code, rows


@needs_zbar
def test_hand_over_then_agency_receives_offline_from_the_paper(
    post: DeskContext, desk: DeskContext, clock: Clock
) -> None:
    accepted = [_accept(post, n) for n in range(1, 4)]
    assert len(postal.pending_items(post, AGENCY_CODE)) == 3
    info = postal.hand_over(post, AGENCY_CODE)
    assert (info.count, info.direction) == (3, "out")
    assert postal.pending_items(post, AGENCY_CODE) == []
    assert {postal.item(post, a.item_id).status for a in accepted} == {"handed_over"}
    with pytest.raises(DomainError):
        postal.hand_over(post, AGENCY_CODE)  # nothing left: no empty record

    pdf = postal.handover_pdf(post, info.batch_no)
    words = text(pdf)
    assert "BIÊN BẢN GIAO NHẬN HỒ SƠ" in words
    assert "ĐẠI DIỆN BÊN GIAO" in words and "ĐẠI DIỆN BÊN NHẬN" in words
    assert "Tổng số: 3 hồ sơ, 3 giấy tờ" in words
    code, qr = _scan_record(pdf)
    assert code == info.code.text()
    rows = [parse_row(q) for q in qr]
    assert sorted(r.consignment_no for r in rows) == sorted(a.consignment_no for a in accepted)
    # The rows carry the post office's name: the agency names it offline on its return.
    assert {r.from_name for r in rows} == {"Bưu điện Trung tâm Ba Đình"}

    # The agency desk (another office, no network) signs at 10:00 ...
    clock.at = datetime(2026, 11, 17, 3, 0, tzinfo=UTC)
    opened = postal.open_batch(desk, code)
    assert opened.known is None and not opened.signed
    with pytest.raises(ValidationFailed):
        postal.sign_batch(desk, code, rows[:2])  # a row not scanned: the digest says so
    signed = postal.sign_batch(desk, code, rows)
    assert signed.signed_at == clock.at
    # ... and settles the rows later: the filing time stays the signature's.
    clock.at += timedelta(hours=2)
    by_pos = {r.pos: r for r in rows}
    got = postal.settle_row(desk, info.batch_no, 1, "received")
    assert got.dossier_code.startswith(AGENCY_CODE + "-261117-")
    sup = postal.settle_row(desk, info.batch_no, 2, "supplement", items=(), reason="Thiếu tờ khai")
    assert sup.dossier_code
    gone = postal.settle_row(desk, info.batch_no, 3, "missing", reason="Không có trong bao")
    assert gone.dossier_code == ""
    with pytest.raises(DomainError) as twice:
        postal.settle_row(desk, info.batch_no, 1, "received")
    assert twice.value.code == "postal.row_done"
    with desk.read() as s:
        d = s.scalar(select(Dossier).where(Dossier.code == got.dossier_code))
        assert d is not None
        assert d.received_at == signed.signed_at  # Decision 45/2016 Art. 7
        assert (d.channel, d.consignment_no) == ("post", by_pos[1].consignment_no)
        assert d.return_method == "post"
        assert d.full_name == ANH.full_name
        ev = s.scalar(select(Event).where(Event.dossier_id == d.id))
        assert ev is not None and ev.occurred_at == clock.at  # typed later, filed earlier
        b = s.scalar(select(PostalBatch).where(PostalBatch.batch_no == info.batch_no))
        assert b is not None
        assert [r.get("outcome") for r in b.rows] == ["received", "supplement", "missing"]
        assert s.scalar(select(func.count()).select_from(Dossier)) == 2  # none for "missing"
    again = postal.open_batch(desk, code)
    assert again.signed
    with pytest.raises(DomainError) as resign:
        postal.sign_batch(desk, code, rows)
    assert resign.value.code == "postal.already_received"


def _scan_return(pdf: bytes) -> tuple[str, list[str]]:
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    (code,) = decode(pdf, dpi=200, symbology="code128", first=1, last=1)
    return code, decode(pdf, dpi=300, symbology="qrcode", first=1, last=pages)


@needs_zbar
def test_results_go_back_on_paper_and_delivery_is_recorded(
    post: DeskContext, desk: DeskContext, clock: Clock
) -> None:
    from app.domain.postal import parse_return_row
    from app.services import actions

    accepted = []
    for n in range(1, 5):
        clock.at += timedelta(minutes=5)  # the record lists them in the order taken in
        # the fourth applicant sends only: the result is not posted back
        accepted.append(_accept(post, n, option=1 if n == 4 else 3))
    info = postal.hand_over(post, AGENCY_CODE)
    signed = postal.sign_batch(desk, info.code.text(), info.row_data())
    codes = [
        postal.settle_row(desk, info.batch_no, pos, "received").dossier_code for pos in (1, 2, 3, 4)
    ]
    clock.at += timedelta(days=3)
    for code in codes[:2] + codes[3:]:
        actions.result_ready(desk, code)
    # Only settled results of applicants who chose the result by post go back.
    assert postal.results_waiting(desk, info.from_office_code) == codes[:2]
    back = postal.return_hand_over(desk, info.from_office_code)
    assert (back.direction, back.count) == ("back", 2)
    with pytest.raises(DomainError):
        postal.return_hand_over(desk, info.from_office_code)  # nothing left to send
    with desk.read() as s:
        statuses = [s.scalar(select(Dossier.status).where(Dossier.code == c)) for c in codes]
    assert statuses == ["returned", "returned", "received", "result_ready"]

    pdf = postal.handover_pdf(desk, back.batch_no)
    words = text(pdf)
    assert "BIÊN BẢN GIAO NHẬN KẾT QUẢ" in words and "Tổng số: 2 kết quả" in words
    # The receiving post office by name and code (the agency signed offline: the name came
    # from the record's rows, not from a sync).
    assert f"Bên nhận (bưu điện): Bưu điện Trung tâm Ba Đình (mã {POST_CODE})" in words
    code, qr = _scan_return(pdf)
    assert code == back.code.text()
    rows = [parse_return_row(q) for q in qr]
    assert sorted(r.dossier_code for r in rows) == codes[:2]

    # The post office takes them from the paper (no network) and delivers.
    taken = postal.sign_return(post, code, rows)
    assert taken.receipts == 1
    first, second = accepted[0].consignment_no, accepted[1].consignment_no
    assert postal.item(post, first).status == "result_back"
    with pytest.raises(ValidationFailed) as no_reason:
        postal.record_delivery(post, second, "failed")
    assert no_reason.value.for_field("reason")
    postal.record_delivery(post, first, "delivered")
    postal.record_delivery(post, second, "failed", reason="Không có người nhận")
    postal.record_delivery(post, second, "returned", reason="Hết hạn lưu giữ")
    with pytest.raises(DomainError):
        postal.record_delivery(post, accepted[2].consignment_no, "delivered")  # no result back
    assert postal.item(post, first).status == "delivered"
    assert postal.item(post, second).status == "returned"
    steps = [s.type for s in postal.item_history(post, first)]
    assert steps == [
        "postal_accepted",
        "postal_handed_over",
        "postal_return_received",
        "postal_delivered",
    ]
    assert signed.signed_at is not None
