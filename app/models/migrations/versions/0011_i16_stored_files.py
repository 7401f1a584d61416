"""Digitised files: the desk's sync bookkeeping of its content-addressed files (issue 16).

Revision ID: 0011_i16
Revises: 0010_i14
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import app.models.base

revision = "0011_i16"
down_revision = "0010_i14"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stored_files",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("origin", sa.String(length=8), nullable=False),
        sa.Column("uploaded_at", app.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.Column("created_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_stored_files")),
    )
    op.create_index("ix_stored_files_pending", "stored_files", ["origin", "uploaded_at"])


def downgrade() -> None:
    op.drop_index("ix_stored_files_pending", table_name="stored_files")
    op.drop_table("stored_files")
