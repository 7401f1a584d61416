"""Every modal question, message, file and printer dialog opens through here.

Why: `exec()` blocks a test forever. Windows call `dialogs().info(...)` etc.; tests install a
`Dialogs` subclass that answers at once and records what was asked (STYLE.md).
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget


def _t(text: str) -> str:
    return QCoreApplication.translate("Dialogs", text)


# Qt ships no Vietnamese for its own buttons: ours, listed here for lupdate.
_BUTTONS = (QT_TRANSLATE_NOOP("Dialogs", "Có"), QT_TRANSLATE_NOOP("Dialogs", "Không"),
            QT_TRANSLATE_NOOP("Dialogs", "Đồng ý"))


class Dialogs:
    """The real dialogs; Vietnamese button texts are set here (Qt ships none)."""

    def _box(
        self,
        parent: QWidget | None,
        icon: QMessageBox.Icon,
        title: str,
        text: str,
        ask: bool = False,
    ) -> bool:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
        if ask:
            yes = box.addButton(_t("Có"), QMessageBox.ButtonRole.YesRole)
            no = box.addButton(_t("Không"), QMessageBox.ButtonRole.NoRole)
            box.setDefaultButton(no)
            box.setEscapeButton(no)
            box.exec()
            return box.clickedButton() is yes
        ok = box.addButton(_t("Đồng ý"), QMessageBox.ButtonRole.AcceptRole)
        box.setEscapeButton(ok)
        box.exec()
        return True

    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        self._box(parent, QMessageBox.Icon.Information, title, text)

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        self._box(parent, QMessageBox.Icon.Warning, title, text)

    def ask(self, parent: QWidget | None, title: str, text: str) -> bool:
        return self._box(parent, QMessageBox.Icon.Question, title, text, ask=True)

    def exec(self, dialog: QDialog) -> int:
        """Run a dialog of ours modally; tests drive it with qtbot instead."""
        return int(dialog.exec())

    def save_file(self, parent: QWidget | None, title: str, suggested: str, filt: str) -> str:
        path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filt)
        return path

    def choose_dir(self, parent: QWidget | None, title: str, start: str = "") -> str:
        return QFileDialog.getExistingDirectory(parent, title, start)

    def choose_printer(self, parent: QWidget | None, printer: object) -> bool:
        from PySide6.QtPrintSupport import QPrintDialog

        dlg = QPrintDialog(printer, parent)  # type: ignore[call-overload]
        return bool(dlg.exec() == QDialog.DialogCode.Accepted)


_current: Dialogs = Dialogs()


def dialogs() -> Dialogs:
    return _current


def install(d: Dialogs) -> Dialogs:
    """Replace the dialog provider (tests); returns the previous one."""
    global _current
    old, _current = _current, d
    return old
