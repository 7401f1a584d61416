"""The sync screen: state and why, the queue's head and its age, last successes, the
events the central refused (with its reason) to retry or set aside, and "sync now".

Everything is read and written through app.services.sync_status on the worker pool; the
window never waits on the database or the network.

Signals:
    sync_requested: the officer asked for a round now (the main window wakes the worker).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.lifecycle import event_label
from app.domain.text import short_id
from app.services import sync_status, ui_support
from app.services.context import DeskContext
from app.ui import worker
from app.ui.common import local_dt
from app.ui.mainwindow import age_text

Index = QModelIndex | QPersistentModelIndex


class RejectedModel(QAbstractTableModel):
    """The refused events, one row each: code, what, desk number, when, the reason."""

    CODE, TYPE, SEQ, WHEN, REASON = range(5)
    HEADERS: ClassVar[list[str]] = []

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[sync_status.RejectedEvent] = []
        self.headers = [
            self.tr("Mã hồ sơ"),
            self.tr("Thao tác"),
            self.tr("Số TT"),
            self.tr("Thời điểm"),
            self.tr("Lý do máy chủ từ chối"),
        ]

    def set_rows(self, rows: list[sync_status.RejectedEvent]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.headers)
        ):
            return self.headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        r = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                self.CODE: r.dossier_code or short_id(r.dossier_id),
                self.TYPE: event_label(r.type),
                self.SEQ: str(r.desk_seq),
                self.WHEN: local_dt(r.occurred_at),
                self.REASON: r.reason,
            }.get(index.column())
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == self.REASON:
            return f"{r.reason_code} {r.field}".strip() + "\n" + r.reason
        if role == Qt.ItemDataRole.UserRole:
            return r.event_id
        return None


class SyncScreen(QDialog):
    """Sync state, queue and refused events of this desk (menu Quản trị → Đồng bộ, F8)."""

    sync_requested = Signal()

    def __init__(
        self,
        ctx: DeskContext,
        parent: QWidget | None = None,
        *,
        read_status: Callable[[], Any] | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._read_status = read_status or (lambda: ui_support.desk_sync_status(ctx))
        self.setWindowTitle(self.tr("Đồng bộ với máy chủ trung tâm"))
        self.resize(900, 520)
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.state_label = QLabel()
        self.state_label.setWordWrap(True)
        self.queue_label = QLabel()
        self.queue_label.setWordWrap(True)
        self.last_label = QLabel()
        self.watchdog_label = QLabel()
        self.watchdog_label.setStyleSheet("color: #b00020; font-weight: bold")
        self.watchdog_label.setWordWrap(True)
        form.addRow(self.tr("Trạng thái:"), self.state_label)
        form.addRow(self.tr("Hàng đợi:"), self.queue_label)
        form.addRow(self.tr("Thành công lần cuối:"), self.last_label)
        form.addRow("", self.watchdog_label)
        lay.addLayout(form)
        lay.addWidget(QLabel(self.tr("Sự kiện bị máy chủ từ chối:")))
        self.model = RejectedModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(RejectedModel.REASON, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        lay.addWidget(self.table, 1)
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("Ghi chú khi gác lại (không bắt buộc)"))
        self.note.setMaxLength(500)
        lay.addWidget(self.note)
        self.message = QLabel()
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        buttons = QHBoxLayout()
        self.retry_btn = QPushButton(self.tr("&Thử gửi lại"))
        self.set_aside_btn = QPushButton(self.tr("&Gác lại"))
        self.sync_btn = QPushButton(self.tr("Đồng bộ &ngay"))
        self.refresh_btn = QPushButton(self.tr("&Làm mới"))
        self.close_btn = QPushButton(self.tr("Đóng"))
        for b in (self.retry_btn, self.set_aside_btn):
            buttons.addWidget(b)
        buttons.addStretch(1)
        for b in (self.sync_btn, self.refresh_btn, self.close_btn):
            buttons.addWidget(b)
        lay.addLayout(buttons)
        self.retry_btn.clicked.connect(self.retry_selected)
        self.set_aside_btn.clicked.connect(self.set_aside_selected)
        self.sync_btn.clicked.connect(self.sync_now)
        self.refresh_btn.clicked.connect(self.refresh)
        self.close_btn.clicked.connect(self.close)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.loading = False
        self._update_buttons()
        self.refresh()

    # -- reading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Status and refused events, read on the pool."""
        self.loading = True
        ctx, read = self.ctx, self._read_status

        def load() -> tuple[Any, list[sync_status.RejectedEvent]]:
            return read(), sync_status.rejected_list(ctx)

        worker.run(load, self._show, self._failed)

    def _show(self, result: tuple[Any, list[sync_status.RejectedEvent]]) -> None:
        st, rows = result
        self.loading = False
        self.model.set_rows(rows)
        self.table.resizeRowsToContents()
        self.show_status(st)
        self._update_buttons()

    def _failed(self, exc: BaseException) -> None:
        self.loading = False
        self.message.setText(self.tr("Không đọc được trạng thái: {e}").format(e=type(exc).__name__))

    def show_status(self, st: Any) -> None:
        state = getattr(st, "state", None)
        texts = {
            "online": self.tr("Trực tuyến"),
            "refused": self.tr("Máy chủ từ chối quầy: {reason}"),
            "central_error": self.tr("Lỗi máy chủ trung tâm (sẽ thử lại): {reason}"),
            "offline": self.tr("Mất kết nối: {reason}"),
        }
        if not st.paired:
            text = self.tr("Làm việc độc lập (chưa kết nối máy chủ)")
        elif state in texts:
            text = texts[state].format(reason=st.reason[:200])
        else:
            text = self.tr("Chưa đồng bộ lần nào từ khi mở chương trình")
        self.state_label.setText(text)
        if st.waiting_count:
            queue = self.tr("{n} sự kiện chờ gửi; cũ nhất chờ {age}").format(
                n=st.waiting_count, age=age_text(st.oldest_waiting_age_s or 0)
            )
            if st.head_desk_seq is not None:
                queue += "; " + self.tr("đầu hàng đợi: số {seq}, đã thử {k} lần").format(
                    seq=st.head_desk_seq, k=st.head_attempts
                )
            if st.head_last_error:
                queue += " — " + st.head_last_error[:160]
        else:
            queue = self.tr("Không có sự kiện nào chờ gửi")
        self.queue_label.setText(queue)
        never = self.tr("chưa có")

        def when(value: Any) -> str:
            return local_dt(value) if value else never

        self.last_label.setText(
            self.tr("đồng bộ đủ: {all}; gửi: {push}; nhận: {pull}").format(
                all=when(st.last_good_sync),
                push=when(getattr(st, "last_push_ok", None)),
                pull=when(getattr(st, "last_pull_ok", None)),
            )
        )
        self.watchdog_label.setText(
            self.tr(
                "Cảnh báo: đầu hàng đợi không di chuyển đã hơn 10 phút dù đang trực tuyến. "
                "Xem lý do ở trên hoặc báo quản trị."
            )
            if getattr(st, "stuck", False)
            else ""
        )

    # -- actions ---------------------------------------------------------------------------

    def selected_event(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        value = self.model.data(rows[0], Qt.ItemDataRole.UserRole)
        return str(value) if value else None

    def _update_buttons(self, *_: Any) -> None:
        chosen = self.selected_event() is not None
        self.retry_btn.setEnabled(chosen)
        self.set_aside_btn.setEnabled(chosen)

    def retry_selected(self) -> None:
        event_id = self.selected_event()
        if event_id is None:
            return
        ctx = self.ctx

        def done(ok: bool) -> None:
            self.message.setText(
                self.tr("Đã đưa lại vào hàng đợi.")
                if ok
                else self.tr("Sự kiện không còn bị từ chối.")
            )
            if ok:
                self.sync_requested.emit()
            self.refresh()

        worker.run(lambda: sync_status.retry(ctx, event_id), done, self._failed)

    def set_aside_selected(self) -> None:
        event_id = self.selected_event()
        if event_id is None:
            return
        ctx, note = self.ctx, self.note.text()

        def done(new_id: str | None) -> None:
            if new_id:
                self.note.clear()
                self.message.setText(self.tr("Đã gác lại; việc gác lại được ghi vào nhật ký."))
                self.sync_requested.emit()
            else:
                self.message.setText(self.tr("Sự kiện không còn bị từ chối."))
            self.refresh()

        worker.run(lambda: sync_status.set_aside(ctx, event_id, note), done, self._failed)

    def sync_now(self) -> None:
        self.message.setText(self.tr("Đang đồng bộ…"))
        self.sync_requested.emit()
