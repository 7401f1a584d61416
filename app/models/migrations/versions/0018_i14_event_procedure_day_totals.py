"""The summary's per-day event counts by procedure (issue 14 item 7), filled from the
events joined to their dossiers.

Why: the summary's year for one procedure still read the events (684 ms at 1,000,000
dossiers, 2.1 s under load). `event_day_totals` has no procedure, and adding it to that
key would make every other scope read about ten times the rows (a year over all offices
about 0.9 s instead of 0.1 s): a table of its own, keyed procedure first. The event
writers keep it with `event_day_totals` (app.services.event_totals); here it is created
and filled once by the same rules written in SQL (`backfill`, also run by a test against
what the writers keep): an event counts under its dossier's procedure, and not at all
while this desk holds no row for its dossier (as the plain query, which joins them).

Revision ID: 0018_i14
Revises: 0017_i14
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018_i14"
down_revision = "0017_i14"
branch_labels = None
depends_on = None

PLAIN = ("received", "supplement_received", "supplement_requested", "refused", "transferred")
INDICES = ("1", "3", "4", "7")


def backfill(conn: sa.Connection) -> None:
    """INSERT every stored event's rows (the table is empty): app.services.event_totals
    `add_keys` with a procedure, in SQL (SQLite: the desk's). Frozen here as it was at this
    revision."""
    day = "date(e.occurred_at, '+7 hours')"
    who = "d.procedure_code, e.office_id, e.desk_id, coalesce(e.officer_id, '')"
    plain = ", ".join(f"'{t}'" for t in PLAIN)
    ok = (
        "CASE WHEN d.settled_type = 'result_ready' AND d.settled_outcome IN ('early', 'on_time')"
        " THEN 'ok' ELSE 'late' END"
    )
    joined = "FROM events AS e JOIN dossiers AS d ON d.id = e.dossier_id"
    scores = " UNION ALL ".join(
        f"SELECT {who} AS officer, {day} AS day, e.type,"
        f" '{i}=' || CAST(json_extract(e.payload, '$.\"scores\".\"{i}\"') AS INTEGER) AS detail"
        f" {joined} WHERE e.type = 'feedback_given'"
        f" AND json_type(e.payload, '$.\"scores\".\"{i}\"') = 'integer'"
        f' AND json_extract(e.payload, \'$."scores"."{i}"\') IN (0, 1, 2)'
        for i in INDICES
    )
    conn.execute(
        sa.text(
            f"""
            WITH c AS (
              SELECT {who} AS officer, {day} AS day, e.type, '' AS detail {joined}
                WHERE e.type IN ({plain}, 'feedback_given')
              UNION ALL
              SELECT {who}, {day}, e.type, {ok} {joined}
                WHERE e.type IN ('returned', 'posted')
              UNION ALL
              {scores}
            )
            INSERT INTO event_procedure_day_totals
              (procedure_code, day, type, office_id, desk_id, officer_id, detail, n)
            SELECT procedure_code, day, type, office_id, desk_id, officer, detail, count(*)
            FROM c
            GROUP BY procedure_code, day, type, office_id, desk_id, officer, detail
            """
        )
    )


def upgrade() -> None:
    op.create_table(
        "event_procedure_day_totals",
        sa.Column("procedure_code", sa.String(32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("type", sa.String(24), nullable=False),
        sa.Column("office_id", sa.String(36), nullable=False),
        sa.Column("desk_id", sa.String(36), nullable=False),
        sa.Column("officer_id", sa.String(36), nullable=False),
        sa.Column("detail", sa.String(8), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "procedure_code",
            "day",
            "type",
            "office_id",
            "desk_id",
            "officer_id",
            "detail",
            name="pk_event_procedure_day_totals",
        ),
        sqlite_with_rowid=False,
    )
    if op.get_bind().dialect.name == "sqlite":
        backfill(op.get_bind())


def downgrade() -> None:
    op.drop_table("event_procedure_day_totals")
