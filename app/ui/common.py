"""Small widgets and helpers shared by the screens: field error labels, dates, fonts."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QWidget

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def t(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


def local_dt(at: datetime | None) -> str:
    """UTC in the database, Hà Nội time on the screen."""
    if at is None:
        return "—"
    if at.tzinfo is None:
        from datetime import UTC

        at = at.replace(tzinfo=UTC)
    return at.astimezone(ZONE).strftime("%d/%m/%Y %H:%M")


def local_date(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else "—"


def today_local() -> date:
    return datetime.now(ZONE).date()


class ErrorLabel(QLabel):
    """The message that sits next to a field; hidden when there is none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fieldError")
        self.setStyleSheet("color: #b00020;")
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_error(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))


#: Room the window manager takes above a window (title bar) and around it (borders): the
#: available area excludes the taskbar but not these, and a window that ignores them puts
#: its bottom row of buttons under the taskbar on a 768-pixel screen (issue 10).
TITLE_BAR_PX = 32
BORDER_PX = 8


def fit_to_screen(window: QWidget, width: int, height: int, anchor: QWidget | None = None) -> None:
    """Size `window` to `width`×`height`, or smaller to fit the screen's available area with
    its frame, and centre it there. Windows still scroll or squeeze inside; this only makes
    sure their own edges (and the buttons along them) are on screen."""
    screen = (anchor.screen() if anchor is not None else None) or window.screen()
    if screen is None:
        window.resize(width, height)
        return
    avail = screen.availableGeometry()
    w = min(width, avail.width() - BORDER_PX)
    h = min(height, avail.height() - TITLE_BAR_PX - BORDER_PX)
    w = max(w, min(window.minimumWidth(), avail.width()))
    h = max(h, min(window.minimumHeight(), avail.height()))
    window.resize(w, h)
    x = avail.x() + max(0, (avail.width() - w) // 2)
    y = avail.y() + max(0, (avail.height() - TITLE_BAR_PX - h) // 2)
    window.move(x, y)  # a window's position is that of its frame, title bar included

