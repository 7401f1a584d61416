"""Index the dossier list's keyset order (received_at, id).

Without it every page of the unfiltered list sorted the whole table; at a million dossiers
scrolling loaded a few hundred rows in seconds.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_dossiers_received_id", "dossiers", ["received_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_dossiers_received_id", table_name="dossiers")
