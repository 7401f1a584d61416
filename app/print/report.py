"""Supervisor reports as documents: one neutral table description, rendered to PDF (reportlab,
A4, the office's header, vector charts) and to Excel (openpyxl, real formulas, frozen header,
dates as dates, native charts).

Why one description for both: the figures, titles and notes must be the same on paper and in
the spreadsheet a provincial working group compiles; the services layer builds a
`ReportDoc` once and each renderer only lays it out.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from app.domain.text import nfc
from app.print.common import Styles, build_pdf, grid_style, header, para, short_date
from app.print.data import OfficeInfo
from app.print.fonts import BOLD, REGULAR, register_fonts

SERIES_COLOURS = (
    colors.Color(0.18, 0.42, 0.71),
    colors.Color(0.85, 0.33, 0.24),
    colors.Color(0.35, 0.62, 0.30),
    colors.Color(0.95, 0.65, 0.15),
)


@dataclass(frozen=True)
class Column:
    """`kind`: text, int, date, pct (a 0..1 ratio). `formula`: how Excel computes this
    column from others of the same row, with `{key}` for their cells (e.g. the form's
    "(3) = (4)+(5)+(6)"); the PDF prints the value given."""

    key: str
    title: str
    width: float = 18.0
    kind: str = "int"
    formula: str | None = None


@dataclass(frozen=True)
class Row:
    """`level` 0 is a detail row; 1 is a group subtotal over the detail rows below it."""

    values: tuple[Any, ...]
    level: int = 0


@dataclass(frozen=True)
class Chart:
    title: str
    labels: tuple[str, ...]
    series: tuple[tuple[str, tuple[float, ...]], ...]
    horizontal: bool = False
    percent: bool = False


@dataclass(frozen=True)
class ReportTable:
    sheet: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    #: Label of a total row (sums of the int columns; group subtotals when there are any).
    total_label: str | None = None
    #: Header rows above the column titles: (title, first key, last key) spans.
    groups: tuple[tuple[str, str, str], ...] = ()
    #: The total row's values for the PDF when a column is not a plain sum (a ratio);
    #: Excel still computes the row with its formulas.
    total_values: tuple[Any, ...] | None = None


@dataclass(frozen=True)
class ReportDoc:
    office: OfficeInfo
    #: e.g. "Biểu số II.06a/VPCP/KSTT", printed top left under the header; may be empty.
    form_no: str
    title: str
    period: str
    created_at: datetime
    tables: tuple[ReportTable, ...]
    charts: tuple[Chart, ...] = ()
    lines: tuple[str, ...] = ()  # short facts under the title (unit, on-time ratio…)
    notes: tuple[str, ...] = ()
    landscape: bool = False
    meta: dict[str, str] = field(default_factory=dict)


# -- PDF -------------------------------------------------------------------------------------


def _cell_text(value: Any, kind: str) -> str:
    if value is None:
        return "—"
    if kind == "date" and isinstance(value, date):
        return short_date(value)
    if kind == "pct":
        return f"{value * 100:.1f}%".replace(".", ",")
    if kind == "int":
        return f"{int(value):,}".replace(",", ".")
    return nfc(str(value))


def _totals(table: ReportTable) -> list[Any]:
    """The total row's values (what Excel's formulas compute, for the PDF)."""
    if table.total_values is not None:
        return list(table.total_values)
    out: list[Any] = []
    has_groups = any(r.level == 1 for r in table.rows)
    for i, c in enumerate(table.columns):
        if c.kind != "int":
            out.append(None)
            continue
        rows = [r for r in table.rows if r.level == (1 if has_groups else 0)]
        out.append(sum(int(r.values[i] or 0) for r in rows))
    return out


def _pdf_table(t: ReportTable, st: Styles, width: float) -> Table:
    scale = width / sum(c.width for c in t.columns)
    widths = [c.width * scale for c in t.columns]
    data: list[list[Any]] = []
    spans: list[tuple[str, tuple[int, int], tuple[int, int]]] = []
    keys = [c.key for c in t.columns]
    head_rows = 1
    if t.groups:
        head_rows = 2
        top: list[Any] = ["" for _ in t.columns]
        grouped: set[int] = set()
        for title, first, last in t.groups:
            a, b = keys.index(first), keys.index(last)
            top[a] = para(title, st.cell_head)
            spans.append(("SPAN", (a, 0), (b, 0)))
            grouped.update(range(a, b + 1))
        for i, c in enumerate(t.columns):
            if i not in grouped:
                top[i] = para(c.title, st.cell_head)
                spans.append(("SPAN", (i, 0), (i, 1)))
        data.append(top)
    data.append([para(c.title, st.cell_head) for c in t.columns])
    style = grid_style(head_rows) + spans
    for r in t.rows:
        cells = []
        for c, v in zip(t.columns, r.values, strict=True):
            s = st.cell if c.kind == "text" else st.cell_center
            cells.append(para(_cell_text(v, c.kind), s))
        if r.level == 1:
            style.append(
                ("BACKGROUND", (0, len(data)), (-1, len(data)), colors.Color(0.96, 0.96, 0.9))
            )
            cells = [para(f"<b>{p.text}</b>", p.style, markup=True) for p in cells]
        data.append(cells)
    if t.total_label:
        tot = _totals(t)
        row = []
        for i, c in enumerate(t.columns):
            text = t.total_label if i == _label_col(t) else _cell_text(tot[i], c.kind)
            if tot[i] is None and i != _label_col(t):
                text = ""
            row.append(para(f"<b>{para(text, st.cell).text}</b>", st.cell_center, markup=True))
        style.append(("BACKGROUND", (0, len(data)), (-1, len(data)), colors.Color(0.9, 0.93, 1)))
        data.append(row)
    tbl = Table(data, colWidths=widths, repeatRows=head_rows)
    tbl.setStyle(TableStyle(style))
    return tbl


def _label_col(t: ReportTable) -> int:
    """Where the total row's label goes: the widest text column."""
    texts = [(c.width, -i) for i, c in enumerate(t.columns) if c.kind == "text"]
    return -max(texts)[1] if texts else 0


def chart_drawing(chart: Chart, width: float, height: float = 62 * mm) -> Drawing:
    """A vector bar chart (reportlab graphics: lines and text, not an image)."""
    register_fonts()
    d = Drawing(width, height)
    d.add(String(0, height - 10, nfc(chart.title), fontName=BOLD, fontSize=9))
    n = max(1, len(chart.labels))
    bc = HorizontalBarChart() if chart.horizontal else VerticalBarChart()
    legend_h = 14 if len(chart.series) > 1 else 0
    bc.x, bc.y = (90 if chart.horizontal else 30), 28 + legend_h
    bc.width = width - bc.x - 10
    bc.height = height - bc.y - 18
    bc.data = [list(v) or [0] for _, v in chart.series]
    bc.categoryAxis.categoryNames = [nfc(x) for x in chart.labels] or [""]
    bc.categoryAxis.labels.fontName = REGULAR
    bc.categoryAxis.labels.fontSize = 6.5 if n <= 16 else 5
    if not chart.horizontal and n > 8:
        bc.categoryAxis.labels.angle = 45
        bc.categoryAxis.labels.boxAnchor = "ne"
    bc.valueAxis.labels.fontName = REGULAR
    bc.valueAxis.labels.fontSize = 6.5
    bc.valueAxis.valueMin = 0
    top = max([max(v) for _, v in chart.series if v] + [1])
    if chart.percent:
        bc.valueAxis.valueMax = 1
        bc.valueAxis.labelTextFormat = lambda v: f"{v * 100:.0f}%"
    else:
        bc.valueAxis.valueMax = top * 1.1 if top > 5 else 5
        bc.valueAxis.labelTextFormat = "%d"
    for i in range(len(chart.series)):
        bc.bars[i].fillColor = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        bc.bars[i].strokeColor = None
    d.add(bc)
    if legend_h:
        lg = Legend()
        lg.x, lg.y = bc.x, 8
        lg.fontName, lg.fontSize = REGULAR, 7
        lg.alignment = "right"
        lg.columnMaximum = 1
        lg.deltax = 150
        lg.colorNamePairs = [
            (SERIES_COLOURS[i % len(SERIES_COLOURS)], nfc(name))
            for i, (name, _) in enumerate(chart.series)
        ]
        d.add(lg)
    return d


def render_pdf(doc: ReportDoc) -> bytes:
    """The report on A4 (landscape for wide forms) with the office header and its charts."""
    page = landscape(A4) if doc.landscape else A4
    margin = 12 * mm
    width = page[0] - 2 * margin
    st = Styles(8.5)
    story: list[Flowable] = [header(doc.office, doc.created_at, None, st, width, "vi")]
    if doc.form_no:
        story.append(para(doc.form_no, st.bold))
    story += [Spacer(1, 3 * mm), para(doc.title.upper(), st.title), para(doc.period, st.center)]
    for line in doc.lines:
        story.append(para(line, st.center_italic))
    story.append(Spacer(1, 3 * mm))
    for t in doc.tables:
        if t.title:
            story.append(para(t.title, st.bold))
        story += [_pdf_table(t, st, width), Spacer(1, 4 * mm)]
    for c in doc.charts:
        story.append(KeepTogether([chart_drawing(c, min(width, 180 * mm)), Spacer(1, 3 * mm)]))
    if doc.notes:
        story.append(para("Ghi chú:", st.bold))
        story += [para(f"{i}. {n}", st.small) for i, n in enumerate(doc.notes, 1)]
    return build_pdf(story, page, margins=margin, title_text=doc.title)


# -- Excel -----------------------------------------------------------------------------------


def _sheet_name(name: str) -> str:
    bad = "[]:*?/\\"
    return "".join("-" if ch in bad else ch for ch in nfc(name))[:31]


def render_xlsx(doc: ReportDoc) -> bytes:
    """One sheet per table (header on top, frozen column titles, formulas for every derived
    column and total), and a chart sheet with the chart data and native Excel charts."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    thin = Side(style="thin", color="888888")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="EBEBEB")
    sub_fill = PatternFill("solid", fgColor="F5F5E6")
    tot_fill = PatternFill("solid", fgColor="E6EDFF")
    wrap = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for t in doc.tables:
        ws = wb.create_sheet(_sheet_name(t.sheet))
        ncol = len(t.columns)
        last = get_column_letter(ncol)
        top = [
            nfc(doc.office.parent_name.upper()),
            nfc(doc.office.unit_name.upper()),
            nfc(doc.form_no),
            nfc(doc.title.upper()),
            nfc(doc.period),
            *[nfc(x) for x in doc.lines],
            nfc(t.title),
        ]
        for i, text in enumerate(top, 1):
            ws.cell(row=i, column=1, value=text).font = bold
            ws.merge_cells(f"A{i}:{last}{i}")
        r0 = len(top) + 1
        keys = [c.key for c in t.columns]
        head_rows = 1
        if t.groups:
            head_rows = 2
            grouped: set[int] = set()
            for title, gfirst, glast in t.groups:
                a, b = keys.index(gfirst) + 1, keys.index(glast) + 1
                ws.cell(row=r0, column=a, value=nfc(title))
                ws.merge_cells(start_row=r0, start_column=a, end_row=r0, end_column=b)
                grouped.update(range(a, b + 1))
            for i, c in enumerate(t.columns, 1):
                if i not in grouped:
                    ws.cell(row=r0, column=i, value=nfc(c.title))
                    ws.merge_cells(start_row=r0, start_column=i, end_row=r0 + 1, end_column=i)
        hr = r0 + head_rows - 1
        for i, c in enumerate(t.columns, 1):
            if not t.groups or ws.cell(row=hr, column=i).coordinate not in ws.merged_cells:
                ws.cell(row=hr, column=i, value=nfc(c.title))
            ws.column_dimensions[get_column_letter(i)].width = max(8.0, c.width * 0.9)
        for rr in range(r0, hr + 1):
            for i in range(1, ncol + 1):
                cell = ws.cell(row=rr, column=i)
                cell.font, cell.fill, cell.alignment, cell.border = bold, head_fill, wrap, box
        ws.freeze_panes = ws.cell(row=hr + 1, column=1)
        first_data = hr + 1
        row_no = first_data
        group_start: list[tuple[int, int]] = []  # (subtotal row, first detail row)
        for r in t.rows:
            if r.level == 1:
                group_start.append((row_no, row_no + 1))
            for i, (c, v) in enumerate(zip(t.columns, r.values, strict=True), 1):
                cell = ws.cell(row=row_no, column=i)
                if c.formula:
                    cell.value = "=" + c.formula.format(
                        **{k: f"{get_column_letter(j + 1)}{row_no}" for j, k in enumerate(keys)}
                    )
                elif r.level == 1 and c.kind == "int":
                    cell.value = None  # filled below once the group's extent is known
                else:
                    cell.value = nfc(v) if isinstance(v, str) else v
                _number_format(cell, c.kind)
                cell.border = box
                if r.level == 1:
                    cell.font, cell.fill = bold, sub_fill
            row_no += 1
        last_data = row_no - 1
        ends = [g[0] for g in group_start[1:]] + [last_data + 1] if group_start else []
        for (sub, first), end in zip(group_start, ends, strict=True):
            for i, c in enumerate(t.columns, 1):
                if c.kind == "int" and not c.formula:
                    col = get_column_letter(i)
                    ws.cell(row=sub, column=i, value=f"=SUM({col}{first}:{col}{end - 1})")
        if t.total_label:
            label_col = _label_col(t) + 1
            ws.cell(row=row_no, column=label_col, value=nfc(t.total_label))
            for i, c in enumerate(t.columns, 1):
                cell = ws.cell(row=row_no, column=i)
                col = get_column_letter(i)
                if c.formula:
                    cell.value = "=" + c.formula.format(
                        **{k: f"{get_column_letter(j + 1)}{row_no}" for j, k in enumerate(keys)}
                    )
                elif c.kind == "int":
                    if group_start:
                        cell.value = "=" + "+".join(f"{col}{g[0]}" for g in group_start)
                    else:
                        cell.value = f"=SUM({col}{first_data}:{col}{max(first_data, last_data)})"
                _number_format(cell, c.kind)
                cell.font, cell.fill, cell.border = bold, tot_fill, box
            row_no += 1
        row_no += 1
        for n in doc.notes:
            ws.cell(row=row_no, column=1, value=nfc(n))
            ws.merge_cells(f"A{row_no}:{last}{row_no}")
            ws.cell(row=row_no, column=1).alignment = Alignment(wrap_text=True, vertical="top")
            ws.row_dimensions[row_no].height = 30
            row_no += 1
    if doc.charts:
        ws = wb.create_sheet("Biểu đồ")
        crow = 1
        for ch in doc.charts:
            ws.cell(row=crow, column=1, value=nfc(ch.title)).font = bold
            ws.cell(row=crow + 1, column=1, value="")
            for j, (name, _) in enumerate(ch.series, 2):
                ws.cell(row=crow + 1, column=j, value=nfc(name)).font = bold
            for i, lab in enumerate(ch.labels):
                ws.cell(row=crow + 2 + i, column=1, value=nfc(lab))
                for j, (_, vals) in enumerate(ch.series, 2):
                    cell = ws.cell(row=crow + 2 + i, column=j, value=vals[i])
                    _number_format(cell, "pct" if ch.percent else "int")
            n_lab = max(1, len(ch.labels))
            bar = BarChart()
            bar.type = "bar" if ch.horizontal else "col"
            bar.title = nfc(ch.title)
            bar.height, bar.width = 8, 18
            data = Reference(
                ws,
                min_col=2,
                max_col=1 + len(ch.series),
                min_row=crow + 1,
                max_row=crow + 1 + n_lab,
            )
            cats = Reference(ws, min_col=1, min_row=crow + 2, max_row=crow + 1 + n_lab)
            bar.add_data(data, titles_from_data=True)
            bar.set_categories(cats)
            ws.add_chart(bar, f"{get_column_letter(len(ch.series) + 3)}{crow}")
            crow += max(n_lab + 4, 18)
        ws.column_dimensions["A"].width = 28
    buf = io.BytesIO()
    wb.properties.title = nfc(doc.title)
    wb.properties.creator = "onestop"
    wb.save(buf)
    return buf.getvalue()


def _number_format(cell: Any, kind: str) -> None:
    if kind == "date":
        cell.number_format = "DD/MM/YYYY"
    elif kind == "pct":
        cell.number_format = "0.0%"
    elif kind == "int":
        cell.number_format = "#,##0"


__all__: Sequence[str] = (
    "Chart",
    "Column",
    "ReportDoc",
    "ReportTable",
    "Row",
    "chart_drawing",
    "render_pdf",
    "render_xlsx",
)
