"""The central keeps no per-day event counts: drop the desk's table the shared schema
made (0017_i14).

Why: only the desk's daily summary reads `event_day_totals` (issue 14 item 7); the
central runs no daily summary (as c0010_i14 for the dossier totals, c0011_i14 and
c0012_i14 for its indexes), and its writers never keep the table.

Revision ID: c0013_i14
Revises: c0012_i14
"""

from __future__ import annotations

from alembic import op

revision = "c0013_i14"
down_revision = "c0012_i14"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DROP TABLE IF EXISTS event_day_totals")


def downgrade() -> None:
    """Nothing: no query on the central reads it."""
