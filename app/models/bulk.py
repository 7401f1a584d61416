"""Bulk inserts on the desk's SQLite with the column types' own conversions, done once.

Why: a Core executemany builds a parameter dict and runs each type's processor per row
through several layers; for the hundred thousand rows of a pull or the millions of a demo
seed that bookkeeping cost more than SQLite's own work. Here the same processors (so the
stored text is byte-for-byte what the ORM writes) are looked up once per column and the
rows go to the driver as tuples. On PostgreSQL (the central) the rows go as one JSON text
into one `INSERT … SELECT … FROM json_populate_recordset(…)`: the statement's text is the
same for any number of rows, so psycopg converts and prepares it once, where a multi-row
VALUES list was a new text (parsed again by psycopg, prepared again by the server) per
batch size: about a third of a push's Python time.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from json.encoder import c_make_encoder, encode_basestring_ascii  # type: ignore[attr-defined]
from operator import itemgetter
from typing import Any

import orjson
from sqlalchemy import JSON, Connection, Date, DateTime, Dialect, Table, TypeDecorator, insert

from app.models.base import UTCDateTime

_Prepared = tuple[str, tuple[str, ...], list[tuple[int, Any]]]
#: (table, column keys, dialect name) -> (SQL, keys, converting processors); a desk makes
#: a handful of these and then reuses them for every intake, pull and seed chunk.
_prepared: dict[tuple[Table, tuple[str, ...], str], _Prepared] = {}


def _prepare(conn: Connection, table: Table, keys: tuple[str, ...]) -> _Prepared:
    dialect = conn.dialect
    cols = [table.c[k] for k in keys]
    procs = [
        _sqlite_utc
        if isinstance(c.type, UTCDateTime)
        else _fast_json(
            c.type, dialect, _fast_date(c.type, dialect, c.type._cached_bind_processor(dialect))
        )
        for c in cols
    ]
    names = ", ".join(dialect.identifier_preparer.quote(c.name) for c in cols)
    marks = ", ".join("?" * len(cols))
    sql = (
        f"INSERT INTO {dialect.identifier_preparer.format_table(table)} ({names}) VALUES ({marks})"
    )
    return sql, tuple(c.key for c in cols), [(i, p) for i, p in enumerate(procs) if p is not None]


#: The last time converted and its text: a seed writes the same datetime object into
#: several columns of a row, or of rows in a row (one tuple, so a reader never sees a torn
#: entry).
_last_utc: tuple[datetime | None, str] = (None, "")


def _sqlite_utc(v: datetime) -> str:
    """UTCDateTime's conversion and then SQLite DATETIME's, in one step and the same text
    ('YYYY-MM-DD HH:MM:SS.ffffff', UTC): three times a row in a pull of 100,000 events, the
    two layers of processors were a tenth of the desk's time. The UTC wall time is the
    instant minus its offset (what astimezone computes), its text the first 26 characters
    of isoformat (the offset suffix cut) instead of a new object per step.

    Only the very object last converted is taken from the cache: an equal time that is
    another object is converted again, as comparing two aware times of different zone
    objects (a pulled time's zone is pydantic's) costs more than converting (PEP 495's
    check asks each zone for its offset twice more; it was 7 % of a pull's instructions)."""
    global _last_utc
    last = _last_utc
    if last[0] is v:
        return last[1]
    off = v.utcoffset()
    if off is None:
        raise ValueError("naive datetime written to a UTC column")
    text = (v - off if off else v).isoformat(" ", "microseconds")[:26]
    _last_utc = (v, text)
    return text


def wire_utc_text(raw: Any) -> str | None:
    """`_sqlite_utc` of a time still in the ISO text it came in, when that text is UTC with
    microseconds as desks and the central write it ('YYYY-MM-DDTHH:MM:SS.ffffff+00:00'):
    the same digits, cut and joined, where converting the parsed time back to text cost
    a pull about 2 µs a time, three times an event. None for any other form (the caller
    converts the parsed time). The text must already have been checked as a time."""
    if (
        type(raw) is str
        and len(raw) == 32
        and raw[26:] == "+00:00"
        and raw[10] == "T"
        and raw[19] == "."
    ):
        return raw[:10] + " " + raw[11:26]
    return None


def is_sqlite_utc(proc: Any) -> bool:
    """Whether an `insert_plan` processor writes times as `wire_utc_text` gives them."""
    return proc is _sqlite_utc


def _sqlite_utc_reference(v: datetime) -> str:
    """The plain two-step conversion `_sqlite_utc` must equal (kept for its tests)."""
    if v.tzinfo is None:
        raise ValueError("naive datetime written to a UTC column")
    return v.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _date_text(value: date) -> str:
    return value.isoformat() if type(value) is date else value.strftime("%Y-%m-%d")


_SAMPLES_D = (date(2026, 11, 17), date(999, 1, 2), datetime(2026, 11, 17, 23, 0))


def _fast_date(column_type: Any, dialect: Dialect, proc: Any) -> Any:
    """A quicker processor for a Date column giving the same text as SQLAlchemy's (a
    million-dossier seed writes millions of dates through a %-format); used only when it
    agrees on the samples, so a changed storage format falls back to SQLAlchemy's own."""
    if proc is None or dialect.name != "sqlite":
        return proc
    if not isinstance(column_type, Date) or isinstance(column_type, DateTime):
        return proc
    try:
        same = all(_date_text(v) == proc(v) for v in _SAMPLES_D)
    except (TypeError, ValueError):
        same = False
    return _date_text if same else proc


#: `json.dumps(v)` with its default settings, the C encoder built once: json.dumps makes a
#: new encoder object (and a dict for the cycle check) per call, half of what writing a
#: pulled event's payload cost. No cycle check: a payload is decoded JSON or plain data.
_JSON_ENCODE = (
    c_make_encoder(
        None,
        json.JSONEncoder().default,
        encode_basestring_ascii,
        None,
        ": ",
        ", ",
        False,
        False,
        True,
    )
    if c_make_encoder is not None
    else None
)
_SAMPLES_J: tuple[Any, ...] = (
    {"a": [1, 2.5, -0.0, 1e300, None, True, False], "ü": 'Trần Thị Ánh \u2028 "x"\n'},
    [{"scores": {"1": 2}}, [], {}, "", 10**20],
)


def _dumps(value: Any) -> str:
    return "".join(_JSON_ENCODE(value, 0))  # type: ignore[misc]


def _fast_json(column_type: Any, dialect: Dialect, proc: Any) -> Any:
    """A quicker processor for a JSON column giving the same text as SQLAlchemy's with the
    default serializer (`json.dumps`): used only on SQLite with no serializer of the
    engine's own, and when it agrees on the samples; anything but a dict or list (the
    JSON.NULL sentinel, a SQL NULL element) still goes to SQLAlchemy's processor."""
    if proc is None or _JSON_ENCODE is None or dialect.name != "sqlite":
        return proc
    if not isinstance(column_type, JSON) or getattr(dialect, "_json_serializer", None):
        return proc
    try:
        same = all(_dumps(v) == proc(v) == json.dumps(v) for v in _SAMPLES_J)
    except (TypeError, ValueError):
        same = False
    if not same:
        return proc

    def process(value: Any) -> Any:
        if type(value) is dict:
            return _dumps(value) if value else "{}"  # most pulled events' payload is {}
        return _dumps(value) if type(value) is list else proc(value)

    return process


def insert_plan(
    conn: Connection, table: Table, keys: tuple[str, ...]
) -> tuple[str, list[Callable[[Any], Any] | None]]:
    """The SQLite INSERT text for `keys` and each key's converting processor (None: the value
    is stored as given), for a caller that builds its rows' tuples itself in `keys` order
    (the pull's events: no dict per row). A processor is called on non-NULL values only,
    as `insert_rows` does; the text stored is the same."""
    assert conn.dialect.name == "sqlite"
    key = (table, keys, conn.dialect.name)
    prepared = _prepared.get(key)
    if prepared is None:
        prepared = _prepared[key] = _prepare(conn, table, keys)
    sql, _keys, conv = prepared
    procs: list[Callable[[Any], Any] | None] = [None] * len(keys)
    for i, p in conv:
        procs[i] = p
    return sql, procs


def insert_rows(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """INSERT every row. All rows carry the keys of the first; a column left out gets its
    database default or NULL (no Python-side default is filled in, unlike Core)."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        _insert_json(conn, table, rows)
        return
    if conn.dialect.name != "sqlite":
        conn.execute(insert(table), list(rows))
        return
    key = (table, tuple(rows[0]), conn.dialect.name)
    prepared = _prepared.get(key)
    if prepared is None:
        prepared = _prepared[key] = _prepare(conn, table, key[1])
    sql, keys, conv = prepared
    # One C call a row for its values (a list comprehension ran bytecode per column).
    pick = itemgetter(*keys) if len(keys) > 1 else (lambda r: (r[keys[0]],))
    if not conv:
        conn.exec_driver_sql(sql, [pick(r) for r in rows])
        return
    params = []
    for r in rows:
        values = list(pick(r))
        for i, p in conv:
            v = values[i]
            if v is not None:
                values[i] = p(v)
        params.append(tuple(values))
    conn.exec_driver_sql(sql, params)


def _insert_json(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """PostgreSQL: `INSERT … SELECT … FROM json_populate_recordset(NULL::table, %s)`, the
    rows as one JSON text (orjson, in C) that PostgreSQL converts by the table's own column
    types (in C). One statement of fixed text whatever the number of rows; psycopg's own
    per-value adaptation (arrays of values included) cost more than the whole insert.

    Columns left out that have a Python-side default (ids, `utcnow`, scalars) get it per
    row, as Core's insert would fill them; the others get the database default or NULL."""
    dialect = conn.dialect
    keys = list(rows[0])
    data: list[dict[str, Any]] = [dict(r) for r in rows]
    for c in table.columns:
        if c.key in rows[0] or c.default is None or c.default.is_sequence:
            continue
        default: Any = c.default
        keys.append(c.key)
        for r in data:
            r[c.key] = default.arg(None) if default.is_callable else default.arg
    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(table.c[k].name) for k in keys)
    target = dialect.identifier_preparer.format_table(table)
    sql = (
        f"INSERT INTO {target} ({names}) SELECT {names} "
        f"FROM json_populate_recordset(NULL::{target}, %s::json)"
    )
    for k in keys:  # the column types' own checks (UTCDateTime refuses a naive time)
        t = table.c[k].type
        if isinstance(t, TypeDecorator):
            for r in data:
                if r[k] is not None:
                    r[k] = t.process_bind_param(r[k], dialect)
    if any(table.c[k].name != k for k in keys):
        data = [{table.c[k].name: r[k] for k in keys} for r in data]
    conn.exec_driver_sql(sql, (orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS).decode(),))
