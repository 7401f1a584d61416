"""Offices, desks and officers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, new_id, utcnow


class Office(Base):
    """A receiving unit: its QCVN 102 agency code prefixes every dossier code it issues.

    The profile printed on its papers (app.domain.office): `kind`, the header's governing
    line (`parent_name`) and office line (`header_line`), the unit's name (`name`), the
    place of the date line, address, hotline, the officers' phone (`phone`) and the usual
    hour results are returned (`return_hour`, "HH:MM"; empty until an administrator sets it).
    """

    __tablename__ = "offices"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    parent_name: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    hotline: Mapped[str] = mapped_column(String(20), default="")
    place_name: Mapped[str] = mapped_column(String(100), default="")
    province_code: Mapped[str] = mapped_column(String(2), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(24), default="", server_default="")
    header_line: Mapped[str] = mapped_column(String(200), default="", server_default="")
    commune_code: Mapped[str] = mapped_column(String(5), default="", server_default="")
    return_hour: Mapped[str] = mapped_column(String(5), default="", server_default="")


class Desk(Base):
    """A reception desk (one PC). `slot` partitions offline fallback code numbers."""

    __tablename__ = "desks"
    __table_args__ = (UniqueConstraint("office_id", "slot"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    office_id: Mapped[str] = mapped_column(ForeignKey("offices.id"))
    name: Mapped[str] = mapped_column(String(100))
    slot: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Officer(Base):
    """A person who signs in at a desk; the password is stored only as an argon2 hash."""

    __tablename__ = "officers"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    office_id: Mapped[str] = mapped_column(ForeignKey("offices.id"))
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(16), default="officer")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Wrong passwords in a row; from the fifth on, sign-in waits longer each time.
    failed_logins: Mapped[int] = mapped_column(default=0, server_default="0")
    #: No sign-in, even with the right password, before this moment (throttling).
    blocked_until: Mapped[datetime | None] = mapped_column(default=None)
    #: Set when an administrator chose the password (new account, reset): the officer
    #: picks their own before doing anything else.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default="0")
