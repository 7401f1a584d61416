"""The central drops the desk's summary index on events (made wide by 0015_i14).

Why: `ix_events_type_occurred` serves the desk's daily summary (0015_i14 widened it to six
columns so a scope is filtered from the index alone). The central runs no daily summary:
its report (`onestop-central report`, II.06a by office) counts dossier rows and its own
`ix_events_office_type_occurred`, and its push and pull find events by id, desk sequence
and feed number. Kept, the index would be written on every pushed event for nothing:
about 400 MB a million dossiers, and on a desk the wider index cost a pull of 100,000
events 17-22 % more CPU. An existing central builds it once when 0015_i14 runs and drops it
here in the same start-up.

Revision ID: c0011_i14
Revises: c0010_i14
"""

from __future__ import annotations

from alembic import op

revision = "c0011_i14"
down_revision = "c0010_i14"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_events_type_occurred")


def downgrade() -> None:
    op.create_index(
        "ix_events_type_occurred",
        "events",
        ["type", "occurred_at", "office_id", "desk_id", "officer_id", "dossier_id"],
    )
