"""Fixtures shared by the whole suite: a real desk database in a temporary folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.domain.messages import set_language
from app.services.bootstrap import open_desk
from app.services.context import DeskContext
from app.services.setup import add_officer, setup_desk

OFFICE_CODE = "000.00.31.H56"


class Clock:
    """A settable clock for use cases (DeskContext.clock)."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture(autouse=True)
def _vietnamese() -> Iterator[None]:
    set_language("vi")
    yield
    set_language("vi")


@pytest.fixture
def clock() -> Clock:
    # A Tuesday morning, 09:30 in Hà Nội.
    return Clock(datetime(2026, 11, 17, 2, 30, tzinfo=UTC))


def make_desk(data_dir: Path, *, slot: int = 1, clock: Clock | None = None) -> DeskContext:
    ctx = open_desk(data_dir)
    setup_desk(ctx, office_code=OFFICE_CODE, office_name="Bộ phận Một cửa BHXH Ba Đình",
               desk_name=f"Quầy {slot}", slot=slot)
    officer = add_officer(ctx, username=f"canbo{slot}", full_name="Nguyễn Văn An",
                          password="mat-khau-1", role="officer")
    ctx.officer_id = officer.id
    if clock is not None:
        ctx.clock = clock
    return ctx


@pytest.fixture
def desk(tmp_path: Path, clock: Clock) -> DeskContext:
    return make_desk(tmp_path / "desk", clock=clock)
