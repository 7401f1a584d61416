"""Covering indexes for the province's report on PostgreSQL (central only).

`onestop-central report` reads the settling events of a province's offices and then each
of those dossiers: with plain indexes PostgreSQL fetched 30,000 event rows and 30,000
dossier rows from the heap for one province's year (about 1.5 s of 3). INCLUDE columns let
both steps run as index-only scans. SQLite (a small central) keeps the plain index.

Revision ID: c0004_i14
Revises: c0003_i11
"""

from __future__ import annotations

from alembic import op

revision = "c0004_i14"
down_revision = "c0003_i11"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_events_office_type_occurred", table_name="events")
    op.create_index(
        "ix_events_office_type_occurred",
        "events",
        ["office_id", "type", "occurred_at"],
        postgresql_include=["dossier_id"],
    )
    op.create_index(
        "ix_dossiers_id_report",
        "dossiers",
        ["id"],
        postgresql_include=["due_date", "received_at", "office_id", "procedure_code", "channel"],
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_dossiers_id_report", table_name="dossiers")
    op.drop_index("ix_events_office_type_occurred", table_name="events")
    op.create_index(
        "ix_events_office_type_occurred", "events", ["office_id", "type", "occurred_at"]
    )
