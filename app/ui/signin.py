"""Sign-in and the lock screen: username and password, checked off the UI thread (argon2)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services import setup
from app.services.context import DeskContext
from app.services.setup import OfficerInfo
from app.ui import worker
from app.ui.common import ErrorLabel


class SignInDialog(QDialog):
    """Ask for username and password; `officer` holds who signed in once accepted.

    With `locked_by` the dialog is the lock screen: the same officer (or an administrator)
    unlocks, and Esc does not dismiss it.

    Signals:
        signed_in(OfficerInfo)
    """

    signed_in = Signal(object)

    def __init__(
        self, ctx: DeskContext, parent: QWidget | None = None, locked_by: OfficerInfo | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.locked_by = locked_by
        self.officer: OfficerInfo | None = None
        desk = setup.desk_identity(ctx)
        self.setWindowTitle(self.tr("Màn hình đã khoá") if locked_by else self.tr("Đăng nhập"))
        title = QLabel()
        title.setTextFormat(Qt.TextFormat.RichText)
        if locked_by:
            title.setText(self.tr("<b>Màn hình đã khoá</b><br>Nhập mật khẩu để tiếp tục."))
        else:
            title.setText(
                self.tr("<b>Bộ phận tiếp nhận và trả kết quả</b><br>{desk}").format(
                    desk=f"{desk.office_name} — {desk.desk_name}" if desk else ""
                )
            )
        self.username = QLineEdit(locked_by.username if locked_by else "")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = ErrorLabel()
        self.ok = QPushButton(self.tr("Đăng &nhập") if not locked_by else self.tr("&Mở khoá"))
        self.ok.setDefault(True)
        self.ok.clicked.connect(self.try_sign_in)
        form = QFormLayout()
        form.addRow(self.tr("Tên đăng nhập:"), self.username)
        form.addRow(self.tr("Mật khẩu:"), self.password)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.ok)
        if not locked_by:
            cancel = QPushButton(self.tr("Thoát"))
            cancel.clicked.connect(self.reject)
            buttons.addWidget(cancel)
        lay = QVBoxLayout(self)
        lay.addWidget(title)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addLayout(buttons)
        (self.password if locked_by else self.username).setFocus()
        self.setMinimumWidth(420)

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if self.locked_by and event.key() == Qt.Key.Key_Escape:
            return  # the lock screen stays until someone signs in
        super().keyPressEvent(event)

    def try_sign_in(self) -> None:
        username, password = self.username.text().strip(), self.password.text()
        if not username or not password:
            self.error.show_error(self.tr("Nhập tên đăng nhập và mật khẩu."))
            return
        self.ok.setEnabled(False)
        ctx = self.ctx

        def done(officer: OfficerInfo | None) -> None:
            self.ok.setEnabled(True)
            if officer is None:
                self.error.show_error(self.tr("Tên đăng nhập hoặc mật khẩu không đúng."))
                self.password.clear()
                self.password.setFocus()
                return
            if (
                self.locked_by
                and officer.id != self.locked_by.id
                and officer.role != "administrator"
            ):
                self.error.show_error(
                    self.tr("Chỉ cán bộ đã khoá màn hình hoặc quản trị viên mới mở khoá được.")
                )
                self.password.clear()
                return
            self.officer = officer
            self.signed_in.emit(officer)
            self.accept()

        def failed(exc: BaseException) -> None:
            self.ok.setEnabled(True)
            self.error.show_error(
                self.tr("Không kiểm tra được mật khẩu: {e}").format(e=type(exc).__name__)
            )

        worker.run(lambda: setup.authenticate(ctx, username, password), done, failed)
