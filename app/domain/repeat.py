"""The same citizen, the same procedure, again within 30 days: ask before receiving.

Why: a second maternity or one-off claim within weeks is usually a duplicate (the first is
still being handled, or was refused and the citizen tries again at another desk); the
officer should see the earlier dossier and decide, not be stopped, since a new claim can
be legitimate (a second child, a corrected dossier after a refusal).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

REPEAT_WINDOW = timedelta(days=30)


@dataclass(frozen=True)
class Earlier:
    """An earlier dossier of the same ID number."""

    code: str
    procedure_code: str
    received_at: datetime
    status: str


def repeats(earlier: Iterable[Earlier], procedure_code: str, now: datetime) -> list[Earlier]:
    """The earlier dossiers for `procedure_code` received within 30 days before `now`."""
    return [
        e
        for e in earlier
        if e.procedure_code == procedure_code
        and timedelta(0) <= now - e.received_at <= REPEAT_WINDOW
    ]
