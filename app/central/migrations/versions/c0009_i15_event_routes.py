"""Events routed to a second office's feed (postal hand-over records, issue 15).

Revision ID: c0009_i15
Revises: c0008_i16
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import app.models.base

revision = "c0009_i15"
down_revision = "c0008_i16"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "central_event_routes",
        sa.Column("office_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("received_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("office_id", "seq", name=op.f("pk_central_event_routes")),
        sa.UniqueConstraint(
            "office_id", "event_id", name=op.f("uq_central_event_routes_office_id")
        ),
    )
    with op.batch_alter_table("central_event_routes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_central_event_routes_event_id"), ["event_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("central_event_routes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_central_event_routes_event_id"))
    op.drop_table("central_event_routes")
