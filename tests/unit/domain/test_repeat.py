"""The 30-day repeat rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.domain.repeat import Earlier, repeats

NOW = datetime(2026, 11, 17, 3, 0, tzinfo=UTC)


def _e(days: float, proc: str = "BHXH-C06") -> Earlier:
    return Earlier("X", proc, NOW - timedelta(days=days), "received")


def test_same_procedure_within_30_days_only() -> None:
    assert repeats([_e(1), _e(29.9), _e(30)], "BHXH-C06", NOW) == [_e(1), _e(29.9), _e(30)]
    assert repeats([_e(30.01), _e(1, "BHXH-C07")], "BHXH-C06", NOW) == []
    assert repeats([_e(-1)], "BHXH-C06", NOW) == []  # a clock ahead is not "earlier"
