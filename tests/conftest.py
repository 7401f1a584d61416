"""Fixtures shared by the whole suite: a real desk database in a temporary folder."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sqlalchemy import select

from app.config import DB_FILENAME
from app.domain.messages import set_language
from app.models import Officer
from app.services.bootstrap import open_desk
from app.services.context import DeskContext
from app.services.setup import add_officer, setup_desk
from tests.support.offices import OFFICE_FIELDS

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


def make_desk(
    data_dir: Path, *, slot: int = 1, clock: Clock | None = None, template: Path | None = None
) -> DeskContext:
    """A desk database set up as slot `slot` of the test office, with one officer.

    With `template` (a desk folder made earlier) the file is copied instead of migrated and
    loaded again, which keeps the suite fast; the copy is a real, independent database.
    """
    if template is not None and slot == 1:
        data_dir.mkdir(parents=True, exist_ok=True)
        shutil.copy(template / DB_FILENAME, data_dir / DB_FILENAME)
        ctx = open_desk(data_dir)
        with ctx.read() as s:
            ctx.officer_id = s.scalar(select(Officer.id))
    else:
        ctx = open_desk(data_dir)
        setup_desk(
            ctx,
            office_code=OFFICE_CODE,
            office_name="Bảo hiểm xã hội cơ sở Ba Đình",
            desk_name=f"Quầy {slot}",
            slot=slot,
            office_fields=OFFICE_FIELDS,
        )
        officer = add_officer(
            ctx,
            username=f"canbo{slot}",
            full_name="Nguyễn Văn An",
            password="mat-khau-1",
            role="officer",
        )
        ctx.officer_id = officer.id
    if clock is not None:
        ctx.clock = clock
    return ctx


@pytest.fixture(scope="session")
def desk_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("desk-template")
    ctx = make_desk(folder)
    ctx.close()  # checkpoints the WAL so the file alone is the database
    return folder


@pytest.fixture
def desk(tmp_path: Path, clock: Clock, desk_template: Path) -> Iterator[DeskContext]:
    ctx = make_desk(tmp_path / "desk", clock=clock, template=desk_template)
    yield ctx
    ctx.close()


def make_admin(  # type: ignore[no-untyped-def]
    ctx: DeskContext,
    username: str = "quantri",
    password: str = "mat-khau-qt",
    role: str = "administrator",
):
    """An administrator (or `role`) on a test desk. Written straight to the table: the
    service only lets an administrator add accounts once the desk has one, and the test
    desk has none."""
    from argon2 import PasswordHasher

    from app.services.context import get_setting
    from app.services.setup import officer_by_username

    with ctx.transaction() as s:
        office_id = get_setting(s, "desk.office_id") or s.scalar(select(Officer.office_id))
        s.add(
            Officer(
                office_id=office_id,
                username=username,
                full_name="Lê Quản Trị",
                password_hash=PasswordHasher().hash(password),
                role=role,
            )
        )
    return officer_by_username(ctx, username)


#: Damaged-database cases the suite tried (tests/unit/services/test_damaged_database.py).
DAMAGE_CASES: list[str] = []


def pytest_terminal_summary(terminalreporter):  # type: ignore[no-untyped-def]
    if DAMAGE_CASES:
        terminalreporter.write_line(
            f"damaged-database cases tried: {len(DAMAGE_CASES)} "
            f"({', '.join(sorted(set(DAMAGE_CASES)))})"
        )
