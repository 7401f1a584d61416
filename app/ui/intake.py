"""The new-dossier form: procedure, applicant, channel, components, live completeness, and
the three outcomes (Receive F9, Request supplement F10, Refuse F11).

Validation errors sit next to their field and nothing typed is ever cleared by an error.
The completeness state is computed from the catalogue's pure rule as the officer ticks.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.applicant import Applicant, validate_applicant
from app.domain.catalogue import Component, Procedure
from app.domain.completeness import (
    HANDED_IN_KINDS,
    CompletenessResult,
    HandedIn,
    check_completeness,
    describe,
)
from app.domain.errors import DomainError, ValidationFailed
from app.domain.identifiers import ChipIdQr
from app.domain.procedure_search import rank
from app.domain.repeat import Earlier, repeats
from app.domain.text import fold
from app.services import catalogue_service, intake, search, ui_support
from app.services.context import DeskContext
from app.services.intake import IntakeRequest, IntakeResult
from app.ui import worker
from app.ui.common import ErrorLabel, local_dt, today_local
from app.ui.dialogs import dialogs

APPLICANT_FIELDS = (
    "full_name",
    "id_number",
    "old_id_number",
    "social_insurance_no",
    "hi_card_no",
    "date_of_birth",
    "sex",
    "phone",
    "email",
    "province_code",
    "commune_code",
    "address",
)


def localized(vi: str, en: str | None) -> str:
    """The catalogue's English name when the screens are in English and it has one."""
    from app.domain.messages import current_language

    return en if en and current_language() == "en" else vi


def kind_label(kind: str) -> str:
    return {
        "original": QCoreApplication.translate("Intake", "Bản chính"),
        "certified_copy": QCoreApplication.translate("Intake", "Bản sao chứng thực"),
        "photocopy": QCoreApplication.translate("Intake", "Bản chụp"),
        "any": QCoreApplication.translate("Intake", "Bản chính hoặc bản sao"),
    }[kind]


def parse_date(text: str) -> date | None:
    """dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy or ddmmyyyy; ValueError when unreadable."""
    s = text.strip()
    if not s:
        return None
    m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", s) or re.fullmatch(
        r"(\d{2})(\d{2})(\d{4})", s
    )
    if not m:
        raise ValueError(s)
    d, mo, y = (int(g) for g in m.groups())
    return date(y, mo, d)


class _RowFrame(QFrame):
    """The checklist row's single tab stop: the keys of `ComponentRow.KEYS` act on it."""

    def __init__(self, row: ComponentRow, parent: QWidget) -> None:
        super().__init__(parent)
        self.row = row
        self.setObjectName("componentRow")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setStyleSheet(
            "QFrame#componentRow { border: 1px solid transparent; border-radius: 3px; }"
            "QFrame#componentRow:focus { border: 2px solid #1565c0; background: #e8f1fb; }"
        )

    def keyPressEvent(self, event: Any) -> None:
        if not self.row.key(event.key(), event.text()):
            super().keyPressEvent(event)

    def mousePressEvent(self, event: Any) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        super().mousePressEvent(event)


class ComponentRow:
    """One checklist line: received?, copy kind, count, and for conditional items, applies?

    The whole line is one tab stop (issue 10: 17 keystrokes for a five-line checklist).
    Space ticks it with the catalogue's kind and count; a digit sets the count; Left/Right
    change the kind; C (có) or Y says the condition applies, K (không) or N that it does
    not, Backspace leaves it undecided; Enter and Down go to the next line, Up back.
    Ticking a conditional item answers its condition: handing it in means it applies.
    """

    def __init__(self, comp: Component, grid: QGridLayout, row: int, parent: QWidget) -> None:
        self.comp = comp
        base = localized(comp.name_vi, comp.name_en)
        name = base + (
            f" ({comp.form_code})" if comp.form_code and comp.form_code not in base else ""
        )
        marks = []
        if comp.confidence == "M":
            marks.append(QCoreApplication.translate("Intake", "⚠ chưa xác nhận"))
        if comp.one_of:
            marks.append(QCoreApplication.translate(
                "Intake", "một trong nhóm {g}").format(g=comp.one_of))
        text = name + ("  [" + "; ".join(marks) + "]" if marks else "")
        self.frame = _RowFrame(self, parent)
        g = QGridLayout(self.frame)
        g.setContentsMargins(4, 3, 4, 3)
        g.setVerticalSpacing(2)
        self.received = QCheckBox(self.frame)
        self.received.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.name = QLabel(text, self.frame)
        self.name.setWordWrap(True)
        self.name.setBuddy(self.received)
        self.frame.setToolTip(
            QCoreApplication.translate(
                "Intake",
                "Yêu cầu: {kind}, {n} bản. Phím cách: đã nộp; số: số bản; ←/→: loại bản; "
                "C/K: có/không áp dụng",
            ).format(kind=kind_label(comp.copy_kind), n=comp.quantity)
        )
        self.kind = QComboBox(self.frame)
        for k in HANDED_IN_KINDS:
            self.kind.addItem(kind_label(k), k)
        self.kind.setCurrentIndex(HANDED_IN_KINDS.index(self.default_kind()))
        self.count = QSpinBox(self.frame)
        self.count.setRange(0, 99)
        self.count.setValue(comp.quantity)
        self.applies: QComboBox | None = None
        controls = QHBoxLayout()
        controls.setSpacing(6)
        controls.addWidget(self.kind)
        controls.addWidget(self.count)
        if comp.conditional:
            self.applies = QComboBox(self.frame)
            self.applies.addItem(QCoreApplication.translate("Intake", "Áp dụng?"), None)
            self.applies.addItem(QCoreApplication.translate("Intake", "Có áp dụng"), True)
            self.applies.addItem(QCoreApplication.translate("Intake", "Không áp dụng"), False)
            condition = localized(comp.condition_vi or "", comp.condition_en)
            self.applies.setToolTip(condition)
            controls.addWidget(self.applies)
            if condition:
                cond = QLabel(
                    QCoreApplication.translate("Intake", "Khi: {c}").format(c=condition),
                    self.frame,
                )
                cond.setWordWrap(True)
                cond.setStyleSheet("color: #555;")
                controls.addWidget(cond, 1)
        else:
            controls.addStretch(1)
        for w in self.widgets():
            w.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the row is the tab stop
        g.addWidget(self.received, 0, 0)
        g.addWidget(self.name, 0, 1)
        g.addLayout(controls, 1, 1)
        g.setColumnStretch(1, 1)
        grid.addWidget(self.frame, row, 0, 1, 4)
        self.received.toggled.connect(self._ticked)
        self.frame.show()  # created after the form is on screen: show now, not on a later event

    def default_kind(self) -> str:
        kind = self.comp.copy_kind
        return kind if kind in HANDED_IN_KINDS else "original"

    def widgets(self) -> list[QWidget]:
        out: list[QWidget] = [self.received, self.kind, self.count]
        if self.applies is not None:
            out.append(self.applies)
        return out

    def _ticked(self, on: bool) -> None:
        if not on:
            return
        if self.count.value() == 0:
            self.count.setValue(self.comp.quantity)
        if self.applies is not None and self.applies.currentData() is None:
            self.applies.setCurrentIndex(1)

    def set_applies(self, value: bool | None) -> None:
        if self.applies is not None:
            self.applies.setCurrentIndex({None: 0, True: 1, False: 2}[value])

    def key(self, key: int, text: str) -> bool:
        """Act on one key pressed on the row; False when the key is not the row's."""
        k = Qt.Key
        letter = text.lower()
        if key == k.Key_Space:
            self.received.setChecked(not self.received.isChecked())
        elif text.isdigit() and len(text) == 1:
            self.count.setValue(int(text))
            if int(text) and not self.received.isChecked():
                self.received.setChecked(True)
        elif key in (k.Key_Left, k.Key_Right):
            step = 1 if key == k.Key_Right else -1
            self.kind.setCurrentIndex((self.kind.currentIndex() + step) % self.kind.count())
        elif letter in ("c", "y") and self.applies is not None:
            self.set_applies(True)
        elif letter in ("k", "n") and self.applies is not None:
            self.set_applies(False)
        elif key in (k.Key_Backspace, k.Key_Delete) and self.applies is not None:
            self.set_applies(None)
        elif key in (k.Key_Return, k.Key_Enter, k.Key_Down):
            self.frame.focusNextChild()
        elif key == k.Key_Up:
            self.frame.focusPreviousChild()
        else:
            return False
        return True

    def handed_in(self) -> HandedIn | None:
        if not self.received.isChecked() or self.count.value() == 0:
            return None
        return HandedIn(self.comp.code, self.kind.currentData(), self.count.value())


class IntakeWidget(QWidget):
    """Signals:
    submitted(IntakeResult, str outcome)

    Attributes:
    paper_for: set by the main window: given an outcome, on the UI thread, a function the
        worker runs on the new dossier's result right after the intake, in the same trip
        (the receipt rendered before the answer comes back); or None.
    paper: while `submitted` is emitted, what that function returned (or the error it
        raised), else None.
    """

    submitted = Signal(object, str)

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.procedure: Procedure | None = None
        self.rows: list[ComponentRow] = []
        from app.ui.capture import IntakeCapture

        # Pages per checklist line, stored once the dossier is recorded (issue 16).
        self.capture = IntakeCapture(self)
        self.touched: set[str] = set()
        self.result: CompletenessResult | None = None
        self.busy = False
        self.errors: dict[str, ErrorLabel] = {}
        self.picker: catalogue_service.Picker | None = None
        self.last_code: str | None = None  # the last procedure used: Enter on empty search
        self._pending_pick = False
        self._pending_code = ""  # a procedure chosen before the picker arrived
        self.paper_for: Callable[[str], Callable[[IntakeResult], Any] | None] | None = None
        self.paper: Any = None

        # Procedure picker.
        self.proc_search = QLineEdit()
        self.proc_search.setObjectName("procedureSearch")
        self.proc_search.setPlaceholderText(
            self.tr("Gõ tên hoặc mã thủ tục, không cần dấu (vd: thai san)")
        )
        self.proc_list = QListWidget()
        self.proc_list.setMaximumHeight(110)
        self.proc_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.proc_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.proc_label = QLabel(self.tr("Chưa chọn thủ tục."))
        self.proc_label.setWordWrap(True)
        self.proc_search.textChanged.connect(self._search_procedures)
        self.proc_search.returnPressed.connect(self._pick_first)
        self.proc_list.itemActivated.connect(self._pick_item)
        self.proc_search.installEventFilter(self)
        pbox = QGroupBox(self.tr("Thủ tục"))
        pl = QVBoxLayout(pbox)
        pl.addWidget(self.proc_search)
        pl.addWidget(self.proc_list)
        pl.addWidget(self.proc_label)
        self.errors["procedure"] = ErrorLabel()
        pl.addWidget(self.errors["procedure"])

        # Applicant.
        abox = QGroupBox(self.tr("Người nộp hồ sơ"))
        form = QFormLayout(abox)
        self.full_name = QLineEdit()
        self.id_number = QLineEdit()
        self.id_number.setPlaceholderText(self.tr("12 số CCCD/định danh"))
        # A 9-digit CMND is no identity paper since 2025: kept only as the old ID.
        self.old_id_number = QLineEdit()
        self.old_id_number.setPlaceholderText(self.tr("9 số, nếu người nộp còn giữ"))
        self.social_insurance_no = QLineEdit()
        self.hi_card_no = QLineEdit()
        self.date_of_birth = QLineEdit()
        self.date_of_birth.setPlaceholderText("dd/mm/yyyy")
        self.sex = QComboBox()
        self.sex.addItem("—", None)
        self.sex.addItem(self.tr("Nam"), "M")
        self.sex.addItem(self.tr("Nữ"), "F")
        self.phone = QLineEdit()
        self.email = QLineEdit()
        self.province = QComboBox()
        self.province.addItem(self.tr("— Tỉnh/thành phố —"), "")
        for p in ui_support.provinces():
            self.province.addItem(p.name, p.code)
        self.commune = QComboBox()
        self.commune.setEditable(True)
        self.commune.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = self.commune.completer()
        assert completer is not None
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.address = QLineEdit()
        self.address.setPlaceholderText(self.tr("Số nhà, đường, thôn/tổ"))
        self.province.currentIndexChanged.connect(self._province_changed)
        self._province_changed()
        labels = {
            "full_name": self.tr("&Họ và tên:"),
            "id_number": self.tr("Số định &danh:"),
            "old_id_number": self.tr("Số CMND cũ:"),
            "social_insurance_no": self.tr("Mã số BHXH:"),
            "hi_card_no": self.tr("Số thẻ BHYT:"),
            "date_of_birth": self.tr("Ngày sinh:"),
            "sex": self.tr("Giới tính:"),
            "phone": self.tr("Điện thoại:"),
            "email": self.tr("Thư điện tử:"),
            "province_code": self.tr("Tỉnh/thành phố:"),
            "commune_code": self.tr("Xã/phường:"),
            "address": self.tr("Địa chỉ:"),
        }
        for field in APPLICANT_FIELDS:
            w = self.field_widget(field)
            w.setObjectName(field)
            err = ErrorLabel()
            self.errors[field] = err
            box = QVBoxLayout()
            box.setSpacing(0)
            box.addWidget(w)
            box.addWidget(err)
            label = QLabel(labels[field])
            label.setBuddy(w)  # Alt+H jumps to the name, Alt+D to the ID number
            form.addRow(label, box)
            if isinstance(w, QLineEdit):
                w.textEdited.connect(lambda _=None, f=field: self._edited(f))
                w.returnPressed.connect(self.focusNextChild)  # Enter moves on, as Tab does
            else:
                w.currentIndexChanged.connect(lambda _=None, f=field: self._edited(f))

        # The citizen's earlier dossiers, looked up when an ID number is complete.
        self.earlier: list[Earlier] = []
        self._earlier_for = ""
        self._earlier_asking = ""  # the ID whose look-up is on the pool now
        self._after_earlier: list[Callable[[], None]] = []
        self.earlier_label = QLabel()
        self.earlier_label.setObjectName("earlier")
        self.earlier_label.setWordWrap(True)
        self.earlier_label.setTextFormat(Qt.TextFormat.RichText)
        self.earlier_label.hide()
        form.insertRow(2, "", self.earlier_label)
        self.id_number.textChanged.connect(self._look_up_earlier)

        # Channel and return.
        cbox = QGroupBox(self.tr("Kênh nộp và trả kết quả"))
        cf = QFormLayout(cbox)
        self.channel = QComboBox()
        for code, text in (
            ("desk", self.tr("Trực tiếp tại quầy")),
            ("post", self.tr("Qua bưu chính")),
            ("online", self.tr("Trực tuyến")),
            ("interconnected", self.tr("Liên thông")),
        ):
            self.channel.addItem(text, code)
        self.return_method = QComboBox()
        for code, text in (
            ("desk", self.tr("Nhận tại quầy")),
            ("post", self.tr("Gửi qua bưu chính")),
            ("online", self.tr("Trực tuyến")),
        ):
            self.return_method.addItem(text, code)
        self.return_address = QLineEdit()
        self.return_address.setPlaceholderText(self.tr("Để trống: dùng địa chỉ người nộp"))
        self.sets_count = QSpinBox()
        self.sets_count.setRange(1, 99)
        # Who files, where the law gives each its own time limit (Law 41/2024 Art. 62(3)).
        self.filer = QComboBox()
        self.filer.addItem(self.tr("— chọn người nộp —"), "")
        self.filer.addItem(self.tr("Đơn vị sử dụng lao động nộp"), "employer")
        self.filer.addItem(self.tr("Người lao động tự nộp"), "worker")
        self.filer_label = QLabel(self.tr("Người nộp:"))
        cf.addRow(self.filer_label, self.filer)
        self.errors["filer"] = ErrorLabel()
        cf.addRow("", self.errors["filer"])
        self._show_filer(False)
        cf.addRow(self.tr("Kênh nộp:"), self.channel)
        cf.addRow(self.tr("Trả kết quả:"), self.return_method)
        cf.addRow(self.tr("Địa chỉ nhận:"), self.return_address)
        self.errors["return_address"] = ErrorLabel()
        cf.addRow("", self.errors["return_address"])
        cf.addRow(self.tr("Số bộ hồ sơ:"), self.sets_count)
        self.return_method.currentIndexChanged.connect(self._return_changed)
        self._return_changed()

        # Components.
        self.comp_box = QGroupBox(self.tr("Thành phần hồ sơ (F4)"))
        self.comp_inner = QWidget()
        self.comp_grid = QGridLayout(self.comp_inner)
        self.comp_grid.setContentsMargins(0, 0, 0, 0)
        self.comp_grid.setVerticalSpacing(2)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.comp_inner)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        # Rows wrap their names rather than pushing controls off the right edge.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumHeight(90)
        self.comp_scroll = scroll
        cl = QVBoxLayout(self.comp_box)
        cl.addWidget(scroll, 3)
        self.state = QLabel()
        self.state.setObjectName("completeness")
        self.state.setWordWrap(True)
        self.state.setTextFormat(Qt.TextFormat.RichText)
        self.state.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        state_scroll = QScrollArea()
        state_scroll.setWidget(self.state)
        state_scroll.setWidgetResizable(True)
        state_scroll.setFrameShape(QFrame.Shape.NoFrame)
        state_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        state_scroll.setMinimumHeight(48)
        state_scroll.setMaximumHeight(130)
        cl.addWidget(state_scroll, 1)

        # Reason + outcomes.
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText(self.tr("Lý do từ chối / ghi chú yêu cầu bổ sung"))
        self.errors["reason"] = ErrorLabel()
        self.receive_btn = QPushButton(self.tr("Tiếp nhận (F9)"))
        self.supplement_btn = QPushButton(self.tr("Yêu cầu bổ sung (F10)"))
        self.refuse_btn = QPushButton(self.tr("Từ chối (F11)"))
        self.clear_btn = QPushButton(self.tr("Làm mới (F2)"))
        self.receive_btn.clicked.connect(lambda: self.submit("receive"))
        self.supplement_btn.clicked.connect(lambda: self.submit("supplement"))
        self.refuse_btn.clicked.connect(lambda: self.submit("refuse"))
        self.clear_btn.clicked.connect(self.clear)
        self.general_error = ErrorLabel()
        self.general_error.setObjectName("generalError")

        left = QVBoxLayout()
        left.addWidget(pbox)
        left.addWidget(abox)
        left.addWidget(cbox)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.comp_box, 1)
        rl = QFormLayout()
        rl.addRow(self.tr("Lý do:"), self.reason)
        rl.addRow("", self.errors["reason"])
        right.addLayout(rl)
        right.addWidget(self.general_error)
        buttons = QHBoxLayout()
        buttons.addWidget(self.receive_btn)
        buttons.addWidget(self.supplement_btn)
        buttons.addWidget(self.refuse_btn)
        buttons.addStretch(1)
        buttons.addWidget(self.clear_btn)
        right.addLayout(buttons)
        lay = QHBoxLayout(self)
        lw = QWidget()
        lw.setLayout(left)
        # The applicant column scrolls rather than squeezing fields and their error lines.
        left_scroll = QScrollArea()
        left_scroll.setWidget(lw)
        left_scroll.setWidgetResizable(True)
        left_scroll.setFrameShape(QFrame.Shape.NoFrame)
        left_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        left_scroll.setMinimumWidth(400)
        left_scroll.setMaximumWidth(600)
        lay.addWidget(left_scroll, 2)
        lay.addLayout(right, 3)
        checklist = QShortcut(QKeySequence("F4"), self, self.focus_checklist)
        checklist.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._update_state()
        self.load_picker()

    # -- fields ------------------------------------------------------------------------------

    def field_widget(self, field: str) -> Any:
        return {"province_code": self.province, "commune_code": self.commune}.get(field) or getattr(
            self, field
        )

    def _province_changed(self) -> None:
        self.commune.clear()
        self.commune.addItem("", "")
        for c in ui_support.communes(self.province.currentData() or ""):
            self.commune.addItem(c.name, c.code)
        self.commune.setCurrentIndex(0)

    def _show_filer(self, shown: bool) -> None:
        self.filer_label.setVisible(shown)
        self.filer.setVisible(shown)
        if not shown:
            self.filer.setCurrentIndex(0)
            self.errors["filer"].show_error("")

    def _return_changed(self) -> None:
        self.return_address.setEnabled(self.return_method.currentData() == "post")

    def _edited(self, field: str) -> None:
        self.touched.add(field)
        self.validate_live()

    def commune_code(self) -> str:
        text = self.commune.currentText().strip()
        idx = self.commune.findText(text, Qt.MatchFlag.MatchFixedString)
        return str(self.commune.itemData(idx) or "") if idx > 0 else ""

    def applicant(self) -> tuple[Applicant, dict[str, str]]:
        """The applicant as typed, and local errors (an unreadable date) by field."""
        local: dict[str, str] = {}
        try:
            dob = parse_date(self.date_of_birth.text())
        except ValueError:
            dob = None
            local["date_of_birth"] = self.tr("Ngày sinh không đọc được; nhập dd/mm/yyyy.")
        return Applicant(
            full_name=self.full_name.text(),
            id_number=self.id_number.text(),
            old_id_number=self.old_id_number.text(),
            social_insurance_no=self.social_insurance_no.text(),
            hi_card_no=self.hi_card_no.text(),
            date_of_birth=dob,
            sex=self.sex.currentData(),
            phone=self.phone.text(),
            email=self.email.text(),
            province_code=self.province.currentData() or "",
            commune_code=self.commune_code(),
            address=self.address.text(),
        ), local

    def validate_live(self, show_all: bool = False) -> dict[str, str]:
        """Field errors (without writing); shown for touched fields, or all when asked."""
        a, local = self.applicant()
        errs = {fe.field: fe.message for fe in validate_applicant(a, today=today_local())}
        errs.update(local)
        for field in APPLICANT_FIELDS:
            show = show_all or field in self.touched
            self.errors[field].show_error(errs.get(field, "") if show else "")
        return errs

    # -- procedure ---------------------------------------------------------------------------

    #: The three outcomes, one key each; handled as key presses that the focused field
    #: passes up (no field uses F9-F11), so they work wherever the officer is in the form.
    OUTCOME_KEYS: ClassVar[dict[Qt.Key, str]] = {
        Qt.Key.Key_F9: "receive",
        Qt.Key.Key_F10: "supplement",
        Qt.Key.Key_F11: "refuse",
    }

    def keyPressEvent(self, event: Any) -> None:
        outcome = self.OUTCOME_KEYS.get(event.key())
        if outcome is not None:
            self.submit(outcome)
            return
        super().keyPressEvent(event)

    def eventFilter(self, obj: Any, event: Any) -> bool:
        from PySide6.QtCore import QEvent

        if (
            obj is self.proc_search
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Down
            and self.proc_list.count()
        ):
            self.proc_list.setFocus()
            self.proc_list.setCurrentRow(0)
            return True
        return super().eventFilter(obj, event)

    def load_picker(self) -> None:
        """Load the procedure list (and each procedure) once, in the background."""
        ctx = self.ctx

        def done(p: catalogue_service.Picker) -> None:
            self.picker = p
            self._search_procedures(self.proc_search.text())
            if self._pending_code:
                code, self._pending_code = self._pending_code, ""
                self.select_procedure(code)
            if self._pending_pick:
                self._pending_pick = False
                self._pick_first()

        worker.run(lambda: catalogue_service.picker(ctx), done, lambda exc: None)

    def _search_procedures(self, text: str) -> None:
        """Rank in memory: a keystroke never waits on the database."""
        self.proc_list.clear()
        if self.picker is None:
            return
        from app.domain.messages import current_language

        choices = rank(self.picker.choices, text, current_language())
        if not text.strip() and self.last_code:
            choices.sort(key=lambda c: c.code != self.last_code)
        for p in choices:
            flag = "" if p.components_confirmed else "  ⚠ " + self.tr("thành phần chưa xác nhận")
            mark = "↻ " if p.code == self.last_code and not text.strip() else ""
            item = QListWidgetItem(f"{mark}{p.code} — {localized(p.name_vi, p.name_en)}{flag}")
            item.setData(Qt.ItemDataRole.UserRole, p.code)
            item.setToolTip(localized(p.name_vi, p.name_en))
            self.proc_list.addItem(item)

    def _pick_first(self) -> None:
        if not self.proc_search.text().strip():
            # Enter on an empty search repeats the last procedure (one key for a queue of
            # the same procedure); with none yet, there is nothing to guess.
            if self.last_code:
                self.select_procedure(self.last_code)
                self._after_pick()
            return
        if self.picker is None:
            self._pending_pick = True  # Enter before the list arrived: pick when it does
            return
        if self.proc_list.count():
            self._pick_item(self.proc_list.item(0))

    def _pick_item(self, item: QListWidgetItem) -> None:
        self.select_procedure(item.data(Qt.ItemDataRole.UserRole))
        self._after_pick()

    def _after_pick(self) -> None:
        if self.rows:
            self.full_name.setFocus()

    def focus_checklist(self) -> None:
        """F4: straight to the first line of the checklist."""
        if self.rows:
            self.rows[0].frame.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.comp_scroll.ensureWidgetVisible(self.rows[0].frame)
        else:
            self.proc_search.setFocus()

    def select_procedure(self, code: str) -> None:
        """Show `code`'s checklist from the picker loaded in the background (no database
        read here); chosen before the picker arrived, it shows when the picker does."""
        if self.picker is None:
            self._pending_code = code
            return
        proc = self.picker.procedures.get(code)
        if proc is None:
            self.errors["procedure"].show_error(
                self.tr("Không có thủ tục {code} trong danh mục hiện hành.").format(code=code)
            )
            return
        self.procedure = proc
        self.errors["procedure"].show_error("")
        tl = proc.time_limit
        units = {
            "working_days": self.tr("ngày làm việc"),
            "days": self.tr("ngày"),
            "nonholiday_days": self.tr("ngày, không kể ngày nghỉ lễ, tết"),
        }
        if tl.by_filer:
            limits = "; ".join(
                f"{label} {fl.value} {units.get(fl.unit, fl.unit)}"
                for filer, fl in tl.by_filer.items()
                for label in [self.filer.itemText(self.filer.findData(filer))]
            )
        else:
            limits = f"{tl.value} {units.get(tl.unit, tl.unit)}"
        text = f"<b>{proc.code}</b> — {localized(proc.name_vi, proc.name_en)}<br>" + self.tr(
            "Thời hạn giải quyết: {limits}"
        ).format(limits=limits)
        self._show_filer(bool(tl.by_filer))
        if not proc.components_confirmed:
            text += (
                "<br><span style='color:#a15c00'>⚠ "
                + self.tr(
                    "Danh mục thành phần của thủ tục này chưa được xác nhận: đối chiếu văn bản."
                )
                + "</span>"
            )
        if proc.online_only is not None:
            # No paper at the desk: show what the citizen does online; an assisted filing
            # is recorded on the online channel.
            o = proc.online_only
            text += (
                "<br><span style='color:#0d47a1'><b>"
                + self.tr("Chỉ nộp trực tuyến")
                + f"</b> ({html.escape(o.basis_vi)}): {html.escape(o.portal_vi)}. "
                + html.escape(o.steps_vi)
                + "</span>"
            )
            self.channel.setCurrentIndex(max(0, self.channel.findData("online")))
        self.proc_label.setText(text)
        self._build_rows(proc)

    def _build_rows(self, proc: Procedure) -> None:
        while self.comp_grid.count():
            item = self.comp_grid.takeAt(0)
            w = item.widget() if item is not None else None
            if w is not None:
                w.deleteLater()
        self.rows = []
        r = 0
        for comp in proc.components:
            row = ComponentRow(comp, self.comp_grid, r, self.comp_inner)
            r += 1
            for w in row.widgets():
                if isinstance(w, QCheckBox):
                    w.toggled.connect(self._update_state)
                elif isinstance(w, QSpinBox):
                    w.valueChanged.connect(self._update_state)
                elif isinstance(w, QComboBox):
                    w.currentIndexChanged.connect(self._update_state)
            self.rows.append(row)
        self.capture.rows_built(self.rows)
        self.comp_grid.setColumnStretch(0, 1)
        self.comp_grid.setRowStretch(r, 1)
        self._update_state()

    def items(self) -> tuple[HandedIn, ...]:
        return tuple(h for h in (r.handed_in() for r in self.rows) if h is not None)

    def conditions(self) -> dict[str, bool]:
        out: dict[str, bool] = {}
        for r in self.rows:
            if r.applies is not None and r.applies.currentData() is not None:
                out[r.comp.code] = bool(r.applies.currentData())
        return out

    def _update_state(self) -> None:
        if self.procedure is None:
            self.result = None
            self.state.setText(self.tr("Chọn thủ tục để hiện danh sách thành phần."))
            return
        self.result = check_completeness(self.procedure, self.items(), self.conditions())
        res = self.result
        self.receive_btn.setEnabled(res.complete and not self.busy)
        unresolved = []
        for code in res.unresolved_conditions:
            try:
                comp = self.procedure.component(code)
                name = localized(comp.name_vi, comp.name_en)
            except KeyError:
                name = code
            unresolved.append(self.tr("Chưa xác định có áp dụng: {name}").format(name=name))
        note = (
            (
                "<br><span style='color:#a15c00'>"
                + "<br>".join(f"? {line}" for line in unresolved)
                + "</span>"
            )
            if unresolved
            else ""
        )
        if res.complete:
            self.state.setText(
                "<span style='color:#1b5e20'><b>✔ "
                + self.tr("Hồ sơ đủ thành phần.")
                + "</b></span>"
            )
            return
        lines = [describe(s) for s in [*res.missing, *res.insufficient]]
        head = (
            self.tr("Chưa đủ ({n}):").format(n=len(lines))
            if lines
            else self.tr("Chưa quyết định xong: chọn Có/Không áp dụng (phím C/K) cho:")
        )
        self.state.setText(
            "<span style='color:#b00020'><b>"
            + head
            + "</b></span>"
            + "".join(f"<br>• {line}" for line in lines)
            + note
        )

    # -- outcomes ----------------------------------------------------------------------------

    def _look_up_earlier(self) -> None:
        """Show the citizen's earlier dossiers (in the background; the answer is dropped
        if the ID changed meanwhile)."""
        from app.domain.text import digits_only

        idn = digits_only(self.id_number.text())
        if len(idn) not in (9, 12) or len(self.id_number.text().strip()) != len(idn):
            self._show_earlier("", [])
            return
        if idn not in (self._earlier_for, self._earlier_asking):
            self._ask_earlier(idn)

    def _ask_earlier(self, idn: str) -> None:
        """One look-up on the pool for `idn`; when it answers, what waits for it
        (`_after_earlier`: a Receive pressed meanwhile) runs. A Receive pressed while the
        look-up of the same ID is under way waits for that one instead of asking again
        (issue 10: two look-ups in a row on the way to the receipt)."""
        from app.domain.text import digits_only

        ctx = self.ctx
        self._earlier_asking = idn

        def answered(found: list[Any]) -> None:
            if self._earlier_asking == idn:
                self._earlier_asking = ""
            if digits_only(self.id_number.text()) == idn:
                self._show_earlier(idn, found)
            waiting, self._after_earlier = self._after_earlier, []
            for then in waiting:
                then()

        # A failed look-up must not hold the citizen up: it counts as none found.
        worker.run(lambda: search.earlier_dossiers(ctx, idn), answered, lambda exc: answered([]))

    def _show_earlier(self, idn: str, found: list[Any]) -> None:
        from datetime import UTC

        self._earlier_for = idn
        self.earlier = [
            Earlier(
                f.code,
                f.procedure_code,
                f.received_at if f.received_at.tzinfo else f.received_at.replace(tzinfo=UTC),
                f.status,
            )
            for f in found
        ]
        if not found:
            self.earlier_label.hide()
            self.earlier_label.setText("")
            return
        lines = [
            f"{f.code} — {f.procedure_code} — {f.status_label} — {local_dt(f.received_at)}"
            for f in found[:3]
        ]
        more = len(found) - len(lines)
        self.earlier_label.setText(
            "<span style='color:#0d47a1'>"
            + self.tr("Hồ sơ trước đây của số định danh này ({n}):").format(n=len(found))
            + "<br>"
            + "<br>".join(lines)
            + (f"<br>… (+{more})" if more > 0 else "")
            + "</span>"
        )
        self.earlier_label.show()

    def _repeat_question(self) -> str | None:
        """The question to ask before receiving, or None (same procedure within 30 days)."""
        from datetime import UTC, datetime

        assert self.procedure is not None
        hits = repeats(self.earlier, self.procedure.code, datetime.now(UTC))
        if not hits:
            return None
        e = hits[0]
        return self.tr(
            "Số định danh này đã nộp hồ sơ cùng thủ tục {proc} ngày {at} (mã {code}, "
            "trong vòng 30 ngày). Vẫn tiếp nhận hồ sơ mới?"
        ).format(proc=e.procedure_code, at=local_dt(e.received_at), code=e.code)

    def submit(self, outcome: str, repeat_checked: bool = False) -> None:
        if self.busy:
            return
        self.general_error.show_error("")
        self.errors["reason"].show_error("")
        self.errors["return_address"].show_error("")
        self.errors["filer"].show_error("")
        if self.procedure is None:
            self.errors["procedure"].show_error(self.tr("Chọn thủ tục trước."))
            self.proc_search.setFocus()
            return
        self.validate_live(show_all=True)
        if self.applicant()[1]:  # an unreadable date: the services would see no date at all
            self.date_of_birth.setFocus()
            return
        if outcome == "receive" and self.result is not None and not self.result.complete:
            missing = self.result.missing or self.result.insufficient
            self.general_error.show_error(
                self.tr("Hồ sơ chưa đủ: dùng Yêu cầu bổ sung (F10) hoặc Từ chối (F11).")
                if missing
                else self.tr("Chưa xác định thành phần nào áp dụng: chọn Có/Không áp dụng.")
            )
            return
        if outcome == "supplement" and self.result is not None and self.result.complete:
            self.general_error.show_error(self.tr("Hồ sơ đã đủ: dùng Tiếp nhận (F9)."))
            return
        if outcome == "refuse" and not self.reason.text().strip():
            self.errors["reason"].show_error(self.tr("Cần ghi rõ lý do từ chối."))
            self.reason.setFocus()
            return
        if outcome == "receive" and not repeat_checked:
            from app.domain.text import digits_only

            idn = digits_only(self.id_number.text())
            if len(idn) in (9, 12) and idn != self._earlier_for:
                # The look-up has not answered yet: ask it (unless it is under way), then
                # come back here.
                if idn != self._earlier_asking:
                    self._ask_earlier(idn)
                self._after_earlier.append(lambda: self.submit(outcome))
                return
            question = self._repeat_question()
            if question and not dialogs().ask(self, self.tr("Hồ sơ có thể trùng"), question):
                return
        applicant, _ = self.applicant()
        req = IntakeRequest(
            procedure_code=self.procedure.code,
            applicant=applicant,
            items=self.items(),
            conditions=self.conditions(),
            outcome=outcome,
            reason=self.reason.text().strip(),
            channel=self.channel.currentData(),
            return_method=self.return_method.currentData(),
            return_address=self.return_address.text().strip(),
            sets_count=self.sets_count.value(),
            filer=self.filer.currentData() or "",
        )
        self._set_busy(True)
        ctx = self.ctx
        paper_job = self.paper_for(outcome) if self.paper_for is not None else None

        def work() -> tuple[IntakeResult, Any]:
            result = intake.submit(ctx, req)
            if paper_job is None:
                return result, None
            try:
                return result, paper_job(result)
            except Exception as exc:  # the dossier is recorded; only its paper failed
                return result, exc

        def done(answer: tuple[IntakeResult, Any]) -> None:
            result, self.paper = answer
            self._set_busy(False)
            self.last_code = req.procedure_code
            try:
                self.submitted.emit(result, outcome)
            finally:
                self.paper = None
            self.clear()

        def failed(exc: BaseException) -> None:
            self._set_busy(False)
            if isinstance(exc, ValidationFailed):
                first = None
                for fe in exc.errors:
                    label = self.errors.get(fe.field, self.general_error)
                    label.show_error(fe.message)
                    first = first or (self.errors.get(fe.field) and fe.field)
                if first and first in APPLICANT_FIELDS:
                    self.field_widget(first).setFocus()
            elif isinstance(exc, DomainError):
                self.general_error.show_error(str(exc.message if hasattr(exc, "message") else exc))
            else:
                self.general_error.show_error(
                    self.tr("Lỗi không mong đợi: {e}").format(e=type(exc).__name__)
                )

        worker.run(work, done, failed)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for b in (self.supplement_btn, self.refuse_btn):
            b.setEnabled(not busy)
        self.receive_btn.setEnabled(
            not busy and self.result is not None and self.result.complete
        )

    def clear(self) -> None:
        """Ready for the next applicant: everything emptied, focus on the procedure search."""
        self._after_earlier.clear()  # a Receive waiting for the look-up is dropped with it
        for field in (
            "full_name",
            "id_number",
            "old_id_number",
            "social_insurance_no",
            "hi_card_no",
            "date_of_birth",
            "phone",
            "email",
            "address",
        ):
            getattr(self, field).clear()
        self.sex.setCurrentIndex(0)
        self.province.setCurrentIndex(0)
        self.reason.clear()
        self.return_address.clear()
        self.channel.setCurrentIndex(0)
        self.return_method.setCurrentIndex(0)
        self.sets_count.setValue(1)
        self._show_filer(False)
        self.touched.clear()
        for e in self.errors.values():
            e.show_error("")
        self.general_error.show_error("")
        self.procedure = None
        self.proc_search.clear()
        self.proc_label.setText(self.tr("Chưa chọn thủ tục."))
        self._build_rows_empty()
        self.proc_search.setFocus()

    def _build_rows_empty(self) -> None:
        while self.comp_grid.count():
            item = self.comp_grid.takeAt(0)
            w = item.widget() if item is not None else None
            if w is not None:
                w.deleteLater()
        self.rows = []
        self._update_state()

    # -- chip ID card ------------------------------------------------------------------------

    def fill_from_chip(self, qr: ChipIdQr) -> None:
        """Fill the applicant block from the chip-ID QR; the officer only checks it."""
        self.full_name.setText(qr.full_name)
        self.id_number.setText(qr.id_number)
        if len(qr.old_id_number) == 9:
            self.old_id_number.setText(qr.old_id_number)
        self.date_of_birth.setText(qr.date_of_birth.strftime("%d/%m/%Y"))
        self.sex.setCurrentIndex(1 if qr.sex == "M" else 2)
        self.address.setText(qr.address)
        # The permanent address ends with the province; pick it when it names one of the 34.
        folded = fold(qr.address)
        for i in range(1, self.province.count()):
            if fold(self.province.itemText(i)) in folded:
                self.province.setCurrentIndex(i)
                for j in range(1, self.commune.count()):
                    if fold(self.commune.itemText(j)) in folded:
                        self.commune.setCurrentIndex(j)
                        break
                break
        self.touched.update({"full_name", "id_number", "date_of_birth", "sex", "address"})
        self.validate_live()
        self.phone.setFocus()
