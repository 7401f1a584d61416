"""The agent desk's daily list (xlsx and PDF) reconciled against the hand-over records, and
the agency's split of dossiers received by post (issue 15)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.domain.postal import make_s10
from app.models.postal import PostalBatch
from app.services import intake, postal, postal_reports
from app.services.context import DeskContext
from tests.conftest import Clock
from tests.support.postal import AGENCY_CODE, make_post_desk
from tests.unit.postal.test_postal_desk import ANH, E02
from tests.unit.print.printcheck import text

DAY = date(2026, 11, 17)


@pytest.fixture
def post(tmp_path: Path, clock: Clock) -> Iterator[DeskContext]:
    ctx = make_post_desk(tmp_path / "post", clock=clock)
    yield ctx
    ctx.close()


def _accept(post: DeskContext, clock: Clock, n: int, option: int = 3) -> postal.Accepted:
    clock.at += timedelta(minutes=3)
    req = postal.AcceptRequest(AGENCY_CODE, "BHXH-E02", ANH, E02, make_s10("EE", 500 + n))
    return postal.accept(post, postal.AcceptRequest(**{**req.__dict__, "option": option}))


def test_daily_list_reconciles_with_the_records(post: DeskContext, clock: Clock) -> None:
    a = [_accept(post, clock, 1), _accept(post, clock, 2, option=1)]
    record = postal.hand_over(post, AGENCY_CODE)
    a.append(_accept(post, clock, 3))
    d = postal_reports.daily_list(post, DAY)
    assert [x.consignment_no for x in d.lines] == [x.consignment_no for x in a]
    assert (d.handed, d.waiting) == (2, 1)
    assert d.fee_total == sum(x.fee_total for x in a)
    assert d.fee_postal == sum(x.fee_postal for x in a) and d.fee_charges == 0
    assert [(r.batch_no, r.count, r.signed) for r in d.records] == [(record.batch_no, 2, False)]
    assert d.reconciled, d.problems
    assert postal_reports.daily_list(post, DAY + timedelta(days=1)).lines == ()

    xlsx = postal_reports.export_daily_list(post, DAY, "xlsx")
    assert xlsx.filename == "BuuGui_20261117.xlsx"
    ws = load_workbook(io.BytesIO(xlsx.data))["Bưu gửi"]
    cells = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    for x in a:
        assert x.consignment_no in cells and x.receipt_no in cells
    assert record.batch_no in cells
    pdf = postal_reports.export_daily_list(post, DAY, "pdf").data
    words = text(pdf)
    assert "Bảng kê hồ sơ nhận gửi qua bưu điện và cước thu".upper() in words.upper()
    assert a[2].consignment_no in words
    assert "Đối chiếu với biên bản giao nhận: khớp" in words


def test_a_record_that_lost_a_row_does_not_reconcile(post: DeskContext, clock: Clock) -> None:
    a = [_accept(post, clock, 1), _accept(post, clock, 2)]
    record = postal.hand_over(post, AGENCY_CODE)
    with post.transaction() as s:  # a damaged copy of the record: its second row gone
        from sqlalchemy import select

        b = s.scalar(select(PostalBatch).where(PostalBatch.batch_no == record.batch_no))
        assert b is not None
        b.rows = [b.rows[0]]
    d = postal_reports.daily_list(post, DAY)
    assert not d.reconciled
    missing_no = next(
        x.consignment_no for x in a if x.consignment_no != b.rows[0]["consignment_no"]
    )
    assert any(missing_no in p for p in d.problems)
    assert any("1 dòng" in p for p in d.problems)
    assert "KHÔNG KHỚP" in text(postal_reports.export_daily_list(post, DAY, "pdf").data)


def test_agency_split_of_dossiers_received_by_post(
    post: DeskContext, desk: DeskContext, clock: Clock
) -> None:
    for n in (1, 2):
        _accept(post, clock, n)
    record = postal.hand_over(post, AGENCY_CODE)
    postal.sign_batch(desk, record.code.text(), record.row_data())
    postal.settle_row(desk, record.batch_no, 1, "received")
    postal.settle_row(desk, record.batch_no, 2, "missing")
    intake.submit(desk, intake.IntakeRequest("BHXH-E02", ANH, E02))
    split = postal_reports.channel_split(desk, DAY, DAY)
    assert split.by_channel == {"desk": 1, "post": 1} and split.by_post == 1
    assert split.post_rows == {"received": 1, "missing": 1}
    pdf = postal_reports.export_split(desk, DAY, DAY, "pdf").data
    words = text(pdf)
    assert "Qua dịch vụ bưu chính 1" in words and "Thiếu trong bao 1" in words
    xlsx = postal_reports.export_split(desk, DAY, DAY, "xlsx").data
    ws = load_workbook(io.BytesIO(xlsx))["Theo kênh"]
    rows = {
        r[0]: r[1]
        for r in ws.iter_rows(values_only=True)
        if r and r[0] in postal_reports.CHANNEL_VI.values()
    }
    assert rows["Qua dịch vụ bưu chính"] == 1 and rows["Trực tiếp tại quầy"] == 1
