"""A supervisor lets intake go on past a guard rail (clock, offline limits); the service
decides who may and records it (app/services/guard.py)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import DomainError
from app.services import guard, setup
from app.services.context import DeskContext
from app.ui import worker
from app.ui.common import ErrorLabel


class OverrideDialog(QDialog):
    """The blocks in force, each a box to tick if it may be lifted; a supervisor's name,
    password and reason. `state` holds the guard state after a successful override."""

    def __init__(self, ctx: DeskContext, state: guard.GuardState, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.state: guard.GuardState | None = None
        self.setWindowTitle(self.tr("Cho phép tiếp tục tiếp nhận"))
        lay = QVBoxLayout(self)
        self.boxes: dict[str, QCheckBox] = {}
        for b in state.blocks:
            text = QLabel(b.message)
            text.setWordWrap(True)
            lay.addWidget(text)
            if b.overridable:
                box = QCheckBox(self.tr("Cho phép tiếp tục dù vậy (trong {h} giờ)").format(
                    h=guard.OVERRIDE_HOURS))
                box.setChecked(True)
                self.boxes[b.kind] = box
                lay.addWidget(box)
        if not state.blocks:
            lay.addWidget(QLabel(self.tr("Hiện không có giới hạn nào chặn việc tiếp nhận.")))
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.reason = QLineEdit()
        self.error = ErrorLabel()
        form = QFormLayout()
        form.addRow(self.tr("Giám sát viên:"), self.username)
        form.addRow(self.tr("Mật khẩu:"), self.password)
        form.addRow(self.tr("Lý do:"), self.reason)
        lay.addLayout(form)
        lay.addWidget(self.error)
        self.ok = QPushButton(self.tr("&Cho phép"))
        self.ok.setEnabled(bool(self.boxes))
        self.ok.clicked.connect(self.allow)
        cancel = QPushButton(self.tr("Huỷ"))
        cancel.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.ok)
        row.addWidget(cancel)
        lay.addLayout(row)
        self.setMinimumWidth(560)

    def allow(self) -> None:
        kinds = [k for k, box in self.boxes.items() if box.isChecked()]
        if not kinds:
            return
        if not self.reason.text().strip():
            self.error.show_error(self.tr("Ghi lý do cho phép (để lưu vết)."))
            return
        ctx, user, pw = self.ctx, self.username.text(), self.password.text()
        reason = self.reason.text()
        self.ok.setEnabled(False)

        def work() -> guard.GuardState:
            officer = setup.authenticate(ctx, user, pw)
            return guard.override(ctx, officer.id if officer else None, kinds, reason)

        def done(state: guard.GuardState) -> None:
            self.state = state
            self.accept()

        def failed(exc: BaseException) -> None:
            self.ok.setEnabled(True)
            self.password.clear()
            self.error.show_error(exc.message if isinstance(exc, DomainError) else str(exc))

        worker.run(work, done, failed)
