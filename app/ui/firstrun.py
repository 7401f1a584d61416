"""First run: pair with a central service or work stand-alone, then the first administrator.

Shown when the desk database has no desk identity or no officer yet (issue 6 item 4). It
ends by saying where the data and the logs live, so IT can find them later.
"""

from __future__ import annotations

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
from app.domain.office import validate_profile
from app.services import office_profile, setup
from app.services.context import DeskContext
from app.services.provisioning import consume_provisioning, read_provisioning
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
        start = self.PAGE_MODE
        if setup.desk_identity(ctx) is not None:
            profile = office_profile.get_profile(ctx)
            start = self.PAGE_ADMIN if not validate_profile(profile) else self.PAGE_PROFILE
        self._go(start)

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
        provisioned = read_provisioning(self.ctx.data_dir)
        if provisioned is not None:  # left by the installer for an unattended roll-out
            self.url.setText(provisioned.central_url)
            self.token.setText(provisioned.desk_token)
            self.paired.setChecked(True)
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

    def _go(self, page: int) -> None:
        self.pages.setCurrentIndex(page)
        self.back_btn.setVisible(page == self.PAGE_DESK)
        if page == self.PAGE_PROFILE:
            self.profile_form.set_profile(office_profile.get_profile(self.ctx))
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

        def work() -> object:
            from app.sync.commands import connect

            return connect(ctx, url, token, timeout=15.0)

        def done(_: object) -> None:
            consume_provisioning(ctx.data_dir)
            self.next_btn.setEnabled(True)
            self.pair_error.show_error("")
            self._go(self.PAGE_PROFILE)

        def failed(exc: BaseException) -> None:
            self.next_btn.setEnabled(True)
            self.pair_error.show_error(
                self.tr("Không kết nối được máy chủ: {reason}").format(reason=str(exc)[:200])
            )

        worker.run(work, done, failed)

    def _save_desk(self) -> None:
        for e in self.desk_errors.values():
            e.show_error("")
        try:
            setup.setup_desk(
                self.ctx,
                office_code=self.office_code.text().strip(),
                office_name=self.office_name.text().strip(),
                desk_name=self.desk_name.text().strip(),
                slot=self.slot.value(),
            )
        except ValidationFailed as exc:
            for fe in exc.errors:
                self.desk_errors.get(fe.field, self.desk_errors["office_code"]).show_error(
                    fe.message
                )
            return
        self._go(self.PAGE_PROFILE)

    def _save_profile(self) -> None:
        self.profile_form.clear_errors()
        try:
            # No officer exists yet, so the first run may set the profile without an actor.
            office_profile.save_profile(self.ctx, self.profile_form.profile(), None)
        except ValidationFailed as exc:
            self.profile_form.show_errors(exc)
            return
        self._go(self.PAGE_ADMIN)

    def _save_admin(self) -> None:
        for e in self.admin_errors.values():
            e.show_error("")
        if self.password.text() != self.password2.text():
            self.admin_errors["password2"].show_error(self.tr("Hai mật khẩu không khớp."))
            return
        try:
            setup.add_officer(
                self.ctx,
                username=self.username.text().strip(),
                full_name=self.full_name.text().strip(),
                password=self.password.text(),
                role="administrator",
            )
        except ValidationFailed as exc:
            for fe in exc.errors:
                self.admin_errors.get(fe.field, self.admin_errors["username"]).show_error(
                    fe.message
                )
            return
        except DomainError as exc:
            self.admin_errors["username"].show_error(str(exc))
            return
        self._go(self.PAGE_DONE)


def log_folder(data_dir: object) -> object:
    """Where the logs go (the per-user log folder of app.logging_setup)."""
    from app.logging_setup import default_log_dir

    return default_log_dir()


def needs_first_run(ctx: DeskContext) -> bool:
    return setup.desk_identity(ctx) is None or not setup.has_officers(ctx)
