"""The office profile form: asked at first run, edited later by an administrator.

The header lines and the place of the date line are suggested from the kind of office and
its names (app.domain.office) until the person edits them; from then on their text is kept.
No SQL and no rule here: saving goes through app.services.office_profile.
"""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import DomainError, ValidationFailed
from app.domain.office import OFFICE_KINDS, OfficeProfile, kind_label
from app.services import office_profile, ui_support
from app.services.context import DeskContext
from app.ui import worker
from app.ui.common import ErrorLabel

SUGGESTED = ("governing_line", "office_line", "place_name")


class OfficeProfileForm(QWidget):
    """The fields of the profile with an error label under each."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = QComboBox()
        self.kind.addItem(self.tr("— chọn loại đơn vị —"), "")
        for k in OFFICE_KINDS:
            self.kind.addItem(kind_label(k), k)
        self.province = QComboBox()
        self.province.addItem("", "")
        for p in ui_support.provinces():
            self.province.addItem(p.name, p.code)
        self.commune = QComboBox()
        self.unit_name = QLineEdit()
        self.unit_name.setPlaceholderText(self.tr("Bảo hiểm xã hội cơ sở Ba Đình"))
        self.governing_line = QLineEdit()
        self.office_line = QLineEdit()
        self.place_name = QLineEdit()
        self.address = QLineEdit()
        self.hotline = QLineEdit()
        self.contact_phone = QLineEdit()
        self.return_hour = QTimeEdit(QTime(16, 0))
        self.return_hour.setDisplayFormat("HH:mm")
        self.errors: dict[str, ErrorLabel] = {}
        self.edited: set[str] = set()
        form = QFormLayout(self)
        for field, text, widget in (
            ("kind", self.tr("Loại đơn vị:"), self.kind),
            ("province_code", self.tr("Tỉnh, thành phố:"), self.province),
            ("commune_code", self.tr("Xã, phường:"), self.commune),
            ("unit_name", self.tr("Tên đơn vị:"), self.unit_name),
            ("governing_line", self.tr("Dòng cơ quan chủ quản:"), self.governing_line),
            ("office_line", self.tr("Dòng tên đơn vị trên tiêu đề:"), self.office_line),
            ("place_name", self.tr("Địa danh ghi ngày tháng:"), self.place_name),
            ("address", self.tr("Địa chỉ:"), self.address),
            ("hotline", self.tr("Đường dây nóng:"), self.hotline),
            ("contact_phone", self.tr("Điện thoại cán bộ hướng dẫn:"), self.contact_phone),
            ("return_hour", self.tr("Giờ trả kết quả thường lệ:"), self.return_hour),
        ):
            form.addRow(text, widget)
            err = ErrorLabel()
            form.addRow("", err)
            self.errors[field] = err
        self.kind.currentIndexChanged.connect(self._suggest)
        self.province.currentIndexChanged.connect(self._province_changed)
        self.commune.currentIndexChanged.connect(self._suggest)
        self.unit_name.textEdited.connect(self._suggest)
        for field in SUGGESTED:
            getattr(self, field).textEdited.connect(lambda _=None, f=field: self.edited.add(f))

    def _province_changed(self) -> None:
        self.commune.blockSignals(True)
        self.commune.clear()
        self.commune.addItem("", "")
        for c in ui_support.communes(self.province.currentData() or ""):
            self.commune.addItem(c.name, c.code)
        self.commune.blockSignals(False)
        self._suggest()

    def _suggest(self) -> None:
        """Fill the header lines and the place from the kind and names, unless typed over."""
        code = self.province.currentData() or ""
        province = next((p for p in ui_support.provinces() if p.code == code), None)
        gov, line, place = office_profile.suggest(
            self.kind.currentData() or "",
            province_name=province.name if province else "",
            province_full_name=province.full_name if province else "",
            commune_full_name=self.commune.currentText() if self.commune.currentData() else "",
            unit_name=self.unit_name.text(),
        )
        for field, value in (("governing_line", gov), ("office_line", line), ("place_name", place)):
            if field not in self.edited:
                getattr(self, field).setText(value)

    def set_profile(self, p: OfficeProfile) -> None:
        self.kind.setCurrentIndex(max(0, self.kind.findData(p.kind)))
        self.province.setCurrentIndex(max(0, self.province.findData(p.province_code)))
        self.commune.setCurrentIndex(max(0, self.commune.findData(p.commune_code)))
        self.unit_name.setText(p.unit_name)
        for field in (*SUGGESTED, "address", "hotline", "contact_phone"):
            value = getattr(p, field)
            if value:
                getattr(self, field).setText(value)
                if field in SUGGESTED:
                    self.edited.add(field)
        if p.return_hour is not None:
            self.return_hour.setTime(QTime(p.return_hour.hour, p.return_hour.minute))

    def profile(self) -> OfficeProfile:
        t = self.return_hour.time()
        return OfficeProfile(
            kind=self.kind.currentData() or "",
            unit_name=self.unit_name.text(),
            governing_line=self.governing_line.text(),
            office_line=self.office_line.text(),
            province_code=self.province.currentData() or "",
            commune_code=self.commune.currentData() or "",
            place_name=self.place_name.text(),
            address=self.address.text(),
            hotline=self.hotline.text(),
            contact_phone=self.contact_phone.text(),
            return_hour=time(t.hour(), t.minute()),
        )

    def clear_errors(self) -> None:
        for e in self.errors.values():
            e.show_error("")

    def show_errors(self, exc: ValidationFailed) -> None:
        first = None
        for fe in exc.errors:
            label = self.errors.get(fe.field, self.errors["kind"])
            label.show_error(fe.message)
            first = first or fe.field
        widget = getattr(self, first or "kind", self.kind)
        widget.setFocus()


class OfficeProfileDialog(QDialog):
    """Settings › Office details: an administrator edits what the papers print."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Thông tin đơn vị in trên phiếu"))
        self.form = OfficeProfileForm(self)
        self.error = ErrorLabel()
        self.save_btn = QPushButton(self.tr("Lưu"))
        self.save_btn.setDefault(True)
        cancel = QPushButton(self.tr("Huỷ"))
        self.save_btn.clicked.connect(self.save)
        cancel.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.save_btn)
        row.addWidget(cancel)
        lay = QVBoxLayout(self)
        lay.addWidget(self.form)
        lay.addWidget(self.error)
        lay.addLayout(row)
        # The stored profile comes from the worker pool; Save waits for it, so a save can
        # never write the empty form over what is stored.
        self.save_btn.setEnabled(False)
        self.loaded = False
        worker.run(lambda: office_profile.get_profile(ctx), self._profile_read, self._read_failed)

    def _profile_read(self, p: OfficeProfile) -> None:
        self.form.set_profile(p)
        self.loaded = True
        self.save_btn.setEnabled(True)

    def _read_failed(self, exc: BaseException) -> None:
        self.error.show_error(self.tr("Lỗi không mong đợi: {e}").format(e=type(exc).__name__))

    def save(self) -> None:
        self.form.clear_errors()
        self.error.show_error("")
        profile, ctx = self.form.profile(), self.ctx
        self.save_btn.setEnabled(False)

        def failed(exc: BaseException) -> None:
            self.save_btn.setEnabled(True)
            if isinstance(exc, ValidationFailed):
                self.form.show_errors(exc)
            elif isinstance(exc, DomainError):
                self.error.show_error(str(exc))
            else:
                self.error.show_error(
                    self.tr("Lỗi không mong đợi: {e}").format(e=type(exc).__name__)
                )

        def done(_: object) -> None:
            self.save_btn.setEnabled(True)
            self.accept()

        worker.run(
            lambda: office_profile.save_profile(ctx, profile, ctx.officer_id), done, failed
        )
