"""Sign-in and the lock screen: username and password, checked off the UI thread (argon2).

One form serves both: the start-up dialog, and the lock page that replaces the whole main
window while it is locked (a separate dialog could be closed with its title-bar X, and left
the dossier list visible behind it). After a password an administrator chose, the form asks
for the officer's own before letting them in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import DomainError, ValidationFailed
from app.ui import worker
from app.ui.common import ErrorLabel

if TYPE_CHECKING:
    # Not at run time: the sign-in window is the first thing a person sees, and the
    # services bring SQLAlchemy (half a second of imports) that the background start-up
    # loads while the window is already on screen (issue 10).
    from app.services.context import DeskContext
    from app.services.setup import OfficerInfo


class SignInForm(QWidget):
    """Username, password and, when required, the forced password change.

    `allowed(officer)` returns an error text when that officer may not pass (the lock
    screen: only the officer who locked it, a supervisor or an administrator).

    Signals:
        signed_in(OfficerInfo): a valid officer passed (and changed a temporary password).
    """

    signed_in = Signal(object)

    def __init__(
        self,
        ctx: DeskContext | None,
        title: str,
        button: str,
        username: str = "",
        allowed: Callable[[OfficerInfo], str | None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.allowed = allowed
        self.pending: OfficerInfo | None = None
        self.deferred = False  # Enter pressed before the database was open
        self.title = QLabel(title)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.username = QLineEdit(username)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = ErrorLabel()
        self.ok = QPushButton(button)
        self.ok.setDefault(True)
        self.ok.clicked.connect(self.try_sign_in)
        self.username.returnPressed.connect(self.try_sign_in)
        self.password.returnPressed.connect(self.try_sign_in)

        self.pages = QStackedWidget()
        login = QWidget()
        form = QFormLayout(login)
        form.addRow(self.tr("Tên đăng nhập:"), self.username)
        form.addRow(self.tr("Mật khẩu:"), self.password)
        self.pages.addWidget(login)

        change = QWidget()
        self.new_password = QLineEdit()
        self.new_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_password2 = QLineEdit()
        self.new_password2.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_password2.returnPressed.connect(self.try_change)
        self.change_error = ErrorLabel()
        self.change_btn = QPushButton(self.tr("Đổi &mật khẩu"))
        self.change_btn.clicked.connect(self.try_change)
        cform = QFormLayout(change)
        cform.addRow(
            QLabel(
                self.tr(
                    "Mật khẩu này do quản trị viên đặt. Hãy chọn mật khẩu của riêng bạn "
                    "(ít nhất 8 ký tự) trước khi làm việc."
                )
            )
        )
        cform.addRow(self.tr("Mật khẩu mới:"), self.new_password)
        cform.addRow(self.tr("Nhập lại mật khẩu mới:"), self.new_password2)
        cform.addRow(self.change_error)
        cform.addRow(self.change_btn)
        self.pages.addWidget(change)

        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.ok)
        lay = QVBoxLayout(self)
        lay.addWidget(self.title)
        lay.addWidget(self.pages)
        lay.addWidget(self.error)
        lay.addLayout(self.buttons)

    def reset(self) -> None:
        self.pages.setCurrentIndex(0)
        self.pending = None
        self.password.clear()
        self.new_password.clear()
        self.new_password2.clear()
        self.error.show_error("")
        self.change_error.show_error("")
        self.ok.setVisible(True)
        self.ok.setEnabled(True)

    def try_sign_in(self) -> None:
        if self.ctx is None and self.pages.currentIndex() == 0:
            self.deferred = True
            return
        if not self.ok.isEnabled() or self.pages.currentIndex() != 0:
            return
        username, password = self.username.text().strip(), self.password.text()
        if not username or not password:
            self.error.show_error(self.tr("Nhập tên đăng nhập và mật khẩu."))
            return
        ctx = self.ctx
        assert ctx is not None
        self.ok.setEnabled(False)
        from app.services import setup

        def done(officer: OfficerInfo | None) -> None:
            self.ok.setEnabled(True)
            if officer is None:
                self.error.show_error(self.tr("Tên đăng nhập hoặc mật khẩu không đúng."))
                self.password.clear()
                self.password.setFocus()
                return
            refusal = self.allowed(officer) if self.allowed else None
            if refusal:
                self.error.show_error(refusal)
                self.password.clear()
                return
            self.error.show_error("")
            if officer.must_change_password:
                self.pending = officer
                self.pages.setCurrentIndex(1)
                self.ok.setVisible(False)
                self.new_password.setFocus()
                return
            self.password.clear()
            self.signed_in.emit(officer)

        def failed(exc: BaseException) -> None:
            self.ok.setEnabled(True)
            self.password.clear()
            if isinstance(exc, DomainError):
                self.error.show_error(exc.message)
                return
            self.error.show_error(
                self.tr("Không kiểm tra được mật khẩu: {e}").format(e=type(exc).__name__)
            )

        worker.run(lambda: setup.authenticate(ctx, username, password), done, failed)

    def try_change(self) -> None:
        officer = self.pending
        if officer is None or not self.change_btn.isEnabled():
            return
        new, again = self.new_password.text(), self.new_password2.text()
        if new != again:
            self.change_error.show_error(self.tr("Hai lần nhập mật khẩu mới không khớp."))
            return
        old = self.password.text()
        self.change_btn.setEnabled(False)
        ctx = self.ctx
        assert ctx is not None
        from app.services import setup

        def done(updated: OfficerInfo) -> None:
            self.change_btn.setEnabled(True)
            self.reset()
            self.signed_in.emit(updated)

        def failed(exc: BaseException) -> None:
            self.change_btn.setEnabled(True)
            if isinstance(exc, ValidationFailed):
                self.change_error.show_error("\n".join(e.message for e in exc.errors))
            elif isinstance(exc, DomainError):
                self.change_error.show_error(exc.message)
            else:
                self.change_error.show_error(type(exc).__name__)

        worker.run(lambda: setup.change_password(ctx, officer.id, old, new), done, failed)


class SignInDialog(QDialog):
    """Ask for username and password at start; `officer` holds who signed in once accepted.

    Signals:
        signed_in(OfficerInfo)
    """

    signed_in = Signal(object)

    def __init__(self, ctx: DeskContext | None, parent: QWidget | None = None) -> None:
        """With `ctx` None the window shows at once and `set_context` completes it when
        the database is open (start-up opens it in the background)."""
        super().__init__(parent)
        self.ctx = ctx
        self.officer: OfficerInfo | None = None
        self.setWindowTitle(self.tr("Đăng nhập"))
        self.form = SignInForm(ctx, "", self.tr("Đăng &nhập"), parent=self)
        self.username, self.password = self.form.username, self.form.password
        self.error, self.ok = self.form.error, self.form.ok
        cancel = QPushButton(self.tr("Thoát"))
        cancel.clicked.connect(self.reject)
        self.form.buttons.addWidget(cancel)
        self.form.signed_in.connect(self._passed)
        lay = QVBoxLayout(self)
        lay.addWidget(self.form)
        self.username.setFocus()
        self.setMinimumWidth(420)
        if ctx is not None:
            # Signing in works at once; the desk's name for the title comes from the pool.
            from app.services import setup

            self._title("")
            worker.run(
                lambda: setup.desk_identity(ctx),
                lambda desk: self.set_context(ctx, desk),
                lambda exc: None,
            )
        else:
            self._title(self.tr("Đang mở dữ liệu…"))
            self.ok.setEnabled(False)

    def _title(self, desk_line: str) -> None:
        self.form.title.setText(
            self.tr("<b>Bộ phận tiếp nhận và trả kết quả</b><br>{desk}").format(desk=desk_line)
        )

    def set_context(self, ctx: DeskContext, desk: object | None) -> None:
        """The database is open: name the desk and let the officer sign in."""
        self.ctx = self.form.ctx = ctx
        office, name = getattr(desk, "office_name", ""), getattr(desk, "desk_name", "")
        self._title(f"{office} — {name}" if desk is not None else "")
        self.ok.setEnabled(True)
        if self.form.deferred:
            self.form.deferred = False
            self.form.try_sign_in()  # Enter was pressed while the database was opening

    def try_sign_in(self) -> None:
        self.form.try_sign_in()

    def _passed(self, officer: OfficerInfo) -> None:
        self.officer = officer
        self.signed_in.emit(officer)
        self.accept()


class LockScreen(QWidget):
    """The page that stands in for the whole main window while it is locked.

    It holds no citizen data, and nothing but a password gets past it: Esc does nothing,
    and the window refuses to close while it shows.

    Signals:
        unlocked(OfficerInfo)
    """

    unlocked = Signal(object)

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.locked_by: OfficerInfo | None = None
        self.form = SignInForm(
            ctx,
            self.tr("<h2>Màn hình đã khoá</h2>Nhập mật khẩu để tiếp tục."),
            self.tr("&Mở khoá"),
            allowed=self._may_unlock,
            parent=self,
        )
        self.username, self.password = self.form.username, self.form.password
        self.error, self.ok = self.form.error, self.form.ok
        self.form.signed_in.connect(self.unlocked.emit)
        self.form.setFixedWidth(520)
        lay = QVBoxLayout(self)
        lay.addWidget(self.form, 0, Qt.AlignmentFlag.AlignCenter)

    def start(self, officer: OfficerInfo) -> None:
        self.locked_by = officer
        self.form.reset()
        self.username.setText(officer.username)
        self.password.setFocus()

    def _may_unlock(self, officer: OfficerInfo) -> str | None:
        if self.locked_by is None or officer.id == self.locked_by.id:
            return None
        if officer.role in ("supervisor", "administrator"):
            return None
        return self.tr(
            "Chỉ cán bộ đã khoá màn hình, giám sát viên hoặc quản trị viên mới mở khoá được."
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            event.accept()  # the lock stays until someone signs in
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        event.ignore()
