"""Add desk_id and officer_id to the covering ix_dossiers_status_due.

The status bar's counts for one desk and the summaries for one officer filter open dossiers
by desk or officer; without those columns in the index each open dossier was read from the
table (1.5 s for the status-bar counts at 1,000,000 dossiers with a large backlog).

Revision ID: 0007_i14
Revises: 0006_i14
"""

from __future__ import annotations

from alembic import op

revision = "0007_i14"
down_revision = "0006_i14"
branch_labels = None
depends_on = None

BEFORE = ["status", "due_date", "received_at", "office_id", "procedure_code", "channel"]


def upgrade() -> None:
    op.drop_index("ix_dossiers_status_due", table_name="dossiers")
    op.create_index("ix_dossiers_status_due", "dossiers", [*BEFORE, "desk_id", "officer_id"])


def downgrade() -> None:
    op.drop_index("ix_dossiers_status_due", table_name="dossiers")
    op.create_index("ix_dossiers_status_due", "dossiers", BEFORE)
