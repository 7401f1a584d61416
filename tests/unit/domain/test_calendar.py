"""Working-day arithmetic, overrides table and appointment dates (domain.md §1.5, §6)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.calendar import (
    OVERRIDES_RESOURCE,
    CalendarDay,
    WorkingCalendar,
    parse_overrides,
)

ROOT = Path(__file__).resolve().parents[3]
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _overrides() -> list[CalendarDay]:
    data = json.loads((ROOT / OVERRIDES_RESOURCE).read_text(encoding="utf-8"))
    return parse_overrides(data)


CAL = WorkingCalendar(_overrides())
# Without the package: only what the overrides table says (shows the table alone is enough).
TABLE_ONLY = WorkingCalendar(_overrides(), use_package=False)

dates = st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 6, 30))
counts = st.integers(min_value=0, max_value=60)


# -- the overrides table ---------------------------------------------------------------


def test_overrides_file_parses_and_covers_domain_days() -> None:
    days = {d.day: d for d in _overrides()}
    for d in range(16, 21):
        assert days[date(2026, 2, d)].kind == "holiday"
    assert days[date(2026, 4, 27)].kind == "compensatory_off"
    assert days[date(2026, 11, 24)].kind == "holiday"
    assert all(d.confidence in ("V", "S", "M") and d.source for d in days.values())


def test_parse_overrides_rejects_bad_entries() -> None:
    good = {"date": "2026-02-16", "kind": "holiday", "name_vi": "Tết", "source": "x",
            "confidence": "S"}  # fmt: skip
    assert parse_overrides({"days": [good]})[0].day == date(2026, 2, 16)
    with pytest.raises(ValueError):
        parse_overrides({})
    for key, bad in [("date", "16/02/2026"), ("kind", "party"), ("confidence", "X"),
                     ("name_vi", ""), ("source", None)]:  # fmt: skip
        with pytest.raises(ValueError):
            parse_overrides({"days": [{**good, key: bad}]})
    with pytest.raises(ValueError):
        parse_overrides({"days": [good, good]})


# -- concrete 2026 cases ---------------------------------------------------------------


@pytest.mark.parametrize("cal", [CAL, TABLE_ONLY], ids=["package+table", "table-only"])
def test_tet_2026(cal: WorkingCalendar) -> None:
    for d in range(14, 23):  # Sat 14/02 .. Sun 22/02
        assert not cal.is_working_day(date(2026, 2, d))
    assert cal.is_working_day(date(2026, 2, 13))
    assert cal.next_working_day(date(2026, 2, 13)) == date(2026, 2, 23)
    # Received Thu 12/02, 3 working days: Fri 13/02, Mon 23/02, Tue 24/02.
    assert cal.add_working_days(date(2026, 2, 12), 3) == date(2026, 2, 24)


@pytest.mark.parametrize("cal", [CAL, TABLE_ONLY], ids=["package+table", "table-only"])
def test_hung_kings_2026_compensatory_monday(cal: WorkingCalendar) -> None:
    assert not cal.is_working_day(date(2026, 4, 26))  # Sunday, 10/3 lunar
    assert not cal.is_working_day(date(2026, 4, 27))  # compensatory Monday
    assert cal.next_working_day(date(2026, 4, 24)) == date(2026, 4, 28)


@pytest.mark.parametrize("cal", [CAL, TABLE_ONLY], ids=["package+table", "table-only"])
def test_30_april_1_may_2026(cal: WorkingCalendar) -> None:
    assert not cal.is_working_day(date(2026, 4, 30))  # Thursday
    assert not cal.is_working_day(date(2026, 5, 1))  # Friday
    # Received Wed 29/04: next working day is Mon 04/05.
    assert cal.add_working_days(date(2026, 4, 29), 1) == date(2026, 5, 4)
    assert cal.working_days_between(date(2026, 4, 29), date(2026, 5, 4)) == 1


@pytest.mark.parametrize("cal", [CAL, TABLE_ONLY], ids=["package+table", "table-only"])
def test_culture_day_24_november_2026(cal: WorkingCalendar) -> None:
    assert date(2026, 11, 24).weekday() == 1
    assert not cal.is_working_day(date(2026, 11, 24))
    assert cal.add_working_days(date(2026, 11, 23), 1) == date(2026, 11, 25)
    info = cal.day_info(date(2026, 11, 24))
    assert info is not None and "Văn hóa" in info.name_vi


def test_culture_day_not_before_2026() -> None:
    assert CAL.is_working_day(date(2025, 11, 24))  # Monday, before Resolution 28/2026


def test_swapped_saturday_is_a_working_day() -> None:
    assert CAL.is_working_day(date(2025, 4, 26))  # Saturday worked for Fri 02/05/2025
    assert not CAL.is_working_day(date(2025, 5, 2))


def test_override_beats_package() -> None:
    extra = CalendarDay(date(2026, 3, 2), "holiday", "Nghỉ đột xuất", "test", "M")
    undo = CalendarDay(date(2026, 11, 24), "swapped_workday", "Làm việc", "test", "M")
    cal = WorkingCalendar([extra, undo])
    assert not cal.is_working_day(date(2026, 3, 2))
    assert cal.is_working_day(date(2026, 11, 24))


def test_saturday_configurable() -> None:
    sat = date(2026, 3, 7)
    assert not CAL.is_working_day(sat)
    assert WorkingCalendar(_overrides(), saturday_is_workday=True).is_working_day(sat)
    assert not WorkingCalendar(saturday_is_workday=True).is_working_day(date(2026, 3, 8))


def test_add_working_days_zero_and_negative() -> None:
    assert CAL.add_working_days(date(2026, 3, 4), 0) == date(2026, 3, 4)
    assert CAL.add_working_days(date(2026, 3, 7), 0) == date(2026, 3, 9)  # Saturday
    assert CAL.add_working_days(date(2026, 3, 9), -1) == date(2026, 3, 6)
    assert CAL.add_working_days(date(2026, 2, 23), -1) == date(2026, 2, 13)


def test_calendar_days_legal() -> None:
    # 10 days from Fri 06/02/2026 ends Mon 16/02 (Tết) -> next working day Mon 23/02.
    assert CAL.add_calendar_days_legal(date(2026, 2, 6), 10) == date(2026, 2, 23)
    # 7 days from Wed 04/03/2026 ends Wed 11/03, a working day.
    assert CAL.add_calendar_days_legal(date(2026, 3, 4), 7) == date(2026, 3, 11)
    # Ending on a Saturday moves to Monday.
    assert CAL.add_calendar_days_legal(date(2026, 3, 4), 3) == date(2026, 3, 9)


# -- appointments ----------------------------------------------------------------------


def test_friday_16h_after_cutoff() -> None:
    fri = datetime(2026, 3, 6, 16, 0, tzinfo=VN)
    a = CAL.appointment(fri, 3, "working_days", same_day=False)
    assert a.after_cutoff
    assert a.effective_receipt_date == date(2026, 3, 9)  # Monday
    assert a.due_date == date(2026, 3, 12)  # Tue, Wed, Thu
    # Cut-off disabled: counts from Friday.
    b = CAL.appointment(fri, 3, "working_days", same_day=False, cutoff=None)
    assert (b.effective_receipt_date, b.due_date, b.after_cutoff) == (
        date(2026, 3, 6), date(2026, 3, 11), False)  # fmt: skip


def test_before_cutoff_and_utc_input() -> None:
    # 07:30 UTC = 14:30 in Hà Nội, before 15:00.
    a = CAL.appointment(datetime(2026, 3, 6, 7, 30, tzinfo=UTC), 3, "working_days", False)
    assert not a.after_cutoff and a.effective_receipt_date == date(2026, 3, 6)
    # 08:30 UTC = 15:30 local: after the cut-off.
    b = CAL.appointment(datetime(2026, 3, 6, 8, 30, tzinfo=UTC), 3, "working_days", False)
    assert b.after_cutoff and b.effective_receipt_date == date(2026, 3, 9)
    c = CAL.appointment(datetime(2026, 3, 6, 8, 30, tzinfo=UTC), 3, "working_days", False,
                        cutoff=time(16, 0))  # fmt: skip
    assert not c.after_cutoff


def test_same_day_and_weekend_receipt() -> None:
    sat = datetime(2026, 3, 7, 9, 0, tzinfo=VN)
    a = CAL.appointment(sat, 0, "working_days", same_day=True)
    assert a.effective_receipt_date == a.due_date == date(2026, 3, 9)
    b = CAL.appointment(datetime(2026, 3, 4, 10, 0, tzinfo=VN), 0, "working_days", True)
    assert b.due_date == date(2026, 3, 4)


def test_appointment_in_plain_days_over_tet() -> None:
    a = CAL.appointment(datetime(2026, 2, 6, 9, 0, tzinfo=VN), 10, "days", same_day=False)
    assert a.due_date == date(2026, 2, 23)


def test_appointment_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        CAL.appointment(datetime(2026, 3, 6, 9, 0), 3, "working_days", False)
    with pytest.raises(ValueError):
        CAL.appointment(datetime(2026, 3, 6, 9, 0, tzinfo=VN), -1, "working_days", False)
    with pytest.raises(ValueError):
        CAL.appointment(datetime(2026, 3, 6, 9, 0, tzinfo=VN), 1, "hours", False)  # type: ignore[arg-type]


# -- properties ------------------------------------------------------------------------


@given(dates, counts)
def test_result_is_a_working_day(d: date, n: int) -> None:
    r = CAL.add_working_days(d, n)
    assert CAL.is_working_day(r)
    assert r >= d
    if n > 0:
        assert r > d


@settings(max_examples=150)
@given(dates, counts, counts)
def test_additive_from_working_day(d: date, a: int, b: int) -> None:
    d = CAL.working_day_on_or_after(d)
    assert CAL.add_working_days(d, a + b) == CAL.add_working_days(CAL.add_working_days(d, a), b)


@given(dates, counts, counts)
def test_monotone(d: date, a: int, b: int) -> None:
    lo, hi = sorted((a, b))
    assert CAL.add_working_days(d, lo) <= CAL.add_working_days(d, hi)
    if lo < hi:
        assert CAL.add_working_days(d, lo) < CAL.add_working_days(d, hi)


@given(dates, st.integers(min_value=1, max_value=60))
def test_between_is_inverse(d: date, n: int) -> None:
    r = CAL.add_working_days(d, n)
    assert CAL.working_days_between(d, r) == n
    assert CAL.working_days_between(r, d) == -n


@given(dates, st.integers(min_value=0, max_value=120))
def test_add_between_round_trip(a: date, k: int) -> None:
    b = CAL.working_day_on_or_after(a + timedelta(days=k))
    assert CAL.add_working_days(a, CAL.working_days_between(a, b)) == b


@given(dates, st.integers(min_value=0, max_value=60))
def test_legal_days_end_on_working_day_not_before_plain_end(d: date, n: int) -> None:
    r = CAL.add_calendar_days_legal(d, n)
    assert CAL.is_working_day(r)
    assert r >= d + timedelta(days=n)
    assert all(not CAL.is_working_day(d + timedelta(days=n + i)) for i in range((r - d).days - n))


@given(dates, counts)
def test_negative_is_inverse_of_positive(d: date, n: int) -> None:
    d = CAL.working_day_on_or_after(d)
    assert CAL.add_working_days(CAL.add_working_days(d, n), -n) == d


# -- days not counting public holidays and Tết (Law 41/2024 Art. 79(3), the pension) -----
# Expected dates counted by hand on the 2026 calendar; "n" is the nth counted day.


def test_nonholiday_days_across_tet_2026() -> None:
    # Received Fri 13/02: 14 Sat (1), 15 Sun (2), 16–20 Tết skipped, 21 Sat (3), 22 Sun (4),
    # 23/02 (5) … 28/02 (10), 01/03 (11) … 10/03 (20): a Tuesday, a working day.
    assert CAL.add_days_excluding_holidays(date(2026, 2, 13), 20) == date(2026, 3, 10)
    # Working days would skip the weekends too and end much later.
    assert CAL.add_working_days(date(2026, 2, 13), 20) == date(2026, 3, 20)


def test_nonholiday_days_across_30_april_1_may_2026() -> None:
    # Received Wed 29/04: 30/4 and 1/5 skipped, 02/05 Sat (1), 03/05 Sun (2) … 21/05 (20).
    assert CAL.add_days_excluding_holidays(date(2026, 4, 29), 20) == date(2026, 5, 21)
    # Received Fri 24/04: 25 Sat (1); Hùng Kings Sun 26/04 is a holiday even on a Sunday and
    # its Monday off 27/04 is skipped; 28 (2), 29 (3), 30/4 and 1/5 skipped, 02/05 (4) … 18/05 (20).
    assert CAL.add_days_excluding_holidays(date(2026, 4, 24), 20) == date(2026, 5, 18)


def test_nonholiday_days_ending_on_a_weekend_move_to_monday() -> None:
    # Received Mon 02/03: 20 days end Sun 22/03, no holiday in between -> Mon 23/03.
    assert CAL.add_days_excluding_holidays(date(2026, 3, 2), 20) == date(2026, 3, 23)


def test_nonholiday_days_count_swapped_and_exchanged_days() -> None:
    # Received Thu 20/08: 21 (1), Sat 22/08 swapped working day (2), … Mon 31/08 given off in
    # exchange (11) still counts, 01–02/09 National Day skipped, 03/09 (12) … Fri 11/09 (20).
    assert CAL.add_days_excluding_holidays(date(2026, 8, 20), 20) == date(2026, 9, 11)


def test_appointment_in_nonholiday_days() -> None:
    fri_morning = datetime(2026, 2, 13, 9, 0, tzinfo=VN)
    appt = CAL.appointment(fri_morning, 20, "nonholiday_days", False)
    assert (appt.effective_receipt_date, appt.due_date) == (date(2026, 2, 13), date(2026, 3, 10))
    with pytest.raises(ValueError):
        CAL.add_days_excluding_holidays(date(2026, 2, 13), -1)


@given(dates, counts)
@settings(max_examples=200, deadline=None)
def test_nonholiday_days_between_plain_and_working_days(d: date, n: int) -> None:
    """Never earlier than n plain days, never later than n working days, always a working day."""
    due = CAL.add_days_excluding_holidays(d, n)
    assert CAL.is_working_day(due)
    assert due >= CAL.add_calendar_days_legal(d, n)
    if CAL.is_working_day(d):
        assert due <= CAL.add_working_days(d, n)
