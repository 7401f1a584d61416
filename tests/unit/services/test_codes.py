"""Dossier codes: unique across desks working offline, never issued twice."""

from __future__ import annotations

import contextlib
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.dossier_code import fallback_range, parse_code
from app.domain.errors import DomainError
from app.services import codes
from app.services.bootstrap import open_desk
from app.services.context import DeskContext, set_setting
from tests.conftest import Clock, make_desk
from tests.support.intake import receive_next_citizen

DAY = date(2026, 11, 17)


def _issue(ctx: DeskContext, n: int, *, paired: bool, slot: int, day: date = DAY) -> list[str]:
    out = []
    for _ in range(n):
        with ctx.transaction() as s:
            out.append(
                codes.allocate_code(s, agency="000.00.31.H56", day=day, slot=slot, paired=paired)
            )
    return out


def test_local_slots_and_fallback_ranges_never_overlap() -> None:
    ranges = [set(codes.local_range(s)) for s in range(1, 21)]
    ranges += [set(fallback_range(s)) for s in range(1, 21)]
    seen: set[int] = set()
    for r in ranges:
        assert not (seen & r)
        seen |= r
    assert max(seen) <= 9999 and min(seen) >= 1


@pytest.fixture(scope="module")
def desk_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    base = tmp_path_factory.mktemp("desks")
    folders = []
    for slot in (1, 2, 3):
        folder = base / f"slot{slot}"
        make_desk(folder, slot=slot).close()
        folders.append(folder)
    return folders


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    plan=st.lists(
        st.tuples(st.integers(0, 2), st.integers(1, 12), st.booleans(), st.integers(0, 2)),
        min_size=1,
        max_size=8,
    ),
)
def test_offline_desks_never_issue_the_same_code(
    tmp_path_factory: pytest.TempPathFactory,
    desk_files: list[Path],
    plan: list[tuple[int, int, bool, int]],
) -> None:
    work = tmp_path_factory.mktemp("run")
    for i, folder in enumerate(desk_files):
        shutil.copytree(folder, work / f"d{i}")
    # Durability is not what this test is about: skip the fsyncs to keep it quick.
    ctxs = [open_desk(work / f"d{i}", synchronous="OFF") for i in range(len(desk_files))]
    issued: list[str] = []
    try:
        for step, (desk_i, n, paired, day_offset) in enumerate(plan):
            day = DAY + timedelta(days=day_offset)
            with ctxs[desk_i].transaction() as s:
                if paired:
                    # What the central service reserved for this desk before it went
                    # offline: disjoint per desk, below the fallback range.
                    set_setting(s, "sync.central_url", "https://central.example")
                    set_setting(s, "sync.token", "t")
                    first = 1000 + 10 * step
                    codes.add_central_block(
                        s, agency="000.00.31.H56", day=day, first=first, last=first + 4
                    )
            # A desk out of numbers refuses (DomainError); it never collides.
            with contextlib.suppress(DomainError):
                issued += _issue(ctxs[desk_i], n, paired=paired, slot=desk_i + 1, day=day)
    finally:
        for c in ctxs:
            c.close()
    assert len(issued) == len(set(issued))
    for code in issued:
        parse_code(code)


def test_rolled_back_number_is_reused_committed_never(desk: DeskContext) -> None:
    with pytest.raises(RuntimeError), desk.transaction() as s:
        codes.allocate_code(s, agency="000.00.31.H56", day=DAY, slot=1, paired=False)
        raise RuntimeError("intake failed before commit: nothing was printed")
    first = _issue(desk, 1, paired=False, slot=1)[0]
    second = _issue(desk, 1, paired=False, slot=1)[0]
    assert first.endswith("-0001") and second.endswith("-0002")


def test_paired_desk_without_blocks_uses_its_fallback_then_says_so(desk: DeskContext) -> None:
    with desk.transaction() as s:
        codes.add_central_block(s, agency="000.00.31.H56", day=DAY, first=101, last=102)
    got = _issue(desk, 2, paired=True, slot=1)
    assert [parse_code(c).seq for c in got] == [101, 102]
    more = _issue(desk, 50, paired=True, slot=1)
    assert [parse_code(c).seq for c in more] == list(fallback_range(1))
    with pytest.raises(DomainError) as exc:
        _issue(desk, 1, paired=True, slot=1)
    assert "Đã hết số" in exc.value.message


def test_number_already_on_a_dossier_is_skipped(desk: DeskContext, clock: Clock) -> None:
    clock.at = datetime(2026, 11, 17, 2, 0, tzinfo=UTC)
    res = receive_next_citizen(desk)
    with desk.transaction() as s:  # e.g. a restored backup: the block forgot 0001
        from app.models import CodeBlock

        for b in s.query(CodeBlock):
            b.next = b.first
    again = _issue(desk, 1, paired=False, slot=1)[0]
    assert again != res.code and again.endswith("-0002")


def test_pairing_retires_the_stand_alone_range(desk: DeskContext) -> None:
    local = _issue(desk, 3, paired=False, slot=1)
    assert [parse_code(c).seq for c in local] == [1, 2, 3]
    with desk.transaction() as s, pytest.raises(ValueError):
        codes.add_central_block(s, agency="000.00.31.H56", day=DAY, first=3, last=10)
    with desk.transaction() as s:
        codes.add_central_block(s, agency="000.00.31.H56", day=DAY, first=4, last=5)
    paired = _issue(desk, 3, paired=True, slot=1)
    assert [parse_code(c).seq for c in paired] == [4, 5, 9001]
