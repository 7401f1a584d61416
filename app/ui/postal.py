"""Screens of the postal work (issue 15): the agent desk's intake and hand-over tabs, and the
hand-over record dialog both sides open by scanning a record's barcode.

No SQL and no rule here: every action goes through app.services.postal on the worker, and
its field errors come back next to the field they concern.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.applicant import Applicant
from app.domain.completeness import HandedIn
from app.domain.errors import DomainError, ValidationFailed
from app.domain.postal import (
    RETURN_PREFIX,
    ROW_PREFIX,
    parse_batch_code,
    parse_return_row,
    parse_row,
)
from app.domain.text import short_id
from app.services import postal, setup
from app.services.context import DeskContext
from app.ui import worker
from app.ui.common import ErrorLabel, fit_to_screen, local_dt
from app.ui.dialogs import dialogs

_previews: list[Any] = []


def _t(text: str) -> str:
    return QCoreApplication.translate("Postal", text)


def is_postal_scan(text: str) -> bool:
    """A hand-over record's batch code or one of its row QR codes."""
    t = text.strip()
    return t.upper().startswith("HSBC") or t.startswith((ROW_PREFIX, RETURN_PREFIX))


def show_pdf(parent: QWidget | None, pdf: bytes, title: str, filename: str) -> Any:
    """Preview a paper with print and save (the forms' own preview window)."""
    from app.ui.printing import PrintPreview

    preview = PrintPreview(pdf, title, filename, parent)
    _previews.append(preview)
    preview.finished.connect(lambda _r: _previews.remove(preview) if preview in _previews else None)
    preview.show()
    return preview


def money(vnd: int) -> str:
    return f"{vnd:,}".replace(",", ".") + " đ"


def _show_failure(widget: QWidget, errors: dict[str, ErrorLabel], exc: BaseException) -> None:
    """Field errors next to their fields; anything else in a message box."""
    if isinstance(exc, ValidationFailed):
        shown = False
        for e in exc.errors:
            label = errors.get(e.field)
            if label is not None:
                label.show_error(e.message)
                shown = True
        if not shown:
            dialogs().error(widget, _t("Chưa lưu được"), str(exc))
    elif isinstance(exc, DomainError):
        dialogs().error(widget, _t("Chưa lưu được"), exc.message)
    else:
        dialogs().error(widget, _t("Lỗi"), type(exc).__name__)


class PostalIntakeWidget(QWidget):
    """The agent desk's intake: agency, procedure and papers, sender, consignment, fee.

    Signals:
        accepted(object): the service's `Accepted` after the fee receipt was recorded.
    """

    accepted = Signal(object)

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setup: postal.DeskSetup | None = None
        self.agency = QComboBox()
        self.procedure = QComboBox()
        self.components = QListWidget()
        self.components.setMaximumHeight(140)
        self.full_name = QLineEdit()
        self.id_number = QLineEdit()
        self.phone = QLineEdit()
        self.address = QLineEdit()
        self.consignment = QLineEdit()
        self.consignment.setPlaceholderText("EE123456785VN")
        self.option = QComboBox()
        for value, text in (
            (3, self.tr("3 – Gửi hồ sơ và nhận kết quả qua bưu điện")),
            (1, self.tr("1 – Chỉ gửi hồ sơ")),
            (2, self.tr("2 – Chỉ nhận kết quả")),
        ):
            self.option.addItem(text, value)
        self.fee = QLabel()
        self.fee.setObjectName("fee")
        self.accept_btn = QPushButton(self.tr("Nhận hồ sơ và in biên lai (F9)"))
        self.accept_btn.setShortcut("F9")
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.errors: dict[str, ErrorLabel] = {}
        form = QFormLayout()
        for field, text, widget in (
            ("agency", self.tr("Cơ quan nhận hồ sơ:"), self.agency),
            ("procedure", self.tr("Thủ tục:"), self.procedure),
            ("items", self.tr("Giấy tờ đã kiểm (đánh dấu):"), self.components),
            ("full_name", self.tr("Người gửi:"), self.full_name),
            ("id_number", self.tr("Số định danh cá nhân:"), self.id_number),
            ("phone", self.tr("Điện thoại:"), self.phone),
            ("address", self.tr("Địa chỉ:"), self.address),
            ("consignment_no", self.tr("Số hiệu bưu gửi (quét hoặc gõ):"), self.consignment),
            ("option", self.tr("Hình thức:"), self.option),
        ):
            form.addRow(text, widget)
            err = ErrorLabel()
            form.addRow("", err)
            self.errors[field] = err
        form.addRow(self.tr("Cước và phí phải thu:"), self.fee)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.accept_btn)
        lay.addLayout(buttons)
        lay.addWidget(self.result)
        lay.addStretch(1)
        self.agency.currentIndexChanged.connect(self.update_fee)
        self.option.currentIndexChanged.connect(self.update_fee)
        self.procedure.currentIndexChanged.connect(self._procedure_changed)
        self.consignment.editingFinished.connect(self.check_consignment)
        self.accept_btn.clicked.connect(self.submit)
        ctx_ = ctx
        worker.run(lambda: postal.desk_setup(ctx_), self.set_setup)

    def reload_setup(self) -> None:
        """Read the agencies and fee table again (an administrator changed them)."""
        ctx = self.ctx
        worker.run(lambda: postal.desk_setup(ctx), self.set_setup)

    def set_setup(self, setup: postal.DeskSetup) -> None:
        agency, procedure = self.agency.currentData(), self.procedure.currentData()
        self.setup = setup
        self.agency.blockSignals(True)
        self.agency.clear()
        for a in setup.agencies:
            self.agency.addItem(f"{a.name} ({a.code})", a.code)
        self.agency.blockSignals(False)
        self.procedure.blockSignals(True)
        self.procedure.clear()
        for code, name in setup.procedures:
            self.procedure.addItem(f"{code} – {name}", code)
        # What the officer had chosen stays chosen (a reload must not lose the form).
        if self.agency.findData(agency) >= 0:
            self.agency.setCurrentIndex(self.agency.findData(agency))
        kept = self.procedure.findData(procedure)
        if kept >= 0:
            self.procedure.setCurrentIndex(kept)
        self.procedure.blockSignals(False)
        if kept < 0 or procedure is None:
            self._procedure_changed()
        else:
            self.update_fee()

    def _procedure_changed(self) -> None:
        self.components.clear()
        if self.setup is None:
            return
        for code, name, kind, qty, conditional in self.setup.components.get(
            self.procedure.currentData() or "", ()
        ):
            item = QListWidgetItem(
                f"{name} ({qty})" + (self.tr(" – nếu có") if conditional else "")
            )
            item.setData(Qt.ItemDataRole.UserRole, (code, kind, qty, conditional))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.components.addItem(item)
        self.update_fee()

    def update_fee(self) -> None:
        if self.setup is None:
            return
        charges, post = self.setup.fee(
            self.agency.currentData() or "",
            self.procedure.currentData() or "",
            self.option.currentData(),
        )
        text = self.tr("{total} (phí, lệ phí {charges}; cước bưu chính {post})").format(
            total=money(charges + post), charges=money(charges), post=money(post)
        )
        if not self.setup.table.confirmed:
            text += " – " + self.tr("bảng cước chưa đối chiếu")
        self.fee.setText(text)

    def check_consignment(self) -> None:
        number = self.consignment.text()
        if not number.strip():
            self.errors["consignment_no"].show_error("")
            return
        ctx = self.ctx
        worker.run(
            lambda: postal.check_consignment(ctx, number),
            lambda errs: self.errors["consignment_no"].show_error(errs[0].message if errs else ""),
        )

    def request(self) -> postal.AcceptRequest:
        items, conditions = [], {}
        for i in range(self.components.count()):
            it = self.components.item(i)
            code, kind, qty, conditional = it.data(Qt.ItemDataRole.UserRole)
            checked = it.checkState() == Qt.CheckState.Checked
            if checked:
                items.append(HandedIn(code, kind if kind != "any" else "original", qty))
            if conditional:
                conditions[code] = checked
        return postal.AcceptRequest(
            agency_code=self.agency.currentData() or "",
            procedure_code=self.procedure.currentData() or "",
            applicant=Applicant(
                full_name=self.full_name.text(),
                id_number=self.id_number.text(),
                phone=self.phone.text(),
                address=self.address.text(),
            ),
            items=tuple(items),
            consignment_no=self.consignment.text(),
            conditions=conditions,
            option=int(self.option.currentData()),
        )

    def submit(self) -> None:
        for e in self.errors.values():
            e.show_error("")
        req = self.request()
        ctx = self.ctx
        self.accept_btn.setEnabled(False)
        worker.run(lambda: postal.accept(ctx, req), self._done, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.accept_btn.setEnabled(True)
        _show_failure(self, self.errors, exc)

    def _done(self, got: postal.Accepted) -> None:
        self.accept_btn.setEnabled(True)
        self.result.setText(
            self.tr("Đã nhận: biên lai {receipt}, bưu gửi {number}, thu {total}.").format(
                receipt=got.receipt_no, number=got.consignment_no, total=money(got.fee_total)
            )
        )
        for w in (self.full_name, self.id_number, self.phone, self.address, self.consignment):
            w.clear()
        for i in range(self.components.count()):
            self.components.item(i).setCheckState(Qt.CheckState.Unchecked)
        self.accepted.emit(got)
        ctx, receipt = self.ctx, got.receipt_no
        worker.run(
            lambda: postal.fee_receipt_pdf(ctx, receipt),
            lambda pdf: show_pdf(self, pdf, self.tr("Biên lai thu cước"), f"bienlai-{receipt}.pdf"),
        )

    def clear(self) -> None:
        for w in (self.full_name, self.id_number, self.phone, self.address, self.consignment):
            w.clear()
        self.full_name.setFocus()


class HandoverWidget(QWidget):
    """The agent desk's consignments: hand them over per agency, record delivery.

    Signals:
        history_requested(str): the officer asked for the selected consignment's history.
    """

    history_requested = Signal(str)
    COLUMNS = ("receipt", "consignment", "name", "agency", "status", "record", "code")

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.agency = QComboBox()
        self.hand_btn = QPushButton(self.tr("Lập biên bản giao nhận"))
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Số biên lai"),
                self.tr("Số hiệu bưu gửi"),
                self.tr("Người gửi"),
                self.tr("Cơ quan"),
                self.tr("Tình trạng"),
                self.tr("Biên bản"),
                self.tr("Mã hồ sơ"),
            ]
        )
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("Lý do (khi phát không thành công)"))
        self.errors = {"reason": ErrorLabel()}
        self.delivered_btn = QPushButton(self.tr("Đã phát"))
        self.failed_btn = QPushButton(self.tr("Phát không thành công"))
        self.returned_btn = QPushButton(self.tr("Trả lại cơ quan"))
        self.daily_btn = QPushButton(self.tr("Bảng kê trong ngày…"))
        self.history_btn = QPushButton(self.tr("Lịch &sử bưu gửi…"))
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Cơ quan:")))
        top.addWidget(self.agency, 1)
        top.addWidget(self.hand_btn)
        top.addWidget(self.daily_btn)
        top.addWidget(self.history_btn)
        bottom = QHBoxLayout()
        bottom.addWidget(self.reason, 1)
        for b in (self.delivered_btn, self.failed_btn, self.returned_btn):
            bottom.addWidget(b)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        lay.addLayout(bottom)
        lay.addWidget(self.errors["reason"])
        self.hand_btn.clicked.connect(self.hand_over)
        self.daily_btn.clicked.connect(self.export_daily)
        self.history_btn.clicked.connect(
            lambda: self.history_requested.emit(self.selected_consignment())
        )
        self.delivered_btn.clicked.connect(lambda: self.deliver("delivered"))
        self.failed_btn.clicked.connect(lambda: self.deliver("failed"))
        self.returned_btn.clicked.connect(lambda: self.deliver("returned"))
        ctx_ = ctx
        worker.run(lambda: postal.agencies_list(ctx_), self._agencies)
        self.refresh()

    def reload_agencies(self) -> None:
        ctx = self.ctx
        worker.run(lambda: postal.agencies_list(ctx), self._agencies)

    def _agencies(self, items: list[postal.Agency]) -> None:
        self.agency.clear()
        for a in items:
            self.agency.addItem(f"{a.name} ({a.code})", a.code)

    def refresh(self) -> None:
        ctx = self.ctx
        worker.run(lambda: postal.items_list(ctx), self.show_items)

    def show_items(self, items: list[postal.ItemView]) -> None:
        from app.services.postal_reports import STATUS_VI

        self.table.setRowCount(len(items))
        for r, it in enumerate(items):
            values = (
                it.receipt_no,
                it.consignment_no,
                it.full_name,
                it.agency_code,
                STATUS_VI.get(it.status, it.status),
                it.batch_no,
                it.dossier_code,
            )
            for c, v in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(v))

    def hand_over(self) -> None:
        code = self.agency.currentData() or ""
        ctx = self.ctx

        def made(info: postal.BatchInfo) -> None:
            self.refresh()
            no = info.batch_no
            worker.run(
                lambda: postal.handover_pdf(ctx, no),
                lambda pdf: show_pdf(self, pdf, self.tr("Biên bản giao nhận"), f"bienban-{no}.pdf"),
            )

        worker.run(lambda: postal.hand_over(ctx, code), made, lambda e: _show_failure(self, {}, e))

    def export_daily(self) -> None:
        """Today's consignments and fees, reconciled with the records, as PDF or Excel."""
        from app.services.postal_reports import export_daily_list
        from app.ui.common import today_local

        day = today_local()
        path = dialogs().save_file(
            self,
            self.tr("Lưu bảng kê"),
            f"BuuGui_{day:%Y%m%d}.xlsx",
            self.tr("Excel (*.xlsx);;PDF (*.pdf)"),
        )
        if not path:
            return
        fmt = "pdf" if path.lower().endswith(".pdf") else "xlsx"
        ctx = self.ctx

        def write(data: Any) -> None:
            from pathlib import Path

            Path(path).write_bytes(data.data)
            dialogs().info(self, self.tr("Bảng kê"), self.tr("Đã lưu {path}").format(path=path))

        worker.run(
            lambda: export_daily_list(ctx, day, fmt), write, lambda e: _show_failure(self, {}, e)
        )

    def selected_consignment(self) -> str:
        row = self.table.currentRow()
        item = self.table.item(row, 1) if row >= 0 else None
        return item.text() if item is not None else ""

    def deliver(self, outcome: str) -> None:
        self.errors["reason"].show_error("")
        number = self.selected_consignment()
        if not number:
            return
        ctx, reason = self.ctx, self.reason.text()

        def done(_event_id: str) -> None:
            self.reason.clear()
            self.refresh()

        worker.run(
            lambda: postal.record_delivery(ctx, number, outcome, reason),
            done,
            lambda e: _show_failure(self, self.errors, e),
        )


class BatchDialog(QDialog):
    """A hand-over record opened by its barcode: scan its rows, sign it, settle each row.

    Post office → agency records are signed by the agency, which then receives, asks a
    supplement, refuses or marks each row missing; a return record (agency → post office)
    is signed by the post office. Works with no network: the rows come from the paper.

    Signals:
        changed(): something was recorded (the window refreshes its counts).
    """

    changed = Signal()
    OUTCOMES = ("received", "supplement", "refused", "missing")

    def __init__(self, ctx: DeskContext, code_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.code = parse_batch_code(code_text)
        self.code_text = self.code.text()
        self.rows: dict[int, Any] = {}
        self.info: postal.BatchInfo | None = None
        self.setWindowTitle(self.tr("Biên bản giao nhận {no}").format(no=self.code.batch_no))
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("STT"),
                self.tr("Số hiệu bưu gửi"),
                self.tr("Người nộp"),
                self.tr("Mã hồ sơ"),
                self.tr("Kết quả"),
            ]
        )
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.sign_btn = QPushButton(self.tr("Ký nhận biên bản"))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("Lý do (bổ sung, từ chối, thiếu)"))
        self.errors = {"rows": ErrorLabel(), "reason": ErrorLabel()}
        self.buttons: dict[str, QPushButton] = {
            "received": QPushButton(self.tr("Tiếp nhận (in giấy tiếp nhận)")),
            "supplement": QPushButton(self.tr("Yêu cầu bổ sung")),
            "refused": QPushButton(self.tr("Từ chối")),
            "missing": QPushButton(self.tr("Thiếu trong bao")),
        }
        self.close_btn = QPushButton(self.tr("Đóng"))
        # A supervisor's action only: hidden until the service says this officer may.
        self.resolve_btn = QPushButton(self.tr("&Giải quyết ký nhận hai lần…"))
        self.resolve_btn.setVisible(False)
        self.may_resolve = False
        lay = QVBoxLayout(self)
        lay.addWidget(self.heading)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.errors["rows"])
        row = QHBoxLayout()
        row.addWidget(self.sign_btn)
        row.addWidget(self.reason, 1)
        for b in self.buttons.values():
            row.addWidget(b)
        lay.addLayout(row)
        lay.addWidget(self.errors["reason"])
        end = QHBoxLayout()
        end.addWidget(self.resolve_btn)
        end.addStretch(1)
        end.addWidget(self.close_btn)
        lay.addLayout(end)
        self.resolve_btn.clicked.connect(self.open_resolve)
        ctx_ = ctx
        worker.run(
            lambda: setup.may(ctx_, ctx_.officer_id, "postal_resolve"),
            self._may_resolve,
            lambda _e: None,
        )
        self.sign_btn.clicked.connect(self.sign)
        for outcome, b in self.buttons.items():
            b.clicked.connect(lambda _=False, o=outcome: self.settle(o))
        self.close_btn.clicked.connect(self.accept)
        fit_to_screen(self, 1000, 640, parent)
        self.reload()

    @property
    def is_return(self) -> bool:
        if self.info is not None:
            return self.info.direction == "back"
        return any(type(r).__name__ == "ReturnRowData" for r in self.rows.values())

    def reload(self) -> None:
        ctx, no = self.ctx, self.code.batch_no
        worker.run(lambda: postal.batch(ctx, no), self.show_info)

    def show_info(self, info: postal.BatchInfo | None) -> None:
        self.info = info
        if info is not None and not self.rows:
            rows = info.return_rows() if info.direction == "back" else info.row_data()
            self.rows = {r.pos: r for r in rows}
        self.render_rows()

    def add_scan(self, text: str) -> bool:
        """A row QR scanned from the paper; False (with the reason shown) when it is not a
        row of this record."""
        try:
            row: Any = parse_return_row(text) if text.startswith(RETURN_PREFIX) else parse_row(text)
        except ValueError as exc:
            self.errors["rows"].show_error(str(exc))
            return False
        if row.batch_no != self.code.batch_no:
            self.errors["rows"].show_error(
                self.tr("Dòng này thuộc biên bản khác ({batch}).").format(batch=row.batch_no)
            )
            return False
        self.errors["rows"].show_error("")
        self.rows[row.pos] = row
        self.render_rows()
        return True

    def render_rows(self) -> None:
        signed = self.info is not None and self.info.receipts > 0
        done = {int(r["pos"]): r for r in (self.info.rows if self.info else ())}
        self.table.setRowCount(len(self.rows))
        for i, pos in enumerate(sorted(self.rows)):
            r = self.rows[pos]
            state = done.get(pos, {})
            outcome = state.get("outcome") or state.get("delivery") or ""
            code = state.get("dossier_code") or getattr(r, "dossier_code", "")
            for c, v in enumerate((str(pos), r.consignment_no, r.full_name, code, outcome)):
                self.table.setItem(i, c, QTableWidgetItem(v))
        when = local_dt(self.info.signed_at) if signed and self.info else ""
        self.heading.setText(
            self.tr("Đã quét {n}/{count} dòng.").format(n=len(self.rows), count=self.code.count)
            + (" " + self.tr("Đã ký nhận lúc {at}.").format(at=when) if signed else "")
            + (
                " " + self.tr("XUNG ĐỘT: biên bản được ký ở hai quầy.")
                if self.info and self.info.conflict
                else ""
            )
        )
        if self.info is not None and self.info.resolution:
            self.heading.setText(self.heading.text() + " " + resolution_note(self.info))
        self.sign_btn.setEnabled(not signed and len(self.rows) == self.code.count)
        for b in self.buttons.values():
            b.setEnabled(signed and not self.is_return)
        self.resolve_btn.setVisible(self.may_resolve)
        self.resolve_btn.setEnabled(bool(self.info and self.info.conflict))

    def _may_resolve(self, allowed: bool) -> None:
        self.may_resolve = bool(allowed)
        self.render_rows()

    def _resolved(self, _res: object) -> None:
        self.reload()
        self.changed.emit()

    def open_resolve(self) -> None:
        """The supervisor's choice of the signing that stands, in its own dialog."""
        dialog = ResolveDialog(self.ctx, self.code.batch_no, self)
        dialog.resolved.connect(self._resolved)
        self.resolve_dialog = dialog
        dialog.open()

    def sign(self) -> None:
        ctx, code, rows = self.ctx, self.code_text, [self.rows[p] for p in sorted(self.rows)]
        fn = postal.sign_return if self.is_return else postal.sign_batch

        def signed(info: postal.BatchInfo) -> None:
            self.info = info
            self.render_rows()
            self.changed.emit()

        worker.run(
            lambda: fn(ctx, code, rows), signed, lambda e: _show_failure(self, self.errors, e)
        )

    def selected_pos(self) -> int:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        return int(item.text()) if item is not None else 0

    def settle(self, outcome: str) -> None:
        self.errors["reason"].show_error("")
        pos = self.selected_pos()
        if not pos:
            return
        ctx, no, reason = self.ctx, self.code.batch_no, self.reason.text()
        items = () if outcome == "supplement" else None

        def done(res: postal.RowSettled) -> None:
            self.reason.clear()
            self.reload()
            self.changed.emit()
            if res.dossier_code and outcome != "missing":
                from app.ui.printing import print_document

                form = {"received": "receipt", "supplement": "supplement", "refused": "refusal"}
                print_document(self, ctx, res.dossier_code, form[outcome])

        worker.run(
            lambda: postal.settle_row(ctx, no, pos, outcome, items=items, reason=reason),
            done,
            lambda e: _show_failure(self, self.errors, e),
        )


def send_results_back(parent: QWidget, ctx: DeskContext) -> None:
    """At the agency: one return record per post office with results waiting, printed."""

    def made(records: list[postal.BatchInfo]) -> None:
        if not records:
            dialogs().info(
                parent,
                _t("Gửi kết quả qua bưu điện"),
                _t("Không có kết quả nào chờ gửi qua bưu điện."),
            )
            return
        for info in records:
            _print_record(parent, ctx, info.batch_no)

    def work() -> list[postal.BatchInfo]:
        out = []
        for office in postal.post_offices(ctx):
            if postal.results_waiting(ctx, office):
                out.append(postal.return_hand_over(ctx, office))
        return out

    worker.run(work, made, lambda e: _show_failure(parent, {}, e))


def _print_record(parent: QWidget, ctx: DeskContext, batch_no: str) -> None:
    def shown(pdf: bytes) -> None:
        show_pdf(parent, pdf, _t("Biên bản giao nhận kết quả"), f"tra-{batch_no}.pdf")

    worker.run(lambda: postal.handover_pdf(ctx, batch_no), shown)


def resolution_note(info: postal.BatchInfo) -> str:
    """What a record's resolution says, in a line: which signing stands, and when two
    supervisors chose differently, that both choices were applied and which rows reopened."""
    res = info.resolution or {}
    text = _t("Đã giải quyết: giữ lần ký của {desk} ({by}).").format(
        desk=res.get("keep_name") or short_id(str(res.get("keep_desk", ""))), by=res.get("by", "")
    )
    if res.get("disagree"):
        text += " " + _t(
            "Hai giám sát viên đã chọn khác nhau; hồ sơ trùng của cả hai lần ký đã hủy."
        )
    if res.get("reopened"):
        rows = ", ".join(str(p) for p in res["reopened"])
        text += " " + _t("Dòng {rows} cần xử lý lại.").format(rows=rows)
    return text


class ResolveDialog(QDialog):
    """A supervisor chooses which signing of a record signed at two desks stands; the
    duplicate dossiers of the other are cancelled by the service (with the reason given).
    Escape or the window's X closes it and changes nothing.

    Signals:
        resolved(object): the service's `Resolved` once recorded.
    """

    resolved = Signal(object)

    def __init__(self, ctx: DeskContext, batch_no: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.batch_no = batch_no
        self.view: postal.ConflictView | None = None
        self.setWindowTitle(self.tr("Giải quyết biên bản ký nhận hai lần {no}").format(no=batch_no))
        self.intro = QLabel(
            self.tr(
                "Biên bản này được ký nhận ở nhiều quầy. Chọn lần ký được giữ: thời điểm ký "
                "của lần đó là thời điểm nộp hồ sơ. Hồ sơ trùng do lần ký kia lập sẽ bị hủy "
                "(ghi lý do, không xóa, mã không cấp lại); dòng chỉ lần ký kia xử lý được giữ."
            )
        )
        self.intro.setWordWrap(True)
        self.choices = QListWidget()
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("Lý do (bắt buộc)"))
        self.errors = {"keep": ErrorLabel(), "reason": ErrorLabel(), "load": ErrorLabel()}
        self.ok_btn = QPushButton(self.tr("&Xác nhận giải quyết"))
        self.ok_btn.setEnabled(False)
        self.cancel_btn = QPushButton(self.tr("Đóng, không thay đổi (Esc)"))
        keep_label = QLabel(self.tr("&Lần ký được giữ:"))
        keep_label.setBuddy(self.choices)
        reason_label = QLabel(self.tr("Lý &do:"))
        reason_label.setBuddy(self.reason)
        lay = QVBoxLayout(self)
        lay.addWidget(self.intro)
        lay.addWidget(self.errors["load"])
        lay.addWidget(keep_label)
        lay.addWidget(self.choices, 1)
        lay.addWidget(self.errors["keep"])
        lay.addWidget(reason_label)
        lay.addWidget(self.reason)
        lay.addWidget(self.errors["reason"])
        end = QHBoxLayout()
        end.addStretch(1)
        end.addWidget(self.ok_btn)
        end.addWidget(self.cancel_btn)
        lay.addLayout(end)
        self.ok_btn.clicked.connect(self.confirm)
        self.cancel_btn.clicked.connect(self.reject)
        fit_to_screen(self, 760, 480, parent)
        ctx_, no = ctx, batch_no
        worker.run(lambda: postal.conflict_view(ctx_, no), self.show_view, self._load_failed)

    def _load_failed(self, exc: BaseException) -> None:
        self.errors["load"].show_error(
            exc.message if isinstance(exc, DomainError) else type(exc).__name__
        )

    def show_view(self, view: postal.ConflictView) -> None:
        self.view = view
        self.choices.clear()
        for sg in view.signings:
            made = ", ".join(
                f"{pos}: {code or outcome}" for pos, code, outcome in sg.settled
            ) or self.tr("chưa xử lý dòng nào")
            text = self.tr("{desk} – ký lúc {at} – đã xử lý: {made}").format(
                desk=sg.desk_name, at=local_dt(sg.signed_at) if sg.signed_at else "—", made=made
            )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, sg.desk_id)
            self.choices.addItem(item)
        self.ok_btn.setEnabled(view.batch.conflict)
        if not view.batch.conflict:
            self.errors["load"].show_error(
                self.tr("Biên bản không còn xung đột (đã được giải quyết).")
            )
        self.choices.setFocus()

    def confirm(self) -> None:
        for e in self.errors.values():
            e.show_error("")
        item = self.choices.currentItem()
        keep = str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else ""
        reason = self.reason.text()
        if item is not None and not dialogs().ask(
            self,
            self.windowTitle(),
            self.tr(
                "Giữ lần ký của {desk}? Hồ sơ trùng của lần ký kia sẽ bị hủy; việc này không "
                "hoàn tác được."
            ).format(desk=item.text().split(" – ")[0]),
        ):
            return
        ctx, no = self.ctx, self.batch_no
        self.ok_btn.setEnabled(False)

        def done(res: postal.Resolved) -> None:
            self.resolved.emit(res)
            dialogs().info(
                self,
                self.windowTitle(),
                self.tr("Đã giải quyết. Hồ sơ đã hủy: {codes}.").format(
                    codes=", ".join(res.cancelled) or "—"
                ),
            )
            self.accept()

        def failed(exc: BaseException) -> None:
            self.ok_btn.setEnabled(True)
            _show_failure(self, self.errors, exc)

        worker.run(
            lambda: postal.resolve_conflict(ctx, no, keep, reason, actor_id=ctx.officer_id),
            done,
            failed,
        )


class ConflictsDialog(QDialog):
    """The records of this desk's office signed twice, for a supervisor to open without the
    paper at hand (Enter or double click opens the record)."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Biên bản giao nhận ký nhận hai lần"))
        self.list = QListWidget()
        self.empty = QLabel(self.tr("Không có biên bản nào cần giải quyết."))
        self.empty.hide()
        self.open_btn = QPushButton(self.tr("&Mở biên bản"))
        self.close_btn = QPushButton(self.tr("Đóng (Esc)"))
        lay = QVBoxLayout(self)
        lay.addWidget(self.empty)
        lay.addWidget(self.list, 1)
        end = QHBoxLayout()
        end.addStretch(1)
        end.addWidget(self.open_btn)
        end.addWidget(self.close_btn)
        lay.addLayout(end)
        self.open_btn.clicked.connect(self.open_selected)
        self.list.itemActivated.connect(lambda _i: self.open_selected())
        self.close_btn.clicked.connect(self.reject)
        fit_to_screen(self, 640, 400, parent)
        self.refresh()

    def refresh(self) -> None:
        ctx = self.ctx
        worker.run(lambda: postal.conflicts(ctx), self.show_list)

    def show_list(self, items: list[postal.BatchInfo]) -> None:
        self.list.clear()
        for b in items:
            item = QListWidgetItem(
                self.tr("{no} – {name} – {count} dòng – {n} lần ký").format(
                    no=b.batch_no, name=b.from_name, count=b.count, n=b.receipts
                )
            )
            item.setData(Qt.ItemDataRole.UserRole, b.code.text())
            self.list.addItem(item)
        self.empty.setVisible(not items)
        self.open_btn.setEnabled(bool(items))
        if items:
            self.list.setCurrentRow(0)
            self.list.setFocus()

    def open_selected(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        dialog = BatchDialog(self.ctx, str(item.data(Qt.ItemDataRole.UserRole)), self)
        dialog.changed.connect(self.refresh)
        self.batch_dialog = dialog
        dialog.show()
