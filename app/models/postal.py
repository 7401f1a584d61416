"""The post-office agent desk's consignments and the hand-over records, both ways.

Projections of the postal events (app.domain.lifecycle.POSTAL), like the dossier row is of
its events: rewritten only in the transaction that appends the event. A consignment is not
a dossier: the post office issues no dossier code (Decision 45/2016 Art. 7: the agency
does once it signs the hand-over record), so it has its own table.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow


class PostalItem(Base):
    """One dossier a post-office agent desk accepted for an agency (Art. 6).

    `status`: accepted → handed_over → received / supplement / refused / missing (what the
    agency did) → result_back → delivered / failed / returned (Art. 9–10).
    """

    __tablename__ = "postal_items"
    __table_args__ = (
        Index("ix_postal_items_consignment", "consignment_no"),
        Index("ix_postal_items_accepted", "office_id", "accepted_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    office_id: Mapped[str] = mapped_column(String(36))
    desk_id: Mapped[str] = mapped_column(String(36))
    officer_id: Mapped[str | None] = mapped_column(String(36))
    receipt_no: Mapped[str] = mapped_column(String(24), index=True)
    consignment_no: Mapped[str] = mapped_column(String(13))
    agency_code: Mapped[str] = mapped_column(String(32))
    agency_name: Mapped[str] = mapped_column(String(200), default="")
    procedure_code: Mapped[str] = mapped_column(String(32))
    procedure_name: Mapped[str] = mapped_column(String(300), default="")
    catalogue_version: Mapped[str] = mapped_column(String(32))
    full_name: Mapped[str] = mapped_column(String(100))
    id_number: Mapped[str] = mapped_column(String(12), default="")
    phone: Mapped[str] = mapped_column(String(15), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    components: Mapped[list[Any]] = mapped_column(JSON)
    papers: Mapped[int] = mapped_column(default=0)
    option: Mapped[int] = mapped_column(default=3)
    scope: Mapped[str] = mapped_column(String(16))
    fee_charges: Mapped[int] = mapped_column(default=0)
    fee_postal: Mapped[int] = mapped_column(default=0)
    fee_total: Mapped[int] = mapped_column(default=0)
    accepted_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="accepted")
    batch_id: Mapped[str | None] = mapped_column(String(36), index=True)
    dossier_code: Mapped[str | None] = mapped_column(String(40))
    due_date: Mapped[date | None]
    return_batch_id: Mapped[str | None] = mapped_column(String(36))
    note: Mapped[str] = mapped_column(Text, default="")
    conflict: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class PostalBatch(Base):
    """A hand-over record: post office → agency (`out`) or agency → post office (`back`).

    `rows` are the record's lines as printed (and as the row QR codes carry them), each
    with what the receiving side did with it. `receipts` counts the desks that signed it:
    more than one (two agency desks offline) is a conflict for a supervisor, never a
    silent double (Decision 45/2016 Art. 7: one record, one filing time).
    """

    __tablename__ = "postal_batches"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    direction: Mapped[str] = mapped_column(String(8))
    batch_no: Mapped[str] = mapped_column(String(16), unique=True)
    from_office_code: Mapped[str] = mapped_column(String(32))
    to_office_code: Mapped[str] = mapped_column(String(32))
    from_name: Mapped[str] = mapped_column(String(200), default="")
    to_name: Mapped[str] = mapped_column(String(200), default="")
    count: Mapped[int]
    digest: Mapped[str] = mapped_column(String(8))
    rows: Mapped[list[Any]] = mapped_column(JSON)
    handed_at: Mapped[datetime | None]
    signed_at: Mapped[datetime | None]
    signed_by_desk: Mapped[str | None] = mapped_column(String(36))
    receipts: Mapped[int] = mapped_column(default=0)
    #: The desks that signed it, in the order their events were folded.
    signers: Mapped[list[Any]] = mapped_column(JSON, default=list)
    conflict: Mapped[bool] = mapped_column(default=False)
    resolved_note: Mapped[str] = mapped_column(Text, default="")
    #: A supervisor's resolution of a record signed twice, as folded from every
    #: `postal_conflict_resolved` event of the record (see services.postal).
    resolution: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
