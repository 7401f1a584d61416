"""Form 06 (07 under Circular 03/2025), the dossier log book: A4 landscape table.

Why a page callback for the title lines: the book is read page by page, so every page
repeats the office, the year/volume and the page number, and the table repeats its two
header rows. Entry numbers are printed as given: numbering runs on across books.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.paraparser import ParaParser

from app.domain.text import nfc
from app.print.common import Styles, build_pdf, para, short_date, short_dt, t, title
from app.print.common import form_ref as _form_ref
from app.print.data import LogBookDoc
from app.print.fonts import BOLD, REGULAR
from app.print.labels import label

PAGE = landscape(A4)
MARGIN = 10 * mm
WIDTH = PAGE[0] - 2 * MARGIN
PAD = 1.5  # left and right cell padding, pt (the table style below)
CENTRED = (0, 3, 7, 8, 9, 10, 11)  # body columns set centred


def _cell(text: object, style: ParagraphStyle, width: float) -> str | Paragraph:
    """The plain string when it fits its column on one line, else a wrapping Paragraph.

    Why: a day's book is ~1,000 rows of 13 cells, and laying out a Paragraph per cell
    was nine tenths of the time (issue 14). A plain string in a Table cell is drawn at
    the same baseline and centre as a one-line Paragraph of the same font, size and
    leading (the table's FONT/ALIGN commands below carry them), so the page looks the
    same. The text is made the way a Paragraph sees it: NFC, whitespace runs as one
    space. Anything that might wrap (a hair's margin under the width) keeps its
    Paragraph."""
    plain = " ".join(nfc(str(text)).split())
    if stringWidth(plain, style.fontName, style.fontSize) < width - 2 * PAD - 0.01:
        return plain
    template = _TEMPLATES.get(style)
    if template is None:
        _, frags, _ = ParaParser().parse(t("x"), style)
        template = _TEMPLATES[style] = frags[0]
    # the fragment the parser would make of the escaped text, without parsing it again
    # (the XML parser was a third of a wrapping cell's cost)
    return _WrapOnce(t(text), style, frags=[template.clone(text=plain)])


_TEMPLATES: WeakKeyDictionary[ParagraphStyle, Any] = WeakKeyDictionary()


class _WrapOnce(Paragraph):
    """A cell Paragraph that breaks its lines once per width.

    Why: the table measures every row again each time it is split across a page (four
    to five times per cell); the lines depend only on the width."""

    _wrapped_at: float | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._wrapped_at != availWidth:
            super().wrap(availWidth, availHeight)
            self._wrapped_at = availWidth
        return self.width, self.height


def _columns(lang: str) -> tuple[list[str], list[float]]:
    keys = [
        "lb_stt",
        "lb_code",
        "lb_procedure",
        "lb_sets",
        "lb_applicant",
        "lb_address",
        "lb_lead",
        "lb_received",
        "lb_due",
        "lb_transferred",
        "lb_result",
        "lb_returned",
        "lb_sign",
        "lb_note",
    ]
    widths = [10, 38, 36, 11, 24, 28, 20, 16, 16, 16, 16, 16, 14, 0]
    widths[13] = WIDTH / mm - sum(widths)
    return keys, [w * mm for w in widths]


def render_logbook(doc: LogBookDoc, lang: str = "vi") -> bytes:
    """The log book for `doc.date_from`..`doc.date_to` on A4 landscape."""
    st = Styles(7.0)
    code_style = ParagraphStyle("lb_code", parent=st.cell, fontSize=6.5, leading=8)
    keys, widths = _columns(lang)
    head1: list[object] = []
    head2: list[object] = []
    for i, key in enumerate(keys):
        if 7 <= i <= 11:
            head1.append(para(label("lb_dates", lang), st.cell_head) if i == 7 else "")
            head2.append(para(label(key, lang), st.cell_head))
        else:
            head1.append(para(label(key, lang), st.cell_head))
            head2.append("")
    rows: list[list[object]] = [head1, head2]
    w = widths
    for e in doc.entries:
        rows.append(
            [
                _cell(e.entry_no, st.cell_center, w[0]),
                _cell(e.code, code_style, w[1]),
                _cell(e.procedure_name, st.cell, w[2]),
                _cell(e.sets_count, st.cell_center, w[3]),
                _cell(e.applicant_name, st.cell, w[4]),
                _cell(e.address_phone, st.cell, w[5]),
                _cell(e.lead_agency, st.cell, w[6]),
                _cell(short_dt(e.received), st.cell_center, w[7]),
                _cell(short_dt(e.due), st.cell_center, w[8]),
                _cell(short_dt(e.transferred), st.cell_center, w[9]),
                _cell(short_dt(e.result_received), st.cell_center, w[10]),
                _cell(short_dt(e.returned), st.cell_center, w[11]),
                "",
                _cell(e.note, st.cell, w[13]),
            ]
        )
    if not doc.entries:
        rows.append([para(label("lb_empty", lang), st.cell_center)] + [""] * (len(keys) - 1))
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, (0, 0, 0)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 1), (0.92, 0.92, 0.92)),
        ("LEFTPADDING", (0, 0), (-1, -1), 1.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 1.5),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("SPAN", (7, 0), (11, 0)),
        # the plain-string body cells (see _cell) in the cell paragraphs' font and
        # leading; the sign column keeps the default style, its empty cell sets the
        # rows' least height as it always did
        ("FONT", (0, 2), (11, -1), st.cell.fontName, st.cell.fontSize, st.cell.leading),
        ("FONT", (1, 2), (1, -1), code_style.fontName, code_style.fontSize, code_style.leading),
        ("FONT", (13, 2), (13, -1), st.cell.fontName, st.cell.fontSize, st.cell.leading),
    ]
    style += [("ALIGN", (i, 2), (i, -1), "CENTER") for i in CENTRED]
    style += [("SPAN", (i, 0), (i, 1)) for i in range(len(keys)) if not 7 <= i <= 11]
    if not doc.entries:
        style.append(("SPAN", (0, 2), (-1, 2)))
    table = Table(rows, colWidths=widths, repeatRows=2)
    table.setStyle(TableStyle(style))

    story: list[Flowable] = []
    if doc.legal_basis is not None:
        story.append(_form_ref(doc.legal_basis, "logbook", st, lang))
    story += [
        para(doc.office.parent_name.upper(), st.center),
        para((doc.office.header_line or doc.office.unit_name).upper(), st.center_bold),
        title("logbook", doc.legal_basis, st, lang),
        para(label("lb_year_volume", lang, year=doc.year, volume=doc.volume), st.center_bold),
        para(
            label("lb_period", lang, d1=short_date(doc.date_from), d2=short_date(doc.date_to)),
            st.center_italic,
        ),
        Spacer(1, 2 * mm),
        table,
    ]
    running = nfc(
        f"{doc.office.unit_name} - {label('title_logbook', lang)} - "
        f"{label('lb_year_volume', lang, year=doc.year, volume=doc.volume)}"
    )

    def on_page(canv, pdf_doc) -> None:
        canv.saveState()
        canv.setFont(REGULAR, 7)
        canv.drawString(MARGIN, PAGE[1] - MARGIN + 3 * mm, running)
        canv.setFont(BOLD, 7)
        canv.drawRightString(
            PAGE[0] - MARGIN, MARGIN - 5 * mm, nfc(label("lb_page", lang, n=canv.getPageNumber()))
        )
        canv.restoreState()

    return build_pdf(
        story,
        PAGE,
        margins=MARGIN,
        on_page=on_page,
        title_text=f"{label('title_logbook', lang)} {doc.year}",
    )
