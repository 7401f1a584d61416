"""The working-day calendar of this desk: the statutory base plus the editable table.

The bundled table (resources/calendar) seeds the database once per version; an
administrator's edits, or the central service's calendar, then live in `calendar_days`
and are never overwritten by a later bundled seed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.calendar import CalendarDay as DayRule
from app.domain.calendar import WorkingCalendar, parse_overrides
from app.models import CalendarDay, utcnow
from app.resources import resources_dir
from app.services.context import DeskContext, get_setting, set_setting

BUNDLED = Path("calendar") / "vn-overrides.json"


def bundled_overrides_path() -> Path:
    return resources_dir() / BUNDLED


def import_overrides(session: Session, data: Mapping[str, object], *, replace: bool) -> int:
    """Write a calendar document's days; `replace` lets it overwrite existing rows."""
    count = 0
    for rule in parse_overrides(data):
        row = session.get(CalendarDay, rule.day)
        if row is not None and not replace:
            continue
        if row is None:
            row = CalendarDay(day=rule.day)
            session.add(row)
        row.kind, row.name_vi = rule.kind, rule.name_vi
        row.updated_at = utcnow()
        row.source, row.confidence = rule.source, rule.confidence
        count += 1
    return count


def seed_bundled_calendar(session: Session) -> int:
    """Load the bundled table once per version, keeping edited rows as they are."""
    data = json.loads(bundled_overrides_path().read_text(encoding="utf-8"))
    version = str(data.get("version", ""))
    if get_setting(session, "calendar.bundled_version") == version:
        return 0
    n = import_overrides(session, data, replace=False)
    set_setting(session, "calendar.bundled_version", version)
    return n


_calendars: dict[tuple[object, ...], WorkingCalendar] = {}
#: What tells a changed table (built once: every intake asks).
_VERSION = select(func.count(), func.max(CalendarDay.updated_at))


def load_calendar(session: Session) -> WorkingCalendar:
    """The desk's calendar; rebuilt only when its table or the Saturday setting changed."""
    saturday = get_setting(session, "calendar.saturday_is_workday") == "1"
    session.flush()  # a day edited in this transaction counts
    count, latest = session.connection().execute(_VERSION).one()
    bind = session.get_bind()
    key = (str(bind.engine.url), count, latest, saturday)
    cal = _calendars.get(key)
    if cal is None:
        cal = _calendars[key] = _build_calendar(session, saturday)
    return cal


def _build_calendar(session: Session, saturday: bool) -> WorkingCalendar:
    rules = [
        DayRule(r.day, r.kind, r.name_vi, r.source, r.confidence)  # type: ignore[arg-type]
        for r in session.scalars(select(CalendarDay))
    ]
    return WorkingCalendar(rules, saturday_is_workday=saturday)


def cutoff_setting(session: Session) -> time | None:
    raw = get_setting(session, "intake.cutoff").strip()
    return time.fromisoformat(raw) if raw else None


@dataclass(frozen=True)
class CalendarEntry:
    day: date
    kind: str
    name_vi: str
    source: str
    confidence: str


def list_days(ctx: DeskContext, year: int) -> list[CalendarEntry]:
    with ctx.read() as s:
        rows = s.scalars(
            select(CalendarDay)
            .where(CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31))
            .order_by(CalendarDay.day)
        )
        return [CalendarEntry(r.day, r.kind, r.name_vi, r.source, r.confidence) for r in rows]


def set_day(ctx: DeskContext, entry: CalendarEntry) -> None:
    """An administrator's edit of one day (validated like the bundled table)."""
    doc = {
        "days": [
            {
                "date": entry.day.isoformat(),
                "kind": entry.kind,
                "name_vi": entry.name_vi,
                "source": entry.source,
                "confidence": entry.confidence,
            }
        ]
    }
    with ctx.transaction() as s:
        import_overrides(s, doc, replace=True)
