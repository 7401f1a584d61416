"""The dossier lifecycle: event types, statuses and which event may follow which.

Pure rules. The services layer appends an event and folds it into the dossier row with
`next_status`; the central service uses the same table to validate pushed events, and a
remote event that the table forbids is kept and flagged (DESIGN.md "Conflicts").
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from app.domain.errors import DomainError
from app.domain.messages import register, tr


class Status(StrEnum):
    RECEIVED = "received"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    REFUSED = "refused"
    IN_PROGRESS = "in_progress"
    RESULT_READY = "result_ready"
    RETURNED = "returned"
    CANCELLED = "cancelled"
    #: The applicant withdrew and the office stopped settling it (Circular 03/2025 form 05).
    STOPPED = "stopped"


class EventType(StrEnum):
    RECEIVED = "received"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    SUPPLEMENT_RECEIVED = "supplement_received"
    REFUSED = "refused"
    TRANSFERRED = "transferred"
    RESULT_READY = "result_ready"
    RETURNED = "returned"
    POSTED = "posted"
    APPOINTMENT_CHANGED = "appointment_changed"
    FEEDBACK_GIVEN = "feedback_given"
    CANCELLED = "cancelled"
    STOPPED = "stopped"
    PRINTED = "printed"
    #: An officer stopped retrying an event the central refused (kept for the audit trail).
    SET_ASIDE = "set_aside"
    # The post-office agent desk and the hand-over records (issue 15, Decision 45/2016
    # Art. 6-10). Their dossier_id is the consignment's or the batch's own id: they fold
    # into app.models.postal, never into a dossier row.
    POSTAL_ACCEPTED = "postal_accepted"
    POSTAL_HANDED_OVER = "postal_handed_over"
    POSTAL_BATCH_RECEIVED = "postal_batch_received"
    POSTAL_ROW_SETTLED = "postal_row_settled"
    POSTAL_RETURN_HANDED_OVER = "postal_return_handed_over"
    POSTAL_RETURN_RECEIVED = "postal_return_received"
    POSTAL_DELIVERED = "postal_delivered"
    #: A supervisor chose which signing of a record signed twice stands (issue 15).
    POSTAL_CONFLICT_RESOLVED = "postal_conflict_resolved"
    #: A supervisor let intake go on past the desk's guard rails (clock, offline limits).
    GUARD_OVERRIDDEN = "guard_overridden"
    #: A component's pages were scanned or imported and stored as one PDF (issue 16).
    COMPONENT_DIGITISED = "component_digitised"


S, E = Status, EventType

#: Events of the postal hand-over: no dossier row is folded from them.
POSTAL = frozenset(
    {
        E.POSTAL_ACCEPTED,
        E.POSTAL_HANDED_OVER,
        E.POSTAL_BATCH_RECEIVED,
        E.POSTAL_ROW_SETTLED,
        E.POSTAL_RETURN_HANDED_OVER,
        E.POSTAL_RETURN_RECEIVED,
        E.POSTAL_DELIVERED,
        E.POSTAL_CONFLICT_RESOLVED,
    }
)
#: Events about the desk itself, not a dossier: logged, pushed and pulled like the others,
#: folded into no dossier. Their ``dossier_id`` is the desk's id (the column is required).
DESK_EVENTS = frozenset({E.GUARD_OVERRIDDEN})
OPEN = frozenset({S.RECEIVED, S.IN_PROGRESS})
FINAL = frozenset({S.REFUSED, S.RETURNED, S.CANCELLED, S.STOPPED})

#: Events that create a dossier, and the status each creates.
CREATING: dict[EventType, Status] = {
    E.RECEIVED: S.RECEIVED,
    E.SUPPLEMENT_REQUESTED: S.SUPPLEMENT_REQUESTED,
    E.REFUSED: S.REFUSED,
}

#: (status before, event) -> status after.
TRANSITIONS: dict[tuple[Status, EventType], Status] = {
    (S.RECEIVED, E.TRANSFERRED): S.IN_PROGRESS,
    (S.RECEIVED, E.SUPPLEMENT_REQUESTED): S.SUPPLEMENT_REQUESTED,
    (S.IN_PROGRESS, E.SUPPLEMENT_REQUESTED): S.SUPPLEMENT_REQUESTED,
    (S.SUPPLEMENT_REQUESTED, E.SUPPLEMENT_RECEIVED): S.RECEIVED,
    (S.RECEIVED, E.REFUSED): S.REFUSED,
    (S.IN_PROGRESS, E.REFUSED): S.REFUSED,
    (S.RECEIVED, E.RESULT_READY): S.RESULT_READY,
    (S.IN_PROGRESS, E.RESULT_READY): S.RESULT_READY,
    (S.RESULT_READY, E.RETURNED): S.RETURNED,
    (S.RESULT_READY, E.POSTED): S.RETURNED,
    (S.RECEIVED, E.APPOINTMENT_CHANGED): S.RECEIVED,
    (S.IN_PROGRESS, E.APPOINTMENT_CHANGED): S.IN_PROGRESS,
    (S.RETURNED, E.FEEDBACK_GIVEN): S.RETURNED,
    **{
        (s, E.CANCELLED): S.CANCELLED
        for s in (S.RECEIVED, S.IN_PROGRESS, S.SUPPLEMENT_REQUESTED, S.RESULT_READY)
    },
    # The applicant withdraws a dossier still being settled: the office stops and notifies.
    **{(s, E.STOPPED): S.STOPPED for s in (S.RECEIVED, S.IN_PROGRESS, S.SUPPLEMENT_REQUESTED)},
    **{(s, E.PRINTED): s for s in Status},
    **{(s, E.SET_ASIDE): s for s in Status},
    **{(s, E.COMPONENT_DIGITISED): s for s in Status},
}

register(
    {
        "lifecycle.not_allowed": {
            "vi": "Không thể thực hiện “{action}” khi hồ sơ đang ở trạng thái “{status}”.",
            "en": "“{action}” is not possible while the dossier is “{status}”.",
        },
        "lifecycle.not_new": {
            "vi": "Hồ sơ đã tồn tại; “{action}” chỉ dùng khi tiếp nhận hồ sơ mới.",
            "en": "The dossier already exists; “{action}” is only for a new dossier.",
        },
        "lifecycle.rescheduled_once": {
            "vi": "Hồ sơ đã được hẹn lại một lần; chỉ được hẹn lại một lần "
            "(NĐ 61/2018, Điều 19 khoản 9).",
            "en": "The appointment was already changed once; it may be changed only once "
            "(Decree 61/2018 Art. 19(9)).",
        },
        "lifecycle.feedback_once": {
            "vi": "Hồ sơ đã có đánh giá của người nộp.",
            "en": "The applicant's rating has already been recorded.",
        },
        **{
            f"status.{s.value}": t
            for s, t in {
                S.RECEIVED: {"vi": "Đã tiếp nhận", "en": "Received"},
                S.SUPPLEMENT_REQUESTED: {"vi": "Yêu cầu bổ sung", "en": "Supplement requested"},
                S.REFUSED: {"vi": "Từ chối tiếp nhận", "en": "Refused"},
                S.IN_PROGRESS: {"vi": "Đang giải quyết", "en": "In progress"},
                S.RESULT_READY: {"vi": "Có kết quả", "en": "Result ready"},
                S.RETURNED: {"vi": "Đã trả kết quả", "en": "Returned"},
                S.CANCELLED: {"vi": "Đã hủy", "en": "Cancelled"},
                S.STOPPED: {"vi": "Đã dừng giải quyết", "en": "Stopped"},
            }.items()
        },
        **{
            f"event.{e.value}": t
            for e, t in {
                E.RECEIVED: {"vi": "Tiếp nhận", "en": "Receive"},
                E.SUPPLEMENT_REQUESTED: {"vi": "Yêu cầu bổ sung", "en": "Request supplement"},
                E.SUPPLEMENT_RECEIVED: {"vi": "Nhận bổ sung", "en": "Receive supplement"},
                E.REFUSED: {"vi": "Từ chối", "en": "Refuse"},
                E.TRANSFERRED: {"vi": "Chuyển xử lý", "en": "Transfer for processing"},
                E.RESULT_READY: {"vi": "Có kết quả", "en": "Result ready"},
                E.RETURNED: {"vi": "Trả kết quả tại quầy", "en": "Return at the desk"},
                E.POSTED: {"vi": "Trả kết quả qua bưu chính", "en": "Return by post"},
                E.APPOINTMENT_CHANGED: {"vi": "Hẹn lại ngày trả", "en": "Reschedule"},
                E.FEEDBACK_GIVEN: {"vi": "Ghi nhận đánh giá", "en": "Record rating"},
                E.CANCELLED: {"vi": "Hủy hồ sơ", "en": "Cancel"},
                E.STOPPED: {
                    "vi": "Dừng giải quyết (người nộp rút hồ sơ)",
                    "en": "Stop (the applicant withdraws)",
                },
                E.PRINTED: {"vi": "In phiếu", "en": "Print"},
                E.COMPONENT_DIGITISED: {
                    "vi": "Số hóa thành phần hồ sơ",
                    "en": "Digitise a component",
                },
                E.SET_ASIDE: {
                    "vi": "Gác lại sự kiện bị từ chối",
                    "en": "Set a refused event aside",
                },
                E.POSTAL_ACCEPTED: {
                    "vi": "Bưu điện nhận hồ sơ, thu cước",
                    "en": "Accepted at the post office, fee collected",
                },
                E.POSTAL_HANDED_OVER: {
                    "vi": "Bưu điện giao hồ sơ cho cơ quan (biên bản giao nhận)",
                    "en": "Handed over to the agency (hand-over record)",
                },
                E.POSTAL_BATCH_RECEIVED: {
                    "vi": "Cơ quan ký nhận biên bản giao nhận",
                    "en": "The agency signed the hand-over record",
                },
                E.POSTAL_ROW_SETTLED: {
                    "vi": "Cơ quan xử lý hồ sơ nhận qua bưu điện",
                    "en": "The agency settled a dossier received by post",
                },
                E.POSTAL_RETURN_HANDED_OVER: {
                    "vi": "Cơ quan giao kết quả cho bưu điện",
                    "en": "Results handed to the post office",
                },
                E.POSTAL_RETURN_RECEIVED: {
                    "vi": "Bưu điện nhận kết quả để phát",
                    "en": "The post office took the results for delivery",
                },
                E.POSTAL_DELIVERED: {
                    "vi": "Bưu điện ghi kết quả phát",
                    "en": "Delivery recorded by the post office",
                },
                E.POSTAL_CONFLICT_RESOLVED: {
                    "vi": "Giám sát viên giải quyết biên bản ký nhận hai lần",
                    "en": "A supervisor resolved a record signed twice",
                },
                E.GUARD_OVERRIDDEN: {
                    "vi": "Giám sát viên cho phép vượt giới hạn an toàn",
                    "en": "Supervisor override of a guard rail",
                },
            }.items()
        },
    }
)


def status_label(status: str, lang: str | None = None) -> str:
    return tr(f"status.{status}", lang)


def event_label(event_type: str, lang: str | None = None) -> str:
    return tr(f"event.{event_type}", lang)


def next_status(current: str | None, event_type: str) -> Status:
    """The status after `event_type`, or DomainError if the lifecycle forbids it."""
    etype = EventType(event_type)
    if current is None:
        if etype in CREATING:
            return CREATING[etype]
        raise DomainError(
            "lifecycle.not_allowed",
            tr("lifecycle.not_allowed", action=event_label(etype), status="—"),
        )
    after = TRANSITIONS.get((Status(current), etype))
    if after is None:
        if etype in CREATING and etype not in (E.SUPPLEMENT_REQUESTED, E.REFUSED):
            message = tr("lifecycle.not_new", action=event_label(etype))
            raise DomainError("lifecycle.not_new", message)
        raise DomainError(
            "lifecycle.not_allowed",
            tr("lifecycle.not_allowed", action=event_label(etype), status=status_label(current)),
        )
    return after


def check_action(current: str, event_type: str, *, rescheduled: bool, has_feedback: bool) -> Status:
    """`next_status` plus the once-only rules (reschedule, rating)."""
    etype = EventType(event_type)
    if etype is E.APPOINTMENT_CHANGED and rescheduled:
        raise DomainError("lifecycle.rescheduled_once", tr("lifecycle.rescheduled_once"))
    if etype is E.FEEDBACK_GIVEN and has_feedback:
        raise DomainError("lifecycle.feedback_once", tr("lifecycle.feedback_once"))
    return next_status(current, etype)


def allowed_actions(current: str, *, rescheduled: bool, has_feedback: bool) -> list[EventType]:
    """The officer actions the dossier view offers in this state (printing excluded)."""
    out: list[EventType] = []
    for (before, etype), _after in TRANSITIONS.items():
        if before != current or etype in (E.PRINTED, E.SET_ASIDE, E.COMPONENT_DIGITISED):
            continue
        if etype is E.APPOINTMENT_CHANGED and rescheduled:
            continue
        if etype is E.FEEDBACK_GIVEN and has_feedback:
            continue
        out.append(etype)
    return out


_OPEN_VALUES = frozenset(s.value for s in OPEN)


def overdue_days(status: str, due: date | None, today: date) -> int:
    """Calendar days past the appointment for a dossier still being handled, else 0."""
    if status not in _OPEN_VALUES or due is None or due >= today:
        return 0
    return (today - due).days
