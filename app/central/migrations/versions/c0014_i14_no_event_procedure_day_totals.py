"""The central keeps no per-day event counts by procedure either: drop the desk's table
the shared schema made (0018_i14).

Why: as c0013_i14 for `event_day_totals`: only the desk's daily summary reads it, and the
central's writers never keep it.

Revision ID: c0014_i14
Revises: c0013_i14
"""

from __future__ import annotations

from alembic import op

revision = "c0014_i14"
down_revision = "c0013_i14"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DROP TABLE IF EXISTS event_procedure_day_totals")


def downgrade() -> None:
    """Nothing: no query on the central reads it."""
