"""A large demo seed's other offices as copies of the one office it generated.

Why: a million-dossier seed spreads its dossiers over demo offices of at most 400 a day
each (`seed_demo`); generating and folding each dossier in Python costs about 230 µs of
CPU on an idle machine, so generating 1,000,000 took minutes where the bench's goal is
under two. The offices' shares are alike (the same days, the same number a day), so
`seed_demo` generates the first office's share through the fold, and each other office
receives, in SQL and in one transaction per office, a copy that is a history of its own:

- new ids for dossiers, events and components (a random prefix per copy before the
  counter that `seed._id_maker` ends every id with);
- the copy's office in the code (row and record event's payload), its office id, and each
  source desk's events on the copy's desk of the same place (slot): desk sequence numbers
  and log-book entries are the source desk's, so they run without gaps on every desk;
- the citizen's ID, social-insurance and phone numbers shifted per copy (same shape, the
  ID's province, sex-century and birth-year digits kept), in the row and in the payload,
  so a look-up by number finds one dossier, not one per office; names are the same;
- every copied event is another desk's, received from the central service (origin
  remote, accepted, a receive time), so nothing of it waits in this desk's outbox;
- the reports' totals (every table app.services.day_totals keeps) copied with the office
  and desks mapped, which is exact because they count dossiers by office and desk and
  never by id, code or citizen; a copy one dossier short takes that dossier's out again:
  its dossier totals as the fold's hook would (`day_totals.apply`), its events' counts
  from its source's events (`event_totals.forget`; the hook would look for the copy's
  events, which were never written).

Payload text is changed with `replace` on the exact text the JSON encoder writes
(`"key": "value"`, app.models.bulk): a payload is never parsed and written again, so it
stays byte-for-byte what the app would write. tests/unit/services/test_seed_copies.py
refolds every copied dossier from its events and recounts the totals.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Connection, Table
from sqlalchemy.orm import Session

from app.models import Dossier, DossierComponent, Event
from app.models.events import SYNC_ACCEPTED
from app.services import day_totals, event_totals
from app.services.projection import DossierState

_DOSSIERS = cast(Table, Dossier.__table__)
_EVENTS = cast(Table, Event.__table__)
_COMPONENTS = cast(Table, DossierComponent.__table__)

#: The citizens' numbers a copy shifts: column, digits kept in front, digits shifted, and
#: the step per copy (prime to 10, so copies 1..n of a number never meet each other or
#: the source's for n below 10 ** digits).
NUMBERS = (
    ("id_number", 6, 6, 379_721),  # CCCD: province, sex-century, birth year | serial
    ("social_insurance_no", 2, 8, 37_972_139),
    ("phone", 3, 7, 3_797_213),  # the mobile network's prefix kept
)


@dataclass(frozen=True)
class Copy:
    """One office receiving a copy of the generated office's dossiers.

    Attributes:
        k: the copy's number (1, 2, ...), which shifts the citizens' numbers.
        prefix: its ids' first 24 characters (a UUID4 shape up to the counter).
        office_id, office_code: the office receiving it.
        desks: source desk id -> this office's desk in the same place.
        short: receives the generated office's last dossier or not (offices' shares of
            a seed differ by one at most: the first ones get the extra dossier).
    """

    k: int
    prefix: str
    office_id: str
    office_code: str
    desks: Mapping[str, str]
    short: bool


def id_prefix() -> str:
    """A new random id prefix, as `seed._id_maker` makes them (74 random bits)."""
    h = os.urandom(10).hex()
    return f"{h[:8]}-{h[8:12]}-4{h[12:15]}-{'89ab'[int(h[15], 16) & 3]}{h[16:19]}-"


def _shifted(expr: str, keep: int, digits: int, step: int) -> str:
    """SQL: the number `expr` with its last `digits` digits moved by :k * step (a value
    of another shape, or NULL, is left as it is)."""
    whole = keep + digits
    return (
        f"CASE WHEN length({expr}) = {whole} AND NOT {expr} GLOB '*[^0-9]*' "
        f"THEN substr({expr}, 1, {keep}) || printf('%0{digits}d', "
        f"(CAST(substr({expr}, {keep + 1}) AS INTEGER) + :k * {step}) % {10**digits}) "
        f"ELSE {expr} END"
    )


def _new_id(expr: str) -> str:
    return f":prefix || substr({expr}, 25)"


def _new_code(expr: str) -> str:
    return f":office_code || substr({expr}, :code_cut)"


def _desk(expr: str, n_desks: int) -> str:
    """SQL: the copy's desk for a source desk (NULL for any other, which the NOT NULL
    column refuses: a copy never guesses a desk)."""
    whens = " ".join(f"WHEN :src{i} THEN :dst{i}" for i in range(n_desks))
    return f"CASE {expr} {whens} END"


def _json_swap(payload: str, key: str, old: str, new: str) -> str:
    """SQL: `payload` with `"key": "<old>"` replaced by `"key": "<new>"` (the encoder's
    separators); unchanged when `old` is NULL (an empty pattern replaces nothing)."""
    return (
        f"replace({payload}, ifnull('\"{key}\": \"' || {old} || '\"', ''), "
        f"ifnull('\"{key}\": \"' || {new} || '\"', ''))"
    )


def _insert_select(
    table: Table, alias: str, exprs: Mapping[str, str], source: str, where: str
) -> str:
    """INSERT of every column of `table`, each copied as it is unless `exprs` says how,
    from `source` (rows in rowid order): a column added later is copied by default."""
    names = [c.name for c in table.columns]
    unknown = set(exprs) - set(names)
    assert not unknown, unknown
    values = ", ".join(exprs.get(n, f'{alias}."{n}"') for n in names)
    cols = ", ".join(f'"{n}"' for n in names)
    return (
        f'INSERT INTO "{table.name}" ({cols}) SELECT {values} FROM {source} '
        f"WHERE {where} ORDER BY {alias}.rowid"
    )


def _statements(n_desks: int) -> tuple[str, str, str]:
    """The three copy statements (dossiers, events, components) for offices of `n_desks`."""
    rows = "{a}.rowid > :lo_{t} AND {a}.rowid <= :hi_{t} AND {a}.{d} != :dropped"
    dossier_exprs = {
        "id": _new_id("d.id"),
        "code": _new_code("d.code"),
        "office_id": ":office_id",
        "desk_id": _desk("d.desk_id", n_desks),
        **{c: _shifted(f"d.{c}", *rest) for c, *rest in NUMBERS},
    }
    payload = _json_swap("e.payload", "code", "d.code", _new_code("d.code"))
    for c, *rest in NUMBERS:
        payload = _json_swap(payload, c, f"d.{c}", _shifted(f"d.{c}", *rest))
    # Only the record (the event that carries the dossier's code) holds these values: the
    # others are copied without building and scanning for four patterns each, and without
    # looking their dossier up (seven events in ten).
    payload = (
        f"CASE WHEN instr(e.payload, '\"code\": \"') THEN (SELECT {payload} "
        "FROM dossiers AS d WHERE d.id = e.dossier_id) ELSE e.payload END"
    )
    event_exprs = {
        "id": _new_id("e.id"),
        "desk_id": _desk("e.desk_id", n_desks),
        "office_id": ":office_id",
        "dossier_id": _new_id("e.dossier_id"),
        "payload": payload,
        "origin": "'remote'",
        "sync_state": ":accepted",
        "server_received_at": "coalesce(e.server_received_at, e.occurred_at)",
    }
    component_exprs = {"id": _new_id("c.id"), "dossier_id": _new_id("c.dossier_id")}
    return (
        _insert_select(
            _DOSSIERS, "d", dossier_exprs, "dossiers AS d", rows.format(a="d", t="d", d="id")
        ),
        _insert_select(
            _EVENTS,
            "e",
            event_exprs,
            "events AS e",
            rows.format(a="e", t="e", d="dossier_id"),
        ),
        _insert_select(
            _COMPONENTS,
            "c",
            component_exprs,
            "dossier_components AS c",
            rows.format(a="c", t="c", d="dossier_id"),
        ),
    )


_TABLES = ("dossiers", "events", "dossier_components")
_RANGE = {"dossiers": "d", "events": "e", "dossier_components": "c"}


def rowid_marks(conn: Connection) -> dict[str, int]:
    """The highest rowid of each table a seed fills (0 when empty): the generated office's
    rows are those up to the marks taken after it, on a desk that was empty before."""
    return {
        t: conn.exec_driver_sql(f'SELECT ifnull(max(rowid), 0) FROM "{t}"').scalar() or 0
        for t in _TABLES
    }


def totals_tables() -> list[Table]:
    """The reports' totals tables (those app.services.day_totals keeps). Each counts
    dossiers by office and desk among its keys, so an office's copy counts its copied
    dossiers under its own office and desks; a table without both columns could not be
    copied so, and fails here rather than be left out."""
    tables = [v for v in vars(day_totals).values() if isinstance(v, Table)]
    for t in tables:
        if "office_id" not in t.c or "desk_id" not in t.c:
            raise RuntimeError(f"{t.name}: no office and desk to copy its totals by")
    return tables


def _copy_totals(conn: Connection, table: Table, n_desks: int, params: Mapping[str, Any]) -> None:
    """Add the generated office's rows of `table` as the copy's (office and desks mapped),
    onto any the copy's keys already hold."""
    names = [c.name for c in table.columns]
    counts = [c.name for c in table.columns if not c.primary_key]
    exprs = {"office_id": ":office_id", "desk_id": _desk("t.desk_id", n_desks)}
    values = ", ".join(exprs.get(n, f't."{n}"') for n in names)
    keys = ", ".join(f'"{c.name}"' for c in table.primary_key.columns)
    adds = ", ".join(f'"{n}" = "{n}" + excluded."{n}"' for n in counts)
    conn.exec_driver_sql(
        f'INSERT INTO "{table.name}" ({", ".join(chr(34) + n + chr(34) for n in names)}) '
        f'SELECT {values} FROM "{table.name}" AS t WHERE t.office_id = :source_office '
        f"ORDER BY {keys} ON CONFLICT ({keys}) DO UPDATE SET {adds}",
        dict(params),
    )


def copy_office(
    session: Session,
    copy: Copy,
    source: tuple[str, str],
    marks: Mapping[str, int],
    last: DossierState | None,
) -> int:
    """Copy the generated office (`source`: its id and code; its rows up to the rowid
    `marks`, its last dossier's state `last`) into `copy`'s office, in the caller's
    transaction: a short copy leaves that last dossier out. Returns the events copied."""
    conn = session.connection()
    source_id, source_code = source
    n_desks = len(copy.desks)
    dropped = last["id"] if copy.short and last is not None else ""
    params: dict[str, Any] = {
        "k": copy.k,
        "prefix": copy.prefix,
        "office_id": copy.office_id,
        "office_code": copy.office_code,
        "code_cut": len(source_code) + 1,
        "accepted": SYNC_ACCEPTED,
        "dropped": dropped,
        "source_office": source_id,
    }
    for i, (src, dst) in enumerate(copy.desks.items()):
        params[f"src{i}"], params[f"dst{i}"] = src, dst
    for t, a in _RANGE.items():
        params[f"lo_{a}"], params[f"hi_{a}"] = 0, marks[t]
    dossiers, events, components = _statements(n_desks)
    conn.exec_driver_sql(dossiers, params)
    n_events = int(conn.exec_driver_sql(events, params).rowcount)
    conn.exec_driver_sql(components, params)
    for table in totals_tables():
        _copy_totals(conn, table, n_desks, params)
    if dropped and last is not None:
        # Out of the copied totals again: the copy's state of it (the totals count places,
        # procedures, officers and days, never a citizen), and its source's events.
        moved = {
            **last,
            "id": copy.prefix + last["id"][24:],
            "code": copy.office_code + last["code"][len(source_code) :],
            "office_id": copy.office_id,
            "desk_id": copy.desks[last["desk_id"]],
        }
        day_totals.apply(conn, [(moved, None)])
        event_totals.forget(conn, last["id"], copy.office_id, copy.desks, last)
    return n_events
