"""Reports as documents (PDF and Excel): the report figures laid into `app.print.report`'s
neutral table description, with the office's header and the charts each report carries.

Why separate from `reports`: the figures are the same on screen, in the central command and
in the files; only this module knows how a report is titled and laid out on paper.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from app.domain.errors import FieldError, ValidationFailed
from app.domain.messages import register, tr
from app.models import Office
from app.print import report as doc
from app.print.data import OfficeInfo
from app.services import reports
from app.services.context import DeskContext
from app.services.digitised_report import DigitisedShare, ShareRow, digitised_share_of
from app.services.documents import office_info
from app.services.setup import current_desk

FORMATS = ("pdf", "xlsx")
II06A_FORM_NO = "Biểu số II.06a/VPCP/KSTT"
II06A_TITLE = "Tình hình, kết quả giải quyết thủ tục hành chính"
SATISFACTION_NAMES = {
    "1": "Tiếp cận dịch vụ",
    "3": "Thời gian giải quyết",
    "4": "Thái độ, năng lực cán bộ",
    "7": "Tiếp nhận, xử lý góp ý",
}

register(
    {
        "report.format": {
            "vi": "Định dạng không hợp lệ: {fmt} (chọn pdf hoặc xlsx).",
            "en": "Unknown format: {fmt} (choose pdf or xlsx).",
        },
    }
)


@dataclass(frozen=True)
class Exported:
    data: bytes
    fmt: str
    filename: str


def _period(date_from: date, date_to: date) -> str:
    if date_from == date_to:
        return f"Ngày {date_from:%d/%m/%Y}"
    return f"Kỳ báo cáo: từ ngày {date_from:%d/%m/%Y} đến ngày {date_to:%d/%m/%Y}"


def _office(ctx: DeskContext, office_id: str | None = None) -> OfficeInfo:
    """The header: the given office, else this desk's office, else a neutral unit."""
    with ctx.read() as s:
        if office_id is None:
            me = current_desk(s)
            office_id = me.office_id if me else None
        o = s.get(Office, office_id) if office_id else None
        if o is None:
            o = s.scalar(select(Office).limit(1))
        if o is None:
            return OfficeInfo("", "Bộ phận Một cửa", "", "", "", "", "")
        return office_info(o)


# -- II.06a ----------------------------------------------------------------------------------

II06A_COLUMNS: tuple[doc.Column, ...] = (
    doc.Column("no", "(1) TT", 8, "text"),
    doc.Column("name", "(2) Lĩnh vực, công việc giải quyết", 62, "text"),
    doc.Column("received_total", "(3) Tổng số", 14, "int", "{online}+{direct}+{carried}"),
    doc.Column("online", "(4) Trực tuyến (*)", 14),
    doc.Column("direct", "(5) Trực tiếp, dịch vụ bưu chính", 16),
    doc.Column("carried", "(6) Từ kỳ trước", 14),
    doc.Column("settled_total", "(7) Tổng số", 14, "int", "{early}+{on_time}+{late}"),
    doc.Column("early", "(8) Trước hạn", 14),
    doc.Column("on_time", "(9) Đúng hạn", 14),
    doc.Column("late", "(10) Quá hạn", 14),
    doc.Column("pending_total", "(11) Tổng số", 14, "int", "{pending_in_time}+{pending_late}"),
    doc.Column("pending_in_time", "(12) Trong hạn", 14),
    doc.Column("pending_late", "(13) Quá hạn", 14),
)
II06A_GROUPS = (
    ("Số hồ sơ nhận giải quyết", "received_total", "carried"),
    ("Số hồ sơ đã giải quyết", "settled_total", "late"),
    ("Số hồ sơ đang giải quyết", "pending_total", "pending_late"),
)


def _ii06a_rows(rep: reports.II06aReport) -> tuple[doc.Row, ...]:
    out: list[doc.Row] = []
    group_no, item_no = 0, 0
    romans = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
    for r in rep.rows:
        if r.procedure_code is None:
            group_no += 1
            item_no = 0
            no = romans[group_no - 1] if group_no <= len(romans) else str(group_no)
            name, level = f"Lĩnh vực {r.name}", 1
        else:
            item_no += 1
            no, name, level = str(item_no), f"{r.name} ({r.procedure_code})", 0
        values = [no, name] + [r[c.key] for c in II06A_COLUMNS[2:]]
        out.append(doc.Row(tuple(values), level))
    return tuple(out)


def _ii06a_charts(rep: reports.II06aReport) -> tuple[doc.Chart, ...]:
    procs = [r for r in rep.rows if r.procedure_code is not None]
    overdue = sorted(
        ((r.procedure_code or "", r["late"] + r["pending_late"]) for r in procs),
        key=lambda x: -x[1],
    )[:15]
    by_field = [r for r in rep.rows if r.procedure_code is None]
    ratio = tuple(
        ((r["early"] + r["on_time"]) / r["settled_total"]) if r["settled_total"] else 0.0
        for r in by_field
    )
    return (
        doc.Chart(
            "Tỷ lệ giải quyết trước hạn và đúng hạn theo lĩnh vực",
            tuple(r.name for r in by_field),
            (("Trước hạn và đúng hạn", ratio),),
            horizontal=True,
            percent=True,
        ),
        doc.Chart(
            "Hồ sơ quá hạn theo thủ tục (đã và đang giải quyết)",
            tuple(c for c, _ in overdue),
            (("Quá hạn", tuple(float(n) for _, n in overdue)),),
        ),
    )


def ii06a_doc(rep: reports.II06aReport, office: OfficeInfo, created_at: datetime) -> doc.ReportDoc:
    ratio = rep.on_time_ratio
    lines = [
        f"Đơn vị báo cáo: {rep.unit_name or office.unit_name}",
        "Đơn vị tính: Số hồ sơ TTHC",
        "Tỷ lệ giải quyết trước hạn và đúng hạn: "
        + (f"{ratio * 100:.1f}%".replace(".", ",") if ratio is not None else "chưa có hồ sơ"),
    ]
    notes = [f"(*) {rep.incomplete['online']}", *rep.notes] if rep.incomplete else rep.notes
    return doc.ReportDoc(
        office=office,
        form_no=II06A_FORM_NO,
        title=II06A_TITLE,
        period=_period(rep.date_from, rep.date_to),
        created_at=created_at,
        tables=(
            doc.ReportTable(
                "II.06a",
                "",
                II06A_COLUMNS,
                _ii06a_rows(rep),
                total_label="Tổng cộng",
                groups=II06A_GROUPS,
            ),
        ),
        charts=_ii06a_charts(rep),
        lines=tuple(lines),
        notes=tuple(notes),
        landscape=True,
    )


def offices_doc(rep: reports.II06aByOffice, created_at: datetime, title: str) -> doc.ReportDoc:
    """II.06a with one line per office and the total: what a province's working group
    compiles without collecting a file from each office."""
    cols = (
        doc.Column("no", "TT", 8, "text"),
        doc.Column("name", "Đơn vị", 50, "text"),
        doc.Column("code", "Mã đơn vị", 24, "text"),
        *II06A_COLUMNS[2:],
    )
    rows = tuple(
        doc.Row((str(i), line.name, line.code, *[line.row[c.key] for c in II06A_COLUMNS[2:]]))
        for i, line in enumerate(rep.lines, 1)
    )
    office = OfficeInfo("", title, "", "", "", "", "")
    ratio = rep.total["settled_total"] and (
        (rep.total["early"] + rep.total["on_time"]) / rep.total["settled_total"]
    )
    return doc.ReportDoc(
        office=office,
        form_no=II06A_FORM_NO,
        title=II06A_TITLE,
        period=_period(rep.date_from, rep.date_to),
        created_at=created_at,
        tables=(
            doc.ReportTable("II.06a", "", cols, rows, total_label="Tổng cộng", groups=II06A_GROUPS),
        ),
        charts=(
            doc.Chart(
                "Tỷ lệ giải quyết trước hạn và đúng hạn theo đơn vị",
                tuple(line.code for line in rep.lines),
                (
                    (
                        "Trước hạn và đúng hạn",
                        tuple(
                            (line.row["early"] + line.row["on_time"]) / line.row["settled_total"]
                            if line.row["settled_total"]
                            else 0.0
                            for line in rep.lines
                        ),
                    ),
                ),
                horizontal=True,
                percent=True,
            ),
        ),
        lines=(
            f"Số đơn vị: {len(rep.lines)}",
            "Tỷ lệ giải quyết trước hạn và đúng hạn: "
            + (f"{ratio * 100:.1f}%".replace(".", ",") if rep.total["settled_total"] else "—"),
        ),
        notes=(f"(*) {reports.NOTE_ONLINE_CENTRAL}", *reports.NOTES),
        landscape=True,
    )


def export_offices(
    ctx: DeskContext,
    date_from: date,
    date_to: date,
    fmt: str,
    codes: tuple[str, ...] = (),
    province: str | None = None,
) -> Exported:
    """The central's report for offices by code or for a province (`onestop-central report`)."""
    offices = reports.find_offices(ctx, codes, province)
    rep = reports.ii06a_by_office(ctx, date_from, date_to, offices)
    title = f"Các đơn vị tỉnh/thành phố mã {province}" if province else "Các đơn vị"
    data = render(offices_doc(rep, ctx.now(), title), fmt)
    return Exported(data, fmt, f"II06a_donvi_{date_from:%Y%m%d}_{date_to:%Y%m%d}.{fmt}")


# -- daily summary ---------------------------------------------------------------------------


def daily_doc(
    s: reports.DailySummary, office: OfficeInfo, created_at: datetime, scope_text: str = ""
) -> doc.ReportDoc:
    ind = (
        ("Hồ sơ tiếp nhận", s.received),
        ("Yêu cầu bổ sung, hoàn thiện", s.supplement_requested),
        ("Từ chối tiếp nhận, giải quyết", s.refused),
        ("Chuyển cơ quan giải quyết", s.transferred),
        ("Trả kết quả đúng hạn", s.returned_on_time),
        ("Trả kết quả quá hạn", s.returned_late),
        ("Quá hạn chuyển sang (cuối kỳ)", s.overdue_carried),
        ("Lượt đánh giá hài lòng", s.feedback_count),
    )
    sat_rows = tuple(
        doc.Row(
            (
                f"Chỉ số {x.index}: {SATISFACTION_NAMES.get(x.index, '')}",
                x.counts[2],
                x.counts[1],
                x.counts[0],
                x.total,
            )
        )
        for x in s.satisfaction
    )
    tables = (
        doc.ReportTable(
            "Tổng hợp",
            "1. Kết quả trong kỳ",
            (doc.Column("name", "Chỉ tiêu", 90, "text"), doc.Column("n", "Số hồ sơ", 30)),
            tuple(doc.Row(x) for x in ind),
        ),
        doc.ReportTable(
            "Theo ngày",
            "2. Hồ sơ tiếp nhận theo ngày",
            (doc.Column("day", "Ngày", 40, "date"), doc.Column("n", "Số hồ sơ tiếp nhận", 40)),
            tuple(doc.Row((d, n)) for d, n in s.per_day),
            total_label=None,
        ),
        doc.ReportTable(
            "Hài lòng",
            "3. Đánh giá của người nộp (điểm như đã ghi nhận: 2, 1, 0)",
            (
                doc.Column("index", "Chỉ số", 70, "text"),
                doc.Column("s2", "Điểm 2", 18),
                doc.Column("s1", "Điểm 1", 18),
                doc.Column("s0", "Điểm 0", 18),
                doc.Column("total", "Tổng", 18, "int", "{s2}+{s1}+{s0}"),
            ),
            sat_rows,
        ),
    )
    chart = doc.Chart(
        "Hồ sơ tiếp nhận theo ngày",
        tuple(f"{d:%d/%m}" for d, _ in s.per_day),
        (("Tiếp nhận", tuple(float(n) for _, n in s.per_day)),),
    )
    lines = (scope_text,) if scope_text else ()
    return doc.ReportDoc(
        office,
        "",
        "Báo cáo tổng hợp tiếp nhận và trả kết quả",
        _period(s.date_from, s.date_to),
        created_at,
        tables,
        (chart,),
        lines,
        (
            "Trả kết quả đúng hạn: kết quả có trước hoặc đúng ngày hẹn trả.",
            "Đánh giá được ghi nhận ẩn danh (không gắn với cán bộ) theo Thông tư 01/2018/TT-VPCP.",
        ),
    )


# -- overdue control -------------------------------------------------------------------------


def control_doc(
    c: reports.OverdueControl, office: OfficeInfo, created_at: datetime
) -> doc.ReportDoc:
    cols = (
        doc.Column("code", "Mã hồ sơ", 44, "text"),
        doc.Column("name", "Người nộp", 40, "text"),
        doc.Column("proc", "Thủ tục", 60, "text"),
        doc.Column("received", "Ngày nhận", 22, "date"),
        doc.Column("due", "Ngày hẹn trả", 22, "date"),
        doc.Column("days", "Số ngày", 16),
        doc.Column("status", "Trạng thái", 30, "text"),
    )
    tables = []
    for lst in c.lists:
        rows = tuple(
            doc.Row(
                (
                    r.code,
                    r.full_name,
                    r.procedure_name,
                    r.received_at.astimezone(reports.ZONE).date(),
                    r.due_date,
                    r.days,
                    r.status_label,
                )
            )
            for r in lst.rows
        )
        shown = f" (hiển thị {len(lst.rows)}/{lst.total})" if lst.total > len(lst.rows) else ""
        tables.append(
            doc.ReportTable(lst.title[:31], f"{lst.title}: {lst.total}{shown}", cols, rows)
        )
    overdue = c.by_key("overdue").rows
    per_proc: dict[str, int] = {}
    for r in overdue:
        per_proc[r.procedure_code] = per_proc.get(r.procedure_code, 0) + 1
    top = sorted(per_proc.items(), key=lambda x: -x[1])[:15]
    chart = doc.Chart(
        "Hồ sơ quá hạn theo thủ tục",
        tuple(k for k, _ in top),
        (("Quá hạn", tuple(float(n) for _, n in top)),),
    )
    return doc.ReportDoc(
        office,
        "",
        "Kiểm soát hồ sơ đến hạn, quá hạn",
        f"Ngày {c.today:%d/%m/%Y}",
        created_at,
        tuple(tables),
        (chart,),
        landscape=True,
        notes=(
            "Số ngày: quá hạn tính theo ngày lịch từ ngày hẹn trả; chờ bổ sung và chờ trả "
            "kết quả tính từ ngày yêu cầu bổ sung / ngày có kết quả.",
        ),
    )


# -- digitised at reception (issue 16) -------------------------------------------------------

DIGITISED_TITLE = "Tỷ lệ hồ sơ số hóa khi tiếp nhận"


def digitised_doc(
    r: DigitisedShare, office: OfficeInfo, created_at: datetime, scope_text: str = ""
) -> doc.ReportDoc:
    """The share by procedure and by receiving officer; the share is a formula in Excel
    (complete / received) so a compiled workbook stays right when rows are added."""
    cols = (
        doc.Column("name", "Thủ tục / cán bộ", 80, "text"),
        doc.Column("received", "Tiếp nhận", 20),
        doc.Column("digitised", "Có thành phần số hóa", 24),
        doc.Column("complete", "Số hóa đủ thành phần", 24),
        doc.Column(
            "share", "Tỷ lệ số hóa đủ", 20, "pct", "IF({received}=0,0,{complete}/{received})"
        ),
    )

    def rows(items: tuple[ShareRow, ...]) -> tuple[doc.Row, ...]:
        return tuple(
            doc.Row((x.label, x.received, x.digitised, x.complete, x.complete_share)) for x in items
        )

    t = r.total
    totals = (None, t.received, t.digitised, t.complete, t.complete_share)
    tables = (
        doc.ReportTable(
            "Theo thủ tục",
            "1. Theo thủ tục",
            cols,
            rows(r.by_procedure),
            total_label="Tổng cộng",
            total_values=totals,
        ),
        doc.ReportTable(
            "Theo cán bộ",
            "2. Theo cán bộ tiếp nhận",
            cols,
            rows(r.by_officer),
            total_label="Tổng cộng",
            total_values=totals,
        ),
    )
    charts = (
        doc.Chart(
            "Tỷ lệ hồ sơ số hóa khi tiếp nhận theo thủ tục",
            tuple(x.key for x in r.by_procedure),
            (
                ("Số hóa đủ thành phần", tuple(x.complete_share for x in r.by_procedure)),
                ("Có thành phần số hóa", tuple(x.share for x in r.by_procedure)),
            ),
            horizontal=True,
            percent=True,
        ),
    )
    share = f"{t.complete_share * 100:.1f}%".replace(".", ",")
    lines = (
        f"Tiếp nhận {t.received} hồ sơ; số hóa đủ thành phần khi tiếp nhận {t.complete} ({share})",
        *((scope_text,) if scope_text else ()),
    )
    return doc.ReportDoc(
        office,
        "",
        DIGITISED_TITLE,
        _period(r.date_from, r.date_to),
        created_at,
        tables,
        charts,
        lines,
        (
            "Chỉ tính thành phần hồ sơ được quét hoặc nhập tệp và lưu trong ngày tiếp nhận "
            "(Nghị định 61/2018/NĐ-CP Điều 17 khoản 1).",
            "Số hóa đủ thành phần: mọi thành phần đã nộp đều được lưu. Thông tư 03/2025/TT-VPCP "
            "Điều 5: sao chụp giấy tờ sang bản điện tử là nguyên tắc chung, trừ hồ sơ nộp trực "
            "tuyến, giấy tờ chỉ xuất trình để đối chiếu, kết quả của cơ quan phối hợp và tài "
            "liệu mật [S].",
            "Thông tư 01/2023/TT-VPCP để danh mục thành phần phải số hóa cho quyết định của "
            "bộ, UBND cấp tỉnh; chưa tìm thấy danh mục cho thủ tục BHXH, nên mọi thành phần "
            "đã nộp đều được tính [S].",
        ),
    )


# -- use cases -------------------------------------------------------------------------------


def render(document: doc.ReportDoc, fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise ValidationFailed(
            [FieldError("format", "report.format", tr("report.format", fmt=fmt))]
        )
    return doc.render_pdf(document) if fmt == "pdf" else doc.render_xlsx(document)


def export_ii06a(
    ctx: DeskContext,
    date_from: date,
    date_to: date,
    fmt: str,
    scope: reports.Scope | None = None,
) -> Exported:
    scope = scope or reports.office_scope(ctx)
    rep = reports.ii06a_report(ctx, date_from, date_to, scope)
    office = _office(ctx, scope.office_ids[0] if len(scope.office_ids) == 1 else None)
    data = render(ii06a_doc(rep, office, ctx.now()), fmt)
    return Exported(data, fmt, f"II06a_{date_from:%Y%m%d}_{date_to:%Y%m%d}.{fmt}")


def export_daily(
    ctx: DeskContext,
    date_from: date,
    date_to: date,
    fmt: str,
    scope: reports.Scope | None = None,
    scope_text: str = "",
) -> Exported:
    scope = scope or reports.office_scope(ctx)
    s = reports.daily_summary(ctx, date_from, date_to, scope)
    office = _office(ctx, scope.office_ids[0] if len(scope.office_ids) == 1 else None)
    data = render(daily_doc(s, office, ctx.now(), scope_text), fmt)
    return Exported(data, fmt, f"TongHop_{date_from:%Y%m%d}_{date_to:%Y%m%d}.{fmt}")


def export_digitised(
    ctx: DeskContext,
    date_from: date,
    date_to: date,
    fmt: str,
    scope: reports.Scope | None = None,
    scope_text: str = "",
) -> Exported:
    scope = scope or reports.office_scope(ctx)
    r = digitised_share_of(ctx, date_from, date_to, scope)
    office = _office(ctx, scope.office_ids[0] if len(scope.office_ids) == 1 else None)
    data = render(digitised_doc(r, office, ctx.now(), scope_text), fmt)
    return Exported(data, fmt, f"SoHoa_{date_from:%Y%m%d}_{date_to:%Y%m%d}.{fmt}")


def export_control(
    ctx: DeskContext, fmt: str, desk_id: str | None = None, today: date | None = None
) -> Exported:
    c = reports.overdue_control(ctx, desk_id=desk_id, today=today)
    data = render(control_doc(c, _office(ctx), ctx.now()), fmt)
    return Exported(data, fmt, f"KiemSoat_{c.today:%Y%m%d}.{fmt}")
