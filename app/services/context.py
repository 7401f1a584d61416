"""What every use case needs: the session factory and who is acting where.

Use cases take a `DeskContext` and plain inputs, run ONE transaction, and return plain
dataclasses, never ORM objects: the UI thread and worker threads must not share them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from app.config import SETTINGS
from app.models import Setting, utcnow


@dataclass
class DeskContext:
    engine: Engine
    sessions: sessionmaker[Session]
    data_dir: Path | None = None
    officer_id: str | None = None
    #: Injectable clock so tests and seeding can act at a chosen time.
    clock: object = field(default=utcnow)

    def now(self) -> datetime:
        return self.clock()  # type: ignore[operator,no-any-return]

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One use case, one transaction: commit on success, roll back on any error."""
        with self.sessions.begin() as session:
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self.sessions() as session:
            yield session


def get_setting(session: Session, key: str) -> str:
    row = session.get(Setting, key)
    if row is not None:
        return row.value
    return SETTINGS[key].default if key in SETTINGS else ""


def set_setting(session: Session, key: str, value: str) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value


def all_settings(session: Session) -> dict[str, str]:
    values = {k: s.default for k, s in SETTINGS.items()}
    values.update({r.key: r.value for r in session.scalars(select(Setting))})
    return values
