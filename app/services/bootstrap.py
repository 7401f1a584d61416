"""Opening a desk's database: create, migrate, seed the bundled catalogue and calendar.

Called at every start, by the window and by every command, so a desk never needs a person
to upgrade it; each step is a no-op when already done.
"""

from __future__ import annotations

from pathlib import Path

from app.config import DB_FILENAME
from app.models.db import make_engine, make_session_factory, open_database, sqlite_url
from app.services.calendar_service import seed_bundled_calendar
from app.services.catalogue_service import load_bundled_catalogue
from app.services.context import DeskContext


def open_desk(data_dir: Path, *, synchronous: str = "FULL") -> DeskContext:
    path = data_dir / DB_FILENAME
    engine, sessions = open_database(path, synchronous=synchronous)
    reader = make_engine(sqlite_url(path), synchronous=synchronous, immediate=False)
    ctx = DeskContext(
        engine=engine, sessions=sessions, data_dir=data_dir, readers=make_session_factory(reader)
    )
    with ctx.transaction() as s:
        load_bundled_catalogue(s)
        seed_bundled_calendar(s)
    return ctx
