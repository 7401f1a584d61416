"""Index the shared events table by (office_id, type, occurred_at) on the central only.

The province's II.06a (`onestop-central report`) reads the settling events of a few offices
out of the whole country's log; without this index it walked every office's events of the
period. A desk holds one office, so the desk schema (and its intake speed) does without it.

Revision ID: c0002_i14
Revises: c0001
"""

from __future__ import annotations

from alembic import op

revision = "c0002_i14"
down_revision = "c0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_events_office_type_occurred", "events", ["office_id", "type", "occurred_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_events_office_type_occurred", table_name="events")
