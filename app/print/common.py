"""Shared building blocks of the one-stop forms: styles, header, code block, signatures.

Why: forms 01–05 share the two-column header (issuing body / national motto), the applicant
block and the code block; keeping them here makes every form print them the same way.
Everything drawn passes through `nfc` first (reportlab subsets fonts without mark
positioning, so only precomposed letters print well).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import date, datetime
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.domain.text import nfc
from app.print.codes import Code128Flowable, QrFlowable, code128_width
from app.print.data import DossierDoc, FormSet, OfficeInfo
from app.print.fonts import BOLD, ITALIC, REGULAR, register_fonts
from app.print.labels import label

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def local(dt: datetime) -> datetime:
    """Shown in Vietnam time; naive datetimes are refused (they are a bug upstream)."""
    if dt.tzinfo is None:
        raise ValueError("datetimes given to the print layer must be timezone-aware")
    return dt.astimezone(LOCAL_TZ)


def when(dt: datetime, lang: str, key: str = "when") -> str:
    t = local(dt)
    return label(key, lang, H=t.hour, M=t.minute, d=t.day, m=t.month, y=t.year)


def short_dt(dt: datetime | None) -> str:
    """dd/mm/yyyy HH:MM in Vietnam time, or empty for None (log book cells)."""
    if dt is None:
        return ""
    t = local(dt)
    return f"{t.day:02d}/{t.month:02d}/{t.year} {t.hour:02d}:{t.minute:02d}"


def short_date(d: date | datetime) -> str:
    if isinstance(d, datetime):
        d = local(d).date()
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def place_date(place: str, dt: datetime | None, lang: str) -> str:
    """ "Ba Đình, ngày 17 tháng 11 năm 2026"; with no place the date line stands alone
    (never ", ngày …")."""
    place = place.strip()
    if dt is None:
        if not place:
            return label("date_noplace_blank", lang)
        return label("place_date_blank", lang, place=place)
    t = local(dt)
    if not place:
        return label("date_noplace", lang, d=t.day, m=t.month, y=t.year)
    return label("place_date", lang, place=place, d=t.day, m=t.month, y=t.year)


def contact_line(office: OfficeInfo, lang: str) -> str | None:
    """ "Đường dây nóng: … - Điện thoại: …" with only what the office gave, or None."""
    hotline, phone = office.hotline.strip(), office.phone.strip()
    if hotline and phone:
        return label("hotline", lang, hotline=hotline, phone=phone)
    if hotline:
        return label("hotline_only", lang, hotline=hotline)
    if phone:
        return label("phone_only", lang, phone=phone)
    return None


class Styles:
    """Paragraph styles at one base size (A5 forms 8.5 pt, thermal 8 pt, log book 7 pt)."""

    def __init__(self, size: float = 8.5) -> None:
        register_fonts()
        lead = size * 1.25
        self.size = size
        self.body = ParagraphStyle(
            "body", fontName=REGULAR, fontSize=size, leading=lead, spaceAfter=1.2
        )
        self.bold = ParagraphStyle("bold", parent=self.body, fontName=BOLD)
        self.italic = ParagraphStyle("italic", parent=self.body, fontName=ITALIC)
        self.center = ParagraphStyle("center", parent=self.body, alignment=TA_CENTER)
        self.center_bold = ParagraphStyle("center_bold", parent=self.center, fontName=BOLD)
        self.center_italic = ParagraphStyle("center_italic", parent=self.center, fontName=ITALIC)
        self.small = ParagraphStyle(
            "small", parent=self.body, fontSize=size - 1.5, leading=(size - 1.5) * 1.2
        )
        self.small_center = ParagraphStyle("small_center", parent=self.small, alignment=TA_CENTER)
        self.title = ParagraphStyle(
            "title",
            parent=self.center_bold,
            fontSize=size + 2.5,
            leading=(size + 2.5) * 1.2,
            spaceBefore=3,
            spaceAfter=2,
        )
        self.code = ParagraphStyle(
            "code", parent=self.center_bold, fontSize=size + 1.5, leading=(size + 1.5) * 1.25
        )
        self.cell = ParagraphStyle(
            "cell",
            parent=self.body,
            fontSize=size - 0.5,
            leading=(size - 0.5) * 1.2,
            spaceAfter=0,
            alignment=TA_LEFT,
        )
        self.cell_center = ParagraphStyle("cell_center", parent=self.cell, alignment=TA_CENTER)
        self.cell_head = ParagraphStyle("cell_head", parent=self.cell_center, fontName=BOLD)
        self.mark = ParagraphStyle(
            "mark",
            parent=self.center_bold,
            textColor=colors.red,
            fontSize=size + 1,
            leading=(size + 1) * 1.2,
        )


def t(text: object) -> str:
    """NFC-normalised, XML-escaped text for a Paragraph."""
    return escape(nfc(str(text)))


def para(text: object, style: ParagraphStyle, *, markup: bool = False) -> Paragraph:
    """A paragraph of plain text (escaped) or of trusted markup built from `t()` pieces."""
    return Paragraph(str(text) if markup else t(text), style)


def field_line(name: str, value: object, style: ParagraphStyle) -> Paragraph:
    """ "Name: <b>value</b>"."""
    return Paragraph(f"{t(name)}: <b>{t(value)}</b>", style)


def header(
    office: OfficeInfo, dt: datetime | None, doc_no: str | None, st: Styles, width: float, lang: str
) -> Table:
    """Issuing body on the left, national motto and place/date on the right."""
    left = [
        para(office.parent_name.upper(), st.center),
        para((office.header_line or office.unit_name).upper(), st.center_bold),
        para("―――――", st.center),
    ]
    if doc_no:
        left.append(para(label("doc_no", lang, no=doc_no), st.center))
    right = [
        para(label("motto_1", lang), st.center_bold),
        para(label("motto_2", lang), st.center_bold),
        para("―――――――――", st.center),
        para(place_date(office.place_name, dt, lang), st.center_italic),
    ]
    tbl = Table([[left, right]], colWidths=[width * 0.42, width * 0.58])
    tbl.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return tbl


def form_ref(legal_basis: FormSet, role: str, st: Styles, lang: str) -> Paragraph:
    """ "Mẫu số NN (Ban hành kèm theo ...)", right-aligned, from the dossier's legal basis."""
    form = legal_basis.form(role)
    style = ParagraphStyle("formref", parent=st.small, alignment=2, spaceAfter=3)
    text = (
        f"<b>{t(label('form_no', lang, number=form.number))}</b> "
        f"{t(label('form_basis', lang, basis=legal_basis.name))}"
    )
    return para(text, style, markup=True)


def title(role: str, legal_basis: FormSet | None, st: Styles, lang: str) -> Paragraph:
    """The official title in Vietnamese (from the form set), the English one for lang="en"."""
    if lang == "vi" and legal_basis is not None:
        return para(legal_basis.form(role).title.upper(), st.title)
    return para(label(f"title_{role}", lang), st.title)


def marks(doc: DossierDoc, st: Styles, lang: str) -> list[Flowable]:
    """The reprint and not-synced marks, empty when neither applies."""
    out: list[Flowable] = []
    if doc.copy:
        box = Table([[para(label("mark_copy", lang), st.mark)]])
        box.setStyle(
            TableStyle(
                [
                    ("BOX", (0, 0), (-1, -1), 1.2, colors.red),
                    ("TOPPADDING", (0, 0), (-1, -1), 1),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ]
            )
        )
        out.append(box)
    if not doc.synced:
        out.append(
            para(
                label("mark_unsynced", lang),
                ParagraphStyle(
                    "unsynced", parent=st.small_center, fontName=ITALIC, textColor=colors.darkred
                ),
            )
        )
    return out


def code_block(
    doc: DossierDoc, st: Styles, width: float, lang: str, extra_left: Sequence[Flowable] = ()
) -> Table:
    """Code 128 over the code as text, marks beneath; the QR code on the right."""
    qr = QrFlowable(doc.code)
    left: list[Flowable] = [Code128Flowable(doc.code, module_dots=2, bar_height=10 * mm)]
    code_text = f"{t(label('dossier_code', lang))}: <b>{t(doc.code)}</b>"
    left.append(para(code_text, st.center, markup=True))
    left.extend(marks(doc, st, lang))
    left.extend(extra_left)
    bar_w = code128_width(doc.code, 2)
    tbl = Table([[left, qr]], colWidths=[max(bar_w, width - qr.size - 2), qr.size + 2])
    tbl.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (0, 0), (0, 0), "CENTER"),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return tbl


def applicant_block(doc: DossierDoc, st: Styles, lang: str, intro: str | None) -> list[Flowable]:
    out: list[Flowable] = []
    if intro:
        out.append(para(intro, st.body))
    out.append(field_line(label("mr_ms", lang), doc.applicant_name, st.body))
    out.append(field_line(label("address", lang), doc.applicant_address, st.body))
    # A citizen's paper never shows an empty placeholder: what was not given is left out.
    contact = []
    if doc.applicant_phone:
        contact.append(f"{t(label('phone', lang))}: <b>{t(doc.applicant_phone)}</b>")
    if doc.applicant_email:
        contact.append(f"{t(label('email', lang))}: {t(doc.applicant_email)}")
    if contact:
        out.append(para("&nbsp;&nbsp;&nbsp;".join(contact), st.body, markup=True))
    request = (
        f"{t(label('request', lang))}: <b>{t(doc.procedure_name)}</b> "
        f"({t(label('procedure_code', lang))}: {t(doc.procedure_code)})"
    )
    out.append(para(request, st.body, markup=True))
    return out


def signatures(
    blocks: Sequence[tuple[str, str, str]], st: Styles, width: float, space: float = 16 * mm
) -> Table:
    """Signature columns: (ROLE, hint, printed name); `space` is left blank for the pen."""
    cells = []
    for role, hint, name in blocks:
        cells.append(
            [
                para(role, st.center_bold),
                para(hint, st.center_italic),
                Spacer(1, space),
                para(name, st.center_bold),
            ]
        )
    n = len(blocks)
    tbl = Table([cells], colWidths=[width / n] * n)
    tbl.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return tbl


def grid_style(header_rows: int = 1) -> list[tuple]:
    return [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.Color(0.92, 0.92, 0.92)),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]


def watermark_copy(canv, page_w: float, page_h: float, lang: str) -> None:
    """A light diagonal "BẢN SAO / COPY" across the page for reprints."""
    canv.saveState()
    canv.setFillColor(colors.Color(0.85, 0.2, 0.2, alpha=0.18))
    canv.setFont(BOLD, min(page_w, page_h) / 9)
    canv.translate(page_w / 2, page_h / 2)
    canv.rotate(35)
    canv.drawCentredString(0, 0, nfc(label("mark_copy", lang)))
    canv.restoreState()


def build_pdf(
    story: list[Flowable],
    pagesize: tuple[float, float],
    *,
    margins: float,
    on_page: Callable | None = None,
    title_text: str = "",
    compress: bool = True,
) -> bytes:
    """Lay the story out on `pagesize` (one frame, no padding) and return the PDF bytes.

    `compress=False` leaves the streams (page content, font subsets) unpacked: about
    twice the bytes for a quarter less rendering time, for a small form on its way to the
    screen (the receipt, issue 10)."""
    buf = io.BytesIO()
    page_w, page_h = pagesize
    doc = BaseDocTemplate(
        buf,
        pagesize=pagesize,
        leftMargin=margins,
        rightMargin=margins,
        topMargin=margins,
        bottomMargin=margins,
        title=nfc(title_text),
        author="onestop",
        creator="onestop",
        invariant=1,
        pageCompression=1 if compress else 0,
    )
    frame = Frame(
        margins,
        margins,
        page_w - 2 * margins,
        page_h - 2 * margins,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    doc.addPageTemplates(
        [PageTemplate(id="page", frames=[frame], onPage=on_page or _no_op, pagesize=pagesize)]
    )
    doc.build(story)
    return buf.getvalue()


def _no_op(canv, doc) -> None:
    return None
