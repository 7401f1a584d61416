"""Small Qt-free helpers the desk window needs that no other use case provides.

Each is a thin read over existing services (one session, plain data back), so the UI never
touches sessions or SQLAlchemy and no business rule is written twice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from app.config import SETTINGS
from app.models import Setting
from app.resources import resources_dir
from app.services.calendar_service import load_calendar
from app.services.context import DeskContext, get_setting, set_setting


@dataclass(frozen=True)
class Province:
    code: str
    name: str
    full_name: str = ""  # "Thành phố Hà Nội", "Tỉnh Bắc Ninh": for header lines


@dataclass(frozen=True)
class Commune:
    code: str
    name: str
    province_code: str


@lru_cache(maxsize=1)
def provinces() -> tuple[Province, ...]:
    """The 34 provinces of the 2025 reform, in file order."""
    data = json.loads((resources_dir() / "geo" / "provinces-2025.json").read_text("utf-8"))
    return tuple(
        Province(p["code"], p["name"], p.get("full_name") or p["name"]) for p in data["provinces"]
    )


@lru_cache(maxsize=1)
def _communes() -> dict[str, tuple[Commune, ...]]:
    data = json.loads((resources_dir() / "geo" / "communes-2025.json").read_text("utf-8"))
    out: dict[str, list[Commune]] = {}
    for c in data["communes"]:
        out.setdefault(c["province_code"], []).append(
            Commune(c["code"], c["name"], c["province_code"])
        )
    return {k: tuple(v) for k, v in out.items()}


def communes(province_code: str) -> tuple[Commune, ...]:
    """The communes (xã/phường/đặc khu) of one province, in file order.

    No province, no file read: the 3,321-commune file is parsed on first real use, not
    while the window opens."""
    if not province_code:
        return ()
    return _communes().get(province_code, ())


def nth_working_day(ctx: DeskContext, today: date, n: int = 2) -> date:
    """The n-th working day after `today` (for the "due within 2 working days" filter)."""
    with ctx.read() as s:
        cal = load_calendar(s)
    return cal.add_working_days(today, n)  # type: ignore[no-any-return]


def waiting_events(ctx: DeskContext) -> tuple[int, float | None]:
    """(events waiting to sync, age in seconds of the oldest), from the sync status query."""
    st = desk_sync_status(ctx)
    return st.waiting_count, st.oldest_waiting_age_s


def desk_sync_status(ctx: DeskContext, online: bool | None = None) -> Any:
    """`app.services.sync_status.DeskSyncStatus` for the status bar, read in one session."""
    from app.services.sync_status import desk_status

    with ctx.read() as s:
        return desk_status(s, online=online)


def read_settings(ctx: DeskContext, *keys: str) -> dict[str, str]:
    """Stored desk settings (or their declared defaults) by key."""
    with ctx.read() as s:
        return {k: get_setting(s, k) for k in keys}


def write_setting(ctx: DeskContext, key: str, value: str) -> None:
    with ctx.transaction() as s:
        set_setting(s, key, value)


IDLE_LOCK_KEY = "security.idle_lock_minutes"
IDLE_LOCK_MAX = 240


def _minutes(value: str) -> int | None:
    try:
        n = int(str(value).strip())
    except ValueError:
        return None
    return n if 0 <= n <= IDLE_LOCK_MAX else None


def idle_lock_minutes(ctx: DeskContext) -> int:
    """The desk's one idle-lock time (0: never); a stored value out of range reads as the
    declared default, never as "never"."""
    with ctx.read() as s:
        value = _minutes(get_setting(s, IDLE_LOCK_KEY))
    return value if value is not None else int(SETTINGS[IDLE_LOCK_KEY].default)


def set_idle_lock_minutes(ctx: DeskContext, minutes: int) -> None:
    if _minutes(str(minutes)) is None:
        raise ValueError(f"idle lock minutes outside 0..{IDLE_LOCK_MAX}: {minutes}")
    write_setting(ctx, IDLE_LOCK_KEY, str(minutes))


def adopt_legacy_idle_lock(ctx: DeskContext, value: object) -> bool:
    """Carry the lock time an older version kept in the window's per-user settings into the
    desk setting, unless the desk already has one of its own; True when adopted."""
    minutes = _minutes(str(value))
    if minutes is None:
        return False
    with ctx.transaction() as s:
        if s.get(Setting, IDLE_LOCK_KEY) is not None:
            return False
        set_setting(s, IDLE_LOCK_KEY, str(minutes))
    return True


def last_sync(ctx: DeskContext) -> datetime | None:
    return desk_sync_status(ctx).last_good_sync  # type: ignore[no-any-return]
