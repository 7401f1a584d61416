"""Keep a desk's revocation after reinstatement, and flag what it made while revoked.

Revision ID: c0006_i12
Revises: c0005_i14
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import app.models.base

revision = "c0006_i12"
down_revision = "c0005_i14"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("central_desk_credentials", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("last_revoked_at", app.models.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("reinstated_at", app.models.base.UTCDateTime(timezone=True), nullable=True)
        )
    op.create_table(
        "central_review_flags",
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("office_id", sa.String(length=36), nullable=False),
        sa.Column("desk_id", sa.String(length=36), nullable=False),
        sa.Column("dossier_id", sa.String(length=36), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("flagged_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_central_review_flags")),
    )
    with op.batch_alter_table("central_review_flags", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_central_review_flags_office_id"), ["office_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("central_review_flags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_central_review_flags_office_id"))
    op.drop_table("central_review_flags")
    with op.batch_alter_table("central_desk_credentials", schema=None) as batch_op:
        batch_op.drop_column("reinstated_at")
        batch_op.drop_column("last_revoked_at")
