"""Preview, print and save the PDF forms that `app.services.documents` renders.

The PDF is rendered on the worker pool; the preview rasterises pages with QtPdf (filled
white: QtPdf pages are transparent). With no printer installed (`QPrinterInfo` lists none)
the preview still works and offers Save as PDF. Printer choice goes through
`dialogs().choose_printer`, which tests replace.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QBuffer,
    QByteArray,
    QCoreApplication,
    QEvent,
    QIODevice,
    QObject,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QKeySequence,
    QPainter,
    QPalette,
    QPixmap,
    QShortcut,
)
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain.text import short_id
from app.services.context import DeskContext
from app.ui import worker
from app.ui.common import fit_to_screen
from app.ui.dialogs import dialogs

log = logging.getLogger(__name__)

FORM_TITLES = {
    "receipt": QT_TRANSLATE_NOOP("Printing", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    "receipt-80mm": QT_TRANSLATE_NOOP("Printing", "Phiếu hẹn (máy in nhiệt 80 mm)"),
    "supplement": QT_TRANSLATE_NOOP("Printing", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "refusal": QT_TRANSLATE_NOOP("Printing", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
    "apology": QT_TRANSLATE_NOOP("Printing", "Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
    "stop": QT_TRANSLATE_NOOP("Printing", "Thông báo dừng giải quyết hồ sơ"),
    "control": QT_TRANSLATE_NOOP("Printing", "Phiếu kiểm soát quá trình giải quyết hồ sơ"),
}


_printers: list[bool] = []  # the answer, once known (asking CUPS can take a while)


def printers_available(refresh: bool = False) -> bool:
    """Whether the system lists any printer; asked once, then remembered (the warm-up
    after sign-in asks in the background, so the first preview does not wait for CUPS)."""
    if refresh or not _printers:
        from PySide6.QtPrintSupport import QPrinterInfo

        _printers[:] = [bool(QPrinterInfo.availablePrinters())]
    return _printers[0]


def _warm_pdf_stack() -> None:
    """Runs on the worker pool: import the PDF and barcode modules, register the fonts,
    make a page like a receipt (text, table, Code 128, QR) and rasterise it with QtPdf."""
    import io

    from reportlab.graphics.barcode import code128, qr  # noqa: F401
    from reportlab.lib.pagesizes import A5
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    import app.services.documents  # noqa: F401  (the forms and their modules)
    from app.print.codes import code128_modules
    from app.print.fonts import REGULAR, register_fonts

    register_fonts()
    code128_modules("000.00.00.H00-000101-0001")
    style = ParagraphStyle("warm", fontName=REGULAR, fontSize=11)
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A5).build(
        [Paragraph("Giấy tiếp nhận hồ sơ và hẹn trả kết quả", style),
         Table([["TT", "Tên giấy tờ"], ["1", "Tờ khai"]])]
    )
    render_pages(buf.getvalue())
    printers_available(refresh=True)


_warming: list[bool] = []  # started once per process


def warm_printing() -> None:
    """Warm the printing path in the background (issue 10: the first preview took 1.6 s).
    Once per process: the sign-in window starts it, a main window opened another way
    (`start`, tests) starts it if nothing did, since Receive now waits for the receipt."""
    if _warming:
        return
    _warming.append(True)
    # The Qt types the warm-up uses are made here, on the UI thread. Made by the worker,
    # shiboken's lazy type creation ran while the UI thread built wrappers for objects its
    # application-wide event filters (scanner, idle lock) were handed, and the process
    # crashed in shiboken's type lookup about one start in three (tests/gui/test_reports.py
    # under gdb: SIGSEGV in BindingManager::findDerivedType).
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPrintSupport import QPrinterInfo

    _ = (QPdfDocument.Status.Ready, QPrinterInfo)
    worker.run(_warm_pdf_stack, None, lambda exc: log.warning("warm-up: %s", type(exc).__name__))


def render_pages(
    pdf: bytes, width_px: int = 620, first: int = 0, count: int | None = None
) -> list[QImage]:
    """Pages `first`.. (`count` of them, all by default) as white-filled images `width_px`
    wide (QtPdf renders transparent)."""
    return _render(pdf, width_px, first, count)[0]


def _render(
    pdf: bytes, width_px: int, first: int, count: int | None
) -> tuple[list[QImage], int]:
    """The images and the document's page count."""
    from PySide6.QtPdf import QPdfDocument

    doc = QPdfDocument()
    buf = QBuffer()
    buf.setData(QByteArray(pdf))
    buf.open(QIODevice.OpenModeFlag.ReadOnly)
    doc.load(buf)
    total = doc.pageCount()
    last = total if count is None else min(total, first + count)
    out = []
    for i in range(first, last):
        size = doc.pagePointSize(i)
        h = int(width_px * size.height() / max(1.0, size.width()))
        img = doc.render(i, QSize(width_px, h))
        page = QImage(img.size(), QImage.Format.Format_RGB32)
        page.fill(Qt.GlobalColor.white)
        p = QPainter(page)
        p.drawImage(0, 0, img)
        p.end()
        out.append(page)
    doc.close()
    return out, total


def page_images(pdf: bytes, first: int = 0, count: int | None = None) -> list[QImage]:
    """The preview's page images; none when QtPdf fails (a preview failure must not block
    printing or saving). Safe on the worker pool: QImage is not a widget."""
    return _page_images(pdf, first, count)[0]


def _page_images(pdf: bytes, first: int, count: int | None) -> tuple[list[QImage], int]:
    try:
        return _render(pdf, 620, first, count)
    except Exception as exc:
        log.warning("preview failed: %s", type(exc).__name__)
        return [], 0


@dataclass(frozen=True)
class Paper:
    """A form rendered on the worker pool, ready for the preview: its first page already
    rasterised (the rest follow once it is on screen). `record`: the print is still to be
    recorded as an event, after the preview shows (the write is not on the way to it)."""

    rendered: Any
    images: list[QImage] | None  # None when it goes straight to the printer
    pages: int
    record: bool = False

    @property
    def pdf(self) -> bytes:
        return self.rendered if isinstance(self.rendered, bytes) else bytes(self.rendered.pdf)


def prepare_paper(
    ctx: DeskContext,
    ref: str,
    form: str,
    *,
    copy: bool | None = None,
    direct: bool = False,
    record_later: bool = False,
) -> Paper:
    """Runs on the worker pool: render `form` for dossier `ref` and rasterise its first
    page for the preview (nothing when printing `direct`). `record_later`: leave the
    `printed` event to `print_document`, which writes it once the preview is painted."""
    from app.services import documents

    rendered = documents.render(ctx, ref, form, copy=copy, record=not record_later)
    pdf = rendered if isinstance(rendered, bytes) else rendered.pdf
    if direct:
        return Paper(rendered, None, 0, record_later)
    images, total = _page_images(pdf, 0, 1)
    return Paper(rendered, images, total, record_later)


class PrintPreview(QDialog):
    """A rendered form: look, print (Ctrl+P), save as PDF; Esc closes.

    A closed preview is kept hidden for the next form of the same window (`preview_for`):
    the next receipt fills it instead of building and polishing a dialog on the way to
    the screen, and previews no longer pile up as hidden children of the main window.
    """

    def __init__(
        self,
        pdf: bytes,
        title: str,
        filename: str,
        parent: QWidget | None = None,
        heading: str | None = None,
        printer_name: str = "",
        images: list[QImage] | None = None,
        *,
        empty: bool = False,
    ) -> None:
        """`images`: the pages already rasterised on the worker pool (`page_images`), all
        or the first ones (`add_pages` brings the others); without them the preview
        rasterises here. `empty`: build the dialog only (a spare; `load` fills it)."""
        super().__init__(parent)
        self.pdf = b""
        self.filename = ""
        self.printer_name = ""  # the desk's print queue; "" for the default
        lay = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setObjectName("heading")
        font = QFont(self.heading.font())
        font.setPointSize(13)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.hide()
        lay.addWidget(self.heading)
        pages = QWidget()
        self.pages_layout = QVBoxLayout(pages)
        self.page_labels: list[QLabel] = []
        scroll = QScrollArea()
        scroll.setWidget(pages)
        scroll.setWidgetResizable(True)
        lay.addWidget(scroll, 1)
        self.note = QLabel()
        self.note.setWordWrap(True)
        lay.addWidget(self.note)
        buttons = QHBoxLayout()
        self.print_btn = QPushButton(self.tr("&In… (Ctrl+P)"))
        self.save_btn = QPushButton(self.tr("&Lưu thành PDF…"))
        self.close_btn = QPushButton(self.tr("Đóng (Esc)"))
        buttons.addWidget(self.print_btn)
        buttons.addWidget(self.save_btn)
        buttons.addStretch(1)
        buttons.addWidget(self.close_btn)
        lay.addLayout(buttons)
        self.print_btn.clicked.connect(self.print_now)
        self.save_btn.clicked.connect(self.save_pdf)
        self.close_btn.clicked.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+P"), self, self.print_now)
        self.finished.connect(self._closed)
        if not empty:
            self.load(pdf, title, filename, heading, printer_name, images)

    def load(
        self,
        pdf: bytes,
        title: str,
        filename: str,
        heading: str | None = None,
        printer_name: str = "",
        images: list[QImage] | None = None,
    ) -> None:
        """Show this form (the previous one's pages go)."""
        self.pdf = pdf
        self.filename = filename
        self.printer_name = printer_name
        self.setWindowTitle(title)
        self.heading.setText(heading or "")
        self.heading.setVisible(bool(heading))
        self._drop_pages()
        self.add_pages(page_images(pdf) if images is None else images)
        self.note.setText("")
        if not printer_name and not printers_available():
            self.print_btn.setEnabled(False)
            self.note.setText(
                self.tr("Máy này chưa có máy in: hãy lưu phiếu thành PDF để in ở máy khác.")
            )
            self.save_btn.setDefault(True)
            self.print_btn.setDefault(False)
        else:
            self.print_btn.setEnabled(True)
            self.save_btn.setDefault(False)
            self.print_btn.setDefault(True)
        # The page scrolls; the buttons below it stay on screen (issue 10: at 720×860 a
        # 768-pixel screen hid Print, Save and Close).
        fit_to_screen(self, 720, 860, self.parentWidget())

    def add_pages(self, images: list[QImage]) -> None:
        """Page images after those shown (a long form's later pages come after its first
        is on screen)."""
        for img in images:
            lbl = QLabel()
            lbl.setPixmap(QPixmap.fromImage(img))
            # A plain frame, not a style sheet: style sheets cost a polish per page.
            lbl.setFrameShape(QFrame.Shape.Box)
            pal = lbl.palette()
            pal.setColor(QPalette.ColorRole.WindowText, QColor("#999999"))
            lbl.setPalette(pal)
            self.pages_layout.addWidget(lbl, 0, Qt.AlignmentFlag.AlignHCenter)
            self.page_labels.append(lbl)

    def _drop_pages(self) -> None:
        for lbl in self.page_labels:
            self.pages_layout.removeWidget(lbl)
            lbl.deleteLater()
        self.page_labels = []

    def _closed(self) -> None:
        """Closed: kept (without its pages) as the window's next preview, or deleted."""
        self._drop_pages()
        self.pdf = b""
        parent = self.parentWidget()
        if parent is not None and _spare_for(parent) is None:
            _spares.append(self)
        else:
            self.deleteLater()

    def print_now(self, ask: bool = True) -> bool:
        """Print on the desk's queue (by name, from the settings) or the default printer."""
        from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

        if self.printer_name:
            info = QPrinterInfo.printerInfo(self.printer_name)
            if info.isNull():
                self.note.setText(
                    self.tr("Không tìm thấy máy in {p}: kiểm tra Cài đặt quầy.").format(
                        p=self.printer_name
                    )
                )
                return False
        elif printers_available():
            info = QPrinterInfo.defaultPrinter()
        else:
            return False
        printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
        # 300 dpi is plenty for text and a Code 128 (a module is 4 dots wide); 1200 made a
        # page a 100-megapixel image that took CUPS half a minute to pass on.
        printer.setResolution(min(printer.resolution(), 300))
        printer.setDocName(self.filename)
        if ask and not dialogs().choose_printer(self, printer):
            return False
        paint_pdf(self.pdf, printer)
        self.note.setText(self.tr("Đã gửi tới máy in {p}.").format(p=printer.printerName()))
        return True

    def save_pdf(self) -> str:
        path = dialogs().save_file(
            self, self.tr("Lưu phiếu thành PDF"), self.filename, self.tr("Tệp PDF (*.pdf)")
        )
        if not path:
            return ""
        try:
            with open(path, "wb") as fh:
                fh.write(self.pdf)
        except OSError as exc:
            dialogs().error(self, self.tr("Không lưu được tệp"), str(exc))
            return ""
        self.note.setText(self.tr("Đã lưu: {p}").format(p=path))
        return path


def paint_pdf(pdf: bytes, printer: Any) -> None:
    """Paint each page onto the printer at its resolution, one page per sheet."""
    res = printer.resolution()
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("printer did not start")
    try:
        page_rect = printer.pageRect(printer.Unit.DevicePixel)
        width = int(page_rect.width()) or int(res * 5.8)
        for i, img in enumerate(render_pages(pdf, width)):
            if i:
                printer.newPage()
            painter.drawImage(0, 0, img)
    finally:
        painter.end()


def rendered_code(rendered: Any, ref: str) -> str:
    """The dossier code for a file name (the job title a print queue shows)."""
    return str(getattr(rendered, "code", "") or short_id(ref))


#: The previews still open (so they are not garbage collected).
_open: list[PrintPreview] = []

#: Hidden previews ready for the next form, at most one per window.
_spares: list[PrintPreview] = []


def _spare_for(parent: QWidget | None) -> PrintPreview | None:
    from shiboken6 import isValid

    _spares[:] = [p for p in _spares if isValid(p) and not p.isVisible()]
    return next((p for p in _spares if p.parentWidget() is parent), None)


def _alive(obj: Any) -> bool:
    """False for a widget, or a method of one, whose C++ object is gone (a window closed
    before its follow-up ran)."""
    from shiboken6 import isValid

    owner = getattr(obj, "__self__", obj)
    return not isinstance(owner, QObject) or bool(isValid(owner))


def keep_spare(parent: QWidget) -> None:
    """Build `parent`'s next preview now, hidden (after sign-in, while the officer types:
    the first receipt then finds a dialog already built and polished)."""
    if _alive(parent) and _spare_for(parent) is None:
        spare = PrintPreview(b"", "", "", parent, empty=True)
        spare.ensurePolished()
        _spares.append(spare)


def preview_for(
    parent: QWidget | None,
    pdf: bytes,
    title: str,
    filename: str,
    heading: str | None = None,
    printer_name: str = "",
    images: list[QImage] | None = None,
) -> PrintPreview:
    """A preview of `pdf` for `parent`: its spare filled in, or a new one."""
    spare = _spare_for(parent)
    if spare is None:
        return PrintPreview(pdf, title, filename, parent, heading, printer_name, images)
    _spares.remove(spare)
    spare.load(pdf, title, filename, heading, printer_name, images)
    return spare


def print_document(
    parent: QWidget | None,
    ctx: DeskContext,
    ref: str,
    form: str,
    settings: Any = None,
    heading: str | None = None,
    copy: bool | None = None,
    paper: Paper | BaseException | None = None,
    after_shown: Callable[[], None] | None = None,
    spare: bool = False,
) -> None:
    """Render `form` for dossier `ref` in the background, then preview it (or print at once
    when "print straight to the default printer" is on and a printer exists).

    `paper`: the form already prepared on the pool (`prepare_paper`, in the same trip as
    the intake that made the dossier), or the error preparing it raised; then nothing
    goes to the pool before the preview shows. `after_shown` runs once the preview's first
    page is painted (or the form has gone to the printer, or failed): work that can wait
    (status counts, the `printed` event, later pages) does not compete with the preview.
    `spare`: then build `parent`'s next preview too (the counter's window, where the next
    receipt follows).
    """

    def finish() -> None:
        if after_shown is not None and _alive(after_shown):
            after_shown()

    try:
        from app.services import documents  # noqa: F401  (another layer's module)
    except ImportError:
        finish()
        if heading:
            dialogs().info(parent, QCoreApplication.translate("Printing", "Một cửa"), heading)
        return

    direct = bool(settings is not None and settings.get("print_direct"))

    def done(paper: Paper) -> None:
        rendered = paper.rendered
        pdf = paper.pdf
        if paper.record:
            code = rendered_code(rendered, ref)
            worker.run(
                lambda: _record(ctx, code, form, rendered), None,
                lambda exc: log.warning("print not recorded: %s", type(exc).__name__),
            )
        title = QCoreApplication.translate("Printing", str(FORM_TITLES.get(form, form)))
        queue = settings.get("printer") if settings is not None else ""
        preview = preview_for(
            parent,
            pdf,
            title,
            f"{form}-{rendered_code(rendered, ref)}.pdf",
            heading,
            queue,
            paper.images,
        )
        if (
            settings is not None
            and settings.get("print_direct")
            and (queue or printers_available())
            and preview.print_now(ask=False)
        ):
            preview.done(0)  # kept as the next preview, never shown
            finish()
            return
        _open[:] = open_previews()
        _open.append(preview)

        def painted() -> None:
            if paper.images is not None and len(paper.images) < paper.pages:
                first = len(paper.images)
                worker.run(lambda: page_images(pdf, first), preview.add_pages, lambda e: None)
            finish()
            if spare and parent is not None and _alive(parent):
                keep_spare(parent)  # the next form's preview, while this one is read

        after_first_paint(preview.page_labels[0] if preview.page_labels else preview, painted)
        preview.show()
        preview.close_btn.setFocus()

    def failed(exc: BaseException) -> None:
        finish()
        dialogs().error(
            parent,
            QCoreApplication.translate("Printing", "Không in được phiếu"),
            (heading + "\n\n" if heading else "") + str(exc)[:300],
        )

    if isinstance(paper, BaseException):
        failed(paper)
    elif paper is not None:
        done(paper)
    else:
        # Render and rasterise in one trip to the pool: the UI thread only makes pixmaps.
        worker.run(lambda: prepare_paper(ctx, ref, form, copy=copy, direct=direct), done, failed)


def _record(ctx: DeskContext, code: str, form: str, rendered: Any) -> None:
    """The `printed` event of a form prepared with `record_later` (on the pool)."""
    from app.services.actions import record_print

    copy, synced = getattr(rendered, "copy", False), getattr(rendered, "synced", False)
    record_print(ctx, code, form, copy=bool(copy), synced=bool(synced))


def after_first_paint(widget: QWidget, then: Callable[[], None], fallback_ms: int = 2000) -> None:
    """Call `then()` once `widget` (a page of the preview) has first painted, or after
    `fallback_ms` if it never does (a window hidden at once still gets its follow-up).

    A zero timer set during the paint runs once the window has been flushed to the
    screen; `then` waits one more turn of the event loop, so that whatever else was
    waiting for that paint goes before the follow-up work."""
    called: list[bool] = []

    def once() -> None:
        if not called:
            called.append(True)
            if _alive(then):
                then()

    class Filter(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                widget.removeEventFilter(self)
                QTimer.singleShot(0, lambda: QTimer.singleShot(0, once))
            return False

    widget.installEventFilter(Filter(widget))
    QTimer.singleShot(fallback_ms, once)


def open_previews() -> list[PrintPreview]:
    """The previews still on screen (a preview dies with the window it belongs to)."""
    from shiboken6 import isValid

    return [p for p in _open if isValid(p) and p.isVisible()]
