"""One Alembic head per migration tree: engineers adding migrations in parallel re-chain
theirs before landing (two heads once reached main; a start-up would fail on them)."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory

APP = Path(__file__).resolve().parents[3] / "app"


@pytest.mark.parametrize("tree", ["models/migrations", "central/migrations"])
def test_one_head(tree: str) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(APP / tree))
    assert len(ScriptDirectory.from_config(cfg).get_heads()) == 1
