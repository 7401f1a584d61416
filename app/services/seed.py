"""`onestop seed-demo`: a demo office with realistic dossiers in every state, fast.

Dossiers and their events are generated as history; each dossier row is the fold of its
generated events by the one fold (app.services.projection.fold_event, with the catalogue
lookup passed in), and rows, events and outbox entries are written in large batches with
bulk inserts, one transaction per chunk; `python -m bench seed --sizes N` measures it
beside plain sqlite3 writing the same rows.

Dossiers are spread over demo offices of at most 400 a working day each. From `copy_at`
dossiers (100,000) on, into a desk holding no dossiers or events yet, only the desk's own
office is generated so; every other office is a copy of it made in SQL
(app.services.seed_copies): the same days, procedures, states and names, with its own
ids, codes, desks, and citizens' ID, insurance and phone numbers, its events another
desk's already accepted by the central service. So a million-dossier demo is 14 offices
that are copies of one generated office; smaller seeds, and any seed into a desk that
holds dossiers, generate every office.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace
from typing import Any, TypeVar, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Table, func, select

from app.domain.calendar import DEFAULT_CUTOFF, Appointment
from app.domain.dossier_code import SEQ_MAX, format_code
from app.domain.errors import DomainError, FieldError, ValidationFailed
from app.domain.lifecycle import EventType
from app.domain.messages import register, tr
from app.models import Desk, Dossier, Event, Office, Officer, Outbox
from app.models.bulk import insert_rows
from app.models.db import build_indexes, drop_indexes, rollback_journal
from app.models.events import SYNC_ACCEPTED, SYNC_LOCAL
from app.services import event_totals
from app.services.calendar_service import load_calendar
from app.services.catalogue_service import domain_procedure
from app.services.context import DeskContext, get_setting
from app.services.projection import DossierState, FoldLookup, fold_event, store_states
from app.services.seed_copies import Copy, copy_office, id_prefix, rowid_marks
from app.services.setup import add_officer, current_desk, ensure_office, setup_desk

register(
    {
        "seed.count": {
            "vi": "Số lượng phải là số không âm.",
            "en": "The count must not be negative.",
        },
        "seed.paired": {
            "vi": "Quầy đã kết nối máy chủ trung tâm: không tạo dữ liệu mẫu trên quầy thật.",
            "en": "This desk is paired with a central service: no demo data on a real desk.",
        },
    }
)

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
_T = TypeVar("_T")
SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Trịnh",
    "Đoàn",
    "Lương",
]
MIDDLE_M = ["Văn", "Hữu", "Đức", "Minh", "Quang", "Xuân", "Thanh", "Công", "Đình", "Quốc"]
MIDDLE_F = ["Thị", "Ngọc", "Thu", "Thanh", "Minh", "Phương", "Kim", "Hồng", "Diệu", "Bảo"]
GIVEN_M = [
    "Anh",
    "Bình",
    "Cường",
    "Dũng",
    "Đạt",
    "Hải",
    "Hiếu",
    "Hùng",
    "Khánh",
    "Long",
    "Nam",
    "Phúc",
    "Quân",
    "Sơn",
    "Thắng",
    "Trung",
    "Tuấn",
    "Việt",
    "Ước",
    "Lộc",
]
GIVEN_F = [
    "Ánh",
    "Chi",
    "Giang",
    "Hà",
    "Hạnh",
    "Hoa",
    "Hương",
    "Lan",
    "Linh",
    "Mai",
    "Nga",
    "Ngọc",
    "Phượng",
    "Quỳnh",
    "Tâm",
    "Thảo",
    "Trang",
    "Uyên",
    "Yến",
    "Diệp",
]
STREETS = [
    "Kim Mã",
    "Đội Cấn",
    "Liễu Giai",
    "Văn Cao",
    "Hoàng Hoa Thám",
    "Nguyễn Thái Học",
    "Trần Phú",
    "Lê Duẩn",
    "Giảng Võ",
    "Ngọc Hà",
]
PROVINCE_CODES = ["001", "031", "079", "048", "038", "040", "036", "034", "027", "024"]
DEMO_OFFICE = (
    "000.00.31.H56",
    "Bảo hiểm xã hội cơ sở Ba Đình",
    "BẢO HIỂM XÃ HỘI THÀNH PHỐ HÀ NỘI",
)
MOBILE_PREFIXES = [
    "090",
    "091",
    "093",
    "094",
    "096",
    "097",
    "098",
    "086",
    "088",
    "032",
    "033",
    "035",
    "037",
    "039",
    "070",
    "076",
    "077",
    "081",
    "083",
    "085",
]


@dataclass
class SeedReport:
    offices: int = 0
    desks: int = 0
    officers: int = 0
    dossiers: int = 0
    events: int = 0
    by_status: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        states = ", ".join(f"{k}={v}" for k, v in sorted(self.by_status.items()))
        return (
            f"offices={self.offices} desks={self.desks} officers={self.officers} "
            f"dossiers={self.dossiers} events={self.events} ({states})"
        )


class _Draw:
    """`random.Random`'s choice and randint at a fraction of their cost (a million-dossier
    seed makes tens of millions of draws): one float per draw, the same uniform spread
    for these small ranges; seeded, so a seed number gives the same demo every time."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed).random

    def pick(self, seq: Sequence[_T]) -> _T:
        return seq[int(self.random() * len(seq))]

    def between(self, low: int, high: int) -> int:
        return low + int(self.random() * (high - low + 1))


def _person(rng: _Draw, today: date) -> dict[str, Any]:
    male = rng.random() < 0.5
    name = " ".join(
        [
            rng.pick(SURNAMES),
            rng.pick(MIDDLE_M if male else MIDDLE_F),
            rng.pick(GIVEN_M if male else GIVEN_F),
        ]
    )
    year = rng.between(1950, 2005)
    month, day = rng.between(1, 12), rng.between(1, 28)
    century = (year - 1900) // 100
    gdigit = century * 2 + (0 if male else 1)
    cccd = f"{rng.pick(PROVINCE_CODES)}{gdigit}{year % 100:02d}{rng.between(0, 999999):06d}"
    return {
        "full_name": name,
        "id_number": cccd,
        "social_insurance_no": f"{rng.between(0, 99):02d}{rng.between(0, 99999999):08d}",
        "hi_card_no": "",
        "date_of_birth": f"{year:04d}-{month:02d}-{day:02d}",
        "sex": "M" if male else "F",
        "phone": rng.pick(MOBILE_PREFIXES) + f"{rng.between(0, 9999999):07d}",
        "email": "",
        "province_code": "01",
        "commune_code": "",
        "address": f"Số {rng.between(1, 200)} phố {rng.pick(STREETS)}, Hà Nội",
    }


def _ensure_demo(
    ctx: DeskContext, n_offices: int, report: SeedReport
) -> list[tuple[Office, list[Desk]]]:
    if not current_desk_exists(ctx):
        code, name, parent = DEMO_OFFICE
        setup_desk(
            ctx,
            office_code=code,
            office_name=name,
            desk_name="Quầy 1",
            slot=1,
            # A 2026 office profile (app.domain.office): no district in the header.
            office_fields={
                "kind": "bhxh",
                "parent_name": parent,
                "header_line": "BẢO HIỂM XÃ HỘI CƠ SỞ BA ĐÌNH",
                "address": "Số 8 Phạm Hùng, phường Ba Đình, Hà Nội",
                "phone": "024 3791 0000",
                "hotline": "1900 9068",
                "place_name": "Ba Đình",
                "province_code": "01",
                "commune_code": "00004",
                "return_hour": "16:00",
            },
        )
        admin_id: str | None = None
        for username, full, role in (
            ("admin", "Quản trị hệ thống", "administrator"),
            ("giamsat", "Trần Thu Hà", "supervisor"),
            ("canbo1", "Nguyễn Văn An", "officer"),
            ("canbo2", "Lê Thị Bích Ngọc", "officer"),
        ):
            info = add_officer(
                ctx,
                username=username,
                full_name=full,
                password="demo-" + username,
                role=role,
                actor_id=admin_id,
            )
            admin_id = admin_id or info.id
            report.officers += 1
    out = []
    with ctx.transaction() as s:
        me = current_desk(s)
        assert me is not None
        for i in range(n_offices):
            if i == 0:
                office = s.get(Office, me.office_id)
            else:
                office = ensure_office(
                    s, code=f"000.00.31.H{56 + i:02d}", name=f"Bộ phận Một cửa số {i + 1} (demo)"
                )
            assert office is not None
            desks = list(s.scalars(select(Desk).where(Desk.office_id == office.id)))
            for slot in range(len(desks) + 1, 4):
                desk = Desk(office_id=office.id, name=f"Quầy {slot}", slot=slot)
                s.add(desk)
                desks.append(desk)
            s.flush()
            out.append((office, sorted(desks, key=lambda d: d.slot)))
        report.offices = n_offices
        report.desks = sum(len(d) for _, d in out)
        s.expunge_all()
    return out


@dataclass(frozen=True)
class _Place:
    """An office (id, code) or a desk (id, name unused, slot) as plain values."""

    id: str
    code: str
    slot: int = 0


@dataclass(frozen=True)
class _Kind:
    """A procedure's current version as the generator reads it."""

    code: str
    pv_id: str
    catalogue_version: str
    limit_value: int
    limit_unit: str
    same_day: bool
    components: list[dict[str, Any]]


def current_desk_exists(ctx: DeskContext) -> bool:
    with ctx.read() as s:
        return current_desk(s) is not None


def _pick_status(rng: _Draw, age_days: int) -> list[EventType]:
    """A plausible event chain for a dossier received `age_days` ago."""
    r = rng.random()
    if r < 0.04:
        return [EventType.REFUSED]
    if r < 0.10:
        return [EventType.SUPPLEMENT_REQUESTED]
    chain = [EventType.RECEIVED]
    if r < 0.12:
        return [*chain, EventType.CANCELLED]
    if age_days > 2 and (age_days > 6 or rng.random() < 0.5):
        chain.append(EventType.TRANSFERRED)
    if age_days > 6 and rng.random() < 0.85:
        if rng.random() < 0.05:
            chain.append(EventType.APPOINTMENT_CHANGED)
        chain.append(EventType.RESULT_READY)
        if age_days > 9 and rng.random() < 0.9:
            chain.append(EventType.POSTED if rng.random() < 0.15 else EventType.RETURNED)
            if rng.random() < 0.3:
                chain.append(EventType.FEEDBACK_GIVEN)
    return chain


#: The tables a large seed fills; their secondary indexes are built once at the end.
BULK_TABLES = (
    "dossiers",
    "dossier_components",
    "events",
    "outbox",
    "dossier_day_totals",
    "dossier_month_totals",
)


@contextmanager
def _bulk_load(ctx: DeskContext, bulk: bool) -> Iterator[None]:
    """Drop the filled tables' secondary indexes for a large seed and build them again after
    (a sort per index instead of a random B-tree insert per row and index: the largest part
    of a million-dossier seed). Rebuilt even when the seed fails, and DDL in SQLite is
    transactional, so the schema is never left half-changed. The load runs under the
    rollback journal when the desk's file can be had alone (app.models.db.
    rollback_journal)."""
    if not bulk:
        yield
        return
    with rollback_journal(*ctx.engines()), _without_indexes(ctx):
        yield


@contextmanager
def _without_indexes(ctx: DeskContext) -> Iterator[None]:
    with ctx.transaction() as s:
        drop_indexes(s.connection(), BULK_TABLES)
    try:
        yield
    finally:
        with ctx.transaction() as s:
            build_indexes(s.connection())


def _id_maker() -> Callable[[], str]:
    """UUID4-shaped ids: 74 random bits from the OS per run (not from the demo's seed, so
    two runs never share an id), then a counter in the last group. Cheap to make (millions
    are made here), and each table's primary key then grows at its end instead of at a
    random place: B-tree appends, not page splits all over a file of a gigabyte."""
    prefix = id_prefix()
    counter = itertools.count(1)

    def make() -> str:
        return f"{prefix}{next(counter):012x}"

    return make


def _copies(offices: Sequence[tuple[Office, Sequence[Desk]]], dossiers: int) -> list[Copy]:
    """The offices after the first as copies of it, desk by desk in slot order; none when
    their desks do not line up slot for slot (a desk set up at another slot), since a
    copied log-book volume is the source desk's slot. Office k's share of `dossiers` is
    dossiers k, k + n, ... (n offices): one fewer than the first's for k >= dossiers % n."""
    (_, first_desks), *others = offices
    out = []
    for k, (office, desks) in enumerate(others, start=1):
        if [d.slot for d in desks] != [d.slot for d in first_desks]:
            return []
        out.append(
            Copy(
                k=k,
                prefix=id_prefix(),
                office_id=office.id,
                office_code=office.code,
                desks={a.id: b.id for a, b in zip(first_desks, desks, strict=True)},
                short=(dossiers - k + len(offices) - 1) // len(offices)
                < (dossiers + len(offices) - 1) // len(offices),
            )
        )
    return out


def _copy_offices(
    ctx: DeskContext, copies: Sequence[Copy], source: _Place, last: DossierState, report: SeedReport
) -> None:
    """The generated office's dossiers copied into each other office (app.services.
    seed_copies), one transaction per office; the report counts the copies too."""
    with ctx.read() as s:
        marks = rowid_marks(s.connection())
    generated = dict(report.by_status)
    for copy in copies:
        with ctx.transaction() as s:
            report.events += copy_office(s, copy, (source.id, source.code), marks, last)
        for status, n in generated.items():
            report.by_status[status] += n - (copy.short and status == last["status"])


def seed_demo(
    ctx: DeskContext,
    dossiers: int = 500,
    seed: int = 1,
    days: int = 180,
    batch: int = 20_000,
    bulk_at: int = 100_000,
    copy_at: int = 100_000,
) -> SeedReport:
    """Add `dossiers` demo dossiers received over the last `days` days.

    From `bulk_at` dossiers on, the tables' secondary indexes are built after the load
    (`_bulk_load`). From `copy_at` on, into a desk with no dossiers or events yet and when
    they need more than one office, only the first office's dossiers are generated and
    the others are copies of them (app.services.seed_copies). Refused on a desk paired
    with a central service: its demo dossiers would sit in the office's real history (or
    never sync), and a negative count is bad input, not zero.
    """

    if dossiers < 0 or days < 1:
        raise ValidationFailed(
            [FieldError("dossiers" if dossiers < 0 else "days", "seed.count", tr("seed.count"))]
        )
    with ctx.read() as s:
        if get_setting(s, "sync.central_url"):
            raise DomainError("seed.paired", tr("seed.paired"))
    rng = _Draw(seed)
    report = SeedReport()
    per_office_day = 400
    n_offices = max(1, -(-dossiers // (days * per_office_day)))
    offices = _ensure_demo(ctx, n_offices, report)
    with ctx.read() as s:
        me = current_desk(s)
        assert me is not None
        officers = list(s.scalars(select(Officer.id)))
        cal = load_calendar(s)
        from app.models import Procedure, ProcedureVersion

        procs = [
            (p, pv, domain_procedure(pv))
            for p, pv in s.execute(
                select(Procedure, ProcedureVersion).join(
                    ProcedureVersion, ProcedureVersion.id == Procedure.current_version_id
                )
            )
        ]
        seq_start = {
            r[0]: r[1]
            for r in s.execute(select(Dossier.office_id, func.count()).group_by(Dossier.office_id))
        }
        max_seq = dict(
            s.execute(select(Event.desk_id, func.max(Event.desk_seq)).group_by(Event.desk_id)).all()
        )
        year_entries: dict[tuple[str, int], int] = {}
        for desk_id, year, n in s.execute(
            select(
                Dossier.desk_id, Dossier.log_book_year, func.max(Dossier.log_book_entry)
            ).group_by(Dossier.desk_id, Dossier.log_book_year)
        ):
            year_entries[(desk_id, year)] = n
    desk_seq: dict[str, int] = {k: v or 0 for k, v in max_seq.items()}
    fresh = not seq_start and not max_seq  # no dossiers, no events
    copies = _copies(offices, dossiers) if dossiers >= copy_at and fresh else []
    # With copies, only the first office's share is generated (dossiers 0, n, 2n, ...
    # of n offices); the last of them is left out of the copies that are one short.
    step = len(offices) if copies else 1
    last_i = (dossiers - 1) // step * step
    last: DossierState | None = None
    # The desk's clock, not the machine's: a desk (or test) acting at a chosen time gets
    # demo history up to that time, never "from the future" (the clock guard would rightly
    # refuse intake on a desk whose newest event is later than its clock).
    now_utc = ctx.now().astimezone(UTC)
    today = now_utc.astimezone(ZONE).date()
    # Receipt days, oldest first, over working days only.
    work_days = [today - timedelta(days=i) for i in range(days, 0, -1)]
    work_days = [d for d in work_days if cal.is_working_day(d)] or [today]
    per_day: dict[tuple[str, date], int] = {}
    prefixes: dict[tuple[str, date], str] = {}
    states: dict[str, DossierState] = {}
    rows_e: list[dict[str, Any]] = []
    rows_o: list[dict[str, Any]] = []
    lookup = FoldLookup(
        versions={(p.code, pv.catalogue_version): pv.id for p, pv, _ in procs},
        offices={office.id for office, _ in offices},
    )

    appointments: dict[tuple[date, bool, str], Appointment] = {}
    new_id = _id_maker()

    def flush() -> None:
        """One transaction per chunk: the folded rows, their events and outbox entries."""
        if not states:
            return
        with ctx.transaction() as s:
            event_totals.record(s.connection(), rows_e)  # before its dossiers' rows
            store_states(s, states, {}, new_ids=new_id)
            conn = s.connection()
            insert_rows(conn, cast(Table, Event.__table__), rows_e)
            insert_rows(conn, cast(Table, Outbox.__table__), rows_o)
        report.events += len(rows_e)
        states.clear()
        rows_e.clear()
        rows_o.clear()

    # Plain values for the loop (an ORM attribute read costs more than a dict's, and the
    # loop reads them millions of times); the handed-in lines are one list per procedure.
    places = [
        (_Place(o.id, o.code), [_Place(d.id, str(d.slot), d.slot) for d in desks])
        for o, desks in offices
    ]
    kinds = [
        _Kind(
            p.code,
            pv.id,
            pv.catalogue_version,
            pv.time_limit_value,
            pv.time_limit_unit,
            pv.same_day,
            [
                {
                    "component_code": c.code,
                    "name_vi": c.name_vi,
                    "form_code": c.form_code,
                    "copy_kind": "original" if c.copy_kind == "any" else c.copy_kind,
                    "quantity": c.quantity,
                }
                for c in dp.components
                if c.requirement == "required"
            ][:4],
        )
        for p, pv, dp in procs
    ]
    with _bulk_load(ctx, dossiers >= bulk_at):
        for i in range(0, dossiers, step):
            office, desks = places[i % len(places)]
            desk = rng.pick(desks)
            day = work_days[min(len(work_days) - 1, int(len(work_days) * (i / max(1, dossiers))))]
            key = (office.id, day)
            seq = (
                per_day.get(key, 0) + 1 + (seq_start.get(office.id, 0) if key not in per_day else 0)
            )
            per_day[key] = seq
            local = datetime.combine(day, time(7, 30), ZONE) + timedelta(
                minutes=rng.between(0, 9 * 60)
            )
            received = min(local.astimezone(UTC), now_utc - timedelta(minutes=1))
            kind = rng.pick(kinds)
            age = (today - day).days
            chain = _pick_status(rng, age)
            local_received = received.astimezone(ZONE)
            akey = (local_received.date(), local_received.time() > DEFAULT_CUTOFF, kind.pv_id)
            appt = appointments.get(akey)
            if appt is None:  # the same day, side of the cut-off and procedure: the same answer
                appt = appointments[akey] = cal.appointment(
                    received,
                    kind.limit_value,
                    kind.limit_unit,  # type: ignore[arg-type]
                    kind.same_day,
                )
            person = _person(rng, today)
            did = new_id()
            officer = rng.pick(officers) if officers else None
            ykey = (desk.id, day.year)
            year_entries[ykey] = year_entries.get(ykey, 0) + 1
            creating = chain[0]
            prefix = prefixes.get(key)
            if prefix is None:  # the code's agency and day, checked once per office and day
                prefix = prefixes[key] = format_code(office.code, day, 1)[:-4]
            # (past the last number of a day, format_code says so)
            code = f"{prefix}{seq:04d}" if seq <= SEQ_MAX else format_code(office.code, day, seq)
            received_iso = received.isoformat()
            due = appt.due_date if creating is EventType.RECEIVED else None
            payload = {
                "code": code,
                "procedure_code": kind.code,
                "catalogue_version": kind.catalogue_version,
                "applicant": person,
                "components": kind.components,
                "channel": "post" if rng.random() < 0.08 else "desk",
                "return_method": "desk",
                "return_address": "",
                "consignment_no": "",
                "sets_count": 1,
                "received_at": received_iso,
                "effective_receipt_date": appt.effective_receipt_date.isoformat() if due else None,
                "due_date": due.isoformat() if due else None,
                "log_book": {"year": day.year, "volume": desk.slot, "entry": year_entries[ykey]},
                "reason": "Hồ sơ không thuộc thẩm quyền giải quyết"
                if creating is EventType.REFUSED
                else ("Thiếu giấy tờ" if creating is EventType.SUPPLEMENT_REQUESTED else ""),
                "missing": [],
            }
            at = received
            events: list[SimpleNamespace] = []
            for n, etype in enumerate(chain):
                ev_payload: dict[str, Any]
                if n == 0:
                    ev_payload = payload
                elif etype is EventType.APPOINTMENT_CHANGED:
                    assert due is not None
                    ev_payload = {
                        "new_due_date": cal.add_working_days(due, 3).isoformat(),
                        "reason": "Cần xác minh thêm quá trình đóng",
                    }
                elif etype is EventType.POSTED:
                    ev_payload = {"consignment_no": f"EB{rng.between(10**8, 10**9 - 1)}VN"}
                elif etype is EventType.FEEDBACK_GIVEN:
                    ev_payload = {
                        "scores": {k: rng.pick((2, 2, 1, 0)) for k in ("1", "3", "4", "7")},
                        "channel": "desk",
                    }
                elif etype is EventType.CANCELLED:
                    ev_payload = {"reason": "Người nộp rút hồ sơ"}
                else:
                    ev_payload = {"note": ""}
                if n:
                    at = min(
                        at + timedelta(hours=rng.between(2, 24 * 3)),
                        now_utc - timedelta(seconds=len(chain) - n),
                    )
                desk_seq[desk.id] = desk_seq.get(desk.id, 0) + 1
                local_pending = desk.id == me.desk_id and age <= 1
                eid = new_id()
                ev_row = {
                    "id": eid,
                    "desk_id": desk.id,
                    "desk_seq": desk_seq[desk.id],
                    "office_id": office.id,
                    "dossier_id": did,
                    "type": etype.value,
                    "payload": ev_payload,
                    "officer_id": None if etype is EventType.FEEDBACK_GIVEN else officer,
                    "occurred_at": at,
                    "recorded_at": at,
                    "origin": "local" if desk.id == me.desk_id else "remote",
                    "sync_state": SYNC_LOCAL if local_pending else SYNC_ACCEPTED,
                    "server_seq": None,
                    "server_received_at": None if local_pending else at,
                    "reject_reason": None,
                }
                rows_e.append(ev_row)
                events.append(SimpleNamespace(**ev_row))
                if local_pending:
                    rows_o.append(
                        {
                            "event_id": eid,
                            "desk_seq": desk_seq[desk.id],
                            "enqueued_at": at,
                            "attempts": 0,
                            "last_attempt_at": None,
                            "last_error": None,
                        }
                    )
            # The row is the fold of the events, by the same function intake and sync use.
            state: DossierState | None = None
            for ev in events:
                state = fold_event(state, ev, lookup, remote=False)
            assert state is not None
            states[did] = state
            status = state["status"]
            report.by_status[status] = report.by_status.get(status, 0) + 1
            if i == last_i and copies:
                last = state
            if len(states) >= batch:
                flush()
        flush()
        if copies:
            assert last is not None  # dossier last_i was generated
            _copy_offices(ctx, copies, places[0][0], last, report)
    report.dossiers = dossiers
    return report
