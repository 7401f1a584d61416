"""A large seed's offices copied from the one it generated (app.services.seed_copies) are
histories of their own: every dossier is the fold of its events, the totals are a recount
of the rows, ids, codes and desk sequences are unique, citizens' numbers differ between
copies, and the desk still takes the next citizen."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import delete, or_, select, text
from sqlalchemy.orm import Session

from app.models import Dossier, DossierComponent, DossierDayTotal, Event, EventDayTotal
from app.services import event_totals, seed, seed_copies
from app.services.bootstrap import open_desk
from app.services.context import DeskContext
from app.services.projection import (
    COMPONENT_KEYS,
    DOSSIER_COLUMNS,
    fold_order,
    load_lookup,
    refold_states,
    state_of,
)
from app.services.projection import (
    _totals as totals_hook,  # the one hook of the totals in the fold's write path
)
from app.services.seed import SeedReport, seed_demo
from app.services.setup import current_desk
from tests.support.day_totals import (
    assert_event_totals_match_events,
    assert_totals_match_rows,
    event_recount,
)
from tests.support.intake import receive_next_citizen

CLOCK = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)  # a Friday
#: 11 days (9 working days) of 400 a day per office: 4,400 dossiers an office, so three
#: offices, the last of them one dossier short; the generated one in three transactions.
SIZE = dict(dossiers=3 * 4400 - 1, seed=5, days=11, batch=1500, copy_at=1, bulk_at=1)


def _seeded(folder: Path, **kw: Any) -> tuple[DeskContext, SeedReport]:
    ctx = open_desk(folder)
    ctx.clock = lambda: CLOCK
    return ctx, seed_demo(ctx, **kw)


@pytest.fixture(scope="module")
def copied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[DeskContext, SeedReport]]:
    ctx, report = _seeded(tmp_path_factory.mktemp("copied"), **SIZE)
    yield ctx, report
    ctx.close()


def _rows(ctx: DeskContext, sql: str, **params: Any) -> list[Any]:
    with ctx.read() as s:
        return list(s.execute(text(sql), params).all())


def test_the_seed_copied_offices(copied: tuple[DeskContext, SeedReport]) -> None:
    """The fixture really is a copied seed (else the other tests prove nothing): three
    offices of 4,400, 4,400 and 4,399 dossiers, each dossier of the first having one
    copy in each other office under the same id counter."""
    ctx, report = copied
    assert report.offices == 3 and report.dossiers == SIZE["dossiers"]
    sizes = _rows(ctx, "SELECT count(*) FROM dossiers GROUP BY office_id ORDER BY 1 DESC")
    assert [n for (n,) in sizes] == [4400, 4400, 4399]
    groups = _rows(
        ctx, "SELECT count(*), count(DISTINCT office_id) FROM dossiers GROUP BY substr(id, 25)"
    )
    assert Counter(groups) == {(3, 3): 4399, (2, 2): 1}
    assert report.events == _rows(ctx, "SELECT count(*) FROM events")[0][0]
    statuses = _rows(ctx, "SELECT status, count(*) FROM dossiers GROUP BY status")
    assert report.by_status == dict(statuses)
    # every state of the generator's history, so the refold below meets every event type
    assert {"returned", "result_ready", "refused", "cancelled", "in_progress"} <= set(
        report.by_status
    )


def _events(ctx: DeskContext) -> list[SimpleNamespace]:
    with ctx.read() as s:
        return [SimpleNamespace(**r._mapping) for r in s.execute(select(Event.__table__))]


def test_every_dossier_is_the_fold_of_its_events(copied: tuple[DeskContext, SeedReport]) -> None:
    """Refolded from None with the one fold, every dossier's events give its stored row and
    components exactly: the copies' codes, offices, desks and citizens' numbers in the
    rows agree with their events (payload text included)."""
    ctx, _ = copied
    events = sorted(_events(ctx), key=lambda e: (e.dossier_id, fold_order(e)))
    with ctx.read() as s:
        refolded = refold_states(events, load_lookup(s, events))
        stored = {d.id: state_of(d) for d in s.scalars(select(Dossier))}
        components: dict[str, list[dict[str, Any]]] = {}
        for c in s.execute(
            select(DossierComponent.__table__).order_by(
                DossierComponent.dossier_id, DossierComponent.position
            )
        ):
            components.setdefault(c.dossier_id, []).append(
                {k: c._mapping[k] for k in COMPONENT_KEYS}
            )
    assert refolded.keys() == stored.keys() and len(stored) == SIZE["dossiers"]
    columns = [k for k in DOSSIER_COLUMNS if k != "updated_at"]
    for d_id, row in stored.items():
        st = refolded[d_id]
        assert {k: st[k] for k in columns} == {k: row[k] for k in columns}, d_id
        assert st["components"] == components.get(d_id, []), d_id


def _totals(s: Session) -> dict[str, set[tuple[Any, ...]]]:
    """Every totals table's rows that count something (a key whose dossiers all moved on
    keeps zeros)."""
    out = {}
    for t in seed_copies.totals_tables():
        counts = [c for c in t.columns if not c.primary_key]
        out[t.name] = set(s.execute(select(t).where(or_(*[c != 0 for c in counts]))).all())
    return out


def test_the_totals_are_a_recount_of_the_rows(copied: tuple[DeskContext, SeedReport]) -> None:
    """Every totals table equals a recount from the dossier rows through the fold's own
    hook, and the day and month totals equal the migration's SQL fill from the rows."""
    ctx, _ = copied
    with ctx.sessions() as s:
        kept = _totals(s)
        for t in seed_copies.totals_tables():
            s.execute(delete(t))
        assert not any(_totals(s).values())
        totals_hook(s, [(None, state_of(d)) for d in s.scalars(select(Dossier))])
        # the event counts, recounted from the stored events (the hook above took each
        # returned dossier's returns for new: its row was not there)
        s.execute(delete(EventDayTotal))
        s.execute(delete(event_totals.PROCEDURES))
        event_totals._write(s.connection(), *event_recount(s))
        recount = _totals(s)
        s.rollback()
    assert kept == recount
    day = kept[DossierDayTotal.__tablename__]
    assert len({r.office_id for r in day}) == 3 and len({r.desk_id for r in day}) == 9
    assert assert_totals_match_rows(ctx.sessions) > 0
    assert assert_event_totals_match_events(ctx.sessions) > 0


def test_ids_codes_and_sequences_are_unique(copied: tuple[DeskContext, SeedReport]) -> None:
    ctx, _ = copied
    for sql in (
        "SELECT count(*) = count(DISTINCT id) FROM dossiers",
        "SELECT count(*) = count(DISTINCT code) FROM dossiers",
        "SELECT count(*) = count(DISTINCT id) FROM events",
        "SELECT count(*) = count(DISTINCT id) FROM dossier_components",
        "SELECT count(*) = count(DISTINCT office_id || desk_id || '/' || desk_seq) FROM events",
        # every desk's sequence runs 1..n without a gap, its log book likewise per year
        "SELECT count(*) = 0 FROM (SELECT desk_id FROM events GROUP BY desk_id "
        "HAVING min(desk_seq) != 1 OR max(desk_seq) != count(*))",
        "SELECT count(*) = 0 FROM (SELECT desk_id FROM dossiers GROUP BY desk_id, log_book_year "
        "HAVING min(log_book_entry) != 1 OR max(log_book_entry) != count(*) "
        "OR count(DISTINCT log_book_entry) != count(*))",
        # a dossier, its events and its desk all belong to its office; a code names it
        "SELECT count(*) = 0 FROM dossiers d JOIN desks k ON k.id = d.desk_id "
        "JOIN offices o ON o.id = d.office_id WHERE k.office_id != d.office_id "
        "OR substr(d.code, 1, length(o.code) + 1) != o.code || '-' "
        "OR d.log_book_volume != k.slot",
        "SELECT count(*) = 0 FROM events e JOIN dossiers d ON d.id = e.dossier_id "
        "WHERE e.office_id != d.office_id OR e.desk_id != d.desk_id",
        "SELECT count(*) = 0 FROM dossiers d LEFT JOIN events e ON e.dossier_id = d.id "
        "GROUP BY d.id HAVING count(e.id) != d.event_count",
    ):
        assert _rows(ctx, sql) in ([(1,)], []), sql
    for check in ("integrity_check", "foreign_key_check"):
        got = _rows(ctx, f"PRAGMA {check}")
        assert got in ([("ok",)], []), (check, got)


def test_citizens_numbers_differ_between_copies(copied: tuple[DeskContext, SeedReport]) -> None:
    """A look-up by ID, insurance or phone number finds one dossier, not one per office;
    each number keeps its shape, an ID its province, sex-century and birth year."""
    ctx, _ = copied
    for column, keep, digits, _step in seed_copies.NUMBERS:
        same = _rows(
            ctx,
            f"SELECT count(*) FROM (SELECT substr(id, 25) FROM dossiers GROUP BY 1 "
            f"HAVING count(DISTINCT {column}) != count(*) "
            f"OR count(DISTINCT substr({column}, 1, {keep})) != 1)",
        )
        assert same == [(0,)], column
        shapes = _rows(
            ctx,
            f"SELECT count(*) FROM dossiers WHERE length({column}) != {keep + digits} "
            f"OR {column} GLOB '*[^0-9]*'",
        )
        assert shapes == [(0,)], column
    # the ID's birth year is the row's own
    assert _rows(
        ctx,
        "SELECT count(*) FROM dossiers WHERE substr(id_number, 5, 2) != "
        "substr(date_of_birth, 3, 2)",
    ) == [(0,)]


def test_copied_events_are_other_desks_accepted_ones(
    copied: tuple[DeskContext, SeedReport],
) -> None:
    """Only this desk's own recent events wait to be sent; a copy is never on this desk."""
    ctx, _ = copied
    with ctx.read() as s:
        me = current_desk(s)
        assert me is not None
        own = me.desk_id
    assert _rows(
        ctx,
        "SELECT count(*) FROM events e JOIN outbox o ON o.event_id = e.id "
        "WHERE e.desk_id != :own OR e.origin != 'local' OR e.sync_state != 'local'",
        own=own,
    ) == [(0,)]
    assert _rows(
        ctx,
        "SELECT count(*) FROM events WHERE (desk_id = :own) != (origin = 'local') "
        "OR (sync_state = 'local') != (server_received_at IS NULL) "
        "OR (sync_state = 'local' AND id NOT IN (SELECT event_id FROM outbox))",
        own=own,
    ) == [(0,)]
    assert _rows(ctx, "SELECT count(*) > 0 FROM outbox") == [(1,)]


def test_the_desk_takes_the_next_citizen(copied: tuple[DeskContext, SeedReport]) -> None:
    ctx, _ = copied
    res = receive_next_citizen(ctx)
    assert res.status == "received"


def test_a_failed_copy_keeps_whole_offices(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A seed that fails while copying its second office keeps the generated office and
    its first copy, whole and consistent (their totals too), and nothing of the second."""
    real, calls = seed_copies.copy_office, []

    def disk_full(*args: Any, **kw: Any) -> Any:
        calls.append(1)
        out = real(*args, **kw)
        if len(calls) == 2:
            raise OSError("disk full")
        return out

    monkeypatch.setattr(seed, "copy_office", disk_full)
    with pytest.raises(OSError):
        # one working day (Thursday) of 400 an office: three offices
        _seeded(tmp_path, dossiers=801, seed=2, days=1, batch=100, copy_at=1, bulk_at=1)
    ctx = open_desk(tmp_path)
    try:
        assert _rows(ctx, "SELECT count(*) FROM dossiers GROUP BY office_id") == [(267,)] * 2
        assert (
            _rows(
                ctx,
                "SELECT count(*) FROM dossiers d LEFT JOIN events e ON e.dossier_id = d.id "
                "GROUP BY d.id HAVING count(e.id) != d.event_count",
            )
            == []
        )
        assert assert_totals_match_rows(ctx.sessions) > 0
        assert assert_event_totals_match_events(ctx.sessions) > 0
        assert _rows(ctx, "PRAGMA integrity_check") == [("ok",)]
    finally:
        ctx.close()


def test_a_desk_with_dossiers_is_seeded_without_copies(tmp_path: Path) -> None:
    """Copies start from an empty desk only (their codes, desk sequences and log books
    start where the generated office's do): on a desk holding dossiers every office is
    generated, so the offices' citizens are not the same people (a copied seed's share
    all 267 names and receipt times; drawn at random, a handful at most)."""
    ctx, _ = _seeded(tmp_path, dossiers=20, seed=3, days=1)
    seed_demo(ctx, dossiers=801, seed=4, days=1, copy_at=1)
    try:
        assert _rows(ctx, "SELECT count(*) FROM dossiers") == [(821,)]
        shared = _rows(
            ctx,
            "SELECT count(*) FROM (SELECT 1 FROM dossiers GROUP BY full_name, received_at "
            "HAVING count(DISTINCT office_id) > 1)",
        )
        assert shared[0][0] < 10
    finally:
        ctx.close()
