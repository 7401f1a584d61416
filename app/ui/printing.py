"""Preview, print and save the PDF forms that `app.services.documents` renders.

The PDF is rendered on the worker pool; the preview rasterises pages with QtPdf (filled
white: QtPdf pages are transparent). With no printer installed (`QPrinterInfo` lists none)
the preview still works and offers Save as PDF. Printer choice goes through
`dialogs().choose_printer`, which tests replace.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIODevice,
    QSize,
    Qt,
)
from PySide6.QtGui import QImage, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

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


def warm_printing() -> None:
    """Warm the printing path in the background (issue 10: the first preview took 1.6 s)."""
    worker.run(_warm_pdf_stack, None, lambda exc: log.warning("warm-up: %s", type(exc).__name__))


def render_pages(pdf: bytes, width_px: int = 620) -> list[QImage]:
    """Each page as a white-filled image `width_px` wide (QtPdf renders transparent)."""
    from PySide6.QtPdf import QPdfDocument

    doc = QPdfDocument()
    buf = QBuffer()
    buf.setData(QByteArray(pdf))
    buf.open(QIODevice.OpenModeFlag.ReadOnly)
    doc.load(buf)
    out = []
    for i in range(doc.pageCount()):
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
    return out


def page_images(pdf: bytes) -> list[QImage]:
    """The preview's page images; none when QtPdf fails (a preview failure must not block
    printing or saving). Safe on the worker pool: QImage is not a widget."""
    try:
        return render_pages(pdf)
    except Exception as exc:
        log.warning("preview failed: %s", type(exc).__name__)
        return []


class PrintPreview(QDialog):
    """A rendered form: look, print (Ctrl+P), save as PDF; Esc closes."""

    def __init__(
        self,
        pdf: bytes,
        title: str,
        filename: str,
        parent: QWidget | None = None,
        heading: str | None = None,
        printer_name: str = "",
        images: list[QImage] | None = None,
    ) -> None:
        """`images`: the pages already rasterised on the worker pool (`page_images`);
        without them the preview rasterises here."""
        super().__init__(parent)
        self.pdf = pdf
        self.filename = filename
        self.printer_name = printer_name  # the desk's print queue; "" for the default
        self.setWindowTitle(title)
        lay = QVBoxLayout(self)
        if heading:
            head = QLabel(heading)
            head.setObjectName("heading")
            head.setStyleSheet("font-size: 13pt; font-weight: bold;")
            lay.addWidget(head)
        pages = QWidget()
        pl = QVBoxLayout(pages)
        self.page_labels: list[QLabel] = []
        if images is None:
            images = page_images(pdf)
        for img in images:
            lbl = QLabel()
            lbl.setPixmap(QPixmap.fromImage(img))
            lbl.setStyleSheet("border: 1px solid #999; background: white;")
            pl.addWidget(lbl, 0, Qt.AlignmentFlag.AlignHCenter)
            self.page_labels.append(lbl)
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
        if not printer_name and not printers_available():
            self.print_btn.setEnabled(False)
            self.note.setText(
                self.tr("Máy này chưa có máy in: hãy lưu phiếu thành PDF để in ở máy khác.")
            )
            self.save_btn.setDefault(True)
        else:
            self.print_btn.setDefault(True)
        # The page scrolls; the buttons below it stay on screen (issue 10: at 720×860 a
        # 768-pixel screen hid Print, Save and Close).
        fit_to_screen(self, 720, 860, parent)

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
    return str(getattr(rendered, "code", "") or ref[:8])


#: The previews still open (so they are not garbage collected).
_open: list[PrintPreview] = []


def print_document(
    parent: QWidget | None,
    ctx: DeskContext,
    ref: str,
    form: str,
    settings: Any = None,
    heading: str | None = None,
    copy: bool | None = None,
) -> None:
    """Render `form` for dossier `ref` in the background, then preview it (or print at once
    when "print straight to the default printer" is on and a printer exists)."""
    try:
        from app.services import documents  # another layer's module; may not exist yet
    except ImportError:
        if heading:
            dialogs().info(parent, QCoreApplication.translate("Printing", "Một cửa"), heading)
        return

    direct = bool(settings is not None and settings.get("print_direct"))

    def work() -> tuple[Any, list[QImage] | None]:
        # Render and rasterise in one trip to the pool: the UI thread only makes pixmaps.
        rendered = documents.render(ctx, ref, form, copy=copy)
        pdf = rendered if isinstance(rendered, bytes) else rendered.pdf
        return rendered, None if direct else page_images(pdf)

    def done(result: tuple[Any, list[QImage] | None]) -> None:
        rendered, images = result
        pdf = rendered if isinstance(rendered, bytes) else rendered.pdf
        title = QCoreApplication.translate("Printing", str(FORM_TITLES.get(form, form)))
        queue = settings.get("printer") if settings is not None else ""
        preview = PrintPreview(
            pdf,
            title,
            f"{form}-{rendered_code(rendered, ref)}.pdf",
            parent,
            heading,
            queue,
            images,
        )
        if (
            settings is not None
            and settings.get("print_direct")
            and (queue or printers_available())
            and preview.print_now(ask=False)
        ):
            preview.deleteLater()
            return
        _open[:] = open_previews()
        _open.append(preview)
        preview.show()
        preview.close_btn.setFocus()

    def failed(exc: BaseException) -> None:
        dialogs().error(
            parent,
            QCoreApplication.translate("Printing", "Không in được phiếu"),
            (heading + "\n\n" if heading else "") + str(exc)[:300],
        )

    worker.run(work, done, failed)


def open_previews() -> list[PrintPreview]:
    """The previews still on screen (a preview dies with the window it belongs to)."""
    from shiboken6 import isValid

    return [p for p in _open if isValid(p) and p.isVisible()]
