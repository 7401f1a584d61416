"""Forms 02–05 on A5: supplement request, refusal, apology, process control sheet.

Why together: they share the header, applicant block and code block of form 01 and differ
only in their body; form numbers come from the dossier's legal basis, not from here.
"""

from __future__ import annotations

from datetime import datetime

from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer, Table, TableStyle

from app.print.common import (
    Styles,
    applicant_block,
    build_pdf,
    code_block,
    form_ref,
    grid_style,
    header,
    para,
    signatures,
    t,
    title,
    watermark_copy,
    when,
)
from app.print.data import (
    ApologyDoc,
    ControlSheetDoc,
    DossierDoc,
    RefusalDoc,
    StopNoticeDoc,
    SupplementDoc,
)
from app.print.labels import label

MARGIN = 10 * mm
WIDTH = A5[0] - 2 * MARGIN


def _top(
    doc: DossierDoc, role: str, st: Styles, lang: str, dated: bool | datetime | None = True
) -> list[Flowable]:
    """Form number, header (dated on receipt, on `dated` when a time is given, or not at all),
    title and code."""
    at = dated if isinstance(dated, datetime) else (doc.received_at if dated else None)
    return [
        form_ref(doc.legal_basis, role, st, lang),
        header(doc.office, at, None, st, WIDTH, lang),
        title(role, doc.legal_basis, st, lang),
        code_block(doc, st, WIDTH, lang),
        Spacer(1, 2 * mm),
    ]


def _build(doc: DossierDoc, role: str, story: list[Flowable], lang: str) -> bytes:
    def on_page(canv, pdf_doc) -> None:
        if doc.copy:
            watermark_copy(canv, pdf_doc.pagesize[0], pdf_doc.pagesize[1], lang)

    return build_pdf(
        story,
        A5,
        margins=MARGIN,
        on_page=on_page,
        title_text=f"{doc.legal_basis.form(role).title} {doc.code}",
    )


def render_supplement(doc: SupplementDoc, lang: str = "vi") -> bytes:
    """Form 02: every missing item at once, the reason, who to call for guidance."""
    d = doc.dossier
    st = Styles(8.5)
    story = _top(d, "supplement", st, lang)
    story += applicant_block(d, st, lang, label("dossier_of", lang))
    story.append(para(label("supp_intro", lang, unit=d.office.unit_name), st.body))
    for i, item in enumerate(doc.missing, start=1):
        story.append(para(f"{i}. {t(item)}", st.body, markup=True))
    story.append(para(label("reason", lang, reason=doc.reason), st.body))
    officer = doc.guiding_officer.strip() or d.office.unit_name
    if doc.guide_phone.strip():
        contact = label("supp_contact", lang, officer=officer, phone=doc.guide_phone.strip())
    else:
        contact = label("supp_contact_nophone", lang, officer=officer)
    story.append(para(contact, st.body))
    story.append(para(label("supp_once", lang), st.italic))
    story.append(CondPageBreak(30 * mm))
    story.append(Spacer(1, 2 * mm))
    story.append(
        signatures(
            [
                ("", "", ""),
                (label("sign_guide", lang), label("sign_hint", lang), doc.guiding_officer),
            ],
            st,
            WIDTH,
        )
    )
    return _build(d, "supplement", story, lang)


def render_refusal(doc: RefusalDoc, lang: str = "vi") -> bytes:
    """Form 03: the refusal and its concrete reason."""
    d = doc.dossier
    st = Styles(8.5)
    story = _top(d, "refusal", st, lang)
    story += applicant_block(d, st, lang, label("dossier_of", lang))
    story.append(para(label("refusal_intro", lang, unit=d.office.unit_name), st.body))
    story.append(para(f"<b>{t(doc.reason)}</b>", st.body, markup=True))
    story.append(para(label("refusal_end", lang), st.body))
    story.append(CondPageBreak(30 * mm))
    story.append(Spacer(1, 2 * mm))
    story.append(
        signatures(
            [
                ("", "", ""),
                (label("sign_receiver", lang), label("sign_hint", lang), d.receiving_officer),
            ],
            st,
            WIDTH,
        )
    )
    return _build(d, "refusal", story, lang)


def _letter_opening(
    d: DossierDoc, form: str, dated: datetime | None, st: Styles, lang: str
) -> list[Flowable]:
    """Forms 04 and 05 open alike: form number, header, title, code, then "To: …"."""
    return [
        *_top(d, form, st, lang, dated),
        para(f"<b>{t(label('to', lang, name=d.applicant_name))}</b>", st.center, markup=True),
        Spacer(1, 1.5 * mm),
    ]


def render_apology(doc: ApologyDoc, lang: str = "vi") -> bytes:
    """Form 04: the original and the new return date, the reason, the apology."""
    d = doc.dossier
    st = Styles(8.5)
    story = _letter_opening(d, "apology", doc.issued_at, st, lang)
    received = when(d.received_at, lang)
    story.append(
        para(
            label(
                "apology_body",
                lang,
                unit=d.office.unit_name,
                received=received,
                procedure=d.procedure_name,
                code=d.code,
            ),
            st.body,
        )
    )
    story.append(para(label("apology_due", lang, due=when(doc.original_due, lang)), st.body))
    story.append(para(label("apology_reason", lang, reason=doc.reason), st.body))
    story.append(para(label("apology_sorry", lang, unit=d.office.unit_name), st.body))
    story.append(para(when(doc.new_due, lang), st.code))
    story.append(para(label("apology_thanks", lang), st.body))
    if doc.late:
        story.append(para(label("apology_late", lang), st.italic))
    story.append(CondPageBreak(30 * mm))
    story.append(Spacer(1, 2 * mm))
    story.append(
        signatures(
            [("", "", ""), (label("sign_head", lang), label("sign_head_hint", lang), doc.signer)],
            st,
            WIDTH,
        )
    )
    return _build(d, "apology", story, lang)


def render_stop_notice(doc: StopNoticeDoc, lang: str = "vi") -> bytes:
    """Form 05 of Circular 03/2025: notice of stopping a withdrawn dossier, with the reason."""
    d = doc.dossier
    st = Styles(8.5)
    story = _letter_opening(d, "stop", doc.stopped_at, st, lang)
    unit = d.office.unit_name
    story.append(
        para(
            label(
                "stop_body",
                lang,
                unit=unit,
                received=when(d.received_at, lang),
                procedure=d.procedure_name,
                code=d.code,
            ),
            st.body,
        )
    )
    story.append(
        para(label("stop_notice", lang, unit=unit, stopped=when(doc.stopped_at, lang)), st.body)
    )
    story.append(para(label("stop_reason", lang, reason=doc.reason), st.body))
    story.append(para(label("refusal_end", lang), st.body))
    story.append(CondPageBreak(30 * mm))
    story.append(Spacer(1, 2 * mm))
    story.append(
        signatures(
            [("", "", ""), (label("sign_head", lang), label("sign_head_hint", lang), doc.signer)],
            st,
            WIDTH,
        )
    )
    return _build(d, "stop", story, lang)


def render_control_sheet(doc: ControlSheetDoc, lang: str = "vi") -> bytes:
    """Form 05 (06 under Circular 03/2025): one row per hand-over, signatures in the row."""
    d = doc.dossier
    st = Styles(8.5)
    story = _top(d, "control", st, lang)
    story.append(para(label("ctl_attached", lang, name=d.applicant_name), st.body))
    story.append(para(label("ctl_lead", lang, name=doc.lead_agency), st.body))
    story.append(para(label("ctl_coord", lang, name=doc.coordinating), st.body))
    story.append(Spacer(1, 1.5 * mm))
    rows: list[list[object]] = [
        [
            para(label("ctl_col_body", lang), st.cell_head),
            para(label("ctl_col_time", lang), st.cell_head),
            para(label("ctl_col_result", lang), st.cell_head),
            para(label("ctl_col_note", lang), st.cell_head),
        ]
    ]
    for i, h in enumerate(doc.handovers, start=1):
        result = label(f"result_{h.result}" if h.result else "result_pending", lang)
        rows.append(
            [
                [
                    para(
                        f"{i}. {t(label('ctl_give', lang, name=h.from_name))}", st.cell, markup=True
                    ),
                    para(label("ctl_take", lang, name=h.to_name), st.cell),
                ],
                [
                    para(when(h.at, lang, "ctl_time"), st.cell_center),
                    para(label("ctl_signs", lang), st.cell_center),
                    Spacer(1, 8 * mm),
                ],
                para(result, st.cell_center),
                para(h.note, st.cell),
            ]
        )
    cols = [38 * mm, 44 * mm, 22 * mm, 0.0]
    cols[3] = WIDTH - sum(cols)
    tbl = Table(rows, colWidths=cols, repeatRows=1)
    tbl.setStyle(TableStyle(grid_style()))
    story.append(tbl)
    return _build(d, "control", story, lang)
