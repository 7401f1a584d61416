"""One dossier: applicant, procedure (with the catalogue version it was received under),
components, appointment, the whole event history, and the actions its state allows.

Actions that need an input (reason, consignment number, new date, rating) open a small
inline form below the buttons, so the whole flow stays on the keyboard and no modal dialog
blocks. Every action runs on the worker pool and the view reloads from the services.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.catalogue import Procedure
from app.domain.errors import DomainError, ValidationFailed
from app.domain.lifecycle import overdue_days
from app.domain.text import short_id
from app.services import actions, catalogue_service, intake
from app.services.actions import DossierDetail, EventView
from app.services.context import DeskContext
from app.services.setup import DeskIdentity
from app.ui import worker
from app.ui.common import (
    ErrorLabel,
    fit_to_screen,
    local_date,
    local_dt,
    today_local,
)
from app.ui.intake import ComponentRow, kind_label, localized

_Index = QModelIndex | QPersistentModelIndex

SYNC_LABELS = {
    "local": QT_TRANSLATE_NOOP("DossierView", "chưa gửi"),
    "queued": QT_TRANSLATE_NOOP("DossierView", "chờ gửi"),
    "sent": QT_TRANSLATE_NOOP("DossierView", "đã gửi"),
    "accepted": QT_TRANSLATE_NOOP("DossierView", "đã nhận"),
    "rejected": QT_TRANSLATE_NOOP("DossierView", "bị từ chối"),
    "set_aside": QT_TRANSLATE_NOOP("DossierView", "đã gác lại"),
}

#: Action → (button text, needs: "" | "reason" | "consignment" | "reschedule" | "feedback" |
#: "supplement" | "items").
ACTIONS: dict[str, tuple[Any, str]] = {  # QT_TRANSLATE_NOOP is typed as object
    "transferred": (QT_TRANSLATE_NOOP("DossierView", "Chuyển xử lý"), ""),
    "result_ready": (QT_TRANSLATE_NOOP("DossierView", "Đã có kết quả"), ""),
    "returned": (QT_TRANSLATE_NOOP("DossierView", "Trả kết quả tại quầy"), "receiver"),
    "posted": (QT_TRANSLATE_NOOP("DossierView", "Trả qua bưu chính"), "consignment"),
    "supplement_requested": (QT_TRANSLATE_NOOP("DossierView", "Yêu cầu bổ sung"), "supplement"),
    "supplement_received": (QT_TRANSLATE_NOOP("DossierView", "Nhận hồ sơ bổ sung"), "items"),
    "refused": (QT_TRANSLATE_NOOP("DossierView", "Từ chối"), "reason"),
    "appointment_changed": (QT_TRANSLATE_NOOP("DossierView", "Hẹn lại ngày trả"), "reschedule"),
    "cancelled": (QT_TRANSLATE_NOOP("DossierView", "Huỷ hồ sơ"), "reason"),
    # The applicant withdraws: form 05 of Circular 03/2025 prints after the reason is saved.
    "stopped": (QT_TRANSLATE_NOOP("DossierView", "Dừng giải quyết (rút hồ sơ)"), "reason"),
    "feedback_given": (QT_TRANSLATE_NOOP("DossierView", "Ghi đánh giá hài lòng"), "feedback"),
}
FEEDBACK_INDICES = {
    "1": QT_TRANSLATE_NOOP("DossierView", "Tiếp cận dịch vụ"),
    "3": QT_TRANSLATE_NOOP("DossierView", "Thời gian giải quyết"),
    "4": QT_TRANSLATE_NOOP("DossierView", "Thái độ, năng lực cán bộ"),
    "7": QT_TRANSLATE_NOOP("DossierView", "Tiếp nhận, xử lý góp ý"),
}


class EventsModel(QAbstractTableModel):
    """The dossier's history: when, what, who, which desk, sync state."""

    def __init__(self, events: list[EventView] | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.events = events or []
        #: desk id → name for the desks this machine knows (its own); others show a short id.
        self.desk_names: dict[str, str] = {}

    def set_events(self, events: list[EventView]) -> None:
        self.beginResetModel()
        self.events = events
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.events)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 5

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < 5
        ):
            return (
                QCoreApplication.translate("DossierView", "Thời điểm"),
                QCoreApplication.translate("DossierView", "Sự kiện"),
                QCoreApplication.translate("DossierView", "Cán bộ"),
                QCoreApplication.translate("DossierView", "Quầy"),
                QCoreApplication.translate("DossierView", "Đồng bộ"),
            )[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        e = self.events[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            sync = QCoreApplication.translate(
                "DossierView", str(SYNC_LABELS.get(e.sync_state, e.sync_state)))
            if e.reject_reason:
                sync += f": {e.reject_reason}"
            detail = e.label
            reason = (
                (e.payload.get("reason") or e.payload.get("receiver"))
                if isinstance(e.payload, dict)
                else None
            )
            if reason:
                detail += f" — {reason}"
            desk = e.desk_name or self.desk_names.get(e.desk_id) or short_id(e.desk_id)
            return (local_dt(e.occurred_at), detail, e.officer or "—", desk, sync)[
                index.column()
            ]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 3:
            return e.desk_id
        return None


@dataclass(frozen=True)
class _Loaded:
    """Everything the view shows, read in one go on the worker pool."""

    detail: DossierDetail
    desk: DeskIdentity | None
    procedure: Procedure | None
    next_working_day: date


def _load(ctx: DeskContext, ref: str) -> _Loaded:
    """Runs on the worker pool: the dossier, this desk's name (the history names desks), the
    procedure's components (for a supplement) and the working day after the due date."""
    from app.services.setup import desk_identity
    from app.services.ui_support import nth_working_day

    detail = actions.get_detail(ctx, ref)
    try:
        proc: Procedure | None = catalogue_service.get_procedure(ctx, detail.procedure_code)
    except DomainError:  # a procedure no longer in the catalogue: no supplement rows
        proc = None
    return _Loaded(
        detail,
        desk_identity(ctx),
        proc,
        nth_working_day(ctx, detail.due_date or date.today(), 1),
    )


class DossierView(QDialog):
    """Signals: changed(): an action was recorded (lists and the status bar refresh);
    loaded(): the dossier read on the worker pool is on screen."""

    changed = Signal()
    loaded = Signal()

    def __init__(
        self, ctx: DeskContext, dossier_id: str, parent: QWidget | None = None, settings: Any = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.dossier_id = dossier_id
        self.settings = settings
        self.detail: DossierDetail | None = None
        self.pending: str | None = None
        self.setWindowTitle(self.tr("Hồ sơ"))
        self.header = QLabel()
        self.header.setObjectName("header")
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setWordWrap(True)
        self.applicant = QLabel()
        self.applicant.setWordWrap(True)
        self.applicant.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.components = QLabel()
        self.components.setWordWrap(True)
        self.events = EventsModel(parent=self)
        # What the inline forms need beyond the detail (the procedure's components for a
        # supplement, the next working day for a new date) arrives with it from the pool.
        self.procedure: Procedure | None = None
        self.next_working_day: date | None = None
        self.history = QTableView()
        self.history.setModel(self.events)
        self.history.verticalHeader().hide()
        self.history.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.history.setColumnWidth(0, 130)
        self.history.setColumnWidth(2, 160)

        self.action_row = QHBoxLayout()
        self.action_buttons: dict[str, QPushButton] = {}
        for i, (etype, (text, _)) in enumerate(ACTIONS.items()):
            b = QPushButton(self.tr(text))
            b.setObjectName(etype)
            b.clicked.connect(lambda _=False, e=etype: self.start_action(e))
            b.setToolTip(f"Alt+{i + 1}" if i < 9 else "")
            if i < 9:
                QShortcut(
                    QKeySequence(f"Alt+{i + 1}"), self, lambda e=etype: self.start_action(e)
                )
            b.hide()  # until the dossier arrives and says which actions its state allows
            self.action_buttons[etype] = b
            self.action_row.addWidget(b)
        self.action_row.addStretch(1)
        self.print_btn = QPushButton(self.tr("In lại phiếu (Ctrl+P)"))
        self.print_btn.clicked.connect(self.print_receipt)
        self.control_btn = QPushButton(self.tr("Phiếu kiểm soát"))
        self.control_btn.clicked.connect(lambda: self._print("control"))
        # Any form reprinted, A5 or the 80 mm thermal slip (the reprint is marked a copy).
        from PySide6.QtWidgets import QMenu

        from app.ui.printing import FORM_TITLES

        self.forms_btn = QPushButton(self.tr("In mẫu khác…"))
        self.forms_menu = QMenu(self.forms_btn)
        for form, title in FORM_TITLES.items():
            act = self.forms_menu.addAction(QCoreApplication.translate("Printing", str(title)))
            act.setData(form)
            act.triggered.connect(lambda _=False, f=form: self._print(f))
        self.forms_btn.setMenu(self.forms_menu)

        # Inline action form.
        self.form_box = QGroupBox()
        self.form = QFormLayout(self.form_box)
        self.reason = QLineEdit()
        self.reason.setObjectName("actionReason")
        # Who collects the result (issue 10): prefilled with the applicant, changed when
        # someone collects on their behalf with an authorisation.
        self.receiver_name = QLineEdit()
        self.receiver_name.setObjectName("receiverName")
        self.receiver_id = QLineEdit()
        self.receiver_id.setObjectName("receiverId")
        self.authorisation = QLineEdit()
        self.authorisation.setObjectName("authorisation")
        self.authorisation.setPlaceholderText(
            self.tr("Để trống nếu chính người nộp nhận; số, ngày giấy ủy quyền nếu nhận thay")
        )
        self.consignment = QLineEdit()
        self.consignment.setObjectName("consignment")
        self.new_date = QDateEdit()
        self.new_date.setDisplayFormat("dd/MM/yyyy")
        self.new_date.setCalendarPopup(True)
        self.scores: dict[str, QComboBox] = {}
        self.form_error = ErrorLabel()
        self.confirm = QPushButton(self.tr("&Xác nhận"))
        self.confirm.setDefault(True)
        self.confirm.clicked.connect(self.confirm_action)
        self.cancel_form = QPushButton(self.tr("&Bỏ qua"))
        self.cancel_form.clicked.connect(self.hide_form)
        self.items_box = QWidget()
        self.items_grid = QGridLayout(self.items_box)
        self.item_rows: list[ComponentRow] = []
        self.form_box.hide()

        # Digitised components (issue 16): their own window, app/ui/capture.py.
        from app.domain.messages import tr as message

        self.digitised_btn = QPushButton(message("panel.title") + "…")
        self.digitised_btn.setObjectName("digitised")
        self.digitised_btn.clicked.connect(self.open_digitised)
        self.digitised: QDialog | None = None

        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        top.addWidget(self.digitised_btn)
        top.addWidget(self.print_btn)
        top.addWidget(self.control_btn)
        top.addWidget(self.forms_btn)
        info = QHBoxLayout()
        ab = QGroupBox(self.tr("Người nộp"))
        QVBoxLayout(ab).addWidget(self.applicant)
        cb = QGroupBox(self.tr("Thành phần đã nhận"))
        QVBoxLayout(cb).addWidget(self.components)
        info.addWidget(ab, 1)
        info.addWidget(cb, 1)
        hb = QGroupBox(self.tr("Lịch sử xử lý"))
        QVBoxLayout(hb).addWidget(self.history)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addLayout(info)
        lay.addWidget(hb, 1)
        lay.addLayout(self.action_row)
        lay.addWidget(self.form_box)
        self.status_note = ErrorLabel()
        lay.addWidget(self.status_note)
        fit_to_screen(self, 1100, 720, parent)
        self.reload()

    # -- loading -----------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the dossier on the worker pool and show it when it arrives (`loaded`)."""
        ctx, ref = self.ctx, self.dossier_id

        def done(view: _Loaded) -> None:
            me = view.desk
            if me is not None:
                self.events.desk_names[me.desk_id] = me.desk_name
            self.procedure = view.procedure
            self.next_working_day = view.next_working_day
            self.show_detail(view.detail)
            self.loaded.emit()

        def failed(exc: BaseException) -> None:
            self.header.setText(str(exc) if isinstance(exc, DomainError) else type(exc).__name__)

        worker.run(lambda: _load(ctx, ref), done, failed)

    def _overdue_text(self, d: DossierDetail) -> str:
        days = overdue_days(d.status, d.due_date, today_local())
        if not days:
            return ""
        return (
            " <span style='color:#b00020'><b>"
            + self.tr("Quá hạn {n} ngày").format(n=days)
            + "</b></span>"
        )

    def show_detail(self, d: DossierDetail) -> None:
        self.detail = d
        self.dossier_id = d.id
        self.setWindowTitle(self.tr("Hồ sơ {code}").format(code=d.code))
        due = local_date(d.due_date)
        if d.rescheduled and d.original_due_date:
            due += " " + self.tr("(hẹn lại; hẹn ban đầu {d})").format(
                d=local_date(d.original_due_date)
            )
        conflict = (
            (
                "<br><span style='color:#b00020'>"
                + self.tr("⚠ Có sự kiện mâu thuẫn: cần giám sát viên xem xét.")
                + "</span>"
            )
            if d.conflict
            else ""
        )
        self.header.setText(
            self.tr(
                "<span style='font-size:14pt'><b>{code}</b></span> — <b>{status}</b><br>"
                "{proc_code} — {proc}<br>Danh mục phiên bản {ver} · Nhận lúc {received} · "
                "Hẹn trả: <b>{due}</b>"
            ).format(
                code=d.code,
                status=d.status_label,
                proc_code=d.procedure_code,
                proc=localized(d.procedure_name, d.procedure_name_en),
                ver=d.catalogue_version,
                received=local_dt(d.received_at),
                due=due,
            )
            + self._overdue_text(d)
            + conflict
        )
        a = d.applicant
        sex = {"M": self.tr("Nam"), "F": self.tr("Nữ")}.get(a.get("sex") or "", "—")
        dob = a.get("date_of_birth")
        lines = [
            f"<b>{a.get('full_name') or ''}</b>",
            self.tr("Số định danh: {v}").format(v=a.get("id_number") or "—"),
            self.tr("Mã số BHXH: {v}").format(v=a.get("social_insurance_no") or "—"),
            self.tr("Ngày sinh: {v} · Giới tính: {s}").format(
                v=local_date(dob) if isinstance(dob, date) else (dob or "—"), s=sex
            ),
            self.tr("Điện thoại: {v}").format(v=a.get("phone") or "—"),
            self.tr("Địa chỉ: {v}").format(v=a.get("address") or "—"),
            self.tr("Trả kết quả: {v}").format(
                v={
                    "desk": self.tr("tại quầy"),
                    "post": self.tr("qua bưu chính"),
                    "online": self.tr("trực tuyến"),
                }.get(d.return_method, d.return_method)
            )
            + (f" — {d.consignment_no}" if d.consignment_no else ""),
        ]
        self.applicant.setText("<br>".join(lines))
        self.components.setText(
            "<br>".join(
                f"• {localized(c.name_vi, c.name_en)}"
                f"{' (' + c.form_code + ')' if c.form_code else ''}: "
                f"{kind_label(c.copy_kind)}, {c.quantity}"
                for c in d.components
            )
            or self.tr("(không có)")
        )
        self.events.set_events(d.events)
        for etype, b in self.action_buttons.items():
            b.setVisible(etype in d.actions)
        self.control_btn.setEnabled(True)

    # -- actions -----------------------------------------------------------------------------

    def hide_form(self) -> None:
        self.pending = None
        self.form_box.hide()

    def _clear_form(self) -> None:
        while self.form.rowCount():
            self.form.takeRow(0)
        # takeRow leaves the widgets parented to form_box; hide them until re-added
        for w in (
            self.reason,
            self.consignment,
            self.receiver_name,
            self.receiver_id,
            self.authorisation,
            self.new_date,
            self.items_box,
            *self.scores.values(),
        ):
            w.hide()

    def _show_deadline_warning(self, etype: str) -> None:
        """Decree 61 Art. 19(4)/(9): say before confirming that a deadline has passed."""
        look = {
            "supplement_requested": actions.supplement_warning,
            "appointment_changed": actions.reschedule_warning,
        }.get(etype)
        if look is None:
            return
        ctx, ref = self.ctx, self.dossier_id

        def done(message: str | None) -> None:
            if message and self.pending == etype and self.form_box.isVisible():
                self.form_error.show_error(message)

        worker.run(lambda: look(ctx, ref), done, lambda _exc: None)

    def start_action(self, etype: str) -> None:
        if self.detail is None or etype not in self.detail.actions:
            return
        needs = ACTIONS[etype][1]
        if not needs:
            self.run_action(etype)
            return
        self.pending = etype
        self._clear_form()
        self.form_box.setTitle(self.tr(ACTIONS[etype][0]))
        self.form_error.show_error("")
        self._show_deadline_warning(etype)
        first: QWidget
        if needs in ("reason", "supplement"):
            self.reason.clear()
            self.form.addRow(self.tr("Lý do:"), self.reason)
            self.reason.show()
            first = self.reason
        elif needs == "consignment":
            self.consignment.clear()
            self.form.addRow(self.tr("Số vận đơn bưu chính:"), self.consignment)
            self.consignment.show()
            first = self.consignment
        elif needs == "receiver":
            a = self.detail.applicant
            self.receiver_name.setText(a.get("full_name") or "")
            self.receiver_id.setText(a.get("id_number") or "")
            self.authorisation.clear()
            self.form.addRow(self.tr("Người nhận kết quả:"), self.receiver_name)
            self.form.addRow(self.tr("Số định danh người nhận:"), self.receiver_id)
            self.form.addRow(self.tr("Giấy ủy quyền:"), self.authorisation)
            for w in (self.receiver_name, self.receiver_id, self.authorisation):
                w.show()
            first = self.receiver_name
        elif needs == "reschedule":
            base = self.next_working_day or (self.detail.due_date or date.today())
            self.new_date.setDate(QDate(base.year, base.month, base.day))
            self.form.addRow(self.tr("Ngày hẹn mới:"), self.new_date)
            self.reason.clear()
            self.form.addRow(self.tr("Lý do:"), self.reason)
            self.new_date.show()
            self.reason.show()
            first = self.new_date
        elif needs == "feedback":
            first = self._feedback_rows()
        else:
            first = self._item_rows()
        buttons = QHBoxLayout()
        buttons.addWidget(self.confirm)
        buttons.addWidget(self.cancel_form)
        buttons.addStretch(1)
        self.form.addRow(self.form_error)
        self.form.addRow(buttons)
        self.form_box.show()
        first.setFocus()

    def _feedback_rows(self) -> QWidget:
        if not self.scores:
            for k in FEEDBACK_INDICES:
                combo = QComboBox()
                combo.setObjectName(f"index_{k}")
                for value, label in (
                    (2, self.tr("2 — Hài lòng")),
                    (1, self.tr("1 — Bình thường")),
                    (0, self.tr("0 — Không hài lòng")),
                ):
                    combo.addItem(label, value)
                self.scores[k] = combo
        for k, name in FEEDBACK_INDICES.items():
            self.form.addRow(
                self.tr("Chỉ số {k}: {name}").format(k=k, name=self.tr(str(name))), self.scores[k]
            )
            self.scores[k].show()
        self.form.addRow(QLabel(self.tr("Đánh giá được lưu ẩn danh (không ghi người đánh giá).")))
        return self.scores["1"]

    def _item_rows(self) -> QWidget:
        assert self.detail is not None
        while self.items_grid.count():
            item = self.items_grid.takeAt(0)
            w = item.widget() if item is not None else None
            if w is not None:
                w.deleteLater()
        self.item_rows = []
        r = 0
        for comp in self.procedure.components if self.procedure is not None else ():
            row = ComponentRow(comp, self.items_grid, r, self.items_box)
            row.count.setValue(
                0
                if any(c.component_code == comp.code for c in self.detail.components)
                else comp.quantity
            )
            self.item_rows.append(row)
            r += 2 if comp.conditional and comp.condition_vi else 1
        self.form.addRow(self.items_box)
        self.items_box.show()
        return self.item_rows[0].frame if self.item_rows else self.confirm

    def confirm_action(self) -> None:
        if self.pending is None:
            return
        self.run_action(self.pending)

    def keyPressEvent(self, event: Any) -> None:
        if event.key() == Qt.Key.Key_Escape and self.form_box.isVisible():
            self.hide_form()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.form_box.isVisible():
            self.confirm_action()
            return
        super().keyPressEvent(event)

    def _call(self, etype: str) -> Any:
        """The service call for `etype` with the inline form's values, as a closure."""
        ctx, ref = self.ctx, self.dossier_id
        reason = self.reason.text().strip()
        if etype == "transferred":
            return lambda: actions.transfer(ctx, ref)
        if etype == "result_ready":
            return lambda: actions.result_ready(ctx, ref)
        if etype == "returned":
            name, idn = self.receiver_name.text(), self.receiver_id.text()
            auth = self.authorisation.text()
            return lambda: actions.return_to(ctx, ref, name, idn, auth)
        if etype == "posted":
            number = self.consignment.text().strip()
            return lambda: actions.return_by_post(ctx, ref, number)
        if etype == "supplement_requested":
            return lambda: actions.request_supplement(ctx, ref, reason, [])
        if etype == "refused":
            return lambda: actions.refuse(ctx, ref, reason)
        if etype == "cancelled":
            return lambda: actions.cancel(ctx, ref, reason)
        if etype == "stopped":
            return lambda: actions.stop(ctx, ref, reason)
        if etype == "appointment_changed":
            new = cast(date, self.new_date.date().toPython())
            return lambda: actions.reschedule(ctx, ref, new, reason)
        if etype == "feedback_given":
            scores = {k: int(c.currentData()) for k, c in self.scores.items()}
            return lambda: actions.record_feedback(ctx, ref, scores)
        if etype == "supplement_received":
            items = tuple(h for h in (r.handed_in() for r in self.item_rows) if h is not None)
            conds = {
                r.comp.code: bool(r.applies.currentData())
                for r in self.item_rows
                if r.applies is not None and r.applies.currentData() is not None
            }
            return lambda: intake.receive_supplement(ctx, ref, items, conds)
        raise KeyError(etype)

    def run_action(self, etype: str) -> None:
        needs = ACTIONS[etype][1]
        self.form_error.show_error("")
        if needs in ("reason", "supplement", "reschedule") and not self.reason.text().strip():
            self.form_error.show_error(self.tr("Cần ghi rõ lý do."))
            self.reason.setFocus()
            return
        if needs == "consignment" and not self.consignment.text().strip():
            self.form_error.show_error(self.tr("Cần nhập số vận đơn."))
            self.consignment.setFocus()
            return
        for b in self.action_buttons.values():
            b.setEnabled(False)
        self.confirm.setEnabled(False)

        def done(_: Any) -> None:
            self._enable()
            self.hide_form()
            self.status_note.show_error("")
            self.reload()
            self.changed.emit()
            follow = {
                "appointment_changed": "apology",
                "stopped": "stop",
                "supplement_requested": "supplement",
                "supplement_received": "receipt",  # a new receipt with the new date
                "refused": "refusal",
            }.get(etype)
            if follow:
                self._print(follow)

        def failed(exc: BaseException) -> None:
            self._enable()
            if isinstance(exc, ValidationFailed):
                msg = "\n".join(e.message for e in exc.errors)
            elif isinstance(exc, DomainError):
                msg = str(getattr(exc, "message", exc))
            else:
                msg = self.tr("Lỗi không mong đợi: {e}").format(e=type(exc).__name__)
            if self.form_box.isVisible():
                self.form_error.show_error(msg)
            else:
                self.status_note.show_error(msg)

        worker.run(self._call(etype), done, failed)

    def _enable(self) -> None:
        for b in self.action_buttons.values():
            b.setEnabled(True)
        self.confirm.setEnabled(True)

    def open_digitised(self) -> None:
        """The components' files and sync state; fetches what this desk lacks (issue 16)."""
        from app.ui.capture import DigitisedPanel

        if self.detail is None:
            return
        comps = [(c.component_code, c.name_vi) for c in self.detail.components]
        self.digitised = DigitisedPanel(self.ctx, self.detail.id, comps, self)
        self.digitised.show()

    def print_receipt(self) -> None:
        if self.detail is None:
            return
        form = {"supplement_requested": "supplement", "refused": "refusal"}.get(
            self.detail.status, "receipt"
        )
        self._print(form)

    def _print(self, form: str, copy: bool | None = None) -> None:
        from app.ui.printing import print_document

        print_document(self, self.ctx, self.dossier_id, form, self.settings, copy=copy)
