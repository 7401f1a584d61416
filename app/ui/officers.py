"""Administration: officers and their roles (administrators only), and the desk settings."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import DomainError, ValidationFailed
from app.services import setup
from app.services.context import DeskContext
from app.services.setup import OfficerInfo
from app.ui import worker
from app.ui.common import ErrorLabel
from app.ui.scanner import serial_available

_Index = QModelIndex | QPersistentModelIndex
ROLES = ("officer", "supervisor", "administrator")


def role_label(role: str) -> str:
    return {
        "officer": QCoreApplication.translate("Officers", "Cán bộ tiếp nhận"),
        "supervisor": QCoreApplication.translate("Officers", "Giám sát"),
        "administrator": QCoreApplication.translate("Officers", "Quản trị"),
    }.get(role, role)


class OfficersModel(QAbstractTableModel):
    def __init__(self, officers: list[OfficerInfo], parent: Any = None) -> None:
        super().__init__(parent)
        self.officers = officers

    def set_officers(self, officers: list[OfficerInfo]) -> None:
        self.beginResetModel()
        self.officers = officers
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.officers)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < 4
        ):
            return (
                QCoreApplication.translate("Officers", "Tên đăng nhập"),
                QCoreApplication.translate("Officers", "Họ và tên"),
                QCoreApplication.translate("Officers", "Vai trò"),
                QCoreApplication.translate("Officers", "Trạng thái"),
            )[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        o = self.officers[index.row()]
        return (
            o.username,
            o.full_name,
            role_label(o.role),
            QCoreApplication.translate("Officers", "Đang hoạt động")
            if o.active
            else QCoreApplication.translate("Officers", "Đã khoá"),
        )[index.column()]


class OfficersDialog(QDialog):
    """List officers, add one, change a role, lock or unlock an account."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Cán bộ và vai trò"))
        # The list arrives from the worker pool (issue 10: no service call on the UI thread).
        self.model = OfficersModel([], self)
        self.busy = False
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(1, 220)
        self.username = QLineEdit()
        self.full_name = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.role = QComboBox()
        for r in ROLES:
            self.role.addItem(role_label(r), r)
        self.error = ErrorLabel()
        add = QPushButton(self.tr("&Thêm cán bộ"))
        add.clicked.connect(self.add)
        self.toggle_btn = QPushButton(self.tr("&Khoá / mở tài khoản"))
        self.toggle_btn.clicked.connect(self.toggle_active)
        self.set_role_btn = QPushButton(self.tr("Đổi &vai trò thành vai trò đã chọn"))
        self.set_role_btn.clicked.connect(self.change_role)
        self.reset_btn = QPushButton(self.tr("Đặt lại &mật khẩu (dùng ô Mật khẩu)"))
        self.reset_btn.setToolTip(
            self.tr("Cán bộ phải đổi mật khẩu này ở lần đăng nhập tới.")
        )
        self.reset_btn.clicked.connect(self.reset_password)
        close = QPushButton(self.tr("Đóng"))
        close.clicked.connect(self.accept)
        form = QFormLayout()
        form.addRow(self.tr("Tên đăng nhập:"), self.username)
        form.addRow(self.tr("Họ và tên:"), self.full_name)
        form.addRow(self.tr("Mật khẩu (≥ 8 ký tự):"), self.password)
        form.addRow(self.tr("Vai trò:"), self.role)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(self.toggle_btn)
        row.addWidget(self.set_role_btn)
        row.addWidget(self.reset_btn)
        row.addStretch(1)
        row.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addWidget(self.table)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addLayout(row)
        self.action_buttons = (add, self.toggle_btn, self.set_role_btn, self.reset_btn)
        self.resize(760, 480)
        self.reload()

    def reload(self) -> None:
        """Read the officers in the background; the table fills when they arrive."""
        ctx = self.ctx
        worker.run(lambda: setup.list_officers(ctx), self.model.set_officers, self._failed)

    def selected(self) -> OfficerInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.officers[rows[0].row()] if rows else None

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationFailed):
            self.error.show_error("\n".join(e.message for e in exc.errors))
        elif isinstance(exc, DomainError):
            self.error.show_error(exc.message)
        else:
            self.error.show_error(
                self.tr("Lỗi không mong đợi: {e}").format(e=type(exc).__name__)
            )

    def _run(self, action: Any, then: Any = None) -> None:
        """Run a service call on the worker pool (argon2 hashing takes a good part of a
        second); its refusal (role, own account, bad input) shows here, and what was typed
        stays. The buttons wait meanwhile, so one click is one call."""
        if self.busy:
            return
        self.busy = True
        self.error.show_error("")
        for b in self.action_buttons:
            b.setEnabled(False)

        def finish() -> None:
            self.busy = False
            for b in self.action_buttons:
                b.setEnabled(True)

        def done(_: Any) -> None:
            finish()
            if then is not None:
                then()
            self.reload()

        def failed(exc: BaseException) -> None:
            finish()
            self._failed(exc)

        worker.run(action, done, failed)

    def add(self) -> None:
        ctx, actor = self.ctx, self.ctx.officer_id
        username, full_name = self.username.text(), self.full_name.text()
        password, role = self.password.text(), self.role.currentData()

        def added() -> None:
            self.username.clear()
            self.full_name.clear()
            self.password.clear()

        self._run(
            lambda: setup.add_officer(
                ctx,
                username=username,
                full_name=full_name,
                password=password,
                role=role,
                actor_id=actor,
                must_change_password=True,
            ),
            added,
        )

    def toggle_active(self) -> None:
        o = self.selected()
        if o is None:
            return
        ctx, actor = self.ctx, self.ctx.officer_id
        self._run(lambda: setup.set_officer_active(ctx, o.id, not o.active, actor_id=actor))

    def change_role(self) -> None:
        o = self.selected()
        if o is None:
            return
        ctx, actor, role = self.ctx, self.ctx.officer_id, self.role.currentData()
        self._run(lambda: setup.set_officer_active(ctx, o.id, o.active, role=role, actor_id=actor))

    def reset_password(self) -> None:
        o = self.selected()
        if o is None:
            self.error.show_error(self.tr("Chọn cán bộ cần đặt lại mật khẩu."))
            return
        ctx, actor, password = self.ctx, self.ctx.officer_id, self.password.text()

        def reset() -> None:
            self.password.clear()
            self.error.show_error(
                self.tr("Đã đặt lại mật khẩu cho {u}; cán bộ phải đổi ở lần đăng nhập tới.").format(
                    u=o.username
                )
            )

        self._run(lambda: setup.reset_password(ctx, actor, o.id, password), reset)


class SettingsDialog(QDialog):
    """The officer's screen settings: lock time, direct printing, serial scanner port."""

    def __init__(self, settings: Any, parent: QWidget | None = None,
                 ctx: DeskContext | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.ctx = ctx
        self.saved_lock_minutes: int | None = None  # what Save stored, for the window
        self.language = QComboBox()
        self.language.addItem("Tiếng Việt", "vi")
        self.language.addItem("English", "en")
        # The desk's stored language arrives from the worker pool; until then the choice
        # waits (disabled), so Save cannot write a language nobody chose.
        self.language.setEnabled(False)
        self.setWindowTitle(self.tr("Cài đặt quầy"))
        self.lock = QSpinBox()
        self.lock.setRange(0, 240)
        self.lock.setSuffix(self.tr(" phút"))
        # The desk's one idle-lock time (a desk setting, not a per-user one), read with the
        # language on the worker pool; it waits (disabled) until then.
        self.lock.setEnabled(False)
        if ctx is not None:
            from app.services.ui_support import IDLE_LOCK_MAX

            self.lock.setRange(0, IDLE_LOCK_MAX)
        self.direct = QCheckBox(self.tr("In thẳng ra máy in mặc định (không hỏi)"))
        self.direct.setChecked(settings.get("print_direct"))
        # The print queue by name (CUPS or Windows); the list of queues arrives from the
        # background, since asking the print system can take seconds.
        self.printer = QComboBox()
        self.printer.setEditable(True)
        self.printer.addItem(self.tr("(máy in mặc định)"), "")
        current_printer = settings.get("printer")
        if current_printer:
            self.printer.addItem(current_printer, current_printer)
            self.printer.setCurrentIndex(1)
        worker.run(_printer_names, self._printers_listed, lambda exc: None)
        if ctx is not None:
            worker.run(lambda: _stored(ctx), self._stored_read, lambda exc: None)
        self.port = QLineEdit(settings.get("serial_port"))
        self.port.setPlaceholderText("COM3 / /dev/ttyACM0")
        if not serial_available():
            self.port.setToolTip(self.tr("Cần gói PySide6-Addons (QtSerialPort)."))
        form = QFormLayout(self)
        form.addRow(self.tr("Ngôn ngữ (từ lần mở sau):"), self.language)
        form.addRow(self.tr("Khoá màn hình sau:"), self.lock)
        form.addRow("", self.direct)
        form.addRow(self.tr("Máy in:"), self.printer)
        form.addRow(self.tr("Cổng COM máy quét:"), self.port)
        ok = QPushButton(self.tr("Lưu"))
        ok.setDefault(True)
        ok.setEnabled(ctx is None)  # with a desk: once its stored values have arrived
        self.ok_btn = ok
        cancel = QPushButton(self.tr("Huỷ"))
        ok.clicked.connect(self.save)
        cancel.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(ok)
        row.addWidget(cancel)
        form.addRow(row)

    def _stored_read(self, stored: tuple[str, int]) -> None:
        current, minutes = stored
        self.language.setCurrentIndex(max(0, self.language.findData(current)))
        self.language.setEnabled(True)
        self.lock.setValue(minutes)
        self.lock.setEnabled(True)
        self.ok_btn.setEnabled(True)

    def _printers_listed(self, names: list[str]) -> None:
        for n in names:
            if self.printer.findData(n) < 0:
                self.printer.addItem(n, n)

    def chosen_printer(self) -> str:
        text = self.printer.currentText().strip()
        return "" if self.printer.currentIndex() == 0 and text == self.printer.itemText(0) else text

    def save(self) -> None:
        self.settings.set("print_direct", self.direct.isChecked())
        self.settings.set("printer", self.chosen_printer())
        self.settings.set("serial_port", self.port.text().strip())
        if self.ctx is not None and self.language.isEnabled():
            from app.services.ui_support import set_idle_lock_minutes, write_setting

            ctx, lang, minutes = self.ctx, self.language.currentData(), self.lock.value()
            self.saved_lock_minutes = minutes

            def store() -> None:
                set_idle_lock_minutes(ctx, minutes)
                write_setting(ctx, "ui.language", lang)

            worker.run(store)
        self.accept()


def _stored(ctx: DeskContext) -> tuple[str, int]:
    """Runs on the worker pool: the desk's language and idle-lock time."""
    from app.services.ui_support import idle_lock_minutes, read_settings

    return read_settings(ctx, "ui.language")["ui.language"] or "vi", idle_lock_minutes(ctx)


def _printer_names() -> list[str]:
    from PySide6.QtPrintSupport import QPrinterInfo

    return list(QPrinterInfo.availablePrinterNames())
