"""The settlement in the dossier row (when, which event, outcome), and the reports' index.

Form II.06a counts dossiers settled in a period early, on time or late; read from the event
log, a year over 1,000,000 dossiers took 13.5 s (issue 14 item 7). The fold now keeps the
first settling event's time and type and its outcome against the due date on the row
(app.services.projection), and the report counts rows of one covering index. Existing
databases are filled here from their events, with the fold's rules written in SQL.

Revision ID: 0010_i14
Revises: 0009_i15
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_i14"
down_revision = "0009_i15"
branch_labels = None
depends_on = None

INDEX_COLUMNS = [
    "procedure_code",
    "settled_at",
    "settled_outcome",
    "received_at",
    "due_date",
    "channel",
    "status",
    "office_id",
    "desk_id",
    "officer_id",
]


def upgrade() -> None:
    # Plain ALTER TABLE on SQLite too: a batch copy of the table would trip the components'
    # foreign key, and adding nullable columns needs no copy.
    op.add_column("dossiers", sa.Column("settled_at", sa.DateTime(timezone=True)))
    op.add_column("dossiers", sa.Column("settled_type", sa.String(24)))
    op.add_column("dossiers", sa.Column("settled_outcome", sa.String(8)))
    sqlite = op.get_bind().dialect.name == "sqlite"
    # The first settling event by time; a result wins a tie (projection._settle).
    op.execute(
        """
        UPDATE dossiers SET settled_at = s.at,
          settled_type = CASE WHEN s.result_at = s.at THEN 'result_ready'
                              WHEN s.refused_at = s.at THEN 'refused' ELSE 'cancelled' END
        FROM (SELECT dossier_id, min(occurred_at) AS at,
                min(CASE WHEN type = 'result_ready' THEN occurred_at END) AS result_at,
                min(CASE WHEN type = 'refused' THEN occurred_at END) AS refused_at
              FROM events WHERE type IN ('result_ready', 'refused', 'cancelled')
              GROUP BY dossier_id) AS s
        WHERE dossiers.id = s.dossier_id
        """
    )
    # The Vietnam day of the settlement (UTC+7) against the due date in force.
    day = (
        "date(settled_at, '+7 hours')"
        if sqlite
        else "CAST(timezone('Asia/Ho_Chi_Minh', settled_at) AS date)"
    )
    op.execute(
        f"""
        UPDATE dossiers SET settled_outcome = CASE
            WHEN settled_type <> 'result_ready' THEN 'on_time'
            WHEN {day} < due_date THEN 'early'
            WHEN {day} = due_date THEN 'on_time' ELSE 'late' END
        WHERE settled_at IS NOT NULL AND due_date IS NOT NULL
        """
    )
    op.create_index("ix_dossiers_settled", "dossiers", INDEX_COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_dossiers_settled", table_name="dossiers")
    for col in ("settled_outcome", "settled_type", "settled_at"):
        op.execute(f"ALTER TABLE dossiers DROP COLUMN {col}")  # SQLite >= 3.35, PostgreSQL
