"""The province's II.06a from one index-only scan per office (central, PostgreSQL).

The report groups a province's dossiers by office: those still open (settled_at NULL) and
those settled since the period's start, with the columns its counts read (issue 14 item 7).
Keyed by office first, one index range per office; INCLUDE keeps the counted columns out
of the key. The desks' procedure-first ix_dossiers_settled serves no central query, so it
is dropped here rather than maintained on every push. SQLite (a small central) keeps the
shared index.

Revision ID: c0007_i14
Revises: c0006_i12
"""

from __future__ import annotations

from alembic import op

revision = "c0007_i14"
down_revision = "c0006_i12"
branch_labels = None
depends_on = None

INCLUDED = ["settled_outcome", "received_at", "due_date", "channel", "status"]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_dossiers_settled", table_name="dossiers")
    op.create_index(
        "ix_dossiers_office_settled",
        "dossiers",
        ["office_id", "settled_at"],
        postgresql_include=INCLUDED,
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_dossiers_office_settled", table_name="dossiers")
    op.create_index(
        "ix_dossiers_settled",
        "dossiers",
        [
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
        ],
    )
