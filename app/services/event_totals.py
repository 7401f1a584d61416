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
from datetime import date
from typing import Any

from sqlalchemy import Connection, Table, select

from app.domain import lifecycle
from app.models import Dossier, Event, EventDayTotal
from app.models.events import FEEDBACK_INDICES
from app.services import day_totals

TABLE: Table = EventDayTotal.__table__  # type: ignore[assignment]
#: The same by the procedure of the event's dossier, counting only the events of a
#: dossier this desk holds a row for (a procedure's summary joins them).
PROCEDURES: Table = day_totals.PROCEDURE_EVENTS
_DOSSIERS: Table = Dossier.__table__  # type: ignore[assignment]
_EVENTS: Table = Event.__table__  # type: ignore[assignment]
#: What `add_keys` reads of a stored event (with its payload for a rating), and its dossier.
_COUNTED_COLUMNS = [
    _EVENTS.c[c]
    for c in ("dossier_id", "type", "occurred_at", "office_id", "desk_id", "officer_id")
]

#: Counted by type alone (detail "").
PLAIN = frozenset(
    {"received", "supplement_received", "supplement_requested", "refused", "transferred"}
)
RETURNS = frozenset({"returned", "posted"})
#: The key under which the fold lists the counted events it took in (projection.FOLDED).
FOLDED = "_counted"
FEEDBACK = "feedback_given"
COUNTED = PLAIN | RETURNS | {FEEDBACK}
#: The types whose event, carrying a code, creates its dossier.
CREATING = frozenset(t.value for t in lifecycle.CREATING)
OK, LATE = "ok", "late"
SCORES = (0, 1, 2)

#: (day, type, office, desk, officer, detail): the table's key in its order.
Key = tuple[date, str, str, str, str, str]
#: (procedure, day, type, office, desk, officer, detail): PROCEDURES' key.
ProcKey = tuple[str, date, str, str, str, str, str]


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


#: The Vietnam day of an event's time: `day_totals.vn_day`, which takes it by the time's own
#: offset (no zone conversion), so a pulled time (pydantic's zone) costs no more than a UTC one.
_day = day_totals.vn_day


def _payload(p: Any) -> Mapping[str, Any]:
    if isinstance(p, Mapping):
        return p
    if isinstance(p, str | bytes):
        import orjson

        out = orjson.loads(p)
        return out if isinstance(out, Mapping) else {}
    return {}


def add_keys(
    out: dict[Any, int],
    row: Mapping[str, Any],
    cls: str | None,
    sign: int = 1,
    procedure: str | None = None,
) -> None:
    """Add what one stored event counts (`cls`: its dossier's `settlement_class`) to `out`:
    its `event_day_totals` keys, or with `procedure` its PROCEDURES keys."""
    t = row["type"]
    if t in COUNTED:
        _add(
            out,
            t,
            row["occurred_at"],
            row["office_id"],
            row["desk_id"],
            row["officer_id"],
            row["payload"] if t == FEEDBACK else None,
            cls,
            sign,
            procedure,
        )


def _add(
    out: dict[Any, int],
    t: str,
    at: Any,
    office_id: str | None,
    desk_id: str | None,
    officer_id: str | None,
    payload: Any,
    cls: str | None,
    sign: int,
    procedure: str | None,
) -> None:
    """`add_keys` of an event of a counted type, given as its values (`payload`: a
    rating's; the fold's events are read as attributes, without a row built for each)."""
    detail = ""
    if t in RETURNS:
        if cls is None:
            return
        detail = cls
    base: tuple[Any, ...] = (_day(at), t, office_id or "", desk_id or "", officer_id or "")
    if procedure is not None:
        base = (procedure, *base)
    k = (*base, detail)
    out[k] = out.get(k, 0) + sign
    if t == FEEDBACK:
        scores = _payload(payload).get("scores") or {}
        if isinstance(scores, Mapping):
            for i in FEEDBACK_INDICES:
                v = scores.get(i)
                if type(v) is int and v in SCORES:
                    k = (*base, f"{i}={v}")
                    out[k] = out.get(k, 0) + sign


def _write(conn: Connection, diff: Mapping[Key, int], pdiff: Mapping[ProcKey, int]) -> None:
    """Add `diff` to event_day_totals and `pdiff` to PROCEDURES."""
    for table, changes in ((TABLE, diff), (PROCEDURES, pdiff)):
        # A key is the table's primary key, column for column (Key, ProcKey).
        names = [c.name for c in table.primary_key.columns]
        rows = [
            {**dict(zip(names, k, strict=True)), "n": n} for k, n in sorted(changes.items()) if n
        ]
        if rows:
            conn.execute(day_totals._upsert(conn, table), rows)


def _held(
    conn: Connection, dossier_ids: Iterable[str], states: Mapping[str, Any] | None
) -> dict[str, tuple[str, str]]:
    """(procedure, settlement class) of each of these dossiers this desk holds a row for:
    from `states` (the rows as the caller read them) when given, else looked up."""
    out: dict[str, tuple[str, str]] = {}
    if states is not None:
        for d_id in dossier_ids:
            st = states.get(d_id)
            if st is not None:
                out[d_id] = (str(st["procedure_code"]), str(settlement_class(st)))
        return out
    ids = sorted(set(dossier_ids))
    c = _DOSSIERS.c
    for i in range(0, len(ids), 500):
        for d_id, proc, st, oc in conn.execute(
            select(c.id, c.procedure_code, c.settled_type, c.settled_outcome).where(
                c.id.in_(ids[i : i + 500])
            )
        ):
            cls = settlement_class({"settled_type": st, "settled_outcome": oc})
            out[d_id] = (proc, str(cls))
    return out


def record(
    conn: Connection,
    rows: Sequence[Mapping[str, Any]],
    states: Mapping[str, Mapping[str, Any] | None] | None = None,
) -> None:
    """Count events just inserted into `events` (each exactly once), in the caller's
    transaction. Rows as inserted: type, occurred_at, office_id, desk_id, officer_id,
    dossier_id, payload. `states`: the rows this desk holds now for the rows' dossiers
    (absent or None: no row), when the caller has read them; else they are looked up.
    Called per batch: the loop is `add_keys` written out.

    PROCEDURES counts an event only while its dossier has a row (its procedure is the
    row's); a dossier without one has all its stored events counted there by the fold's
    hook when its row is written (`move_returns`)."""
    wanted = {r["dossier_id"] for r in rows if r["type"] in COUNTED}
    if states is None:
        # A dossier whose record is in the batch has no row yet (or, with intake, one
        # written with this batch, whose events the hook counted): no look-up for it.
        wanted -= {
            r["dossier_id"]
            for r in rows
            if r["type"] in CREATING
            and isinstance(r["payload"], Mapping)
            and "code" in r["payload"]
        }
    held = _held(conn, wanted, states) if wanted else {}
    diff: dict[Key, int] = {}
    pdiff: dict[ProcKey, int] = {}
    get, pget = diff.get, pdiff.get
    for r in rows:
        t = r["type"]
        if t not in COUNTED:
            continue
        row = held.get(r["dossier_id"])
        if t == FEEDBACK:
            add_keys(diff, r, None)
            if row is not None:
                add_keys(pdiff, r, None, procedure=row[0])
            continue
        if t in RETURNS:
            if row is None:
                continue
            detail = row[1]
        else:
            detail = ""
        k = (
            _day(r["occurred_at"]),
            t,
            r["office_id"] or "",
            r["desk_id"] or "",
            r["officer_id"] or "",
            detail,
        )
        diff[k] = get(k, 0) + 1
        if row is not None:
            pk = (row[0], *k)
            pdiff[pk] = pget(pk, 0) + 1
    _write(conn, diff, pdiff)


def move_returns(
    conn: Connection, changes: Iterable[tuple[Mapping[str, Any] | None, Mapping[str, Any] | None]]
) -> None:
    """The fold's hook, for every dossier row written or dropped: keep both tables the sum
    over the stored events of what they count under the row as it now stands.

    A new row is the fold of all its dossier's stored events (the pull folds a new
    dossier from nothing over what it holds, a refold over all of them, the seed and
    intake write the new dossier's events with it), and none of them was counted under
    it (`record` counts a dossier's events only while it has a row, and a record in the
    batch means no row yet; the seed counts its events before it writes the rows): its
    returns, and all of them by procedure, are added from those the fold took in
    (`projection.FOLDED`). For a row changed (its settlement class, or its procedure:
    never changed by the fold, checked all the same) or dropped, they are read back
    from the events by dossier."""
    # id -> (before, after): a class change (returns only), or a row dropped or re-filed.
    moving: dict[str, tuple[Mapping[str, Any], Mapping[str, Any]]] = {}
    whole: dict[str, tuple[Mapping[str, Any], Mapping[str, Any] | None]] = {}
    diff: dict[Key, int] = {}
    pdiff: dict[ProcKey, int] = {}
    for before, after in changes:
        if before is None:
            if after is not None:
                ca = settlement_class(after)
                proc = str(after["procedure_code"])
                for ev in after.get(FOLDED, ()):
                    t = ev.type
                    if t not in COUNTED:
                        continue
                    args = (ev.occurred_at, ev.office_id, ev.desk_id, ev.officer_id)
                    payload = ev.payload if t == FEEDBACK else None
                    if t in RETURNS:
                        _add(diff, t, *args, payload, ca, 1, None)
                    _add(pdiff, t, *args, payload, ca, 1, proc)
            continue
        if after is None or before["procedure_code"] != after["procedure_code"]:
            whole[str(before["id"])] = (before, after)
        elif settlement_class(before) != settlement_class(after):
            moving[str(before["id"])] = (before, after)
    cols = _COUNTED_COLUMNS
    ids = sorted(moving)
    for i in range(0, len(ids), 500):
        # By dossier: the type written so that no index serves it, else SQLite walks every
        # return in ix_events_type_occurred (not INDEXED BY: a large seed drops indexes).
        for r in conn.execute(
            select(*cols).where(
                _EVENTS.c.dossier_id.in_(ids[i : i + 500]),
                _EVENTS.c.type.concat("").in_(sorted(RETURNS)),
            )
        ).mappings():
            _move(diff, pdiff, dict(r), *moving[r["dossier_id"]])
    ids = sorted(whole)
    for i in range(0, len(ids), 500):
        # A row dropped (a refold) or re-filed: every counted event of it, by dossier.
        for r in conn.execute(
            select(*cols, _EVENTS.c.payload).where(_EVENTS.c.dossier_id.in_(ids[i : i + 500]))
        ).mappings():
            _move(diff, pdiff, dict(r), *whole[r["dossier_id"]])
    _write(conn, diff, pdiff)


def _move(
    diff: dict[Key, int],
    pdiff: dict[ProcKey, int],
    row: Mapping[str, Any],
    before: Mapping[str, Any],
    after: Mapping[str, Any] | None,
) -> None:
    """One stored event out of what it counted under `before`, into `after` (None: the
    row dropped)."""
    cb = settlement_class(before)
    add_keys(pdiff, row, cb, -1, procedure=str(before["procedure_code"]))
    if row["type"] in RETURNS:
        add_keys(diff, row, cb, -1)
    if after is not None:
        ca = settlement_class(after)
        add_keys(pdiff, row, ca, 1, procedure=str(after["procedure_code"]))
        if row["type"] in RETURNS:
            add_keys(diff, row, ca, 1)


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
    diff: dict[Key, int] = {}
    pdiff: dict[ProcKey, int] = {}
    cls, proc = settlement_class(state), str(state["procedure_code"])
    for r in conn.execute(
        select(*_COUNTED_COLUMNS, _EVENTS.c.payload).where(_EVENTS.c.dossier_id == source_id)
    ).mappings():
        moved = {**r, "office_id": office_id, "desk_id": desks.get(r["desk_id"], r["desk_id"])}
        add_keys(diff, moved, cls, -1)
        add_keys(pdiff, moved, cls, -1, procedure=proc)
    _write(conn, diff, pdiff)
