"""The procedure catalogue as loaded into a database: releases, procedures, versions, components.

A release is never edited: loading a new one adds new procedure versions, and a dossier
keeps a foreign key to the version it was checked against.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, new_id, utcnow


class CatalogueRelease(Base):
    __tablename__ = "catalogue_releases"

    version: Mapped[str] = mapped_column(String(32), primary_key=True)
    effective_from: Mapped[date]
    publisher: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(200), default="bundled")
    checksum: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class Procedure(Base):
    """The stable identity of a procedure; its content lives in versions."""

    __tablename__ = "procedures"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    national_code: Mapped[str | None] = mapped_column(String(40))
    field: Mapped[str] = mapped_column(String(8))
    group: Mapped[str] = mapped_column(String(8), default="")
    name_vi: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300), default="")
    name_fold: Mapped[str] = mapped_column(String(300), index=True)
    current_version_id: Mapped[str | None] = mapped_column(String(36))


class ProcedureVersion(Base):
    __tablename__ = "procedure_versions"
    __table_args__ = (UniqueConstraint("procedure_id", "catalogue_version"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    procedure_id: Mapped[str] = mapped_column(ForeignKey("procedures.id"), index=True)
    catalogue_version: Mapped[str] = mapped_column(ForeignKey("catalogue_releases.version"))
    effective_from: Mapped[date]
    name_vi: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300), default="")
    time_limit_value: Mapped[int]
    time_limit_unit: Mapped[str] = mapped_column(String(16))
    same_day: Mapped[bool] = mapped_column(default=False)
    time_limit_confidence: Mapped[str] = mapped_column(String(1))
    time_limit_source: Mapped[str] = mapped_column(Text, default="")
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    confidence: Mapped[str] = mapped_column(String(1))
    components_confirmed: Mapped[bool] = mapped_column(default=False)
    document: Mapped[dict[str, object]] = mapped_column(JSON)

    components: Mapped[list[Component]] = relationship(
        order_by="Component.position", cascade="all, delete-orphan"
    )


class Component(Base):
    __tablename__ = "components"
    __table_args__ = (UniqueConstraint("procedure_version_id", "code"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    procedure_version_id: Mapped[str] = mapped_column(ForeignKey("procedure_versions.id"))
    code: Mapped[str] = mapped_column(String(40))
    position: Mapped[int]
    name_vi: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300), default="")
    form_code: Mapped[str | None] = mapped_column(String(20))
    copy_kind: Mapped[str] = mapped_column(String(16))
    quantity: Mapped[int] = mapped_column(default=1)
    requirement: Mapped[str] = mapped_column(String(12))
    condition_vi: Mapped[str | None] = mapped_column(Text)
    one_of: Mapped[str | None] = mapped_column(String(40))
    confidence: Mapped[str] = mapped_column(String(1))


class CalendarDay(Base):
    """An editable per-year exception to the statutory calendar (Tết, bridge days, swaps)."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    name_vi: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(Text, default="")
    confidence: Mapped[str] = mapped_column(String(1), default="M")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
