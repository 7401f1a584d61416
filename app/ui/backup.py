"""The backup screen (administrators) and the screen a damaged database gets at start.

Both only ask: what may be done, by whom, and how, is decided in app/services/backup.py.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import DomainError, ValidationFailed
from app.services import backup
from app.services.bootstrap import DatabaseProblemInfo
from app.services.context import DeskContext
from app.ui import worker
from app.ui.common import ErrorLabel, local_dt
from app.ui.dialogs import dialogs


def age_words(seconds: float | None) -> str:
    from PySide6.QtCore import QCoreApplication

    if seconds is None:
        return ""
    hours = int(seconds // 3600)
    if hours < 1:
        return QCoreApplication.translate("Backup", "{m} phút trước").format(m=int(seconds // 60))
    if hours < 48:
        return QCoreApplication.translate("Backup", "{h} giờ trước").format(h=hours)
    return QCoreApplication.translate("Backup", "{d} ngày trước").format(d=hours // 24)


def _message(exc: BaseException) -> str:
    if isinstance(exc, ValidationFailed):
        return "\n".join(e.message for e in exc.errors)
    if isinstance(exc, DomainError):
        return exc.message
    return f"{type(exc).__name__}: {exc}"


class BackupDialog(QDialog):
    """Last good backup and its age, every backup kept, back up now, the second place,
    and restore of a chosen backup (the administrator's password again).

    Signals:
        restore_requested(Path, str, str): backup file, username, password.
    """

    restore_requested = Signal(object, str, str)

    def __init__(self, ctx: DeskContext, username: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Sao lưu và khôi phục"))
        self.last = QLabel()
        self.last.setWordWrap(True)
        self.list = QListWidget()
        self.second = QLineEdit()
        self.second.setPlaceholderText(self.tr("ví dụ: E:\\SaoLuu hoặc \\\\may-chu\\chia-se"))
        self.second_error = ErrorLabel()
        choose = QPushButton(self.tr("Chọn &thư mục…"))
        choose.clicked.connect(self.choose_second)
        self.save_second_btn = QPushButton(self.tr("&Lưu nơi thứ hai"))
        self.save_second_btn.clicked.connect(self.save_second)
        self.backup_btn = QPushButton(self.tr("Sao lưu &ngay"))
        self.backup_btn.clicked.connect(self.backup_now)
        self.username = QLineEdit(username)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.restore_btn = QPushButton(self.tr("&Khôi phục bản đã chọn…"))
        self.restore_btn.clicked.connect(self.ask_restore)
        self.error = ErrorLabel()
        close = QPushButton(self.tr("Đóng"))
        close.clicked.connect(self.accept)

        second_row = QHBoxLayout()
        second_row.addWidget(self.second, 1)
        second_row.addWidget(choose)
        second_row.addWidget(self.save_second_btn)
        form = QFormLayout()
        form.addRow(self.tr("Nơi sao lưu thứ hai:"), second_row)
        form.addRow("", self.second_error)
        form.addRow(self.tr("Quản trị viên:"), self.username)
        form.addRow(self.tr("Mật khẩu (để khôi phục):"), self.password)
        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_btn)
        buttons.addWidget(self.restore_btn)
        buttons.addStretch(1)
        buttons.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addWidget(self.last)
        lay.addWidget(self.list, 1)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addLayout(buttons)
        self.resize(760, 520)
        self._second_filled = False  # set by the first load, or by anything typed before it
        self.second.textChanged.connect(lambda _t: setattr(self, "_second_filled", True))
        self.reload()

    def reload(self) -> None:
        worker.run(lambda: backup.backup_status(self.ctx), self.show_status, self._failed)

    def show_status(self, st: backup.BackupStatus) -> None:
        self.status = st
        if st.last is None:
            self.last.setText(self.tr("<b>Chưa có bản sao lưu nào.</b>"))
        else:
            self.last.setText(
                self.tr("Bản sao lưu tốt gần nhất: <b>{at}</b> ({age})<br>{path}").format(
                    at=local_dt(st.last.taken_at), age=age_words(st.age_s), path=st.last.path
                )
            )
        if not self._second_filled:  # once: never replace what the administrator typed
            self.second.setText(st.second_dir)
            self._second_filled = True
        self.list.clear()
        for b in st.backups:
            item = QListWidgetItem(
                f"{local_dt(b.taken_at)}  ·  {b.reason}  ·  {b.size // 1024} KB  ·  {b.path.parent}"
            )
            item.setData(256, str(b.path))
            self.list.addItem(item)
        if st.backups:
            self.list.setCurrentRow(0)

    def _failed(self, exc: BaseException) -> None:
        self.backup_btn.setEnabled(True)
        self.save_second_btn.setEnabled(True)
        self.error.show_error(_message(exc))

    def choose_second(self) -> None:
        folder = dialogs().choose_dir(self, self.tr("Nơi sao lưu thứ hai"), self.second.text())
        if folder:
            self.second.setText(folder)

    def save_second(self) -> None:
        ctx, folder, actor = self.ctx, self.second.text(), self.ctx.officer_id
        self.second_error.show_error("")
        self.save_second_btn.setEnabled(False)

        def done(_: object) -> None:
            self.save_second_btn.setEnabled(True)
            self.second_saved = folder
            self.reload()

        def failed(exc: BaseException) -> None:
            self.save_second_btn.setEnabled(True)
            self.second_error.show_error(_message(exc))  # what was typed stays

        worker.run(lambda: backup.set_second_dir(ctx, actor, folder), done, failed)

    def backup_now(self) -> None:
        self.error.show_error("")
        self.backup_btn.setEnabled(False)
        ctx = self.ctx

        def done(report: backup.BackupReport) -> None:
            self.backup_btn.setEnabled(True)
            if report.failed:
                self.error.show_error(
                    "\n".join(
                        self.tr("Không sao lưu được vào {dir}: {why}").format(dir=d, why=w)
                        for d, w in report.failed
                    )
                )
            self.reload()

        worker.run(lambda: backup.auto_backup(ctx, "manual"), done, self._failed)

    def selected(self) -> Path | None:
        item = self.list.currentItem()
        return Path(item.data(256)) if item is not None else None

    def ask_restore(self) -> None:
        path = self.selected()
        if path is None:
            self.error.show_error(self.tr("Chọn bản sao lưu cần khôi phục."))
            return
        if not self.password.text():
            self.error.show_error(self.tr("Nhập mật khẩu quản trị viên để khôi phục."))
            return
        if not dialogs().ask(
            self,
            self.tr("Khôi phục dữ liệu"),
            self.tr(
                "Thay dữ liệu hiện tại bằng bản sao lưu {name}?\nDữ liệu hiện tại được giữ "
                "lại bên cạnh (không xoá). Chương trình sẽ đóng sau khi khôi phục."
            ).format(name=path.name),
        ):
            return
        self.restore_requested.emit(path, self.username.text(), self.password.text())
        self.password.clear()


class DatabaseProblemDialog(QDialog):
    """Shown instead of the desk when its database cannot be used: what is wrong, the ways
    out, and three of them at a click (restore the latest good backup; rebuild from the
    central when the desk was paired; export what is still readable). `restored` is True
    when the desk may now start."""

    def __init__(
        self, data_dir: Path, info: DatabaseProblemInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.info = info
        self.restored = False
        self.setWindowTitle(self.tr("Dữ liệu của quầy cần được xử lý"))
        head = QLabel(self.tr("<h3>Không mở được dữ liệu của quầy</h3>"))
        self.message = QLabel(info.message)
        self.message.setWordWrap(True)
        self.choices = QLabel(
            self.tr("Cách xử lý:") + "\n" + "\n".join(f"• {c}" for c in info.choices)
        )
        self.choices.setWordWrap(True)
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.restore_btn = QPushButton(self.tr("&Khôi phục bản sao lưu gần nhất"))
        self.restore_btn.setEnabled(info.latest_backup is not None)
        self.restore_btn.clicked.connect(self.restore_latest)
        self.salvage_btn = QPushButton(self.tr("&Xuất dữ liệu còn đọc được…"))
        self.salvage_btn.clicked.connect(self.salvage)
        # A paired desk can get its office history back from the central (the desk token
        # is kept outside the database, so it survives the loss).
        self.rebuild_btn = QPushButton(self.tr("&Dựng lại từ máy chủ trung tâm"))
        self.rebuild_btn.setEnabled(bool(info.central_url))
        self.rebuild_btn.clicked.connect(self.rebuild)
        quit_btn = QPushButton(self.tr("&Thoát"))
        quit_btn.clicked.connect(self.reject)
        self.error = ErrorLabel()
        form = QFormLayout()
        form.addRow(self.tr("Quản trị viên:"), self.username)
        form.addRow(self.tr("Mật khẩu:"), self.password)
        buttons = QHBoxLayout()
        buttons.addWidget(self.restore_btn)
        buttons.addWidget(self.rebuild_btn)
        buttons.addWidget(self.salvage_btn)
        buttons.addStretch(1)
        buttons.addWidget(quit_btn)
        lay = QVBoxLayout(self)
        for w in (head, self.message, self.choices):
            lay.addWidget(w)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addLayout(buttons)
        self.setMinimumWidth(640)

    def restore_latest(self) -> None:
        latest = self.info.latest_backup
        if latest is None:
            return
        self.error.show_error("")
        self.restore_btn.setEnabled(False)
        data_dir, user, pw = self.data_dir, self.username.text(), self.password.text()

        def done(aside: Path) -> None:
            self.restored = True
            dialogs().info(
                self,
                self.tr("Đã khôi phục"),
                self.tr("Đã khôi phục {name}. Dữ liệu cũ được giữ ở {aside}.").format(
                    name=latest.name, aside=aside
                ),
            )
            self.accept()

        def failed(exc: BaseException) -> None:
            self.restore_btn.setEnabled(True)
            self.password.clear()
            self.error.show_error(_message(exc))

        worker.run(lambda: backup.restore_as(data_dir, latest, user, pw), done, failed)

    def rebuild(self) -> None:
        """Rebuild from the central in the background; the database in place (if any) is
        kept aside, and the desk then starts at its first-run page (the central keeps no
        officer accounts)."""
        if not self.info.central_url:
            return
        if not dialogs().ask(
            self,
            self.tr("Dựng lại từ máy chủ trung tâm"),
            self.tr(
                "Tải lại các hồ sơ đã đồng bộ của quầy từ {url}. Dữ liệu hiện có (nếu còn) "
                "được giữ nguyên ở một tệp bên cạnh. Hồ sơ chưa kịp đồng bộ không có trên "
                "máy chủ. Sau đó cần tạo lại tài khoản quản trị. Tiếp tục?"
            ).format(url=self.info.central_url),
        ):
            return
        from app.sync.commands import rebuild_from_central

        self.error.show_error("")
        for b in (self.restore_btn, self.rebuild_btn, self.salvage_btn):
            b.setEnabled(False)
        self.rebuild_btn.setText(self.tr("Đang dựng lại…"))
        data_dir = self.data_dir

        def done(result: object) -> None:
            self.restored = True
            aside = getattr(result, "aside", None)
            text = self.tr("Đã dựng lại dữ liệu của quầy {desk} từ máy chủ.").format(
                desk=getattr(result, "desk_name", "")
            )
            if aside is not None:
                text += "\n" + self.tr("Dữ liệu cũ được giữ ở {aside}.").format(aside=aside)
            text += "\n" + self.tr("Tiếp theo: tạo tài khoản quản trị cho quầy.")
            dialogs().info(self, self.tr("Đã dựng lại"), text)
            self.accept()

        def failed(exc: BaseException) -> None:
            self.rebuild_btn.setText(self.tr("&Dựng lại từ máy chủ trung tâm"))
            self.rebuild_btn.setEnabled(True)
            self.restore_btn.setEnabled(self.info.latest_backup is not None)
            self.salvage_btn.setEnabled(True)
            self.error.show_error(
                self.tr("Không dựng lại được từ máy chủ: {why}").format(why=_message(exc))
            )

        worker.run(lambda: rebuild_from_central(data_dir), done, failed)

    def salvage(self) -> None:
        folder = dialogs().choose_dir(self, self.tr("Thư mục nhận dữ liệu xuất ra"))
        if not folder:
            return
        from app.config import DB_FILENAME

        db = self.data_dir / DB_FILENAME

        def done(report: backup.SalvageReport) -> None:
            lines = [f"{name}: {n}" for name, n in sorted(report.tables.items())]
            lines += [f"{name}: {why}" for name, why in sorted(report.errors.items())]
            dialogs().info(
                self,
                self.tr("Đã xuất dữ liệu"),
                self.tr("Đã ghi các tệp CSV vào {dir}:").format(dir=folder) + "\n"
                + "\n".join(lines),
            )

        worker.run(
            lambda: backup.salvage(db, Path(folder)),
            done,
            lambda exc: self.error.show_error(_message(exc)),
        )
