"""The editable calendar table: an administrator's day off moves appointments."""

from __future__ import annotations

from datetime import date

from app.services.calendar_service import CalendarEntry, list_days, load_calendar, set_day
from app.services.context import DeskContext


def test_bundled_days_are_listed_with_sources(desk: DeskContext) -> None:
    days = {d.day: d for d in list_days(desk, 2026)}
    assert days[date(2026, 11, 24)].kind == "holiday"
    assert all(d.source and d.confidence in "VSM" for d in days.values())


def test_added_day_off_changes_working_day_arithmetic(desk: DeskContext) -> None:
    with desk.read() as s:
        assert load_calendar(s).add_working_days(date(2026, 11, 17), 1) == date(2026, 11, 18)
    set_day(desk, CalendarEntry(date(2026, 11, 18), "holiday", "Nghỉ đột xuất (thử)",
                                "Quyết định của tỉnh (thử)", "M"))
    with desk.read() as s:
        # The cached calendar is rebuilt because its table changed.
        assert load_calendar(s).add_working_days(date(2026, 11, 17), 1) == date(2026, 11, 19)
    assert date(2026, 11, 18) in {d.day for d in list_days(desk, 2026)}
