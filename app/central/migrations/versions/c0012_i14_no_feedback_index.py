"""The central drops the desk's ratings index on events (0016_i14, SQLite only).

Why: `ix_events_feedback` serves only the desk's daily summary (its ratings read from the
index). The central runs no daily summary (as c0011_i14 for ix_events_type_occurred), and a
central on SQLite would otherwise write it for every pushed rating. On PostgreSQL 0016_i14
never builds it.

Revision ID: c0012_i14
Revises: c0011_i14
"""

from __future__ import annotations

from alembic import op

revision = "c0012_i14"
down_revision = "c0011_i14"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_events_feedback")


def downgrade() -> None:
    """Nothing: the next start's desk migrations do not rebuild it, and no query needs it."""
