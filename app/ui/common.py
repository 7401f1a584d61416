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
