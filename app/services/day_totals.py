"""Per-day totals of the dossiers, kept by the fold, so the reports read days, not dossiers.

Form II.06a counts, for a period [F, T] and a day `as_of`, the dossiers with a due date
that are settled, or still open (received, in progress, waiting for a supplement); see
app.services.reports `_ii06a_counts`, the plain query over dossier rows that stays the
reference. Each such dossier adds rows to `dossier_day_totals` (`contributions`), with r
its receipt day, s its settlement day, u its due date (Vietnam days):

- ``recv`` at r (by channel): received; unless it was settled before its receipt (below).
- ``settle`` at s (by outcome): settled, on or after its receipt day.
- ``late_in`` at max(r, u + 1) and, for a settled one, ``late_out`` at s when that comes
  later: the days on which it is open and past due (a supplement wait never is).
- ``skew`` at r with day2 = s (channel and outcome): settled *before* its receipt, which
  desks' clocks or conflicting events can produce; it counts only when F <= s and r <= T.

Then, with sums over days: received in the period = recv in [F, T]; carried over =
recv before F - settle before F; settled = settle in [F, T]; in progress at T =
recv up to T - settle up to T, of which past due = late_in up to T - late_out up to T
(the plain query's own rules, proved equal to it over random histories in
tests/unit/services/test_day_totals.py).

Why a table of deltas rather than a snapshot per day: a change to one dossier touches a
handful of rows (its old contributions out, its new ones in), whatever its age.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Table, bindparam, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from app.models import DossierDayTotal, DossierMonthTotal, EventDayTotal, EventProcedureDayTotal

TABLE: Table = DossierDayTotal.__table__  # type: ignore[assignment]
MONTHS: Table = DossierMonthTotal.__table__  # type: ignore[assignment]
#: The summary's event counts (kept by app.services.event_totals): renamed with the others
#: on pairing, copied with the others by a demo seed's office copies.
EVENTS: Table = EventDayTotal.__table__  # type: ignore[assignment]
#: The same by the procedure of the event's dossier (the summary for one procedure).
PROCEDURE_EVENTS: Table = EventProcedureDayTotal.__table__  # type: ignore[assignment]
KEY_COLUMNS = tuple(c.name for c in TABLE.primary_key.columns)
MONTH_KEY_COLUMNS = tuple(c.name for c in MONTHS.primary_key.columns)

RECV, SETTLE, LATE_IN, LATE_OUT, SKEW = "recv", "settle", "late_in", "late_out", "skew"
#: The statuses an unsettled dossier is counted in (received, in progress, waiting).
COUNTED_OPEN = frozenset({"received", "in_progress", "supplement_requested"})
WAITING = "supplement_requested"
VN_OFFSET = timedelta(hours=7)

#: (day, kind, procedure, office, desk, officer, channel, outcome, day2): KEY_COLUMNS' order.
Key = tuple[date, str, str, str, str, str, str, str, date]


def vn_day(value: Any) -> date:
    """The Vietnam calendar day of a stored instant (aware, naive UTC, or ISO text): its UTC
    wall time, by its own offset, plus seven hours (no zone conversion: a fold's times
    pass here twice a dossier)."""
    at = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    off = at.utcoffset()
    return (at + (VN_OFFSET - off if off else VN_OFFSET)).date()


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def contributions(st: Mapping[str, Any] | None) -> list[Key]:
    """The rows (each counting 1) that one dossier, as its columns, adds to the totals."""
    if st is None or st.get("due_date") is None or st.get("received_at") is None:
        return []
    settled_at = st.get("settled_at")
    if settled_at is None and st.get("status") not in COUNTED_OPEN:
        return []
    who = (
        str(st.get("procedure_code") or ""),
        str(st.get("office_id") or ""),
        str(st.get("desk_id") or ""),
        str(st.get("officer_id") or ""),
    )
    channel = str(st.get("channel") or "")
    r = vn_day(st["received_at"])
    late = max(r, _as_date(st["due_date"]) + timedelta(days=1))
    if settled_at is None:
        out: list[Key] = [(r, RECV, *who, channel, "", r)]
        if st.get("status") != WAITING:
            out.append((late, LATE_IN, *who, "", "", late))
        return out
    s = vn_day(settled_at)
    outcome = str(st.get("settled_outcome") or "")
    if s < r:
        return [(r, SKEW, *who, channel, outcome, s)]
    out = [(r, RECV, *who, channel, "", r), (s, SETTLE, *who, "", outcome, s)]
    if late < s:
        out += [(late, LATE_IN, *who, "", "", late), (s, LATE_OUT, *who, "", "", s)]
    return out


Change = tuple[Mapping[str, Any] | None, Mapping[str, Any] | None]


def deltas(changes: Iterable[Change]) -> dict[Key, int]:
    """What (before, after) pairs of dossier states change in the totals (zeros dropped)."""
    out: dict[Key, int] = {}
    for before, after in changes:
        for k in contributions(before):
            out[k] = out.get(k, 0) - 1
        for k in contributions(after):
            out[k] = out.get(k, 0) + 1
    return {k: v for k, v in out.items() if v}


def _upsert(conn: Connection, table: Table) -> Any:
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(table)
    return stmt.on_conflict_do_update(
        index_elements=[c.name for c in table.primary_key.columns],
        set_={"n": table.c.n + stmt.excluded.n},
    )


def month_of(day: date) -> date:
    return day.replace(day=1)


def apply(conn: Connection, changes: Iterable[Change]) -> None:
    """Move the day and month totals by what the (before, after) dossier states change, in
    the caller's transaction. Keys in a fixed order, so two writers never wait on each
    other crosswise."""
    diff = deltas(changes)
    if not diff:
        return
    months: dict[tuple[Any, ...], int] = {}
    for k, n in diff.items():
        if k[1] != SKEW:
            mk = (month_of(k[0]), *k[1:8])
            months[mk] = months.get(mk, 0) + n
    conn.execute(
        _upsert(conn, TABLE),
        [{**dict(zip(KEY_COLUMNS, k, strict=True)), "n": n} for k, n in sorted(diff.items())],
    )
    rows = [
        {**dict(zip(MONTH_KEY_COLUMNS, k, strict=True)), "n": n}
        for k, n in sorted(months.items())
        if n
    ]
    if rows:
        conn.execute(_upsert(conn, MONTHS), rows)


def rekey(conn: Connection, column: str, old: str, new: str) -> None:
    """Rename an office or desk id in the totals (pairing renames them on the dossiers),
    merging into rows the new id may already have."""
    assert column in ("office_id", "desk_id")
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    for table in (TABLE, MONTHS, EVENTS, PROCEDURE_EVENTS):
        cols = [c for c in table.columns]
        moved = select(
            *[bindparam("new", new).label(column) if c.name == column else c for c in cols]
        ).where(table.c[column] == old)
        stmt = dialect.insert(table).from_select([c.name for c in cols], moved)
        conn.execute(
            stmt.on_conflict_do_update(
                index_elements=[c.name for c in table.primary_key.columns],
                set_={"n": table.c.n + stmt.excluded.n},
            )
        )
        conn.execute(delete(table).where(table.c[column] == old))
