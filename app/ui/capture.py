"""Digitising a dossier's components: scan or import pages, order them, store them (issue 16).

`CaptureDialog` takes pages from the scanner or from files (file dialog or drag-and-drop),
lets the officer reorder (drag, or the arrow buttons), rotate and remove them, and stores
them as the component's PDF. Scanning, reading files, thumbnails and storing all run on
the worker pool; a progress bar follows them through a plain counter the UI polls (a
worker never touches a widget). Saving stores the plain PDF (a fraction of a second a
page); the PDF/A copy with its text layer is made afterwards by `OcrQueue`, one at a time
on a pool of its own, never on the UI thread. `DigitisedPanel` lists a dossier's
components with their files, sync and text recognition state, fetches those this desk
lacks when it opens, and shows the pages (QtPdf).

Texts go through app.domain.messages (vi default, en), like the services' messages.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSize, Qt, QThread, QThreadPool, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QIcon, QImage, QPixmap, QTransform
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import DomainError, ValidationFailed
from app.domain.messages import register, tr
from app.services import digitise
from app.services.context import DeskContext
from app.services.digitise import ComponentFile, DigitiseResult, PageRef, Upgrade, UpgradeResult
from app.services.scanning import Scanner, ScanOptions, default_scanner
from app.ui import worker
from app.ui.common import ErrorLabel

register(
    {
        "capture.title": {"vi": "Số hóa thành phần hồ sơ", "en": "Digitise dossier components"},
        "capture.component": {"vi": "Thành phần:", "en": "Component:"},
        "capture.scan": {"vi": "Quét", "en": "Scan"},
        "capture.files": {"vi": "Thêm tệp…", "en": "Add files…"},
        "capture.up": {"vi": "Lên", "en": "Up"},
        "capture.down": {"vi": "Xuống", "en": "Down"},
        "capture.rotate": {"vi": "Xoay 90°", "en": "Rotate 90°"},
        "capture.remove": {"vi": "Bỏ trang", "en": "Remove page"},
        "capture.save": {"vi": "Lưu", "en": "Save"},
        "capture.close": {"vi": "Đóng", "en": "Close"},
        "capture.hint": {
            "vi": "Kéo thả ảnh JPEG/PNG hoặc PDF vào đây; kéo để đổi thứ tự trang.",
            "en": "Drop JPEG/PNG images or PDFs here; drag to reorder the pages.",
        },
        "capture.pages": {"vi": "{n} trang", "en": "{n} pages"},
        "capture.saved": {
            "vi": "Đã lưu {code}: {pages} trang, {size} ✓",
            "en": "Saved {code}: {pages} pages, {size} ✓",
        },
        "capture.ocr_pending": {
            "vi": "Nhận dạng chữ tiếng Việt (PDF/A): đang chờ, chạy nền (vài giây mỗi trang); "
            "không cần đợi.",
            "en": "Vietnamese text recognition (PDF/A): pending, in the background (a few "
            "seconds a page); no need to wait.",
        },
        "capture.ocr_done": {
            "vi": "Nhận dạng chữ tiếng Việt (PDF/A): xong ✓",
            "en": "Vietnamese text recognition (PDF/A): done ✓",
        },
        "capture.ocr_failed": {
            "vi": "Nhận dạng chữ tiếng Việt (PDF/A) không thành công ({why}); bản PDF thường "
            "đã lưu vẫn giữ nguyên.",
            "en": "Vietnamese text recognition (PDF/A) failed ({why}); the plain PDF stored "
            "stays as it is.",
        },
        "capture.file_filter": {
            "vi": "Ảnh và PDF (*.jpg *.jpeg *.png *.pdf)",
            "en": "Images and PDF (*.jpg *.jpeg *.png *.pdf)",
        },
        "panel.title": {"vi": "Hồ sơ số hóa", "en": "Digitised dossier"},
        "panel.col.component": {"vi": "Thành phần", "en": "Component"},
        "panel.col.pages": {"vi": "Số trang", "en": "Pages"},
        "panel.col.state": {"vi": "Trạng thái", "en": "State"},
        "panel.col.ocr": {"vi": "Nhận dạng chữ (PDF/A)", "en": "Text recognition (PDF/A)"},
        "panel.ocr.pending": {"vi": "Đang chờ", "en": "Pending"},
        "panel.ocr.running": {"vi": "Đang nhận dạng…", "en": "Recognising…"},
        "panel.ocr.done": {"vi": "Xong ✓", "en": "Done ✓"},
        "panel.ocr.failed": {"vi": "Không thành công: {why}", "en": "Failed: {why}"},
        "panel.ocr.off": {"vi": "Không (PDF thường)", "en": "No (plain PDF)"},
        "panel.ocr_retry": {"vi": "Nhận dạng chữ lại", "en": "Recognise text again"},
        "panel.capture": {"vi": "Quét / nhập…", "en": "Scan / import…"},
        "panel.view": {"vi": "Xem", "en": "View"},
        "panel.none": {"vi": "Chưa số hóa", "en": "Not digitised"},
        "panel.state.here": {
            "vi": "Trên máy này, chưa gửi máy chủ",
            "en": "On this desk, not sent yet",
        },
        "panel.state.synced": {"vi": "Đã đồng bộ", "en": "Synced"},
        "panel.state.remote": {
            "vi": "Trên máy chủ, chưa tải về",
            "en": "At the central, not fetched yet",
        },
        "panel.fetching": {"vi": "Đang tải tệp từ máy chủ…", "en": "Fetching from the central…"},
        "panel.fetch_failed": {
            "vi": "Chưa tải được tệp từ máy chủ: {why}",
            "en": "Could not fetch the files from the central: {why}",
        },
    }
)

log = logging.getLogger(__name__)

THUMB = 140


@dataclass
class Progress:
    """Written by a worker, read by the UI's timer: plain ints, no Qt."""

    done: int = 0
    total: int = 0

    def set(self, done: int, total: int) -> None:
        self.done, self.total = done, total


def _thumb(page: PageRef) -> QImage:
    """A small picture of one page (worker pool: QImage and QPdfDocument, no widget)."""
    if page.kind == "image":
        img = QImage(str(page.path))
    else:
        from PySide6.QtPdf import QPdfDocument

        doc = QPdfDocument()
        doc.load(str(page.path))
        size = doc.pagePointSize(page.index).toSize()
        img = doc.render(
            page.index, size.scaled(QSize(THUMB * 2, THUMB * 2), Qt.AspectRatioMode.KeepAspectRatio)
        )
        white = QImage(img.size(), QImage.Format.Format_RGB32)
        white.fill(Qt.GlobalColor.white)
        from PySide6.QtGui import QPainter

        p = QPainter(white)
        p.drawImage(0, 0, img)
        p.end()
        img = white
        doc.close()
    if img.isNull():
        img = QImage(THUMB, THUMB, QImage.Format.Format_RGB32)
        img.fill(Qt.GlobalColor.lightGray)
    img = img.scaled(THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio)
    if page.rotate:
        img = img.transformed(QTransform().rotate(page.rotate))
    return img


def _load_pages(paths: list[Path], source: str) -> list[tuple[PageRef, QImage]]:
    pages = digitise.pages_from_files(paths, source=source)  # type: ignore[arg-type]
    return [(p, _thumb(p)) for p in pages]


class PageList(QListWidget):
    """The pages in order, as thumbnails; drag to reorder, drop files to add.

    Signals: files_dropped(list): local files dropped from outside."""

    files_dropped = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setViewMode(QListWidget.ViewMode.IconMode)
        self.setIconSize(QSize(THUMB, THUMB))
        self.setMovement(QListWidget.Movement.Snap)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAcceptDrops(True)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setSpacing(6)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event: Any) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        if event.mimeData().hasUrls():
            paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
            event.acceptProposedAction()
            if paths:
                self.files_dropped.emit(paths)
        else:
            super().dropEvent(event)

    def pages(self) -> list[PageRef]:
        return [self.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.count())]


class CaptureDialog(QDialog):
    """Pages for one component at a time, stored with `digitise_component`.

    Signals: saved(object): a DigitiseResult, after the component was stored;
    collected(str, list): in `collect` mode (intake, before the dossier exists) the
    component's pages in order, kept until the dossier is recorded."""

    saved = Signal(object)
    collected = Signal(str, list)

    def __init__(
        self,
        ctx: DeskContext,
        dossier_id: str,
        components: list[tuple[str, str]],
        component_code: str | None = None,
        parent: QWidget | None = None,
        scanner: Callable[[], Scanner] = default_scanner,
        choose_files: Callable[[QWidget], list[Path]] | None = None,
        collect: bool = False,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.dossier_id = ctx, dossier_id
        self.collect = collect
        self.make_scanner = scanner
        self.choose_files = choose_files or _file_dialog
        self.busy = False
        self.progress_state = Progress()
        self.scan_dir = Path(tempfile.mkdtemp(prefix="onestop-scan-"))
        self.setWindowTitle(tr("capture.title"))
        self.component = QComboBox()
        for code, name in components:
            self.component.addItem(f"{code} — {name}", code)
        if component_code is not None:
            self.component.setCurrentIndex(max(0, self.component.findData(component_code)))
        self.list = PageList()
        self.list.files_dropped.connect(self.add_files)
        self.hint = QLabel(tr("capture.hint"))
        self.count = QLabel()
        self.error = ErrorLabel()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.hide()
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for key, slot in (
            ("scan", self.scan),
            ("files", lambda: self.add_files(self.choose_files(self))),
            ("up", lambda: self.move_page(-1)),
            ("down", lambda: self.move_page(1)),
            ("rotate", self.rotate),
            ("remove", self.remove),
        ):
            b = QPushButton(tr(f"capture.{key}"))
            b.setObjectName(f"capture_{key}")
            b.clicked.connect(slot)
            self.buttons[key] = b
            row.addWidget(b)
        row.addStretch(1)
        self.save_btn = QPushButton(tr("capture.save"))
        self.save_btn.setObjectName("capture_save")
        self.save_btn.clicked.connect(self.save)
        close = QPushButton(tr("capture.close"))
        close.clicked.connect(self.reject)
        row.addWidget(self.save_btn)
        row.addWidget(close)
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("capture.component")))
        top.addWidget(self.component, 1)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.hint)
        lay.addWidget(self.list, 1)
        lay.addWidget(self.count)
        lay.addWidget(self.bar)
        lay.addWidget(self.error)
        lay.addWidget(self.note)
        lay.addLayout(row)
        self.timer = QTimer(self)
        self.timer.setInterval(100)
        self.timer.timeout.connect(self._show_progress)
        self.resize(900, 600)
        self._refresh()

    # -- state ------------------------------------------------------------------------------

    def _refresh(self) -> None:
        n = self.list.count()
        self.count.setText(tr("capture.pages", n=n))
        for b in self.buttons.values():
            b.setEnabled(not self.busy)
        self.save_btn.setEnabled(not self.busy and n > 0)

    def _start(self, total: int = 0) -> Progress:
        self.busy = True
        self.error.hide()
        self.progress_state = Progress(0, total)
        self.bar.setRange(0, total)  # 0, 0: busy indicator until a total is known
        self.bar.setValue(0)
        self.bar.show()
        self.timer.start()
        self._refresh()
        return self.progress_state

    def _stop(self) -> None:
        self.busy = False
        self.timer.stop()
        self.bar.hide()
        self._refresh()

    def _show_progress(self) -> None:
        p = self.progress_state
        if p.total:
            self.bar.setRange(0, p.total)
            self.bar.setValue(p.done)

    def _failed(self, exc: BaseException) -> None:
        self._stop()
        if isinstance(exc, ValidationFailed):
            self.error.show_error("\n".join(e.message for e in exc.errors))
        elif isinstance(exc, DomainError):
            self.error.show_error(exc.message)
        else:
            self.error.show_error(str(exc))

    def _append(self, loaded: list[tuple[PageRef, QImage]]) -> None:
        self._stop()
        for page, img in loaded:
            item = QListWidgetItem(QIcon(QPixmap.fromImage(img)), str(self.list.count() + 1))
            item.setData(Qt.ItemDataRole.UserRole, page)
            self.list.addItem(item)
        self._refresh()

    # -- actions ----------------------------------------------------------------------------

    def add_files(self, paths: list[Path]) -> None:
        if not paths or self.busy:
            return
        self._start()
        files = list(paths)
        worker.run(lambda: _load_pages(files, "file"), self._append, self._failed)

    def scan(self) -> None:
        if self.busy:
            return
        progress = self._start()
        make, folder = self.make_scanner, Path(tempfile.mkdtemp(dir=self.scan_dir))

        def work() -> list[tuple[PageRef, QImage]]:
            scanner = make()
            devices = scanner.devices()
            if not devices:
                from app.domain.messages import tr as t

                raise DomainError("scan.no_device", t("scan.no_device"))
            files = scanner.scan(
                devices[0].name, folder, ScanOptions(), lambda n: progress.set(n, 0)
            )
            return _load_pages(files, "scanner")

        worker.run(work, self._append, self._failed)

    def move_page(self, step: int) -> None:
        row = self.list.currentRow()
        to = row + step
        if row < 0 or not 0 <= to < self.list.count():
            return
        item = self.list.takeItem(row)
        self.list.insertItem(to, item)
        self.list.setCurrentRow(to)

    def rotate(self) -> None:
        for item in self.list.selectedItems():
            page: PageRef = item.data(Qt.ItemDataRole.UserRole)
            item.setData(Qt.ItemDataRole.UserRole, page.rotated(90))
            pix = item.icon().pixmap(THUMB, THUMB).transformed(QTransform().rotate(90))
            item.setIcon(QIcon(pix))

    def remove(self) -> None:
        for item in self.list.selectedItems():
            self.list.takeItem(self.list.row(item))
        self._refresh()

    def save(self) -> None:
        pages = self.list.pages()
        if not pages or self.busy:
            return
        if self.collect:
            self.collected.emit(str(self.component.currentData()), pages)
            self.accept()
            return
        progress = self._start(len(pages))
        ctx, dossier, code = self.ctx, self.dossier_id, str(self.component.currentData())
        worker.run(
            lambda: digitise.digitise_component(ctx, dossier, code, pages, progress=progress.set),
            self._saved,
            self._failed,
        )

    def _saved(self, result: DigitiseResult) -> None:
        self._stop()
        self.list.clear()
        size = f"{result.size / 1024 / 1024:.1f} MB".replace(".", ",")
        self.saved_text = tr(
            "capture.saved", code=self.component.currentData(), pages=result.pages, size=size
        )
        self.saved_sha = result.sha256
        after = result.note
        if result.ocr_pending:
            after = tr("capture.ocr_pending")
            queue = ocr_queue(self.ctx)
            queue.finished.connect(self._ocr_finished)
            queue.add(Upgrade(self.dossier_id, str(self.component.currentData()), result.sha256))
        self.note.setText(self.saved_text + (f"\n{after}" if after else ""))
        self._refresh()
        self.saved.emit(result)

    def _ocr_finished(self, result: UpgradeResult) -> None:
        """The background PDF/A copy of the file this window saved last ended."""
        if result.upgrade.plain_sha != getattr(self, "saved_sha", None):
            return
        if result.outcome == "done":
            self.note.setText(f"{self.saved_text}\n{tr('capture.ocr_done')}")
        elif result.outcome == "failed":
            why = tr("capture.ocr_failed", why=result.why[:200])
            self.note.setText(f"{self.saved_text}\n{why}")

    def done(self, r: int) -> None:
        if not (self.collect and r == QDialog.DialogCode.Accepted):
            shutil.rmtree(self.scan_dir, ignore_errors=True)  # collected: the owner's now
        super().done(r)


def _file_dialog(parent: QWidget) -> list[Path]:
    names, _ = QFileDialog.getOpenFileNames(
        parent, tr("capture.files"), "", tr("capture.file_filter")
    )
    return [Path(n) for n in names]


class PdfViewer(QDialog):
    """The pages of one stored file (QtPdf)."""

    def __init__(self, path: Path, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtPdf import QPdfDocument
        from PySide6.QtPdfWidgets import QPdfView

        self.setWindowTitle(title)
        self.doc = QPdfDocument(self)
        self.doc.load(str(path))
        self.view = QPdfView(self)
        self.view.setDocument(self.doc)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        QVBoxLayout(self).addWidget(self.view)
        self.resize(800, 900)


class DigitisedPanel(QDialog):
    """A dossier's components, their files and sync state; fetches what is missing here.

    Signals: loaded(): the list is on screen (after any fetch); viewer_shown(): the
    pages of the chosen component are open."""

    loaded = Signal()
    viewer_shown = Signal()

    def __init__(
        self,
        ctx: DeskContext,
        dossier_id: str,
        components: list[tuple[str, str]],
        parent: QWidget | None = None,
        fetch: bool = True,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.dossier_id, self.components = ctx, dossier_id, components
        self.files: dict[str, ComponentFile] = {}
        self.viewer: PdfViewer | None = None
        self.setWindowTitle(tr("panel.title"))
        self.table = QTableWidget(len(components), 4)
        self.table.setHorizontalHeaderLabels(
            [
                tr("panel.col.component"),
                tr("panel.col.pages"),
                tr("panel.col.state"),
                tr("panel.col.ocr"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 420)
        self.message = ErrorLabel()
        self.capture_btn = QPushButton(tr("panel.capture"))
        self.capture_btn.clicked.connect(self.open_capture)
        self.view_btn = QPushButton(tr("panel.view"))
        self.view_btn.clicked.connect(self.open_viewer)
        # A failed PDF/A copy is not tried again by itself; a person may ask once more.
        self.retry_btn = QPushButton(tr("panel.ocr_retry"))
        self.retry_btn.setObjectName("ocr_retry")
        self.retry_btn.clicked.connect(self.retry_ocr)
        self.retry_btn.setEnabled(False)
        self.table.currentCellChanged.connect(lambda *_: self._update_retry())
        row = QHBoxLayout()
        row.addWidget(self.capture_btn)
        row.addWidget(self.view_btn)
        row.addWidget(self.retry_btn)
        row.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.message)
        lay.addLayout(row)
        self.resize(900, 400)
        # The background PDF/A copies: the state column follows them.
        self.queue = ocr_queue(ctx)
        self.queue.changed.connect(self._ocr_changed)
        self.reload(fetch)

    def _ocr_changed(self, dossier_id: str) -> None:
        if dossier_id == self.dossier_id:
            self.reload()

    def reload(self, fetch: bool = False) -> None:
        ctx, dossier = self.ctx, self.dossier_id
        if fetch:
            from app.sync.files import fetch_for_dossier

            self.message.show_error(tr("panel.fetching"))
            worker.run(lambda: fetch_for_dossier(ctx, dossier), self._fetched, self._fetch_failed)
            return
        worker.run(lambda: digitise.files_of(ctx, dossier), self._show, self._fetch_failed)

    def _fetched(self, _n: int) -> None:
        self.message.hide()
        self.reload()

    def _fetch_failed(self, exc: BaseException) -> None:
        why = exc.message if isinstance(exc, DomainError) else str(exc)
        self.message.show_error(tr("panel.fetch_failed", why=why[:200]))
        ctx, dossier = self.ctx, self.dossier_id
        worker.run(lambda: digitise.files_of(ctx, dossier), self._show, lambda _e: None)

    def _show(self, files: list[ComponentFile]) -> None:
        self.files = {f.component_code: f for f in files}
        for r, (code, name) in enumerate(self.components):
            f = self.files.get(code)
            self.table.setItem(r, 0, QTableWidgetItem(f"{code} — {name}"))
            self.table.setItem(r, 1, QTableWidgetItem(str(f.pages) if f else ""))
            state = tr(f"panel.state.{f.state}") if f else tr("panel.none")
            self.table.setItem(r, 2, QTableWidgetItem(state))
            self.table.setItem(r, 3, self._ocr_item(f))
        self._update_retry()
        self.loaded.emit()

    def _update_retry(self) -> None:
        f = self.files.get(self._current() or "")
        self.retry_btn.setEnabled(f is not None and f.ocr == "failed")

    def retry_ocr(self) -> None:
        """Forget the selected component's failed copy and queue it again."""
        code = self._current()
        f = self.files.get(code or "")
        if code is None or f is None or f.ocr != "failed":
            return
        ctx, sha, upgrade = self.ctx, f.sha256, Upgrade(self.dossier_id, code, f.sha256)
        self.retry_btn.setEnabled(False)

        def forgotten(_r: None) -> None:
            self.queue.add(upgrade)
            self.reload()

        worker.run(lambda: digitise.forget_failure(ctx, sha), forgotten, self._fetch_failed)

    def _ocr_item(self, f: ComponentFile | None) -> QTableWidgetItem:
        """Pending, recognising (the queue is on it now), done, failed (why), off."""
        if f is None or not f.ocr:
            return QTableWidgetItem("")
        state = f.ocr
        if state == "pending" and self.queue.running_sha() == f.sha256:
            state = "running"
        if state == "failed":
            item = QTableWidgetItem(tr("panel.ocr.failed", why=f.ocr_note[:80]))
            item.setToolTip(f.ocr_note)
            return item
        return QTableWidgetItem(tr(f"panel.ocr.{state}"))

    def _current(self) -> str | None:
        r = self.table.currentRow()
        return self.components[r][0] if 0 <= r < len(self.components) else None

    def open_capture(self) -> CaptureDialog:
        dlg = CaptureDialog(self.ctx, self.dossier_id, self.components, self._current(), self)
        dlg.saved.connect(lambda _r: self.reload())
        dlg.show()
        return dlg

    def open_viewer(self) -> None:
        """Check the file by its hash on the pool, then show it (`viewer`)."""
        code = self._current()
        f = self.files.get(code or "")
        if f is None or f.state == "remote":
            return
        ctx, sha = self.ctx, f.sha256

        def show(path: Path) -> None:
            self.viewer = PdfViewer(path, str(code), self)
            self.viewer.show()
            self.viewer_shown.emit()

        worker.run(lambda: digitise.file_path(ctx, sha), show, self._fetch_failed)


class IntakeCapture(QObject):
    """Capture in the intake checklist: a camera button on each line (no tab stop: the
    line stays the one tab stop, issue 10) collects the component's pages before the
    dossier exists; once intake records it, they are stored on the worker pool.

    Signals:
        finished(list): the DigitiseResults of the dossier just received.
        stored(str): the dossier whose collected pages are no longer being stored (done or
            failed): its receipt, which lists what was digitised, can print now.

    Attributes:
        storing: ids of dossiers whose collected pages are being stored."""

    finished = Signal(list)
    stored = Signal(str)

    def __init__(self, intake: Any) -> None:
        super().__init__(intake)
        self.intake = intake
        self.pending: dict[str, tuple[list[PageRef], Path]] = {}
        self.buttons: dict[str, QToolButton] = {}
        self.storing: set[str] = set()
        intake.submitted.connect(self._received)

    def rows_built(self, rows: list[Any]) -> None:
        """A new checklist: a button per line; pages of the previous one are dropped."""
        self._drop_pending()
        self.buttons = {}
        for row in rows:
            b = QToolButton(row.frame)
            b.setText("📷")
            b.setToolTip(tr("capture.title"))
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.setObjectName(f"capture_{row.comp.code}")
            b.clicked.connect(lambda _=False, r=row: self.open(r))
            layout = row.frame.layout()
            if isinstance(layout, QGridLayout):
                layout.addWidget(b, 0, 2)
            self.buttons[row.comp.code] = b

    def open(self, row: Any) -> CaptureDialog:
        name = row.comp.name_vi
        dlg = CaptureDialog(
            self.intake.ctx,
            "",
            [(row.comp.code, name)],
            row.comp.code,
            self.intake,
            collect=True,
        )
        dlg.collected.connect(lambda code, pages, d=dlg: self._collected(code, pages, d))
        dlg.show()
        return dlg

    def _collected(self, code: str, pages: list[PageRef], dlg: CaptureDialog) -> None:
        old = self.pending.pop(code, None)
        if old is not None:
            shutil.rmtree(old[1], ignore_errors=True)
        self.pending[code] = (pages, dlg.scan_dir)
        b = self.buttons.get(code)
        if b is not None:
            b.setText(f"📷 {len(pages)}")

    def _drop_pending(self) -> None:
        for _pages, folder in self.pending.values():
            shutil.rmtree(folder, ignore_errors=True)
        self.pending = {}

    def _received(self, result: Any, outcome: str) -> None:
        """Store what was collected for the lines handed in (the dossier's components)."""
        handed = {h.component_code for h in self.intake.items()}
        todo = [(c, p) for c, (p, _f) in self.pending.items() if c in handed]
        folders = [f for _p, f in self.pending.values()]
        self.pending = {}
        if not todo or outcome != "receive":
            for f in folders:
                shutil.rmtree(f, ignore_errors=True)
            return
        ctx, dossier = self.intake.ctx, result.dossier_id
        self.storing.add(dossier)

        def over() -> None:
            self.storing.discard(dossier)
            self.stored.emit(dossier)

        def done(results: list[DigitiseResult]) -> None:
            over()
            self.finished.emit(results)
            queue = ocr_queue(ctx)
            for (code, _pages), r in zip(todo, results, strict=True):
                if r.ocr_pending:
                    queue.add(Upgrade(dossier, code, r.sha256))

        def work() -> list[DigitiseResult]:
            try:
                return [digitise.digitise_component(ctx, dossier, c, p) for c, p in todo]
            finally:
                for f in folders:
                    shutil.rmtree(f, ignore_errors=True)

        def failed(exc: BaseException) -> None:
            from app.ui.dialogs import dialogs

            why = exc.message if isinstance(exc, DomainError) else str(exc)
            if isinstance(exc, ValidationFailed):
                why = "; ".join(e.message for e in exc.errors)
            over()
            dialogs().error(self.intake, tr("capture.title"), why[:400])

        worker.run(work, done, failed)


class OcrQueue(QObject):
    """The PDF/A copies still to make, made one at a time in the background.

    Its own pool of one low-priority thread (the shared pool's few threads stay free for
    the screens), and OCRmyPDF itself runs under `nice`. Fed by each store and, after
    sign-in, by `pick_up` (what the events say is left, e.g. from before a restart); a
    failed copy is remembered by the service and not offered again.

    Signals:
        changed(str): a dossier whose component's text recognition started or ended.
        finished(object): an UpgradeResult."""

    changed = Signal(str)
    finished = Signal(object)

    def __init__(self, ctx: DeskContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.todo: deque[Upgrade] = deque()
        self.running: Upgrade | None = None
        self.stopping = threading.Event()
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.pool.setThreadPriority(QThread.Priority.LowestPriority)

    def pick_up(self) -> None:
        """Queue what the data says is left to do (read on the shared pool)."""
        ctx = self.ctx
        worker.run(
            lambda: digitise.pending_upgrades(ctx),
            self.add_all,
            lambda exc: log.warning("pending PDF/A copies not read: %s", type(exc).__name__),
        )

    def add_all(self, upgrades: list[Upgrade]) -> None:
        for u in upgrades:
            self.add(u)

    def add(self, upgrade: Upgrade) -> None:
        if self.stopping.is_set() or upgrade == self.running or upgrade in self.todo:
            return
        self.todo.append(upgrade)
        self._next()

    def running_sha(self) -> str | None:
        return self.running.plain_sha if self.running else None

    def _next(self) -> None:
        if self.running is not None or not self.todo or self.stopping.is_set():
            return
        u = self.running = self.todo.popleft()
        ctx, cancel = self.ctx, self.stopping
        worker.run(
            lambda: digitise.upgrade_to_pdfa(
                ctx, u.dossier_id, u.component_code, u.plain_sha, cancel=cancel
            ),
            self._done,
            lambda exc: self._error(u, exc),
            on=self.pool,
        )
        self.changed.emit(u.dossier_id)

    def _done(self, result: UpgradeResult) -> None:
        self.running = None
        self.finished.emit(result)
        self.changed.emit(result.upgrade.dossier_id)
        self._next()

    def _error(self, upgrade: Upgrade, exc: BaseException) -> None:
        # Not a failure of OCR (a database error...): logged without the dossier's data,
        # offered again after the next sign-in.
        log.warning("PDF/A copy not made: %s", type(exc).__name__)
        self.running = None
        self.changed.emit(upgrade.dossier_id)
        self._next()

    def stop(self, timeout_ms: int = 10_000) -> bool:
        """The desk is closing: nothing more starts, a running OCRmyPDF is killed (it is
        offered again next time); True when the pool has stopped."""
        self.stopping.set()
        self.todo.clear()
        return self.pool.waitForDone(timeout_ms)


_queues: dict[int, OcrQueue] = {}


def ocr_queue(ctx: DeskContext) -> OcrQueue:
    """The desk's one queue of PDF/A copies (made on first use, on the UI thread)."""
    q = _queues.get(id(ctx))
    if q is None or q.ctx is not ctx:
        q = _queues[id(ctx)] = OcrQueue(ctx)
    return q


def stop_ocr(ctx: DeskContext, timeout_ms: int = 10_000) -> None:
    """Stop the desk's queue, if it has one (the window closing, a test's end)."""
    q = _queues.pop(id(ctx), None)
    if q is not None:
        q.stop(timeout_ms)
