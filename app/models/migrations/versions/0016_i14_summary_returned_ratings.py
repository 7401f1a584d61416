"""The daily summary's returned results and ratings from indexes alone (issue 14 item 7).

Why: at 1,000,000 dossiers the year's summary took 3.2 s, of which the join of the period's
returned and posted events (about 660,000) to their dossiers about 2.6 s (each looked up by
id and its settlement read from the table row) and the ratings about 1.65 s (each of about
200,000 rating events read from the table and its JSON payload parsed four times).
`ix_dossiers_report` (already reached by id from events) now also holds the officer and the
settlement (type and outcome), so the join reads the index only; `ix_events_feedback`, a
partial index over the rating events, holds their time, scope columns and the four scores
as `reports` spells them. Both are named by the query (INDEXED BY): with no statistics
SQLite would take the primary key and `ix_events_type_occurred`.

The expression index is SQLite's only (PostgreSQL has no json_extract): a central on
PostgreSQL runs no daily summary and skips it.

Revision ID: 0016_i14
Revises: 0015_i14
"""

from __future__ import annotations

from alembic import op

revision = "0016_i14"
down_revision = "0015_i14"
branch_labels = None
depends_on = None

REPORT_BEFORE = ["id", "due_date", "received_at", "office_id", "procedure_code", "channel"]
REPORT_AFTER = [*REPORT_BEFORE, "officer_id", "settled_type", "settled_outcome"]
SCORES = ", ".join(
    f'CAST(json_extract(payload, \'$."scores"."{k}"\') AS INTEGER)' for k in ("1", "3", "4", "7")
)
FEEDBACK = (
    "CREATE INDEX IF NOT EXISTS ix_events_feedback ON events"
    f" (occurred_at, office_id, desk_id, dossier_id, {SCORES})"
    " WHERE type = 'feedback_given'"
)


def upgrade() -> None:
    op.drop_index("ix_dossiers_report", table_name="dossiers")
    op.create_index("ix_dossiers_report", "dossiers", REPORT_AFTER)
    if op.get_bind().dialect.name == "sqlite":
        op.execute(FEEDBACK)


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_events_feedback")
    op.drop_index("ix_dossiers_report", table_name="dossiers")
    op.create_index("ix_dossiers_report", "dossiers", REPORT_BEFORE)
