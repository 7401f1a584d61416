"""The office profile: kind of office, header office line, commune, usual return hour.

Revision ID: 0005_i9
Revises: 0004_i12
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_i9"
down_revision = "0004_i12"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("offices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(24), server_default="", nullable=False))
        batch_op.add_column(
            sa.Column("header_line", sa.String(200), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("commune_code", sa.String(5), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("return_hour", sa.String(5), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("offices", schema=None) as batch_op:
        batch_op.drop_column("return_hour")
        batch_op.drop_column("commune_code")
        batch_op.drop_column("header_line")
        batch_op.drop_column("kind")
