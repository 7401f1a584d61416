"""Supervisor reports: overdue control, the daily summary and the periodic form II.06a.

Why here: the figures are SQL aggregates over the dossier projection and the event log, so
one module serves the desk (SQLite, the office's history pulled through sync) and the
central service (PostgreSQL, many offices). Nothing here loads a year of rows into Python:
every report is a handful of grouped queries over indexed columns. On the desk, II.06a
(and the summary's "overdue carried") sums the per-day and per-month totals the fold keeps
(app.services.day_totals; `_ii06a_days`); the plain count over the dossier rows
(`_ii06a_counts`: the fold keeps each dossier's settlement on its row, read through the
covering `ix_dossiers_settled`, or `ix_dossiers_office_settled` on the central's
PostgreSQL) serves the central's report by office and is the reference the totals are
tested against. The summaries count the period's events from the per-day event totals the
writers keep (app.services.event_totals: `event_day_totals`, and
`event_procedure_day_totals` for a procedure); their plain query over the events
(`daily_summary(plain=True)`, through `ix_events_type_occurred` on type and time) is the
reference those are tested against. Overdue control reads the open dossiers
(`ix_dossiers_status_due`).

Days are Vietnam days (UTC+7, no daylight saving): a period's bounds become UTC instants,
and an event's day is its UTC time plus seven hours.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Date, and_, case, cast, func, literal, or_, select, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app.domain.errors import FieldError, ValidationFailed
from app.domain.lifecycle import Status, status_label
from app.domain.messages import register, tr
from app.models import (
    Dossier,
    DossierDayTotal,
    DossierMonthTotal,
    Event,
    Office,
    Officer,
    Procedure,
)
from app.models.events import FEEDBACK_INDICES, IS_FEEDBACK, feedback_score
from app.services import day_totals, event_totals
from app.services.calendar_service import load_calendar
from app.services.context import DeskContext
from app.services.setup import current_desk

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
OPEN = (Status.RECEIVED.value, Status.IN_PROGRESS.value)
ONLINE_CHANNELS = ("online", "interconnected")
DAILY_EVENTS = (
    "received",
    "supplement_received",
    "supplement_requested",
    "refused",
    "transferred",
)
#: How long an applicant may take to bring a requested supplement before the dossier shows
#: in overdue control. No rule read so far sets this (Decree 61/2018 Art. 19(4) sets only the
#: agency's 3 working days to ask): it is the office's own follow-up threshold, not law.
SUPPLEMENT_WAIT_DAYS = 30
MAX_PERIOD_DAYS = 366 * 5
FIELD_NAMES = {
    "BHXH": "Bảo hiểm xã hội",
    "BHYT": "Bảo hiểm y tế",
    "BHTN": "Bảo hiểm thất nghiệp",
}

register(
    {
        "report.range": {
            "vi": "Ngày kết thúc phải từ ngày bắt đầu trở đi.",
            "en": "The end date must not be before the start date.",
        },
        "report.too_long": {
            "vi": "Kỳ báo cáo dài quá 5 năm.",
            "en": "The period is longer than 5 years.",
        },
        "report.no_office": {
            "vi": "Không có đơn vị nào khớp: {what}.",
            "en": "No office matches: {what}.",
        },
        "report.control.due_today": {"vi": "Đến hạn hôm nay", "en": "Due today"},
        "report.control.due_next": {
            "vi": "Đến hạn ngày làm việc tiếp theo",
            "en": "Due next working day",
        },
        "report.control.overdue": {"vi": "Quá hạn", "en": "Overdue"},
        "report.control.supplement": {
            "vi": "Chờ bổ sung quá {days} ngày",
            "en": "Waiting for a supplement over {days} days",
        },
        "report.control.ready": {
            "vi": "Có kết quả, chưa trả",
            "en": "Result ready, not collected",
        },
    }
)


# -- periods and scope ----------------------------------------------------------------------


def utc_bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    """[start of `date_from`, start of the day after `date_to`) in UTC."""
    start = datetime.combine(date_from, time(0), ZONE).astimezone(UTC)
    end = datetime.combine(date_to + timedelta(days=1), time(0), ZONE).astimezone(UTC)
    return start, end


def check_period(date_from: date, date_to: date) -> None:
    """A reason next to the "to" field instead of an empty or absurd report."""
    if date_to < date_from:
        raise ValidationFailed([FieldError("to", "report.range", tr("report.range"))])
    if (date_to - date_from).days > MAX_PERIOD_DAYS:
        raise ValidationFailed([FieldError("to", "report.too_long", tr("report.too_long"))])


@dataclass(frozen=True)
class Scope:
    """Whose dossiers: offices (none = every office in the database), and optionally one
    desk, one officer (who received), one procedure."""

    office_ids: tuple[str, ...] = ()
    desk_id: str | None = None
    officer_id: str | None = None
    procedure_code: str | None = None

    def dossier_filter(self, *, keys: bool = True) -> list[ColumnElement[bool]]:
        """The scope as conditions on dossiers. `keys=False` writes office, desk and officer
        so that no index can serve them: a report driven by another index then filters
        on its columns instead of being planned through ix_dossiers_office_received (a
        range over the office's whole history, each row read from the table and sorted)."""

        def col(c: Any) -> Any:
            return c if keys else c.concat("")

        out: list[ColumnElement[bool]] = []
        if self.office_ids:
            out.append(col(Dossier.office_id).in_(self.office_ids))
        if self.desk_id:
            out.append(col(Dossier.desk_id) == self.desk_id)
        if self.officer_id:
            out.append(col(Dossier.officer_id) == self.officer_id)
        if self.procedure_code:
            out.append(Dossier.procedure_code == self.procedure_code)
        return out


def local_day(session: Session, col: Any) -> ColumnElement[Any]:
    """The Vietnam calendar day of a UTC timestamp column, in SQL."""
    if session.get_bind().dialect.name == "sqlite":
        return func.date(col, "+7 hours")
    return cast(func.timezone("Asia/Ho_Chi_Minh", col), Date)


def _day_text(session: Session, d: date) -> Any:
    """A date literal comparable with `local_day` on this dialect."""
    return d.isoformat() if session.get_bind().dialect.name == "sqlite" else d


def _int(v: Any) -> int:
    return int(v or 0)


# -- 1. overdue control -----------------------------------------------------------------------


@dataclass(frozen=True)
class ControlRow:
    dossier_id: str
    code: str
    procedure_code: str
    procedure_name: str
    full_name: str
    received_at: datetime
    due_date: date | None
    status: str
    status_label: str
    #: Calendar days past the due date (overdue), waiting (supplement) or since the result.
    days: int
    since: date | None


@dataclass(frozen=True)
class ControlList:
    key: str
    title: str
    total: int
    rows: list[ControlRow]


@dataclass(frozen=True)
class OverdueControl:
    today: date
    next_day: date
    lists: list[ControlList]

    def by_key(self, key: str) -> ControlList:
        return next(x for x in self.lists if x.key == key)


@dataclass(frozen=True)
class DeskCounts:
    """What the status bar shows for the signed-in officer's own desk."""

    overdue: int
    due_today: int
    due_next: int
    supplement_waiting: int
    ready: int


def _by_dossier(col: Any) -> Any:
    """`col` made unusable as an index key, so a per-dossier look-up goes through
    ix_events_dossier. Without this SQLite picked ix_events_type_occurred for "the latest
    result_ready event of this dossier" and walked every event of that type for each
    dossier: 47 s for overdue control at 20,000 dossiers instead of milliseconds."""
    return col.concat("")


def _since(etype: str) -> Any:
    """The latest `etype` event time of the dossier (correlated; uses ix_events_dossier)."""
    return (
        select(func.max(Event.occurred_at))
        .where(Event.dossier_id == Dossier.id, _by_dossier(Event.type) == etype)
        .correlate(Dossier)
        .scalar_subquery()
    )


def _control_conditions(
    session: Session, today: date, next_day: date
) -> dict[str, list[ColumnElement[bool]]]:
    cutoff = datetime.combine(
        today - timedelta(days=SUPPLEMENT_WAIT_DAYS), time(0), ZONE
    ).astimezone(UTC)
    return {
        "due_today": [Dossier.status.in_(OPEN), Dossier.due_date == today],
        "due_next": [Dossier.status.in_(OPEN), Dossier.due_date == next_day],
        "overdue": [Dossier.status.in_(OPEN), Dossier.due_date < today],
        "supplement": [
            Dossier.status == Status.SUPPLEMENT_REQUESTED.value,
            Dossier.received_at < cutoff,  # asked no earlier than received
            # Asked at the counter (no due date): the request is the receipt time itself;
            # only a request after receipt needs its event looked up.
            or_(Dossier.due_date.is_(None), _since("supplement_requested") < cutoff),
        ],
        "ready": [Dossier.status == Status.RESULT_READY.value],
    }


def _next_day(session: Session, today: date) -> date:
    return load_calendar(session).next_working_day(today)


def overdue_control(
    ctx: DeskContext, *, desk_id: str | None = None, today: date | None = None, limit: int = 500
) -> OverdueControl:
    """The five lists of overdue control, each sorted by what is most urgent, at most `limit`
    rows shown with the true total beside them."""
    today = today or ctx.now().astimezone(ZONE).date()
    with ctx.read() as s:
        next_day = _next_day(s, today)
        conds = _control_conditions(s, today, next_day)
        names = dict(s.execute(select(Procedure.code, Procedure.name_vi)).all())
        lists: list[ControlList] = []
        for key, where in conds.items():
            if desk_id:
                where = [*where, Dossier.desk_id == desk_id]
            total = _int(s.scalar(select(func.count()).select_from(Dossier).where(*where)))
            since_col: Any = literal(None)
            order: list[Any] = [Dossier.due_date, Dossier.received_at]
            if key == "supplement":
                since_col = _since("supplement_requested")
                order = [Dossier.received_at]
            elif key == "ready":
                since_col = _since("result_ready")
                order = [Dossier.due_date, Dossier.received_at]
            stmt = (
                select(
                    Dossier.id,
                    Dossier.code,
                    Dossier.procedure_code,
                    Dossier.full_name,
                    Dossier.received_at,
                    Dossier.due_date,
                    Dossier.status,
                    since_col,
                )
                .where(*where)
                .order_by(*order)
                .limit(limit)
            )
            rows = []
            for did, code, proc, name, received, due, status, since in s.execute(stmt):
                since_day = _as_local_date(since)
                if key == "overdue" and due is not None:
                    days = (today - due).days
                elif key in ("supplement", "ready") and since_day is not None:
                    days = (today - since_day).days
                elif due is not None:
                    days = (due - today).days
                else:
                    days = 0
                rows.append(
                    ControlRow(
                        did,
                        code,
                        proc,
                        names.get(proc, proc),
                        name,
                        received,
                        due,
                        status,
                        status_label(status),
                        days,
                        since_day,
                    )
                )
            title = tr(f"report.control.{key}", days=SUPPLEMENT_WAIT_DAYS)
            lists.append(ControlList(key, title, total, rows))
    return OverdueControl(today, next_day, lists)


def _as_local_date(v: Any) -> date | None:
    if v is None:
        return None
    if isinstance(v, str):  # a bare MAX() over SQLite comes back as text
        v = datetime.fromisoformat(v)
    if v.tzinfo is None:
        v = v.replace(tzinfo=UTC)
    return v.astimezone(ZONE).date()  # type: ignore[no-any-return]


def desk_counts(
    ctx: DeskContext, *, desk_id: str | None = None, today: date | None = None
) -> DeskCounts:
    """The status-bar counts for one desk (this desk by default): a few indexed counts."""
    today = today or ctx.now().astimezone(ZONE).date()
    with ctx.read() as s:
        if desk_id is None:
            me = current_desk(s)
            if me is None:
                return DeskCounts(0, 0, 0, 0, 0)
            desk_id = me.desk_id
        conds = _control_conditions(s, today, _next_day(s, today))
        n = {
            key: _int(
                s.scalar(
                    select(func.count())
                    .select_from(Dossier)
                    .where(*where, Dossier.desk_id == desk_id)
                )
            )
            for key, where in conds.items()
        }
    return DeskCounts(n["overdue"], n["due_today"], n["due_next"], n["supplement"], n["ready"])


# -- 2. daily summary -------------------------------------------------------------------------


@dataclass(frozen=True)
class Satisfaction:
    """Scores 0, 1, 2 as recorded per index (Circular 01/2018 Art. 13–14 indices)."""

    index: str
    counts: dict[int, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def average(self) -> float | None:
        return sum(k * v for k, v in self.counts.items()) / self.total if self.total else None


@dataclass(frozen=True)
class DailySummary:
    date_from: date
    date_to: date
    scope: Scope
    received: int
    supplement_requested: int
    refused: int
    transferred: int
    returned_on_time: int
    returned_late: int
    overdue_carried: int
    feedback_count: int
    satisfaction: list[Satisfaction]
    #: (day, received that day) for every day of the period, zero days included.
    per_day: list[tuple[date, int]]

    @property
    def returned(self) -> int:
        return self.returned_on_time + self.returned_late


def _event_scope(scope: Scope) -> list[ColumnElement[bool]]:
    """An action's scope: the office and procedure of its dossier, the desk and officer that
    did it (not who received the dossier)."""
    out: list[ColumnElement[bool]] = []
    if scope.office_ids:
        out.append(Event.office_id.in_(scope.office_ids))
    if scope.desk_id:
        out.append(Event.desk_id == scope.desk_id)
    if scope.officer_id:
        out.append(Event.officer_id == scope.officer_id)
    if scope.procedure_code:
        out.append(Dossier.procedure_code == scope.procedure_code)
    return out


def _joined(stmt: Any, needed: bool) -> Any:
    return stmt.join(Dossier, Dossier.id == Event.dossier_id) if needed else stmt


def _summary_totals(
    s: Session, scope: Scope, date_from: date, date_to: date
) -> tuple[dict[str, int], int, int, dict[tuple[str, str], int], dict[Any, int]]:
    """The summary's event figures from `event_day_totals` (app.services.event_totals),
    or for a procedure from its counts by procedure (one range of its key): counts by
    type, returned on time and in all, ratings (type, detail) and received per day."""
    t = event_totals.PROCEDURES if scope.procedure_code else event_totals.TABLE
    where: list[ColumnElement[bool]] = [t.c.day >= date_from, t.c.day <= date_to]
    if scope.procedure_code:
        where.append(t.c.procedure_code == scope.procedure_code)
    if scope.office_ids:
        where.append(t.c.office_id.in_(scope.office_ids))
    if scope.desk_id:
        where.append(t.c.desk_id == scope.desk_id)
    if scope.officer_id:
        where.append(t.c.officer_id == scope.officer_id)
    by: dict[tuple[str, str], int] = {
        (typ, detail): _int(n)
        for typ, detail, n in s.execute(
            select(t.c.type, t.c.detail, func.sum(t.c.n))
            .where(*where)
            .group_by(t.c.type, t.c.detail)
        )
    }
    counts = {typ: n for (typ, detail), n in by.items() if detail == "" and typ in DAILY_EVENTS}
    returns = [(d, n) for (typ, d), n in by.items() if typ in event_totals.RETURNS]
    on_time = sum(n for d, n in returns if d == event_totals.OK)
    per = dict(
        s.execute(
            select(t.c.day, func.sum(t.c.n))
            .where(*where, t.c.type.in_(("received", "supplement_received")))
            .group_by(t.c.day)
        ).all()
    )
    return counts, on_time, sum(n for _, n in returns), by, per


def daily_summary(
    ctx: DeskContext,
    date_from: date,
    date_to: date | None = None,
    scope: Scope | None = None,
    *,
    plain: bool = False,
) -> DailySummary:
    """What happened in the period (one day by default) for the office, a desk, an officer
    or a procedure. "Received" counts dossiers accepted for settlement (at the counter or on
    a completed supplement); returned dossiers are on time when their result was ready by
    the due date; "overdue carried" is what was still open and past due at the period's end
    (column (13) of II.06a, the desk and officer being those who received the dossier).
    Ratings are anonymous (no officer on them), so an officer's scope counts the ratings of
    the dossiers that officer received.

    The event figures come from the per-day totals (`_summary_totals`), and the ratings
    too for a scope without an officer; the rest, and everything with `plain`, from the
    events themselves: the reference the totals are tested against."""
    date_to = date_to or date_from
    check_period(date_from, date_to)
    scope = scope or Scope()
    start, end = utc_bounds(date_from, date_to)
    totals = not plain
    with ctx.read() as s:
        in_period = [Event.occurred_at >= start, Event.occurred_at < end]
        by: dict[tuple[str, str], int] = {}
        if totals:
            counts, on_time, n_returned, by, per = _summary_totals(s, scope, date_from, date_to)
        else:
            counts, on_time, n_returned, per = _summary_events(s, scope, in_period)
        as_of = min(date_to, ctx.now().astimezone(ZONE).date())
        # The state at the period's end, by the same rules as II.06a column (13).
        overdue = sum(
            c["pending_late"]
            for c in _ii06a_days(s, scope, date_from, date_to, as_of, late_only=True).values()
        )
        if totals and scope.officer_id is None:
            fb_total = by.get((event_totals.FEEDBACK, ""), 0)
            satisfaction = [
                Satisfaction(
                    k, {v: by.get((event_totals.FEEDBACK, f"{k}={v}"), 0) for v in (0, 1, 2)}
                )
                for k in FEEDBACK_INDICES
            ]
        else:
            fb_total, satisfaction = _summary_ratings(s, scope, in_period)
    per_day = []
    d = date_from
    while d <= date_to:
        per_day.append((d, _int(per.get(d.isoformat(), per.get(d)))))  # type: ignore[call-overload]
        d += timedelta(days=1)
    return DailySummary(
        date_from,
        date_to,
        scope,
        received=counts.get("received", 0) + counts.get("supplement_received", 0),
        supplement_requested=counts.get("supplement_requested", 0),
        refused=counts.get("refused", 0),
        transferred=counts.get("transferred", 0),
        returned_on_time=on_time,
        returned_late=n_returned - on_time,
        overdue_carried=overdue,
        feedback_count=fb_total,
        satisfaction=satisfaction,
        per_day=per_day,
    )


def _summary_events(
    s: Session, scope: Scope, in_period: list[ColumnElement[bool]]
) -> tuple[dict[str, int], int, int, dict[Any, int]]:
    """The summary's event figures from the events: counts by type, returned on time and
    in all, received per day (the plain query, and the only one for a procedure)."""
    # Events carry office, desk and officer: dossiers are joined only for a procedure.
    need_dossier = scope.procedure_code is not None
    base = (
        _joined(select(Event.type, func.count()), need_dossier)
        .where(
            Event.type.in_(DAILY_EVENTS),
            *in_period,
            *_event_scope(scope),
        )
        .group_by(Event.type)
    )
    counts = {t: _int(n) for t, n in s.execute(base)}
    # On time: the result (the dossier's settlement, kept by the fold) came by the due
    # date in force.
    ready_in_time = and_(
        Dossier.settled_type == "result_ready",
        Dossier.settled_outcome.in_(("early", "on_time")),
    )
    # Each dossier's settlement (and procedure) from ix_dossiers_report, not its row.
    returned = s.execute(
        select(
            func.sum(case((ready_in_time, 1), else_=0)),
            func.count(),
        )
        .select_from(Event)
        .join(Dossier, Dossier.id == Event.dossier_id)
        .where(Event.type.in_(("returned", "posted")), *in_period, *_event_scope(scope))
        .with_hint(Dossier, "INDEXED BY ix_dossiers_report", "sqlite")
    ).one()
    day = local_day(s, Event.occurred_at)
    per: dict[Any, int] = dict(
        s.execute(
            _joined(select(day, func.count()), need_dossier)
            .where(
                Event.type.in_(("received", "supplement_received")),
                *in_period,
                *_event_scope(scope),
            )
            .group_by(day)
        ).all()
    )
    return counts, _int(returned[0]), _int(returned[1]), per


def _summary_ratings(
    s: Session, scope: Scope, in_period: list[ColumnElement[bool]]
) -> tuple[int, list[Satisfaction]]:
    """The period's ratings and their scores from the rating events (the plain query, and
    the only one for an officer or a procedure: those of the dossiers they received)."""
    fb_scope = [c for c in _event_scope(Scope(scope.office_ids, scope.desk_id))]
    if scope.officer_id:
        fb_scope.append(Dossier.officer_id == scope.officer_id)
    if scope.procedure_code:
        fb_scope.append(Dossier.procedure_code == scope.procedure_code)
    # On SQLite the scores (and the dossier's officer and procedure) come from
    # ix_events_feedback (and ix_dossiers_report), spelled as that index holds them.
    sqlite = s.get_bind().dialect.name == "sqlite"
    cols: list[Any] = [func.count()]
    for k in FEEDBACK_INDICES:
        score = feedback_score(k) if sqlite else Event.payload[("scores", k)].as_integer()
        cols += [func.sum(case((score == v, 1), else_=0)) for v in (0, 1, 2)]
    fb = s.execute(
        _joined(
            select(*cols).select_from(Event),
            scope.officer_id is not None or scope.procedure_code is not None,
        )
        .where(IS_FEEDBACK, *in_period, *fb_scope)
        .with_hint(Event, "INDEXED BY ix_events_feedback", "sqlite")
        .with_hint(Dossier, "INDEXED BY ix_dossiers_report", "sqlite")
    ).one()
    return _int(fb[0]), [
        Satisfaction(k, {v: _int(fb[1 + 3 * i + v]) for v in (0, 1, 2)})
        for i, k in enumerate(FEEDBACK_INDICES)
    ]


# -- 3. the periodic report, form II.06a ------------------------------------------------------

#: Biểu số II.06a/VPCP/KSTT "Tình hình, kết quả giải quyết thủ tục hành chính tại …" (the
#: periodic report forms of the Government Office's TTHC-control reporting, Circular
#: 01/2020/TT-VPCP, see ../shared/domain.md §0.1) [S]: its columns as reproduced by a public
#: Vietnamese one-stop implementation (a React "BaoCao06a" component laying out the form,
#: found through the code search of this project); the Circular's own appendix was not read.
#: (1) TT; (2) Lĩnh vực, công việc giải quyết; Tiếp nhận: (3) Tổng số = (4)+(5)+(6),
#: (4) Trong kỳ – Trực tuyến, (5) Trong kỳ – Trực tiếp, dịch vụ bưu chính, (6) Từ kỳ trước;
#: Đã giải quyết: (7) Tổng số = (8)+(9)+(10), (8) Trước hạn, (9) Đúng hạn ("bao gồm cả hồ sơ
#: chờ bổ sung và trả lại/xin rút"), (10) Quá hạn; Đang giải quyết: (11) Tổng số = (12)+(13),
#: (12) Trong hạn ("bao gồm cả hồ sơ chờ bổ sung và hồ sơ khác"), (13) Quá hạn.
II06A_COLUMNS: tuple[tuple[str, str], ...] = (
    ("no", "(1) TT"),
    ("name", "(2) Lĩnh vực, công việc giải quyết"),
    ("received_total", "(3) Tiếp nhận – Tổng số"),
    ("online", "(4) Trong kỳ – Trực tuyến"),
    ("direct", "(5) Trong kỳ – Trực tiếp, dịch vụ bưu chính"),
    ("carried", "(6) Từ kỳ trước"),
    ("settled_total", "(7) Đã giải quyết – Tổng số"),
    ("early", "(8) Trước hạn"),
    ("on_time", "(9) Đúng hạn"),
    ("late", "(10) Quá hạn"),
    ("pending_total", "(11) Đang giải quyết – Tổng số"),
    ("pending_in_time", "(12) Trong hạn"),
    ("pending_late", "(13) Quá hạn"),
)
COUNT_KEYS = (
    "online",
    "direct",
    "carried",
    "early",
    "on_time",
    "late",
    "pending_in_time",
    "pending_late",
)

#: What the desk cannot know, printed in the report instead of a zero.
NOTE_ONLINE = (
    "Cột (4) chỉ gồm hồ sơ trực tuyến/liên thông đã được ghi nhận tại quầy; hồ sơ nộp và "
    "giải quyết hoàn toàn trên Cổng Dịch vụ công không có trong dữ liệu của quầy, cần lấy "
    "số liệu từ Hệ thống thông tin giải quyết TTHC."
)
#: The same for the central's report over many offices: what their desks synced.
NOTE_ONLINE_CENTRAL = (
    "Cột (4) chỉ gồm hồ sơ trực tuyến/liên thông mà các quầy một cửa của đơn vị đã ghi nhận "
    "và đồng bộ về hệ thống trung tâm; hồ sơ nộp và giải quyết hoàn toàn trên Cổng Dịch vụ "
    "công không có trong dữ liệu này, cần lấy số liệu từ Hệ thống thông tin giải quyết TTHC."
)
NOTES = (
    "Hồ sơ được tính là đã giải quyết khi có kết quả, bị từ chối sau khi tiếp nhận hoặc "
    "người nộp xin rút; từ chối và xin rút tính vào cột (9) như ghi chú của biểu mẫu.",
    "Trước hạn/đúng hạn/quá hạn so ngày có kết quả với ngày hẹn trả hiện hành (đã gồm lần "
    "hẹn lại theo NĐ 61/2018 Điều 19 khoản 9).",
    "Hồ sơ đang chờ bổ sung sau khi tiếp nhận tính vào cột (12) như ghi chú của biểu mẫu; "
    "hồ sơ yêu cầu bổ sung hoặc từ chối ngay tại quầy chưa được tiếp nhận nên không tính.",
)


@dataclass
class II06aRow:
    """One line: a field subtotal (procedure_code None) or one procedure."""

    field_code: str
    name: str
    procedure_code: str | None = None
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNT_KEYS, 0))

    def __getitem__(self, key: str) -> int:
        c = self.counts
        if key == "received_total":
            return c["online"] + c["direct"] + c["carried"]
        if key == "settled_total":
            return c["early"] + c["on_time"] + c["late"]
        if key == "pending_total":
            return c["pending_in_time"] + c["pending_late"]
        return c[key]


@dataclass(frozen=True)
class II06aReport:
    date_from: date
    date_to: date
    as_of: date
    unit_name: str
    #: Field subtotal rows each followed by their procedure rows; `total` is the sum.
    rows: list[II06aRow]
    total: II06aRow
    #: Columns the desk's data cannot fill completely (keys of II06A_COLUMNS) → why.
    incomplete: dict[str, str]
    notes: tuple[str, ...]

    @property
    def on_time_ratio(self) -> float | None:
        """Share of settled dossiers settled early or on time (the 766 index's measure)."""
        n = self.total["settled_total"]
        return (self.total["early"] + self.total["on_time"]) / n if n else None


def _ii06a_counts(
    s: Session,
    scope: Scope,
    date_from: date,
    date_to: date,
    as_of: date,
    by: Any = Dossier.procedure_code,
) -> dict[str, dict[str, int]]:
    """Per `by` (procedure code, or office id for a province), the eight counted columns;
    see the notes of II06A_COLUMNS for the rules.

    Two grouped counts over the dossier rows alone, no event read: the fold keeps each
    dossier's settlement (time, type, outcome against the due date in force) on the row.
    Both read the covering index that starts with `by` (ix_dossiers_settled on the desk,
    ix_dossiers_office_settled on the central), sought once per procedure or office through
    the IN list, so the rows come in GROUP BY order and no event or table row is touched."""
    start, end = utc_bounds(date_from, date_to)
    if s.get_bind().dialect.name == "postgresql":
        # A few grouped queries of a second or less: PostgreSQL's JIT compilation cost more
        # than it saved (1.35 s of a 3 s province-year report).
        s.execute(text("SET LOCAL jit = off"))
    in_period = Dossier.received_at >= start
    online = Dossier.channel.in_(ONLINE_CHANNELS)
    driving: list[ColumnElement[bool]] = []
    by_procedure = by is Dossier.procedure_code
    if by_procedure and not scope.procedure_code:
        # Every procedure as an IN list: one index seek each instead of a scan and a sort.
        driving.append(Dossier.procedure_code.in_(select(Procedure.code).distinct()))
    counted = [
        *driving,
        Dossier.due_date.is_not(None),
        Dossier.received_at < end,
        *scope.dossier_filter(keys=not by_procedure),
    ]
    out: dict[str, dict[str, int]] = {}

    def add(code: str, key: str, n: Any) -> None:
        out.setdefault(code, dict.fromkeys(COUNT_KEYS, 0))[key] += _int(n)

    # (a) Open now and never settled: received in the period or carried, still pending at
    # the end; a supplement wait counts as in time, as the form's note for (12) says.
    waiting = Dossier.status == Status.SUPPLEMENT_REQUESTED.value
    q_open = (
        select(
            by,
            func.count(),
            func.sum(case((in_period, 1), else_=0)),
            func.sum(case((and_(in_period, online), 1), else_=0)),
            func.sum(case((and_(~waiting, Dossier.due_date < as_of), 1), else_=0)),
        )
        .where(
            Dossier.settled_at.is_(None),
            # Not an index key: ix_dossiers_status_due would serve it but does not hold
            # settled_at, so each row would be read from the table.
            Dossier.status.concat("").in_((*OPEN, Status.SUPPLEMENT_REQUESTED.value)),
            *counted,
        )
        .group_by(by)
    )
    for code, n, n_in, n_online, late in s.execute(q_open):
        add(code, "online", n_online)
        add(code, "direct", _int(n_in) - _int(n_online))
        add(code, "carried", _int(n) - _int(n_in))
        add(code, "pending_in_time", _int(n) - _int(late))
        add(code, "pending_late", late)

    # (b) Settled at or after the period's start: in the period by outcome, or after its
    # end and so still pending at the end, in time or late as of `as_of`. A dossier settled
    # before the period is counted nowhere.
    in_settle = Dossier.settled_at < end
    outcome = Dossier.settled_outcome
    q_settled = (
        select(
            by,
            func.count(),
            func.sum(case((in_period, 1), else_=0)),
            func.sum(case((and_(in_period, online), 1), else_=0)),
            func.sum(case((in_settle, 1), else_=0)),
            func.sum(case((and_(in_settle, outcome == "early"), 1), else_=0)),
            func.sum(case((and_(in_settle, outcome == "late"), 1), else_=0)),
            func.sum(case((and_(~in_settle, Dossier.due_date < as_of), 1), else_=0)),
        )
        .where(Dossier.settled_at >= start, *counted)
        .group_by(by)
    )
    for code, n, n_in, n_online, n_settled, early, late, pend_late in s.execute(q_settled):
        add(code, "online", n_online)
        add(code, "direct", _int(n_in) - _int(n_online))
        add(code, "carried", _int(n) - _int(n_in))
        add(code, "early", early)
        add(code, "late", late)
        add(code, "on_time", _int(n_settled) - _int(early) - _int(late))
        add(code, "pending_in_time", _int(n) - _int(n_settled) - _int(pend_late))
        add(code, "pending_late", pend_late)
    return out


def _next_month(d: date) -> date:
    return (d.replace(day=28) + timedelta(days=4)).replace(day=1)


def _ii06a_days(
    s: Session,
    scope: Scope,
    date_from: date,
    date_to: date,
    as_of: date,
    *,
    late_only: bool = False,
) -> dict[str, dict[str, int]]:
    """The same figures as `_ii06a_counts` by procedure (which stays the reference: the
    equality is tested over random histories), summed over the per-day and per-month totals
    the fold keeps (app.services.day_totals explains the rows and the sums): whole months
    from the month rows, the days at a period's ends from the day rows, so a year reads
    about as many rows as a month, whatever the number of dossiers.

    In progress is a snapshot at the period's end, judged late against `as_of`; when the
    period runs past today (`as_of` < `date_to`) it is taken at `as_of`, the same as long as
    nothing is dated after today. A desk holding such events (a clock ahead) gets the plain
    query instead.

    `late_only`: only "pending_late" is right (the summary's "overdue carried"), read from
    the rows that move it alone."""
    days, months = DossierDayTotal, DossierMonthTotal
    if as_of < date_to:
        ahead = s.scalar(
            select(days.day)
            .where(
                days.day > as_of,
                days.kind.in_((day_totals.RECV, day_totals.SETTLE, day_totals.SKEW)),
            )
            .limit(1)
        )
        if ahead is not None:
            return _ii06a_counts(s, scope, date_from, date_to, as_of)
        # Nothing after as_of: the period up to as_of has the same figures, and a period
        # wholly after it starts the day after.
        date_from, date_to = min(date_from, as_of + timedelta(days=1)), as_of

    def sums(table: Any, col: Any, lo: date | None, hi: date, *extra: Any) -> Any:
        """(procedure, kind, channel, outcome, n) over lo <= col < hi."""
        where = [col < hi, *extra]
        if lo is not None:
            where.append(col >= lo)
        if scope.office_ids:
            where.append(table.office_id.in_(scope.office_ids))
        if scope.desk_id:
            where.append(table.desk_id == scope.desk_id)
        if scope.officer_id:
            where.append(table.officer_id == scope.officer_id)
        if scope.procedure_code:
            where.append(table.procedure_code == scope.procedure_code)
        else:
            where.append(table.procedure_code.in_(select(Procedure.code)))
        if late_only:
            # Written so that no index serves it: on `kind` SQLite left the key's range for
            # ix_dossier_day_totals_kind_day2 and read every late row ever (a year's overdue
            # at 1,000,000 dossiers: 657 ms CPU, 189 ms unfiltered, 77 ms so).
            late = (day_totals.LATE_IN, day_totals.LATE_OUT)
            where.append(table.kind.concat("").in_(late))
        keys = (table.procedure_code, table.kind, table.channel, table.outcome)
        return s.execute(select(*keys, func.sum(table.n)).where(*where).group_by(*keys))

    end = date_to + timedelta(days=1)
    first = date_from.replace(day=1)
    whole_from = date_from if date_from.day == 1 else _next_month(date_from)
    whole_to = end.replace(day=1)
    before = [sums(months, months.month, None, first), sums(days, days.day, first, date_from)]
    if whole_from < whole_to:
        within = [
            sums(days, days.day, date_from, whole_from),
            sums(months, months.month, whole_from, whole_to),
            sums(days, days.day, whole_to, end),
        ]
    else:
        within = [sums(days, days.day, date_from, end)]
    skew = (
        []
        if late_only  # a skewed dossier is never open, so never late
        else sums(days, days.day2, date_from, end, days.kind == day_totals.SKEW, days.day < end)
    )

    out: dict[str, dict[str, int]] = {}

    def add(code: str, key: str, n: int) -> None:
        out.setdefault(code, dict.fromkeys(COUNT_KEYS, 0))[key] += n

    for part, results in (("before", before), ("within", within)):
        for result in results:
            for code, kind, channel, outcome, n in result:
                n = _int(n)
                if kind == day_totals.RECV:
                    add(code, "carried" if part == "before" else _channel_key(channel), n)
                elif kind == day_totals.SETTLE:
                    if part == "before":
                        add(code, "carried", -n)
                    else:
                        add(code, _outcome_key(outcome), n)
                        add(code, "pending_in_time", -n)
                elif kind == day_totals.LATE_IN:
                    add(code, "pending_late", n)
                elif kind == day_totals.LATE_OUT:
                    add(code, "pending_late", -n)
                if kind == day_totals.RECV and part == "within":
                    add(code, "pending_in_time", n)
    for code, _kind, channel, outcome, n in skew:
        add(code, _channel_key(channel), _int(n))
        add(code, _outcome_key(outcome), _int(n))
    for c in out.values():
        # In progress at the end: carried plus received minus settled in the period (the
        # within terms above), less those past due.
        c["pending_in_time"] += c["carried"] - c["pending_late"]
    return {code: c for code, c in out.items() if any(c.values())}


def _channel_key(channel: str) -> str:
    return "online" if channel in ONLINE_CHANNELS else "direct"


def _outcome_key(outcome: str) -> str:
    return outcome if outcome in ("early", "late") else "on_time"


def ii06a_report(
    ctx: DeskContext,
    date_from: date,
    date_to: date,
    scope: Scope | None = None,
    *,
    unit_name: str | None = None,
) -> II06aReport:
    """Form II.06a for the period: per field, then per procedure, and the total."""
    check_period(date_from, date_to)
    scope = scope or Scope()
    as_of = min(date_to, ctx.now().astimezone(ZONE).date())
    with ctx.read() as s:
        counts = _ii06a_days(s, scope, date_from, date_to, as_of)
        procs = {
            p.code: (p.field, p.name_vi)
            for p in s.execute(select(Procedure.code, Procedure.field, Procedure.name_vi))
        }
        if unit_name is None:
            unit_name = _unit_name(s, scope)
    return _assemble(date_from, date_to, as_of, unit_name, counts, procs)


def _unit_name(s: Session, scope: Scope) -> str:
    if len(scope.office_ids) == 1:
        o = s.get(Office, scope.office_ids[0])
        return o.name if o else ""
    if not scope.office_ids:
        me = current_desk(s)
        if me is not None:
            o = s.get(Office, me.office_id)
            return o.name if o else ""
    return ""


def _assemble(
    date_from: date,
    date_to: date,
    as_of: date,
    unit_name: str,
    counts: dict[str, dict[str, int]],
    procs: dict[str, tuple[str, str]],
) -> II06aReport:
    by_field: dict[str, list[II06aRow]] = {}
    for code in sorted(counts):
        fcode, name = procs.get(code, ("", code))
        by_field.setdefault(fcode, []).append(II06aRow(fcode, name, code, counts[code]))
    rows: list[II06aRow] = []
    total = II06aRow("", "Tổng cộng")
    for fcode in sorted(by_field):
        sub = II06aRow(fcode, FIELD_NAMES.get(fcode, fcode or "Khác"))
        for r in by_field[fcode]:
            for k in COUNT_KEYS:
                sub.counts[k] += r.counts[k]
                total.counts[k] += r.counts[k]
        rows.append(sub)
        rows.extend(by_field[fcode])
    return II06aReport(
        date_from,
        date_to,
        as_of,
        unit_name,
        rows,
        total,
        {"online": NOTE_ONLINE},
        NOTES,
    )


@dataclass(frozen=True)
class OfficeLine:
    code: str
    name: str
    row: II06aRow


@dataclass(frozen=True)
class II06aByOffice:
    """The same II.06a figures for many offices (a province's working group), one line per
    office and their total."""

    date_from: date
    date_to: date
    as_of: date
    lines: list[OfficeLine]
    total: II06aRow


def find_offices(
    ctx: DeskContext, codes: Sequence[str] = (), province: str | None = None
) -> list[tuple[str, str, str]]:
    """(id, code, name) of the offices named by code, or of a province; a reason, never an
    empty report, when none matches."""
    with ctx.read() as s:
        q = select(Office.id, Office.code, Office.name).order_by(Office.code)
        if codes:
            q = q.where(Office.code.in_(list(codes)))
        elif province:
            q = q.where(Office.province_code == province)
        found = [(a, b, c) for a, b, c in s.execute(q)]
    missing = sorted(set(codes) - {c for _, c, _ in found})
    if missing or not found:
        what = ", ".join(missing) if missing else (province or "")
        raise ValidationFailed(
            [FieldError("office", "report.no_office", tr("report.no_office", what=what))]
        )
    return found


def ii06a_by_office(
    ctx: DeskContext, date_from: date, date_to: date, offices: Sequence[tuple[str, str, str]]
) -> II06aByOffice:
    """II.06a totals per office (the central database holds every office's events)."""
    check_period(date_from, date_to)
    as_of = min(date_to, ctx.now().astimezone(ZONE).date())
    scope = Scope(tuple(o[0] for o in offices))
    with ctx.read() as s:
        counts = _ii06a_counts(s, scope, date_from, date_to, as_of, by=Dossier.office_id)
    lines, total = [], II06aRow("", "Tổng cộng")
    for oid, code, name in offices:
        row = II06aRow("", name, code, counts.get(oid, dict.fromkeys(COUNT_KEYS, 0)))
        for k in COUNT_KEYS:
            total.counts[k] += row.counts[k]
        lines.append(OfficeLine(code, name, row))
    return II06aByOffice(date_from, date_to, as_of, lines, total)


# -- names for scope pickers -------------------------------------------------------------------


@dataclass(frozen=True)
class ScopeChoices:
    offices: list[tuple[str, str]]
    desks: list[tuple[str, str]]
    officers: list[tuple[str, str]]
    procedures: list[tuple[str, str]]
    my_office_id: str | None
    my_desk_id: str | None


def scope_choices(ctx: DeskContext) -> ScopeChoices:
    """What the report screen's pickers list: offices, desks seen in the data, officers,
    procedures (ids with display names)."""
    from app.models import Desk

    with ctx.read() as s:
        me = current_desk(s)
        offices = [(o.id, o.name) for o in s.scalars(select(Office).order_by(Office.name))]
        desks = [(d.id, d.name) for d in s.scalars(select(Desk).order_by(Desk.name))]
        officers = [
            (o.id, o.full_name) for o in s.scalars(select(Officer).order_by(Officer.full_name))
        ]
        procedures = list(
            s.execute(select(Procedure.code, Procedure.name_vi).order_by(Procedure.code)).all()
        )
    return ScopeChoices(
        offices,
        desks,
        officers,
        [(c, n) for c, n in procedures],
        me.office_id if me else None,
        me.desk_id if me else None,
    )


def office_scope(ctx: DeskContext) -> Scope:
    """The desk's own office (the default scope of every office report)."""
    with ctx.read() as s:
        me = current_desk(s)
    return Scope((me.office_id,)) if me else Scope()


__all__: Sequence[str] = (
    "II06A_COLUMNS",
    "ControlList",
    "ControlRow",
    "DailySummary",
    "DeskCounts",
    "II06aReport",
    "II06aRow",
    "OverdueControl",
    "Scope",
    "daily_summary",
    "desk_counts",
    "ii06a_report",
    "overdue_control",
)
