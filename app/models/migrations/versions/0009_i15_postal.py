"""The post-office agent desk: consignments (postal_items) and hand-over records
(postal_batches), projections of the postal events (issue 15).

Revision ID: 0009_i15
Revises: 0008_i14
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import app.models.base

revision = "0009_i15"
down_revision = "0008_i14"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "postal_batches",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("batch_no", sa.String(length=16), nullable=False),
        sa.Column("from_office_code", sa.String(length=32), nullable=False),
        sa.Column("to_office_code", sa.String(length=32), nullable=False),
        sa.Column("from_name", sa.String(length=200), nullable=False),
        sa.Column("to_name", sa.String(length=200), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=8), nullable=False),
        sa.Column("rows", sa.JSON(), nullable=False),
        sa.Column("handed_at", app.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("signed_at", app.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("signed_by_desk", sa.String(length=36), nullable=True),
        sa.Column("receipts", sa.Integer(), nullable=False),
        sa.Column("signers", sa.JSON(), nullable=False),
        sa.Column("conflict", sa.Boolean(), nullable=False),
        sa.Column("resolved_note", sa.Text(), nullable=False),
        sa.Column("updated_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_postal_batches")),
        sa.UniqueConstraint("batch_no", name=op.f("uq_postal_batches_batch_no")),
    )
    op.create_table(
        "postal_items",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("office_id", sa.String(length=36), nullable=False),
        sa.Column("desk_id", sa.String(length=36), nullable=False),
        sa.Column("officer_id", sa.String(length=36), nullable=True),
        sa.Column("receipt_no", sa.String(length=24), nullable=False),
        sa.Column("consignment_no", sa.String(length=13), nullable=False),
        sa.Column("agency_code", sa.String(length=32), nullable=False),
        sa.Column("agency_name", sa.String(length=200), nullable=False),
        sa.Column("procedure_code", sa.String(length=32), nullable=False),
        sa.Column("procedure_name", sa.String(length=300), nullable=False),
        sa.Column("catalogue_version", sa.String(length=32), nullable=False),
        sa.Column("full_name", sa.String(length=100), nullable=False),
        sa.Column("id_number", sa.String(length=12), nullable=False),
        sa.Column("phone", sa.String(length=15), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("components", sa.JSON(), nullable=False),
        sa.Column("papers", sa.Integer(), nullable=False),
        sa.Column("option", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("fee_charges", sa.Integer(), nullable=False),
        sa.Column("fee_postal", sa.Integer(), nullable=False),
        sa.Column("fee_total", sa.Integer(), nullable=False),
        sa.Column("accepted_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("batch_id", sa.String(length=36), nullable=True),
        sa.Column("dossier_code", sa.String(length=40), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("return_batch_id", sa.String(length=36), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("conflict", sa.Boolean(), nullable=False),
        sa.Column("updated_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_postal_items")),
    )
    with op.batch_alter_table("postal_items", schema=None) as batch_op:
        batch_op.create_index(
            "ix_postal_items_accepted", ["office_id", "accepted_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_postal_items_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index("ix_postal_items_consignment", ["consignment_no"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_postal_items_receipt_no"), ["receipt_no"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("postal_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_postal_items_receipt_no"))
        batch_op.drop_index("ix_postal_items_consignment")
        batch_op.drop_index(batch_op.f("ix_postal_items_batch_id"))
        batch_op.drop_index("ix_postal_items_accepted")

    op.drop_table("postal_items")
    op.drop_table("postal_batches")
