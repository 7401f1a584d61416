"""Index events by (type, occurred_at) for the supervisor reports.

The periodic report (II.06a) and the daily summary find the settling, returning and rating
events of a period; without this index each report scanned the whole event log (millions of
rows on a desk holding a year of its office's history).

Revision ID: 0003_i14
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003_i14"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_events_type_occurred", "events", ["type", "occurred_at"])


def downgrade() -> None:
    op.drop_index("ix_events_type_occurred", table_name="events")
