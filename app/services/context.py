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

from sqlalchemy import Connection, Engine, select
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

    @contextmanager
    def read_connection(self) -> Iterator[Connection]:
        """A Core connection of the read sessions' engine, for a hot read that needs no
        ORM session (the search box at a million dossiers: the session's bookkeeping
        cost more than the query)."""
        bind = (self.readers or self.sessions).kw.get("bind") or self.engine
        with bind.connect() as conn:
            yield conn


def _settings(session: Session) -> dict[str, str]:
    """All stored settings, read once per session (one query instead of one per key)."""
    cached = session.info.get("settings")
    if cached is None:
        cached = {k: v for k, v in session.execute(select(Setting.key, Setting.value))}
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

