"""Guard rails before a desk issues a code: its clock, how long it has been offline, how
much it holds unsynced, and whether the central still accepts it.

The MOSIP registration client's lesson (../shared/anchors.md): a desk that drifts from
the centre must stop on its own, with limits generous enough that an ordinary outage of a
few days never stops a counter, and a supervisor who can take responsibility to go on.

- Clock: every sync measures the central's clock against the desk's (`sync.clock_skew_s`);
  beyond 2 minutes the status bar warns; beyond 1 hour, or when the desk clock is earlier
  than its own latest event, intake is blocked with a message for IT. A supervisor may
  override; codes and due dates are then dated by the desk clock corrected by the last
  measured offset, never by the clock known to be wrong.
- Offline limits (paired desks): the most unsynced dossiers and the longest time without
  a good sync, from the settings; past either, intake is refused until a sync succeeds or
  a supervisor overrides.
- Revocation: when the central refuses the desk's token (401) the desk says so and, after
  a grace period, issues no more receipts. No override: only re-pairing or the central's
  explicit reinstatement ends it.

Overrides last `OVERRIDE_HOURS` and are recorded as `guard_overridden` events (who, when,
what, the measured facts), pushed to the central like every event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import bindparam, distinct, func, select
from sqlalchemy.orm import Session

from app.domain.errors import DomainError
from app.domain.lifecycle import DESK_EVENTS, EventType
from app.domain.messages import register, tr
from app.domain.text import nfc
from app.models import Event
from app.models.events import SYNC_LOCAL, SYNC_QUEUED, SYNC_SENT
from app.services.context import DeskContext, get_setting, set_setting

CLOCK_WARN_S = 120.0
CLOCK_BLOCK_S = 3600.0
#: The desk clock may be this much earlier than its latest event before it counts as
#: "going back in time" (two desks' events, rounding).
BEHIND_TOLERANCE_S = 120.0
OVERRIDE_HOURS = 8

CLOCK_FAR = "clock_far"
CLOCK_BEHIND = "clock_behind"
OFFLINE_LONG = "offline_long"
UNSYNCED_MANY = "unsynced_many"
REVOKED = "revoked"
OVERRIDABLE = (CLOCK_FAR, CLOCK_BEHIND, OFFLINE_LONG, UNSYNCED_MANY)
_DESK_TYPES = [t.value for t in DESK_EVENTS]

register(
    {
        "guard.clock_far": {
            "vi": "Đồng hồ máy này lệch {minutes} phút so với máy chủ trung tâm. Không tiếp "
            "nhận hồ sơ để tránh mã hồ sơ và ngày hẹn sai. Bộ phận CNTT: chỉnh ngày giờ và "
            "múi giờ (UTC+7) của máy, bật đồng bộ thời gian tự động, rồi đồng bộ lại.",
            "en": "This PC's clock is {minutes} minutes off the central's. Intake is blocked "
            "so codes and appointment dates are not wrong. IT: set the PC's date, time and "
            "time zone (UTC+7), turn on automatic time, then sync again.",
        },
        "guard.clock_behind": {
            "vi": "Đồng hồ máy này ({now}) sớm hơn hồ sơ cuối cùng quầy đã lập ({latest}): "
            "đồng hồ đã bị lùi. Bộ phận CNTT: chỉnh lại ngày giờ của máy (pin CMOS?).",
            "en": "This PC's clock ({now}) is earlier than the desk's latest dossier "
            "({latest}): the clock went back. IT: correct the PC's date and time (CMOS "
            "battery?).",
        },
        "guard.offline_long": {
            "vi": "Quầy chưa đồng bộ được với máy chủ {hours} giờ (giới hạn {limit} giờ). "
            "Hãy kiểm tra mạng và đồng bộ; giám sát viên có thể cho phép tiếp tục.",
            "en": "The desk has not synced for {hours} hours (limit {limit}). Check the "
            "network and sync; a supervisor may allow work to go on.",
        },
        "guard.unsynced_many": {
            "vi": "Quầy đang giữ {n} hồ sơ chưa đồng bộ (giới hạn {limit}). Hãy kết nối và "
            "đồng bộ; giám sát viên có thể cho phép tiếp tục.",
            "en": "The desk holds {n} unsynced dossiers (limit {limit}). Connect and sync; "
            "a supervisor may allow work to go on.",
        },
        "guard.revoked": {
            "vi": "Máy chủ trung tâm đã thu hồi quyền của quầy này từ {since}; quầy không "
            "được cấp phiếu tiếp nhận nữa. Liên hệ quản trị hệ thống để kết nối lại.",
            "en": "The central service revoked this desk on {since}; it may issue no more "
            "receipts. Ask the system administrator to pair it again.",
        },
        "guard.clock_warn": {
            "vi": "Đồng hồ lệch {seconds} giây so với máy chủ",
            "en": "Clock {seconds} s off the central",
        },
        "guard.revoked_grace": {
            "vi": "Quầy đã bị máy chủ thu hồi quyền; còn {hours} giờ trước khi ngừng tiếp nhận",
            "en": "The central revoked this desk; intake stops in {hours} h",
        },
        "guard.not_overridable": {
            "vi": "Không thể cho phép vượt giới hạn này.",
            "en": "This limit cannot be overridden.",
        },
        "guard.blocked": {"vi": "Không tiếp nhận được hồ sơ", "en": "Intake is blocked"},
    }
)


@dataclass(frozen=True)
class Block:
    kind: str
    message: str

    @property
    def overridable(self) -> bool:
        return self.kind in OVERRIDABLE


@dataclass(frozen=True)
class GuardState:
    """What the desk may do now; `blocks` empty means intake may go on."""

    blocks: tuple[Block, ...] = ()
    warnings: tuple[str, ...] = ()
    #: central − desk, seconds, from the last sync (None before any).
    clock_offset_s: float | None = None
    #: Active overrides: kind → until.
    overrides: dict[str, datetime] = field(default_factory=dict)
    revoked_since: datetime | None = None


class IntakeBlocked(DomainError):
    """Intake refused by a guard rail; `blocks` say why (and which a supervisor may lift)."""

    def __init__(self, blocks: tuple[Block, ...]) -> None:
        self.blocks = blocks
        super().__init__(blocks[0].kind, "\n\n".join(b.message for b in blocks))


def _dt(value: str) -> datetime | None:
    try:
        out = datetime.fromisoformat(value) if value else None
    except ValueError:
        return None
    if out is not None and out.tzinfo is None:
        out = out.replace(tzinfo=UTC)
    return out


def _float(value: str, default: float) -> float:
    try:
        return float(value)
    except ValueError:
        return default


def _base_now(ctx: DeskContext) -> datetime:
    """The desk's own clock, uncorrected: what the guard measures."""
    return ctx.clock()  # type: ignore[operator,no-any-return]


def correction_s(session: Session, base_now: datetime) -> float:
    """Seconds to add to the desk clock so nothing is dated by a clock the desk knows is
    wrong: the last measured offset when it is past the 2-minute warning or a clock
    override is in force, else 0 (a few seconds of drift are not worth a correction)."""
    raw = get_setting(session, "sync.clock_skew_s")
    if not raw:
        return 0.0
    offset = _float(raw, 0.0)
    if abs(offset) > CLOCK_WARN_S:
        return offset
    for kind in (CLOCK_FAR, CLOCK_BEHIND):
        until = _dt(get_setting(session, f"guard.override.{kind}"))
        if until is not None and until > base_now:
            return offset
    return 0.0


def desk_now(ctx: DeskContext, session: Session) -> datetime:
    """The guarded desk clock for a use case, read in its own transaction; the context
    keeps the correction so its later `now()` calls agree."""
    ctx.clock_correction_s = correction_s(session, _base_now(ctx))
    return ctx.now()


#: The desk's own newest dossier event (built once: it runs before every intake).
_LATEST = (
    select(Event.occurred_at)
    .where(Event.desk_id == bindparam("desk_id"), Event.type.not_in(_DESK_TYPES))
    .order_by(Event.desk_seq.desc())
    .limit(1)
)


def check(ctx: DeskContext) -> GuardState:
    """The guard rails as they stand (one read)."""
    with ctx.read() as s:
        return check_in(s, _base_now(ctx))


def check_in(s: Session, now: datetime) -> GuardState:
    """The guard rails as `s` sees them at the desk clock's `now` (intake runs this inside
    its own write transaction: what it checks is what it writes under, and a separate read
    transaction per dossier cost more than the checks themselves)."""
    paired = bool(get_setting(s, "sync.central_url"))
    skew_raw = get_setting(s, "sync.clock_skew_s")
    offset = _float(skew_raw, 0.0) if skew_raw else None
    desk_id = get_setting(s, "desk.id")
    # The desk's own newest event by its sequence: the (desk_id, desk_seq) index, not
    # a scan of the log (this runs before every intake).
    latest = s.connection().execute(_LATEST, {"desk_id": desk_id}).scalar()
    overrides = {}
    for kind in OVERRIDABLE:
        until = _dt(get_setting(s, f"guard.override.{kind}"))
        if until is not None and until > now:
            overrides[kind] = until
    last_good = _dt(get_setting(s, "sync.last_good_sync"))
    paired_at = _dt(get_setting(s, "sync.paired_at"))
    refused_at = _dt(get_setting(s, "sync.refused_at"))
    max_hours = _float(get_setting(s, "guard.max_offline_hours"), 168.0)
    max_unsynced = int(_float(get_setting(s, "guard.max_unsynced_dossiers"), 2000))
    grace_h = _float(get_setting(s, "guard.revoked_grace_hours"), 24.0)
    unsynced = 0
    if paired:
        unsynced = int(
            s.scalar(
                select(func.count(distinct(Event.dossier_id))).where(
                    Event.sync_state.in_([SYNC_LOCAL, SYNC_QUEUED, SYNC_SENT]),
                    Event.type.not_in(_DESK_TYPES),
                )
            )
            or 0
        )
    if latest is not None and latest.tzinfo is None:
        latest = latest.replace(tzinfo=UTC)
    blocks: list[Block] = []
    warnings: list[str] = []
    if offset is not None and abs(offset) > CLOCK_BLOCK_S and CLOCK_FAR not in overrides:
        blocks.append(Block(CLOCK_FAR, tr("guard.clock_far", minutes=int(abs(offset) // 60))))
    elif offset is not None and abs(offset) > CLOCK_WARN_S:
        warnings.append(tr("guard.clock_warn", seconds=int(offset)))
    corrected_now = now + timedelta(seconds=offset or 0)
    if (
        latest is not None
        and corrected_now < latest - timedelta(seconds=BEHIND_TOLERANCE_S)
        and CLOCK_BEHIND not in overrides
    ):
        blocks.append(
            Block(
                CLOCK_BEHIND,
                tr(
                    "guard.clock_behind",
                    now=now.strftime("%d/%m/%Y %H:%M UTC"),
                    latest=latest.strftime("%d/%m/%Y %H:%M UTC"),
                ),
            )
        )
    if paired:
        since = last_good or paired_at
        if since is not None and max_hours > 0 and OFFLINE_LONG not in overrides:
            hours = (now - since).total_seconds() / 3600
            if hours > max_hours:
                blocks.append(
                    Block(
                        OFFLINE_LONG,
                        tr("guard.offline_long", hours=int(hours), limit=int(max_hours)),
                    )
                )
        if max_unsynced > 0 and unsynced >= max_unsynced and UNSYNCED_MANY not in overrides:
            blocks.append(
                Block(UNSYNCED_MANY, tr("guard.unsynced_many", n=unsynced, limit=max_unsynced))
            )
        if refused_at is not None:
            left = grace_h - (now - refused_at).total_seconds() / 3600
            if left <= 0:
                blocks.append(
                    Block(REVOKED, tr("guard.revoked", since=refused_at.strftime("%d/%m/%Y %H:%M")))
                )
            else:
                warnings.append(tr("guard.revoked_grace", hours=max(1, int(left))))
    return GuardState(tuple(blocks), tuple(warnings), offset, overrides, refused_at)


def before_intake(ctx: DeskContext) -> None:
    """Raise `IntakeBlocked` when a guard rail stops intake; else make sure codes and due
    dates use the corrected clock when the clock was overridden."""
    state = check(ctx)
    if state.blocks:
        raise IntakeBlocked(state.blocks)
    apply_clock(ctx, state)


def before_intake_in(ctx: DeskContext, session: Session) -> None:
    """`before_intake` inside the intake's own transaction (one transaction per dossier,
    not a read and then a write)."""
    state = check_in(session, _base_now(ctx))
    if state.blocks:
        raise IntakeBlocked(state.blocks)
    apply_clock(ctx, state)


def apply_clock(ctx: DeskContext, state: GuardState) -> None:
    """Date by the desk clock + the last measured offset whenever the desk knows its clock
    is off (past the 2-minute warning, or under a clock override); see `correction_s`."""
    clock_overridden = CLOCK_FAR in state.overrides or CLOCK_BEHIND in state.overrides
    off = state.clock_offset_s is not None and abs(state.clock_offset_s) > CLOCK_WARN_S
    if (clock_overridden or off) and state.clock_offset_s is not None:
        ctx.clock_correction_s = state.clock_offset_s
    else:
        ctx.clock_correction_s = 0.0


def override(ctx: DeskContext, actor_id: str | None, kinds: list[str], reason: str) -> GuardState:
    """A supervisor lets intake go on past the listed blocks for OVERRIDE_HOURS.

    Recorded as a `guard_overridden` event (who, until when, why, the measured facts) in
    the same transaction as the override itself: it goes through the outbox to the
    central, where `onestop-central overrides` lists it.
    """
    from app.services.event_log import record_desk_event
    from app.services.setup import current_desk, require

    if not kinds or any(k not in OVERRIDABLE for k in kinds):
        raise DomainError("guard.not_overridable", tr("guard.not_overridable"))
    before = check(ctx)
    now = _base_now(ctx)
    until = now + timedelta(hours=OVERRIDE_HOURS)
    with ctx.transaction() as s:
        actor = require(s, actor_id, "override")
        desk = current_desk(s)
        if desk is None:
            raise DomainError("guard.not_overridable", tr("guard.not_overridable"))
        for kind in kinds:
            set_setting(s, f"guard.override.{kind}", until.isoformat())
        record_desk_event(
            s,
            desk_id=desk.desk_id,
            office_id=desk.office_id,
            type=EventType.GUARD_OVERRIDDEN.value,
            payload={
                "kinds": list(kinds),
                "blocks": [b.kind for b in before.blocks],
                "until": until.isoformat(),
                "reason": nfc(reason)[:200],
                "by": actor.username,
                "clock_offset_s": before.clock_offset_s,
            },
            officer_id=actor.id,
            # Dated by the corrected clock when the offset is known (the override of a
            # clock known to be wrong must not carry that wrong time itself).
            occurred_at=now + timedelta(seconds=before.clock_offset_s or 0.0),
        )
    state = check(ctx)
    apply_clock(ctx, state)
    return state


def audit_log(ctx: DeskContext) -> list[dict[str, object]]:
    """The overrides given at this desk, oldest first: their payload plus the event's id,
    time and sync state (the local list of what the central's `overrides` shows)."""
    with ctx.read() as s:
        rows = s.scalars(
            select(Event)
            .where(Event.type == EventType.GUARD_OVERRIDDEN.value)
            .order_by(Event.occurred_at, Event.desk_seq)
        )
        return [
            {
                **(e.payload or {}),
                "event_id": e.id,
                "at": e.occurred_at.isoformat(),
                "sync_state": e.sync_state,
            }
            for e in rows
        ]
