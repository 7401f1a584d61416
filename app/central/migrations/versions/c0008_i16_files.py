"""Digitised files sent by the desks: per office, bytes received and whether complete.

Revision ID: c0008_i16
Revises: c0007_i14
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import app.models.base

revision = "c0008_i16"
down_revision = "c0007_i14"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "central_files",
        sa.Column("office_id", sa.String(length=36), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("received", sa.BigInteger(), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("desk_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("completed_at", app.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("office_id", "sha256", name=op.f("pk_central_files")),
    )


def downgrade() -> None:
    op.drop_table("central_files")
