"""The append-only event log, the outbox and dossier-code blocks.

An event row is never updated except for its sync bookkeeping (state, server sequence,
receive time, reason); its content (type, payload, times, who) is immutable.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    cast,
    func,
    literal_column,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, new_id, utcnow

SYNC_LOCAL = "local"  # written, desk not paired with a central service
SYNC_QUEUED = "queued"
SYNC_SENT = "sent"
SYNC_ACCEPTED = "accepted"
SYNC_REJECTED = "rejected"
SYNC_SET_ASIDE = "set_aside"


class Event(Base):
    __tablename__ = "events"
    __table_args__ = (
        UniqueConstraint("desk_id", "desk_seq"),
        Index("ix_events_dossier", "dossier_id", "desk_seq"),
        Index("ix_events_sync_state", "sync_state"),
        # The events of one type by time (guard overrides, digitised components, the
        # summary's plain reference query); narrow again since the summary reads per-day
        # totals (migration 0019_i14): it is written on every event stored.
        Index("ix_events_type_occurred", "type", "occurred_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    desk_id: Mapped[str] = mapped_column(String(36))
    desk_seq: Mapped[int]
    office_id: Mapped[str] = mapped_column(String(36))
    dossier_id: Mapped[str] = mapped_column(String(36))
    type: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    officer_id: Mapped[str | None] = mapped_column(String(36))
    occurred_at: Mapped[datetime]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    origin: Mapped[str] = mapped_column(String(8), default="local")
    sync_state: Mapped[str] = mapped_column(String(12), default=SYNC_QUEUED)
    server_seq: Mapped[int | None] = mapped_column(unique=True)
    server_received_at: Mapped[datetime | None]
    reject_reason: Mapped[str | None] = mapped_column(Text)


#: The satisfaction indices a rating scores (Circular 01/2018 Art. 13-14), each 0, 1 or 2.
FEEDBACK_INDICES = ("1", "3", "4", "7")
#: The partial index's condition, a literal: SQLite uses a partial index only for a query
#: whose WHERE holds this very term (a bound parameter never matches).
IS_FEEDBACK = Event.type == literal_column("'feedback_given'")


def feedback_score(index: str) -> ColumnElement[int]:
    """A rating's score for one index as SQLite's `ix_events_feedback` holds it: the query
    must spell the expression exactly so (a literal path, not a bound one) to read it from
    the index rather than parse each event's JSON payload."""
    path: ColumnElement[str] = literal_column(f'\'$."scores"."{index}"\'')
    return cast(func.json_extract(Event.payload, path), Integer)


# The daily summary's ratings (SQLite desks only, migration 0016_i14): each rating's time,
# scope columns and scores, so a year's ratings are counted from this small index instead of
# reading and parsing about 200,000 payloads (1,000,000 dossiers). PostgreSQL has no
# json_extract; the central runs no daily summary and does not get it.
Index(
    "ix_events_feedback",
    Event.occurred_at,
    Event.office_id,
    Event.desk_id,
    Event.dossier_id,
    *[feedback_score(k) for k in FEEDBACK_INDICES],
    sqlite_where=IS_FEEDBACK,
).ddl_if(dialect="sqlite")


class Outbox(Base):
    """Events waiting to be pushed; written in the same transaction as the event."""

    __tablename__ = "outbox"

    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), primary_key=True)
    desk_seq: Mapped[int] = mapped_column(index=True)
    enqueued_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    last_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)


class CodeBlock(Base):
    """A range of daily sequence numbers this desk may issue for one agency and day.

    Sources: `central` (reserved in advance from the central service), `local` (a desk that
    is not paired is the only issuer of its office), `fallback` (the desk slot's own range of
    the day, used when no central block is left; see app.domain.dossier_code).
    """

    __tablename__ = "code_blocks"
    __table_args__ = (Index("ix_code_blocks_day", "agency_code", "day"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    agency_code: Mapped[str] = mapped_column(String(32))
    day: Mapped[date]
    first: Mapped[int]
    last: Mapped[int]
    next: Mapped[int]
    source: Mapped[str] = mapped_column(String(8))
    reserved_at: Mapped[datetime] = mapped_column(default=utcnow)


class Setting(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
