"""The post-office agent desk and the agency side of a hand-over (Decision 45/2016 Art. 6–10).

Agent desk: accept a dossier for one of the agencies it serves (completeness against the
same catalogue, consignment number, fee = catalogue charges + postal fee), gather the day's
dossiers for an agency into a hand-over record, take results back and record delivery.
It issues no dossier code and no form 01: the agency does, once it signs the record.

Agency desk: scan the record's batch code and its row QR codes (no network needed), sign
it (the legal filing time of every dossier in it, Art. 7), then settle each row: receive
(form 01 with the agency's own code), supplement, refuse, or mark it missing from the
packet. A record signed by two desks is a conflict for a supervisor, never a double.

Every step is an event (app.domain.lifecycle.POSTAL) folded into app.models.postal in the
same transaction; the central routes the cross-office ones by their `route_to` office.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.applicant import Applicant, validate_applicant
from app.domain.completeness import HandedIn, check_completeness, describe
from app.domain.errors import DomainError, FieldError, ValidationFailed
from app.domain.lifecycle import (
    POSTAL,
    TRANSITIONS,
    EventType,
    Status,
    check_action,
    event_label,
)
from app.domain.messages import register, tr
from app.domain.office import district_word
from app.domain.postal import (
    DELIVERY_OUTCOMES,
    POSTAL_OPTIONS,
    ROW_OUTCOMES,
    BatchCode,
    FeeTable,
    FeeTableError,
    ReturnRowData,
    RowData,
    check_rows,
    normalise_s10,
    parse_batch_code,
    parse_fee_table,
    postal_fee,
    rows_digest,
    s10_errors,
)
from app.domain.text import nfc, short_id
from app.models import Desk, Dossier, Event, Office, Officer, Outbox, new_id
from app.models.event_schema import MAX_TEXT
from app.models.events import SYNC_LOCAL, SYNC_QUEUED
from app.models.postal import PostalBatch, PostalItem
from app.resources import resources_dir
from app.services import intake
from app.services.catalogue_service import current_version, domain_procedure
from app.services.context import DeskContext, get_setting, set_setting
from app.services.event_log import check_event, is_paired, next_desk_seq, record_event
from app.services.setup import DeskIdentity, current_desk, require

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
K_AGENCIES = "postal.agencies"
K_FEES = "postal.fee_table"
#: Rows of one hand-over record (a packet the two sides can count at the counter).
MAX_ROWS = 200

register(
    {
        "postal.not_agent": {
            "vi": "Quầy này không phải điểm bưu điện nhận hồ sơ thay.",
            "en": "This desk is not a post-office agent desk.",
        },
        "postal.incomplete": {
            "vi": "Hồ sơ chưa đủ thành phần: {missing}. Hướng dẫn người gửi bổ sung trước "
            "khi nhận (QĐ 45/2016 Điều 6).",
            "en": "The dossier is incomplete: {missing}. Guide the sender to complete it "
            "before accepting (Decision 45/2016 Art. 6).",
        },
        "postal.nothing_to_hand": {
            "vi": "Không còn hồ sơ nào chờ giao cho cơ quan này.",
            "en": "No dossier is waiting to be handed to this agency.",
        },
        "postal.already_received": {
            "vi": "Biên bản {batch} đã được ký nhận lúc {when} (quầy {desk}); không nhận lại.",
            "en": "Record {batch} was already signed at {when} (desk {desk}); it is not "
            "received again.",
        },
        "postal.batch_unknown": {
            "vi": "Chưa có biên bản {batch} trên quầy này; hãy quét mã biên bản trước.",
            "en": "Record {batch} is not on this desk; scan the record's code first.",
        },
        "postal.row_done": {
            "vi": "Dòng {pos} (số hiệu {number}) đã được xử lý.",
            "en": "Row {pos} (consignment {number}) was already settled.",
        },
        "postal.row_unknown": {
            "vi": "Biên bản không có dòng {pos}.",
            "en": "The record has no row {pos}.",
        },
        "postal.agency_twice": {
            "vi": "Cơ quan {code} có hai lần trong danh sách.",
            "en": "Agency {code} is listed twice.",
        },
        "postal.band_in_use": {
            "vi": "Biểu cước mới thiếu vùng {scopes} mà các cơ quan đang phục vụ dùng.",
            "en": "The new fee table lacks band {scopes}, used by the agencies served.",
        },
        "postal.agency_code": {
            "vi": "Mã cơ quan không được để trống.",
            "en": "The agency code is required.",
        },
        "postal.unknown_item": {
            "vi": "Không tìm thấy bưu gửi {number} trên quầy này.",
            "en": "Consignment {number} is not on this desk.",
        },
        "postal.no_results": {
            "vi": "Không có kết quả nào chờ gửi trả qua bưu điện {office}.",
            "en": "No result is waiting to go back through post office {office}.",
        },
        "postal.not_back": {
            "vi": "Bưu gửi {number} chưa có kết quả nhận về để phát.",
            "en": "Consignment {number} has no result back to deliver.",
        },
        "postal.step_fee": {
            "vi": "biên lai {receipt}, thu {total} đ",
            "en": "receipt {receipt}, {total} VND collected",
        },
        "postal.step_resolved": {
            "vi": "biên bản {batch}: giữ lần ký của {desk}",
            "en": "record {batch}: the signing of {desk} stands",
        },
        "postal.no_conflict": {
            "vi": "Biên bản {batch} không có xung đột cần giải quyết (có thể đã được giải quyết).",
            "en": "Record {batch} has no conflict to resolve (it may have been resolved already).",
        },
        "postal.resolve_office": {
            "vi": "Chỉ cơ quan đã ký nhận biên bản mới giải quyết được xung đột của nó.",
            "en": "Only the office that signed the record can resolve its conflict.",
        },
        "postal.keep": {
            "vi": "Chọn lần ký nhận được giữ (một trong các quầy đã ký).",
            "en": "Choose the signing that stands (one of the desks that signed).",
        },
        "postal.resolve_sync": {
            "vi": "Quầy này chưa có hồ sơ {code}; đồng bộ rồi giải quyết lại.",
            "en": "Dossier {code} is not on this desk yet; sync, then resolve again.",
        },
        "postal.cancel_reason": {
            "vi": "Hủy vì biên bản {batch} được ký nhận hai lần; giữ lần ký của {desk}. "
            "Lý do: {reason}",
            "en": "Cancelled: record {batch} was signed twice; the signing of {desk} stands. "
            "Reason: {reason}",
        },
        "postal.not_result": {
            "vi": "Hồ sơ {code} chưa có kết quả để gửi trả qua bưu điện.",
            "en": "Dossier {code} has no result to send back by post.",
        },
    }
)


# --- configuration: the agencies served, the fee table ----------------------------------


@dataclass(frozen=True)
class Agency:
    """An agency a post-office agent desk receives for: its office code at the central."""

    code: str
    name: str
    address: str = ""
    #: The fee table's band for carrying a dossier there ("province", "interprovince").
    scope: str = "province"


def agencies(session: Session) -> list[Agency]:
    raw = json.loads(get_setting(session, K_AGENCIES) or "[]")
    return [Agency(**a) for a in raw]


def agencies_list(ctx: DeskContext) -> list[Agency]:
    with ctx.read() as s:
        return agencies(s)


def set_agencies(ctx: DeskContext, items: list[Agency], *, actor_id: str | None) -> None:
    """Replace the list of agencies served (administrators only, checked here so the command
    line cannot bypass it); every entry checked before anything is stored."""
    errors: list[FieldError] = []
    with ctx.transaction() as s:
        require(s, actor_id, "postal_setup")
        codes = [a.code.strip() for a in items]
        table = fee_table(s)
        for i, a in enumerate(items):
            if not a.code.strip():
                errors.append(
                    FieldError(
                        f"agencies[{i}].code", "postal.agency_code", tr("postal.agency_code")
                    )
                )
            word = district_word(a.name)
            if word:
                errors.append(
                    FieldError(
                        f"agencies[{i}].name", "office.district", tr("office.district", word=word)
                    )
                )
            if table.band(a.scope) is None:
                errors.append(
                    FieldError(f"agencies[{i}].scope", "postal.scope", tr("postal.scope"))
                )
            if a.code.strip() and codes.index(a.code.strip()) != i:
                errors.append(
                    FieldError(
                        f"agencies[{i}].code",
                        "postal.agency_twice",
                        tr("postal.agency_twice", code=a.code.strip()),
                    )
                )
        if errors:
            raise ValidationFailed(errors)
        data = [
            {
                "code": a.code.strip(),
                "name": nfc(a.name),
                "address": nfc(a.address),
                "scope": a.scope,
            }
            for a in items
        ]
        set_setting(s, K_AGENCIES, json.dumps(data, ensure_ascii=False))


def bundled_fee_table() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((resources_dir() / "postal" / "fees.json").read_text("utf-8"))
    return data


def fee_table(session: Session) -> FeeTable:
    """The desk's table if an administrator set one, else the bundled (unconfirmed) one."""
    stored = get_setting(session, K_FEES)
    return parse_fee_table(json.loads(stored) if stored else bundled_fee_table())


def fee_table_data(ctx: DeskContext) -> dict[str, Any]:
    """The table in force in its JSON form (what `set_fee_table` takes back)."""
    with ctx.read() as s:
        stored = get_setting(s, K_FEES)
    data: dict[str, Any] = json.loads(stored) if stored else bundled_fee_table()
    return data


def set_fee_table(ctx: DeskContext, data: dict[str, Any], *, actor_id: str | None) -> FeeTable:
    """Store a replacement table (administrators only); ValidationFailed (nothing stored)
    when it does not read."""
    with ctx.read() as s:
        require(s, actor_id, "postal_setup")
    try:
        table = parse_fee_table(data)
    except FeeTableError as exc:
        raise ValidationFailed(
            [FieldError(f"fee_table.{exc.where}", "postal.fee_table", str(exc))]
        ) from None
    with ctx.transaction() as s:
        require(s, actor_id, "postal_setup")
        # An agency whose band the new table lacks could no longer be charged at intake.
        lost = sorted({a.scope for a in agencies(s)} - {b.scope for b in table.bands})
        if lost:
            raise ValidationFailed(
                [
                    FieldError(
                        "fee_table",
                        "postal.band_in_use",
                        tr("postal.band_in_use", scopes=", ".join(lost)),
                    )
                ]
            )
        set_setting(s, K_FEES, json.dumps(data, ensure_ascii=False))
    return table


def is_agent_desk(session: Session) -> bool:
    desk = current_desk(session)
    office = session.get(Office, desk.office_id) if desk else None
    return office is not None and office.kind == "post_agent"


# --- recording a postal event ------------------------------------------------------------


def record_postal_event(
    session: Session,
    desk: DeskIdentity,
    etype: EventType,
    subject_id: str,
    payload: dict[str, Any],
    officer_id: str | None,
    occurred_at: datetime,
) -> Event:
    """Append a postal event, queue it and fold it, in the caller's transaction; the wire
    schema checks it first (the same check the central makes)."""
    event = Event(
        id=new_id(),
        desk_id=desk.desk_id,
        desk_seq=next_desk_seq(session, desk.desk_id),
        office_id=desk.office_id,
        dossier_id=subject_id,
        type=etype.value,
        payload=payload,
        officer_id=officer_id,
        occurred_at=occurred_at,
        origin="local",
        sync_state=SYNC_QUEUED if is_paired(session) else SYNC_LOCAL,
    )
    check_event(event)
    session.add(event)
    fold_postal(session, event)
    session.add(Outbox(event_id=event.id, desk_seq=event.desk_seq))
    session.flush()
    return event


def _dt(v: str) -> datetime:
    return datetime.fromisoformat(v)


def _set_rows(batch: PostalBatch, rows: list[dict[str, Any]]) -> None:
    batch.rows = [dict(r) for r in rows]  # a new list: the JSON column sees the change


def fold_postal(session: Session, ev: Any) -> None:
    """Fold one postal event into the consignment and hand-over tables (local or pulled).

    Idempotent per event in effect: rows are keyed by the consignment's / record's id, and
    a second signature of one record by another desk marks it a conflict.
    """
    t, p = EventType(ev.type), ev.payload
    if t not in POSTAL:
        raise ValueError(f"{t} is not a postal event")
    session.flush()
    if t is EventType.POSTAL_ACCEPTED:
        if session.get(PostalItem, ev.dossier_id) is not None:
            return
        a = p["applicant"]
        session.add(
            PostalItem(
                id=ev.dossier_id,
                office_id=ev.office_id,
                desk_id=ev.desk_id,
                officer_id=ev.officer_id,
                receipt_no=p["receipt_no"],
                consignment_no=p["consignment_no"],
                agency_code=p["agency_code"],
                agency_name=p.get("agency_name", ""),
                procedure_code=p["procedure_code"],
                procedure_name=p.get("procedure_name", ""),
                catalogue_version=p["catalogue_version"],
                full_name=a["full_name"],
                id_number=a.get("id_number", ""),
                phone=a.get("phone", ""),
                address=a.get("address", ""),
                components=p.get("components", []),
                papers=sum(int(c["quantity"]) for c in p.get("components", [])),
                option=int(p["option"]),
                scope=p["scope"],
                fee_charges=int(p["fee"]["charges"]),
                fee_postal=int(p["fee"]["postal"]),
                fee_total=int(p["fee"]["total"]),
                accepted_at=_dt(p["accepted_at"]),
                status="accepted",
                note="",
                conflict=False,
            )
        )
        return
    if t in (EventType.POSTAL_HANDED_OVER, EventType.POSTAL_RETURN_HANDED_OVER):
        direction = "out" if t is EventType.POSTAL_HANDED_OVER else "back"
        batch = _batch_from(session, ev.dossier_id, p, direction)
        batch.handed_at = _dt(p["handed_at"])
        batch.from_name = p.get("from_name", "")
        batch.to_name = p.get("to_name", "")
        for r in p["rows"]:
            item = session.get(PostalItem, r["item_id"])
            if item is None:
                continue
            if direction == "out":
                item.batch_id, item.status = ev.dossier_id, "handed_over"
            else:
                item.return_batch_id = ev.dossier_id
        return
    if t in (EventType.POSTAL_BATCH_RECEIVED, EventType.POSTAL_RETURN_RECEIVED):
        direction = "out" if t is EventType.POSTAL_BATCH_RECEIVED else "back"
        batch = _batch_from(session, ev.dossier_id, p, direction)
        if not batch.from_name and p.get("from_name"):
            batch.from_name = p["from_name"]
        signers = list(batch.signers or [])
        if ev.desk_id not in signers:
            signers.append(ev.desk_id)
        batch.signers = signers
        batch.receipts = len(signers)
        if batch.signed_at is None:
            batch.signed_at, batch.signed_by_desk = _dt(p["signed_at"]), ev.desk_id
        if len(signers) > 1:
            batch.conflict = True
        if direction == "back":
            for r in p["rows"]:
                item = session.get(PostalItem, r["item_id"])
                if item is not None and item.status not in DELIVERY_OUTCOMES:
                    item.status, item.return_batch_id = "result_back", ev.dossier_id
        return
    if t is EventType.POSTAL_ROW_SETTLED:
        settled = session.scalar(select(PostalBatch).where(PostalBatch.batch_no == p["batch_no"]))
        if settled is not None:
            rows = list(settled.rows)
            i = int(p["pos"]) - 1
            if 0 <= i < len(rows):
                row = dict(rows[i])
                if row.get("outcome") and row.get("settled_by") not in (None, ev.desk_id):
                    settled.conflict = True
                row.update(
                    outcome=p["outcome"],
                    dossier_code=p.get("dossier_code", ""),
                    due_date=p.get("due_date"),
                    reason=p.get("reason", ""),
                    settled_by=ev.desk_id,
                )
                rows[i] = row
                _set_rows(settled, rows)
        item = session.get(PostalItem, p["item_id"])
        if item is not None:
            if (
                item.dossier_code
                and p.get("dossier_code")
                and item.dossier_code != p["dossier_code"]
            ):
                item.conflict = True
            item.status = p["outcome"]
            item.dossier_code = p.get("dossier_code") or item.dossier_code
            item.due_date = date.fromisoformat(p["due_date"]) if p.get("due_date") else None
            item.note = p.get("reason", "")
        if settled is not None and settled.resolution and not settled.conflict:
            # A row settled again after a resolution (a row it reopened): the standing
            # settlement is recomputed from the log, the same on every desk.
            _apply_resolutions(session, settled, ev)
        return
    if t is EventType.POSTAL_CONFLICT_RESOLVED:
        resolved = session.get(PostalBatch, ev.dossier_id)
        if resolved is not None:
            _apply_resolutions(session, resolved, ev)
        return
    if t is EventType.POSTAL_DELIVERED:
        item = session.scalar(
            select(PostalItem).where(PostalItem.consignment_no == p["consignment_no"])
        )
        if item is not None:
            item.status, item.note = p["outcome"], p.get("reason", "")
        # The agency's side: the row of the return record that carried the result.
        for back in session.scalars(select(PostalBatch).where(PostalBatch.direction == "back")):
            rows = [dict(r) for r in back.rows]
            hit = False
            for r in rows:
                if r["consignment_no"] == p["consignment_no"]:
                    r.update(delivery=p["outcome"], delivery_reason=p.get("reason", ""))
                    hit = True
            if hit:
                _set_rows(back, rows)


def _utc(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _log_order(ev: Any) -> tuple[Any, ...]:
    """A total order every desk computes alike from the events alone: the central's order
    first (DESIGN.md: the server orders; two feeds number events in the same commit order,
    so an agency desk and the post office agree), then, for events not yet numbered (this
    desk offline), device time and id, a tie-break only until the central has them."""
    seq = getattr(ev, "server_seq", None)
    if seq is not None:
        return (0, int(seq), "")
    return (1, _utc(ev.occurred_at), str(ev.id))


def _events_of(
    session: Session, types: Sequence[EventType], subjects: Sequence[str], current: Any
) -> list[Any]:
    """The log's events of `types` about `subjects`, with `current` (being folded, maybe not
    yet in the table), in `_log_order`."""
    found: dict[str, Any] = {
        e.id: e
        for e in session.scalars(
            select(Event).where(
                Event.type.in_([t.value for t in types]), Event.dossier_id.in_(list(subjects))
            )
        )
    }
    if current is not None and EventType(current.type) in types and current.dossier_id in subjects:
        found.setdefault(current.id, current)
    return sorted(found.values(), key=_log_order)


def standing_settlements(
    settles: Sequence[Any], keep_desk: str, cancelled: set[str]
) -> dict[int, Any]:
    """Per row, the settlement that stands once a supervisor kept `keep_desk`'s signing:
    that desk's own if it settled the row, else the first other one whose dossier was not
    cancelled (the only one the row has: not a double, so it is kept). A row whose every
    dossier was cancelled (two supervisors offline kept different signings) has none: it
    is reopened for settling again, with a new code."""
    by_pos: dict[int, list[Any]] = {}
    for e in settles:
        by_pos.setdefault(int(e.payload["pos"]), []).append(e)
    out: dict[int, Any] = {}
    for pos, evs in by_pos.items():
        live = [e for e in evs if (e.payload.get("dossier_code") or "") not in cancelled]
        mine = [e for e in live if e.desk_id == keep_desk]
        if mine or live:
            out[pos] = (mine or live)[0]
    return out


def _apply_resolutions(session: Session, batch: PostalBatch, current: Any) -> None:
    """Fold every resolution of a record at once, so the outcome does not depend on the
    order the events reached this desk: the first resolution (`_log_order`) names the
    signing that stands; the dossiers any of them cancelled are out; each row takes its
    standing settlement (`standing_settlements`). Two resolutions keeping different desks
    are shown as such (`disagree`), never hidden."""
    resolutions = _events_of(session, (EventType.POSTAL_CONFLICT_RESOLVED,), [batch.id], current)
    if not resolutions:
        return
    first = resolutions[0]
    keep = str(first.payload["keep_desk"])
    cancelled = {c for r in resolutions for c in r.payload.get("cancelled", [])}
    choices: list[str] = []
    for r in resolutions:
        if r.payload["keep_desk"] not in choices:
            choices.append(r.payload["keep_desk"])
    signing = (
        EventType.POSTAL_BATCH_RECEIVED
        if batch.direction == "out"
        else EventType.POSTAL_RETURN_RECEIVED
    )
    for e in _events_of(session, (signing,), [batch.id], current):
        if e.desk_id == keep:
            batch.signed_at, batch.signed_by_desk = _dt(e.payload["signed_at"]), keep
            break
    reopened: list[int] = []
    if batch.direction == "out":
        item_ids = [r["item_id"] for r in batch.rows]
        settles = [
            e
            for e in _events_of(session, (EventType.POSTAL_ROW_SETTLED,), item_ids, current)
            if e.payload.get("batch_no") == batch.batch_no
        ]
        standing = standing_settlements(settles, keep, cancelled)
        settled_pos = {int(e.payload["pos"]) for e in settles}
        rows = [dict(r) for r in batch.rows]
        for r in rows:
            pos = int(r["pos"])
            e = standing.get(pos)
            item = session.get(PostalItem, r["item_id"])
            if e is None:
                for k in ("outcome", "dossier_code", "due_date", "reason", "settled_by"):
                    r.pop(k, None)
                if pos in settled_pos:
                    reopened.append(pos)
                if item is not None and item.status not in ("accepted", "handed_over"):
                    item.status, item.dossier_code, item.due_date = "handed_over", None, None
                    item.note = ""
                if item is not None:
                    item.conflict = False
                continue
            q = e.payload
            r.update(
                outcome=q["outcome"],
                dossier_code=q.get("dossier_code", ""),
                due_date=q.get("due_date"),
                reason=q.get("reason", ""),
                settled_by=e.desk_id,
            )
            if item is not None:
                if item.status not in ("result_back", *DELIVERY_OUTCOMES):
                    item.status = q["outcome"]
                item.dossier_code = q.get("dossier_code") or None
                item.due_date = date.fromisoformat(q["due_date"]) if q.get("due_date") else None
                item.note = q.get("reason", "")
                item.conflict = False
        _set_rows(batch, rows)
    batch.conflict = False
    batch.resolution = {
        "event_id": first.id,
        "keep_desk": keep,
        "by": first.payload.get("by", ""),
        "at": _utc(first.occurred_at).isoformat(),
        "reason": first.payload.get("reason", ""),
        "choices": choices,
        "disagree": len(choices) > 1,
        "cancelled": sorted(cancelled),
        "reopened": reopened,
        "count": len(resolutions),
    }


def _batch_from(session: Session, batch_id: str, p: dict[str, Any], direction: str) -> PostalBatch:
    batch = session.get(PostalBatch, batch_id)
    if batch is None:
        batch = PostalBatch(
            id=batch_id,
            direction=direction,
            batch_no=p["batch_no"],
            from_office_code=p["from_office_code"],
            to_office_code=p["to_office_code"],
            from_name=p.get("from_name", ""),
            to_name=p.get("to_name", ""),
            count=int(p["count"]),
            digest=p["digest"],
            rows=[dict(r) for r in p["rows"]],
            receipts=0,
            signers=[],
            conflict=False,
            resolved_note="",
        )
        session.add(batch)
        session.flush()
    return batch


def batch_id_for(batch_no: str) -> str:
    """The record's id, derived from its number, so every desk that scans the printed code
    names the same record (an agency desk offline never saw the event that made it)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"onestop:postal-batch:{batch_no}"))


def _desk(session: Session) -> DeskIdentity:
    desk = current_desk(session)
    if desk is None:
        raise DomainError("intake.no_desk", tr("intake.no_desk"))
    return desk


# --- agent desk: accepting a dossier ----------------------------------------------------


@dataclass(frozen=True)
class AcceptRequest:
    agency_code: str
    procedure_code: str
    applicant: Applicant
    items: tuple[HandedIn, ...]
    consignment_no: str
    conditions: dict[str, bool] | None = None
    #: Decision 45/2016 Art. 5: 1 send only, 2 result only, 3 both.
    option: int = 3


@dataclass(frozen=True)
class Accepted:
    item_id: str
    receipt_no: str
    consignment_no: str
    fee_charges: int
    fee_postal: int
    fee_total: int
    accepted_at: datetime
    fee_confirmed: bool


def consignment_errors(session: Session, number: str) -> list[FieldError]:
    """Format, check digit, then "already used" (any consignment this desk knows)."""
    errors = s10_errors(number)
    if errors:
        return errors
    value = normalise_s10(number)
    used = session.scalar(
        select(PostalItem.accepted_at).where(PostalItem.consignment_no == value).limit(1)
    )
    if used is not None:
        when = used.astimezone(ZONE).strftime("%H:%M %d/%m/%Y")
        return [
            FieldError(
                "consignment_no", "postal.s10_used", tr("postal.s10_used", number=value, when=when)
            )
        ]
    return []


def check_consignment(ctx: DeskContext, number: str) -> list[FieldError]:
    """The live check for the consignment field (no write)."""
    with ctx.read() as s:
        return consignment_errors(s, number)


def _next_receipt_no(session: Session, desk: DeskIdentity, day: date) -> str:
    """BC-YYMMDD-SS-NNNN: the desk's slot keeps two desks offline from sharing a number."""
    key = f"postal.receipt.{desk.desk_id}.{day:%y%m%d}"
    n = int(get_setting(session, key) or 0) + 1
    set_setting(session, key, str(n))
    return f"BC-{day:%y%m%d}-{desk.slot:02d}-{n:04d}"


def accept(ctx: DeskContext, req: AcceptRequest) -> Accepted:
    """Accept a complete dossier for an agency and collect the fee; nothing on any error."""
    now = ctx.now()
    local = now.astimezone(ZONE)
    applicant = req.applicant.normalised()
    with ctx.transaction() as s:
        desk = _desk(s)
        if not is_agent_desk(s):
            raise DomainError("postal.not_agent", tr("postal.not_agent"))
        errors = validate_applicant(applicant, today=local.date())
        served = {a.code: a for a in agencies(s)}
        agency = served.get(req.agency_code)
        if agency is None:
            errors.append(FieldError("agency", "postal.agency", tr("postal.agency")))
        if req.option not in POSTAL_OPTIONS:
            errors.append(FieldError("option", "postal.option", tr("postal.option")))
        errors += consignment_errors(s, req.consignment_no)
        if errors:
            raise ValidationFailed(errors)
        assert agency is not None
        pv = current_version(s, req.procedure_code)
        procedure = domain_procedure(pv)
        result = check_completeness(procedure, req.items, dict(req.conditions or {}))
        if not result.complete:
            missing = [describe(sf) for sf in [*result.missing, *result.insufficient]]
            missing += [procedure.component(c).name_vi for c in result.unresolved_conditions]
            raise DomainError(
                "postal.incomplete", tr("postal.incomplete", missing="; ".join(missing))
            )
        table = fee_table(s)
        charges = procedure.fee.amount_vnd if procedure.fee else 0
        postal = postal_fee(table, agency.scope, req.option)
        item_id = new_id()
        receipt_no = _next_receipt_no(s, desk, local.date())
        number = normalise_s10(req.consignment_no)
        components = intake._component_lines(procedure, req.items)
        payload = {
            "receipt_no": receipt_no,
            "consignment_no": number,
            "agency_code": agency.code,
            "agency_name": agency.name,
            "procedure_code": procedure.code,
            "procedure_name": procedure.name_vi,
            "catalogue_version": pv.catalogue_version,
            "applicant": {
                "full_name": applicant.full_name,
                "id_number": applicant.id_number,
                "phone": applicant.phone,
                "address": applicant.address,
            },
            "components": components,
            "option": req.option,
            "scope": agency.scope,
            "fee": {"charges": charges, "postal": postal, "total": charges + postal},
            "accepted_at": now.isoformat(),
        }
        record_postal_event(
            s, desk, EventType.POSTAL_ACCEPTED, item_id, payload, ctx.officer_id, now
        )
        return Accepted(
            item_id,
            receipt_no,
            number,
            charges,
            postal,
            charges + postal,
            now,
            table.confirmed and (procedure.fee is not None),
        )


# --- agent desk: the hand-over record ---------------------------------------------------


@dataclass(frozen=True)
class BatchInfo:
    batch_id: str
    batch_no: str
    direction: str
    from_office_code: str
    to_office_code: str
    from_name: str
    to_name: str
    count: int
    digest: str
    handed_at: datetime | None
    signed_at: datetime | None
    receipts: int
    conflict: bool
    rows: tuple[dict[str, Any], ...]
    #: The folded resolution of a record signed twice (`_apply_resolutions`), if any.
    resolution: dict[str, Any] | None = None
    signed_by_desk: str | None = None

    @property
    def code(self) -> BatchCode:
        return BatchCode(self.batch_no, self.count, self.digest)

    def row_data(self) -> list[RowData]:
        """The rows as their QR codes carry them (post office → agency records)."""
        return [_row_data(self, r) for r in self.rows]

    def return_rows(self) -> list[ReturnRowData]:
        """The rows of a return record (agency → post office) as their QR codes carry them."""
        return [
            ReturnRowData(
                batch_no=self.batch_no,
                from_office_code=self.from_office_code,
                to_office_code=self.to_office_code,
                pos=int(r["pos"]),
                item_id=r["item_id"],
                consignment_no=r["consignment_no"],
                dossier_code=r["dossier_code"],
                full_name=r["full_name"],
                result=r.get("result", ""),
            )
            for r in self.rows
        ]


def _row_data(b: BatchInfo, r: dict[str, Any]) -> RowData:
    return RowData(
        batch_no=b.batch_no,
        from_office_code=b.from_office_code,
        to_office_code=b.to_office_code,
        pos=int(r["pos"]),
        item_id=r["item_id"],
        consignment_no=r["consignment_no"],
        procedure_code=r["procedure_code"],
        full_name=r["full_name"],
        id_number=r.get("id_number", ""),
        phone=r.get("phone", ""),
        address=r.get("address", ""),
        option=int(r.get("option", 3)),
        components=tuple((c, k, int(q)) for c, k, q in r.get("components", [])),
        from_name=b.from_name,
    )


def _info(b: PostalBatch) -> BatchInfo:
    return BatchInfo(
        b.id,
        b.batch_no,
        b.direction,
        b.from_office_code,
        b.to_office_code,
        b.from_name,
        b.to_name,
        b.count,
        b.digest,
        b.handed_at,
        b.signed_at,
        b.receipts,
        b.conflict,
        tuple(dict(r) for r in b.rows),
        dict(b.resolution) if b.resolution else None,
        b.signed_by_desk,
    )


def pending_items(ctx: DeskContext, agency_code: str) -> list[str]:
    """Consignment numbers accepted for an agency and not yet on a hand-over record."""
    with ctx.read() as s:
        return list(
            s.scalars(
                select(PostalItem.consignment_no)
                .where(PostalItem.agency_code == agency_code, PostalItem.batch_id.is_(None))
                .order_by(PostalItem.accepted_at, PostalItem.id)
            )
        )


def new_batch_no() -> str:
    return uuid.uuid4().hex[:12].upper()


def hand_over(ctx: DeskContext, agency_code: str) -> BatchInfo:
    """Gather every dossier waiting for `agency_code` into one hand-over record (Art. 7)."""
    now = ctx.now()
    with ctx.transaction() as s:
        desk = _desk(s)
        if not is_agent_desk(s):
            raise DomainError("postal.not_agent", tr("postal.not_agent"))
        agency = {a.code: a for a in agencies(s)}.get(agency_code)
        if agency is None:
            raise ValidationFailed([FieldError("agency", "postal.agency", tr("postal.agency"))])
        items = list(
            s.scalars(
                select(PostalItem)
                .where(PostalItem.agency_code == agency_code, PostalItem.batch_id.is_(None))
                .order_by(PostalItem.accepted_at, PostalItem.id)
                .limit(MAX_ROWS)
            )
        )
        if not items:
            raise DomainError("postal.nothing_to_hand", tr("postal.nothing_to_hand"))
        batch_no = new_batch_no()
        rows = [
            {
                "pos": i,
                "item_id": it.id,
                "consignment_no": it.consignment_no,
                "procedure_code": it.procedure_code,
                "full_name": it.full_name,
                "id_number": it.id_number,
                "phone": it.phone,
                "address": it.address,
                "option": it.option,
                "components": [
                    [c["component_code"], c["copy_kind"], int(c["quantity"])] for c in it.components
                ],
            }
            for i, it in enumerate(items, start=1)
        ]
        office = s.get(Office, desk.office_id)
        assert office is not None
        payload = {
            "batch_no": batch_no,
            "route_to": agency.code,
            "from_office_code": desk.office_code,
            "to_office_code": agency.code,
            "from_name": office.name,
            "to_name": agency.name,
            "count": len(rows),
            "digest": rows_digest([it.consignment_no for it in items]),
            "handed_at": now.isoformat(),
            "rows": rows,
        }
        bid = batch_id_for(batch_no)
        record_postal_event(
            s, desk, EventType.POSTAL_HANDED_OVER, bid, payload, ctx.officer_id, now
        )
        b = s.get(PostalBatch, bid)
        assert b is not None
        return _info(b)


def batch(ctx: DeskContext, batch_no: str) -> BatchInfo | None:
    """A record by its number; a resolution also names the desk it kept (`keep_name`)."""
    with ctx.read() as s:
        b = s.scalar(select(PostalBatch).where(PostalBatch.batch_no == batch_no))
        if b is None:
            return None
        info = _info(b)
        if info.resolution:
            keep = str(info.resolution.get("keep_desk", ""))
            info.resolution["keep_name"] = _desk_name(s, keep)
        return info


# --- agency desk: signing the record, settling its rows ---------------------------------


@dataclass(frozen=True)
class OpenedBatch:
    """What scanning a record's barcode shows: the code, and the record if this desk knows
    it (pulled while online, or signed here before)."""

    code: BatchCode
    known: BatchInfo | None

    @property
    def signed(self) -> bool:
        return self.known is not None and self.known.receipts > 0


def open_batch(ctx: DeskContext, text: str) -> OpenedBatch:
    """The record behind a scanned batch code; ValueError (translated) for another code."""
    code = parse_batch_code(text)
    return OpenedBatch(code, batch(ctx, code.batch_no))


def _checked_record(code_text: str, rows: Sequence[RowData | ReturnRowData]) -> BatchCode:
    """The record's batch code, once its rows match the count and digest it carries."""
    code = parse_batch_code(code_text)
    problems = check_rows(code, rows)
    if problems:
        raise ValidationFailed([FieldError("rows", "postal.rows_hash", problems[-1])])
    return code


def _signature_head(
    code: BatchCode, head: RowData | ReturnRowData, now: datetime
) -> dict[str, object]:
    """What a signature says of the record itself, routed back to the office that handed it
    over; the same for both directions."""
    return {
        "batch_no": code.batch_no,
        "route_to": head.from_office_code,
        "from_office_code": head.from_office_code,
        "to_office_code": head.to_office_code,
        "count": code.count,
        "digest": code.digest,
        "signed_at": now.isoformat(),
    }


def _already(b: PostalBatch) -> DomainError:
    when = b.signed_at.astimezone(ZONE).strftime("%H:%M %d/%m/%Y") if b.signed_at else "—"
    desk = short_id(b.signed_by_desk)
    return DomainError(
        "postal.already_received",
        tr("postal.already_received", batch=b.batch_no, when=when, desk=desk),
    )


def sign_batch(ctx: DeskContext, code_text: str, rows: list[RowData]) -> BatchInfo:
    """The agency signs the record: its time is the legal filing time (Art. 7).

    `rows` are the row QR codes scanned from the printed record (or the rows of a record
    pulled while online); they must be all of them, matching the batch code's count and
    digest. A record this desk already knows as signed is refused.
    """
    from app.services import guard

    guard.before_intake(ctx)
    code = _checked_record(code_text, rows)
    now = ctx.now()
    with ctx.transaction() as s:
        desk = _desk(s)
        known = s.scalar(select(PostalBatch).where(PostalBatch.batch_no == code.batch_no))
        if known is not None and known.receipts > 0:
            raise _already(known)
        ordered = sorted(rows, key=lambda r: r.pos)
        payload = {
            **_signature_head(code, ordered[0], now),
            # The post office's name as the paper carries it: the return record names it
            # even when this desk never synced the hand-over itself.
            "from_name": ordered[0].from_name,
            "rows": [
                {
                    "pos": r.pos,
                    "item_id": r.item_id,
                    "consignment_no": r.consignment_no,
                    "procedure_code": r.procedure_code,
                    "full_name": r.full_name,
                    "id_number": r.id_number,
                    "phone": r.phone,
                    "address": r.address,
                    "option": r.option,
                    "components": [list(c) for c in r.components],
                }
                for r in ordered
            ],
        }
        bid = batch_id_for(code.batch_no)
        record_postal_event(
            s, desk, EventType.POSTAL_BATCH_RECEIVED, bid, payload, ctx.officer_id, now
        )
        b = s.get(PostalBatch, bid)
        assert b is not None
        return _info(b)


@dataclass(frozen=True)
class RowSettled:
    pos: int
    outcome: str
    dossier_code: str
    due_date: date | None
    filed_at: datetime


def settle_row(
    ctx: DeskContext,
    batch_no: str,
    pos: int,
    outcome: str,
    *,
    items: tuple[HandedIn, ...] | None = None,
    conditions: dict[str, bool] | None = None,
    reason: str = "",
    applicant: Applicant | None = None,
) -> RowSettled:
    """One dossier of a signed record: receive (form 01, the agency's code), supplement,
    refuse, or mark it missing from the packet; the dossier and the row's answer to the
    post office are written together or not at all. Filing time = the record's signature.
    """
    if outcome not in ROW_OUTCOMES:
        raise ValidationFailed([FieldError("outcome", "postal.outcome", tr("postal.outcome"))])
    if outcome != "missing":
        from app.services import guard

        guard.before_intake(ctx)
    now = ctx.now()
    with ctx.transaction() as s:
        desk = _desk(s)
        b = s.scalar(select(PostalBatch).where(PostalBatch.batch_no == batch_no))
        if b is None or b.receipts == 0 or b.signed_at is None:
            raise DomainError("postal.batch_unknown", tr("postal.batch_unknown", batch=batch_no))
        if not 1 <= pos <= len(b.rows):
            raise DomainError("postal.row_unknown", tr("postal.row_unknown", pos=pos))
        row = dict(b.rows[pos - 1])
        if row.get("outcome"):
            raise DomainError(
                "postal.row_done",
                tr("postal.row_done", pos=pos, number=row["consignment_no"]),
            )
        code, due = "", None
        if outcome != "missing":
            who = applicant or Applicant(
                full_name=row["full_name"],
                id_number=row.get("id_number", ""),
                phone=row.get("phone", ""),
                address=row.get("address", ""),
            )
            handed = items
            if handed is None:
                handed = tuple(HandedIn(c, k, int(q)) for c, k, q in row.get("components", []))
            option = int(row.get("option", 3))
            req = intake.IntakeRequest(
                procedure_code=row["procedure_code"],
                applicant=who,
                items=handed if outcome != "supplement" or items is not None else (),
                conditions=dict(conditions or {}),
                outcome={"received": "receive", "supplement": "supplement", "refused": "refuse"}[
                    outcome
                ],
                reason=reason,
                channel="post",
                return_method="post" if option in (2, 3) else "desk",
                return_address=row.get("address", ""),
                consignment_no=row["consignment_no"],
                filed_at=b.signed_at,
            )
            res = intake.submit_in(ctx, s, req)
            code, due = res.code, res.due_date
        payload = {
            "batch_no": batch_no,
            "route_to": b.from_office_code,
            "pos": pos,
            "item_id": row["item_id"],
            "consignment_no": row["consignment_no"],
            "outcome": outcome,
            "dossier_code": code,
            "due_date": due.isoformat() if due else None,
            "reason": nfc(reason),
        }
        record_postal_event(
            s, desk, EventType.POSTAL_ROW_SETTLED, row["item_id"], payload, ctx.officer_id, now
        )
        return RowSettled(pos, outcome, code, due, b.signed_at)


# --- reading ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemView:
    item_id: str
    receipt_no: str
    consignment_no: str
    agency_code: str
    agency_name: str
    procedure_code: str
    procedure_name: str
    full_name: str
    phone: str
    address: str
    papers: int
    option: int
    fee_charges: int
    fee_postal: int
    fee_total: int
    accepted_at: datetime
    status: str
    batch_no: str
    dossier_code: str
    due_date: date | None
    note: str
    components: tuple[dict[str, Any], ...]


def item(ctx: DeskContext, ref: str) -> ItemView:
    """A consignment by its id, consignment number or receipt number."""
    with ctx.read() as s:
        value = normalise_s10(ref)
        it = s.get(PostalItem, ref) or s.scalar(
            select(PostalItem).where(
                (PostalItem.consignment_no == value) | (PostalItem.receipt_no == ref)
            )
        )
        if it is None:
            raise DomainError("postal.unknown_item", tr("postal.unknown_item", number=ref))
        b = s.get(PostalBatch, it.batch_id) if it.batch_id else None
        return ItemView(
            it.id,
            it.receipt_no,
            it.consignment_no,
            it.agency_code,
            it.agency_name,
            it.procedure_code,
            it.procedure_name,
            it.full_name,
            it.phone,
            it.address,
            it.papers,
            it.option,
            it.fee_charges,
            it.fee_postal,
            it.fee_total,
            it.accepted_at,
            it.status,
            b.batch_no if b else "",
            it.dossier_code or "",
            it.due_date,
            it.note,
            tuple(dict(c) for c in it.components),
        )


def conflicts(ctx: DeskContext) -> list[BatchInfo]:
    """Records signed by more than one desk (or a row settled twice): for a supervisor."""
    with ctx.read() as s:
        return [_info(b) for b in s.scalars(select(PostalBatch).where(PostalBatch.conflict))]


@dataclass(frozen=True)
class Signing:
    """One desk's signature of a record, and the dossiers its settlements made."""

    desk_id: str
    desk_name: str
    #: None when only the record's projection names the desk (its event not here).
    signed_at: datetime | None
    #: (row, dossier code, outcome) of the rows this desk settled.
    settled: tuple[tuple[int, str, str], ...]


@dataclass(frozen=True)
class ConflictView:
    """What a supervisor weighs before choosing which signing stands."""

    batch: BatchInfo
    signings: tuple[Signing, ...]


@dataclass(frozen=True)
class Resolved:
    keep_desk: str
    cancelled: tuple[str, ...]
    #: Dossiers of the other signing left as they are (already closed: refused, returned).
    untouched: tuple[str, ...]
    event_id: str


def _desk_name(session: Session, desk_id: str) -> str:
    d = session.get(Desk, desk_id)
    return d.name if d is not None else short_id(desk_id)


def conflict_view(ctx: DeskContext, batch_no: str) -> ConflictView:
    """The signings of a record and the rows each settled (for the resolution dialog)."""
    with ctx.read() as s:
        b = s.scalar(select(PostalBatch).where(PostalBatch.batch_no == batch_no))
        if b is None:
            raise DomainError("postal.batch_unknown", tr("postal.batch_unknown", batch=batch_no))
        signing = (
            EventType.POSTAL_BATCH_RECEIVED
            if b.direction == "out"
            else EventType.POSTAL_RETURN_RECEIVED
        )
        settles = [
            e
            for e in _events_of(
                s, (EventType.POSTAL_ROW_SETTLED,), [r["item_id"] for r in b.rows], None
            )
            if e.payload.get("batch_no") == b.batch_no
        ]
        signed_at: dict[str, datetime] = {}
        for e in _events_of(s, (signing,), [b.id], None):
            signed_at.setdefault(e.desk_id, _dt(e.payload["signed_at"]))
        out: list[Signing] = []
        for desk_id in [*(b.signers or []), *signed_at]:
            if any(x.desk_id == desk_id for x in out):
                continue
            mine = tuple(
                (int(x.payload["pos"]), x.payload.get("dossier_code", ""), x.payload["outcome"])
                for x in settles
                if x.desk_id == desk_id
            )
            out.append(Signing(desk_id, _desk_name(s, desk_id), signed_at.get(desk_id), mine))
        return ConflictView(_info(b), tuple(out))


def resolve_conflict(
    ctx: DeskContext, batch_no: str, keep_desk: str, reason: str, *, actor_id: str | None
) -> Resolved:
    """A supervisor chooses which signing of a record signed twice stands (Decision 45/2016
    Art. 7: one record, one filing time). In one transaction: the resolution event (routed
    to the office that handed the record over) and a `cancelled` event, through the normal
    lifecycle, for each dossier the other signing made for a row the standing one also
    settled; nothing is deleted and no code is freed. Supervisors only (checked here)."""
    text = nfc(reason)
    now = ctx.now()
    with ctx.transaction() as s:
        officer = require(s, actor_id, "postal_resolve")
        desk = _desk(s)
        b = s.scalar(select(PostalBatch).where(PostalBatch.batch_no == batch_no))
        if b is None:
            raise DomainError("postal.batch_unknown", tr("postal.batch_unknown", batch=batch_no))
        if not b.conflict:
            raise DomainError("postal.no_conflict", tr("postal.no_conflict", batch=batch_no))
        if desk.office_code != b.to_office_code:
            raise DomainError("postal.resolve_office", tr("postal.resolve_office"))
        errors = []
        if keep_desk not in (b.signers or []):
            errors.append(FieldError("keep", "postal.keep", tr("postal.keep")))
        if not text:
            errors.append(
                FieldError("reason", "action.reason_required", tr("action.reason_required"))
            )
        if errors:
            raise ValidationFailed(errors)
        earlier = _events_of(s, (EventType.POSTAL_CONFLICT_RESOLVED,), [b.id], None)
        gone = {c for r in earlier for c in r.payload.get("cancelled", [])}
        settles = [
            e
            for e in _events_of(
                s, (EventType.POSTAL_ROW_SETTLED,), [r["item_id"] for r in b.rows], None
            )
            if e.payload.get("batch_no") == b.batch_no
        ]
        standing = standing_settlements(settles, keep_desk, gone)
        to_cancel: list[Dossier] = []
        untouched: list[str] = []
        for e in settles:
            code = e.payload.get("dossier_code") or ""
            stands = standing.get(int(e.payload["pos"]))
            if not code or code in gone or (stands is not None and stands.id == e.id):
                continue
            d = s.scalar(select(Dossier).where(Dossier.code == code))
            if d is None:
                raise DomainError("postal.resolve_sync", tr("postal.resolve_sync", code=code))
            if (d.status, EventType.CANCELLED) in TRANSITIONS:
                to_cancel.append(d)
            else:
                untouched.append(code)
        keep_name = _desk_name(s, keep_desk)
        payload = {
            "batch_no": b.batch_no,
            "route_to": b.from_office_code,
            "from_office_code": b.from_office_code,
            "to_office_code": b.to_office_code,
            "keep_desk": keep_desk,
            "cancelled": [d.code for d in to_cancel],
            "reason": text,
            "by": officer.username,
        }
        ev = record_postal_event(
            s, desk, EventType.POSTAL_CONFLICT_RESOLVED, b.id, payload, actor_id, now
        )
        why = tr("postal.cancel_reason", "vi", batch=b.batch_no, desk=keep_name, reason=text)
        for d in to_cancel:
            record_event(
                s,
                desk_id=desk.desk_id,
                office_id=d.office_id,
                dossier_id=d.id,
                type=EventType.CANCELLED.value,
                payload={"reason": why[:MAX_TEXT]},
                officer_id=actor_id,
                occurred_at=now,
            )
        return Resolved(keep_desk, tuple(d.code for d in to_cancel), tuple(untouched), ev.id)


def count_items(ctx: DeskContext) -> int:
    with ctx.read() as s:
        return int(s.scalar(select(func.count()).select_from(PostalItem)) or 0)


# --- papers ------------------------------------------------------------------------------


def fee_receipt_pdf(ctx: DeskContext, ref: str) -> bytes:
    """The fee receipt of one consignment (Art. 6), Vietnamese, with its own barcode."""
    from app.print import postal as paper
    from app.services.documents import office_info

    it = item(ctx, ref)
    with ctx.read() as s:
        desk = _desk(s)
        office = s.get(Office, desk.office_id)
        assert office is not None
        procedure = domain_procedure(current_version(s, it.procedure_code))
        table = fee_table(s)
        row = s.get(PostalItem, it.item_id)
        assert row is not None
        officer = s.get(Officer, row.officer_id) if row.officer_id else None
        who = officer.full_name if officer else ""
        info = office_info(office)
    basis = procedure.fee.basis_vi if procedure.fee else "chưa có trong danh mục"
    return paper.render_fee_receipt(
        paper.FeeReceiptDoc(
            office=info,
            receipt_no=it.receipt_no,
            consignment_no=it.consignment_no,
            accepted_at=it.accepted_at,
            sender_name=it.full_name,
            sender_phone=it.phone,
            sender_address=it.address,
            agency_name=it.agency_name or it.agency_code,
            procedure_name=it.procedure_name,
            papers=it.papers,
            option=it.option,
            fee_charges=it.fee_charges,
            fee_charges_basis=basis,
            fee_postal=it.fee_postal,
            fee_total=it.fee_total,
            fee_confirmed=table.confirmed and procedure.fee is not None,
            officer_name=who,
        )
    )


def handover_pdf(ctx: DeskContext, batch_no: str) -> bytes:
    """A hand-over record on A4 with one QR per row: post office → agency (Art. 7) or the
    results back, agency → post office (Art. 9)."""
    from app.print import postal as paper
    from app.services.documents import office_info

    b = batch(ctx, batch_no)
    if b is None:
        raise DomainError("postal.batch_unknown", tr("postal.batch_unknown", batch=batch_no))
    with ctx.read() as s:
        desk = _desk(s)
        office = s.get(Office, desk.office_id)
        assert office is not None
        info = office_info(office)
        names: dict[str, str] = {}
        for r in b.rows if b.direction == "out" else ():
            code = r["procedure_code"]
            if code not in names:
                names[code] = domain_procedure(current_version(s, code)).name_vi
    if b.direction == "back":
        return paper.render_return(
            paper.ReturnDoc(
                office=info,
                code=b.code,
                from_name=b.from_name,
                to_name=b.to_name,
                handed_at=b.handed_at or ctx.now(),
                rows=b.return_rows(),
                from_code=b.from_office_code,
                to_code=b.to_office_code,
            )
        )
    return paper.render_handover(
        paper.HandoverDoc(
            office=info,
            code=b.code,
            from_name=b.from_name,
            to_name=b.to_name,
            handed_at=b.handed_at or ctx.now(),
            rows=b.row_data(),
            procedure_names=names,
            from_code=b.from_office_code,
            to_code=b.to_office_code,
        )
    )


# --- results back (Art. 9) and delivery (Art. 10) ---------------------------------------


def _ready_rows(
    session: Session, office_code: str, post_code: str
) -> list[tuple[Dossier, dict[str, Any]]]:
    """Dossiers of this agency received from `post_code`'s records, with a result, whose
    applicant chose the result by post (option 2 or 3); oldest record first."""
    out: list[tuple[Dossier, dict[str, Any]]] = []
    records = session.scalars(
        select(PostalBatch)
        .where(
            PostalBatch.direction == "out",
            PostalBatch.to_office_code == office_code,
            PostalBatch.from_office_code == post_code,
            PostalBatch.receipts > 0,
        )
        .order_by(PostalBatch.signed_at, PostalBatch.id)
    )
    for b in records:
        for r in b.rows:
            code = r.get("dossier_code")
            if not code or int(r.get("option", 3)) not in (2, 3):
                continue
            d = session.scalar(select(Dossier).where(Dossier.code == code))
            if d is not None and d.status == Status.RESULT_READY.value:
                out.append((d, dict(r)))
    return out


def results_waiting(ctx: DeskContext, post_code: str) -> list[str]:
    """Dossier codes ready to go back through post office `post_code`."""
    with ctx.read() as s:
        desk = _desk(s)
        return [d.code for d, _r in _ready_rows(s, desk.office_code, post_code)]


def return_hand_over(ctx: DeskContext, post_code: str) -> BatchInfo:
    """The agency hands the results back to the post office (Art. 9): one return record,
    and each dossier posted (returned by post) in the same transaction."""
    now = ctx.now()
    with ctx.transaction() as s:
        desk = _desk(s)
        ready = _ready_rows(s, desk.office_code, post_code)[:MAX_ROWS]
        if not ready:
            raise DomainError("postal.no_results", tr("postal.no_results", office=post_code))
        rows = []
        for pos, (d, r) in enumerate(ready, start=1):
            check_action(d.status, EventType.POSTED, rescheduled=d.rescheduled, has_feedback=False)
            record_event(
                s,
                desk_id=desk.desk_id,
                office_id=d.office_id,
                dossier_id=d.id,
                type=EventType.POSTED.value,
                payload={"consignment_no": r["consignment_no"]},
                officer_id=ctx.officer_id,
                occurred_at=now,
            )
            rows.append(
                {
                    "pos": pos,
                    "item_id": r["item_id"],
                    "consignment_no": r["consignment_no"],
                    "dossier_code": d.code,
                    "full_name": d.full_name,
                    "result": "Kết quả giải quyết (bản chính)",
                }
            )
        office = s.get(Office, desk.office_id)
        assert office is not None
        post_name = s.scalar(
            select(PostalBatch.from_name)
            .where(PostalBatch.from_office_code == post_code, PostalBatch.from_name != "")
            .limit(1)
        )
        batch_no = new_batch_no()
        payload = {
            "batch_no": batch_no,
            "route_to": post_code,
            "from_office_code": desk.office_code,
            "to_office_code": post_code,
            "from_name": office.name,
            "to_name": post_name or post_code,
            "count": len(rows),
            "digest": rows_digest([r["consignment_no"] for r in rows]),
            "handed_at": now.isoformat(),
            "rows": rows,
        }
        bid = batch_id_for(batch_no)
        record_postal_event(
            s, desk, EventType.POSTAL_RETURN_HANDED_OVER, bid, payload, ctx.officer_id, now
        )
        b = s.get(PostalBatch, bid)
        assert b is not None
        return _info(b)


def sign_return(ctx: DeskContext, code_text: str, rows: list[ReturnRowData]) -> BatchInfo:
    """The post office takes the results (scanned from the return record, no network
    needed): each consignment is then to be delivered."""
    code = _checked_record(code_text, rows)
    now = ctx.now()
    with ctx.transaction() as s:
        desk = _desk(s)
        known = s.scalar(select(PostalBatch).where(PostalBatch.batch_no == code.batch_no))
        if known is not None and known.receipts > 0 and desk.desk_id in (known.signers or []):
            raise _already(known)
        ordered = sorted(rows, key=lambda r: r.pos)
        payload = {
            **_signature_head(code, ordered[0], now),
            "rows": [
                {
                    "pos": r.pos,
                    "item_id": r.item_id,
                    "consignment_no": r.consignment_no,
                    "dossier_code": r.dossier_code,
                    "full_name": r.full_name,
                    "result": r.result,
                }
                for r in ordered
            ],
        }
        bid = batch_id_for(code.batch_no)
        record_postal_event(
            s, desk, EventType.POSTAL_RETURN_RECEIVED, bid, payload, ctx.officer_id, now
        )
        b = s.get(PostalBatch, bid)
        assert b is not None
        return _info(b)


def record_delivery(ctx: DeskContext, consignment_no: str, outcome: str, reason: str = "") -> str:
    """Delivered, failed (with its reason) or returned to the agency (Art. 10)."""
    errors = []
    if outcome not in DELIVERY_OUTCOMES:
        errors.append(FieldError("outcome", "postal.delivery", tr("postal.delivery")))
    if outcome == "failed" and not nfc(reason):
        errors.append(FieldError("reason", "postal.delivery_reason", tr("postal.delivery_reason")))
    if errors:
        raise ValidationFailed(errors)
    now = ctx.now()
    number = normalise_s10(consignment_no)
    with ctx.transaction() as s:
        desk = _desk(s)
        it = s.scalar(select(PostalItem).where(PostalItem.consignment_no == number))
        if it is None:
            raise DomainError("postal.unknown_item", tr("postal.unknown_item", number=number))
        if it.status not in ("result_back", "failed"):
            raise DomainError("postal.not_back", tr("postal.not_back", number=number))
        payload = {
            "consignment_no": number,
            "route_to": it.agency_code,
            "outcome": outcome,
            "reason": nfc(reason),
            "at": now.isoformat(),
        }
        ev = record_postal_event(
            s, desk, EventType.POSTAL_DELIVERED, it.id, payload, ctx.officer_id, now
        )
        return ev.id


@dataclass(frozen=True)
class Step:
    at: datetime
    type: str
    desk_id: str
    detail: str
    #: What the step was, in the desk's language (the event's label).
    label: str = ""
    desk_name: str = ""


def item_history(ctx: DeskContext, ref: str) -> list[Step]:
    """Each step of a consignment, both sides: accepted, handed over, signed, settled at
    the agency, results back, delivery (events of the item and of its records)."""
    it = item(ctx, ref)
    with ctx.read() as s:
        row = s.get(PostalItem, it.item_id)
        assert row is not None
        subjects = [x for x in (row.id, row.batch_id, row.return_batch_id) if x]
        events = s.scalars(
            select(Event)
            .where(Event.dossier_id.in_(subjects))
            .order_by(Event.occurred_at, Event.desk_seq)
        )
        out = []
        for e in events:
            p = e.payload
            detail = ""
            if e.type == EventType.POSTAL_ROW_SETTLED.value:
                if p.get("item_id") != row.id:
                    continue
                detail = " ".join(x for x in (p["outcome"], p.get("dossier_code", "")) if x)
            elif e.type == EventType.POSTAL_DELIVERED.value:
                detail = " ".join(x for x in (p["outcome"], p.get("reason", "")) if x)
            elif e.type == EventType.POSTAL_ACCEPTED.value:
                detail = tr(
                    "postal.step_fee",
                    receipt=p["receipt_no"],
                    total=f"{int(p['fee']['total']):,}".replace(",", "."),
                )
            elif e.type == EventType.POSTAL_CONFLICT_RESOLVED.value:
                detail = tr(
                    "postal.step_resolved",
                    batch=p["batch_no"],
                    desk=_desk_name(s, p["keep_desk"]),
                )
            elif "batch_no" in p:
                detail = p["batch_no"]
            out.append(
                Step(
                    e.occurred_at,
                    e.type,
                    e.desk_id,
                    detail,
                    event_label(e.type),
                    _desk_name(s, e.desk_id),
                )
            )
        return out


# --- what the screens read --------------------------------------------------------------


@dataclass(frozen=True)
class DeskSetup:
    """What the agent desk's screens need once: agencies served, procedures with their
    components, and the fee table (so a change of agency or option costs no query)."""

    agencies: tuple[Agency, ...]
    procedures: tuple[tuple[str, str], ...]
    components: dict[str, tuple[tuple[str, str, str, int, bool], ...]]
    charges: dict[str, int]
    table: FeeTable

    def fee(self, agency_code: str, procedure_code: str, option: int) -> tuple[int, int]:
        """(catalogue charges, postal fee) for the choice on screen."""
        agency = next((a for a in self.agencies if a.code == agency_code), None)
        postal = postal_fee(self.table, agency.scope, option) if agency else 0
        return self.charges.get(procedure_code, 0), postal


def desk_setup(ctx: DeskContext) -> DeskSetup:
    from app.services.catalogue_service import picker

    pick = picker(ctx)
    with ctx.read() as s:
        served = tuple(agencies(s))
        table = fee_table(s)
    procs = tuple(
        (c.code, c.name_vi) for c in pick.choices if "post" in pick.procedures[c.code].channels
    )
    comps = {
        code: tuple(
            (c.code, c.name_vi, c.copy_kind, c.quantity, c.conditional)
            for c in pick.procedures[code].components
        )
        for code, _n in procs
    }
    charges = {}
    for code, _n in procs:
        fee = pick.procedures[code].fee
        charges[code] = fee.amount_vnd if fee else 0
    return DeskSetup(served, procs, comps, charges, table)


def items_list(ctx: DeskContext, limit: int = 500) -> list[ItemView]:
    """The desk's consignments, newest first (the hand-over and delivery screen)."""
    with ctx.read() as s:
        ids = list(
            s.scalars(
                select(PostalItem.id)
                .order_by(PostalItem.accepted_at.desc(), PostalItem.id)
                .limit(limit)
            )
        )
    return [item(ctx, i) for i in ids]


def post_offices(ctx: DeskContext) -> list[str]:
    """Post offices whose records this agency signed (where results can go back)."""
    with ctx.read() as s:
        return sorted(
            set(
                s.scalars(
                    select(PostalBatch.from_office_code).where(
                        PostalBatch.direction == "out", PostalBatch.receipts > 0
                    )
                )
            )
        )


def agent_mode(ctx: DeskContext) -> bool:
    """True on a post-office agent desk: the window opens its postal tabs instead of intake."""
    with ctx.read() as s:
        return is_agent_desk(s)
