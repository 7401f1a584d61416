"""The supervisor's window: overdue control (five lists, each row opens its dossier) and the
reports (period summary, form II.06a) with a chart, Excel and PDF export and printing.

Why a QPainter chart: QtCharts needs the PySide6-Addons wheel (well over 100 MB) and its
import costs start-up time; a bar chart is a few dozen lines of painting. This module is
imported only when a supervisor opens the window, so start-up does not pay for it at all.
Every query and every file runs on the worker pool; the window only shows results.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QPainter, QPen, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.domain.errors import ValidationFailed
from app.domain.messages import tr as message
from app.services import report_docs, reports
from app.services.context import DeskContext
from app.services.digitised_report import DigitisedShare, ShareRow, digitised_share_of
from app.ui import worker
from app.ui.common import ErrorLabel, local_date, local_dt, today_local
from app.ui.dialogs import dialogs

_Index = QModelIndex | QPersistentModelIndex
BAR = QColor("#2e6bb5")
OVERDUE_BG = QColor("#fde0dc")
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class BarChart(QWidget):
    """A labelled bar chart painted with QPainter (no chart module to load).

    Attributes:
        labels, values: one bar per label; `percent` shows values as 0..100 %.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = ""
        self.labels: list[str] = []
        self.values: list[float] = []
        self.percent = False
        self.setMinimumHeight(180)

    def set_data(self, title: str, labels: list[str], values: list[float], percent: bool) -> None:
        self.title, self.labels, self.values, self.percent = title, labels, values, percent
        self.update()

    def _fmt(self, v: float) -> str:
        return f"{v * 100:.0f}%" if self.percent else f"{v:.0f}"

    def paintEvent(self, _event: Any) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        w, h = self.width(), self.height()
        bold = QFont(self.font())
        bold.setBold(True)
        p.setFont(bold)
        p.drawText(QRectF(8, 4, w - 16, 20), Qt.AlignmentFlag.AlignLeft, self.title)
        p.setFont(self.font())
        if not self.values:
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("Chưa có số liệu"))
            p.end()
            return
        left, top, bottom = 40, 30, 36
        plot_h = h - top - bottom
        top_v = 1.0 if self.percent else max(max(self.values), 1.0)
        p.setPen(QPen(QColor("#999")))
        p.drawLine(left, top + plot_h, w - 8, top + plot_h)
        p.drawText(QRectF(0, top - 8, left - 4, 16), Qt.AlignmentFlag.AlignRight, self._fmt(top_v))
        n = len(self.values)
        slot = (w - left - 8) / n
        bar_w = min(60.0, max(2.0, slot * 0.7))
        step = max(1, int(n * 60 / max(1, w - left)))  # label every k-th bar when crowded
        for i, (lab, v) in enumerate(zip(self.labels, self.values, strict=True)):
            bh = plot_h * (v / top_v) if top_v else 0
            x = left + i * slot + (slot - bar_w) / 2
            p.fillRect(QRectF(x, top + plot_h - bh, bar_w, bh), QBrush(BAR))
            p.setPen(QPen(QColor("#222")))
            if bar_w >= 18 and v:
                p.drawText(
                    QRectF(x - 10, top + plot_h - bh - 16, bar_w + 20, 14),
                    Qt.AlignmentFlag.AlignCenter,
                    self._fmt(v),
                )
            if i % step == 0:
                p.drawText(
                    QRectF(left + i * slot - 20, top + plot_h + 4, slot + 40, 28),
                    Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                    lab,
                )
        p.end()


# -- overdue control ----------------------------------------------------------------------------


class ControlModel(QAbstractTableModel):
    """One list of overdue control; `IdRole` gives the dossier id of a row."""

    IdRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[reports.ControlRow] = []
        self.key = ""
        self.headers = [
            self.tr("Mã hồ sơ"),
            self.tr("Người nộp"),
            self.tr("Thủ tục"),
            self.tr("Ngày nhận"),
            self.tr("Hẹn trả"),
            self.tr("Số ngày"),
            self.tr("Trạng thái"),
        ]

    def set_rows(self, key: str, rows: list[reports.ControlRow]) -> None:
        self.beginResetModel()
        self.key, self.rows = key, rows
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        if role == self.IdRole:
            return r.dossier_id
        if role == Qt.ItemDataRole.BackgroundRole and self.key == "overdue":
            return QBrush(OVERDUE_BG)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 5:
            return int(RIGHT)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            r.code,
            r.full_name,
            r.procedure_name,
            local_dt(r.received_at),
            local_date(r.due_date),
            str(r.days),
            r.status_label,
        )[index.column()]


class OverdueControlWidget(QWidget):
    """Five lists (overdue, due today, due next working day, supplement waiting, result not
    collected) for this desk or the whole office.

    Signals:
        open_requested(str): the dossier id the officer opened (double-click or Enter).
    """

    open_requested = Signal(str)
    KEYS = ("overdue", "due_today", "due_next", "supplement", "ready")

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None, office: bool = False):
        super().__init__(parent)
        self.ctx = ctx
        self.control: reports.OverdueControl | None = None
        self.generation = 0
        lay = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.scope = QComboBox()
        self.scope.addItem(self.tr("Quầy của tôi"), "desk")
        self.scope.addItem(self.tr("Cả đơn vị (mọi quầy)"), "office")
        self.scope.setCurrentIndex(1 if office else 0)
        self.refresh_btn = QPushButton(self.tr("Làm mới (F5)"))
        self.xlsx_btn = QPushButton(self.tr("Xuất &Excel…"))
        self.pdf_btn = QPushButton(self.tr("In / &PDF…"))
        self.status = QLabel()
        self.status.setMinimumWidth(130)
        bar.addWidget(QLabel(self.tr("Phạm vi:")))
        bar.addWidget(self.scope)
        bar.addWidget(self.refresh_btn)
        bar.addStretch(1)
        bar.addWidget(self.status)
        bar.addWidget(self.xlsx_btn)
        bar.addWidget(self.pdf_btn)
        lay.addLayout(bar)
        self.tabs = QTabWidget()
        self.models: dict[str, ControlModel] = {}
        self.views: dict[str, QTableView] = {}
        for key in self.KEYS:
            model = ControlModel(self)
            view = QTableView()
            view.setModel(model)
            view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            view.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
            view.verticalHeader().hide()
            view.doubleClicked.connect(self._open_index)
            view.activated.connect(self._open_index)
            self.models[key], self.views[key] = model, view
            self.tabs.addTab(view, key)
        lay.addWidget(self.tabs, 1)
        self.chart = BarChart()
        self.chart.setMaximumHeight(200)
        lay.addWidget(self.chart)
        self.scope.currentIndexChanged.connect(self.refresh)
        self.refresh_btn.clicked.connect(self.refresh)
        self.xlsx_btn.clicked.connect(lambda: self.export("xlsx"))
        self.pdf_btn.clicked.connect(lambda: self.export("pdf"))
        QShortcut(QKeySequence("F5"), self).activated.connect(self.refresh)

    def own_desk(self) -> bool:
        return bool(self.scope.currentData() == "desk")

    def refresh(self) -> None:
        self.generation += 1
        gen, ctx, own = self.generation, self.ctx, self.own_desk()
        self.status.setText(self.tr("Đang tải…"))
        worker.run(
            lambda: reports.overdue_control(ctx, desk_id=reports_desk(ctx) if own else None),
            lambda c: self._show(gen, c),
            lambda exc: self.status.setText(self.tr("Không tải được: {e}").format(e=exc)),
        )

    def _show(self, gen: int, c: reports.OverdueControl) -> None:
        if gen != self.generation or not isValid(self.tabs):
            return  # an answer for a scope the officer has already left
        self.control = c
        for i, key in enumerate(self.KEYS):
            lst = c.by_key(key)
            self.models[key].set_rows(key, lst.rows)
            self.views[key].resizeColumnToContents(0)
            self.tabs.setTabText(i, f"{lst.title} ({lst.total})")
        self.status.setText(self.tr("Ngày {d}").format(d=local_date(c.today)))
        per: dict[str, int] = {}
        for r in c.by_key("overdue").rows:
            per[r.procedure_code] = per.get(r.procedure_code, 0) + 1
        top = sorted(per.items(), key=lambda x: -x[1])[:12]
        self.chart.set_data(
            self.tr("Hồ sơ quá hạn theo thủ tục"),
            [k.replace("BHXH-", "") for k, _ in top],
            [float(v) for _, v in top],
            False,
        )

    def _open_index(self, index: QModelIndex) -> None:
        did = index.model().data(index, ControlModel.IdRole)
        if did:
            self.open_requested.emit(did)

    def export(self, fmt: str) -> None:
        ctx, own = self.ctx, self.own_desk()
        run_export(
            self,
            lambda: report_docs.export_control(ctx, fmt, reports_desk(ctx) if own else None),
        )


def reports_desk(ctx: DeskContext) -> str | None:
    from app.services.setup import desk_identity

    ident = desk_identity(ctx)
    return ident.desk_id if ident else None


def _t(text: str) -> str:
    return QCoreApplication.translate("Reports", text)


def _logbook(ctx: DeskContext, a: date, b: date) -> report_docs.Exported:
    """This desk's log book (form 06, or 07 under Circular 03/2025) for the range."""
    from app.services import documents

    pdf = documents.render_logbook(ctx, a, b).pdf
    return report_docs.Exported(pdf, "pdf", f"SoTheoDoi_{a:%Y%m%d}_{b:%Y%m%d}.pdf")


def run_export(parent: QWidget, make: Any, on_error: Any = None) -> None:
    """Build a report file on the pool; a PDF opens in the print preview (print or save),
    a spreadsheet goes straight to a save dialog."""

    def done(out: report_docs.Exported) -> None:
        if out.fmt == "pdf":
            from app.ui.printing import PrintPreview, open_previews

            preview = PrintPreview(out.data, out.filename, out.filename, parent)
            from app.ui import printing

            printing._open[:] = [*open_previews(), preview]
            preview.show()
            return
        path = dialogs().save_file(
            parent, _t("Lưu báo cáo Excel"), out.filename, _t("Tệp Excel (*.xlsx)")
        )
        if not path:
            return
        try:
            with open(path, "wb") as fh:
                fh.write(out.data)
        except OSError as exc:
            dialogs().error(parent, _t("Không lưu được tệp"), str(exc))
            return
        dialogs().info(parent, _t("Đã lưu báo cáo"), path)

    def failed(exc: BaseException) -> None:
        dialogs().error(parent, _t("Không lập được báo cáo"), str(exc)[:300])

    worker.run(make, done, on_error or failed)


# -- reports --------------------------------------------------------------------------------


class ReportsWidget(QWidget):
    """Pick a report, a period and a scope; see the figures and a chart; export or print.

    Signals:
        shown(object): the report or summary just displayed (tests wait on it).
    """

    shown = Signal(object)

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.generation = 0
        self.result: Any = None
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.kind = QComboBox()
        self.kind.addItem(self.tr("Biểu II.06a: tình hình, kết quả giải quyết TTHC"), "ii06a")
        self.kind.addItem(self.tr("Tổng hợp tiếp nhận và trả kết quả (ngày, kỳ)"), "daily")
        self.kind.addItem(self.tr("Sổ theo dõi hồ sơ của quầy (in, A4 ngang)"), "logbook")
        self.kind.addItem(message("digitised.report"), "digitised")  # issue 16
        form.addRow(self.tr("Báo cáo:"), self.kind)
        dates = QHBoxLayout()
        self.date_from = QDateEdit()
        self.date_to = QDateEdit()
        for w in (self.date_from, self.date_to):
            w.setCalendarPopup(True)
            w.setDisplayFormat("dd/MM/yyyy")
        dates.addWidget(self.date_from)
        dates.addWidget(QLabel("—"))
        dates.addWidget(self.date_to)
        self.presets: dict[str, QPushButton] = {}
        for key, text in (
            ("today", self.tr("Hôm nay")),
            ("this_week", self.tr("Tuần này")),
            ("last_week", self.tr("Tuần trước")),
            ("this_month", self.tr("Tháng này")),
        ):
            b = QPushButton(text)
            b.clicked.connect(lambda _=False, k=key: self.preset(k))
            self.presets[key] = b
            dates.addWidget(b)
        dates.addStretch(1)
        form.addRow(self.tr("Kỳ báo cáo:"), dates)
        self.period_error = ErrorLabel()
        form.addRow("", self.period_error)
        scope = QHBoxLayout()
        self.desk = QComboBox()
        self.officer = QComboBox()
        self.procedure = QComboBox()
        for combo, text in (
            (self.desk, self.tr("Mọi quầy")),
            (self.officer, self.tr("Mọi cán bộ")),
            (self.procedure, self.tr("Mọi thủ tục")),
        ):
            combo.addItem(text, None)
            scope.addWidget(combo)
        form.addRow(self.tr("Phạm vi:"), scope)
        lay.addLayout(form)
        buttons = QHBoxLayout()
        self.run_btn = QPushButton(self.tr("&Xem báo cáo"))
        self.run_btn.setDefault(True)
        self.xlsx_btn = QPushButton(self.tr("Xuất &Excel…"))
        self.pdf_btn = QPushButton(self.tr("In / &PDF…"))
        self.status = QLabel()
        buttons.addWidget(self.run_btn)
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.xlsx_btn)
        buttons.addWidget(self.pdf_btn)
        lay.addLayout(buttons)
        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        lay.addWidget(self.table, 1)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555;")
        self.note.setMinimumHeight(44)
        self.note.setAlignment(Qt.AlignmentFlag.AlignTop)
        lay.addWidget(self.note)
        self.chart = BarChart()
        self.chart.setFixedHeight(210)
        lay.addWidget(self.chart)
        self.run_btn.clicked.connect(self.run)
        self.xlsx_btn.clicked.connect(lambda: self.export("xlsx"))
        self.pdf_btn.clicked.connect(lambda: self.export("pdf"))
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.preset("last_week")
        self._kind_changed()
        ctx_ = ctx
        worker.run(lambda: reports.scope_choices(ctx_), self._fill_choices, lambda e: None)

    def _fill_choices(self, ch: reports.ScopeChoices) -> None:
        if not isValid(self) or not isValid(self.procedure):
            return  # the window was closed before the names arrived
        for combo, items in (
            (self.desk, ch.desks),
            (self.officer, ch.officers),
            (self.procedure, ch.procedures),
        ):
            for key, name in items:
                combo.addItem(f"{name} ({key})" if combo is self.procedure else name, key)

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        daily = kind == "daily"
        self.desk.setEnabled(daily)
        self.officer.setEnabled(daily)
        self.procedure.setEnabled(kind != "logbook")
        self.xlsx_btn.setEnabled(kind != "logbook")  # logbook: PDF only
        self.run_btn.setText(self.tr("&In sổ…") if kind == "logbook" else self.tr("&Xem báo cáo"))

    def preset(self, key: str) -> None:
        today = today_local()
        monday = today - timedelta(days=today.weekday())
        a, b = {
            "today": (today, today),
            "this_week": (monday, monday + timedelta(days=6)),
            "last_week": (monday - timedelta(days=7), monday - timedelta(days=1)),
            "this_month": (today.replace(day=1), today),
        }[key]
        self.set_period(a, b)

    def set_period(self, a: date, b: date) -> None:
        self.date_from.setDate(QDate(a.year, a.month, a.day))
        self.date_to.setDate(QDate(b.year, b.month, b.day))

    def period(self) -> tuple[date, date]:
        return self.date_from.date().toPython(), self.date_to.date().toPython()  # type: ignore[return-value]

    def scope(self) -> reports.Scope:
        """The chosen scope; the office (this desk's) is added on the worker by `_in_office`."""
        daily = self.kind.currentData() == "daily"
        return reports.Scope(
            (),
            desk_id=self.desk.currentData() if daily else None,
            officer_id=self.officer.currentData() if daily else None,
            procedure_code=self.procedure.currentData(),
        )

    def scope_text(self) -> str:
        parts = [
            c.currentText() for c in (self.desk, self.officer, self.procedure) if c.currentData()
        ]
        return self.tr("Phạm vi: {p}").format(p=", ".join(parts)) if parts else ""

    def run(self) -> None:
        a, b = self.period()
        self.period_error.show_error("")
        if self.kind.currentData() == "logbook":
            self.export("pdf")
            return
        self.generation += 1
        gen, ctx, scope, kind = self.generation, self.ctx, self.scope(), self.kind.currentData()
        self.status.setText(self.tr("Đang lập báo cáo…"))

        def work() -> Any:
            sc = _in_office(ctx, scope)
            if kind == "ii06a":
                return reports.ii06a_report(ctx, a, b, sc)
            if kind == "digitised":
                return digitised_share_of(ctx, a, b, sc)
            return reports.daily_summary(ctx, a, b, sc)

        worker.run(work, lambda r: self._show(gen, r), self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.status.setText("")
        if isinstance(exc, ValidationFailed):
            self.period_error.show_error("; ".join(e.message for e in exc.errors))
            return
        dialogs().error(self, self.tr("Không lập được báo cáo"), str(exc)[:300])

    def _show(self, gen: int, r: Any) -> None:
        if gen != self.generation or not isValid(self.table):
            return
        self.result = r
        if isinstance(r, reports.II06aReport):
            self._show_ii06a(r)
        elif isinstance(r, DigitisedShare):
            self._show_digitised(r)
        else:
            self._show_daily(r)
        self.status.setText(
            self.tr("Từ {a} đến {b}").format(a=local_date(r.date_from), b=local_date(r.date_to))
        )
        self.shown.emit(r)

    def _fill(self, headers: list[str], rows: list[list[Any]], bold: set[int]) -> None:
        self.table.clear()
        self.table.horizontalHeader().setMinimumHeight(0)
        self.table.setColumnCount(len(headers))
        self.table.setRowCount(len(rows))
        self.table.setHorizontalHeaderLabels(headers)
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                item = QTableWidgetItem(str(v))
                if isinstance(v, int):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if i in bold:
                    f = item.font()
                    f.setBold(True)
                    item.setFont(f)
                self.table.setItem(i, j, item)
        self.table.resizeColumnsToContents()

    def _ii06a_titles(self) -> dict[str, str]:
        """The form's column titles on screen, in the screen's language (the papers keep
        the Vietnamese of report_docs.II06A_COLUMNS)."""
        return {
            "received_total": self.tr("(3) Tổng số"),
            "online": self.tr("(4) Trực tuyến (*)"),
            "direct": self.tr("(5) Trực tiếp, dịch vụ bưu chính"),
            "carried": self.tr("(6) Từ kỳ trước"),
            "settled_total": self.tr("(7) Tổng số"),
            "early": self.tr("(8) Trước hạn"),
            "on_time": self.tr("(9) Đúng hạn"),
            "late": self.tr("(10) Quá hạn"),
            "pending_total": self.tr("(11) Tổng số"),
            "pending_in_time": self.tr("(12) Trong hạn"),
            "pending_late": self.tr("(13) Quá hạn"),
        }

    def _ii06a_line_name(self, x: reports.II06aRow) -> str:
        """A field subtotal or the total in the screen's language; a procedure by its code
        and catalogue name."""
        if x.procedure_code is not None:
            return f"   {x.procedure_code} {x.name}"
        if not x.field_code:
            return self.tr("Tổng cộng")
        fields = {
            "BHXH": self.tr("Bảo hiểm xã hội"),
            "BHYT": self.tr("Bảo hiểm y tế"),
            "BHTN": self.tr("Bảo hiểm thất nghiệp"),
        }
        return fields.get(x.field_code, x.name)

    def _show_ii06a(self, r: reports.II06aReport) -> None:
        cols = reports.II06A_COLUMNS[1:]
        groups = {
            "received_total": self.tr("Tiếp nhận"),
            "settled_total": self.tr("Đã giải quyết"),
            "pending_total": self.tr("Đang giải quyết"),
        }
        titles = self._ii06a_titles()
        heads = [self.tr("(2) Lĩnh vực, thủ tục")]
        group = ""
        for key, _ in cols[1:]:
            group = groups.get(key, group)
            heads.append(f"{group}: {titles[key]}")
        rows: list[list[Any]] = []
        bold: set[int] = set()
        for x in [*r.rows, r.total]:
            if x.procedure_code is None:
                bold.add(len(rows))
            rows.append([self._ii06a_line_name(x)] + [x[k] for k, _ in cols[1:]])
        self._fill(heads, rows, bold)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        header.setMinimumHeight(80)
        self.table.setColumnWidth(0, 300)
        for c in range(1, len(heads)):
            self.table.setColumnWidth(c, 72)
        ratio = r.on_time_ratio
        self.note.setText(
            self.tr("Tỷ lệ giải quyết trước hạn và đúng hạn: {p}. ").format(
                p=f"{ratio * 100:.1f}%" if ratio is not None else "—"
            )
            + (
                "(*) "
                + self.tr(
                    "Cột (4) chỉ gồm hồ sơ trực tuyến/liên thông đã được ghi nhận tại quầy; hồ "
                    "sơ nộp và giải quyết hoàn toàn trên Cổng Dịch vụ công không có trong dữ "
                    "liệu của quầy, cần lấy số liệu từ Hệ thống thông tin giải quyết TTHC."
                )
                if "online" in r.incomplete
                else ""
            )
        )
        procs = [x for x in r.rows if x.procedure_code]
        top = sorted(procs, key=lambda x: -(x["late"] + x["pending_late"]))[:12]
        self.chart.set_data(
            self.tr("Hồ sơ quá hạn theo thủ tục (đã và đang giải quyết)"),
            [(x.procedure_code or "").replace("BHXH-", "") for x in top],
            [float(x["late"] + x["pending_late"]) for x in top],
            False,
        )

    def _show_digitised(self, r: DigitisedShare) -> None:
        """The share digitised at reception: by procedure, then by officer (issue 16)."""

        def line(x: ShareRow, label: str | None = None) -> list[Any]:
            pct = f"{x.complete_share * 100:.1f} %".replace(".", ",")
            name = label if label is not None else x.label
            return [name, x.received, x.digitised, x.complete, pct]

        rows: list[list[Any]] = [[message("digitised.by_procedure"), "", "", "", ""]]
        rows += [line(x) for x in r.by_procedure]
        rows.append([message("digitised.by_officer"), "", "", "", ""])
        rows += [line(x) for x in r.by_officer]
        rows.append(line(r.total, message("digitised.total")))
        heads = ["name", "received", "digitised", "complete", "share"]
        bold = {0, len(r.by_procedure) + 1, len(rows) - 1}
        self._fill([message(f"digitised.col.{h}") for h in heads], rows, bold)
        self.note.setText(message("digitised.note"))
        self.chart.set_data(
            message("digitised.col.share"),
            [x.key for x in r.by_procedure],
            [x.complete_share for x in r.by_procedure],
            True,
        )

    def _show_daily(self, s: reports.DailySummary) -> None:
        rows: list[list[Any]] = [
            [self.tr("Hồ sơ tiếp nhận"), s.received],
            [self.tr("Yêu cầu bổ sung, hoàn thiện"), s.supplement_requested],
            [self.tr("Từ chối tiếp nhận, giải quyết"), s.refused],
            [self.tr("Chuyển cơ quan giải quyết"), s.transferred],
            [self.tr("Trả kết quả đúng hạn"), s.returned_on_time],
            [self.tr("Trả kết quả quá hạn"), s.returned_late],
            [self.tr("Quá hạn chuyển sang (cuối kỳ)"), s.overdue_carried],
            [self.tr("Lượt đánh giá hài lòng"), s.feedback_count],
        ]
        for x in s.satisfaction:
            avg = f"{x.average:.2f}" if x.average is not None else "—"
            rows.append(
                [
                    self.tr("Chỉ số {i}: điểm 2/1/0").format(i=x.index),
                    f"{x.counts[2]} / {x.counts[1]} / {x.counts[0]} (TB {avg})",
                ]
            )
        self._fill([self.tr("Chỉ tiêu"), self.tr("Số liệu")], rows, set())
        self.note.setText(self.scope_text())
        self.chart.set_data(
            self.tr("Hồ sơ tiếp nhận theo ngày"),
            [f"{d:%d/%m}" for d, _ in s.per_day],
            [float(n) for _, n in s.per_day],
            False,
        )

    def export(self, fmt: str) -> None:
        a, b = self.period()
        ctx, scope, kind, text = self.ctx, self.scope(), self.kind.currentData(), self.scope_text()
        if kind == "logbook":
            run_export(self, lambda: _logbook(ctx, a, b), self._failed)
        elif kind == "ii06a":
            run_export(
                self, lambda: report_docs.export_ii06a(ctx, a, b, fmt, _in_office(ctx, scope))
            )
        elif kind == "digitised":
            run_export(
                self,
                lambda: report_docs.export_digitised(ctx, a, b, fmt, _in_office(ctx, scope), text),
            )
        else:
            run_export(
                self,
                lambda: report_docs.export_daily(ctx, a, b, fmt, _in_office(ctx, scope), text),
            )


def _in_office(ctx: DeskContext, scope: reports.Scope) -> reports.Scope:
    """`scope` within this desk's office (runs on the worker: it reads the database)."""
    from dataclasses import replace

    return replace(scope, office_ids=reports.office_scope(ctx).office_ids)


class ReportsWindow(QWidget):
    """Overdue control and reports as two tabs of one window.

    Signals:
        open_requested(str): a dossier id to open in the main window.
    """

    open_requested = Signal(str)

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None, office: bool = False):
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(self.tr("Kiểm soát hồ sơ và báo cáo"))
        self.tabs = QTabWidget()
        self.control = OverdueControlWidget(ctx, self, office=office)
        self.reports = ReportsWidget(ctx, self)
        self.tabs.addTab(self.control, self.tr("&Kiểm soát hồ sơ"))
        self.tabs.addTab(self.reports, self.tr("&Báo cáo"))
        lay = QVBoxLayout(self)
        lay.addWidget(self.tabs)
        self.control.open_requested.connect(self.open_requested)
        QShortcut(QKeySequence("Esc"), self).activated.connect(self.close)
        from app.ui.common import fit_to_screen

        fit_to_screen(self, 1180, 760, parent)  # a 768-pixel screen has 728 for windows
