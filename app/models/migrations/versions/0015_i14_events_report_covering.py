"""Widen ix_events_type_occurred so the daily summary reads no event row for its scope.

The daily summary counts a period's events by type and day, scoped by the office, desk or
officer on each event, and joins the returned ones (and, for a procedure, all of them) to
their dossier. With the index holding only (type, occurred_at), every event of the period was
read from the table (rows of about 700 bytes, mostly payload) for its office, desk, officer or
dossier id. At 1,000,000 dossiers (bench reports, two runs at load 3-4), the month summary
for one office, desk or officer took 0.47-1.00 s (CPU 0.47-0.58 s), for one procedure
1.01-1.78 s (CPU 1.01-1.24 s). The index now also holds office, desk, officer and dossier,
so each scope is filtered from the index alone (only the ratings, whose scores are in the
payload, read event rows): 0.06-0.13 s (CPU 0.06-0.09 s), one procedure 0.48-0.73 s (CPU
0.48-0.50 s; each event still looks its dossier up for the procedure). At
1,000,000 dossiers (3,500,000 events) the index grows from 164 MB to 568 MB and is built
once, at the first start after the upgrade: 11.5 s (8.8 s CPU) at load average 3.

The cost is on writing events: bench sync, two pairs at load 1-3, the desk's CPU to pull
and fold 100,000 events went from 6.1 / 6.7 s to 7.1 / 8.1 s, and its same-run baseline (the
same rows bulk-inserted bare) from 1.0 / 1.1 s to 1.5 / 1.5 s. A narrower index (office and
dossier only) would cost less there but read every event row again for a desk or officer
on a desk holding only its own office's history (the usual desk).

Revision ID: 0015_i14
Revises: 0014_i14
"""

from __future__ import annotations

from alembic import op

revision = "0015_i14"
down_revision = "0014_i14"
branch_labels = None
depends_on = None

BEFORE = ["type", "occurred_at"]
AFTER = [*BEFORE, "office_id", "desk_id", "officer_id", "dossier_id"]


def upgrade() -> None:
    op.drop_index("ix_events_type_occurred", table_name="events")
    op.create_index("ix_events_type_occurred", "events", AFTER)


def downgrade() -> None:
    op.drop_index("ix_events_type_occurred", table_name="events")
    op.create_index("ix_events_type_occurred", "events", BEFORE)
