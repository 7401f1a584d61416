"""Per-day counts of the events the daily summary counts, kept by the event writers.

app.services.reports `daily_summary` counts, for a period and a scope, the events of the
period by type (received, supplements, refusals, transfers), the ratings and their
scores, and the returned or posted results split by their dossier's settlement (on time
or not). `event_day_totals` holds those counts per Vietnam day, type, office, desk and
officer, so a year reads a few hundred thousand small rows instead of millions of events.

Two ways in, both in the writer's transaction:

- `record(conn, rows)`: the rows a writer has just inserted into `events` (intake, the
  pull, the seed), counted in Python per batch: a few µs an event (a trigger cost about
  100 µs). Only rows actually inserted are passed, so an event stored twice is not
  counted twice. A returned or posted event is counted under its dossier's settlement as
  the dossier row stands at that moment ("ok": a result ready by the due date, "late":
  anything else), and not at all while this desk holds no row for its dossier (the
  report's plain query joins them).
- `move_returns(conn, changes)`: the fold's hook (`projection._totals`), for every dossier
  row written or dropped: when its settlement class changes (or the row comes or goes),
  its stored returns move from the old class to the new one.

So the table is always the sum over the stored events of `keys_of(event, class of its
dossier row)`, proved equal to the plain query over random histories in
tests/unit/services/test_event_totals.py. Events are never deleted or re-dated on a desk;
pairing renames office and desk ids (`day_totals.rekey` renames them here too).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Table, select

from app.domain import lifecycle
from app.models import Dossier, Event, EventDayTotal
from app.models.events import FEEDBACK_INDICES
from app.services import day_totals

TABLE: Table = EventDayTotal.__table__  # type: ignore[assignment]
_DOSSIERS: Table = Dossier.__table__  # type: ignore[assignment]
_EVENTS: Table = Event.__table__  # type: ignore[assignment]

#: Counted by type alone (detail "").
PLAIN = frozenset(
    {"received", "supplement_received", "supplement_requested", "refused", "transferred"}
)
RETURNS = frozenset({"returned", "posted"})
#: The key under which the fold lists the returns it took in (projection.RETURNS_FOLDED).
RETURNS_FOLDED = "_returns"
FEEDBACK = "feedback_given"
COUNTED = PLAIN | RETURNS | {FEEDBACK}
#: The types whose event, carrying a code, creates its dossier.
CREATING = frozenset(t.value for t in lifecycle.CREATING)
_VN = day_totals.VN_OFFSET
OK, LATE = "ok", "late"
SCORES = (0, 1, 2)

#: (day, type, office, desk, officer, detail): the table's key in its order.
Key = tuple[date, str, str, str, str, str]


def settlement_class(st: Mapping[str, Any] | None) -> str | None:
    """How the report counts a return of this dossier: on time when its result was ready
    by the due date in force (`reports.daily_summary`), late otherwise; None: no row."""
    if st is None:
        return None
    ok = st.get("settled_type") == "result_ready" and st.get("settled_outcome") in (
        "early",
        "on_time",
    )
    return OK if ok else LATE


def _day(at: Any) -> date:
    """`day_totals.vn_day`, short for the usual case of an aware UTC datetime (a pull's,
    a seed's rows)."""
    if type(at) is datetime and at.tzinfo is UTC:
        return (at + day_totals.VN_OFFSET).date()
    return day_totals.vn_day(at)


def _payload(p: Any) -> Mapping[str, Any]:
    if isinstance(p, Mapping):
        return p
    if isinstance(p, str | bytes):
        import orjson

        out = orjson.loads(p)
        return out if isinstance(out, Mapping) else {}
    return {}


def add_keys(out: dict[Key, int], row: Mapping[str, Any], cls: str | None, sign: int = 1) -> None:
    """Add what one stored event counts (`cls`: its dossier's `settlement_class`) to `out`."""
    t = row["type"]
    if t not in COUNTED:
        return
    detail = ""
    if t in RETURNS:
        if cls is None:
            return
        detail = cls
    base = (_day(row["occurred_at"]), t, row["office_id"] or "", row["desk_id"] or "")
    officer = row["officer_id"] or ""
    k: Key = (*base, officer, detail)
    out[k] = out.get(k, 0) + sign
    if t == FEEDBACK:
        scores = _payload(row["payload"]).get("scores") or {}
        if isinstance(scores, Mapping):
            for i in FEEDBACK_INDICES:
                v = scores.get(i)
                if type(v) is int and v in SCORES:
                    k = (*base, officer, f"{i}={v}")
                    out[k] = out.get(k, 0) + sign


def _write(conn: Connection, diff: Mapping[Key, int]) -> None:
    rows = [
        {
            "day": k[0],
            "type": k[1],
            "office_id": k[2],
            "desk_id": k[3],
            "officer_id": k[4],
            "detail": k[5],
            "n": n,
        }
        for k, n in sorted(diff.items())
        if n
    ]
    if rows:
        conn.execute(day_totals._upsert(conn, TABLE), rows)


def _classes(conn: Connection, dossier_ids: Iterable[str]) -> dict[str, str]:
    """The settlement class of each of these dossiers this desk holds a row for."""
    ids = sorted(set(dossier_ids))
    out: dict[str, str] = {}
    for i in range(0, len(ids), 500):
        for d_id, st, oc in conn.execute(
            select(_DOSSIERS.c.id, _DOSSIERS.c.settled_type, _DOSSIERS.c.settled_outcome).where(
                _DOSSIERS.c.id.in_(ids[i : i + 500])
            )
        ):
            out[d_id] = str(settlement_class({"settled_type": st, "settled_outcome": oc}))
    return out


def record(conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
    """Count events just inserted into `events` (each exactly once), in the caller's
    transaction. Rows as inserted: type, occurred_at, office_id, desk_id, officer_id,
    dossier_id, payload. Called per batch: the loop is `add_keys` written out."""
    # A dossier whose record is in the batch has no row yet: no look-up for its returns.
    returns = {r["dossier_id"] for r in rows if r["type"] in RETURNS}
    if returns:
        returns -= {
            r["dossier_id"]
            for r in rows
            if r["type"] in CREATING
            and isinstance(r["payload"], Mapping)
            and "code" in r["payload"]
        }
    classes = _classes(conn, returns) if returns else {}
    diff: dict[Key, int] = {}
    get = diff.get
    for r in rows:
        t = r["type"]
        if t not in COUNTED:
            continue
        if t == FEEDBACK:
            add_keys(diff, r, None)
            continue
        if t in RETURNS:
            detail = classes.get(r["dossier_id"])
            if detail is None:
                continue
        else:
            detail = ""
        at = r["occurred_at"]
        day = (at + _VN).date() if type(at) is datetime and at.tzinfo is UTC else _day(at)
        k = (day, t, r["office_id"] or "", r["desk_id"] or "", r["officer_id"] or "", detail)
        diff[k] = get(k, 0) + 1
    _write(conn, diff)


def move_returns(
    conn: Connection, changes: Iterable[tuple[Mapping[str, Any] | None, Mapping[str, Any] | None]]
) -> None:
    """The fold's hook: move the stored returns of each dossier whose settlement class
    changes (a row written, or dropped) from its old class to its new one.

    A new row is the fold of all its dossier's stored events (the pull folds a new
    dossier from nothing over what it holds, a refold over all of them, the seed and
    intake write the new dossier's events with it): its returns are those the fold took
    in (`projection.RETURNS_FOLDED`), and none of them was counted (no row then; the seed
    counts its events before it writes the rows). For a row changed or dropped they are
    read back from the events."""
    moving: dict[str, tuple[str | None, str | None]] = {}
    diff: dict[Key, int] = {}
    for before, after in changes:
        cb, ca = settlement_class(before), settlement_class(after)
        if cb == ca:
            continue
        if before is None and after is not None:
            for r in after.get(RETURNS_FOLDED, ()):
                add_keys(diff, r, ca)
            continue
        st = after if after is not None else before
        assert st is not None
        moving[str(st["id"])] = (cb, ca)
    ids = sorted(moving)
    cols = [_EVENTS.c[c] for c in ("dossier_id", "type", "occurred_at", "office_id")] + [
        _EVENTS.c.desk_id,
        _EVENTS.c.officer_id,
    ]
    for i in range(0, len(ids), 500):
        # By dossier: the type written so that no index serves it, else SQLite walks every
        # return in ix_events_type_occurred (not INDEXED BY: a large seed drops indexes).
        for r in conn.execute(
            select(*cols).where(
                _EVENTS.c.dossier_id.in_(ids[i : i + 500]),
                _EVENTS.c.type.concat("").in_(sorted(RETURNS)),
            )
        ).mappings():
            cb, ca = moving[r["dossier_id"]]
            row = dict(r)
            add_keys(diff, row, cb, -1)
            add_keys(diff, row, ca, 1)
    _write(conn, diff)


def forget(
    conn: Connection,
    source_id: str,
    office_id: str,
    desks: Mapping[str, str],
    state: Mapping[str, Any],
) -> None:
    """Take out of an office copy's totals (copied with the generated office's, office
    and desks mapped: app.services.seed_copies) the events of the source dossier the copy
    left out, as they were counted there (its dossier in `state`)."""
    cols = [
        _EVENTS.c[c]
        for c in ("dossier_id", "type", "occurred_at", "office_id", "desk_id", "officer_id")
    ]
    diff: dict[Key, int] = {}
    for r in conn.execute(
        select(*cols, _EVENTS.c.payload).where(_EVENTS.c.dossier_id == source_id)
    ).mappings():
        moved = {**r, "office_id": office_id, "desk_id": desks.get(r["desk_id"], r["desk_id"])}
        add_keys(diff, moved, settlement_class(state), -1)
    _write(conn, diff)
