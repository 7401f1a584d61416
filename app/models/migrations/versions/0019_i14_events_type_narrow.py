"""Narrow ix_events_type_occurred back to (type, occurred_at): the summary counts events
from per-day totals now.

Why: 0015_i14 widened the index with office, desk, officer and dossier so the daily
summary could filter a period's events by scope from the index alone. Since 0017_i14 and
0018_i14 every scope of the summary reads `event_day_totals` and
`event_procedure_day_totals`; the wide index serves only the plain reference queries
(`daily_summary(plain=True)`, the tests' and the bench's "from the events"). It is written
on every event stored: 0015_i14 measured the pull of 100,000 events at 17-22 % more desk
CPU with it, and a 1,000,000-dossier seed spent 11-14 s building it. What is left, type and
time, serves the look-ups of one rare type (guard overrides, digitised components).

On the central the desk's migrations run first and c0011_i14 drops the index: when it is
not there, nothing is built here.

Revision ID: 0019_i14
Revises: 0018_i14
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019_i14"
down_revision = "0018_i14"
branch_labels = None
depends_on = None

NARROW = ["type", "occurred_at"]
WIDE = [*NARROW, "office_id", "desk_id", "officer_id", "dossier_id"]


def _has_index() -> bool:
    """(Not through SQLAlchemy's inspector: it warns on the expression index of ratings.)"""
    bind = op.get_bind()
    sql = (
        "SELECT 1 FROM pg_indexes WHERE indexname = 'ix_events_type_occurred'"
        if bind.dialect.name == "postgresql"
        else "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'ix_events_type_occurred'"
    )
    return bind.execute(sa.text(sql)).first() is not None


def upgrade() -> None:
    if _has_index():
        op.drop_index("ix_events_type_occurred", table_name="events")
        op.create_index("ix_events_type_occurred", "events", NARROW)


def downgrade() -> None:
    if _has_index():
        op.drop_index("ix_events_type_occurred", table_name="events")
        op.create_index("ix_events_type_occurred", "events", WIDE)
