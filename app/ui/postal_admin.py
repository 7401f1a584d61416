"""Screens for what only the command line did before (issue 15): the agencies a post-office
agent desk serves and the postal fee table (administrators; the service checks), and a
consignment's history, scanned or typed.

No rule here: the tables are read and written through app.services.postal on the worker,
and an entry the service refuses is marked in its cell with the message under the table;
what was typed stays.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import DomainError, ValidationFailed
from app.services import postal
from app.services.context import DeskContext
from app.ui import worker
from app.ui.common import ErrorLabel, fit_to_screen, local_dt
from app.ui.dialogs import dialogs

_BAD = QBrush(QColor("#ffd7d7"))
_CELL = re.compile(r"^(?:fee_table\.)?(agencies|bands)\[(\d+)\](?:\.(\w+))?$")

AGENCY_KEYS = ("code", "name", "address", "scope")
BAND_KEYS = ("scope", "name_vi", "send_vnd", "return_vnd", "source", "confidence")


def _text(table: QTableWidget, row: int, col: int) -> str:
    item = table.item(row, col)
    return item.text() if item is not None else ""


class _EditTable(QWidget):
    """A small editable table with add/remove buttons, whose cells can be marked bad."""

    def __init__(self, headers: list[str], keys: tuple[str, ...], parent: QWidget | None = None):
        super().__init__(parent)
        self.keys = keys
        self.table = QTableWidget(0, len(keys))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.add_btn = QPushButton(self.tr("&Thêm dòng"))
        self.remove_btn = QPushButton(self.tr("&Bỏ dòng đang chọn"))
        self.error = ErrorLabel()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.error)
        row = QHBoxLayout()
        row.addWidget(self.add_btn)
        row.addWidget(self.remove_btn)
        row.addStretch(1)
        lay.addLayout(row)
        self.add_btn.clicked.connect(self.add_row)
        self.remove_btn.clicked.connect(self.remove_row)

    def add_row(self) -> None:
        self.table.insertRow(self.table.rowCount())
        self.table.setCurrentCell(self.table.rowCount() - 1, 0)
        self.table.setFocus()

    def remove_row(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.table.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, key in enumerate(self.keys):
                self.table.setItem(r, c, QTableWidgetItem(str(values.get(key, ""))))

    def rows(self) -> list[dict[str, str]]:
        return [
            {key: _text(self.table, r, c).strip() for c, key in enumerate(self.keys)}
            for r in range(self.table.rowCount())
        ]

    def clear_marks(self) -> None:
        self.error.show_error("")
        for r in range(self.table.rowCount()):
            for c in range(self.table.columnCount()):
                item = self.table.item(r, c)
                if item is not None:
                    item.setBackground(QBrush())
                    item.setToolTip("")

    def mark(self, row: int, key: str | None, message: str) -> None:
        """Colour the cell the message is about (the whole row when it names none)."""
        cols = [self.keys.index(key)] if key in self.keys else range(len(self.keys))
        for c in cols:
            item = self.table.item(row, c)
            if item is None:
                item = QTableWidgetItem("")
                self.table.setItem(row, c, item)
            item.setBackground(_BAD)
            item.setToolTip(message)
        if cols:
            self.table.setCurrentCell(row, next(iter(cols)))


class PostalSetupDialog(QDialog):
    """The agencies this agent desk serves and the postal fee table, each saved on its own.

    Signals: none; the intake screen reads the setup again when it opens.
    """

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Cơ quan phục vụ và biểu cước bưu chính"))
        self.fee_data: dict[str, Any] = {}
        self.tabs = QTabWidget()
        self.agencies = _EditTable(
            [
                self.tr("Mã cơ quan"),
                self.tr("Tên cơ quan"),
                self.tr("Địa chỉ"),
                self.tr("Vùng cước"),
            ],
            AGENCY_KEYS,
        )
        self.bands = _EditTable(
            [
                self.tr("Vùng"),
                self.tr("Tên vùng"),
                self.tr("Cước gửi (đ)"),
                self.tr("Cước trả (đ)"),
                self.tr("Nguồn"),
                self.tr("Độ tin cậy (V/S/M)"),
            ],
            BAND_KEYS,
        )
        self.version = QLineEdit()
        self.note = QLineEdit()
        fees = QWidget()
        fl = QVBoxLayout(fees)
        form = QFormLayout()
        form.addRow(self.tr("&Phiên bản bảng cước:"), self.version)
        form.addRow(self.tr("&Ghi chú:"), self.note)
        fl.addLayout(form)
        fl.addWidget(self.bands, 1)
        self.tabs.addTab(self.agencies, self.tr("&Cơ quan quầy phục vụ"))
        self.tabs.addTab(fees, self.tr("Biểu &cước bưu chính"))
        self.fees_tab = fees
        self.save_agencies_btn = QPushButton(self.tr("Lưu danh sách &cơ quan"))
        self.save_fees_btn = QPushButton(self.tr("Lưu &biểu cước"))
        self.close_btn = QPushButton(self.tr("Đóng (Esc)"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(self.status)
        end = QHBoxLayout()
        end.addWidget(self.save_agencies_btn)
        end.addWidget(self.save_fees_btn)
        end.addStretch(1)
        end.addWidget(self.close_btn)
        lay.addLayout(end)
        self.save_agencies_btn.clicked.connect(self.save_agencies)
        self.save_fees_btn.clicked.connect(self.save_fees)
        self.close_btn.clicked.connect(self.reject)
        fit_to_screen(self, 980, 600, parent)
        ctx_ = ctx
        worker.run(lambda: (postal.agencies_list(ctx_), postal.fee_table_data(ctx_)), self.loaded)

    def loaded(self, got: tuple[list[postal.Agency], dict[str, Any]]) -> None:
        items, fees = got
        self.agencies.set_rows([a.__dict__ for a in items])
        self.fee_data = dict(fees)
        self.version.setText(str(fees.get("version", "")))
        self.note.setText(str(fees.get("note_vi", "")))
        self.bands.set_rows(list(fees.get("bands", [])))

    def _failed(self, table: _EditTable, exc: BaseException) -> None:
        # The message is shown where the entry is: its tab comes to the front.
        self.tabs.setCurrentWidget(self.agencies if table is self.agencies else self.fees_tab)
        if isinstance(exc, ValidationFailed):
            lines = []
            for e in exc.errors:
                m = _CELL.match(e.field)
                if m is not None:
                    table.mark(int(m.group(2)), m.group(3), e.message)
                    lines.append(
                        self.tr("Dòng {n}: {msg}").format(n=int(m.group(2)) + 1, msg=e.message)
                    )
                else:
                    lines.append(e.message)
            table.error.show_error("\n".join(lines))
        elif isinstance(exc, DomainError):
            table.error.show_error(exc.message)
        else:
            dialogs().error(self, self.tr("Chưa lưu được"), type(exc).__name__)

    def save_agencies(self) -> None:
        self.agencies.clear_marks()
        self.status.setText("")
        items = [
            postal.Agency(r["code"], r["name"], r["address"], r["scope"])
            for r in self.agencies.rows()
        ]
        ctx = self.ctx

        def done(_none: object) -> None:
            self.status.setText(self.tr("Đã lưu danh sách cơ quan."))

        worker.run(
            lambda: postal.set_agencies(ctx, items, actor_id=ctx.officer_id),
            done,
            lambda e: self._failed(self.agencies, e),
        )

    def save_fees(self) -> None:
        self.bands.clear_marks()
        self.status.setText("")
        data = {
            **self.fee_data,
            "version": self.version.text().strip(),
            "note_vi": self.note.text().strip(),
            "bands": self.bands.rows(),  # amounts as typed: the service says which is wrong
        }
        ctx = self.ctx

        def done(_table: object) -> None:
            self.status.setText(self.tr("Đã lưu biểu cước."))

        worker.run(
            lambda: postal.set_fee_table(ctx, data, actor_id=ctx.officer_id),
            done,
            lambda e: self._failed(self.bands, e),
        )


class PostalHistoryDialog(QDialog):
    """Every step of one consignment, scanned or typed: accepted and fee, hand-over record,
    signed, what the agency did, results back, delivery."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None, number: str = "") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Lịch sử bưu gửi"))
        self.number = QLineEdit(number)
        self.number.setPlaceholderText(self.tr("Quét hoặc gõ số hiệu bưu gửi, số biên lai"))
        self.find_btn = QPushButton(self.tr("&Tra cứu"))
        self.error = ErrorLabel()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Thời điểm"), self.tr("Bước"), self.tr("Quầy"), self.tr("Chi tiết")]
        )
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.close_btn = QPushButton(self.tr("Đóng (Esc)"))
        label = QLabel(self.tr("Số &hiệu bưu gửi:"))
        label.setBuddy(self.number)
        top = QHBoxLayout()
        top.addWidget(label)
        top.addWidget(self.number, 1)
        top.addWidget(self.find_btn)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.error)
        lay.addWidget(self.summary)
        lay.addWidget(self.table, 1)
        end = QHBoxLayout()
        end.addStretch(1)
        end.addWidget(self.close_btn)
        lay.addLayout(end)
        self.find_btn.clicked.connect(self.look_up)
        self.number.returnPressed.connect(self.look_up)
        self.close_btn.clicked.connect(self.reject)
        self.find_btn.setAutoDefault(False)
        self.close_btn.setAutoDefault(False)
        fit_to_screen(self, 900, 560, parent)
        self.number.setFocus()
        if number:
            self.look_up()

    def look_up(self) -> None:
        ref = self.number.text().strip()
        self.error.show_error("")
        if not ref:
            return
        ctx = self.ctx

        def work() -> tuple[postal.ItemView, list[postal.Step]]:
            return postal.item(ctx, ref), postal.item_history(ctx, ref)

        worker.run(work, self.show_history, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.table.setRowCount(0)
        self.summary.setText("")
        self.error.show_error(exc.message if isinstance(exc, DomainError) else type(exc).__name__)

    def show_history(self, got: tuple[postal.ItemView, list[postal.Step]]) -> None:
        from app.services.postal_reports import STATUS_VI

        it, steps = got
        self.summary.setText(
            self.tr("{number} – {name} – {agency} – {status}").format(
                number=it.consignment_no,
                name=it.full_name,
                agency=it.agency_name or it.agency_code,
                status=STATUS_VI.get(it.status, it.status),
            )
        )
        self.table.setRowCount(len(steps))
        for r, st in enumerate(steps):
            values = (local_dt(st.at), st.label or st.type, st.desk_name, st.detail)
            for c, v in enumerate(values):
                item = QTableWidgetItem(v)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
