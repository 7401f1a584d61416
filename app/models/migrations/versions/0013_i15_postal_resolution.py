"""A supervisor's resolution of a hand-over record signed twice (issue 15): the folded
`postal_conflict_resolved` events of the record, on postal_batches.resolution.

Revision ID: 0013_i15
Revises: 0012_i10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_i15"
down_revision = "0012_i10"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("postal_batches", schema=None) as batch_op:
        batch_op.add_column(sa.Column("resolution", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("postal_batches", schema=None) as batch_op:
        batch_op.drop_column("resolution")
