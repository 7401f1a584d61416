"""Form 01, the receipt and appointment slip: A5 (one or two copies) and 80 mm thermal.

Why two layouts: desks print A5 on a laser printer, post-office agent desks often have only
a 203-dpi thermal printer. Both carry every field of Mẫu 01 and the code three ways (text,
Code 128, QR) so the citizen can look the dossier up and the desk can scan it back.
"""

from __future__ import annotations

from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, PageBreak, Spacer, Table, TableStyle

from app.print.codes import Code128Flowable, QrFlowable, code128_width
from app.print.common import (
    Styles,
    applicant_block,
    build_pdf,
    code_block,
    contact_line,
    form_ref,
    grid_style,
    header,
    marks,
    para,
    place_date,
    signatures,
    t,
    title,
    watermark_copy,
    when,
)
from app.print.data import DossierDoc
from app.print.labels import label

A5_MARGIN = 10 * mm
THERMAL_WIDTH = 80 * mm
THERMAL_PRINTABLE = 72 * mm
THERMAL_MARGIN = (THERMAL_WIDTH - THERMAL_PRINTABLE) / 2


def _component_table(doc: DossierDoc, st: Styles, width: float, lang: str) -> Table:
    rows: list[list[object]] = [
        [
            para(label("col_no", lang), st.cell_head),
            para(label("col_paper", lang), st.cell_head),
            para(label("col_kind", lang), st.cell_head),
            para(label("col_qty", lang), st.cell_head),
        ]
    ]
    for i, c in enumerate(doc.components, start=1):
        name = t(c.name)
        if c.form_code and c.form_code not in c.name:  # "… (mẫu 01B-HSB)" says it already
            name += f" <i>({t(label('form_code', lang, code=c.form_code))})</i>"
        rows.append(
            [
                para(str(i), st.cell_center),
                para(name, st.cell, markup=True),
                para(c.copy_kind_label, st.cell_center),
                para(str(c.quantity), st.cell_center),
            ]
        )
    cols = [8 * mm, 0.0, 24 * mm, 14 * mm]
    cols[1] = width - sum(cols)
    tbl = Table(rows, colWidths=cols, repeatRows=1)
    tbl.setStyle(TableStyle(grid_style()))
    return tbl


def _digitised_line(doc: DossierDoc, st: Styles, lang: str) -> list[Flowable]:
    """Which of the rows above were digitised, by their number (Decree 61/2018 Art. 17(1)):
    no line when none was."""
    items = [
        label("digitised_item", lang, n=i, pages=c.digitised_pages)
        for i, c in enumerate(doc.components, start=1)
        if c.digitised_pages
    ]
    return [para(label("digitised", lang, items=", ".join(items)), st.small)] if items else []


def _numbered_items(doc: DossierDoc, st: Styles, lang: str) -> list[Flowable]:
    return [
        para(label("item2", lang, n=doc.sets_count), st.body),
        para(label("item3", lang, text=doc.time_limit_text), st.body),
        para(label("item4", lang, when=when(doc.received_at, lang)), st.body),
        para(
            f"<b>{t(label('item5', lang, when=when(doc.due_at, lang)))}</b>", st.body, markup=True
        ),
        para(label("item6", lang, text=doc.return_method_text), st.body),
    ]


def _footer_lines(doc: DossierDoc, st: Styles, lang: str) -> list[Flowable]:
    office = doc.office
    lines: list[Flowable] = [
        para(
            label("logbook_ref", lang, volume=doc.log_book_volume, entry=doc.log_book_entry),
            st.body,
        ),
    ]
    if doc.fee_text:  # what the catalogue says; no line when it says nothing
        lines.append(para(label("fee", lang, fee=doc.fee_text), st.body))
    contact = contact_line(office, lang)
    if contact:
        lines.append(para(contact, st.body))
    lines.append(para(label("bring_note", lang), st.italic))
    return lines


def _receipt_story(
    doc: DossierDoc, st: Styles, width: float, lang: str, copy_label: str | None
) -> list[Flowable]:
    office = doc.office
    story: list[Flowable] = [
        form_ref(doc.legal_basis, "receipt", st, lang),
        header(office, doc.received_at, doc.log_book_entry, st, width, lang),
        title("receipt", doc.legal_basis, st, lang),
    ]
    if copy_label:
        story.append(para(copy_label, st.center_italic))
    story.append(code_block(doc, st, width, lang))
    story.append(Spacer(1, 2 * mm))
    story += applicant_block(doc, st, lang, label("received_from", lang, unit=office.unit_name))
    story.append(para(label("item1", lang), st.body))
    story.append(_component_table(doc, st, width, lang))
    story += _digitised_line(doc, st, lang)
    story.append(Spacer(1, 1.5 * mm))
    story += _numbered_items(doc, st, lang)
    story += _footer_lines(doc, st, lang)
    story.append(CondPageBreak(30 * mm))
    story.append(Spacer(1, 2 * mm))
    story.append(
        signatures(
            [
                (label("sign_applicant", lang), label("sign_hint", lang), doc.applicant_name),
                (label("sign_receiver", lang), label("sign_hint", lang), doc.receiving_officer),
            ],
            st,
            width,
        )
    )
    return story


def render_receipt(doc: DossierDoc, lang: str = "vi", copies: int = 1) -> bytes:
    """Form 01 on A5; `copies=2` prints "Liên 1: lưu" and "Liên 2: giao người nộp" pages."""
    if copies not in (1, 2):
        raise ValueError("copies must be 1 or 2")
    st = Styles(8.5)
    width = A5[0] - 2 * A5_MARGIN
    story: list[Flowable] = []
    if copies == 1:
        story = _receipt_story(doc, st, width, lang, None)
    else:
        story = _receipt_story(doc, st, width, lang, label("copy_1", lang))
        story.append(PageBreak())
        story += _receipt_story(doc, st, width, lang, label("copy_2", lang))
    on_page = _copy_watermark(lang) if doc.copy else None
    return build_pdf(
        story,
        A5,
        margins=A5_MARGIN,
        on_page=on_page,
        title_text=f"{doc.legal_basis.form('receipt').title} {doc.code}",
        compress=False,  # previewed at once after Receive: 150 KB instead of 77, 5 ms sooner
    )


def _copy_watermark(lang: str):
    def on_page(canv, pdf_doc) -> None:
        w, h = pdf_doc.pagesize
        watermark_copy(canv, w, h, lang)

    return on_page


# --- 80 mm thermal ----------------------------------------------------------------------


def _thermal_code_block(doc: DossierDoc, st: Styles, width: float, lang: str) -> list[Flowable]:
    """Widest module (3, else 2 dots) that fits across; otherwise the barcode runs downward."""
    for dots in (3, 2):
        if code128_width(doc.code, dots) <= width:
            return [
                Code128Flowable(doc.code, module_dots=dots, bar_height=14 * mm),
                para(doc.code, st.code),
                *marks(doc, st, lang),
                QrFlowable(doc.code, module_dots=6),
            ]
    bar = Code128Flowable(doc.code, module_dots=3, bar_height=16 * mm, rotate=True)
    qr = QrFlowable(doc.code, module_dots=6)
    right: list[Flowable] = [qr, Spacer(1, 2 * mm), para(label("dossier_code", lang), st.center)]
    tbl = Table(
        [[bar, right]], colWidths=[bar.bar_height + 4 * mm, width - bar.bar_height - 4 * mm]
    )
    tbl.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return [tbl, Spacer(1, 1 * mm), para(doc.code, st.code), *marks(doc, st, lang)]


def _thermal_story(doc: DossierDoc, st: Styles, width: float, lang: str) -> list[Flowable]:
    office = doc.office
    story: list[Flowable] = [
        form_ref(doc.legal_basis, "receipt", st, lang),
        para(office.parent_name.upper(), st.center),
        para((office.header_line or office.unit_name).upper(), st.center_bold),
        para(label("doc_no", lang, no=doc.log_book_entry), st.center),
        Spacer(1, 1 * mm),
        para(label("motto_1", lang), st.small_center),
        para(label("motto_2", lang), st.small_center),
        title("receipt", doc.legal_basis, st, lang),
    ]
    story += _thermal_code_block(doc, st, width, lang)
    story.append(Spacer(1, 2 * mm))
    story += applicant_block(doc, st, lang, label("received_from", lang, unit=office.unit_name))
    story.append(para(label("item1", lang), st.body))
    for i, c in enumerate(doc.components, start=1):
        name = t(c.name)
        if c.form_code and c.form_code not in c.name:
            name += f" ({t(label('form_code', lang, code=c.form_code))})"
        line = f"{i}) {name} - {t(c.copy_kind_label)} - {t(label('col_qty', lang))}: {c.quantity}"
        story.append(para(line, st.small, markup=True))
    story += _digitised_line(doc, st, lang)
    story += _numbered_items(doc, st, lang)
    story += _footer_lines(doc, st, lang)
    story.append(Spacer(1, 2 * mm))
    for role, name in (
        (label("sign_applicant", lang), doc.applicant_name),
        (label("sign_receiver", lang), doc.receiving_officer),
    ):
        story.append(para(role, st.center_bold))
        story.append(para(label("sign_hint", lang), st.small_center))
        story.append(Spacer(1, 12 * mm))
        story.append(para(name, st.center_bold))
        story.append(Spacer(1, 4 * mm))
    story.append(para(place_date(office.place_name, doc.received_at, lang), st.small_center))
    return story


def _story_height(story: list[Flowable], width: float) -> float:
    total = 0.0
    for i, f in enumerate(story):
        _, h = f.wrap(width, 10_000 * mm)
        total += h + f.getSpaceAfter() + (f.getSpaceBefore() if i else 0.0)
    return total


def render_receipt_80mm(doc: DossierDoc, lang: str = "vi") -> bytes:
    """Form 01 for 80 mm thermal paper: 72 mm printable, the page as long as the content."""
    st = Styles(8.0)
    width = THERMAL_PRINTABLE
    height = _story_height(_thermal_story(doc, st, width, lang), width)
    page = (THERMAL_WIDTH, height + 2 * THERMAL_MARGIN + 8 * mm)
    return build_pdf(
        _thermal_story(doc, st, width, lang),
        page,
        margins=THERMAL_MARGIN,
        title_text=f"{doc.legal_basis.form('receipt').title} {doc.code}",
    )
