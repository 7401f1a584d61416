"""Name search in index order: (name_fold, received_at DESC) replaces (name_fold) (issue 10).

The search box lists a name prefix's dossiers in name order, each name's newest first; with
the name-only index SQLite sorted each name's rows (at 1,000,000 dossiers about 170 per
name), with this one it reads the first 50 rows in order and sorts nothing.

Revision ID: 0012_i10
Revises: 0011_i16
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_i10"
down_revision = "0011_i16"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain index statements (no batch table copy): a desk with a million dossiers builds
    # the index once, in seconds.
    op.create_index(
        "ix_dossiers_name_received",
        "dossiers",
        ["name_fold", sa.text("received_at DESC")],
        unique=False,
    )
    op.drop_index("ix_dossiers_name_fold", table_name="dossiers")


def downgrade() -> None:
    op.create_index("ix_dossiers_name_fold", "dossiers", ["name_fold"], unique=False)
    op.drop_index("ix_dossiers_name_received", table_name="dossiers")
