"""Checks that the reports' per-day totals are what the dossier rows make them."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from app.models import Dossier, DossierDayTotal, DossierMonthTotal, Event, EventDayTotal
from app.services import event_totals

MIGRATION = (
    Path(__file__).resolve().parents[2] / "app/models/migrations/versions/0014_i14_day_totals.py"
)


def backfill_module() -> Any:
    """The migration that fills the totals from the rows, loaded by path (its `backfill`)."""
    spec = importlib.util.spec_from_file_location("m0014_i14", MIGRATION)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def totals(s: Session) -> dict[tuple[Any, ...], int]:
    """Both tables' non-zero rows (a key whose dossiers all moved on keeps a zero)."""
    out: dict[tuple[Any, ...], int] = {}
    for t in (DossierDayTotal.__table__, DossierMonthTotal.__table__):
        out.update({(t.name, *r[:-1]): r[-1] for r in s.execute(select(t).where(t.c.n != 0))})
    return out


def assert_totals_match_rows(sessions: sessionmaker[Session]) -> int:
    """The totals the write paths kept equal a fill from the dossier rows (the migration's
    SQL, written independently of the fold's Python); rolled back. Returns the row count."""
    with sessions() as s:
        kept = totals(s)
        s.execute(delete(DossierDayTotal))
        s.execute(delete(DossierMonthTotal))
        backfill_module().backfill(s.connection())
        assert totals(s) == kept
        s.rollback()
    return len(kept)


EVENT_MIGRATION = MIGRATION.with_name("0017_i14_event_day_totals.py")
PROCEDURE_MIGRATION = MIGRATION.with_name("0018_i14_event_procedure_day_totals.py")


def _kept(s: Session, t: Any) -> dict[tuple[Any, ...], int]:
    """A totals table's non-zero rows (a key whose counts all moved keeps a zero)."""
    return {tuple(r[:-1]): r[-1] for r in s.execute(select(t).where(t.c.n != 0))}


def event_totals_kept(s: Session) -> dict[tuple[Any, ...], int]:
    """`event_day_totals`' non-zero rows."""
    return _kept(s, EventDayTotal.__table__)


def procedure_totals_kept(s: Session) -> dict[tuple[Any, ...], int]:
    """`event_procedure_day_totals`' non-zero rows."""
    return _kept(s, event_totals.PROCEDURES)


def event_recount(s: Session) -> tuple[dict[tuple[Any, ...], int], dict[tuple[Any, ...], int]]:
    """What the stored events count (`event_totals.add_keys`), each return under its
    dossier row's settlement as it stands (none: not counted); and by procedure, each
    event under its dossier row's procedure (none: not counted)."""
    rows = {
        d_id: (p, event_totals.settlement_class({"settled_type": t, "settled_outcome": o}))
        for d_id, p, t, o in s.execute(
            select(
                Dossier.id, Dossier.procedure_code, Dossier.settled_type, Dossier.settled_outcome
            )
        )
    }
    out: dict[Any, int] = {}
    by_procedure: dict[Any, int] = {}
    for r in s.execute(select(Event.__table__)).mappings():
        held = rows.get(r["dossier_id"])
        event_totals.add_keys(out, r, held[1] if held else None)
        if held is not None:
            event_totals.add_keys(by_procedure, r, held[1], procedure=held[0])
    return {k: n for k, n in out.items() if n}, {k: n for k, n in by_procedure.items() if n}


def _module(path: Path, name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def assert_event_totals_match_events(sessions: sessionmaker[Session]) -> int:
    """The event totals the writers kept (both tables) equal both a recount of the stored
    events in Python (`event_recount`) and the migrations' SQL fills (0017_i14, 0018_i14,
    written apart); rolled back. Returns the row count."""
    fill = _module(EVENT_MIGRATION, "m0017_i14").backfill
    fill_procedures = _module(PROCEDURE_MIGRATION, "m0018_i14").backfill
    with sessions() as s:
        kept = event_totals_kept(s)
        kept_p = procedure_totals_kept(s)
        s.execute(delete(EventDayTotal))
        s.execute(delete(event_totals.PROCEDURES))
        fill(s.connection())
        fill_procedures(s.connection())
        assert event_totals_kept(s) == kept, "migration fill"
        assert procedure_totals_kept(s) == kept_p, "migration fill by procedure"
        s.rollback()
        assert event_recount(s) == (kept, kept_p), "recount"
    return len(kept) + len(kept_p)


def history_world(desk: Any) -> dict[str, Any]:
    """What the random-history tests build on: this desk's office and desk, the first two
    procedures of the catalogue (code, catalogue version) and an officer."""
    from app.models import Officer, Procedure, ProcedureVersion
    from app.services.setup import current_desk

    with desk.read() as s:
        me = current_desk(s)
        assert me is not None
        procs = list(
            s.execute(
                select(Procedure.code, ProcedureVersion.catalogue_version)
                .join(ProcedureVersion, ProcedureVersion.id == Procedure.current_version_id)
                .order_by(Procedure.code)
                .limit(2)
            )
        )
        officer = s.scalar(select(Officer.id).limit(1))
    return {
        "ctx": desk,
        "office": me.office_id,
        "desk": me.desk_id,
        "officer": officer,
        "procs": procs,
    }
