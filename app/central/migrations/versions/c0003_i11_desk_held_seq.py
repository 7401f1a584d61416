"""desk_credentials.held_seq and blocks_reported_at: restore-safe sync

Revision ID: c0003_i11
Revises: c0002_i14
Create Date: 2026-12-01 00:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import app.models.base

revision = "c0003_i11"
down_revision = "c0002_i14"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("central_desk_credentials", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("held_seq", sa.BigInteger(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column(
                "blocks_reported_at", app.models.base.UTCDateTime(timezone=True), nullable=True
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("central_desk_credentials", schema=None) as batch_op:
        batch_op.drop_column("blocks_reported_at")
        batch_op.drop_column("held_seq")
