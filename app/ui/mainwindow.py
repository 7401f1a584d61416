"""The window officers live in: intake and the dossier list as tabs, menus with shortcuts,
the status bar (officer, desk, online/offline, waiting events, last sync), scanners, the
idle lock and remembered geometry.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QTabWidget,
    QWidget,
)

from app import __version__
from app.config import SETTINGS
from app.domain.dossier_code import normalise_scanned_code
from app.domain.identifiers import looks_garbled, parse_chip_id_qr
from app.services import backup, guard, postal, search, setup, ui_support
from app.services.context import DeskContext
from app.services.intake import IntakeResult
from app.services.setup import DeskIdentity, OfficerInfo
from app.ui import worker
from app.ui.common import fit_to_screen, local_date, local_dt
from app.ui.dialogs import dialogs
from app.ui.dossier_list import DossierListWidget
from app.ui.firstrun import log_folder
from app.ui.intake import IntakeWidget
from app.ui.scanner import ScanDetector, SerialScanReader
from app.ui.settings import UiSettings

TAB_INTAKE, TAB_LIST = 0, 1
STATUS_REFRESH_MS = 10_000

#: The paper each intake outcome prints.
INTAKE_FORMS = {"receive": "receipt", "supplement": "supplement", "refuse": "refusal"}


def age_text(seconds: float | None) -> str:
    if seconds is None:
        return ""
    minutes = int(seconds // 60)
    if minutes < 60:
        return QCoreApplication.translate("MainWindow", "{n} phút").format(n=minutes)
    return QCoreApplication.translate("MainWindow", "{h} giờ {m} phút").format(
        h=minutes // 60, m=minutes % 60
    )


class _SyncBridge(QObject):
    """Carries the sync worker's status (from its own thread) to the UI thread."""

    status = Signal(object)


class _IdleWatch(QObject):
    """Restarts the lock timer on any keyboard or mouse input anywhere in the app."""

    def __init__(self, on_input: Any) -> None:
        super().__init__()
        self.on_input = on_input

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() in (
            QEvent.Type.KeyPress,
            QEvent.Type.MouseButtonPress,
            QEvent.Type.Wheel,
        ):
            self.on_input()
        return False


class MainWindow(QMainWindow):
    def __init__(
        self, ctx: DeskContext, officer: OfficerInfo, settings: UiSettings | None = None
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.officer = officer
        ctx.officer_id = officer.id
        self.settings = settings or UiSettings()
        # This desk's identity and its central's address arrive from the worker pool
        # (`context_ready`); until then the status bar says "—" and no sync runs.
        self.desk: DeskIdentity | None = None
        self.central_url = ""
        self.context_ready = False
        self.closing = False
        self.setWindowTitle(self.tr("Một cửa — Bộ phận tiếp nhận và trả kết quả"))
        self.open_views: list[QWidget] = []
        self.last_result: IntakeResult | None = None

        self.tabs = QTabWidget()
        self.intake = IntakeWidget(ctx)
        self.dossiers = DossierListWidget(ctx)
        # A post-office agent desk issues no dossier code and no form 01 (Decision 45/2016
        # Art. 7): once the pool says this is one, its window takes consignments and hands
        # them over instead (issue 15).
        self.postal_intake: Any = None
        self.handover: Any = None
        self.tabs.addTab(self.intake, self.tr("&Tiếp nhận hồ sơ"))
        self.tabs.addTab(self.dossiers, self.tr("&Danh sách hồ sơ"))
        worker.run(lambda: postal.agent_mode(ctx), self._agent_mode, lambda exc: None)
        # The lock is a page of the window itself, not a dialog above it: nothing of the
        # work behind shows, and there is no title-bar X of its own to close.
        from app.ui.signin import LockScreen

        self.lock_screen = LockScreen(ctx)
        self.lock_screen.unlocked.connect(self._unlocked)
        self.lock_dialog = self.lock_screen  # the name older tests and notes use
        self.stack = QStackedWidget()
        self.stack.addWidget(self.tabs)
        self.stack.addWidget(self.lock_screen)
        self.setCentralWidget(self.stack)
        self.hidden_while_locked: list[QWidget] = []
        self.tabs.currentChanged.connect(self._tab_changed)
        self.intake.submitted.connect(self._intake_done)
        self.intake.paper_for = self._paper_for
        from app.ui.printing import warm_printing

        warm_printing()  # Receive renders the receipt in its own trip: fonts, QtPdf loaded
        self.dossiers.open_requested.connect(self.open_dossier)

        self._menus()
        self.sync_worker: Any = None
        self._status_bar()
        self._legacy_lock = self.settings.take_legacy("lock_minutes")
        self._start_sync()

        self.scanner = ScanDetector(self.settings.get("scan_max_interval_ms"), self)
        self.scanner.scanned.connect(self.handle_scan)
        self.scanner.unparsed.connect(self.scan_not_understood)
        QApplication.instance().installEventFilter(self.scanner)  # type: ignore[union-attr]
        self.serial: SerialScanReader | None = None
        port = self.settings.get("serial_port")
        if port:
            self.serial = SerialScanReader.open_port(port, parent=self)
            self.serial.scanned.connect(self.handle_scan)

        self.locked = False
        # One idle-lock time for the desk (its database setting), read with the desk on
        # the worker pool (the declared default until then); the lock time an older
        # version kept per user in QSettings is carried into it once.
        self.idle_minutes = int(SETTINGS[ui_support.IDLE_LOCK_KEY].default)
        self.lock_timer = QTimer(self)
        self.lock_timer.setSingleShot(True)
        self.lock_timer.timeout.connect(self.lock)
        self.restart_idle_timer()
        self.idle = _IdleWatch(self.restart_idle_timer)
        QApplication.instance().installEventFilter(self.idle)  # type: ignore[union-attr]

        geometry = self.settings.geometry("main")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            fit_to_screen(self, 1440, 900)
        self.intake.proc_search.setFocus()

    # -- menus -------------------------------------------------------------------------------

    def _action(
        self, text: str, shortcut: str | QKeySequence.StandardKey | None, slot: Any
    ) -> QAction:
        a = QAction(text, self)
        if shortcut is not None:
            a.setShortcut(QKeySequence(shortcut))
            a.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        a.triggered.connect(slot)
        self.addAction(a)
        return a

    def _menus(self) -> None:
        m = self.menuBar().addMenu(self.tr("&Hồ sơ"))
        self.new_action = self._action(self.tr("Hồ sơ &mới"), "F2", self.new_dossier)
        self.find_action = self._action(self.tr("&Tìm hồ sơ"), "Ctrl+F", self.find)
        self.print_action = self._action(
            self.tr("&In lại phiếu vừa lập"), "Ctrl+P", self.print_last
        )
        self.refresh_action = self._action(
            self.tr("Làm mới danh sách"), "F5", lambda: self.dossiers.apply_filter()
        )
        self.post_back_action = self._action(
            self.tr("Gửi &kết quả qua bưu điện (biên bản)…"), None, self.send_results_back
        )
        self.lock_action = self._action(self.tr("&Khoá màn hình"), "Ctrl+L", self.lock)
        self.quit_action = self._action(self.tr("T&hoát"), "Ctrl+Q", self.close)
        for a in (self.new_action, self.find_action, self.print_action, self.refresh_action):
            m.addAction(a)
        m.addAction(self.post_back_action)
        self.postal_conflicts_action = self._action(
            self.tr("Biên bản giao nhận ký nhận &hai lần (giám sát viên)…"),
            None,
            self.open_postal_conflicts,
        )
        self.postal_conflicts_action.setEnabled(
            self.officer.role in ("supervisor", "administrator")
        )
        m.addAction(self.postal_conflicts_action)
        self.postal_history_action = self._action(
            self.tr("Lịch sử &bưu gửi…"), None, self.open_postal_history
        )
        self.postal_history_action.setVisible(False)  # an agent desk's: shown in agent mode
        m.addAction(self.postal_history_action)
        m.addSeparator()
        m.addAction(self.lock_action)
        m.addAction(self.quit_action)
        rep = self.menuBar().addMenu(self.tr("&Báo cáo"))
        self.control_action = self._action(
            self.tr("&Kiểm soát hồ sơ đến hạn, quá hạn"), "F6", self.open_control
        )
        self.reports_action = self._action(
            self.tr("&Báo cáo, biểu II.06a…"), "F7", self.open_reports
        )
        rep.addAction(self.control_action)
        rep.addAction(self.reports_action)
        admin = self.menuBar().addMenu(self.tr("&Quản trị"))
        self.officers_action = self._action(
            self.tr("&Cán bộ và vai trò…"), None, self.manage_officers
        )
        self.officers_action.setEnabled(self.officer.role == "administrator")
        admin.addAction(self.officers_action)
        self.backup_action = self._action(
            self.tr("&Sao lưu và khôi phục…"), None, self.manage_backups
        )
        self.backup_action.setEnabled(self.officer.role == "administrator")
        admin.addAction(self.backup_action)
        self.override_action = self._action(
            self.tr("Cho phép &vượt giới hạn (giám sát viên)…"), None, self.override_limits
        )
        admin.addAction(self.override_action)
        self.settings_action = self._action(self.tr("Cài đặt &quầy…"), None, self.edit_settings)
        admin.addAction(self.settings_action)
        self.sync_action = self._action(self.tr("Đồng &bộ với máy chủ…"), "F8", self.open_sync)
        admin.addAction(self.sync_action)
        self.office_action = self._action(
            self.tr("Thông tin &đơn vị in trên phiếu…"), None, self.edit_office_profile
        )
        self.office_action.setEnabled(self.officer.role == "administrator")
        admin.addAction(self.office_action)
        self.postal_setup_action = self._action(
            self.tr("Cơ quan phục vụ và biểu cước &bưu chính…"), None, self.open_postal_setup
        )
        self.postal_setup_action.setEnabled(self.officer.role == "administrator")
        self.postal_setup_action.setVisible(False)  # an agent desk's: shown in agent mode
        admin.addAction(self.postal_setup_action)
        helpm = self.menuBar().addMenu(self.tr("Trợ &giúp"))
        self.about_action = self._action(self.tr("&Giới thiệu"), "F1", self.about)
        helpm.addAction(self.about_action)

    # -- status bar ------------------------------------------------------------------------

    def _status_bar(self) -> None:
        sb = self.statusBar()
        self.officer_label = QLabel()
        self.desk_label = QLabel()
        self.online_label = QLabel()
        self.waiting_label = QLabel()
        self.sync_label = QLabel()
        # This desk's overdue control counts; the link opens the control screen.
        self.control_label = QLabel()
        self.control_label.linkActivated.connect(lambda _link: self.open_control())
        self.backup_label = QLabel()
        self.backup_label.setStyleSheet("color: #b00020;")
        # Clock, offline limits, revocation (app/services/guard.py): warnings and blocks.
        self.guard_label = QLabel()
        self.guard_label.setStyleSheet("color: #b00020;")
        self.guard_state: Any = None
        for w in (
            self.control_label,
            self.officer_label,
            self.desk_label,
            self.online_label,
            self.waiting_label,
            self.sync_label,
            self.backup_label,
            self.guard_label,
        ):
            w.setContentsMargins(6, 0, 6, 0)
            # Labels may shrink (cut short, full text in the tooltip) so that the status bar
            # never sets the window's minimum width (issue 10: 1076 px).
            w.setMinimumWidth(24)
            sb.addPermanentWidget(w)
        self.officer_label.setText(
            self.tr("Cán bộ: {name} ({role})").format(
                name=self.officer.full_name, role=self.role_label(self.officer.role)
            )
        )
        self.desk_label.setText(
            self.tr("Quầy: {desk}").format(desk=self.desk.desk_name if self.desk else "—")
        )
        self.online_label.setText(self.tr("Chưa kết nối máy chủ"))
        self.status_timer = QTimer(self)
        self.status_timer.timeout.connect(self.refresh_status)
        self.status_timer.start(STATUS_REFRESH_MS)
        self.sync_status: Any = None
        self.backup_status: Any = None
        # Backups: one at start, every N hours while open, one at sign-out (closeEvent).
        self.backup_timer = QTimer(self)
        self.backup_timer.timeout.connect(lambda: self.run_backup("auto"))
        QTimer.singleShot(0, lambda: self.run_backup("start"))
        self.refresh_status()

    def role_label(self, role: str) -> str:
        return {
            "officer": self.tr("cán bộ"),
            "supervisor": self.tr("giám sát"),
            "administrator": self.tr("quản trị"),
        }.get(role, role)

    def _agent_mode(self, on: bool) -> None:
        if not on or self.postal_intake is not None:
            return
        from app.ui.postal import HandoverWidget, PostalIntakeWidget

        self.postal_intake = PostalIntakeWidget(self.ctx)
        self.handover = HandoverWidget(self.ctx)
        self.postal_intake.accepted.connect(lambda _got: self.handover.refresh())
        self.tabs.clear()
        self.tabs.addTab(self.postal_intake, self.tr("&Nhận gửi qua bưu điện"))
        self.tabs.addTab(self.handover, self.tr("&Giao nhận, phát kết quả"))
        self.handover.history_requested.connect(self.open_postal_history)
        self.postal_history_action.setVisible(True)
        self.postal_setup_action.setVisible(True)

    def open_postal_history(self, number: str = "") -> None:
        from app.ui.postal_admin import PostalHistoryDialog

        dialog = PostalHistoryDialog(self.ctx, self, number if isinstance(number, str) else "")
        self.postal_history = dialog
        dialog.show()

    def open_postal_setup(self) -> None:
        from app.ui.postal_admin import PostalSetupDialog

        dialog = PostalSetupDialog(self.ctx, self)
        self.postal_setup = dialog
        dialog.finished.connect(self._postal_setup_closed)
        dialog.show()

    def _postal_setup_closed(self, _result: int) -> None:
        if self.postal_intake is not None:
            self.postal_intake.reload_setup()
        if self.handover is not None:
            self.handover.reload_agencies()

    def open_postal_conflicts(self) -> None:
        from app.ui.postal import ConflictsDialog

        dialog = ConflictsDialog(self.ctx, self)
        self.postal_conflicts = dialog
        dialog.show()

    def _start_sync(self) -> None:
        """Read this desk and its central's address on the worker pool; then a paired desk
        runs the sync worker (its own thread and sessions) while open."""
        ctx, legacy = self.ctx, self._legacy_lock
        self._legacy_lock = None  # carried over once
        worker.run(lambda: _window_context(ctx, legacy), self._context_loaded)

    def _context_loaded(self, c: tuple[DeskIdentity | None, str, int]) -> None:
        self.desk, self.central_url, self.idle_minutes = c
        self.restart_idle_timer()
        self.desk_label.setText(
            self.tr("Quầy: {desk}").format(desk=self.desk.desk_name if self.desk else "—")
        )
        first = not self.context_ready
        self.context_ready = True
        if self.central_url and self.sync_worker is None and not self.closing:
            self._run_sync()
        if first:
            self.refresh_status()  # now with this desk's counts
            # PDF/A copies left from before (a restart, OCR installed since): in the
            # background, one at a time, once the window has settled.
            later = QTimer(self)  # a child: never fires for a window already gone
            later.setSingleShot(True)
            later.timeout.connect(self._pick_up_ocr)
            later.start(3000)

    def _pick_up_ocr(self) -> None:
        if not self.closing:
            from app.ui.capture import ocr_queue

            ocr_queue(self.ctx).pick_up()

    def _run_sync(self) -> None:
        from app.sync.worker import SyncWorker

        self._bridge = _SyncBridge(self)
        self._bridge.status.connect(self.show_status)
        self.sync_worker = SyncWorker(self.ctx, on_status=self._bridge.status.emit)
        self.sync_worker.start()

    def refresh_status(self) -> None:
        ctx, sw = self.ctx, self.sync_worker
        read = sw.status if sw is not None else (lambda: ui_support.desk_sync_status(ctx))
        worker.run(read, self.show_status, lambda exc: None)
        self.refresh_backup_status()
        worker.run(lambda: guard.check(ctx), self.show_guard, lambda exc: None)
        desk_id = self.desk.desk_id if self.desk else None
        if desk_id:
            from app.services import reports

            worker.run(
                lambda: reports.desk_counts(ctx, desk_id=desk_id), self.show_counts, lambda e: None
            )

    def show_counts(self, c: Any) -> None:
        """Overdue, due today and results waiting at this desk, in the status bar."""
        text = self.tr("Quá hạn: {o} · Đến hạn hôm nay: {t} · Chờ trả: {r}").format(
            o=c.overdue, t=c.due_today, r=c.ready
        )
        colour = "#b00020" if c.overdue else "palette(window-text)"
        self.control_label.setText(
            f'<a href="control" style="color: {colour}; text-decoration: none;">{text}</a>'
        )
        self.control_label.setToolTip(
            self.tr("Ngày làm việc tiếp theo: {n} · Chờ bổ sung lâu: {s}").format(
                n=c.due_next, s=c.supplement_waiting
            )
        )
        self.desk_counts = c

    def show_guard(self, state: Any) -> None:
        """Blocks first (intake is refused), then warnings (clock drift, revocation grace)."""
        self.guard_state = state
        if state.blocks:
            text = self.tr("⛔ Không tiếp nhận được: {why}").format(
                why="; ".join(b.message.split(".")[0] for b in state.blocks)
            )
        elif state.warnings:
            text = "⚠ " + "; ".join(state.warnings)
        else:
            text = ""
        self.guard_label.setText(text[:160])
        self.guard_label.setToolTip("\n\n".join(b.message for b in state.blocks))
        self.guard_label.setVisible(bool(text))

    def override_limits(self) -> None:
        from app.ui.guard import OverrideDialog

        ctx = self.ctx

        def got(state: Any) -> None:
            dlg = OverrideDialog(ctx, state, self)
            self.override_dialog = dlg
            dialogs().exec(dlg)
            if dlg.state is not None:
                self.show_guard(dlg.state)

        worker.run(lambda: guard.check(ctx), got, lambda exc: None)

    def run_backup(self, reason: str) -> None:
        """An automatic backup in the background; a failed place shows in the status bar."""
        if self.locked and reason == "start":
            return
        ctx = self.ctx

        def done(report: Any) -> None:
            for folder, _why in report.failed:
                self.statusBar().showMessage(
                    self.tr("Không sao lưu được vào {dir}").format(dir=folder), 30_000
                )
            self.refresh_backup_status()

        worker.run(lambda: backup.auto_backup(ctx, reason), done, lambda exc: None)

    def refresh_backup_status(self) -> None:
        ctx = self.ctx
        worker.run(lambda: backup.backup_status(ctx), self.show_backup_status, lambda exc: None)

    def show_backup_status(self, st: Any) -> None:
        self.backup_status = st
        if st.last is None:
            self.backup_label.setText(self.tr("⚠ Chưa có bản sao lưu"))
        elif st.stale:
            self.backup_label.setText(
                self.tr("⚠ Sao lưu gần nhất đã {age}").format(age=age_text(st.age_s))
            )
        else:
            self.backup_label.setText("")
        self.backup_label.setVisible(bool(self.backup_label.text()))
        interval = int(st.every_hours * 3_600_000)
        if interval > 0 and self.backup_timer.interval() != interval:
            self.backup_timer.start(interval)
        elif interval <= 0:
            self.backup_timer.stop()

    def show_status(self, st: Any) -> None:
        self.sync_status = st
        if not st.paired:
            self.online_label.setText(self.tr("Làm việc độc lập (chưa kết nối máy chủ)"))
        else:
            self.online_label.setText(self.state_text(st))
        text = self.tr("Chờ đồng bộ: {n}").format(n=st.waiting_count)
        if st.waiting_count and st.oldest_waiting_age_s is not None:
            text += " " + self.tr("(cũ nhất {age})").format(age=age_text(st.oldest_waiting_age_s))
        self.waiting_label.setText(text)
        self.sync_label.setText(
            self.tr("Đồng bộ lần cuối: {at}").format(
                at=local_dt(st.last_good_sync) if st.last_good_sync else self.tr("chưa có")
            )
        )

    def state_text(self, st: Any) -> str:
        """Online, refused (why), central error, offline: never "online" after a refusal."""
        state = getattr(st, "state", None)
        if state == "refused":
            text = self.tr("Máy chủ từ chối quầy: {reason}").format(reason=st.reason[:80])
        elif state == "central_error":
            text = self.tr("Lỗi máy chủ trung tâm (sẽ thử lại)")
        elif state == "offline":
            text = self.tr("Mất kết nối")
        elif state == "online":
            text = self.tr("Trực tuyến")
        else:
            text = self.tr("Chưa kết nối máy chủ")
        if getattr(st, "stuck", False):
            text += " — " + self.tr("hàng đợi không di chuyển")
        return text

    # -- actions -----------------------------------------------------------------------------

    def _tab_changed(self, index: int) -> None:
        if (
            index == TAB_LIST
            and self.dossiers.model.total is None
            and not self.dossiers.model.loading
        ):
            self.dossiers.apply_filter()

    def new_dossier(self) -> None:
        if self.postal_intake is not None:
            self.tabs.setCurrentIndex(TAB_INTAKE)
            self.postal_intake.clear()
            return
        """F2: a clean form for the next citizen, whatever tab or field the officer is in."""
        self.tabs.setCurrentIndex(TAB_INTAKE)
        self.intake.clear()

    def find(self) -> None:  # type: ignore[override]  # QWidget.find is a static look-up
        self.tabs.setCurrentIndex(TAB_LIST)
        self.dossiers.focus_search()

    def _paper_for(self, outcome: str) -> Callable[[IntakeResult], Any] | None:
        """The outcome's form, rendered by the worker right after the intake (issue 10:
        Receive → receipt on screen < 150 ms); the `printed` event waits for the preview."""
        from app.ui.printing import prepare_paper

        capture = getattr(self.intake, "capture", None)
        if capture is not None and capture.pending:
            return None  # pages scanned in the checklist: the receipt waits to list them
        ctx, form = self.ctx, INTAKE_FORMS[outcome]
        direct = bool(self.settings.get("print_direct"))
        return lambda result: prepare_paper(
            ctx, result.dossier_id, form, copy=False, direct=direct, record_later=True
        )

    def _intake_done(self, result: IntakeResult, outcome: str) -> None:
        self.last_result = result
        form = INTAKE_FORMS[outcome]
        self.last_form = form
        title = {
            "receive": self.tr("Đã tiếp nhận hồ sơ"),
            "supplement": self.tr("Đã lập phiếu yêu cầu bổ sung"),
            "refuse": self.tr("Đã lập phiếu từ chối"),
        }[outcome]
        text = self.tr("Mã hồ sơ: {code}").format(code=result.code)
        if result.due_date:
            text += "\n" + self.tr("Hẹn trả kết quả: {d}").format(d=local_date(result.due_date))
        self.statusBar().showMessage(f"{title}: {result.code}", 15_000)
        from app.ui.printing import Paper, print_document

        capture = getattr(self.intake, "capture", None)
        if capture is not None and result.dossier_id in capture.storing:
            # The receipt lists the components digitised at reception: it waits for the
            # pages scanned in the checklist to be stored as plain PDFs (a fraction of a
            # second a page; their PDF/A copies follow in the background, never waited
            # for); the window stays free for the next dossier meanwhile.
            self.statusBar().showMessage(
                self.tr("Đang lưu bản số hóa; phiếu tiếp nhận sẽ in khi lưu xong…"), 120_000
            )
            self._after_intake()

            def stored(dossier_id: str) -> None:
                if dossier_id != result.dossier_id:
                    return
                capture.stored.disconnect(stored)
                self.statusBar().showMessage(f"{title}: {result.code}", 15_000)
                print_document(
                    self,
                    self.ctx,
                    result.dossier_id,
                    form,
                    self.settings,
                    heading=f"{title}\n{text}",
                )

            capture.stored.connect(stored)
            return
        # The paper first; the counts, the list and the sync once it is on screen (their
        # reads would share the two cores and the GIL with the preview). This window,
        # emptied for the next citizen behind the preview, repaints after it too.
        paper = self.intake.paper
        if isinstance(paper, Paper) and paper.images is not None:
            self.setUpdatesEnabled(False)
        try:
            print_document(
                self,
                self.ctx,
                result.dossier_id,
                form,
                self.settings,
                heading=f"{title}\n{text}",
                paper=paper,
                after_shown=self._after_intake,
                spare=True,
            )
        except BaseException:
            self.setUpdatesEnabled(True)  # never a window frozen by a failed preview
            raise

    def _after_intake(self) -> None:
        """What a new dossier changes besides its paper: status counts, list, sync."""
        self.setUpdatesEnabled(True)
        if self.sync_worker is not None:
            self.sync_worker.wake()
        self.refresh_status()
        if self.dossiers.model.total is not None:
            self.dossiers.apply_filter()

    def print_last(self) -> None:
        view = next((v for v in reversed(self.open_views) if v.isVisible()), None)
        if view is not None and hasattr(view, "print_receipt"):
            view.print_receipt()
            return
        if self.last_result is None:
            self.statusBar().showMessage(self.tr("Chưa có phiếu nào để in."), 5000)
            return
        from app.ui.printing import print_document

        print_document(self, self.ctx, self.last_result.dossier_id, self.last_form, self.settings)

    def handle_scan(self, text: str) -> None:
        """A scan from a wedge or serial scanner: an ID card fills intake, a code opens."""
        from app.ui.postal import is_postal_scan

        if is_postal_scan(text):
            self.handle_postal_scan(text)
            return
        if "|" in text:
            try:
                qr = parse_chip_id_qr(text)
            except ValueError as exc:
                hint = self.tr(
                    "Nếu máy quét đang gõ qua bàn phím, hãy tắt bộ gõ tiếng Việt (Unikey/EVKey: "
                    "chuyển sang E) hoặc dùng chế độ cổng COM trong Cài đặt quầy."
                )
                dialogs().error(self, self.tr("Không đọc được mã QR trên CCCD"), f"{exc}\n\n{hint}")
                return
            self.tabs.setCurrentIndex(TAB_INTAKE)
            self.intake.fill_from_chip(qr)
            self.statusBar().showMessage(
                self.tr("Đã điền thông tin từ thẻ CCCD: kiểm tra lại trước khi tiếp nhận."), 10_000
            )
            return
        code = normalise_scanned_code(text)
        if code is None:
            if looks_garbled(text):
                dialogs().error(
                    self,
                    self.tr("Mã quét bị sai ký tự"),
                    self.tr(
                        "Bộ gõ tiếng Việt đã sửa các ký tự máy quét gửi vào. Hãy tắt bộ gõ tiếng "
                        "Việt (Unikey/EVKey: chuyển sang E) rồi quét lại, hoặc dùng chế độ cổng "
                        "COM trong Cài đặt quầy."
                    ),
                )
            else:
                self.statusBar().showMessage(
                    self.tr("Mã quét không phải mã hồ sơ: {t}").format(t=text[:40]), 8000
                )
            return
        self.open_dossier(code, scanned=True)

    def send_results_back(self) -> None:
        from app.ui.postal import send_results_back

        send_results_back(self, self.ctx)

    def handle_postal_scan(self, text: str) -> None:
        """A hand-over record's barcode opens it; its row QR codes go to the open record."""
        from app.ui.postal import BatchDialog

        text = text.strip()
        if text.upper().startswith("HSBC"):
            try:
                dialog = BatchDialog(self.ctx, text, self)
            except ValueError as exc:
                dialogs().error(self, self.tr("Mã biên bản không đọc được"), str(exc))
                return
            dialog.changed.connect(self.refresh_status)
            if self.handover is not None:
                dialog.changed.connect(self.handover.refresh)
            self.batch_dialog = dialog
            dialog.show()
            return
        open_dialog = getattr(self, "batch_dialog", None)
        if open_dialog is None or not open_dialog.isVisible():
            self.statusBar().showMessage(
                self.tr("Hãy quét mã vạch của biên bản giao nhận trước các mã QR từng dòng."),
                10_000,
            )
            return
        open_dialog.add_scan(text)

    def scan_not_understood(self, text: str) -> None:
        """A fast burst that is no code stays where it was typed; say so only when it looks
        like a scan an input method rewrote, without a dialog in the officer's way."""
        if looks_garbled(text):
            self.statusBar().showMessage(
                self.tr(
                    "Mã quét bị bộ gõ tiếng Việt sửa: tắt bộ gõ (Unikey/EVKey: chuyển sang E) "
                    "rồi quét lại."
                ),
                15_000,
            )

    def open_dossier(self, ref: str, scanned: bool = False) -> None:
        ctx = self.ctx

        def found(summary: Any) -> None:
            if summary is None:
                dialogs().error(
                    self,
                    self.tr("Không tìm thấy hồ sơ"),
                    self.tr("Không có hồ sơ mã {code} trong máy này.").format(code=ref),
                )
                return
            self.show_dossier(summary.id)

        if scanned:
            worker.run(lambda: search.get_by_code(ctx, ref), found)
        else:
            self.show_dossier(ref)

    def show_dossier(self, dossier_id: str) -> None:
        from app.ui.dossier_view import DossierView

        for v in self.open_views:
            if getattr(v, "dossier_id", None) == dossier_id and v.isVisible():
                v.raise_()
                v.activateWindow()
                return
        view = DossierView(self.ctx, dossier_id, self, self.settings)
        view.changed.connect(
            lambda: self.dossiers.apply_filter() if self.dossiers.model.total is not None else None
        )
        view.changed.connect(self.refresh_status)
        self.open_views = [v for v in self.open_views if v.isVisible()]
        self.open_views.append(view)
        view.show()

    def restart_idle_timer(self) -> None:
        """Any input (and every unlock) starts the idle countdown again, so the idle lock
        comes back whatever happened before (the time is re-read when settings are saved)."""
        if self.locked:
            return
        minutes = self.idle_minutes
        if minutes > 0:
            self.lock_timer.start(minutes * 60_000)
        else:
            self.lock_timer.stop()

    def lock(self) -> None:
        """Replace the whole window with the lock page; hide every other window of the app."""
        if self.locked:
            return
        self.locked = True
        self.lock_timer.stop()
        self.hidden_while_locked = []
        for w in QApplication.topLevelWidgets():
            if w is not self and w.isVisible() and w.isWindow():
                self.hidden_while_locked.append(w)
                w.hide()
        for a in self.actions():
            a.setEnabled(False)
        self.menuBar().setEnabled(False)
        self.menuBar().hide()
        self.statusBar().clearMessage()
        self.stack.setCurrentWidget(self.lock_screen)
        self.lock_screen.start(self.officer)

    def _unlocked(self, officer: OfficerInfo) -> None:
        self.locked = False
        for a in self.actions():
            a.setEnabled(True)
        self.menuBar().setEnabled(True)
        self.menuBar().show()
        if officer.id != self.officer.id:
            self.set_officer(officer)
        else:
            self.officers_action.setEnabled(officer.role == "administrator")
            self.office_action.setEnabled(officer.role == "administrator")
            self.backup_action.setEnabled(officer.role == "administrator")
        self.stack.setCurrentWidget(self.tabs)
        for w in self.hidden_while_locked:
            w.show()
        self.hidden_while_locked = []
        self.restart_idle_timer()

    def set_officer(self, officer: OfficerInfo) -> None:
        self.officer = officer
        self.ctx.officer_id = officer.id
        self.officer_label.setText(
            self.tr("Cán bộ: {name} ({role})").format(
                name=officer.full_name, role=self.role_label(officer.role)
            )
        )
        self.officers_action.setEnabled(officer.role == "administrator")
        self.office_action.setEnabled(officer.role == "administrator")
        self.backup_action.setEnabled(officer.role == "administrator")

    def open_control(self) -> None:
        self._reports_window(0)

    def open_sync(self) -> None:
        """The sync screen: state, queue, refused events to retry or set aside, sync now."""
        from app.ui.sync_screen import SyncScreen

        w = getattr(self, "sync_window", None)
        if w is None or not w.isVisible():
            sw = self.sync_worker
            read = sw.status if sw is not None else None
            w = SyncScreen(self.ctx, self, read_status=read)
            w.sync_requested.connect(self.sync_now)
            self.sync_window = w
        else:
            w.refresh()
        w.show()
        w.raise_()

    def sync_now(self) -> None:
        if self.sync_worker is not None:
            self.sync_worker.wake()
        self.refresh_status()

    def open_reports(self) -> None:
        self._reports_window(1)

    def _reports_window(self, tab: int) -> None:
        """One window for overdue control and reports; supervisors see the whole office."""
        from app.ui.reports import ReportsWindow

        w = getattr(self, "reports_window", None)
        if w is None or not w.isVisible():
            office = self.officer.role in ("supervisor", "administrator")
            w = ReportsWindow(self.ctx, self, office=office)
            w.open_requested.connect(self.show_dossier)
            self.reports_window = w
            w.control.refresh()
        w.tabs.setCurrentIndex(tab)
        w.show()
        w.raise_()
        w.activateWindow()

    def manage_officers(self) -> None:
        from app.ui.officers import OfficersDialog

        dialogs().exec(OfficersDialog(self.ctx, self))

    def edit_office_profile(self) -> None:
        from app.ui.office_profile import OfficeProfileDialog

        dialogs().exec(OfficeProfileDialog(self.ctx, self))

    def manage_backups(self) -> None:
        from app.ui.backup import BackupDialog

        dlg = BackupDialog(self.ctx, self.officer.username, self)
        dlg.restore_requested.connect(self.restore_backup)
        self.backup_dialog = dlg
        dialogs().exec(dlg)

    def restore_backup(self, path: Any, username: str, password: str) -> None:
        """Stop everything that holds the database, restore, and end the program: the
        window's state belongs to the database it replaced."""
        self.status_timer.stop()
        self.backup_timer.stop()
        self.lock_timer.stop()
        if self.sync_worker is not None:
            self.sync_worker.stop(timeout=5.0)
            self.sync_worker = None
        worker.wait_idle(10_000)
        self.ctx.close()
        data_dir = self.ctx.data_dir
        assert data_dir is not None  # a desk with a database file (not an in-memory test)

        def done(aside: Any) -> None:
            self.restored_from = path
            dialogs().info(
                self,
                self.tr("Đã khôi phục"),
                self.tr(
                    "Đã khôi phục {name}. Dữ liệu trước đó được giữ ở {aside}.\n"
                    "Chương trình sẽ đóng; hãy mở lại."
                ).format(name=path.name, aside=aside),
            )
            self.skip_signout_backup = True
            dlg = getattr(self, "backup_dialog", None)
            if dlg is not None:
                dlg.accept()
            self.close()
            app = QApplication.instance()
            if app is not None:
                app.quit()  # quit(), not exit(): a no-op outside app.exec() (tests)

        def failed(exc: BaseException) -> None:
            message = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
            dialogs().error(self, self.tr("Không khôi phục được"), message)
            self.status_timer.start(STATUS_REFRESH_MS)
            self.restart_idle_timer()
            self._start_sync()
            self.refresh_status()

        folder: Path = data_dir  # narrowed above; a closure does not keep mypy's narrowing
        worker.run(lambda: backup.restore_as(folder, path, username, password), done, failed)

    def edit_settings(self) -> None:
        from app.ui.officers import SettingsDialog

        dialog = SettingsDialog(self.settings, self, self.ctx)
        dialog.accepted.connect(lambda: self._settings_saved(dialog.saved_lock_minutes))
        dialogs().exec(dialog)

    def _settings_saved(self, minutes: int | None) -> None:
        """The lock time just chosen (the dialog stores it on the pool meanwhile)."""
        if minutes is not None:
            self.idle_minutes = minutes
        self.restart_idle_timer()

    def about_text(self) -> str:
        st = self.sync_status
        last = st.last_good_sync if st is not None else None
        return self.tr(
            "<b>Một cửa</b> — phiên bản {version}<br>Thư mục dữ liệu: {data}<br>"
            "Nhật ký: {logs}<br>"
            "Máy chủ trung tâm: {central}<br>Đồng bộ lần cuối: {last}"
        ).format(
            version=__version__,
            data=self.ctx.data_dir,
            logs=log_folder(self.ctx.data_dir),
            central=self.central_url or self.tr("(làm việc độc lập)"),
            last=local_dt(last) if last else self.tr("chưa có"),
        )

    def about(self) -> None:
        dialogs().info(self, self.tr("Giới thiệu"), self.about_text())

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.locked:
            # Title-bar X, Alt+F4 and Ctrl+Q all end here: a locked desk stays locked.
            event.ignore()
            return
        self.closing = True
        self.settings.save_geometry("main", self.saveGeometry())
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.scanner)
            app.removeEventFilter(self.idle)
        self.status_timer.stop()
        self.lock_timer.stop()
        self.backup_timer.stop()
        if self.sync_worker is not None:
            self.sync_worker.stop(timeout=5.0)
        from app.ui.capture import stop_ocr

        stop_ocr(self.ctx)  # a running OCRmyPDF is killed; offered again next time
        for v in self.open_views:
            v.close()
        if not getattr(self, "skip_signout_backup", False):
            # The sign-out backup waits here on purpose: the window is going away, and a
            # desk unplugged at night should have today's work copied before it goes.
            try:
                backup.auto_backup(self.ctx, "signout")
            except Exception as exc:  # a failed backup must not stop the desk closing
                import logging

                logging.getLogger(__name__).warning("sign-out backup failed: %s", exc)
        super().closeEvent(event)


def _window_context(
    ctx: DeskContext, legacy_lock: object | None
) -> tuple[DeskIdentity | None, str, int]:
    """Runs on the worker pool: this desk, the central it syncs with ("" if none) and the
    idle-lock time (an older version's per-user one carried in first, once)."""
    if legacy_lock is not None:
        ui_support.adopt_legacy_idle_lock(ctx, legacy_lock)
    central = ui_support.read_settings(ctx, "sync.central_url")["sync.central_url"]
    return setup.desk_identity(ctx), central or "", ui_support.idle_lock_minutes(ctx)


def utcnow() -> datetime:
    return datetime.now(UTC)
