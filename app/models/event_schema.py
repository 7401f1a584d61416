"""The event wire format: one typed pydantic model per event type, shared by desk and central.

Why here: the bounds of every text field are the lengths of the columns the fold writes
(`Dossier`, `DossierComponent`, `Event`), read from the ORM models, so a value that passes
can always be stored and a column change moves its bound with it. The desk checks an
event before it is written (intake shows the problem next to the field), the central
checks it again before it is applied (a per-event verdict, never a 500).

Protocol versions: version 1 desks send the same envelope without ``v``; the payloads are
the same, so a desk upgraded later keeps syncing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from operator import attrgetter
from typing import Annotated, Any, Literal, cast

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)

from app.domain.lifecycle import CREATING, DESK_EVENTS, EventType
from app.domain.messages import register, tr
from app.models.dossier import Dossier, DossierComponent
from app.models.events import Event

SCHEMA_VERSION = 2
#: Versions the central accepts; version 1 is the envelope without ``v``.
SUPPORTED_VERSIONS = (1, 2)
INT32_MAX = 2**31 - 1
MAX_TEXT = 2000  # free text (reasons, notes) kept in Text columns: bounded all the same
MAX_ITEMS = 200


def col_len(model: type[Any], name: str) -> int:
    """The declared length of a String column (the bound a value must respect)."""
    length = model.__table__.c[name].type.length
    assert isinstance(length, int), f"{model.__name__}.{name} has no length"
    return length


register(
    {
        "event.bad_char": {
            "vi": "chứa ký tự không hợp lệ (ký tự điều khiển hoặc mã hóa hỏng)",
            "en": "contains a character that is not allowed (control character or broken encoding)",
        },
        "event.not_nfc": {
            "vi": "văn bản chưa chuẩn hóa Unicode (NFC)",
            "en": "text is not in Unicode normal form NFC",
        },
        "event.too_long": {
            "vi": "quá dài (tối đa {max} ký tự)",
            "en": "too long (at most {max} characters)",
        },
        "event.too_many": {
            "vi": "quá nhiều mục (tối đa {max})",
            "en": "too many items (at most {max})",
        },
        "event.range": {"vi": "ngoài khoảng cho phép", "en": "out of the allowed range"},
        "event.missing": {"vi": "bị thiếu", "en": "is missing"},
        "event.extra": {"vi": "không thuộc mẫu sự kiện", "en": "is not part of the event"},
        "event.time_range": {
            "vi": "thời điểm ngoài khoảng 2000–2100 (đồng hồ máy quầy sai?)",
            "en": "time outside 2000–2100 (is the desk clock wrong?)",
        },
        "event.invalid_value": {"vi": "không hợp lệ", "en": "is not valid"},
        "event.field": {
            "vi": "Sự kiện bị từ chối: trường {field} {problem}. Sửa hồ sơ hoặc gác lại sự "
            "kiện này.",
            "en": "Event refused: field {field} {problem}. Correct the dossier or set the "
            "event aside.",
        },
        "event.field_short": {"vi": "{problem}", "en": "{problem}"},
    }
)


# --- checked scalar types ----------------------------------------------------------------


class _Problem(ValueError):
    """A bound broken inside a validator; carries the message key for both languages."""

    def __init__(self, key: str, **kw: object) -> None:
        super().__init__(tr(key, "en", **kw))
        self.key, self.kw = key, kw


#: Control characters (all of them in a line; all but tab and newlines in free text), DEL
#: and lone surrogates. One regex search runs in C: a loop over the characters in Python
#: cost a quarter of the desk's pull and of the central's push (four text fields an event).
_BAD_LINE = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")
_BAD_MULTI = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _clean(multiline: bool) -> Callable[[str], str]:
    bad = _BAD_MULTI if multiline else _BAD_LINE

    def check(v: str) -> str:
        if bad.search(v) is not None:
            raise _Problem("event.bad_char")
        if not v.isascii() and not unicodedata.is_normalized("NFC", v):
            raise _Problem("event.not_nfc")
        return v

    return check


#: Text checks: NFC, no NUL, no control characters (a line) or only tab/newline (free
#: text), no lone surrogates (they cannot be stored as UTF-8).
_LINE = AfterValidator(_clean(False))
_MULTI = AfterValidator(_clean(True))


def _max(max_len: int, min_len: int = 0) -> Any:
    return Field(min_length=min_len, max_length=max_len)


def _len(model: type[Any], name: str, min_len: int = 0) -> Any:
    """The bound of a column: a value that passes can always be stored there."""
    return _max(col_len(model, name), min_len)


def _aware_in_range(v: datetime) -> datetime:
    if v.tzinfo is None:
        raise ValueError("times must carry a UTC offset")
    # An offset is under a day, so the UTC year differs from the written one only around
    # New Year: convert only then (astimezone was a tenth of a pulled page's checking).
    if not 2001 <= v.year <= 2099 and not 2000 <= v.astimezone(UTC).year <= 2100:
        raise _Problem("event.time_range")
    return v


def _date_in_range(v: date) -> date:
    if not 1900 <= v.year <= 2100:
        raise _Problem("event.range")
    return v


AwareTime = Annotated[datetime, AfterValidator(_aware_in_range)]
Day = Annotated[date, AfterValidator(_date_in_range)]
Reason = Annotated[str, _max(MAX_TEXT), _MULTI]
Id36 = Annotated[str, _max(36), _LINE]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False, frozen=True)


# --- payloads ----------------------------------------------------------------------------


class ApplicantIn(_Strict):
    full_name: Annotated[str, _len(Dossier, "full_name", 1), _LINE]
    id_number: Annotated[str, _len(Dossier, "id_number"), _LINE] = ""
    social_insurance_no: Annotated[str, _len(Dossier, "social_insurance_no"), _LINE] = ""
    hi_card_no: Annotated[str, _len(Dossier, "hi_card_no"), _LINE] = ""
    date_of_birth: Day | None = None
    sex: Literal["M", "F", ""] | None = None
    phone: Annotated[str, _len(Dossier, "phone"), _LINE] = ""
    email: Annotated[str, _len(Dossier, "email"), _LINE] = ""
    province_code: Annotated[str, _len(Dossier, "province_code"), _LINE] = ""
    commune_code: Annotated[str, _len(Dossier, "commune_code"), _LINE] = ""
    address: Annotated[str, _len(Dossier, "address"), _LINE] = ""
    #: A 9-digit CMND kept beside the 12-digit number (Identification Law 2023 Art. 46).
    old_id_number: Annotated[str, _max(12), _LINE] = ""


class ComponentIn(_Strict):
    component_code: Annotated[str, _len(DossierComponent, "component_code", 1), _LINE]
    name_vi: Annotated[str, _len(DossierComponent, "name_vi"), _LINE] = ""
    form_code: Annotated[str, _len(DossierComponent, "form_code"), _LINE] | None = None
    copy_kind: Annotated[str, _len(DossierComponent, "copy_kind", 1), _LINE]
    quantity: int = Field(ge=0, le=9999)


class LogBookIn(_Strict):
    year: int = Field(ge=2000, le=2100)
    volume: int = Field(ge=1, le=9999)
    entry: int = Field(ge=1, le=10_000_000)


class TimeLimitIn(_Strict):
    """The limit a dossier runs under, as the intake chose it (it may depend on the filer)."""

    value: int = Field(ge=0, le=999)
    unit: Literal["working_days", "days", "nonholiday_days"]
    article: Annotated[str, _max(300), _LINE] | None = None
    filer: Literal["employer", "worker"] | None = None


class CreatedPayload(_Strict):
    """received, and supplement_requested / refused when they create the dossier."""

    code: Annotated[str, _len(Dossier, "code", 1), _LINE]
    procedure_code: Annotated[str, _len(Dossier, "procedure_code", 1), _LINE]
    catalogue_version: Annotated[str, _len(Dossier, "catalogue_version", 1), _LINE]
    applicant: ApplicantIn
    components: list[ComponentIn] = Field(default_factory=list, max_length=MAX_ITEMS)
    conditions: dict[Annotated[str, _max(64), _LINE], bool] = Field(
        default_factory=dict, max_length=MAX_ITEMS
    )
    channel: Annotated[str, _len(Dossier, "channel"), _LINE] = "desk"
    return_method: Annotated[str, _len(Dossier, "return_method"), _LINE] = "desk"
    return_address: Annotated[str, _len(Dossier, "return_address"), _LINE] = ""
    consignment_no: Annotated[str, _len(Dossier, "consignment_no"), _LINE] = ""
    sets_count: int = Field(default=1, ge=1, le=99)
    received_at: AwareTime
    effective_receipt_date: Day | None = None
    due_date: Day | None = None
    log_book: LogBookIn
    reason: Reason = ""
    missing: list[Annotated[str, _max(500), _MULTI]] = Field(
        default_factory=list, max_length=MAX_ITEMS
    )
    time_limit: TimeLimitIn | None = None


class SupplementRequestedPayload(_Strict):
    reason: Reason = ""
    missing: list[Annotated[str, _max(500), _MULTI]] = Field(
        default_factory=list, max_length=MAX_ITEMS
    )
    #: Asked after the 03 working days of Decree 61/2018 Art. 19(4).
    late: bool = False


class SupplementReceivedPayload(_Strict):
    received_at: AwareTime
    effective_receipt_date: Day | None = None
    due_date: Day | None = None
    components: list[ComponentIn] | None = Field(default=None, max_length=MAX_ITEMS)


class ReasonPayload(_Strict):
    """refused (of an existing dossier) and cancelled (the desk asks for the reason)."""

    reason: Reason = ""


class TransferredPayload(_Strict):
    to: Annotated[str, _max(300), _LINE] = ""
    note: Reason = ""


class ResultReadyPayload(_Strict):
    note: Reason = ""


class ReturnedPayload(_Strict):
    receiver: Annotated[str, _max(300), _LINE] = ""


class PostedPayload(_Strict):
    consignment_no: Annotated[str, _len(Dossier, "consignment_no"), _LINE] = ""


class AppointmentChangedPayload(_Strict):
    new_due_date: Day
    reason: Reason = ""
    #: Made later than 01 working day before the old date (Decree 61/2018 Art. 19(9)).
    late: bool = False


class FeedbackPayload(_Strict):
    scores: dict[Literal["1", "3", "4", "7"], Annotated[int, Field(ge=0, le=2)]]
    channel: Annotated[str, _max(16), _LINE] = "desk"


class PrintedPayload(_Strict):
    form: Annotated[str, _max(32, 1), _LINE]
    is_copy: bool = Field(default=False, alias="copy")
    synced: bool = False


class SetAsidePayload(_Strict):
    """An officer stopped retrying a rejected event (kept for the audit trail)."""

    event_id: Id36
    reason_code: Annotated[str, _max(64), _LINE] = ""
    note: Reason = ""


# --- the postal hand-over (issue 15, Decision 45/2016 Art. 6-10) -------------------------

Code32 = Annotated[str, _max(32, 1), _LINE]
Name200 = Annotated[str, _max(200), _LINE]
BatchNo = Annotated[str, _max(16, 10), _LINE]
Digest = Annotated[str, Field(pattern=r"^[0-9A-F]{8}$")]
S10 = Annotated[str, Field(pattern=r"^[A-Z]{2}[0-9]{9}[A-Z]{2}$")]


class PostalApplicantIn(_Strict):
    full_name: Annotated[str, _len(Dossier, "full_name", 1), _LINE]
    id_number: Annotated[str, _len(Dossier, "id_number"), _LINE] = ""
    phone: Annotated[str, _len(Dossier, "phone"), _LINE] = ""
    address: Annotated[str, _len(Dossier, "address"), _LINE] = ""


class PostalFeeIn(_Strict):
    charges: int = Field(ge=0, le=1_000_000_000)
    postal: int = Field(ge=0, le=1_000_000_000)
    total: int = Field(ge=0, le=2_000_000_000)


class PostalAcceptedPayload(_Strict):
    """A post-office agent desk took a dossier in and collected the fee (Art. 6)."""

    receipt_no: Annotated[str, _max(24, 1), _LINE]
    consignment_no: S10
    agency_code: Code32
    agency_name: Name200 = ""
    procedure_code: Annotated[str, _len(Dossier, "procedure_code", 1), _LINE]
    procedure_name: Annotated[str, _max(300), _LINE] = ""
    catalogue_version: Annotated[str, _len(Dossier, "catalogue_version", 1), _LINE]
    applicant: PostalApplicantIn
    components: list[ComponentIn] = Field(default_factory=list, max_length=MAX_ITEMS)
    option: int = Field(ge=1, le=3)
    scope: Annotated[str, _max(16, 1), _LINE]
    fee: PostalFeeIn
    accepted_at: AwareTime


class PostalRowIn(_Strict):
    """One line of a post office → agency hand-over record (what its row QR carries)."""

    pos: int = Field(ge=1, le=MAX_ITEMS)
    item_id: Id36
    consignment_no: S10
    procedure_code: Annotated[str, _len(Dossier, "procedure_code", 1), _LINE]
    full_name: Annotated[str, _len(Dossier, "full_name", 1), _LINE]
    id_number: Annotated[str, _len(Dossier, "id_number"), _LINE] = ""
    phone: Annotated[str, _len(Dossier, "phone"), _LINE] = ""
    address: Annotated[str, _len(Dossier, "address"), _LINE] = ""
    option: int = Field(ge=1, le=3)
    components: list[
        tuple[Annotated[str, _max(40), _LINE], Annotated[str, _max(16), _LINE], int]
    ] = Field(default_factory=list, max_length=MAX_ITEMS)


class ReturnRowIn(_Strict):
    """One line of an agency → post office hand-over record (results going back)."""

    pos: int = Field(ge=1, le=MAX_ITEMS)
    item_id: Id36
    consignment_no: S10
    dossier_code: Annotated[str, _len(Dossier, "code", 1), _LINE]
    full_name: Annotated[str, _len(Dossier, "full_name", 1), _LINE]
    result: Annotated[str, _max(300), _LINE] = ""


class _BatchHead(_Strict):
    batch_no: BatchNo
    #: The office that must see this event besides its own (the central routes it there).
    route_to: Code32
    from_office_code: Code32
    to_office_code: Code32
    count: int = Field(ge=1, le=MAX_ITEMS)
    digest: Digest


class PostalHandedOverPayload(_BatchHead):
    from_name: Name200 = ""
    to_name: Name200 = ""
    handed_at: AwareTime
    rows: list[PostalRowIn] = Field(max_length=MAX_ITEMS)


class PostalBatchReceivedPayload(_BatchHead):
    """The agency signed the record: the legal filing time of every dossier in it (Art. 7)."""

    signed_at: AwareTime
    #: The post office's name as the record's rows carry it (issue 15: the return record
    #: names the post office even when the agency desk signed offline).
    from_name: Name200 = ""
    rows: list[PostalRowIn] = Field(max_length=MAX_ITEMS)


class PostalRowSettledPayload(_Strict):
    batch_no: BatchNo
    route_to: Code32
    pos: int = Field(ge=1, le=MAX_ITEMS)
    item_id: Id36
    consignment_no: S10
    outcome: Literal["received", "supplement", "refused", "missing"]
    dossier_code: Annotated[str, _len(Dossier, "code"), _LINE] = ""
    due_date: Day | None = None
    reason: Reason = ""


class PostalReturnHandedOverPayload(_BatchHead):
    from_name: Name200 = ""
    to_name: Name200 = ""
    handed_at: AwareTime
    rows: list[ReturnRowIn] = Field(max_length=MAX_ITEMS)


class PostalReturnReceivedPayload(_BatchHead):
    signed_at: AwareTime
    rows: list[ReturnRowIn] = Field(max_length=MAX_ITEMS)


class PostalDeliveredPayload(_Strict):
    consignment_no: S10
    #: The agency that sent the result: it sees the delivery (or the result coming back).
    route_to: Annotated[str, _max(32), _LINE] = ""
    outcome: Literal["delivered", "failed", "returned"]
    reason: Reason = ""
    at: AwareTime


class PostalConflictResolvedPayload(_Strict):
    """A supervisor chose which signing of a record signed by two desks stands; the dossiers
    the other signing made for rows the standing one also settled are cancelled by their
    own `cancelled` events in the same transaction (listed here so every desk and the post
    office fold the record the same way without the agency's dossier rows)."""

    batch_no: BatchNo
    route_to: Code32
    from_office_code: Code32
    to_office_code: Code32
    #: The desk whose signing stands (its time is the record's filing time, Art. 7).
    keep_desk: Id36
    cancelled: list[Annotated[str, _len(Dossier, "code", 1), _LINE]] = Field(
        default_factory=list, max_length=MAX_ITEMS
    )
    reason: Annotated[str, _max(500, 1), _MULTI]
    #: The supervisor's user name (the envelope's officer_id is the account's id).
    by: Annotated[str, _max(64), _LINE] = ""


GuardKind = Literal["clock_far", "clock_behind", "offline_long", "unsynced_many", "revoked"]


class GuardOverriddenPayload(_Strict):
    """A supervisor let intake go on past guard rails (issue 12): which, until when, why,
    and the facts measured then. A desk event: its dossier_id is the desk's id."""

    kinds: list[GuardKind] = Field(min_length=1, max_length=5)
    #: What blocked intake when the override was given.
    blocks: list[GuardKind] = Field(default_factory=list, max_length=5)
    until: AwareTime
    reason: Annotated[str, _max(200), _MULTI] = ""
    #: The supervisor's user name (the envelope's officer_id is the account's id).
    by: Annotated[str, _max(64), _LINE] = ""
    #: central − desk, seconds, as last measured (None: never measured).
    clock_offset_s: float | None = Field(default=None, ge=-1e10, le=1e10)


class ComponentDigitisedPayload(_Strict):
    """A component's pages stored as one PDF (issue 16): the file is named by its SHA-256,
    so every desk and the central can check the bytes they hold against the event."""

    component_code: Annotated[str, _len(DossierComponent, "component_code", 1), _LINE]
    pages: int = Field(ge=1, le=1000)
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    size: int = Field(ge=1, le=2**40)
    #: OCRmyPDF made it PDF/A with a text layer (False: the plain PDF, stored at once).
    pdfa: bool = False
    source: Literal["scanner", "file", "mixed"] = "file"
    #: The plain PDF this PDF/A copy was made from, afterwards in the background (the
    #: plain file's own event stays: it is the digitisation at reception). Only with
    #: ``pdfa``; absent on a plain store.
    replaces: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")] | None = None

    @model_validator(mode="after")
    def _replaces_a_plain_file(self) -> ComponentDigitisedPayload:
        if self.replaces is not None and (not self.pdfa or self.replaces == self.sha256):
            raise ValueError("replaces needs pdfa and names another file")
        return self


PAYLOADS: dict[EventType, type[_Strict]] = {
    EventType.RECEIVED: CreatedPayload,
    EventType.SUPPLEMENT_REQUESTED: SupplementRequestedPayload,
    EventType.SUPPLEMENT_RECEIVED: SupplementReceivedPayload,
    EventType.REFUSED: ReasonPayload,
    EventType.TRANSFERRED: TransferredPayload,
    EventType.RESULT_READY: ResultReadyPayload,
    EventType.RETURNED: ReturnedPayload,
    EventType.POSTED: PostedPayload,
    EventType.APPOINTMENT_CHANGED: AppointmentChangedPayload,
    EventType.FEEDBACK_GIVEN: FeedbackPayload,
    EventType.CANCELLED: ReasonPayload,
    EventType.STOPPED: ReasonPayload,
    EventType.PRINTED: PrintedPayload,
    EventType.SET_ASIDE: SetAsidePayload,
    EventType.POSTAL_ACCEPTED: PostalAcceptedPayload,
    EventType.POSTAL_HANDED_OVER: PostalHandedOverPayload,
    EventType.POSTAL_BATCH_RECEIVED: PostalBatchReceivedPayload,
    EventType.POSTAL_ROW_SETTLED: PostalRowSettledPayload,
    EventType.POSTAL_RETURN_HANDED_OVER: PostalReturnHandedOverPayload,
    EventType.POSTAL_RETURN_RECEIVED: PostalReturnReceivedPayload,
    EventType.POSTAL_DELIVERED: PostalDeliveredPayload,
    EventType.POSTAL_CONFLICT_RESOLVED: PostalConflictResolvedPayload,
    EventType.GUARD_OVERRIDDEN: GuardOverriddenPayload,
    EventType.COMPONENT_DIGITISED: ComponentDigitisedPayload,
}


def payload_model(etype: EventType, payload: dict[str, Any]) -> type[_Strict]:
    """The model of a payload: a creating type carries the full record when it has a code."""
    if etype in CREATING and "code" in payload:
        return CreatedPayload
    return PAYLOADS[etype]


# --- the envelope ------------------------------------------------------------------------


#: A UUID as `str(uuid.UUID(...))` writes it (lowercase, hyphenated): what desks send.
_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class WireEvent(BaseModel):
    """One event as a desk sends it (POST /v1/events); ``v`` absent means version 1."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    v: int = Field(default=1, ge=1, le=SCHEMA_VERSION)
    id: Id36 = Field(description="Client-generated UUID: the idempotency key.")
    desk_id: Annotated[str, _len(Event, "desk_id", 1), _LINE]
    desk_seq: int = Field(ge=1, le=INT32_MAX)
    office_id: Annotated[str, _len(Event, "office_id", 1), _LINE]
    dossier_id: Annotated[str, _len(Event, "dossier_id", 1), _LINE]
    type: EventType
    payload: dict[str, Any]
    officer_id: Annotated[str, _len(Event, "officer_id"), _LINE] | None = None
    occurred_at: AwareTime = Field(description="Device time, kept for the audit trail only.")
    recorded_at: AwareTime | None = None

    @field_validator("id")
    @classmethod
    def _uuid(cls, v: str) -> str:
        import uuid

        if _CANONICAL_UUID.fullmatch(v) is not None:
            return v  # already the form str(UUID(v)) gives: no object built per event
        try:
            return str(uuid.UUID(v))
        except ValueError:
            raise ValueError("id must be a UUID") from None


class PulledEvent(WireEvent):
    """One event of the change feed (GET /v1/events): the wire event plus the server order."""

    server_seq: int = Field(ge=1)
    server_received_at: datetime


class _PulledLean(PulledEvent):
    """PulledEvent with its per-value Python checks left out (the type, length and range
    constraints stay, checked in pydantic's Rust core): `parse_pulled_page` makes those
    checks once for a whole page instead. Four text checks, an id check and two time
    checks an event were seven Python calls from Rust each, a third of a page's check."""

    id: Annotated[str, _max(36)] = Field(description="Client-generated UUID: the idempotency key.")
    desk_id: Annotated[str, _len(Event, "desk_id", 1)]
    office_id: Annotated[str, _len(Event, "office_id", 1)]
    dossier_id: Annotated[str, _len(Event, "dossier_id", 1)]
    officer_id: Annotated[str, _len(Event, "officer_id")] | None = None
    occurred_at: datetime = Field(description="Device time, kept for the audit trail only.")
    recorded_at: datetime | None = None

    @field_validator("id")
    @classmethod
    def _uuid(cls, v: str) -> str:  # the same name: replaces WireEvent's check
        return v


_LEAN_PAGE = TypeAdapter(list[_PulledLean])


def parse_pulled_page(raw: list[Any]) -> list[PulledEvent] | None:
    """A change-feed page checked in one call, or None when it is not plainly valid (then
    the caller checks it with PulledEvent, event by event if need be, which decides).

    What the lean model leaves out is checked for the whole page, in loops that run in C:
    every id is a UUID as desks write it, the text fields joined hold no character a line
    may not have and are ASCII (so NFC), the times carry an offset and a year well inside
    the range. Whatever passes, PulledEvent accepts with the same values (its checks
    return them unchanged)."""
    try:
        events = cast(list[PulledEvent], _LEAN_PAGE.validate_python(raw))
    except ValidationError:
        return None
    if not all(map(_CANONICAL_UUID.fullmatch, map(_ID, events))):
        return None
    officers = [o for o in map(_OFFICER, events) if o is not None]
    texts = "".join([*map(_DESK, events), *map(_OFFICE, events), *map(_DOSSIER, events), *officers])
    if not texts.isascii() or _BAD_LINE.search(texts) is not None:
        return None
    times = [*map(_OCCURRED, events), *[t for t in map(_RECORDED, events) if t is not None]]
    if times and (
        None in map(_TZ, times) or min(map(_YEAR, times)) < 2001 or max(map(_YEAR, times)) > 2099
    ):
        return None
    return events


_ID, _DESK, _OFFICE, _DOSSIER, _OFFICER = (
    attrgetter(k) for k in ("id", "desk_id", "office_id", "dossier_id", "officer_id")
)
_OCCURRED, _RECORDED, _TZ, _YEAR = (
    attrgetter(k) for k in ("occurred_at", "recorded_at", "tzinfo", "year")
)


# --- checking ----------------------------------------------------------------------------


@dataclass(frozen=True)
class EventProblem:
    """Why an event is refused: a code, the field (dotted path) and a text in vi and en."""

    code: str
    field: str
    vi: str
    en: str

    def message(self, lang: str | None = None) -> str:
        return self.en if lang == "en" else self.vi


class EventInvalid(ValueError):
    def __init__(self, problems: list[EventProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.en for p in problems))


_PYDANTIC_KEYS = {
    "string_too_long": ("event.too_long", "max_length"),
    "too_long": ("event.too_many", "max_length"),
    "missing": ("event.missing", None),
    "extra_forbidden": ("event.extra", None),
    "less_than_equal": ("event.range", None),
    "greater_than_equal": ("event.range", None),
    "less_than": ("event.range", None),
    "greater_than": ("event.range", None),
}


def _problems(exc: ValidationError, prefix: str = "") -> list[EventProblem]:
    out = []
    for err in exc.errors():
        field = prefix + ".".join(str(p) for p in err["loc"])
        ctx = err.get("ctx") or {}
        inner = ctx.get("error")
        if isinstance(inner, _Problem):
            key, kw = inner.key, inner.kw
        elif err["type"] in _PYDANTIC_KEYS:
            key, arg = _PYDANTIC_KEYS[err["type"]]
            kw = {"max": ctx.get(arg)} if arg else {}
        else:
            key, kw = "event.invalid_value", {}
        out.append(
            EventProblem(
                key,
                field,
                tr(key, "vi", **kw),
                tr(key, "en", **kw),
            )
        )
    return out


def check_payload(etype: EventType, payload: dict[str, Any]) -> None:
    """Raise EventInvalid when the payload breaks the schema of its type."""
    try:
        payload_model(etype, payload).model_validate(payload)
    except ValidationError as exc:
        raise EventInvalid(_problems(exc, "payload.")) from None


def parse_event(raw: Any) -> WireEvent:
    """The checked event (envelope and payload), or EventInvalid with every problem."""
    if not isinstance(raw, dict):
        raise EventInvalid([EventProblem("event.invalid_value", "event", "không hợp lệ", "")])
    try:
        ev = WireEvent.model_validate(raw)
    except ValidationError as exc:
        raise EventInvalid(_problems(exc)) from None
    check_payload(ev.type, ev.payload)
    if ev.type in DESK_EVENTS and ev.dossier_id != ev.desk_id:
        # A desk event folds into no dossier: it may not name one.
        key = "event.invalid_value"
        raise EventInvalid([EventProblem(key, "dossier_id", tr(key, "vi"), tr(key, "en"))])
    return ev


def reason_texts(problem: EventProblem) -> tuple[str, str]:
    """The sentence a person reads for a refused event, in Vietnamese and English."""
    return (
        tr("event.field", "vi", field=problem.field, problem=problem.vi),
        tr("event.field", "en", field=problem.field, problem=problem.en),
    )


# --- building and reading the wire form --------------------------------------------------


def event_wire(e: Event) -> dict[str, Any]:
    """The JSON a desk pushes for its event row (the version 2 envelope)."""
    return {
        "v": SCHEMA_VERSION,
        "id": e.id,
        "desk_id": e.desk_id,
        "desk_seq": e.desk_seq,
        "office_id": e.office_id,
        "dossier_id": e.dossier_id,
        "type": e.type,
        "payload": e.payload,
        "officer_id": e.officer_id,
        "occurred_at": _iso(e.occurred_at),
        "recorded_at": _iso(e.recorded_at) if e.recorded_at else None,
    }


def pulled_wire(e: Event, server_seq: int, received_at: datetime) -> dict[str, Any]:
    """The JSON of one change-feed entry."""
    out = event_wire(e)
    out["server_seq"] = server_seq
    out["server_received_at"] = _iso(received_at)
    return out


def pulled_row_wire(row: Any, payload: Any) -> dict[str, Any]:
    """`pulled_wire` from a Core row of the pull's columns (`seq`, `received_at` and the
    event's), with `payload` as the caller wants it sent (the pull passes the stored JSON
    text through as an orjson.Fragment: no decoding and encoding again per event)."""
    return {
        "v": SCHEMA_VERSION,
        "id": row.id,
        "desk_id": row.desk_id,
        "desk_seq": row.desk_seq,
        "office_id": row.office_id,
        "dossier_id": row.dossier_id,
        "type": row.type,
        "payload": payload,
        "officer_id": row.officer_id,
        "occurred_at": _iso(row.occurred_at),
        "recorded_at": _iso(row.recorded_at) if row.recorded_at else None,
        "server_seq": row.seq,
        "server_received_at": _iso(row.received_at),
    }


def _iso(t: datetime) -> str:
    return (t if t.tzinfo else t.replace(tzinfo=UTC)).isoformat()


def event_row(
    ev: WireEvent,
    *,
    origin: str,
    sync_state: str,
    server_seq: int | None,
    server_received_at: datetime | None,
) -> dict[str, Any]:
    """The column values of an `events` row for a checked wire event (Core insert form)."""
    return {
        "id": ev.id,
        "desk_id": ev.desk_id,
        "desk_seq": ev.desk_seq,
        "office_id": ev.office_id,
        "dossier_id": ev.dossier_id,
        "type": ev.type.value,
        "payload": ev.payload,
        "officer_id": ev.officer_id,
        "occurred_at": ev.occurred_at.astimezone(UTC),
        "recorded_at": (ev.recorded_at or ev.occurred_at).astimezone(UTC),
        "origin": origin,
        "sync_state": sync_state,
        "server_seq": server_seq,
        "server_received_at": server_received_at,
        "reject_reason": None,
    }
