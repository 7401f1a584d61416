"""Working days, public holidays and appointment dates (domain.md §1.4, §1.5, §6).

Base: the ``holidays`` package (Labour Code Art. 112 days, Tết and Hùng Kings computed on the
lunar calendar, compensatory days, and the swaps it knows of). On top: an editable table of
overrides per year from the annual government notice (resources/calendar/vn-overrides.json,
read by the caller: this module does no I/O). Overrides always win.

Counting rule: a time limit of N working days ends on the Nth working day counted from the day
after receipt; a limit in plain days follows Civil Code Art. 147/148; a limit in days "not
counting public holidays and Tết" (Law 41/2024 Art. 79(3), the pension) skips only the days
marked holiday or compensatory day off and counts weekends, swapped working days and other
days off, and like Art. 148 ends on a working day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Literal, get_args
from zoneinfo import ZoneInfo

import holidays as holidays_pkg

from app.domain.messages import register, tr

DayKind = Literal["holiday", "compensatory_off", "swapped_workday", "workday_off"]
DAY_KINDS: tuple[str, ...] = get_args(DayKind)
OFF_KINDS = frozenset({"holiday", "compensatory_off", "workday_off"})
CONFIDENCES = ("V", "S", "M")
TimeLimitUnit = Literal["working_days", "days", "nonholiday_days"]
TIME_LIMIT_UNITS: tuple[str, ...] = get_args(TimeLimitUnit)
#: Days that do not count toward a limit in "nonholiday_days" (public holidays and Tết).
HOLIDAY_KINDS = frozenset({"holiday", "compensatory_off"})

OVERRIDES_RESOURCE = "resources/calendar/vn-overrides.json"
"""Where the default overrides table lives, relative to the project root."""

DEFAULT_CUTOFF = time(15, 0)
DEFAULT_TZ = "Asia/Ho_Chi_Minh"
_MAX_SEARCH_DAYS = 366  # no real calendar has a year without a working day

register(
    {
        "calendar.overrides.shape": {
            "vi": "Bảng ngày nghỉ không đúng dạng: {detail}.",
            "en": "Holiday table is malformed: {detail}.",
        },
        "calendar.overrides.entry": {
            "vi": "Dòng {index} của bảng ngày nghỉ không hợp lệ: {detail}.",
            "en": "Entry {index} of the holiday table is invalid: {detail}.",
        },
        "calendar.overrides.duplicate": {
            "vi": "Ngày {day} xuất hiện hai lần trong bảng ngày nghỉ.",
            "en": "Day {day} appears twice in the holiday table.",
        },
        "calendar.no_working_day": {
            "vi": "Không tìm thấy ngày làm việc nào trong {days} ngày kể từ {day}.",
            "en": "No working day found within {days} days of {day}.",
        },
        "calendar.naive_datetime": {
            "vi": "Thời điểm tiếp nhận phải có múi giờ.",
            "en": "The receipt time must carry a time zone.",
        },
        "calendar.time_limit": {
            "vi": "Thời hạn giải quyết phải là số nguyên không âm (đã nhận {value}).",
            "en": "The time limit must be a non-negative whole number (got {value}).",
        },
        "calendar.unit": {
            "vi": "Đơn vị thời hạn «{unit}» không hợp lệ (ngày làm việc, ngày, hoặc ngày không "
            "kể ngày nghỉ lễ, tết).",
            "en": "Time-limit unit «{unit}» is invalid (working days, days, or days not "
            "counting public holidays and Tết).",
        },
    }
)


@dataclass(frozen=True)
class CalendarDay:
    """One entry of the editable table.

    kind: ``holiday`` (public holiday), ``compensatory_off`` (nghỉ bù for a holiday on a
    weekend), ``swapped_workday`` (làm bù: a normally free day becomes a working day),
    ``workday_off`` (a normal working day given off in exchange for a swapped workday).
    confidence: V verified, S secondary source, M not confirmed (domain.md labels).
    """

    day: date
    kind: DayKind
    name_vi: str
    source: str
    confidence: str


@dataclass(frozen=True)
class Appointment:
    effective_receipt_date: date
    due_date: date
    after_cutoff: bool


def parse_overrides(data: Mapping[str, Any], lang: str | None = None) -> list[CalendarDay]:
    """Check and convert the JSON table (already loaded) into CalendarDay entries."""
    if not isinstance(data, Mapping) or not isinstance(data.get("days"), list):
        raise ValueError(tr("calendar.overrides.shape", lang, detail='"days" list missing'))
    out: list[CalendarDay] = []
    seen: set[date] = set()
    for i, raw in enumerate(data["days"], start=1):

        def bad(detail: str, i: int = i) -> ValueError:
            return ValueError(tr("calendar.overrides.entry", lang, index=i, detail=detail))

        if not isinstance(raw, Mapping):
            raise bad("not an object")
        try:
            day = date.fromisoformat(str(raw.get("date", "")))
        except ValueError:
            raise bad(f"date {raw.get('date')!r} is not YYYY-MM-DD") from None
        kind = raw.get("kind")
        if kind not in DAY_KINDS:
            raise bad(f"kind {kind!r} not one of {', '.join(DAY_KINDS)}")
        name = raw.get("name_vi")
        if not isinstance(name, str) or not name.strip():
            raise bad("name_vi missing")
        source = raw.get("source")
        if not isinstance(source, str) or not source.strip():
            raise bad("source missing")
        confidence = raw.get("confidence")
        if confidence not in CONFIDENCES:
            raise bad(f"confidence {confidence!r} not one of V, S, M")
        if day in seen:
            raise ValueError(tr("calendar.overrides.duplicate", lang, day=day.isoformat()))
        seen.add(day)
        out.append(CalendarDay(day, kind, name.strip(), source.strip(), confidence))
    return out


class WorkingCalendar:
    """Which days count toward a time limit, for one desk's configuration.

    saturday_is_workday: a local decision to count Saturdays (domain.md §6 assumes not).
    use_package: turn the ``holidays`` base off (tests, or a fully centrally-synced table).
    """

    def __init__(
        self,
        overrides: Iterable[CalendarDay] = (),
        saturday_is_workday: bool = False,
        *,
        use_package: bool = True,
    ) -> None:
        self._overrides: dict[date, CalendarDay] = {o.day: o for o in overrides}
        self.saturday_is_workday = saturday_is_workday
        self._use_package = use_package
        self._base_off: dict[date, str] = {}
        self._base_workdays: set[date] = set()
        self._years: set[int] = set()

    # -- base data -------------------------------------------------------------------------

    def _load_year(self, year: int) -> None:
        if year in self._years:
            return
        self._years.add(year)
        if not self._use_package or not 1 <= year <= 9999:
            return
        vn = holidays_pkg.country_holidays("VN", years=year, language="vi")
        for d, name in vn.items():
            if d.year == year:
                self._base_off[d] = name
        # Saturdays the government turned into working days in exchange for a day off.
        for d in getattr(vn, "weekend_workdays", ()):
            if d.year == year:
                self._base_workdays.add(d)

    def day_info(self, d: date) -> CalendarDay | None:
        """Why d is special (override first, then the package), or None for an ordinary day."""
        if d in self._overrides:
            return self._overrides[d]
        self._load_year(d.year)
        if d in self._base_workdays:
            return CalendarDay(d, "swapped_workday", "Ngày làm việc bù", "holidays", "S")
        name = self._base_off.get(d)
        if name is None:
            return None
        kind: DayKind = "compensatory_off" if "nghỉ bù" in name else "holiday"
        if "thay cho" in name:
            kind = "workday_off"
        return CalendarDay(d, kind, name, "holidays", "S")

    def days_in_year(self, year: int) -> list[CalendarDay]:
        """Every special day of a year (for the settings screen and the printed calendar)."""
        self._load_year(year)
        days = {d for d in self._base_off if d.year == year}
        days |= {d for d in self._base_workdays if d.year == year}
        days |= {d for d in self._overrides if d.year == year}
        return [info for d in sorted(days) if (info := self.day_info(d)) is not None]

    # -- predicates and arithmetic --------------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        info = self.day_info(d)
        if info is not None:
            return info.kind == "swapped_workday"
        wd = d.weekday()
        return wd < 5 or (wd == 5 and self.saturday_is_workday)

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after d."""
        return self._scan(d + timedelta(days=1), 1)

    def previous_working_day(self, d: date) -> date:
        """The last working day strictly before d."""
        return self._scan(d - timedelta(days=1), -1)

    def working_day_on_or_after(self, d: date) -> date:
        return self._scan(d, 1)

    def _scan(self, d: date, step: int) -> date:
        start = d
        for _ in range(_MAX_SEARCH_DAYS):
            if self.is_working_day(d):
                return d
            d += timedelta(days=step)
        raise ValueError(
            tr("calendar.no_working_day", None, days=_MAX_SEARCH_DAYS, day=start.isoformat())
        )

    def add_working_days(self, start: date, n: int) -> date:
        """The Nth working day counted from the day after start.

        n = 0 gives start itself if it is a working day, else the next one. Negative n counts
        backwards from the day before start (e.g. "notify 1 working day before the deadline").
        """
        if n == 0:
            return self.working_day_on_or_after(start)
        d = start
        if n > 0:
            for _ in range(n):
                d = self.next_working_day(d)
        else:
            for _ in range(-n):
                d = self.previous_working_day(d)
        return d

    def add_calendar_days_legal(self, start: date, n: int) -> date:
        """End of a limit of n plain days (Civil Code Art. 147/148).

        Counting starts the day after start, so the last day is start + n; if that day is a
        weekend day or holiday the period ends on the next working day.
        """
        if n < 0:
            raise ValueError(tr("calendar.time_limit", None, value=n))
        return self.working_day_on_or_after(start + timedelta(days=n))

    def is_public_holiday(self, d: date) -> bool:
        """A public holiday or its compensatory day off (what "không kể ngày nghỉ lễ, tết" skips).

        Weekends, swapped working days and "workday_off" days (a working day given off in
        exchange for a swapped Saturday) are not public holidays, so they count.
        """
        info = self.day_info(d)
        return info is not None and info.kind in HOLIDAY_KINDS

    def add_days_excluding_holidays(self, start: date, n: int) -> date:
        """End of a limit of n days not counting public holidays and Tết (Law 41/2024 Art. 79(3)).

        Counting starts the day after start (Civil Code Art. 147); each day that is not a
        public holiday or compensatory day off counts, weekends included. If the last counted
        day is not a working day the period ends on the next working day (Art. 148), the first
        day the desk can return a result.
        """
        if n < 0:
            raise ValueError(tr("calendar.time_limit", None, value=n))
        d = start
        counted = 0
        for _ in range(n + _MAX_SEARCH_DAYS):
            if counted == n:
                break
            d += timedelta(days=1)
            if not self.is_public_holiday(d):
                counted += 1
        else:  # pragma: no cover - a table marking a whole year as holiday
            raise ValueError(
                tr("calendar.no_working_day", None, days=_MAX_SEARCH_DAYS, day=start.isoformat())
            )
        return self.working_day_on_or_after(d)

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in (a, b]: how many working days after a the date b is.

        Negative when b is before a (the count of working days in (b, a]). For a working day b
        at or after a, ``add_working_days(a, working_days_between(a, b)) == b``.
        """
        if b < a:
            return -self.working_days_between(b, a)
        count = 0
        d = a + timedelta(days=1)
        while d <= b:
            if self.is_working_day(d):
                count += 1
            d += timedelta(days=1)
        return count

    def appointment(
        self,
        received_at: datetime,
        time_limit_value: int,
        unit: TimeLimitUnit,
        same_day: bool,
        cutoff: time | None = DEFAULT_CUTOFF,
        tz: str = DEFAULT_TZ,
        lang: str | None = None,
    ) -> Appointment:
        """Effective receipt day and due date for a dossier received at ``received_at``.

        A dossier received on a non-working day, or on a working day after the cut-off (local
        time strictly later than ``cutoff``; None disables the rule, Decree 61 Art. 18 and
        local practice), counts as received on the next working day. Same-day procedures are
        due on the effective receipt day. ``after_cutoff`` says the local time was past the
        cut-off, whatever the day.
        """
        if received_at.tzinfo is None or received_at.utcoffset() is None:
            raise ValueError(tr("calendar.naive_datetime", lang))
        if (
            isinstance(time_limit_value, bool)
            or not isinstance(time_limit_value, int)
            or time_limit_value < 0
        ):
            raise ValueError(tr("calendar.time_limit", lang, value=time_limit_value))
        if unit not in TIME_LIMIT_UNITS:
            raise ValueError(tr("calendar.unit", lang, unit=unit))
        local = received_at.astimezone(ZoneInfo(tz))
        local_day = local.date()
        after_cutoff = cutoff is not None and local.time().replace(tzinfo=None) > cutoff
        if self.is_working_day(local_day) and not after_cutoff:
            effective = local_day
        else:
            effective = self.next_working_day(local_day)
        if same_day:
            due = effective
        elif unit == "working_days":
            due = self.add_working_days(effective, time_limit_value)
        elif unit == "nonholiday_days":
            due = self.add_days_excluding_holidays(effective, time_limit_value)
        else:
            due = self.add_calendar_days_legal(effective, time_limit_value)
        return Appointment(effective, due, after_cutoff)
