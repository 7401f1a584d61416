"""Papers of the post-office agent desk: the fee receipt and the hand-over records.

Always Vietnamese (papers for citizens and between offices). Decision 45/2016 Art. 6: the
postal worker collects the fees and issues a receipt; Art. 7 and 9: both sides sign a
hand-over record listing each dossier and its consignment number. Every paper carries a
Code 128 of its own number; a hand-over record adds one QR per row, so an agency desk with
no network can take the packet in from the paper alone (app.domain.postal).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from app.domain.postal import BatchCode, ReturnRowData, RowData
from app.print.codes import Code128Flowable, QrFlowable
from app.print.common import (
    Styles,
    build_pdf,
    field_line,
    grid_style,
    header,
    para,
    short_dt,
    signatures,
)
from app.print.data import OfficeInfo

LANG = "vi"


def money(vnd: int) -> str:
    """12.345 đ: Vietnamese thousands separator."""
    return f"{vnd:,}".replace(",", ".") + " đ"


@dataclass(frozen=True)
class FeeReceiptDoc:
    office: OfficeInfo
    receipt_no: str
    consignment_no: str
    accepted_at: datetime
    sender_name: str
    sender_phone: str
    sender_address: str
    agency_name: str
    procedure_name: str
    papers: int
    option: int
    fee_charges: int
    fee_charges_basis: str
    fee_postal: int
    fee_total: int
    #: False while the postal fee table is the bundled, unconfirmed one.
    fee_confirmed: bool
    officer_name: str = ""


OPTION_VI = {
    1: "Gửi hồ sơ",
    2: "Nhận kết quả",
    3: "Gửi hồ sơ và nhận kết quả",
}


def render_fee_receipt(doc: FeeReceiptDoc) -> bytes:
    """A5 receipt of the fee collected for one dossier sent by post."""
    st = Styles(9)
    width = A5[0] - 2 * 10 * mm
    story: list[Flowable] = [
        header(doc.office, doc.accepted_at, None, st, width, LANG),
        Spacer(1, 3 * mm),
        para("BIÊN LAI THU CƯỚC DỊCH VỤ BƯU CHÍNH CÔNG ÍCH", st.title),
        para("(Chuyển phát hồ sơ thủ tục hành chính – QĐ 45/2016/QĐ-TTg Điều 6)", st.center_italic),
        field_line("Số biên lai", doc.receipt_no, st.body),
        field_line("Số hiệu bưu gửi", doc.consignment_no, st.body),
        field_line("Thời điểm nhận", short_dt(doc.accepted_at), st.body),
        field_line("Người gửi", doc.sender_name, st.body),
    ]
    if doc.sender_phone:
        story.append(field_line("Điện thoại", doc.sender_phone, st.body))
    if doc.sender_address:
        story.append(field_line("Địa chỉ", doc.sender_address, st.body))
    story += [
        field_line("Cơ quan nhận hồ sơ", doc.agency_name, st.body),
        field_line("Thủ tục", doc.procedure_name, st.body),
        field_line("Số giấy tờ", doc.papers, st.body),
        field_line("Hình thức", OPTION_VI.get(doc.option, str(doc.option)), st.body),
        Spacer(1, 2 * mm),
    ]
    rows = [
        [para("Khoản thu", st.cell_head), para("Số tiền", st.cell_head)],
        [
            para(f"Phí, lệ phí thủ tục ({doc.fee_charges_basis})", st.cell),
            para(money(doc.fee_charges), st.cell),
        ],
        [para("Cước dịch vụ bưu chính", st.cell), para(money(doc.fee_postal), st.cell)],
        [para("Tổng cộng", st.cell_head), para(money(doc.fee_total), st.cell_head)],
    ]
    tbl = Table(rows, colWidths=[width * 0.7, width * 0.3])
    tbl.setStyle(TableStyle(grid_style()))
    story.append(tbl)
    if not doc.fee_confirmed:
        story.append(
            para(
                "Mức cước theo bảng giá cấu hình tại điểm bưu điện (chưa đối chiếu bảng giá "
                "hiện hành).",
                st.small,
            )
        )
    story += [
        Spacer(1, 2 * mm),
        para(
            "Điểm bưu điện không cấp mã hồ sơ và giấy tiếp nhận: cơ quan giải quyết cấp sau "
            "khi ký biên bản giao nhận; thời điểm ký là thời điểm nộp hồ sơ "
            "(QĐ 45/2016/QĐ-TTg Điều 7).",
            st.small,
        ),
        Spacer(1, 2 * mm),
        Code128Flowable(doc.receipt_no, module_dots=2, bar_height=26),
        para(doc.receipt_no, st.small_center),
        Spacer(1, 3 * mm),
        signatures(
            [
                ("NGƯỜI GỬI", "(Ký, ghi rõ họ tên)", doc.sender_name),
                ("NHÂN VIÊN BƯU ĐIỆN", "(Ký, ghi rõ họ tên)", doc.officer_name),
            ],
            st,
            width,
            space=14 * mm,
        ),
    ]
    return build_pdf(story, A5, margins=10 * mm, title_text=f"Biên lai {doc.receipt_no}")


@dataclass(frozen=True)
class HandoverDoc:
    """A hand-over record, post office → agency: rows as their QR codes carry them."""

    office: OfficeInfo
    code: BatchCode
    from_name: str
    to_name: str
    handed_at: datetime
    rows: Sequence[RowData]
    procedure_names: dict[str, str]
    #: The two offices' codes, printed beside their names (an officer checks them against
    #: the office's own papers; a name alone may be ambiguous across provinces).
    from_code: str = ""
    to_code: str = ""


def _qr_cell(text: str) -> QrFlowable:
    # 2 printer dots a module (0.25 mm) keeps a 400-character row under 30 mm square.
    return QrFlowable(text, module_dots=2, border=2)


def _record_top(
    office: OfficeInfo,
    code: BatchCode,
    handed_at: datetime,
    title: tuple[str, str],
    parties: tuple[tuple[str, str], tuple[str, str]],
    st: Styles,
    width: float,
) -> list[Flowable]:
    """The top both records share (header, title and legal basis, parties, batch code), so
    the two directions of a hand-over read alike at the counter."""
    code_text = code.text()
    return [
        header(office, handed_at, None, st, width, LANG),
        Spacer(1, 3 * mm),
        para(title[0], st.title),
        para(title[1], st.center_italic),
        field_line("Số biên bản", code.batch_no, st.body),
        *(field_line(label, name, st.body) for label, name in parties),
        field_line("Thời điểm giao", short_dt(handed_at), st.body),
        Spacer(1, 2 * mm),
        Code128Flowable(code_text, module_dots=2, bar_height=30),
        para(code_text, st.small_center),
        Spacer(1, 2 * mm),
    ]


def party(name: str, code: str) -> str:
    """An office on a record: its name and its code, or the code alone when the name is
    not known on this desk."""
    name, code = name.strip(), code.strip()
    if not name or name == code:
        return code
    return f"{name} (mã {code})" if code else name


def _record_head(titles: Sequence[str], st: Styles) -> list[list[object]]:
    return [[para(t, st.cell_head) for t in titles]]


def render_handover(doc: HandoverDoc) -> bytes:
    """A4 record: one row per dossier (consignment, applicant, procedure, papers, QR),
    the counts, two signature blocks and the batch code (id, count, digest)."""
    st = Styles(9)
    width = A4[0] - 2 * 12 * mm
    story = _record_top(
        doc.office,
        doc.code,
        doc.handed_at,
        (
            "BIÊN BẢN GIAO NHẬN HỒ SƠ",
            "(Bưu điện giao cơ quan giải quyết thủ tục hành chính – QĐ 45/2016/QĐ-TTg Điều 7)",
        ),
        (
            ("Bên giao (bưu điện)", party(doc.from_name, doc.from_code)),
            ("Bên nhận (cơ quan)", party(doc.to_name, doc.to_code)),
        ),
        st,
        width,
    )
    data = _record_head(
        ("STT", "Số hiệu bưu gửi", "Người nộp", "Thủ tục", "Số giấy tờ", "Đủ/Thiếu", "Mã dòng"), st
    )
    for r in doc.rows:
        data.append(
            [
                para(r.pos, st.cell_center),
                para(r.consignment_no, st.cell),
                para(r.full_name, st.cell),
                para(
                    f"{r.procedure_code} – {doc.procedure_names.get(r.procedure_code, '')}", st.cell
                ),
                para(r.papers, st.cell_center),
                para("", st.cell),
                _qr_cell(r.qr_text()),
            ]
        )
    widths = [9 * mm, 30 * mm, 34 * mm, 46 * mm, 14 * mm, 18 * mm]
    widths.append(width - sum(widths))
    tbl = Table(data, colWidths=widths, repeatRows=1)
    tbl.setStyle(TableStyle([*grid_style(), ("ALIGN", (6, 1), (6, -1), "CENTER")]))
    story.append(tbl)
    papers = sum(r.papers for r in doc.rows)
    story += [
        Spacer(1, 3 * mm),
        KeepTogether(
            [
                para(
                    f"Tổng số: {len(doc.rows)} hồ sơ, {papers} giấy tờ. Hai bên đã kiểm đếm "
                    "từng hồ sơ theo phiếu gửi. Hồ sơ thiếu trong bao được ghi «Thiếu» ở cột "
                    "Đủ/Thiếu. Thời điểm cơ quan ký biên bản là thời điểm nộp hồ sơ.",
                    st.body,
                ),
                para(
                    "Ký nhận lúc: ....... giờ ....... phút, ngày ....../....../..........", st.body
                ),
                Spacer(1, 2 * mm),
                signatures(
                    [
                        ("ĐẠI DIỆN BÊN GIAO", "(Nhân viên bưu điện, ký, ghi rõ họ tên)", ""),
                        ("ĐẠI DIỆN BÊN NHẬN", "(Cán bộ tiếp nhận, ký, ghi rõ họ tên)", ""),
                    ],
                    st,
                    width,
                    space=18 * mm,
                ),
            ]
        ),
    ]
    return build_pdf(
        story, A4, margins=12 * mm, title_text=f"Biên bản giao nhận {doc.code.batch_no}"
    )


@dataclass(frozen=True)
class ReturnDoc:
    """A return record, agency → post office (Art. 9): the results to deliver."""

    office: OfficeInfo
    code: BatchCode
    from_name: str
    to_name: str
    handed_at: datetime
    rows: Sequence[ReturnRowData]
    from_code: str = ""
    to_code: str = ""


def render_return(doc: ReturnDoc) -> bytes:
    """A4 return record: one row per result (consignment, dossier code, applicant, QR),
    the count, two signature blocks and the batch code."""
    st = Styles(9)
    width = A4[0] - 2 * 12 * mm
    story = _record_top(
        doc.office,
        doc.code,
        doc.handed_at,
        (
            "BIÊN BẢN GIAO NHẬN KẾT QUẢ",
            "(Cơ quan giao bưu điện kết quả giải quyết để phát – QĐ 45/2016/QĐ-TTg Điều 9)",
        ),
        (
            ("Bên giao (cơ quan)", party(doc.from_name, doc.from_code)),
            ("Bên nhận (bưu điện)", party(doc.to_name, doc.to_code)),
        ),
        st,
        width,
    )
    data = _record_head(
        ("STT", "Số hiệu bưu gửi", "Mã hồ sơ", "Người nhận", "Kết quả (bản chính)", "Mã dòng"), st
    )
    for r in doc.rows:
        data.append(
            [
                para(r.pos, st.cell_center),
                para(r.consignment_no, st.cell),
                para(r.dossier_code, st.cell),
                para(r.full_name, st.cell),
                para(r.result, st.cell),
                _qr_cell(r.qr_text()),
            ]
        )
    widths = [9 * mm, 30 * mm, 50 * mm, 36 * mm, 28 * mm]
    widths.append(width - sum(widths))
    tbl = Table(data, colWidths=widths, repeatRows=1)
    tbl.setStyle(TableStyle([*grid_style(), ("ALIGN", (5, 1), (5, -1), "CENTER")]))
    story += [
        tbl,
        Spacer(1, 3 * mm),
        KeepTogether(
            [
                para(
                    f"Tổng số: {len(doc.rows)} kết quả. Hai bên đã kiểm đếm từng kết quả; "
                    "bản chính được ghi rõ trong cột Kết quả.",
                    st.body,
                ),
                Spacer(1, 2 * mm),
                signatures(
                    [
                        ("ĐẠI DIỆN BÊN GIAO", "(Cán bộ trả kết quả, ký, ghi rõ họ tên)", ""),
                        ("ĐẠI DIỆN BÊN NHẬN", "(Nhân viên bưu điện, ký, ghi rõ họ tên)", ""),
                    ],
                    st,
                    width,
                    space=18 * mm,
                ),
            ]
        ),
    ]
    return build_pdf(
        story, A4, margins=12 * mm, title_text=f"Biên bản trả kết quả {doc.code.batch_no}"
    )
