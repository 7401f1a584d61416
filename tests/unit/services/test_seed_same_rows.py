"""The demo seed writes the same rows for the same seed, whatever its speed-ups.

The digest below was taken from the seed before its pipelined writer (commit 8c68f63):
every row of the tables the seed fills, in insertion order, with ids (random per run)
replaced by their order of first appearance and `updated_at` (the wall clock) left out.
If the bundled catalogue or calendar changes on purpose, print `_digest` of a run of
that seed and put it here; a speed-up must never change it.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.config import DB_FILENAME
from app.services.bootstrap import open_desk
from app.services.seed import seed_demo

TABLES = (
    "dossiers",
    "dossier_components",
    "events",
    "outbox",
    "dossier_day_totals",
    "dossier_month_totals",
)
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
CLOCK = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
#: 2,000 dossiers, seed 11, batch 700 (three chunks), at CLOCK.
EXPECTED = "84aec2c588089381691b26be618ccc41d7c8c5825a3515f41f7680e5fb723c64"


def _digest(path: Path) -> str:
    """Every row of TABLES (insertion or key order), ids by first appearance, no updated_at."""
    ids: dict[str, str] = {}

    def norm(v: object) -> str:
        if isinstance(v, str):
            return _UUID.sub(lambda m: ids.setdefault(m.group(0), f"<{len(ids)}>"), v)
        return repr(v)

    h = hashlib.sha256()
    con = sqlite3.connect(path)
    for table in TABLES:
        cols = [r[1] for r in con.execute(f"PRAGMA table_info({table})") if r[1] != "updated_at"]
        h.update(f"{table}:{','.join(cols)}\n".encode())
        # the totals tables have no rowid: their rows sorted once their ids are normalised
        order = " ORDER BY rowid" if table in TABLES[:4] else ""
        lines = [
            "\x1f".join(norm(v) for v in row) + "\n"
            for row in con.execute(f"SELECT {', '.join(cols)} FROM {table}{order}")
        ]
        for line in lines if order else sorted(lines):
            h.update(line.encode())
    con.close()
    return h.hexdigest()


def _seed(folder: Path, **kw: object) -> str:
    ctx = open_desk(folder)
    ctx.clock = lambda: CLOCK
    seed_demo(ctx, dossiers=2000, seed=11, batch=700, **kw)  # type: ignore[arg-type]
    ctx.close()
    return _digest(folder / DB_FILENAME)


@pytest.mark.parametrize("bulk_at", [100_000, 1])
def test_the_same_seed_writes_the_same_rows(tmp_path: Path, bulk_at: int) -> None:
    assert _seed(tmp_path, bulk_at=bulk_at) == EXPECTED
