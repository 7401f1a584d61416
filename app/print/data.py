"""What the renderers take: plain frozen values, built by the services layer from the database.

Why: the print layer knows nothing of SQLAlchemy or Qt, so documents can be rendered and
tested from literals. Form numbers live in a `FormSet` (the legal basis stored with each
dossier), never in the renderers: Circular 01/2018 and Circular 03/2025 number the same
form roles differently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

FORM_ROLES = ("receipt", "supplement", "refusal", "apology", "stop", "control", "logbook")

HandoverResult = Literal["early", "on_time", "late"]


@dataclass(frozen=True)
class FormTitle:
    """A form's number and official title under one legal basis (e.g. "01", "GIẤY ...").

    `note` says what of the form could not be confirmed from its source (its fields are then
    the 2018 wording); None when the form was read in its source.
    """

    number: str
    title: str
    note: str | None = None


@dataclass(frozen=True)
class FormSet:
    """A legal basis: its name, the day its forms apply from, and the form (number, title)
    for each role in FORM_ROLES. `confidence` as in domain.md (V, S, M)."""

    name: str
    forms: dict[str, FormTitle] = field(hash=False)
    effective_from: date = date(2019, 1, 6)
    confidence: str = "V"
    source: str = ""

    def form(self, role: str) -> FormTitle:
        try:
            return self.forms[role]
        except KeyError:
            raise KeyError(f"{self.name} has no form for role {role!r}") from None

    def has(self, role: str) -> bool:
        return role in self.forms


CIRCULAR_01_2018 = FormSet(
    effective_from=date(2019, 1, 6),
    confidence="V",
    source="Thông tư 01/2018/TT-VPCP Điều 9 (Pháp điển TT.34.9); hiệu lực 06/01/2019",
    name="Thông tư 01/2018/TT-VPCP",
    forms={
        "receipt": FormTitle("01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
        "supplement": FormTitle("02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
        "refusal": FormTitle("03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
        "apology": FormTitle("04", "Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
        "control": FormTitle("05", "Phiếu kiểm soát quá trình giải quyết hồ sơ"),
        "logbook": FormTitle("06", "Sổ theo dõi hồ sơ"),
    },
)

#: The fields of Appendix I of Circular 03/2025 were not read (domain.md §0.1, [M]).
_FIELDS_2018 = (
    "Số và tên mẫu theo Phụ lục I Thông tư 03/2025 [S, hai nguồn thứ cấp]; các trường của mẫu "
    "chưa đọc được trong bản gốc nên giữ nội dung mẫu tương ứng của Thông tư 01/2018 [M]."
)

# Appendix I of Circular 03/2025/TT-VPCP (domain.md §0.1 and §1.1, [S]: thuviennhadat.vn
# article 708489 and a 2026 design study agree on the seven numbers and titles). Signed and
# applying from 15/09/2025 [S]. Form 05, "Thông báo dừng giải quyết hồ sơ", is new.
CIRCULAR_03_2025 = FormSet(
    effective_from=date(2025, 9, 15),
    confidence="S",
    source=(
        "Thông tư 03/2025/TT-VPCP Phụ lục I (ký và áp dụng biểu mẫu từ 15/09/2025) theo "
        "thuviennhadat.vn bài 708489 và một nghiên cứu năm 2026; chưa đọc bản gốc"
    ),
    name="Thông tư 03/2025/TT-VPCP",
    forms={
        "receipt": FormTitle("01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", _FIELDS_2018),
        "supplement": FormTitle("02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", _FIELDS_2018),
        "refusal": FormTitle("03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ", _FIELDS_2018),
        "apology": FormTitle(
            "04", "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết", _FIELDS_2018
        ),
        "stop": FormTitle(
            "05",
            "Thông báo dừng giải quyết hồ sơ",
            "Mẫu mới; nội dung chưa đọc được trong bản gốc: in mã hồ sơ, người nộp, thủ tục, "
            "ngày tiếp nhận, lý do dừng và chữ ký thủ trưởng theo bố cục các mẫu 02–04 [M].",
        ),
        "control": FormTitle("06", "Phiếu kiểm soát quá trình giải quyết hồ sơ", _FIELDS_2018),
        "logbook": FormTitle(
            "07",
            "Sổ theo dõi hồ sơ",
            _FIELDS_2018 + " Cách đánh số sổ giữ theo Thông tư 01/2018 Điều 10 (số thứ tự liên "
            "tục trong năm, không bắt đầu lại khi sang quyển mới) vì chưa đọc được quy định mới.",
        ),
    },
)

#: Every form set, oldest first; a dossier prints under the one in force when received.
FORM_SETS: tuple[FormSet, ...] = (CIRCULAR_01_2018, CIRCULAR_03_2025)


def form_set_for(received: date, role: str | None = None) -> FormSet:
    """The form set in force on the day a dossier was received (Circular 03/2025 from
    15/09/2025, Circular 01/2018 before). A role the older set lacks (form 05, stopping)
    comes from the first set that has it."""
    chosen = CIRCULAR_01_2018
    for fs in FORM_SETS:
        if fs.effective_from <= received:
            chosen = fs
    if role is not None and not chosen.has(role):
        chosen = next(fs for fs in FORM_SETS if fs.has(role))
    return chosen


@dataclass(frozen=True)
class OfficeInfo:
    """The receiving desk as printed in the header (parent body above the unit).

    `header_line` is the office line of the header (the unit's name when empty); an empty
    `place_name`, `phone` or `hotline` leaves its words out rather than print a blank.
    """

    agency_code: str
    unit_name: str
    parent_name: str
    address: str
    phone: str
    hotline: str
    place_name: str
    header_line: str = ""


@dataclass(frozen=True)
class ComponentLine:
    """One row of "Thành phần hồ sơ": paper name, its form code if any, kind, count."""

    name: str
    form_code: str | None
    copy_kind_label: str
    quantity: int
    #: Pages of its digitised file (issue 16); 0 when it was not digitised.
    digitised_pages: int = 0


@dataclass(frozen=True)
class DossierDoc:
    """Everything forms 01–05 print about one dossier.

    Datetimes must be timezone-aware (stored UTC); they are shown in Asia/Ho_Chi_Minh.
    `synced=False` prints a "not yet synced" mark; `copy=True` marks a reprint.
    """

    code: str
    procedure_name: str
    procedure_code: str
    applicant_name: str
    applicant_address: str
    applicant_phone: str
    applicant_email: str
    components: tuple[ComponentLine, ...]
    sets_count: int
    time_limit_text: str
    received_at: datetime
    due_at: datetime
    return_method_text: str
    fee_text: str | None
    log_book_volume: str
    log_book_entry: str
    receiving_officer: str
    synced: bool
    copy: bool
    legal_basis: FormSet
    office: OfficeInfo


@dataclass(frozen=True)
class SupplementDoc:
    """Form 02: everything missing, listed at once (Decree 61 Art. 15(3))."""

    dossier: DossierDoc
    missing: tuple[str, ...]
    reason: str
    guiding_officer: str
    guide_phone: str


@dataclass(frozen=True)
class RefusalDoc:
    """Form 03: refusal to receive, with the concrete reason."""

    dossier: DossierDoc
    reason: str


@dataclass(frozen=True)
class ApologyDoc:
    """Form 04: apology and the new appointment (the date may be re-set only once).

    `issued_at` dates the letter; when None the date line is left blank to fill by hand.
    """

    dossier: DossierDoc
    original_due: datetime
    new_due: datetime
    reason: str
    signer: str
    issued_at: datetime | None = None
    #: Made later than 01 working day before the old date (Decree 61 Art. 19(9)).
    late: bool = False


@dataclass(frozen=True)
class StopNoticeDoc:
    """Form 05 of Circular 03/2025: the office stops settling a dossier the applicant
    withdrew; the officer's recorded reason is printed."""

    dossier: DossierDoc
    reason: str
    stopped_at: datetime
    signer: str


@dataclass(frozen=True)
class Handover:
    """One hand-over between bodies on the control sheet; result is None while pending."""

    from_name: str
    to_name: str
    at: datetime
    result: HandoverResult | None
    note: str


@dataclass(frozen=True)
class ControlSheetDoc:
    """Form 05 (06 under Circular 03/2025): the process control sheet."""

    dossier: DossierDoc
    lead_agency: str
    coordinating: str
    handovers: tuple[Handover, ...]


@dataclass(frozen=True)
class LogBookEntry:
    """One line of the log book; `entry_no` is printed as given (numbering never restarts)."""

    entry_no: int | str
    code: str
    procedure_name: str
    sets_count: int
    applicant_name: str
    address_phone: str
    lead_agency: str
    received: datetime
    due: datetime
    transferred: datetime | None
    result_received: datetime | None
    returned: datetime | None
    note: str


@dataclass(frozen=True)
class LogBookDoc:
    """Form 06 (07 under Circular 03/2025): the log book for a period, A4 landscape.

    `legal_basis` chooses the printed form number; None prints no "Mẫu số" line.
    """

    office: OfficeInfo
    year: int
    volume: str
    entries: tuple[LogBookEntry, ...]
    date_from: date
    date_to: date
    legal_basis: FormSet | None = None
