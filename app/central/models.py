"""Tables only the central service has, on their own metadata and Alembic history.

The central database also holds the shared tables of app.models (events, dossiers,
catalogue, offices); these add who may push (desk credentials), the commit-ordered change
feed (event_order, numbered under a per-office lock), the code blocks issued, the cursor
epoch and the published catalogue/calendar documents.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Index, Integer, MetaData, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.models.base import NAMING, UTCDateTime, new_id, utcnow


class CentralBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), str: String()}  # noqa: RUF012


class DeskCredential(CentralBase):
    """A desk allowed to push and pull for one office; only the token's sha256 is kept."""

    __tablename__ = "central_desk_credentials"
    __table_args__ = (UniqueConstraint("office_id", "slot"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    office_id: Mapped[str] = mapped_column(String(36), index=True)
    name: Mapped[str] = mapped_column(String(100))
    slot: Mapped[int] = mapped_column(Integer)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    last_seen_at: Mapped[datetime | None]
    #: Every event of this desk up to this desk_seq has been judged here (stored, or
    #: refused with a verdict). A desk that sees it go down knows the central was restored
    #: from a backup and sends again what came after (DESIGN.md "Restore").
    held_seq: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    #: When the desk last told which code blocks it holds: after a restore (cursor epoch
    #: changed) no office gets new blocks until each of its desks has (see reserve_blocks).
    blocks_reported_at: Mapped[datetime | None]
    #: When the desk was last revoked, kept after an explicit reinstatement: what it made
    #: from then on (offline, unseen by the central) is flagged for review.
    last_revoked_at: Mapped[datetime | None]
    reinstated_at: Mapped[datetime | None]


class ReviewFlag(CentralBase):
    """An accepted event a supervisor should look at (made by a desk while it was revoked)."""

    __tablename__ = "central_review_flags"

    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    office_id: Mapped[str] = mapped_column(String(36), index=True)
    desk_id: Mapped[str] = mapped_column(String(36))
    dossier_id: Mapped[str] = mapped_column(String(36))
    reason: Mapped[str] = mapped_column(String(32))
    flagged_at: Mapped[datetime] = mapped_column(default=utcnow)


class OfficeCounter(CentralBase):
    """One row per office: locked FOR UPDATE while numbering, so numbers follow commits."""

    __tablename__ = "central_office_counters"

    office_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)


class EventOrder(CentralBase):
    """The change feed: (office, seq) in commit order for every accepted event."""

    __tablename__ = "central_event_order"

    office_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    desk_id: Mapped[str] = mapped_column(String(36))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    conflict: Mapped[bool] = mapped_column(default=False)
    payload_hash: Mapped[str] = mapped_column(String(64))


class IssuedCodeBlock(CentralBase):
    """A range of a day's dossier numbers handed to one desk; never handed out again."""

    __tablename__ = "central_code_blocks"
    __table_args__ = (Index("ix_central_code_blocks_office_day", "office_id", "day"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    office_id: Mapped[str] = mapped_column(String(36))
    desk_id: Mapped[str] = mapped_column(String(36))
    day: Mapped[date]
    first: Mapped[int]
    last: Mapped[int]
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)


class CursorEpoch(CentralBase):
    """Bumped when the feed can no longer be trusted (restore, renumbering): old cursors get 410."""

    __tablename__ = "central_cursor_epoch"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    epoch: Mapped[int] = mapped_column(Integer, default=1)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class PublishedDocument(CentralBase):
    """A versioned catalogue or calendar document as the desks download it."""

    __tablename__ = "central_documents"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    version: Mapped[str] = mapped_column(String(32), primary_key=True)
    checksum: Mapped[str] = mapped_column(String(64))
    body: Mapped[dict[str, object]] = mapped_column(JSON)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)


class CentralFile(CentralBase):
    """A digitised file an office's desk sent (issue 16): how much has arrived, and
    whether the whole was checked against its SHA-256. One row per office and file: a
    desk may fetch only what a desk of its own office sent (the bytes are stored once)."""

    __tablename__ = "central_files"

    office_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    received: Mapped[int] = mapped_column(BigInteger, default=0)
    complete: Mapped[bool] = mapped_column(default=False)
    desk_id: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]


class EventRoute(CentralBase):
    """An event shown in a second office's feed: a postal hand-over goes from the post
    office to the agency it names and the agency's answers come back (issue 15). Numbered
    in that office's sequence under its counter lock, like `EventOrder`, so one cursor
    covers both; no other office ever sees it."""

    __tablename__ = "central_event_routes"
    __table_args__ = (UniqueConstraint("office_id", "event_id"),)

    office_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    event_id: Mapped[str] = mapped_column(String(36), index=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
