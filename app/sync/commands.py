"""`onestop connect URL TOKEN` and `onestop sync`: pairing and one headless sync round.

One round: push the outbox in desk order (batches; the event UUID makes a retry harmless),
pull the office's change feed from the stored cursor (new events inserted by UUID, their
dossiers refolded with this desk's pending events on top), refresh catalogue and calendar,
and top up dossier-code blocks. Every step commits on its own, so a crash or a cut
connection at any point loses nothing and the next round carries on.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from operator import attrgetter
from types import SimpleNamespace
from typing import Any, cast
from zoneinfo import ZoneInfo

import orjson
from pydantic import TypeAdapter, ValidationError
from sqlalchemy import Table, bindparam, delete, func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from app import credentials, gcpause
from app.domain.dossier_code import fallback_range
from app.domain.errors import DomainError
from app.domain.lifecycle import DESK_EVENTS, POSTAL, EventType
from app.models import CodeBlock, Desk, Dossier, Event, Office, Officer, Outbox
from app.models.base import UTCDateTime
from app.models.bulk import insert_plan, insert_rows, is_sqlite_utc, wire_utc_text
from app.models.event_schema import PulledEvent, event_row, event_wire, parse_pulled_page
from app.models.events import (
    SYNC_ACCEPTED,
    SYNC_LOCAL,
    SYNC_QUEUED,
    SYNC_REJECTED,
    SYNC_SENT,
    SYNC_SET_ASIDE,
)
from app.services import day_totals, event_totals
from app.services.context import DeskContext, get_setting, set_setting
from app.services.guard import correction_s
from app.services.postal import fold_postal
from app.services.projection import (
    DossierState,
    fold_event,
    load_lookup,
    rebuild_dossier,
    store_states,
)
from app.sync.client import (
    CentralClient,
    CentralError,
    CursorGone,
    SyncError,
    SyncRefused,
    SyncUnavailable,
)
from app.sync.files import upload_pending

__all__ = [
    "CentralError",
    "ConnectResult",
    "CursorGone",
    "SyncError",
    "SyncRefused",
    "SyncReport",
    "SyncUnavailable",
    "connect",
    "sync_once",
]

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
PUSH_BATCH = 500
#: Events a pull page asks for: the central's largest page (fewer round trips and commits).
PULL_LIMIT = 5000
#: Pages stored in one transaction until it holds this many events (every commit writes
#: the random-UUID index pages again and checkpoints: ten commits were a sixth of a
#: 100,000-event catch-up, one a twentieth); a crash loses the open transaction's pages
#: and their cursor together, so they are pulled again.
PULL_TX_EVENTS = 100_000
#: ... or until it has been open this long: the desk's own writes (a receipt at the
#: counter) wait for the write lock meanwhile, so this stays far below the busy timeout
#: (app.models.db.BUSY_TIMEOUT_MS, 10 s); a wait is at most this and one page's storing.
PULL_TX_SECONDS = 2.0
BLOCK_SIZE = 50
REFILL_BELOW = 20
BLOCK_DAYS_AHEAD = 2
SKEW_WARN_S = 120.0

K_URL, K_TOKEN = "sync.central_url", "sync.token"
K_CURSOR = "sync.cursor"
K_LAST_GOOD = "sync.last_good_sync"
K_HELD = "sync.central_held_seq"
#: Refusals that another desk's events can cure: retried for WAIT_ATTEMPTS pushes first.
WAIT_FOR_OTHERS = frozenset({"dossier.unknown"})
WAIT_ATTEMPTS = 20
K_SEQ_FLOOR = "sync.desk_seq_floor"
K_LAST_OK = {"push": "sync.last_push_ok", "pull": "sync.last_pull_ok"}
K_SKEW = "sync.clock_skew_s"
K_PAIRED_AT = "sync.paired_at"
#: When the central first refused this desk's token (401); cleared by a good round.
K_REFUSED_AT = "sync.refused_at"
K_LAST_ERROR = "sync.last_error"
K_CAT_VERSION = "sync.catalogue_version"
K_CAL_VERSION = "sync.calendar_version"


@dataclass
class ConnectResult:
    desk_id: str
    desk_name: str
    office_id: str
    office_code: str
    slot: int
    queued: int
    report: SyncReport | None = None


@dataclass
class SyncReport:
    pushed: int = 0
    accepted: int = 0
    already_known: int = 0
    rejected: int = 0
    conflicts: int = 0
    pulled: int = 0
    inserted: int = 0
    refolded: int = 0
    projection_errors: int = 0
    cursor_reset: bool = False
    catalogue_version: str | None = None
    calendar_version: str | None = None
    blocks_added: int = 0
    clock_skew_s: float | None = None
    #: "date" (the HTTP Date header) or "server_time" (the answer's own, finer field).
    clock_source: str | None = None
    rejected_reasons: list[str] = field(default_factory=list)
    #: Steps of the round that failed, with why (the others still ran).
    failed: dict[str, str] = field(default_factory=dict)
    #: Events sent again because the central no longer held them (restored backup).
    resent: int = 0
    block_conflicts: int = 0
    #: Refused for now ("dossier unknown" while another desk sends its first event): queued.
    deferred: int = 0
    #: The central asked for the blocks this desk holds (it was restored from a backup).
    report_blocks: bool = False
    #: Digitised files sent whole this round, bytes sent, local files found damaged.
    files_sent: int = 0
    file_bytes_sent: int = 0
    files_damaged: int = 0
    #: Seconds the pull waited for the central's pages (the first page, and any next page
    #: not yet downloaded when the one before was stored): the rest was the desk's own work.
    pull_waited_s: float = 0.0

    @property
    def clock_warning(self) -> bool:
        return self.clock_skew_s is not None and abs(self.clock_skew_s) > SKEW_WARN_S


def _sessions(target: Any) -> sessionmaker[Session]:
    """Accept a DeskContext (has .sessions) or a sessionmaker."""
    return target.sessions if hasattr(target, "sessions") else target


def _desk_clock(target: Any) -> Any:
    """The desk's own clock (`DeskContext.clock`, uncorrected): what is measured."""
    return getattr(target, "clock", None)


def _desk_time(target: Any) -> str:
    """Now by the desk's own clock, as the guard reads it back (its offline and revocation
    hours are counted on that clock, so they must be written on it too)."""
    clock = _desk_clock(target)
    now = clock() if clock is not None else datetime.now(UTC)
    return str(now.isoformat())


def _client_for(
    sessions: sessionmaker[Session], timeout: float, clock: Any = None
) -> CentralClient:
    with sessions() as s:
        url, token = get_setting(s, K_URL), get_setting(s, K_TOKEN)
    data_dir = credentials.data_dir_of(sessions)
    if token and data_dir is not None:
        if credentials.is_marker(token):
            token = credentials.load_token(data_dir, token)
        else:  # paired before the token left the database: move it out now
            marker = credentials.save_token(data_dir, token)
            with sessions.begin() as s:
                set_setting(s, K_TOKEN, marker)
    if not url or not token:
        raise SyncError(
            "This desk is not paired with a central service; run `onestop connect URL TOKEN` first."
        )
    return CentralClient(url, token, timeout=timeout, clock=clock)


# --- connect -----------------------------------------------------------------------------


def _adopt_identity(s: Session, info: dict[str, Any]) -> None:
    """Make this database the desk the central service knows (ids, office, slot).

    A desk set up stand-alone has its own ids; its events were never sent anywhere, so
    they are re-labelled in this one transaction. Events the centre already holds under
    another identity make that impossible, and pairing is refused.
    """
    office_info = info["office"]
    new_office, new_desk, slot = office_info["id"], info["desk_id"], int(info["slot"])
    s.execute(text("PRAGMA defer_foreign_keys=ON"))
    old_desk_id = get_setting(s, "desk.id")
    office = s.get(Office, new_office)
    local = s.scalar(select(Office).where(Office.code == office_info["code"]))
    if office is None and local is not None:
        old = local.id
        s.execute(update(Office).where(Office.id == old).values(id=new_office))
        for model in (Desk, Dossier, Officer):
            s.execute(update(model).where(model.office_id == old).values(office_id=new_office))
        s.execute(update(Event).where(Event.office_id == old).values(office_id=new_office))
        day_totals.rekey(s.connection(), "office_id", old, new_office)
        s.expire_all()
        office = s.get(Office, new_office)
    if office is None:
        fields = {
            k: office_info.get(k) or ""
            for k in ("parent_name", "address", "phone", "hotline", "place_name", "province_code")
        }
        office = Office(id=new_office, code=office_info["code"], name=office_info["name"], **fields)
        s.add(office)
        s.flush()
    if old_desk_id and old_desk_id != new_desk:
        sent = s.scalar(
            select(func.count(Event.id)).where(
                Event.desk_id == old_desk_id,
                Event.sync_state.not_in([SYNC_LOCAL, SYNC_QUEUED, SYNC_REJECTED]),
            )
        )
        if sent:
            raise SyncError(
                "This desk already sent events under another desk identity; "
                "pair it with the token of that desk."
            )
        s.execute(update(Event).where(Event.desk_id == old_desk_id).values(desk_id=new_desk))
        s.execute(update(Dossier).where(Dossier.desk_id == old_desk_id).values(desk_id=new_desk))
        day_totals.rekey(s.connection(), "desk_id", old_desk_id, new_desk)
        s.execute(update(Desk).where(Desk.id == old_desk_id).values(id=new_desk))
        for key in list(
            s.scalars(
                text("SELECT key FROM settings WHERE key LIKE :p"),
                {"p": f"logbook.{old_desk_id}.%"},
            )
        ):
            value = get_setting(s, key)
            s.execute(text("DELETE FROM settings WHERE key = :k"), {"k": key})
            set_setting(s, key.replace(old_desk_id, new_desk, 1), value)
        s.expire_all()
    desk = s.get(Desk, new_desk)
    if desk is None:
        desk = Desk(id=new_desk, office_id=new_office, name=info["desk_name"], slot=slot)
        s.add(desk)
    else:
        desk.office_id, desk.slot = new_office, slot
    s.flush()
    set_setting(s, "desk.id", new_desk)
    set_setting(s, "desk.office_id", new_office)
    # A stand-alone desk's own blocks end here: keep only the numbers it already used.
    for block in s.scalars(select(CodeBlock).where(CodeBlock.source == "local")):
        if block.next <= block.first:
            s.delete(block)
        else:
            block.last = block.next - 1


def _learn_history(s: Session, info: dict[str, Any]) -> None:
    """What the central holds of this desk: continue above it before issuing anything.

    A desk re-paired after losing its database starts again at desk_seq 1 and with no
    record of the numbers it printed; the central knows both. Local events not sent yet
    are moved above the central's highest desk_seq; every block issued to this desk is
    taken as used, and its own fallback range continues above the highest number it used.
    """
    desk_id = str(info["desk_id"])
    top = int(info.get("max_desk_seq") or 0)
    if top:
        set_setting(s, K_SEQ_FLOOR, str(top))
        low = list(
            s.scalars(
                select(Event)
                .where(Event.desk_id == desk_id, Event.desk_seq <= top)
                .order_by(Event.desk_seq)
            )
        )
        if low:
            mine = s.scalar(select(func.max(Event.desk_seq)).where(Event.desk_id == desk_id)) or 0
            # Two steps (out of the way, then above the central's top): never a moment
            # where two events of the desk share a number.
            for ev in low:
                ev.desk_seq = -ev.desk_seq
            s.flush()
            for i, ev in enumerate(sorted(low, key=lambda e: -e.desk_seq), start=1):
                ev.desk_seq = max(top, mine) + i
            s.flush()
            for ev in low:
                s.execute(
                    update(Outbox).where(Outbox.event_id == ev.id).values(desk_seq=ev.desk_seq)
                )
    office = s.get(Office, info["office"]["id"])
    if office is None:
        return
    slot = int(info["slot"])
    for entry in info.get("codes") or []:
        day = date.fromisoformat(entry["day"])
        for first, last in entry.get("blocks") or []:
            exists = s.scalar(
                select(CodeBlock.id).where(
                    CodeBlock.agency_code == office.code,
                    CodeBlock.day == day,
                    CodeBlock.first == first,
                    CodeBlock.last == last,
                )
            )
            if exists is None:  # unknown how far it was used: all of it, to be safe
                s.add(
                    CodeBlock(
                        agency_code=office.code,
                        day=day,
                        first=first,
                        last=last,
                        next=last + 1,
                        source="central",
                    )
                )
        used = int(entry.get("used") or 0)
        numbers = fallback_range(slot)
        if used in numbers:
            block = s.scalar(
                select(CodeBlock).where(
                    CodeBlock.agency_code == office.code,
                    CodeBlock.day == day,
                    CodeBlock.source == "fallback",
                )
            )
            if block is None:
                s.add(
                    CodeBlock(
                        agency_code=office.code,
                        day=day,
                        first=numbers.start,
                        last=numbers.stop - 1,
                        next=used + 1,
                        source="fallback",
                    )
                )
            else:
                block.next = max(block.next, used + 1)
    s.flush()


def connect(
    target: Any, url: str, token: str, *, timeout: float = 30.0, sync: bool = True
) -> ConnectResult:
    """Pair this desk with the central service, then run a first sync round."""
    sessions = _sessions(target)
    client = CentralClient(url, token, timeout=timeout, clock=_desk_clock(target))
    try:
        info = client.desk()
        # The token goes to the OS keyring (or a 0600 file); the database keeps a marker.
        data_dir = credentials.data_dir_of(target)
        stored = credentials.save_token(data_dir, token) if data_dir is not None else token
        with sessions.begin() as s:
            _adopt_identity(s, info)
            _learn_history(s, info)
            set_setting(s, K_URL, url.rstrip("/"))
            set_setting(s, K_TOKEN, stored)
            set_setting(s, K_PAIRED_AT, _desk_time(target))
            set_setting(s, K_REFUSED_AT, "")  # a new pairing starts afresh
            set_setting(s, K_CURSOR, "")
            queued = getattr(
                s.execute(
                    update(Event)
                    .where(Event.sync_state == SYNC_LOCAL)
                    .values(sync_state=SYNC_QUEUED)
                ),
                "rowcount",
                0,
            )
        report = sync_once(sessions, client=client) if sync else None
    finally:
        client.close()
    office = info["office"]
    return ConnectResult(
        info["desk_id"],
        info["desk_name"],
        office["id"],
        office["code"],
        int(info["slot"]),
        int(queued or 0),
        report,
    )


# --- push --------------------------------------------------------------------------------


def encode_reason(result: dict[str, Any]) -> str:
    """A refusal as stored on the event: code, field and the reason in both languages."""
    return json.dumps(
        {
            "code": result.get("reason_code") or "",
            "field": result.get("field") or "",
            "en": result.get("reason") or "",
            "vi": result.get("reason_vi") or result.get("reason") or "",
        },
        ensure_ascii=False,
    )


def _note_held(s: Session, held: Any, report: SyncReport) -> None:
    """Compare the central's mark of this desk's events with the best it ever reported.

    Lower means the central was restored from a backup and lost what came after: every
    event of this desk above the mark goes back in the queue, acknowledged or not (the
    event id makes a copy it still has harmless: "already known").
    """
    if not isinstance(held, int):
        return  # a central on protocol 1 does not report it
    known = int(get_setting(s, K_HELD) or 0)
    if held < known:
        desk_id = get_setting(s, "desk.id")
        lost = list(
            s.scalars(
                select(Event).where(
                    Event.desk_id == desk_id,
                    Event.desk_seq > held,
                    Event.sync_state == SYNC_ACCEPTED,
                )
            )
        )
        queued = set(s.scalars(select(Outbox.event_id)))
        for ev in lost:
            ev.sync_state = SYNC_QUEUED
            if ev.id not in queued:
                s.add(Outbox(event_id=ev.id, desk_seq=ev.desk_seq))
        report.resent += len(lost)
        s.flush()
    if held != known:
        set_setting(s, K_HELD, str(held))


def _push(
    sessions: sessionmaker[Session], client: CentralClient, report: SyncReport, batch: int
) -> None:
    info = client.desk()
    report.report_blocks = bool(info.get("report_blocks"))
    with sessions.begin() as s:
        _note_held(s, info.get("held_seq"), report)
    if report.report_blocks:
        # The central was restored and waits for this desk's blocks before it gives any
        # desk of the office a new one: tell it first thing, not at the end of the round.
        _blocks(sessions, client, report, only_report=True)
    skip: set[str] = set()
    while True:
        with sessions.begin() as s:
            rows = list(
                s.scalars(
                    select(Event)
                    .join(Outbox, Outbox.event_id == Event.id)
                    .where(Event.sync_state.in_([SYNC_QUEUED, SYNC_SENT]))
                    .where(Event.id.not_in(skip))
                    .order_by(Outbox.desk_seq)
                    .limit(batch)
                )
            )
            attempts: dict[str, int] = {
                str(eid): int(n)
                for eid, n in s.execute(
                    select(Outbox.event_id, Outbox.attempts).where(
                        Outbox.event_id.in_([e.id for e in rows])
                    )
                )
            }
            if not rows:
                return
            ids = [e.id for e in rows]
            dossier_of = {e.id: e.dossier_id for e in rows}
            refused_here = set(
                s.scalars(
                    select(Event.dossier_id).where(
                        Event.dossier_id.in_(set(dossier_of.values())),
                        Event.sync_state.in_([SYNC_REJECTED, SYNC_SET_ASIDE]),
                    )
                )
            )
            payload = [event_wire(e) for e in rows]
            now = datetime.now(UTC)
            s.execute(update(Event).where(Event.id.in_(ids)).values(sync_state=SYNC_SENT))
            s.execute(
                update(Outbox)
                .where(Outbox.event_id.in_(ids))
                .values(attempts=Outbox.attempts + 1, last_attempt_at=now)
            )
        try:
            answer = client.push(payload)
        except SyncError as exc:
            with sessions.begin() as s:
                s.execute(
                    update(Event)
                    .where(Event.id.in_(ids), Event.sync_state == SYNC_SENT)
                    .values(sync_state=SYNC_QUEUED)
                )
                s.execute(
                    update(Outbox).where(Outbox.event_id.in_(ids)).values(last_error=str(exc)[:500])
                )
            raise
        report.pushed += len(ids)
        received = datetime.fromisoformat(answer["server_time"])
        ok: list[dict[str, Any]] = []
        bad: list[dict[str, Any]] = []
        later: list[str] = []
        by_id = {
            r["id"]: r.get("server_seq")
            for r in answer["results"]
            if r["status"] in ("accepted", "already_known")
        }
        refused_here |= {
            dossier_of.get(r["id"], "")
            for r in answer["results"]
            if r["status"] == "rejected" and r.get("reason_code") not in WAIT_FOR_OTHERS
        }
        for r in answer["results"]:
            if r["status"] in ("accepted", "already_known"):
                report.accepted += r["status"] == "accepted"
                report.already_known += r["status"] == "already_known"
                report.conflicts += bool(r.get("conflict"))
                ok.append({"eid": r["id"], "seq": r.get("server_seq"), "at": received})
            elif (
                r.get("reason_code") in WAIT_FOR_OTHERS
                and attempts.get(r["id"], 0) < WAIT_ATTEMPTS
                and dossier_of.get(r["id"]) not in refused_here  # (not our own refusal)
            ):
                # Its dossier's first event is another desk's and has not reached the
                # central yet (typical after a restore, while that desk sends again):
                # not refused, kept in the queue for the next rounds.
                report.deferred += 1
                later.append(r["id"])
            else:
                report.rejected += 1
                report.rejected_reasons.append(str(r.get("reason")))
                bad.append({"eid": r["id"], "reason": encode_reason(r)})
        events = cast(Table, Event.__table__)
        with sessions.begin() as s:
            _note_held(s, answer.get("held_seq"), report)
            seqs = [r["seq"] for r in ok if r["seq"] is not None]
            # Events acknowledged before (a receive time) that come back with another
            # number: a restored central numbered them again, so their dossiers refold.
            renumbered = {
                str(d)
                for d, old, new, acked in (
                    (row[0], row[1], by_id.get(row[2]), row[3])
                    for row in s.execute(
                        select(
                            Event.dossier_id,
                            Event.server_seq,
                            Event.id,
                            Event.server_received_at,
                        ).where(Event.id.in_(list(by_id)))
                    )
                )
                if new is not None and old != new and (old is not None or acked is not None)
            }
            for chunk in _chunks(seqs):
                # A number held here from before a central restore now belongs to another
                # event: release it (the pull gives that event its new one).
                s.execute(update(Event).where(Event.server_seq.in_(chunk)).values(server_seq=None))
            if ok:
                s.connection().execute(
                    update(events)
                    .where(events.c.id == bindparam("eid"))
                    .values(
                        sync_state=SYNC_ACCEPTED,
                        reject_reason=None,
                        server_seq=func.coalesce(bindparam("seq"), events.c.server_seq),
                        server_received_at=func.coalesce(
                            events.c.server_received_at, bindparam("at", type_=UTCDateTime())
                        ),
                    ),
                    ok,
                )
            if bad:
                s.connection().execute(
                    update(events)
                    .where(events.c.id == bindparam("eid"))
                    .values(sync_state=SYNC_REJECTED, reject_reason=bindparam("reason")),
                    bad,
                )
            for d_id in renumbered:  # a restored central numbered these again
                try:
                    with s.begin_nested():
                        rebuild_dossier(s, d_id)
                except (DomainError, IntegrityError):
                    report.projection_errors += 1
            done = [r["eid"] for r in ok] + [r["eid"] for r in bad]
            for chunk in _chunks(done):
                s.execute(delete(Outbox).where(Outbox.event_id.in_(chunk)))
            if later:
                s.execute(update(Event).where(Event.id.in_(later)).values(sync_state=SYNC_QUEUED))
                s.execute(
                    update(Outbox)
                    .where(Outbox.event_id.in_(later))
                    .values(last_error="waiting for the dossier's first event at the central")
                )
            answered = {r["id"] for r in answer["results"]} - set(later)
            skip.update(i for i in ids if i not in answered)


# --- pull --------------------------------------------------------------------------------


def _chunks(items: list[Any], n: int = 500) -> list[list[Any]]:
    return [items[i : i + n] for i in range(0, len(items), n)]


_PAGE = TypeAdapter(list[PulledEvent])


def _each(values: Iterable[Any]) -> Any:
    """A page's keys as ONE bound JSON text, read back by SQLite's json_each: `x IN (…)`
    over a list of thousands, in one statement of fixed text (an expanded IN list was a new
    statement to build per 500 keys, a tenth of a pull's time), still by the index on x."""
    each = func.json_each(orjson.dumps(list(values)).decode()).table_valued("value")
    return select(each.c.value)


def _parse_page(events: list[Any], report: SyncReport) -> list[PulledEvent]:
    return _parse_page_raw(events, report)[0]


def _parse_page_raw(
    events: list[Any], report: SyncReport
) -> tuple[list[PulledEvent], list[Any] | None]:
    """The page's events checked, and the raw entries they were read from, one for one
    (None when some entry was left out: the raw page no longer lines up)."""
    plain = parse_pulled_page(events)  # the usual case: no value needs a closer look
    if plain is not None:
        return plain, events
    try:
        return _PAGE.validate_python(events), events  # the whole page in one call
    except ValidationError:
        pass
    out = []
    for raw in events:
        try:
            out.append(PulledEvent.model_validate(raw))
        except ValidationError:
            # The central checked it when it was pushed; a feed entry that does not read is
            # skipped (and counted) rather than stopping every later pull.
            report.projection_errors += 1
    return out, (events if len(out) == len(events) else None)


def _store_page(s: Session, raw_events: list[Any], report: SyncReport) -> None:
    """Store a pulled page: acknowledge our own events, insert the others, fold once.

    The one apply path of the desk. Server numbers are the central's to give: after a
    central restore the same number can come back for another event, so a number held
    here (by any event) is released first and given again below (never a UNIQUE failure).
    """
    events, raws = _parse_page_raw(raw_events, report)
    if not events:
        return
    ids = [e.id for e in events]
    before: dict[str, int | None] = {
        str(i): q
        for i, q in s.execute(select(Event.id, Event.server_seq).where(Event.id.in_(_each(ids))))
    }
    s.execute(
        update(Event)
        .where(Event.server_seq.in_(_each([e.server_seq for e in events])))
        .values(server_seq=None)
    )
    mine: dict[str, Event] = {}
    # Dossiers whose known events changed place in the server order (a restored central
    # numbered them again): refolded below, so conflict flags match the central's fold.
    moved: set[str] = set()
    if before:  # only events this desk holds are loaded as objects (usually none)
        mine = {e.id: e for e in s.scalars(select(Event).where(Event.id.in_(_each(before))))}
    for e in events:
        ev = mine.get(e.id)
        if ev is None:
            continue
        # Our own event coming back (or one stored by an earlier page): this is the
        # acknowledgement even when the push answer was lost on the way.
        if before.get(ev.id) != e.server_seq and e.type not in DESK_EVENTS and e.type not in POSTAL:
            moved.add(ev.dossier_id)
        ev.server_seq = e.server_seq
        if ev.server_received_at is None:
            ev.server_received_at = e.server_received_at
        if ev.sync_state != SYNC_ACCEPTED:
            ev.sync_state, ev.reject_reason = SYNC_ACCEPTED, None
            s.execute(delete(Outbox).where(Outbox.event_id == ev.id))
    s.flush()
    for d_id in moved:
        try:
            with s.begin_nested():
                rebuild_dossier(s, d_id)
            report.refolded += 1
        except (DomainError, IntegrityError):
            report.projection_errors += 1
    new = [e for e in events if e.id not in mine] if mine else events
    if not new:
        return
    if mine and raws is not None:
        raws = [r for r, e in zip(raws, events, strict=True) if e.id not in mine]
    postal = [e for e in new if e.type in POSTAL]
    # The dossiers' new events, in page order (the central's); a desk's own event or a
    # postal one has no dossier to fold.
    touched: dict[str, list[PulledEvent]] = {}
    for e in new:
        if e.type not in DESK_EVENTS and e.type not in POSTAL:
            evs = touched.get(e.dossier_id)
            if evs is None:
                touched[e.dossier_id] = [e]
            else:
                evs.append(e)
    dossier_ids = list(touched)
    stats: dict[str, tuple[int, int | None, int]] = {}
    existing: dict[str, DossierState] = {}
    table = cast(Table, Dossier.__table__)
    for d_id, count, top, pending in s.execute(
        select(
            Event.dossier_id,
            func.count(Event.id),
            func.max(Event.server_seq),
            func.sum(func.iif(Event.server_seq.is_(None), 1, 0)),
        )
        .where(Event.dossier_id.in_(_each(dossier_ids)))
        .group_by(Event.dossier_id)
    ):
        stats[d_id] = (int(count), top, int(pending or 0))
    existing.update(
        {
            r["id"]: dict(r)
            for r in s.execute(select(table).where(table.c.id.in_(_each(dossier_ids)))).mappings()
        }
    )
    conn = s.connection()
    _insert_pulled(conn, new, raws)
    event_totals.record(conn, [_counted_row(e) for e in new], existing)
    report.inserted += len(new)
    _fold_postal(s, [_pulled_row(e) for e in postal], report)
    if not touched:
        return
    try:
        with s.begin_nested():
            refold = _fold_new(s, touched, stats, existing)
    except (DomainError, IntegrityError):
        # One dossier's fold broke the page's write (e.g. a code held by another dossier
        # here): fold each of them on its own, so the others still show.
        s.expire_all()
        refold = dossier_ids
    for d_id in refold:
        try:
            with s.begin_nested():
                rebuild_dossier(s, d_id)
            report.refolded += 1
        except (DomainError, IntegrityError):
            report.projection_errors += 1


def _pulled_row(e: PulledEvent) -> dict[str, Any]:
    """A pulled event's `events` row (Core insert form)."""
    return event_row(
        e,
        origin="remote",
        sync_state=SYNC_ACCEPTED,
        server_seq=e.server_seq,
        server_received_at=e.server_received_at,
    )


def _counted_row(e: PulledEvent) -> dict[str, Any]:
    """What the reports' event counts read of an inserted event (event_totals.record)."""
    return {
        "type": _TYPE_TEXT[e.type],
        "occurred_at": e.occurred_at,
        "office_id": e.office_id,
        "desk_id": e.desk_id,
        "officer_id": e.officer_id,
        "dossier_id": e.dossier_id,
        "payload": e.payload,
    }


#: The columns of `event_row`, in its order.
_EVENT_KEYS = (
    "id",
    "desk_id",
    "desk_seq",
    "office_id",
    "dossier_id",
    "type",
    "payload",
    "officer_id",
    "occurred_at",
    "recorded_at",
    "origin",
    "sync_state",
    "server_seq",
    "server_received_at",
    "reject_reason",
)
#: An event type's text (`.value` on an Enum member is a descriptor call).
_TYPE_TEXT = {t: t.value for t in EventType}
#: The keys whose values `_insert_pulled` converts (the others go to SQLite as they are).
_CONVERTED = frozenset({"payload", "occurred_at", "recorded_at", "server_received_at"})


def _insert_pulled(conn: Any, events: list[PulledEvent], raws: list[Any] | None = None) -> None:
    """INSERT pulled events: each row a tuple built straight from its checked event, with
    the columns' own processors (app.models.bulk.insert_plan), so the stored text is what
    `insert_rows` of `_pulled_row` writes (tests/sync/test_pull_same_rows.py), without a
    dict per row and the time converted to UTC once instead of twice (a tenth of the
    desk's Python time in a 100,000-event pull)."""
    table = cast(Table, Event.__table__)
    if conn.dialect.name != "sqlite":
        insert_rows(conn, table, [_pulled_row(e) for e in events])
        return
    sql, procs = insert_plan(conn, table, _EVENT_KEYS)
    by_key = dict(zip(_EVENT_KEYS, procs, strict=True))
    if any(p is not None for k, p in by_key.items() if k not in _CONVERTED):
        insert_rows(conn, table, [_pulled_row(e) for e in events])  # a column type changed
        return
    ident: Any = lambda v: v  # noqa: E731
    payload_text = by_key["payload"] or ident
    occurred_text = by_key["occurred_at"] or ident
    recorded_text = by_key["recorded_at"] or ident
    received_text = by_key["server_received_at"] or ident
    occurred = _time_texts(events, raws, "occurred_at", occurred_text)
    recorded = _time_texts(events, raws, "recorded_at", recorded_text)
    recorded = [o if r is None else r for r, o in zip(recorded, occurred, strict=True)]
    received = _time_texts(events, raws, "server_received_at", received_text)
    conn.exec_driver_sql(
        sql,
        [
            (
                e.id,
                e.desk_id,
                e.desk_seq,
                e.office_id,
                e.dossier_id,
                _TYPE_TEXT[e.type],
                payload_text(e.payload),
                e.officer_id,
                o,
                r,
                "remote",
                SYNC_ACCEPTED,
                e.server_seq,
                v,
                None,
            )
            for e, o, r, v in zip(events, occurred, recorded, received, strict=True)
        ],
    )


def _time_texts(
    events: list[PulledEvent], raws: list[Any] | None, key: str, text: Any
) -> list[str | None]:
    """One time column of the pulled events as stored: from the wire's own text when it
    is in the form stored times are cut from (`wire_utc_text`), else the parsed time
    converted by the column's processor `text`; None where the time is absent."""
    values = [getattr(e, key) for e in events]
    if raws is None or not is_sqlite_utc(text):
        return [None if v is None else text(v) for v in values]
    return [
        None if v is None else (wire_utc_text(r.get(key)) or text(v))
        for v, r in zip(values, raws, strict=True)
    ]


def _fold_postal(s: Session, rows: list[dict[str, Any]], report: SyncReport) -> None:
    """Postal hand-over events (this office's, or routed here from the other side of a
    hand-over) fold into the consignment and record tables, in server order."""
    for r in sorted(rows, key=lambda r: r["server_seq"]):
        try:
            with s.begin_nested():
                fold_postal(s, SimpleNamespace(**r))
                s.flush()
        except (DomainError, IntegrityError, KeyError, ValueError):
            report.projection_errors += 1


_SERVER_SEQ = attrgetter("server_seq")


def _fold_new(
    s: Session,
    touched: dict[str, list[PulledEvent]],
    stats: dict[str, tuple[int, int | None, int]],
    existing: dict[str, DossierState],
) -> list[str]:
    """Fold new events on top of their dossier when they come after everything it holds,
    and write the page's dossiers in bulk; the ids of the dossiers that need a full refold
    instead (out of order, pending)."""
    refold: list[str] = []
    events = {d_id: sorted(new, key=_SERVER_SEQ) for d_id, new in touched.items()}
    lookup = load_lookup(s, [ev for evs in events.values() for ev in evs])
    folded: dict[str, DossierState] = {}
    for d_id, evs in events.items():
        count, top, pending = stats.get(d_id, (0, None, 0))
        d = existing.get(d_id)
        in_order = pending == 0 and (top is None or top < evs[0].server_seq)
        if not in_order or (count == 0) != (d is None):
            refold.append(d_id)
            continue
        try:
            for ev in evs:
                d = fold_event(d, ev, lookup, remote=True)
        except DomainError:  # e.g. a change that arrived before its dossier
            refold.append(d_id)
            continue
        assert d is not None
        folded[d_id] = d
    store_states(s, folded, existing)
    return refold


def _pull(
    sessions: sessionmaker[Session], client: CentralClient, report: SyncReport, limit: int
) -> None:
    """Pull pages from the stored cursor; the next page downloads while this one is stored.

    The cursor is saved in the same transaction as the page it follows, so a crash at any
    point resumes from the last committed page (and a page stored twice is harmless:
    events are inserted by UUID). A transaction takes the next page too while that page is
    already here, while it holds under PULL_TX_EVENTS events and has been open under
    PULL_TX_SECONDS.
    """
    with sessions() as s0:
        cursor = get_setting(s0, K_CURSOR) or None
    big_cache = {"cache_size": -65536}  # 64 MB while storing: UUID keys touch pages at random
    s: Session | None = None  # the open transaction: up to PULL_TX_EVENTS events
    held, opened = 0, 0.0
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="onestop-pull") as pool:
        ahead: Future[dict[str, Any]] | None = None
        while True:
            waited = time.perf_counter()
            try:
                page = ahead.result() if ahead is not None else client.pull(cursor, limit)
            except CursorGone:
                if cursor is None:
                    raise
                report.cursor_reset = True
                with sessions.begin() as s0:
                    set_setting(s0, K_CURSOR, "")
                cursor, ahead = None, None
                continue
            finally:
                report.pull_waited_s += time.perf_counter() - waited
            ahead, next_cursor = None, page["next_cursor"]
            try:
                # No automatic garbage collection while a page is decoded and stored (see
                # app.gcpause: it was 2.75 s of a 100,000-event pull's 9.6 s of CPU).
                with gcpause.paused():
                    if page.get("has_more"):
                        ahead = pool.submit(client.pull, next_cursor, limit)
                    if s is None:
                        s = sessions()
                        s.begin()
                        opened = time.perf_counter()
                    if page["events"]:
                        for pragma, value in big_cache.items():
                            s.execute(text(f"PRAGMA {pragma}={value}"))
                        _store_page(s, page["events"], report)
                    # The cursor goes in the transaction of the page it follows: a crash
                    # loses the open transaction's pages and their cursor together.
                    set_setting(s, K_CURSOR, next_cursor)
                    held += len(page["events"])
                    pulled = len(page["events"])
                    del page
                    report.pulled += pulled
                    # Kept open only for a next page already here and read: never while
                    # waiting for the network (the desk's own writes wait for the lock).
                    if (
                        ahead is None
                        or not ahead.done()
                        or ahead.exception() is not None
                        or held >= PULL_TX_EVENTS
                        or time.perf_counter() - opened >= PULL_TX_SECONDS
                    ):
                        s.commit()
                        s.close()
                        s, held = None, 0
                    if ahead is not None:
                        waited = time.perf_counter()
                        ahead.exception()  # the next page decoded before the collector runs
                        report.pull_waited_s += time.perf_counter() - waited
            except BaseException:
                if s is not None:
                    s.rollback()
                    s.close()
                    s = None
                if ahead is not None:
                    ahead.cancel()
                raise
            cursor = next_cursor
            if ahead is None:
                return


# --- documents and code blocks -----------------------------------------------------------


def _load_catalogue(s: Session, doc: dict[str, Any]) -> None:
    from app.services.catalogue_service import load_catalogue_document

    load_catalogue_document(s, doc, source="central")


def _documents(sessions: sessionmaker[Session], client: CentralClient, report: SyncReport) -> None:
    with sessions() as s:
        have_cat, have_cal = get_setting(s, K_CAT_VERSION), get_setting(s, K_CAL_VERSION)
    cat = client.document("catalogue", have_cat or None)
    if cat is not None and not cat.get("unchanged") and cat.get("document"):
        with sessions.begin() as s:
            _load_catalogue(s, cat["document"])
            set_setting(s, K_CAT_VERSION, cat["version"])
        report.catalogue_version = cat["version"]
    cal = client.document("calendar", have_cal or None)
    if cal is not None and not cal.get("unchanged") and cal.get("document"):
        from app.services.calendar_service import import_overrides

        with sessions.begin() as s:
            import_overrides(s, cal["document"], replace=True)
            set_setting(s, K_CAL_VERSION, cal["version"])
        report.calendar_version = cal["version"]


def _blocks(
    sessions: sessionmaker[Session],
    client: CentralClient,
    report: SyncReport,
    today: date | None = None,
    *,
    only_report: bool = False,
) -> None:
    today = today or datetime.now(ZONE).date()
    days = [today + timedelta(days=i) for i in range(BLOCK_DAYS_AHEAD + 1)]
    with sessions() as s:
        office = s.get(Office, get_setting(s, "desk.office_id"))
        if office is None:
            return
        need: list[date] = []
        in_use: dict[date, int] = {}
        held: dict[date, list[tuple[int, int]]] = {}
        for day in days:
            left = 0
            for b in s.scalars(
                select(CodeBlock).where(CodeBlock.agency_code == office.code, CodeBlock.day == day)
            ):
                if b.source == "central":
                    left += max(0, b.last - b.next + 1)
                    # Every central block held, used or not: a central restored from a
                    # backup learns them again and plans other desks' blocks above them.
                    held.setdefault(day, []).append((b.first, b.last))
                elif b.source == "local" and b.next > b.first:
                    in_use[day] = max(in_use.get(day, 0), b.next - 1)
            if left < REFILL_BELOW:
                need.append(day)
    if only_report:
        need = []
    elif not need and not report.report_blocks:
        return
    answer = client.code_blocks(need, size=BLOCK_SIZE, in_use=in_use, held=held)
    report.report_blocks = False
    with sessions.begin() as s:
        for c in answer.get("conflicts") or []:
            # Another desk holds these numbers too (the central had forgotten this block):
            # draw no further number from it.
            for b in s.scalars(
                select(CodeBlock).where(
                    CodeBlock.source == "central",
                    CodeBlock.day == date.fromisoformat(c["day"]),
                    CodeBlock.first == int(c["first"]),
                    CodeBlock.last == int(c["last"]),
                )
            ):
                b.next = max(b.next, b.last + 1)
                report.block_conflicts += 1
        for b in answer["blocks"]:
            first, last = int(b["first"]), int(b["last"])
            s.add(
                CodeBlock(
                    agency_code=b["agency_code"],
                    day=date.fromisoformat(b["day"]),
                    first=first,
                    last=last,
                    next=first,
                    source="central",
                )
            )
            report.blocks_added += 1


# --- one round ---------------------------------------------------------------------------


def sync_once(
    target: Any,
    *,
    client: CentralClient | None = None,
    timeout: float = 30.0,
    push_batch: int = PUSH_BATCH,
    pull_limit: int = PULL_LIMIT,
    documents: bool = True,
    blocks: bool = True,
    files: bool = True,
) -> SyncReport:
    """One full round: documents, push, pull, code blocks, each on its own.

    A step that fails does not stop the others: a push the central keeps refusing with a
    server error still lets the desk pull (and the other way round). Only when the central
    cannot be reached at all, or refuses this desk, are the remaining steps skipped. The
    first failure is raised at the end (with `.report` holding what did get through);
    SyncUnavailable when unreachable, CentralError on a server error, SyncRefused when
    this desk is refused.
    """
    sessions = _sessions(target)
    own = client is None
    client = client or _client_for(sessions, timeout, _desk_clock(target))
    report = SyncReport()
    steps: list[tuple[str, Any]] = []
    if documents:
        steps.append(("documents", lambda: _documents(sessions, client, report)))
    steps.append(("push", lambda: _push(sessions, client, report, push_batch)))
    # Digitised files after the events that name them (app.sync.files).
    if files:
        steps.append(("files", lambda: upload_pending(sessions, client, report)))
    steps.append(("pull", lambda: _pull(sessions, client, report, pull_limit)))
    if blocks:
        steps.append(("blocks", lambda: _blocks(sessions, client, report)))
    failures: list[SyncError] = []
    try:
        for name, step in steps:
            try:
                step()
            except SyncError as exc:
                report.failed[name] = str(exc)[:300]
                failures.append(exc)
                unreachable = isinstance(exc, SyncUnavailable) and not isinstance(exc, CentralError)
                if unreachable or isinstance(exc, SyncRefused):
                    break
            else:
                if name in ("push", "pull"):
                    with sessions.begin() as s:
                        set_setting(s, K_LAST_OK[name], _desk_time(target))
    finally:
        if own:
            client.close()
    report.clock_skew_s = client.last_skew_s
    report.clock_source = client.last_skew_source
    with sessions.begin() as s:
        if report.clock_skew_s is not None:
            set_setting(s, K_SKEW, f"{report.clock_skew_s:.3f}")
            if isinstance(target, DeskContext):  # its later dates follow the new offset
                target.clock_correction_s = correction_s(s, _desk_clock(target)())
        refused = any(isinstance(f, SyncRefused) and f.status_code == 401 for f in failures)
        if refused and not get_setting(s, K_REFUSED_AT):
            set_setting(s, K_REFUSED_AT, _desk_time(target))
        elif not refused and len(failures) < len(steps):
            set_setting(s, K_REFUSED_AT, "")  # the central took part of the round
        if failures:
            set_setting(s, K_LAST_ERROR, f"{_desk_time(target)} {failures[0]}"[:500])
        else:
            set_setting(s, K_LAST_GOOD, _desk_time(target))
            set_setting(s, K_LAST_ERROR, "")
    if failures:
        first = failures[0]
        first.report = report  # type: ignore[attr-defined]
        raise first
    return report


def report_json(report: SyncReport) -> str:
    data = dict(report.__dict__)
    data["clock_warning"] = report.clock_warning
    return json.dumps(data, ensure_ascii=False)


# --- a lost database rebuilt from the central ---------------------------------------------


class NeverPaired(SyncError):
    """No central address or no desk token outside the database: nothing to rebuild from."""


@dataclass(frozen=True)
class RebuildResult:
    desk_name: str
    office_code: str
    url: str
    #: Where the database that was in place went (None: there was none).
    aside: Any


def rebuild_from_central(data_dir: Any, url: str | None = None) -> RebuildResult:
    """A paired desk whose database is lost or damaged gets a new one from the central.

    Built beside (``rebuild.part``) with the same desk and token (kept outside the
    database: keyring or 0600 file), and only then put in place; the database that was
    there is kept aside, never overwritten. The central keeps no officer accounts: the
    desk starts at its first-run page for an administrator. The one path of
    `onestop rebuild-from-central` and of the damaged-database screen.
    """
    import shutil
    from pathlib import Path

    from app.config import DB_FILENAME
    from app.models.dbcheck import read_identity
    from app.services.backup import move_aside
    from app.services.bootstrap import open_desk

    data_dir = Path(data_dir)
    url = url or (read_identity(data_dir) or {}).get("central_url", "")
    token = credentials.load_token(data_dir, "@keyring") or credentials.load_token(
        data_dir, "@file"
    )
    if not url or not token:
        raise NeverPaired(
            "Quầy chưa từng kết nối máy chủ (không có địa chỉ hoặc khoá quầy) / this desk was "
            "never paired (no central address or desk token): restore a backup instead"
        )
    work = data_dir / "rebuild.part"
    shutil.rmtree(work, ignore_errors=True)
    ctx = open_desk(work, check=False)
    try:
        result = connect(ctx, url, token)
    except BaseException:
        ctx.close()
        credentials.forget_token(work)
        shutil.rmtree(work, ignore_errors=True)
        raise
    ctx.close()
    credentials.forget_token(work)
    db = data_dir / DB_FILENAME
    aside = move_aside(db, datetime.now(UTC)) if db.exists() else None
    (work / DB_FILENAME).replace(db)
    shutil.rmtree(work, ignore_errors=True)
    open_desk(data_dir).close()  # passes the start-up check; identity file refreshed
    return RebuildResult(result.desk_name, result.office_code, url, aside)
