"""Reports of the postal work (issue 15): the agent desk's daily list of consignments and
fees, reconciled against the hand-over records, and the agency's split of dossiers
received by post.

Kept apart from app.services.reports (another issue's module): the same table description
(app.print.report) renders both to PDF and to Excel, so the figures on paper and in the
spreadsheet are the same.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from app.models import Dossier
from app.models.postal import PostalBatch, PostalItem
from app.print import report as doc
from app.print.postal import money
from app.services.context import DeskContext
from app.services.report_docs import Exported, _office, render

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")

STATUS_VI = {
    "accepted": "Chờ giao",
    "handed_over": "Đã giao cơ quan",
    "received": "Cơ quan tiếp nhận",
    "supplement": "Yêu cầu bổ sung",
    "refused": "Từ chối",
    "missing": "Thiếu trong bao",
    "result_back": "Đã nhận kết quả",
    "delivered": "Đã phát",
    "failed": "Phát không thành công",
    "returned": "Trả lại cơ quan",
}


def _day_bounds(day_from: date, day_to: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day_from, time.min, ZONE).astimezone(UTC)
    end = datetime.combine(day_to + timedelta(days=1), time.min, ZONE).astimezone(UTC)
    return start, end


@dataclass(frozen=True)
class DailyLine:
    receipt_no: str
    consignment_no: str
    accepted_at: datetime
    agency_code: str
    procedure_code: str
    full_name: str
    papers: int
    fee_charges: int
    fee_postal: int
    fee_total: int
    batch_no: str
    status: str


@dataclass(frozen=True)
class RecordLine:
    batch_no: str
    to_office_code: str
    handed_at: datetime | None
    count: int
    signed: bool
    missing: int


@dataclass(frozen=True)
class PostalDaily:
    """One day of an agent desk's office. `problems` lists every count that does not
    reconcile (empty: the day's consignments and its records agree)."""

    day: date
    lines: tuple[DailyLine, ...]
    records: tuple[RecordLine, ...]
    fee_charges: int
    fee_postal: int
    fee_total: int
    handed: int
    waiting: int
    problems: tuple[str, ...]

    @property
    def reconciled(self) -> bool:
        return not self.problems


def daily_list(ctx: DeskContext, day: date) -> PostalDaily:
    """The consignments taken in on `day`, the fees, and the hand-over records of that day,
    each consignment checked against the record it is on (and each record's rows against
    the consignments)."""
    start, end = _day_bounds(day, day)
    with ctx.read() as s:
        items = list(
            s.scalars(
                select(PostalItem)
                .where(PostalItem.accepted_at >= start, PostalItem.accepted_at < end)
                .order_by(PostalItem.accepted_at, PostalItem.receipt_no)
            )
        )
        batch_ids = {i.batch_id for i in items if i.batch_id}
        records_of_day = list(
            s.scalars(
                select(PostalBatch)
                .where(
                    PostalBatch.direction == "out",
                    PostalBatch.handed_at >= start,
                    PostalBatch.handed_at < end,
                )
                .order_by(PostalBatch.handed_at)
            )
        )
        on = {b.id: b for b in records_of_day}
        for bid in batch_ids - set(on):
            b = s.get(PostalBatch, bid)
            if b is not None:
                on[bid] = b
        problems: list[str] = []
        lines = []
        for i in items:
            b = on.get(i.batch_id) if i.batch_id else None
            if i.batch_id and b is None:
                problems.append(f"{i.consignment_no}: biên bản giao nhận không có trên quầy")
            elif b is not None and not any(r["item_id"] == i.id for r in b.rows):
                problems.append(f"{i.consignment_no}: không có trong biên bản {b.batch_no}")
            lines.append(
                DailyLine(
                    i.receipt_no,
                    i.consignment_no,
                    i.accepted_at,
                    i.agency_code,
                    i.procedure_code,
                    i.full_name,
                    i.papers,
                    i.fee_charges,
                    i.fee_postal,
                    i.fee_total,
                    b.batch_no if b else "",
                    i.status,
                )
            )
        records = []
        for b in sorted(on.values(), key=lambda b: (b.handed_at or start, b.batch_no)):
            if len(b.rows) != b.count:
                problems.append(f"{b.batch_no}: {len(b.rows)} dòng, mã biên bản ghi {b.count}")
            for r in b.rows:
                it = s.get(PostalItem, r["item_id"])
                if it is None or it.batch_id != b.id:
                    problems.append(
                        f"{b.batch_no}: dòng {r['pos']} ({r['consignment_no']}) không khớp bưu gửi"
                    )
            records.append(
                RecordLine(
                    b.batch_no,
                    b.to_office_code,
                    b.handed_at,
                    b.count,
                    b.receipts > 0,
                    sum(1 for r in b.rows if r.get("outcome") == "missing"),
                )
            )
    handed = sum(1 for i in items if i.batch_id)
    return PostalDaily(
        day,
        tuple(lines),
        tuple(records),
        sum(x.fee_charges for x in lines),
        sum(x.fee_postal for x in lines),
        sum(x.fee_total for x in lines),
        handed,
        len(items) - handed,
        tuple(problems),
    )


def daily_doc(d: PostalDaily, ctx: DeskContext) -> doc.ReportDoc:
    lines = tuple(
        doc.Row(
            (
                str(n),
                x.receipt_no,
                x.consignment_no,
                x.accepted_at.astimezone(ZONE).strftime("%H:%M"),
                x.full_name,
                x.procedure_code,
                x.agency_code,
                x.papers,
                x.fee_charges,
                x.fee_postal,
                x.fee_total,
                x.batch_no,
                STATUS_VI.get(x.status, x.status),
            )
        )
        for n, x in enumerate(d.lines, start=1)
    )
    records = tuple(
        doc.Row(
            (
                r.batch_no,
                r.to_office_code,
                r.handed_at.astimezone(ZONE).strftime("%H:%M %d/%m") if r.handed_at else "",
                r.count,
                "Đã ký" if r.signed else "Chưa ký",
                r.missing,
            )
        )
        for r in d.records
    )
    tables = (
        doc.ReportTable(
            "Bưu gửi",
            "1. Hồ sơ nhận gửi và cước thu trong ngày",
            (
                doc.Column("no", "TT", 8, "text"),
                doc.Column("receipt", "Số biên lai", 30, "text"),
                doc.Column("consignment", "Số hiệu bưu gửi", 26, "text"),
                doc.Column("time", "Giờ nhận", 12, "text"),
                doc.Column("name", "Người gửi", 30, "text"),
                doc.Column("procedure", "Thủ tục", 18, "text"),
                doc.Column("agency", "Cơ quan nhận", 22, "text"),
                doc.Column("papers", "Số giấy tờ", 12),
                doc.Column("charges", "Phí, lệ phí (đ)", 16),
                doc.Column("postal", "Cước (đ)", 14),
                doc.Column("total", "Tổng (đ)", 16, "int", "{charges}+{postal}"),
                doc.Column("record", "Biên bản giao nhận", 22, "text"),
                doc.Column("status", "Tình trạng", 22, "text"),
            ),
            lines,
            total_label="Tổng cộng",
        ),
        doc.ReportTable(
            "Biên bản",
            "2. Biên bản giao nhận trong ngày",
            (
                doc.Column("batch", "Số biên bản", 26, "text"),
                doc.Column("to", "Cơ quan nhận", 26, "text"),
                doc.Column("at", "Giờ giao", 16, "text"),
                doc.Column("count", "Số hồ sơ", 14),
                doc.Column("signed", "Cơ quan ký", 14, "text"),
                doc.Column("missing", "Thiếu trong bao", 16),
            ),
            records,
            total_label="Tổng cộng",
        ),
    )
    facts = (
        f"Số hồ sơ nhận gửi: {len(d.lines)}; đã giao theo biên bản: {d.handed}; chờ giao: "
        f"{d.waiting}.",
        f"Tổng thu: {money(d.fee_total)} (phí, lệ phí {money(d.fee_charges)}; cước "
        f"{money(d.fee_postal)}).",
        "Đối chiếu với biên bản giao nhận: khớp."
        if d.reconciled
        else "Đối chiếu với biên bản giao nhận: KHÔNG KHỚP – " + "; ".join(d.problems),
    )
    return doc.ReportDoc(
        _office(ctx),
        "",
        "Bảng kê hồ sơ nhận gửi qua bưu điện và cước thu",
        f"Ngày {d.day:%d/%m/%Y}",
        ctx.now(),
        tables,
        (),
        facts,
        (
            "Thời điểm nộp hồ sơ là thời điểm cơ quan ký biên bản giao nhận "
            "(QĐ 45/2016/QĐ-TTg Điều 7).",
        ),
        landscape=True,
    )


def export_daily_list(ctx: DeskContext, day: date, fmt: str) -> Exported:
    d = daily_list(ctx, day)
    return Exported(render(daily_doc(d, ctx), fmt), fmt, f"BuuGui_{day:%Y%m%d}.{fmt}")


# --- the agency's split of dossiers received by post ------------------------------------


@dataclass(frozen=True)
class ChannelSplit:
    """Dossiers received in a period by channel (desk, post, online, interconnected), and of
    those by post, how the hand-over rows ended (received, supplement, refused, missing)."""

    date_from: date
    date_to: date
    by_channel: dict[str, int]
    post_rows: dict[str, int]

    @property
    def by_post(self) -> int:
        return self.by_channel.get("post", 0)


def channel_split(ctx: DeskContext, date_from: date, date_to: date) -> ChannelSplit:
    start, end = _day_bounds(date_from, date_to)
    with ctx.read() as s:
        by_channel = {
            str(ch): int(n)
            for ch, n in s.execute(
                select(Dossier.channel, func.count())
                .where(Dossier.received_at >= start, Dossier.received_at < end)
                .group_by(Dossier.channel)
            )
        }
        rows: Counter[str] = Counter()
        for b in s.scalars(
            select(PostalBatch).where(
                PostalBatch.direction == "out",
                PostalBatch.signed_at >= start,
                PostalBatch.signed_at < end,
            )
        ):
            rows.update(str(r.get("outcome") or "open") for r in b.rows)
    return ChannelSplit(date_from, date_to, by_channel, dict(rows))


CHANNEL_VI = {
    "desk": "Trực tiếp tại quầy",
    "post": "Qua dịch vụ bưu chính",
    "online": "Trực tuyến",
    "interconnected": "Liên thông",
}
ROW_VI = {
    "received": "Tiếp nhận",
    "supplement": "Yêu cầu bổ sung",
    "refused": "Từ chối",
    "missing": "Thiếu trong bao",
    "open": "Chưa xử lý",
}


def split_doc(c: ChannelSplit, ctx: DeskContext) -> doc.ReportDoc:
    period = (
        f"Ngày {c.date_from:%d/%m/%Y}"
        if c.date_from == c.date_to
        else f"Từ ngày {c.date_from:%d/%m/%Y} đến ngày {c.date_to:%d/%m/%Y}"
    )
    tables = (
        doc.ReportTable(
            "Theo kênh",
            "1. Hồ sơ tiếp nhận theo kênh",
            (doc.Column("channel", "Kênh", 60, "text"), doc.Column("n", "Số hồ sơ", 24)),
            tuple(doc.Row((CHANNEL_VI.get(k, k), c.by_channel.get(k, 0))) for k in CHANNEL_VI),
            total_label="Tổng cộng",
        ),
        doc.ReportTable(
            "Qua bưu chính",
            "2. Hồ sơ trong biên bản giao nhận của bưu điện",
            (doc.Column("outcome", "Kết quả", 60, "text"), doc.Column("n", "Số dòng", 24)),
            tuple(doc.Row((ROW_VI[k], c.post_rows.get(k, 0))) for k in ROW_VI),
            total_label="Tổng cộng",
        ),
    )
    return doc.ReportDoc(
        _office(ctx),
        "",
        "Hồ sơ tiếp nhận qua dịch vụ bưu chính công ích",
        period,
        ctx.now(),
        tables,
    )


def export_split(ctx: DeskContext, date_from: date, date_to: date, fmt: str) -> Exported:
    c = channel_split(ctx, date_from, date_to)
    name = f"BuuChinh_{date_from:%Y%m%d}_{date_to:%Y%m%d}.{fmt}"
    return Exported(render(split_doc(c, ctx), fmt), fmt, name)
