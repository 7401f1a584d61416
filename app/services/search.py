"""Finding dossiers: by code, ID number, phone, social-insurance number or folded name.

Every query is an index lookup or an index range (STYLE.md: the folded name is its own
indexed column and a prefix is searched as `>= p AND < p || U+FFFF`), so a desk with a
million dossiers answers in milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, and_, bindparam, func, or_, select
from sqlalchemy.orm import Session

from app.domain.dossier_code import normalise_scanned_code
from app.domain.identifiers import normalise_phone
from app.domain.lifecycle import OPEN, status_label
from app.domain.text import digits_only, fold
from app.models import Dossier, ProcedureVersion
from app.services.context import DeskContext

HIGH = "\uffff"


@dataclass(frozen=True, slots=True)
class DossierSummary:
    id: str
    code: str
    full_name: str
    id_number: str | None
    phone: str | None
    procedure_code: str
    procedure_name: str
    status: str
    status_label: str
    received_at: datetime
    due_date: date | None
    desk_id: str
    officer_id: str | None
    conflict: bool
    procedure_name_en: str = ""  # for English screens

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "applicant": self.full_name,
            "procedure": self.procedure_name,
            "procedure_code": self.procedure_code,
            "status": self.status,
            "status_label": self.status_label,
            "received_at": self.received_at.isoformat(),
            "appointment_date": self.due_date.isoformat() if self.due_date else None,
        }


_COLUMNS = (
    Dossier.id,
    Dossier.code,
    Dossier.full_name,
    Dossier.id_number,
    Dossier.phone,
    Dossier.procedure_code,
    ProcedureVersion.name_vi,
    Dossier.status,
    Dossier.received_at,
    Dossier.due_date,
    Dossier.desk_id,
    Dossier.officer_id,
    Dossier.conflict,
    ProcedureVersion.name_en,
)


def _base() -> Select:  # type: ignore[type-arg]  # its column tuple is long and changes
    return select(*_COLUMNS).join(
        ProcedureVersion, ProcedureVersion.id == Dossier.procedure_version_id
    )


def _summaries(session: Session, stmt: Select) -> list[DossierSummary]:  # type: ignore[type-arg]
    return _from_rows(session.execute(stmt))


def _from_rows(rows: Iterable[Any]) -> list[DossierSummary]:
    out = []
    labels: dict[str, str] = {}  # a page holds a handful of states: label each once
    for row in rows:
        (id_, code, name, idn, phone, pcode, pname, status, rec, due, desk, officer, conf,
         pname_en) = row
        out.append(
            DossierSummary(
                id_,
                code,
                name,
                idn,
                phone,
                pcode,
                pname,
                status,
                labels.get(status) or labels.setdefault(status, status_label(status)),
                rec,
                due,
                desk,
                officer,
                bool(conf),
                pname_en or "",
            )
        )
    return out


def text_condition(text: str):  # type: ignore[no-untyped-def]
    """The WHERE clause for one search box entry, or None when the text is empty."""
    return _text_condition(text)[0]


def _is_name(raw: str) -> bool:
    """True when `raw` (stripped, not empty) is searched as a folded-name prefix: neither a
    dossier code nor a number (what `_text_condition` decides, without building SQL)."""
    if normalise_scanned_code(raw):
        return False
    return not _looks_numeric(raw, digits_only(raw))


def _looks_numeric(raw: str, digits: str) -> bool:
    """Mostly digits: an ID, insurance or phone number (a few separators allowed)."""
    return bool(digits) and len(digits) >= len(raw.replace(" ", "").replace("+", "")) - 2


def _text_condition(text: str):  # type: ignore[no-untyped-def]
    """(WHERE clause or None, "code" | "number" | "name")."""
    raw = (text or "").strip()
    if not raw:
        return None, ""
    code = normalise_scanned_code(raw)
    if code:
        return Dossier.code == code, "code"
    digits = digits_only(raw)
    if _looks_numeric(raw, digits):
        conds = []
        if len(digits) in (9, 12):
            conds.append(Dossier.id_number == digits)
        if len(digits) == 10:
            conds.append(Dossier.social_insurance_no == digits)
        phone = normalise_phone(raw)
        if phone.isdigit() and phone.startswith("0") and len(phone) in (10, 11):
            conds.append(Dossier.phone == phone)
        if conds:
            return or_(*conds), "number"
    folded = fold(raw)
    return and_(Dossier.name_fold >= folded, Dossier.name_fold < folded + HIGH), "name"


#: The name search, built once: at a million dossiers building the statement on every
#: keystroke cost more than running it.
_NAME_SEARCH = (
    _base()
    .where(Dossier.name_fold >= bindparam("lo"), Dossier.name_fold < bindparam("hi"))
    .order_by(Dossier.name_fold, Dossier.received_at.desc())
    .limit(bindparam("n"))
)


def find_dossiers(ctx: DeskContext, text: str, limit: int = 50) -> list[DossierSummary]:
    """The search box and `onestop find`: newest first; a name prefix in name order, and
    each name's dossiers newest first.

    Why name order for names: "tran thi" matches a tenth of a million dossiers, and newest
    first across all of them sorts every match (30 ms at 1,000,000); in the index's name
    order only each name's few rows are sorted and the first 50 come at once (0.3 ms).
    """
    raw = (text or "").strip()
    if not raw:
        return []
    code = normalise_scanned_code(raw)
    if code:  # a code: one row by its unique index, the statement built once
        with ctx.read_connection() as c:
            return _from_rows(c.execute(_CODE_SEARCH, {"code": code}).all())
    numbers = _number_keys(raw)
    if numbers:  # ID, insurance or phone number: the statement for these keys, built once
        with ctx.read_connection() as c:
            stmt = _number_search(tuple(sorted(numbers)))
            return _from_rows(c.execute(stmt, {**numbers, "n": limit}).all())
    if _is_name(raw):
        # The hot path of the search box: the statement is built once, no WHERE clause
        # is built per keystroke, and the rows come in one fetch (issue 10, item 9).
        folded = fold(raw)
        with ctx.read_connection() as c:
            rows = c.execute(_NAME_SEARCH, {"lo": folded, "hi": folded + HIGH, "n": limit})
            return _from_rows(rows.all())
    cond, kind = _text_condition(raw)
    if cond is None:
        return []
    order = (
        (Dossier.name_fold, Dossier.received_at.desc())
        if kind == "name"
        else (Dossier.received_at.desc(),)
    )
    with ctx.read_connection() as c:
        stmt = _base().where(cond).order_by(*order).limit(limit)
        return _from_rows(c.execute(stmt).all())


def get_by_code(ctx: DeskContext, code: str) -> DossierSummary | None:
    normalised = normalise_scanned_code(code)
    if not normalised:
        return None
    with ctx.read_connection() as c:
        found = _from_rows(c.execute(_CODE_SEARCH, {"code": normalised}).all())
        return found[0] if found else None


_CODE_SEARCH = _base().where(Dossier.code == bindparam("code"))

_NUMBER_COLUMNS = {
    "id_number": Dossier.id_number,
    "social_insurance_no": Dossier.social_insurance_no,
    "phone": Dossier.phone,
}


def _number_keys(raw: str) -> dict[str, str]:
    """The number columns `raw` is matched against, with the value for each (the same
    rules as `_text_condition`); empty when `raw` is not searched as a number."""
    digits = digits_only(raw)
    if not _looks_numeric(raw, digits):
        return {}
    keys = {}
    if len(digits) in (9, 12):
        keys["id_number"] = digits
    if len(digits) == 10:
        keys["social_insurance_no"] = digits
    phone = normalise_phone(raw)
    if phone.isdigit() and phone.startswith("0") and len(phone) in (10, 11):
        keys["phone"] = phone
    return keys


@lru_cache(maxsize=8)
def _number_search(columns: tuple[str, ...]) -> Select:  # type: ignore[type-arg]
    """Newest first by any of these number columns; one statement per set of columns."""
    cond = or_(*(_NUMBER_COLUMNS[c] == bindparam(c) for c in columns))
    return _base().where(cond).order_by(Dossier.received_at.desc()).limit(bindparam("n"))


@dataclass(frozen=True)
class DossierFilter:
    """The dossier list's filters; None means "any"."""

    text: str = ""
    statuses: tuple[str, ...] = ()
    due: str | None = None  # "today" | "soon" | "overdue"
    procedure_code: str | None = None
    received_from: date | None = None
    received_to: date | None = None
    desk_id: str | None = None
    officer_id: str | None = None
    today: date = field(default_factory=date.today)
    soon_until: date | None = None  # the 2nd working day from today, from the calendar
    sort: str = "received"  # one of SORTS: the list's column order, keyset-paged
    descending: bool = True


#: The list's sortable columns: each is paged by (value, id), so any page is as cheap as
#: the first. A missing appointment sorts as the earliest date.
NO_DATE = date(1, 1, 1)
SORTS = {
    "received": Dossier.received_at,
    "code": Dossier.code,
    "name": Dossier.name_fold,
    "due": func.coalesce(Dossier.due_date, NO_DATE),
}


def sort_value(
    sort: str, code: str, full_name: str, received_at: datetime, due_date: date | None
) -> object:
    """The value of `sort`'s column for a row the list holds (the next page's keyset)."""
    return {
        "received": received_at,
        "code": code,
        "name": fold(full_name),
        "due": due_date or NO_DATE,
    }[sort]


def _filtered(f: DossierFilter) -> Select[tuple[object, ...]]:
    stmt = _base()
    cond = text_condition(f.text)
    if cond is not None:
        stmt = stmt.where(cond)
    if f.statuses:
        stmt = stmt.where(Dossier.status.in_(f.statuses))
    open_states = [s.value for s in OPEN]
    if f.due == "today":
        stmt = stmt.where(Dossier.status.in_(open_states), Dossier.due_date == f.today)
    elif f.due == "soon":
        until = f.soon_until or f.today + timedelta(days=2)
        stmt = stmt.where(
            Dossier.status.in_(open_states),
            Dossier.due_date >= f.today,
            Dossier.due_date <= until,
        )
    elif f.due == "overdue":
        stmt = stmt.where(Dossier.status.in_(open_states), Dossier.due_date < f.today)
    if f.procedure_code:
        stmt = stmt.where(Dossier.procedure_code == f.procedure_code)
    if f.received_from:
        start = datetime.combine(f.received_from, datetime.min.time()).astimezone()
        stmt = stmt.where(Dossier.received_at >= start)
    if f.received_to:
        end = datetime.combine(f.received_to + timedelta(days=1), datetime.min.time()).astimezone()
        stmt = stmt.where(Dossier.received_at < end)
    if f.desk_id:
        stmt = stmt.where(Dossier.desk_id == f.desk_id)
    if f.officer_id:
        stmt = stmt.where(Dossier.officer_id == f.officer_id)
    return stmt


def list_page(
    ctx: DeskContext,
    f: DossierFilter,
    *,
    after: tuple[object, str] | None = None,
    limit: int = 200,
) -> list[DossierSummary]:
    """One page of the list in `f.sort` order (newest first by default), keyset-paged on
    (that column, id): every page is as cheap as the first, however deep the officer
    scrolls. `after` is the last row's (`sort_value`, id).
    """
    stmt = _filtered(f)
    col = SORTS[f.sort]
    if after is not None:
        value, last_id = after
        if f.descending:
            stmt = stmt.where(or_(col < value, and_(col == value, Dossier.id < last_id)))
        else:
            stmt = stmt.where(or_(col > value, and_(col == value, Dossier.id > last_id)))
    order = (col.desc(), Dossier.id.desc()) if f.descending else (col.asc(), Dossier.id.asc())
    stmt = stmt.order_by(*order).limit(limit)
    with ctx.read() as s:
        return _summaries(s, stmt)


def count(ctx: DeskContext, f: DossierFilter) -> int:
    stmt = select(func.count()).select_from(_filtered(f).subquery())
    with ctx.read() as s:
        return int(s.scalar(stmt) or 0)



def newest_id(ctx: DeskContext) -> str | None:
    """The most recently received dossier's id (the start-up warm-up renders its form)."""
    with ctx.read() as s:
        return s.scalar(select(Dossier.id).order_by(Dossier.received_at.desc()).limit(1))


def earlier_dossiers(ctx: DeskContext, id_number: str, limit: int = 20) -> list[DossierSummary]:
    """The citizen's dossiers on this desk's database, newest first (index on id_number)."""
    digits = digits_only(id_number)
    if len(digits) not in (9, 12):
        return []
    with ctx.read() as s:
        stmt = (
            _base()
            .where(Dossier.id_number == digits)
            .order_by(Dossier.received_at.desc())
            .limit(limit)
        )
        return _summaries(s, stmt)
