"""The dossier projection and the components handed in.

A dossier row is a fold of its events (DESIGN.md "Data"); it is rewritten only in the same
transaction that appends the event that changes it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, new_id, utcnow


class Dossier(Base):
    __tablename__ = "dossiers"
    __table_args__ = (
        # Covers the reports' scans of open dossiers (status, due, received, where, what,
        # channel, which desk and officer), so a backlog is counted from the index alone;
        # still serves the list's status/due filters.
        Index(
            "ix_dossiers_status_due",
            "status",
            "due_date",
            "received_at",
            "office_id",
            "procedure_code",
            "channel",
            "desk_id",
            "officer_id",
        ),
        Index("ix_dossiers_office_received", "office_id", "received_at"),
        # The reports reach dossiers by id from a period's events and need only these
        # columns: an index-only look-up instead of reading the whole row (II.06a for a
        # month at 1,000,000 dossiers: about 40 % faster). The officer and settlement
        # serve the daily summary's ratings and returned results (migration 0016_i14).
        Index(
            "ix_dossiers_report",
            "id",
            "due_date",
            "received_at",
            "office_id",
            "procedure_code",
            "channel",
            "officer_id",
            "settled_type",
            "settled_outcome",
        ),
        # The dossier list pages newest first on (received_at, id), keyset-paged.
        Index("ix_dossiers_received_id", "received_at", "id"),
        # ix_dossiers_name_received (name_fold, received_at DESC): below the class.
        # II.06a per procedure reads only this index: the open dossiers (settled_at NULL)
        # and those settled since the period's start, skip-scanned per procedure and so
        # already in GROUP BY order (SQLite needs no sorter), with every column the form's
        # counts and the report's scopes need (issue 14 item 7).
        Index(
            "ix_dossiers_settled",
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
        ),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    office_id: Mapped[str] = mapped_column(ForeignKey("offices.id"))
    desk_id: Mapped[str] = mapped_column(String(36))
    officer_id: Mapped[str | None] = mapped_column(String(36))
    procedure_version_id: Mapped[str] = mapped_column(ForeignKey("procedure_versions.id"))
    procedure_code: Mapped[str] = mapped_column(String(32), index=True)
    catalogue_version: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(24))

    full_name: Mapped[str] = mapped_column(String(100))
    name_fold: Mapped[str] = mapped_column(String(100))  # ix_dossiers_name_received
    id_number: Mapped[str | None] = mapped_column(String(12), index=True)
    social_insurance_no: Mapped[str | None] = mapped_column(String(10), index=True)
    hi_card_no: Mapped[str | None] = mapped_column(String(15))
    date_of_birth: Mapped[date | None]
    sex: Mapped[str | None] = mapped_column(String(1))
    phone: Mapped[str | None] = mapped_column(String(15), index=True)
    email: Mapped[str | None] = mapped_column(String(100))
    province_code: Mapped[str | None] = mapped_column(String(2))
    commune_code: Mapped[str | None] = mapped_column(String(5))
    address: Mapped[str] = mapped_column(String(300), default="")

    channel: Mapped[str] = mapped_column(String(16), default="desk")
    return_method: Mapped[str] = mapped_column(String(16), default="desk")
    return_address: Mapped[str] = mapped_column(String(300), default="")
    consignment_no: Mapped[str | None] = mapped_column(String(40))
    sets_count: Mapped[int] = mapped_column(default=1)

    received_at: Mapped[datetime]
    effective_receipt_date: Mapped[date | None]
    due_date: Mapped[date | None] = mapped_column(index=True)
    original_due_date: Mapped[date | None]
    rescheduled: Mapped[bool] = mapped_column(default=False)
    feedback_given: Mapped[bool] = mapped_column(default=False)
    #: The first settling event (result ready, refusal, withdrawal: the form II.06a sense of
    #: "đã giải quyết"), by its time: when and which, and the outcome against the due date in
    #: force (early, on_time, late; a refusal or withdrawal is on time, as the form's column
    #: (9) says). Kept by the fold, so the reports count rows instead of scanning events.
    settled_at: Mapped[datetime | None]
    settled_type: Mapped[str | None] = mapped_column(String(24))
    settled_outcome: Mapped[str | None] = mapped_column(String(8))
    log_book_year: Mapped[int]
    log_book_volume: Mapped[int]
    log_book_entry: Mapped[int]

    note: Mapped[str] = mapped_column(Text, default="")
    conflict: Mapped[bool] = mapped_column(default=False)
    event_count: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    components: Mapped[list[DossierComponent]] = relationship(
        order_by="DossierComponent.position", cascade="all, delete-orphan"
    )


# The search box's name prefix, in name order and each name's dossiers newest first,
# straight from the index: the first 50 rows are read and nothing is sorted (issue 10: at
# 1,000,000 dossiers the name-only index sorted each name's rows). Its name_fold column
# also serves every other name_fold range.
Index("ix_dossiers_name_received", Dossier.name_fold, Dossier.received_at.desc())


class DossierComponent(Base):
    """What the applicant handed in, copied from the catalogue version at intake."""

    __tablename__ = "dossier_components"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id"), index=True)
    position: Mapped[int]
    component_code: Mapped[str] = mapped_column(String(40))
    name_vi: Mapped[str] = mapped_column(String(300))
    form_code: Mapped[str | None] = mapped_column(String(20))
    copy_kind: Mapped[str] = mapped_column(String(16))
    quantity: Mapped[int]


class DossierDayTotal(Base):
    """How many dossiers each day adds to or takes from the reports' running counts, by
    procedure, office, desk, officer (who received), channel and outcome (issue 14 item 7).

    Why: form II.06a's "carried over" and "in progress" columns are snapshots at a period's
    start and end; counted over dossier rows a year took seconds at 1,000,000 dossiers,
    summed over days it reads a few hundred thousand small rows at most. Kept by the one
    fold path (app.services.day_totals, called from app.services.projection) in the same
    transaction as the dossier rows, so it is always the sum over the dossiers of
    `day_totals.contributions(row)`. `kind` says what a row counts (see day_totals); `day2`
    is the settlement day of a dossier settled before its receipt ("skew", from desks'
    clocks or conflicting events) and equals `day` otherwise. Ids are "" when unknown, so
    that the key is a plain primary key.
    """

    __tablename__ = "dossier_day_totals"
    # The table is its primary key (no rowid): a period's rows are one range of the key;
    # the few "skew" rows are found by their settlement day.
    __table_args__ = (
        Index("ix_dossier_day_totals_kind_day2", "kind", "day2"),
        {"sqlite_with_rowid": False},
    )

    day: Mapped[date] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    procedure_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    office_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    desk_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    officer_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    outcome: Mapped[str] = mapped_column(String(8), primary_key=True)
    day2: Mapped[date] = mapped_column(primary_key=True)
    n: Mapped[int] = mapped_column(default=0)


class DossierMonthTotal(Base):
    """`DossierDayTotal` summed by month (its first day), "skew" rows aside: a year's
    report reads twelve months and the days at its two ends instead of 365 days of rows.
    Kept by the same hook, in the same transaction."""

    __tablename__ = "dossier_month_totals"
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012

    month: Mapped[date] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    procedure_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    office_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    desk_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    officer_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    outcome: Mapped[str] = mapped_column(String(8), primary_key=True)
    n: Mapped[int] = mapped_column(default=0)


class EventDayTotal(Base):
    """Per-day counts of the events the daily summary counts (issue 14 item 7).

    Why: the summary's year over 1,000,000 dossiers read about 2,000,000 events (and
    joined the returned ones to their dossiers): over 3 s. Counted by the writers that
    insert events (app.services.event_totals, one call per batch, in Python: a trigger
    cost ~100 µs an event), so it is always the sum over the stored events of
    `event_totals.keys_of`. `detail` is "" for a plain count; for a rating, "" counts the
    rating and "<index>=<score>" each score; for a returned or posted event, "ok" or
    "late" as its dossier's settlement stands now (moved by the fold's hook when it
    changes), and a return whose dossier this desk does not hold is not counted (the
    report joins them). Ids are "" when unknown, so that the key is a plain primary key.
    """

    __tablename__ = "event_day_totals"
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012

    day: Mapped[date] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(24), primary_key=True)
    office_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    desk_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    officer_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    detail: Mapped[str] = mapped_column(String(8), primary_key=True)
    n: Mapped[int] = mapped_column(default=0)


class EventProcedureDayTotal(Base):
    """`event_day_totals` by the procedure of each event's dossier (0018_i14): the daily
    summary for one procedure (issue 14 item 7).

    Why a table of its own: the procedure multiplies the rows (about 1,500,000 at
    1,000,000 dossiers against 140,000), and a scope without a procedure would read them
    all (about 0.9 s for a year). Keyed procedure first, so one procedure's period is one
    range. Counts only the events of a dossier this desk holds a row for (the plain
    query joins them): app.services.event_totals keeps it with `event_day_totals`."""

    __tablename__ = "event_procedure_day_totals"
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012

    procedure_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(24), primary_key=True)
    office_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    desk_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    officer_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    detail: Mapped[str] = mapped_column(String(8), primary_key=True)
    n: Mapped[int] = mapped_column(default=0)
