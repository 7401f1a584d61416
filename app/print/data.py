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

FORM_ROLES = ("receipt", "supplement", "refusal", "apology", "control", "logbook")

HandoverResult = Literal["early", "on_time", "late"]


@dataclass(frozen=True)
class FormTitle:
    """A form's number and official title under one legal basis (e.g. "01", "GIẤY ...")."""

    number: str
    title: str


@dataclass(frozen=True)
class FormSet:
    """A legal basis: its name and the form (number, title) for each role in FORM_ROLES."""

    name: str
    forms: dict[str, FormTitle] = field(hash=False)

    def form(self, role: str) -> FormTitle:
        try:
            return self.forms[role]
        except KeyError:
            raise KeyError(f"{self.name} has no form for role {role!r}") from None


CIRCULAR_01_2018 = FormSet(
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

# Appendix I of Circular 03/2025/TT-VPCP (domain.md §1.1, [S]): form 05 there is the new
# "Thông báo dừng giải quyết hồ sơ", which has no renderer yet, so it has no role here.
CIRCULAR_03_2025 = FormSet(
    name="Thông tư 03/2025/TT-VPCP",
    forms={
        "receipt": FormTitle("01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
        "supplement": FormTitle("02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
        "refusal": FormTitle("03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
        "apology": FormTitle("04", "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"),
        "control": FormTitle("06", "Phiếu kiểm soát quá trình giải quyết hồ sơ"),
        "logbook": FormTitle("07", "Sổ theo dõi hồ sơ"),
    },
)


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
