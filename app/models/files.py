"""The desk's record of the digitised files it knows (issue 16).

A file is named by its SHA-256 and lives in the data folder's content-addressed store
(app.services.digitise); the event `component_digitised` says which dossier component it
is. This row is sync bookkeeping only: whether the bytes are here, and whether the central
holds them yet. It is written in the same transaction as the event that names the file.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow


class StoredFile(Base):
    """One content-addressed file: `origin` local (made here) or remote (a pulled event)."""

    __tablename__ = "stored_files"
    __table_args__ = (Index("ix_stored_files_pending", "origin", "uploaded_at"),)

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    origin: Mapped[str] = mapped_column(String(8), default="local")
    #: The central confirmed it holds the whole file, checked by hash.
    uploaded_at: Mapped[datetime | None]
    #: The bytes are in this desk's store (False: a remote file not fetched yet).
    present: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
