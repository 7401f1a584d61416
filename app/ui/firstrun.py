"""First run: pair with a central service or work stand-alone, then the first administrator.

Shown when the desk database has no desk identity or no officer yet (issue 6 item 4). It
ends by saying where the data and the logs live, so IT can find them later.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import DomainError, ValidationFailed
from app.domain.office import OfficeProfile, validate_profile
from app.services import office_profile, setup
from app.services.context import DeskContext
from app.services.provisioning import Provisioning, consume_provisioning, read_provisioning
from app.ui import worker
from app.ui.common import ErrorLabel
from app.ui.office_profile import OfficeProfileForm


class FirstRunDialog(QDialog):
    """Pages: 0 mode, 1 desk (stand-alone), 2 office profile, 3 first administrator,
    4 where things live. The profile (header, place, hotline, return hour) is asked in both
    modes, so the first receipt prints no blank.

    Signals:
        finished_setup: the desk is set up and has its administrator.
    """

    finished_setup = Signal()

    PAGE_MODE, PAGE_DESK, PAGE_PROFILE, PAGE_ADMIN, PAGE_DONE = range(5)

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Thiết lập quầy lần đầu"))
        self.setMinimumWidth(560)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._mode_page())
        self.pages.addWidget(self._desk_page())
        self.pages.addWidget(self._profile_page())
        self.pages.addWidget(self._admin_page())
        self.pages.addWidget(self._done_page())
        self.back_btn = QPushButton(self.tr("Quay lại"))
        self.next_btn = QPushButton(self.tr("Tiếp tục"))
        self.next_btn.setDefault(True)
        self.back_btn.clicked.connect(self._back)
        self.next_btn.clicked.connect(self._next)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.back_btn)
        buttons.addWidget(self.next_btn)
        lay = QVBoxLayout(self)
        lay.addWidget(self.pages)
        lay.addLayout(buttons)
        # Where to start (a desk half set up resumes), the stored profile and the
        # installer's provisioning file are read on the worker pool; Next waits for them.
        self.busy = False
        self._step(lambda: _initial(ctx), self._initial_read)

    # -- pages -------------------------------------------------------------------------------

    def _mode_page(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        lay.addWidget(
            QLabel(self.tr("<b>Chào mừng.</b> Máy này chưa có dữ liệu. Chọn cách quầy làm việc:"))
        )
        self.standalone = QRadioButton(self.tr("&Làm việc độc lập (không có máy chủ trung tâm)"))
        self.paired = QRadioButton(self.tr("&Kết nối với máy chủ trung tâm"))
        self.standalone.setChecked(True)
        group = QButtonGroup(w)
        group.addButton(self.standalone)
        group.addButton(self.paired)
        lay.addWidget(self.standalone)
        lay.addWidget(self.paired)
        form = QFormLayout()
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://motcua.example.gov.vn")
        self.token = QLineEdit()
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("Địa chỉ máy chủ:"), self.url)
        form.addRow(self.tr("Mã quầy (token):"), self.token)
        lay.addLayout(form)
        self.pair_error = ErrorLabel()
        lay.addWidget(self.pair_error)
        lay.addStretch(1)

        def toggle() -> None:
            self.url.setEnabled(self.paired.isChecked())
            self.token.setEnabled(self.paired.isChecked())

        self.paired.toggled.connect(toggle)
        toggle()
        return w

    def _desk_page(self) -> QWidget:
        w = QWidget()
        form = QFormLayout(w)
        form.addRow(QLabel(self.tr("<b>Thông tin quầy</b>")))
        self.office_code = QLineEdit()
        self.office_code.setPlaceholderText("000.00.31.H56")
        self.office_name = QLineEdit()
        self.desk_name = QLineEdit(self.tr("Quầy 1"))
        self.slot = QSpinBox()
        self.slot.setRange(1, 20)
        self.desk_errors: dict[str, ErrorLabel] = {}
        for field, label, widget in (
            ("office_code", self.tr("Mã đơn vị:"), self.office_code),
            ("office_name", self.tr("Tên đơn vị:"), self.office_name),
            ("desk_name", self.tr("Tên quầy:"), self.desk_name),
            ("slot", self.tr("Số quầy:"), self.slot),
        ):
            form.addRow(label, widget)
            err = ErrorLabel()
            form.addRow("", err)
            self.desk_errors[field] = err
        return w

    def _profile_page(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        lay.addWidget(
            QLabel(
                self.tr(
                    "<b>Thông tin đơn vị in trên phiếu</b><br>Tiêu đề, địa danh, đường dây "
                    "nóng và giờ trả kết quả in trên mọi phiếu giao cho người dân. Không "
                    "ghi cấp huyện, quận (đã bỏ từ 01/07/2025)."
                )
            )
        )
        self.profile_form = OfficeProfileForm()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.profile_form)
        lay.addWidget(scroll)
        self.profile_error = ErrorLabel()  # what no single field explains
        lay.addWidget(self.profile_error)
        return w

    def _admin_page(self) -> QWidget:
        w = QWidget()
        form = QFormLayout(w)
        form.addRow(QLabel(self.tr("<b>Tài khoản quản trị đầu tiên</b>")))
        self.username = QLineEdit("admin")
        self.full_name = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password2 = QLineEdit()
        self.password2.setEchoMode(QLineEdit.EchoMode.Password)
        self.admin_errors: dict[str, ErrorLabel] = {}
        for field, label, widget in (
            ("username", self.tr("Tên đăng nhập:"), self.username),
            ("full_name", self.tr("Họ và tên:"), self.full_name),
            ("password", self.tr("Mật khẩu:"), self.password),
            ("password2", self.tr("Nhập lại mật khẩu:"), self.password2),
        ):
            form.addRow(label, widget)
            err = ErrorLabel()
            form.addRow("", err)
            self.admin_errors[field] = err
        return w

    def _done_page(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        data_dir = self.ctx.data_dir
        self.where = QLabel()
        self.where.setWordWrap(True)
        self.where.setText(
            self.tr(
                "<b>Đã thiết lập xong.</b><br>Dữ liệu của quầy: {data}<br>Nhật ký: {logs}<br>"
                "Hãy đăng nhập bằng tài khoản quản trị vừa tạo."
            ).format(data=data_dir, logs=log_folder(data_dir))
        )
        lay.addWidget(self.where)
        lay.addStretch(1)
        return w

    # -- navigation --------------------------------------------------------------------------

    def _step(self, work: Any, done: Any, failed: Any = None) -> None:
        """Run one step's service calls on the worker pool (argon2 hashing included); the
        buttons wait meanwhile, and what was typed stays whatever the outcome."""
        self.busy = True
        self.next_btn.setEnabled(False)
        self.back_btn.setEnabled(False)

        def finish() -> None:
            self.busy = False
            self.next_btn.setEnabled(True)
            self.back_btn.setEnabled(True)

        def ok(result: Any) -> None:
            finish()
            done(result)

        def bad(exc: BaseException) -> None:
            finish()
            if failed is not None and isinstance(exc, DomainError | ValidationFailed):
                failed(exc)
            else:
                self._unexpected(exc)

        worker.run(work, ok, bad)

    def _unexpected(self, exc: BaseException) -> None:
        label = {
            self.PAGE_DESK: self.desk_errors["office_code"],
            self.PAGE_PROFILE: self.profile_error,
            self.PAGE_ADMIN: self.admin_errors["username"],
        }.get(self.pages.currentIndex(), self.pair_error)
        label.show_error(self.tr("Lỗi không mong đợi: {e}").format(e=type(exc).__name__))

    def _initial_read(self, start: _Start) -> None:
        if start.provisioned is not None:  # left by the installer for an unattended roll-out
            self.url.setText(start.provisioned.central_url)
            self.token.setText(start.provisioned.desk_token)
            self.paired.setChecked(True)
        self._go(start.page, start.profile)

    def _go(self, page: int, profile: OfficeProfile | None = None) -> None:
        self.pages.setCurrentIndex(page)
        self.back_btn.setVisible(page == self.PAGE_DESK)
        if page == self.PAGE_PROFILE and profile is not None:
            self.profile_form.set_profile(profile)
        self.next_btn.setText(
            self.tr("Hoàn tất") if page == self.PAGE_DONE else self.tr("Tiếp tục")
        )
        first = {
            self.PAGE_MODE: self.standalone,
            self.PAGE_DESK: self.office_code,
            self.PAGE_PROFILE: self.profile_form.kind,
            self.PAGE_ADMIN: self.full_name,
            self.PAGE_DONE: self.next_btn,
        }[page]
        first.setFocus()

    def _back(self) -> None:
        self._go(self.PAGE_MODE)

    def _next(self) -> None:
        if self.busy:
            return  # one step at a time: Enter pressed again while a step runs does nothing
        page = self.pages.currentIndex()
        if page == self.PAGE_MODE:
            if self.standalone.isChecked():
                self._go(self.PAGE_DESK)
            else:
                self._pair()
        elif page == self.PAGE_DESK:
            self._save_desk()
        elif page == self.PAGE_PROFILE:
            self._save_profile()
        elif page == self.PAGE_ADMIN:
            self._save_admin()
        else:
            self.finished_setup.emit()
            self.accept()

    def _pair(self) -> None:
        url, token = self.url.text().strip(), self.token.text().strip()
        if not url or not token:
            self.pair_error.show_error(self.tr("Cần nhập địa chỉ máy chủ và mã quầy."))
            return
        self.pair_error.show_error(self.tr("Đang kết nối…"))
        self.next_btn.setEnabled(False)
        ctx = self.ctx

        def work() -> OfficeProfile:
            from app.sync.commands import connect

            connect(ctx, url, token, timeout=15.0)
            consume_provisioning(ctx.data_dir)
            return office_profile.get_profile(ctx)

        def done(profile: OfficeProfile) -> None:
            self.next_btn.setEnabled(True)
            self.pair_error.show_error("")
            self._go(self.PAGE_PROFILE, profile)

        def failed(exc: BaseException) -> None:
            self.next_btn.setEnabled(True)
            self.pair_error.show_error(
                self.tr("Không kết nối được máy chủ: {reason}").format(reason=str(exc)[:200])
            )

        worker.run(work, done, failed)

    def _save_desk(self) -> None:
        for e in self.desk_errors.values():
            e.show_error("")
        ctx = self.ctx
        code, name = self.office_code.text().strip(), self.office_name.text().strip()
        desk_name, slot = self.desk_name.text().strip(), self.slot.value()

        def work() -> OfficeProfile:
            setup.setup_desk(
                ctx, office_code=code, office_name=name, desk_name=desk_name, slot=slot
            )
            return office_profile.get_profile(ctx)

        def refused(exc: DomainError | ValidationFailed) -> None:
            errors = exc.errors if isinstance(exc, ValidationFailed) else ()
            for fe in errors:
                self.desk_errors.get(fe.field, self.desk_errors["office_code"]).show_error(
                    fe.message
                )
            if not errors:
                self.desk_errors["office_code"].show_error(str(exc))

        self._step(work, lambda profile: self._go(self.PAGE_PROFILE, profile), refused)

    def _save_profile(self) -> None:
        self.profile_form.clear_errors()
        self.profile_error.show_error("")
        ctx, profile = self.ctx, self.profile_form.profile()

        def refused(exc: DomainError | ValidationFailed) -> None:
            if isinstance(exc, ValidationFailed):
                self.profile_form.show_errors(exc)
            else:
                self.profile_error.show_error(str(exc))

        # No officer exists yet, so the first run may set the profile without an actor.
        self._step(
            lambda: office_profile.save_profile(ctx, profile, None),
            lambda _: self._go(self.PAGE_ADMIN),
            refused,
        )

    def _save_admin(self) -> None:
        for e in self.admin_errors.values():
            e.show_error("")
        if self.password.text() != self.password2.text():
            self.admin_errors["password2"].show_error(self.tr("Hai mật khẩu không khớp."))
            return
        ctx = self.ctx
        username, full_name = self.username.text().strip(), self.full_name.text().strip()
        password = self.password.text()

        def refused(exc: DomainError | ValidationFailed) -> None:
            if isinstance(exc, ValidationFailed):
                for fe in exc.errors:
                    self.admin_errors.get(fe.field, self.admin_errors["username"]).show_error(
                        fe.message
                    )
            else:
                self.admin_errors["username"].show_error(str(exc))

        self._step(
            lambda: setup.add_officer(
                ctx,
                username=username,
                full_name=full_name,
                password=password,
                role="administrator",
            ),
            lambda _: self._go(self.PAGE_DONE),
            refused,
        )


def log_folder(data_dir: object) -> object:
    """Where the logs go (the per-user log folder of app.logging_setup)."""
    from app.logging_setup import default_log_dir

    return default_log_dir()


@dataclass(frozen=True)
class _Start:
    page: int
    profile: OfficeProfile | None
    provisioned: Provisioning | None


def _initial(ctx: DeskContext) -> _Start:
    """Runs on the worker pool: where the wizard starts (a desk already set up goes on to
    the profile, or to the administrator when the profile is complete), with what it shows."""
    start, profile = FirstRunDialog.PAGE_MODE, None
    if setup.desk_identity(ctx) is not None:
        profile = office_profile.get_profile(ctx)
        complete = not validate_profile(profile)
        start = FirstRunDialog.PAGE_ADMIN if complete else FirstRunDialog.PAGE_PROFILE
    return _Start(start, profile, read_provisioning(ctx.data_dir))
