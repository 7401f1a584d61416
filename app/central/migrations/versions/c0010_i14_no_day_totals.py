"""The central keeps no per-day report totals: drop the desk's tables the shared schema
made (0014_i14).

Why: the desk's II.06a and summary read them (issue 14 item 7), but the central's report
by office counts its own covering index on PostgreSQL, and keeping the totals there would
lock their rows from each push's dossier write to its commit, serialising an office's
desks well before the office counter does (DESIGN.md "Order"). The shared write path skips
them on the central (`store_states(..., totals=False)`).

Revision ID: c0010_i14
Revises: c0009_i15
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "c0010_i14"
down_revision = "c0009_i15"
branch_labels = None
depends_on = None

KEY = ("kind", "procedure_code", "office_id", "desk_id", "officer_id", "channel", "outcome")


def upgrade() -> None:
    op.execute("DROP TABLE IF EXISTS dossier_month_totals")
    op.execute("DROP INDEX IF EXISTS ix_dossier_day_totals_kind_day2")
    op.execute("DROP TABLE IF EXISTS dossier_day_totals")


def _columns() -> list[sa.Column[str]]:
    return [sa.Column(k, sa.String(36), nullable=False) for k in KEY]


def downgrade() -> None:
    # Empty, as the shared migration leaves them before its fill.
    op.create_table(
        "dossier_day_totals",
        sa.Column("day", sa.Date(), nullable=False),
        *_columns(),
        sa.Column("day2", sa.Date(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", *KEY, "day2", name="pk_dossier_day_totals"),
    )
    op.create_index(
        "ix_dossier_day_totals_kind_day2", "dossier_day_totals", ["kind", "day2"], unique=False
    )
    op.create_table(
        "dossier_month_totals",
        sa.Column("month", sa.Date(), nullable=False),
        *_columns(),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("month", *KEY, name="pk_dossier_month_totals"),
    )
