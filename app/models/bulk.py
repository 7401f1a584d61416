"""Bulk inserts on the desk's SQLite with the column types' own conversions, done once.

Why: a Core executemany builds a parameter dict and runs each type's processor per row
through several layers; for the hundred thousand rows of a pull or the millions of a demo
seed that bookkeeping cost more than SQLite's own work. Here the same processors (so the
stored text is byte-for-byte what the ORM writes) are looked up once per column and the
rows go to the driver as tuples. Other databases (the central's PostgreSQL) take the
ordinary Core path.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table, insert

_Prepared = tuple[str, tuple[str, ...], list[tuple[int, Any]]]
#: (table, column keys, dialect name) -> (SQL, keys, converting processors); a desk makes
#: a handful of these and then reuses them for every intake, pull and seed chunk.
_prepared: dict[tuple[Table, tuple[str, ...], str], _Prepared] = {}


def _prepare(conn: Connection, table: Table, keys: tuple[str, ...]) -> _Prepared:
    dialect = conn.dialect
    cols = [table.c[k] for k in keys]
    procs = [c.type._cached_bind_processor(dialect) for c in cols]
    names = ", ".join(dialect.identifier_preparer.quote(c.name) for c in cols)
    marks = ", ".join("?" * len(cols))
    sql = (
        f"INSERT INTO {dialect.identifier_preparer.format_table(table)} ({names}) VALUES ({marks})"
    )
    return sql, tuple(c.key for c in cols), [(i, p) for i, p in enumerate(procs) if p is not None]


def insert_rows(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """INSERT every row. All rows carry the keys of the first; a column left out gets its
    database default or NULL (no Python-side default is filled in, unlike Core)."""
    if not rows:
        return
    if conn.dialect.name != "sqlite":
        conn.execute(insert(table), list(rows))
        return
    key = (table, tuple(rows[0]), conn.dialect.name)
    prepared = _prepared.get(key)
    if prepared is None:
        prepared = _prepared[key] = _prepare(conn, table, key[1])
    sql, keys, conv = prepared
    params = []
    for r in rows:
        values = [r[k] for k in keys]
        for i, p in conv:
            v = values[i]
            if v is not None:
                values[i] = p(v)
        params.append(tuple(values))
    conn.exec_driver_sql(sql, params)
