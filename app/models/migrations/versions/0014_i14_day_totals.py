"""Per-day and per-month totals of the dossiers for the reports (issue 14 item 7), filled
from the rows.

II.06a's "carried over" and "in progress" columns are snapshots at a period's start and
end: counted over the dossier rows, a year at 1,000,000 dossiers took 4 s. The fold now
keeps `dossier_day_totals` (app.services.day_totals explains each kind of row); here the
table is created and filled once from the dossiers, by the same rules written in SQL
(`backfill`, also run by a test against what the fold keeps).

Revision ID: 0014_i14
Revises: 0013_i15
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_i14"
down_revision = "0013_i15"
branch_labels = None
depends_on = None


def backfill(conn: sa.Connection) -> None:
    """INSERT every dossier's rows (the table is empty): app.services.day_totals
    `contributions`, in SQL. Frozen here as it was at this revision."""
    sqlite = conn.dialect.name == "sqlite"

    def day(col: str) -> str:
        if sqlite:
            return f"date({col}, '+7 hours')"
        return f"CAST(timezone('Asia/Ho_Chi_Minh', {col}) AS date)"

    after_due = "date(due_date, '+1 day')" if sqlite else "(due_date + 1)"
    greatest = "max" if sqlite else "GREATEST"
    conn.execute(
        sa.text(
            f"""
            WITH d AS (
              SELECT {day("received_at")} AS r, {day("settled_at")} AS s,
                {greatest}({day("received_at")}, {after_due}) AS late,
                settled_at IS NULL AS open, status, coalesce(officer_id, '') AS officer,
                procedure_code,
                office_id, desk_id, channel, coalesce(settled_outcome, '') AS outcome
              FROM dossiers
              WHERE due_date IS NOT NULL AND received_at IS NOT NULL AND (settled_at IS NOT NULL
                OR status IN ('received', 'in_progress', 'supplement_requested'))
            ), c AS (
              SELECT r AS day, 'recv' AS kind, procedure_code, office_id, desk_id, officer,
                channel, '' AS outcome, r AS day2 FROM d WHERE open OR s >= r
              UNION ALL
              SELECT s, 'settle', procedure_code, office_id, desk_id, officer, '', outcome, s
                FROM d WHERE NOT open AND s >= r
              UNION ALL
              SELECT r, 'skew', procedure_code, office_id, desk_id, officer, channel,
                outcome, s FROM d WHERE NOT open AND s < r
              UNION ALL
              SELECT late, 'late_in', procedure_code, office_id, desk_id, officer, '', '',
                late FROM d
                WHERE (open AND status <> 'supplement_requested') OR (NOT open AND late < s)
              UNION ALL
              SELECT s, 'late_out', procedure_code, office_id, desk_id, officer, '', '', s
                FROM d WHERE NOT open AND late < s
            )
            INSERT INTO dossier_day_totals (day, kind, procedure_code, office_id, desk_id,
              officer_id, channel, outcome, day2, n)
            SELECT day, kind, procedure_code, office_id, desk_id, officer, channel, outcome,
              day2, count(*) FROM c
            GROUP BY day, kind, procedure_code, office_id, desk_id, officer, channel, outcome,
              day2
            """
        )
    )
    month = "date(day, 'start of month')" if sqlite else "CAST(date_trunc('month', day) AS date)"
    conn.execute(
        sa.text(
            f"""
            INSERT INTO dossier_month_totals (month, kind, procedure_code, office_id, desk_id,
              officer_id, channel, outcome, n)
            SELECT {month}, kind, procedure_code, office_id, desk_id, officer_id, channel,
              outcome, sum(n) FROM dossier_day_totals WHERE kind <> 'skew'
            GROUP BY {month}, kind, procedure_code, office_id, desk_id, officer_id, channel,
              outcome
            """
        )
    )


def upgrade() -> None:
    op.create_table(
        "dossier_day_totals",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("procedure_code", sa.String(32), nullable=False),
        sa.Column("office_id", sa.String(36), nullable=False),
        sa.Column("desk_id", sa.String(36), nullable=False),
        sa.Column("officer_id", sa.String(36), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("outcome", sa.String(8), nullable=False),
        sa.Column("day2", sa.Date(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "day",
            "kind",
            "procedure_code",
            "office_id",
            "desk_id",
            "officer_id",
            "channel",
            "outcome",
            "day2",
            name="pk_dossier_day_totals",
        ),
        sqlite_with_rowid=False,
    )
    op.create_index(
        "ix_dossier_day_totals_kind_day2", "dossier_day_totals", ["kind", "day2"], unique=False
    )
    op.create_table(
        "dossier_month_totals",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("procedure_code", sa.String(32), nullable=False),
        sa.Column("office_id", sa.String(36), nullable=False),
        sa.Column("desk_id", sa.String(36), nullable=False),
        sa.Column("officer_id", sa.String(36), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("outcome", sa.String(8), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "month",
            "kind",
            "procedure_code",
            "office_id",
            "desk_id",
            "officer_id",
            "channel",
            "outcome",
            name="pk_dossier_month_totals",
        ),
        sqlite_with_rowid=False,
    )
    backfill(op.get_bind())


def downgrade() -> None:
    op.drop_table("dossier_month_totals")
    op.drop_index("ix_dossier_day_totals_kind_day2", table_name="dossier_day_totals")
    op.drop_table("dossier_day_totals")
