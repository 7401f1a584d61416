"""Per-day counts of the events the daily summary counts (issue 14 item 7), filled from
the events.

Why: the summary's year over all offices at 1,000,000 dossiers took 3.1 s (of which the
returned results joined to their dossiers, the ratings and the counts by type each read
hundreds of thousands of events). The event writers now keep `event_day_totals`
(app.services.event_totals explains each row and its two ways in); here the table is
created and filled once from the stored events, by the same rules written in SQL
(`backfill`, also run by a test against what the writers keep).

Revision ID: 0017_i14
Revises: 0016_i14
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_i14"
down_revision = "0016_i14"
branch_labels = None
depends_on = None

PLAIN = ("received", "supplement_received", "supplement_requested", "refused", "transferred")
INDICES = ("1", "3", "4", "7")


def backfill(conn: sa.Connection) -> None:
    """INSERT every stored event's rows (the table is empty): app.services.event_totals
    `add_keys`, in SQL (SQLite: the desk's). Frozen here as it was at this revision."""
    day = "date(e.occurred_at, '+7 hours')"
    who = "e.office_id, e.desk_id, coalesce(e.officer_id, '')"
    plain = ", ".join(f"'{t}'" for t in PLAIN)
    ok = (
        "CASE WHEN d.settled_type = 'result_ready' AND d.settled_outcome IN ('early', 'on_time')"
        " THEN 'ok' ELSE 'late' END"
    )
    scores = " UNION ALL ".join(
        f"SELECT {day} AS day, e.type, {who} AS officer,"
        f" '{i}=' || CAST(json_extract(e.payload, '$.\"scores\".\"{i}\"') AS INTEGER) AS detail"
        " FROM events AS e WHERE e.type = 'feedback_given'"
        f" AND json_type(e.payload, '$.\"scores\".\"{i}\"') = 'integer'"
        f' AND json_extract(e.payload, \'$."scores"."{i}"\') IN (0, 1, 2)'
        for i in INDICES
    )
    conn.execute(
        sa.text(
            f"""
            WITH c AS (
              SELECT {day} AS day, e.type, {who} AS officer, '' AS detail FROM events AS e
                WHERE e.type IN ({plain}, 'feedback_given')
              UNION ALL
              SELECT {day}, e.type, {who}, {ok} FROM events AS e
                JOIN dossiers AS d ON d.id = e.dossier_id
                WHERE e.type IN ('returned', 'posted')
              UNION ALL
              {scores}
            )
            INSERT INTO event_day_totals (day, type, office_id, desk_id, officer_id, detail, n)
            SELECT day, type, office_id, desk_id, officer, detail, count(*) FROM c
            GROUP BY day, type, office_id, desk_id, officer, detail
            """
        )
    )


def upgrade() -> None:
    op.create_table(
        "event_day_totals",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("type", sa.String(24), nullable=False),
        sa.Column("office_id", sa.String(36), nullable=False),
        sa.Column("desk_id", sa.String(36), nullable=False),
        sa.Column("officer_id", sa.String(36), nullable=False),
        sa.Column("detail", sa.String(8), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "day",
            "type",
            "office_id",
            "desk_id",
            "officer_id",
            "detail",
            name="pk_event_day_totals",
        ),
        sqlite_with_rowid=False,
    )
    if op.get_bind().dialect.name == "sqlite":
        backfill(op.get_bind())


def downgrade() -> None:
    op.drop_table("event_day_totals")
