"""Drop the central-only ix_dossiers_id_report: the shared schema now has ix_dossiers_report
(desk migration 0008_i14) with the same columns, which serves PostgreSQL as well.

Revision ID: c0005_i14
Revises: c0004_i14
"""

from __future__ import annotations

from alembic import op

revision = "c0005_i14"
down_revision = "c0004_i14"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_dossiers_id_report", table_name="dossiers")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.create_index(
            "ix_dossiers_id_report",
            "dossiers",
            ["id"],
            postgresql_include=[
                "due_date",
                "received_at",
                "office_id",
                "procedure_code",
                "channel",
            ],
        )
