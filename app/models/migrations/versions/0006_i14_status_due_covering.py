"""Widen ix_dossiers_status_due so the reports count open dossiers from the index alone.

Overdue control and II.06a's "in progress" columns aggregate every open dossier of the
scope; with only (status, due_date) indexed SQLite fetched each row from the table (a
backlog of 200,000 open dossiers cost most of a second). The wider index keeps the same
leading columns, so the dossier list's status and due-date filters use it as before.

Revision ID: 0006_i14
Revises: 0005_i9
"""

from __future__ import annotations

from alembic import op

revision = "0006_i14"
down_revision = "0005_i9"
branch_labels = None
depends_on = None

COLUMNS = ["status", "due_date", "received_at", "office_id", "procedure_code", "channel"]


def upgrade() -> None:
    op.drop_index("ix_dossiers_status_due", table_name="dossiers")
    op.create_index("ix_dossiers_status_due", "dossiers", COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_dossiers_status_due", table_name="dossiers")
    op.create_index("ix_dossiers_status_due", "dossiers", ["status", "due_date"])
