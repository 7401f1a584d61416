"""Administration of the central service: offices, desk credentials, cursor epoch."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.central.models import CursorEpoch, DeskCredential
from app.central.service import hash_token, new_token
from app.domain.dossier_code import FALLBACK_SLOTS, is_valid_agency_code
from app.domain.text import nfc
from app.models import Office, utcnow


class AdminError(Exception):
    """A refused admin command; the message says what to do."""


@dataclass(frozen=True)
class IssuedDesk:
    desk_id: str
    office_code: str
    name: str
    slot: int
    token: str


def add_office(
    session: Session, code: str, name: str, office_id: str | None = None, **fields: str
) -> Office:
    code = code.strip().upper()
    if not is_valid_agency_code(code):
        raise AdminError(f"'{code}' is not a QCVN 102 unit code (e.g. 000.00.31.H56).")
    office = session.scalar(select(Office).where(Office.code == code))
    if office is None:
        office = Office(code=code, name=nfc(name), **{k: nfc(v) for k, v in fields.items()})
        if office_id:
            office.id = office_id
        session.add(office)
        session.flush()
    return office


def _office(session: Session, code: str) -> Office:
    office = session.scalar(select(Office).where(Office.code == code.strip().upper()))
    if office is None:
        raise AdminError(f"No office {code}; create it first with `onestop-central add-office`.")
    return office


def add_desk(session: Session, office_code: str, name: str, slot: int | None = None) -> IssuedDesk:
    """A new desk credential; the token is returned once and only its hash is stored."""
    office = _office(session, office_code)
    used = set(
        session.scalars(select(DeskCredential.slot).where(DeskCredential.office_id == office.id))
    )
    if slot is None:
        free = [s for s in range(1, FALLBACK_SLOTS + 1) if s not in used]
        if not free:
            raise AdminError(f"Office {office.code} already has {FALLBACK_SLOTS} desks.")
        slot = free[0]
    elif not 1 <= slot <= FALLBACK_SLOTS or slot in used:
        raise AdminError(f"Desk slot must be 1..{FALLBACK_SLOTS} and unused in the office.")
    token = new_token()
    cred = DeskCredential(
        office_id=office.id, name=nfc(name), slot=slot, token_hash=hash_token(token)
    )
    session.add(cred)
    session.flush()
    return IssuedDesk(cred.id, office.code, cred.name, slot, token)


def revoke_desk(
    session: Session,
    desk_id: str | None = None,
    *,
    office_code: str | None = None,
    name: str | None = None,
) -> int:
    """Revoke by desk id, or by office and name; returns how many were revoked."""
    q = select(DeskCredential).where(DeskCredential.revoked_at.is_(None))
    if desk_id:
        q = q.where(DeskCredential.id == desk_id)
    elif office_code and name:
        q = q.where(
            DeskCredential.office_id == _office(session, office_code).id,
            DeskCredential.name == nfc(name),
        )
    else:
        raise AdminError("Say which desk: --desk ID, or --office CODE --name NAME.")
    n = 0
    for cred in session.scalars(q):
        cred.revoked_at = cred.last_revoked_at = utcnow()
        n += 1
    return n


def reinstate_desk(session: Session, desk_id: str) -> IssuedDesk:
    """Un-revoke a desk, explicitly (never as a side effect of a new token), with a new
    token. What the desk made after its revocation stays flagged for review when it
    arrives (see service.flag_after_revocation)."""
    cred = session.get(DeskCredential, desk_id)
    if cred is None:
        raise AdminError(f"No desk {desk_id}; see `onestop-central list-desks`.")
    if cred.revoked_at is None:
        raise AdminError(f"Desk {desk_id} is not revoked.")
    office = session.get(Office, cred.office_id)
    assert office is not None
    token = new_token()
    cred.token_hash = hash_token(token)
    cred.revoked_at = None
    cred.reinstated_at = utcnow()
    session.flush()
    return IssuedDesk(cred.id, office.code, cred.name, cred.slot, token)


def rotate_token(session: Session, desk_id: str) -> IssuedDesk:
    """A new token for an existing desk (a leaked or lost token): same desk id and slot, so
    the desk keeps its history; the old token stops working at once. A revoked desk stays
    revoked: un-revoking is `reinstate_desk`, an explicit decision."""
    cred = session.get(DeskCredential, desk_id)
    if cred is None:
        raise AdminError(f"No desk {desk_id}; see `onestop-central list-desks`.")
    office = session.get(Office, cred.office_id)
    assert office is not None
    token = new_token()
    cred.token_hash = hash_token(token)
    session.flush()
    return IssuedDesk(cred.id, office.code, cred.name, cred.slot, token)


def list_desks(session: Session) -> list[tuple[str, str, str, int, bool]]:
    rows = session.execute(
        select(DeskCredential, Office.code)
        .join(Office, Office.id == DeskCredential.office_id)
        .order_by(Office.code, DeskCredential.slot)
    ).all()
    return [(c.id, code, c.name, c.slot, c.revoked_at is None) for c, code in rows]


def bump_cursor_epoch(session: Session) -> int:
    """Invalidate every desk's pull cursor (after a restore): desks re-sync from the start."""
    row = session.get(CursorEpoch, 1)
    if row is None:
        row = CursorEpoch(id=1, epoch=1)
        session.add(row)
    row.epoch = (row.epoch or 1) + 1
    row.changed_at = utcnow()
    session.flush()
    return row.epoch


def office_count(session: Session) -> int:
    return session.scalar(select(func.count(Office.id))) or 0
