"""What every use case needs: the session factory and who is acting where.

Use cases take a `DeskContext` and plain inputs, run ONE transaction, and return plain
dataclasses, never ORM objects: the UI thread and worker threads must not share them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Connection, Engine, Integer, Text, bindparam, cast, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from app.config import SETTINGS
from app.models import Setting, utcnow


@dataclass
class DeskContext:
    engine: Engine
    sessions: sessionmaker[Session]
    data_dir: Path | None = None
    #: Sessions for reads (deferred BEGIN); defaults to `sessions`.
    readers: sessionmaker[Session] | None = None
    officer_id: str | None = None
    #: Injectable clock so tests and seeding can act at a chosen time (the desk's own,
    #: uncorrected: what the clock guard measures).
    clock: object = field(default=utcnow)
    #: Seconds `now()` adds to `clock` when the desk knows its clock is off (set by
    #: app.services.guard from the offset measured against the central).
    clock_correction_s: float = 0.0

    def close(self) -> None:
        """Release every connection (checkpointing the WAL when it is the last one)."""
        if self.readers is not None and self.readers.kw.get("bind") is not None:
            self.readers.kw["bind"].dispose()
        self.engine.dispose()

    def now(self) -> datetime:
        """The guarded desk clock: never one the desk knows is wrong (issue 12)."""
        base: datetime = self.clock()  # type: ignore[operator]
        if self.clock_correction_s:
            return base + timedelta(seconds=self.clock_correction_s)
        return base

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One use case, one transaction: commit on success, roll back on any error."""
        with self.sessions.begin() as session:
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with (self.readers or self.sessions)() as session:
            yield session

    def engines(self) -> list[Engine]:
        """The writing engine, then the readers' own one when they have one."""
        reader = (self.readers or self.sessions).kw.get("bind")
        if reader is None or reader is self.engine:
            return [self.engine]
        return [self.engine, reader]

    @contextmanager
    def read_connection(self) -> Iterator[Connection]:
        """A Core connection of the read sessions' engine, for a hot read that needs no
        ORM session (the search box at a million dossiers: the session's bookkeeping
        cost more than the query)."""
        bind = (self.readers or self.sessions).kw.get("bind") or self.engine
        with bind.connect() as conn:
            yield conn


_ALL_SETTINGS = select(Setting.key, Setting.value)


def _settings(session: Session) -> dict[str, str]:
    """All stored settings, read once per session (one query instead of one per key)."""
    cached = session.info.get("settings")
    if cached is None:
        session.flush()  # a Setting row added in this session counts
        cached = {k: v for k, v in session.connection().execute(_ALL_SETTINGS)}
        session.info["settings"] = cached
    return cached  # type: ignore[no-any-return]


def get_setting(session: Session, key: str) -> str:
    stored = _settings(session).get(key)
    if stored is not None:
        return stored
    return SETTINGS[key].default if key in SETTINGS else ""


#: Settings mirrored in the identity file beside the database (app/models/dbcheck.py).
IDENTITY_KEYS = frozenset({"desk.id", "sync.central_url", "backup.second_dir"})


def set_setting(session: Session, key: str, value: str) -> None:
    values = _settings(session)
    if key in IDENTITY_KEYS and values.get(key) != value:
        session.info["identity_changed"] = True
    row = session.get(Setting, key) if key in values else None
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value
    values[key] = value


#: Add one to a counter kept as a setting (absent: it becomes 1) and return it.
_COUNTER = (
    sqlite_insert(Setting)
    .values(key=bindparam("key"), value="1")
    .on_conflict_do_update(
        index_elements=[Setting.key],
        set_={"value": cast(cast(Setting.value, Integer) + 1, Text)},
    )
    .returning(Setting.value)
)


def next_counter(session: Session, key: str) -> int:
    """Add one to the counter setting `key` (absent: 0) and return it, in one statement
    (intake numbers its log-book entry this way: a read and a write per dossier cost more
    than the rest of the numbering). Desk databases only (SQLite's upsert); an ORM row of
    the same key loaded earlier in the session is not refreshed."""
    session.flush()
    value = str(session.connection().execute(_COUNTER, {"key": key}).scalar_one())
    _settings(session)[key] = value
    return int(value)
