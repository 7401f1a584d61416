"""The dossier list: a lazy model over keyset pages, filters, one search box.

The model never holds more than the pages the officer scrolled to; each page and the total
count are read on the worker pool, so 1,000,000 dossiers scroll without a stall. A filter
change bumps a generation number so late answers for an old filter are dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, ClassVar, NamedTuple, cast

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.lifecycle import overdue_days
from app.services import search
from app.services.catalogue_service import ProcedureChoice, list_procedures
from app.services.context import DeskContext
from app.services.search import DossierFilter, DossierSummary
from app.ui import worker
from app.ui.common import local_date, local_dt, today_local
from app.ui.intake import localized

_Index = QModelIndex | QPersistentModelIndex

#: Role with the ListRow of a row.
SummaryRole = Qt.ItemDataRole.UserRole + 1


class ListRow(NamedTuple):
    """What the list keeps per dossier. A tuple of strings, dates and bools, so the garbage
    collector stops tracking it: tens of thousands of scrolled rows then add nothing to a
    full collection (which holds the GIL, and so the UI thread, while it runs)."""

    id: str
    code: str
    full_name: str
    procedure_code: str
    procedure_name: str
    status: str
    status_label: str
    received_at: datetime
    due_date: date | None

    @classmethod
    def of(cls, s: DossierSummary) -> ListRow:
        return cls(s.id, s.code, s.full_name, s.procedure_code,
                   localized(s.procedure_name, s.procedure_name_en), s.status,
                   s.status_label, s.received_at, s.due_date)

COL_CODE, COL_NAME, COL_PROCEDURE, COL_STATUS, COL_RECEIVED, COL_DUE, COL_OVERDUE = range(7)
COLUMNS = 7

OVERDUE_BG = QColor("#fde0dc")
SOON_BG = QColor("#fff4cc")
OPEN_STATUSES = ("received", "in_progress")


class DossierListModel(QAbstractTableModel):
    """Rows (ListRow) of the dossier list, fetched a page at a time (canFetchMore/fetchMore).

    Signals:
        count_changed(int): the total for the current filter, counted in the background.
        loading_changed(bool)
        page_loaded(): a page arrived and its rows are in the model.
    """

    count_changed = Signal(int)
    loading_changed = Signal(bool)
    page_loaded = Signal()

    PAGE = 200

    def __init__(self, ctx: DeskContext, parent: Any = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[ListRow] = []
        self.filter = DossierFilter(today=today_local())
        self.soon_until: date | None = None
        self._generation = 0
        self._loading = False
        # Nothing to fetch until a filter is set: a view must not start a load on its own.
        self._exhausted = True
        self.total: int | None = None

    def headers(self) -> list[str]:
        return [
            QCoreApplication.translate("DossierList", "Mã hồ sơ"),
            QCoreApplication.translate("DossierList", "Người nộp"),
            QCoreApplication.translate("DossierList", "Thủ tục"),
            QCoreApplication.translate("DossierList", "Trạng thái"),
            QCoreApplication.translate("DossierList", "Ngày nhận"),
            QCoreApplication.translate("DossierList", "Hẹn trả"),
            QCoreApplication.translate("DossierList", "Quá hạn (ngày)"),
        ]

    # -- Qt model API ------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMNS

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < COLUMNS
        ):
            return self.headers()[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        r = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                r.code,
                r.full_name,
                r.procedure_name,
                r.status_label,
                local_dt(r.received_at),
                local_date(r.due_date),
                str(overdue_days(r.status, r.due_date, self.filter.today) or ""),
            )[col]
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_OVERDUE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_PROCEDURE:
            return f"{r.procedure_code} — {r.procedure_name}"
        if role == Qt.ItemDataRole.BackgroundRole:
            mark = self.due_mark(r)
            if mark == "overdue":
                return QBrush(OVERDUE_BG)
            if mark == "soon":
                return QBrush(SOON_BG)
        if role == Qt.ItemDataRole.AccessibleDescriptionRole and col == COL_DUE:
            return self.due_mark(r) or ""
        if role == SummaryRole:
            return r
        return None

    def due_mark(self, r: ListRow) -> str | None:
        """ "overdue" / "soon" for open dossiers past or near their appointment."""
        if r.status not in OPEN_STATUSES or r.due_date is None:
            return None
        if r.due_date < self.filter.today:
            return "overdue"
        if r.due_date <= (self.soon_until or self.filter.today):
            return "soon"
        return None

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._exhausted or self._loading:
            return
        last = self.rows[-1] if self.rows else None
        after = (
            (
                search.sort_value(
                    self.filter.sort, last.code, last.full_name, last.received_at, last.due_date
                ),
                last.id,
            )
            if last is not None
            else None
        )
        self._load(after)

    #: Columns the officer can sort by (a click on the header), and their keys.
    SORTABLE: ClassVar[dict[int, str]] = {
        COL_CODE: "code",
        COL_NAME: "name",
        COL_RECEIVED: "received",
        COL_DUE: "due",
    }

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in the database (the model holds only the pages scrolled to)."""
        key = self.SORTABLE.get(column)
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self.filter.sort, self.filter.descending):
            return
        f = replace(self.filter, sort=key, descending=descending)
        if self.total is None and not self._loading and not self.rows:
            self.filter = f  # nothing shown yet: the first load uses it
            return
        self.set_filter(f)

    # -- loading ---------------------------------------------------------------------------

    @property
    def filter_set(self) -> bool:
        """A filter has been applied (the list is showing, or fetching, its rows)."""
        return self._generation > 0

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def exhausted(self) -> bool:
        """Every row of the current filter is loaded."""
        return self._exhausted

    def _set_loading(self, value: bool) -> None:
        if value != self._loading:
            self._loading = value
            self.loading_changed.emit(value)

    def _load(self, after: tuple[Any, str] | None) -> None:
        gen, ctx, f, limit = self._generation, self.ctx, self.filter, self.PAGE
        self._set_loading(True)

        def done(page: list[ListRow]) -> None:
            if gen != self._generation:
                return
            self._set_loading(False)
            if len(page) < limit:
                self._exhausted = True
            if page:
                start = len(self.rows)
                self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
                self.rows.extend(page)
                self.endInsertRows()
            self.page_loaded.emit()

        def failed(exc: BaseException) -> None:
            if gen == self._generation:
                self._set_loading(False)
                self._exhausted = True
            raise exc

        def work() -> list[ListRow]:
            return [ListRow.of(s) for s in search.list_page(ctx, f, after=after, limit=limit)]

        worker.run(work, done, failed)

    def set_filter(self, f: DossierFilter) -> None:
        """Start over with a new filter: clear, load the first page, count in the background."""
        self._generation += 1
        gen = self._generation
        self.beginResetModel()
        self.filter = f
        self.soon_until = f.soon_until
        self.rows = []
        self._exhausted = False
        self._loading = False
        self.total = None
        self.endResetModel()
        self._load(None)
        ctx = self.ctx

        def counted(n: int) -> None:
            if gen == self._generation:
                self.total = n
                self.count_changed.emit(n)

        worker.run(lambda: search.count(ctx, f), counted)

    def refresh(self) -> None:
        self.set_filter(self.filter)

    def summary(self, row: int) -> ListRow | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None


_NO_DESK_YET = "-"


@dataclass(frozen=True)
class _ListContext:
    today: date
    soon_until: date
    desk_id: str | None
    procedures: tuple[ProcedureChoice, ...]


def _list_context(ctx: DeskContext, today: date) -> _ListContext:
    """Runs on the worker pool: what the list's filters need from the database."""
    from app.services.setup import desk_identity
    from app.services.ui_support import nth_working_day

    ident = desk_identity(ctx)
    return _ListContext(
        today,
        nth_working_day(ctx, today, 2),
        ident.desk_id if ident else None,
        tuple(list_procedures(ctx)),
    )


class DossierListWidget(QWidget):
    """Filters over a table of dossiers; Enter or double-click opens one.

    Signals:
        open_requested(str): dossier id (or code) to open.
    """

    open_requested = Signal(str)

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = DossierListModel(ctx, self)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(
            self.tr("Tìm theo mã hồ sơ, số định danh, điện thoại hoặc họ tên (Ctrl+F)")
        )
        self.status = QComboBox()
        self.status.addItem(self.tr("Mọi trạng thái"), "")
        for code, label in (
            ("received", self.tr("Đã tiếp nhận")),
            ("in_progress", self.tr("Đang giải quyết")),
            ("supplement_requested", self.tr("Chờ bổ sung")),
            ("result_ready", self.tr("Có kết quả")),
            ("returned", self.tr("Đã trả kết quả")),
            ("refused", self.tr("Từ chối")),
            ("cancelled", self.tr("Đã huỷ")),
        ):
            self.status.addItem(label, code)
        self.due = QComboBox()
        for label, value in (
            (self.tr("Mọi hạn trả"), None),
            (self.tr("Hẹn trả hôm nay"), "today"),
            (self.tr("Đến hạn trong 2 ngày làm việc"), "soon"),
            (self.tr("Quá hạn"), "overdue"),
        ):
            self.due.addItem(label, value)
        self.procedure = QComboBox()
        self.procedure.addItem(self.tr("Mọi thủ tục"), None)  # the rest from the pool
        self.procedure.setMaximumWidth(320)
        self.use_dates = QCheckBox(self.tr("Nhận từ"))
        self.date_from = QDateEdit(QDate.currentDate().addDays(-30))
        self.date_to = QDateEdit(QDate.currentDate())
        for d in (self.date_from, self.date_to):
            d.setDisplayFormat("dd/MM/yyyy")
            d.setCalendarPopup(True)
            d.setEnabled(False)
        self.mine = QComboBox()
        self.mine.addItem(self.tr("Mọi quầy"), None)
        self.mine.addItem(self.tr("Quầy này"), "desk")
        self.mine.addItem(self.tr("Tôi tiếp nhận"), "officer")
        self.count_label = QLabel()
        self.count_label.setObjectName("count")
        self.empty_label = QLabel(self.tr("Không có hồ sơ nào khớp với điều kiện tìm."))
        self.empty_label.setObjectName("empty")
        self.empty_label.setStyleSheet("color: #b00020; font-weight: bold; padding: 4px;")
        self.empty_label.hide()
        self._open_single = False

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setAlternatingRowColors(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_PROCEDURE, QHeaderView.ResizeMode.Stretch)
        header.setSortIndicator(COL_RECEIVED, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        header.sortIndicatorChanged.connect(self._sort_clicked)
        for col, width in (
            (COL_CODE, 230),
            (COL_NAME, 200),
            (COL_STATUS, 130),
            (COL_RECEIVED, 130),
            (COL_DUE, 90),
            (COL_OVERDUE, 100),
        ):
            self.table.setColumnWidth(col, width)
        self.table.doubleClicked.connect(self._open_index)
        self.table.activated.connect(self._open_index)

        top = QHBoxLayout()
        top.addWidget(self.search, 3)
        top.addWidget(self.status)
        top.addWidget(self.due)
        second = QHBoxLayout()
        second.addWidget(self.procedure)
        second.addWidget(self.use_dates)
        second.addWidget(self.date_from)
        second.addWidget(QLabel(self.tr("đến")))
        second.addWidget(self.date_to)
        second.addWidget(self.mine)
        second.addStretch(1)
        second.addWidget(self.count_label)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addLayout(second)
        lay.addWidget(self.empty_label)
        lay.addWidget(self.table)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _: self._debounce.start())
        self.search.returnPressed.connect(self._search_enter)
        for combo in (self.status, self.due, self.procedure, self.mine):
            combo.currentIndexChanged.connect(lambda _: self.apply_filter())
        self.use_dates.toggled.connect(self._dates_toggled)
        self.date_from.dateChanged.connect(lambda _: self.apply_filter())
        self.date_to.dateChanged.connect(lambda _: self.apply_filter())
        self.model.count_changed.connect(self._show_count)
        self.model.modelReset.connect(self._reset)
        self.model.page_loaded.connect(self._page_loaded)
        self.setTabOrder(self.search, self.table)
        # What the filters need from the database (the procedures, this desk, the second
        # working day) is read on the worker pool, never on the UI thread (issue 10).
        self._soon_until: date | None = None
        self._soon_for: date | None = None
        self._desk_id: str | None = None
        self._context_pending: date | None = None
        self._load_context(today_local())

    def _load_context(self, today: date) -> None:
        if self._context_pending == today:
            return
        self._context_pending = today
        ctx = self.ctx
        worker.run(lambda: _list_context(ctx, today), self._context_loaded)

    def _context_loaded(self, c: _ListContext) -> None:
        self._context_pending = None
        self._soon_until, self._soon_for, self._desk_id = c.soon_until, c.today, c.desk_id
        if self.procedure.count() == 1:
            self.procedure.blockSignals(True)  # filling the list is not choosing from it
            for p in c.procedures:
                self.procedure.addItem(f"{p.code} — {localized(p.name_vi, p.name_en)}", p.code)
            self.procedure.blockSignals(False)
        if self.model.filter_set and (
            self.due.currentData() == "soon" or self.mine.currentData() == "desk"
        ):
            self.apply_filter()  # it ran with a stand-in until now

    def _sort_clicked(self, column: int, _order: Qt.SortOrder) -> None:
        """A column the database cannot page in order keeps the current sort."""
        if column not in DossierListModel.SORTABLE:
            f = self.model.filter
            col = next(c for c, k in DossierListModel.SORTABLE.items() if k == f.sort)
            order = Qt.SortOrder.DescendingOrder if f.descending else Qt.SortOrder.AscendingOrder
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(col, order)
            header.blockSignals(False)

    def _dates_toggled(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        self.apply_filter()

    def _reset(self) -> None:
        self.count_label.setText(self.tr("Đang đếm…"))
        self.empty_label.hide()

    def _show_count(self, n: int) -> None:
        self.count_label.setText(self.tr("{n} hồ sơ").format(n=f"{n:,}".replace(",", ".")))
        self.empty_label.setVisible(n == 0)

    def _page_loaded(self) -> None:
        """After Enter in the search box: one match opens at once, none says so."""
        if not self.model.rows and self.model.exhausted:
            self.empty_label.show()
        if self._open_single:
            self._open_single = False
            if len(self.model.rows) == 1 and self.model.exhausted:
                self.table.selectRow(0)
                self.open_requested.emit(self.model.rows[0].id)

    def current_filter(self) -> DossierFilter:
        today = today_local()
        due = self.due.currentData()
        if self._soon_for != today:
            self._load_context(today)  # a new day (or not read yet): two calendar days meanwhile
        soon_until = self._soon_until if self._soon_for == today else None
        mine = self.mine.currentData()
        desk_id = officer_id = None
        if mine == "desk":
            # Until this desk's id has arrived, match nothing rather than every desk.
            desk_id = self._desk_id or _NO_DESK_YET
        elif mine == "officer":
            officer_id = self.ctx.officer_id
        f = DossierFilter(
            sort=self.model.filter.sort,
            descending=self.model.filter.descending,
            text=self.search.text().strip(),
            statuses=(self.status.currentData(),) if self.status.currentData() else (),
            due=due,
            procedure_code=self.procedure.currentData(),
            desk_id=desk_id,
            officer_id=officer_id,
            today=today,
            soon_until=soon_until,
        )
        if self.use_dates.isChecked():
            f = replace(
                f,
                received_from=cast(date, self.date_from.date().toPython()),
                received_to=cast(date, self.date_to.date().toPython()),
            )
        return f

    def apply_filter(self) -> None:
        self._debounce.stop()
        self.model.set_filter(self.current_filter())

    def _search_enter(self) -> None:
        """Enter in the search box: apply now; when exactly one dossier matches, open it."""
        self.apply_filter()
        self._open_single = True
        self.table.setFocus()

    def _open_index(self, index: QModelIndex) -> None:
        s = self.model.summary(index.row())
        if s is not None:
            self.open_requested.emit(s.id)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()
