"""Loading catalogue releases into a database and reading procedures back.

A release is loaded once (its version is the key, its checksum guards against a changed
file with an unchanged version); new versions of procedures are added beside the old, so
a dossier already received keeps the version it was checked against.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import Session

from app.domain.catalogue import (
    Catalogue,
    Procedure,
    bundled_catalogue_path,
    parse_catalogue,
    parse_procedure,
)
from app.domain.errors import DomainError
from app.domain.messages import register, tr
from app.domain.text import fold
from app.models import CatalogueRelease, Component, ProcedureVersion
from app.models import Procedure as ProcedureRow
from app.services.context import DeskContext

register(
    {
        "catalogue.changed": {
            "vi": "Danh mục phiên bản {version} đã có nhưng nội dung khác; phải tăng số phiên bản.",
            "en": "Catalogue version {version} is already loaded with other content; "
            "give the new content a new version.",
        },
        "catalogue.unknown_procedure": {
            "vi": "Không có thủ tục {code} trong danh mục.",
            "en": "Procedure {code} is not in the catalogue.",
        },
    }
)


def checksum(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def load_catalogue_document(session: Session, data: dict[str, Any], source: str) -> bool:
    """Load a release; False when it is already there. Raises CatalogueError on a bad file."""
    cat = parse_catalogue(data)
    digest = checksum(data)
    existing = session.get(CatalogueRelease, cat.catalogue_version)
    if existing is not None:
        if existing.checksum != digest:
            raise DomainError(
                "catalogue.changed", tr("catalogue.changed", version=cat.catalogue_version)
            )
        return False
    session.add(
        CatalogueRelease(
            version=cat.catalogue_version,
            effective_from=cat.effective_from,
            publisher=cat.publisher,
            source=source,
            checksum=digest,
        )
    )
    session.flush()
    raw_by_code = {p["code"]: p for p in data["procedures"]}
    for proc in cat.procedures:
        _add_version(session, cat, proc, raw_by_code[proc.code])
    return True


def _add_version(session: Session, cat: Catalogue, p: Procedure, raw: dict[str, Any]) -> None:
    row = session.scalar(select(ProcedureRow).where(ProcedureRow.code == p.code))
    if row is None:
        row = ProcedureRow(code=p.code, field=p.field)
        session.add(row)
    row.national_code, row.field, row.group = p.national_code, p.field, p.group
    row.name_vi, row.name_en, row.name_fold = p.name_vi, p.name_en, fold(p.name_vi)
    session.flush()
    pv = ProcedureVersion(
        procedure_id=row.id,
        catalogue_version=cat.catalogue_version,
        effective_from=cat.effective_from,
        name_vi=p.name_vi,
        name_en=p.name_en,
        time_limit_value=p.time_limit.value,
        time_limit_unit=p.time_limit.unit,
        same_day=p.time_limit.same_day,
        time_limit_confidence=p.time_limit.confidence,
        time_limit_source=p.time_limit.source,
        legal_basis=p.legal_basis,
        source=p.source,
        confidence=p.confidence,
        components_confirmed=p.components_confirmed,
        document=raw,
        components=[
            Component(
                code=c.code,
                position=i,
                name_vi=c.name_vi,
                name_en=c.name_en,
                form_code=c.form_code,
                copy_kind=c.copy_kind,
                quantity=c.quantity,
                requirement=c.requirement,
                condition_vi=c.condition_vi,
                one_of=c.one_of,
                confidence=c.confidence,
            )
            for i, c in enumerate(p.components)
        ],
    )
    session.add(pv)
    session.flush()
    current = (
        session.get(ProcedureVersion, row.current_version_id) if row.current_version_id else None
    )
    if current is None or _release_key(cat.effective_from, cat.catalogue_version) >= _release_key(
        current.effective_from, current.catalogue_version
    ):
        row.current_version_id = pv.id


def _release_key(effective_from: date, version: str) -> tuple[date, tuple[tuple[int, str], ...]]:
    """Order of releases: an older release loaded late (a re-sent or archived document)
    must not become the one new dossiers are checked against."""
    parts = tuple((int(x), "") if x.isdigit() else (-1, x) for x in version.split("."))
    return effective_from, parts


def load_bundled_catalogue(session: Session, path: Path | None = None) -> bool:
    path = path or bundled_catalogue_path()
    data = json.loads(path.read_text(encoding="utf-8"))
    if session.get(CatalogueRelease, str(data.get("catalogue_version"))) is not None:
        return False  # fast path at every start: one primary-key lookup
    return load_catalogue_document(session, data, source=f"bundled:{path.name}")


@dataclass(frozen=True)
class ProcedureChoice:
    """A line of the procedure picker."""

    code: str
    national_code: str | None
    field: str
    name_vi: str
    name_en: str
    time_limit_value: int
    time_limit_unit: str
    same_day: bool
    time_limit_confidence: str
    components_confirmed: bool
    catalogue_version: str


def _current(session: Session):  # type: ignore[no-untyped-def]
    return (
        select(ProcedureRow, ProcedureVersion)
        .join(ProcedureVersion, and_(ProcedureVersion.id == ProcedureRow.current_version_id))
        .order_by(ProcedureRow.code)
    )


def list_procedures(ctx: DeskContext, text: str = "") -> list[ProcedureChoice]:
    """Procedures whose code or folded name contains every word typed ("thai san")."""
    words = fold(text).split()
    with ctx.read() as s:
        out = []
        for row, pv in s.execute(_current(s)):
            hay = f"{row.name_fold} {row.code.lower()} {(row.national_code or '').lower()}"
            if all(w in hay for w in words):
                out.append(
                    ProcedureChoice(
                        row.code,
                        row.national_code,
                        row.field,
                        pv.name_vi,
                        pv.name_en,
                        pv.time_limit_value,
                        pv.time_limit_unit,
                        pv.same_day,
                        pv.time_limit_confidence,
                        pv.components_confirmed,
                        pv.catalogue_version,
                    )
                )
        return out


def current_version(session: Session, code: str) -> ProcedureVersion:
    row = session.scalar(select(ProcedureRow).where(ProcedureRow.code == code))
    pv = (
        session.get(ProcedureVersion, row.current_version_id)
        if row and row.current_version_id
        else None
    )
    if pv is None:
        raise DomainError(
            "catalogue.unknown_procedure", tr("catalogue.unknown_procedure", code=code)
        )
    return pv


_parsed: dict[str, Procedure] = {}


@dataclass(frozen=True)
class CurrentVersion:
    """What intake needs of a procedure's current version: its id, version string, the
    same-day flag and the parsed procedure (no ORM row: parsed once per version id)."""

    id: str
    catalogue_version: str
    same_day: bool
    procedure: Procedure


_CURRENT = (
    select(ProcedureVersion.id, ProcedureVersion.catalogue_version, ProcedureVersion.same_day)
    .join(ProcedureRow, ProcedureRow.current_version_id == ProcedureVersion.id)
    .where(ProcedureRow.code == bindparam("code"))
)


def current_procedure(session: Session, code: str) -> CurrentVersion:
    """`current_version` + `domain_procedure` in one statement built once; the version's
    document is read only the first time its id is seen (versions are never edited)."""
    session.flush()
    row = session.connection().execute(_CURRENT, {"code": code}).first()
    if row is None:
        raise DomainError(
            "catalogue.unknown_procedure", tr("catalogue.unknown_procedure", code=code)
        )
    found = _parsed.get(row.id)
    if found is None:
        pv = session.get(ProcedureVersion, row.id)
        assert pv is not None
        found = domain_procedure(pv)
    return CurrentVersion(row.id, row.catalogue_version, bool(row.same_day), found)


def domain_procedure(pv: ProcedureVersion) -> Procedure:
    """The pure-domain view of a stored version (for completeness and printing).

    Versions are never edited once loaded, so the parse is cached by version id.
    """
    found = _parsed.get(pv.id)
    if found is None:
        found = _parsed[pv.id] = parse_procedure(pv.document)
    return found


def get_procedure(ctx: DeskContext, code: str) -> Procedure:
    with ctx.read() as s:
        return domain_procedure(current_version(s, code))


@dataclass(frozen=True)
class Picker:
    """Everything the procedure picker needs, loaded once in the background so that neither
    a keystroke in the search nor picking a procedure touches the database (issue 10)."""

    choices: tuple[ProcedureChoice, ...]
    procedures: dict[str, Procedure]


def picker(ctx: DeskContext) -> Picker:
    choices = tuple(list_procedures(ctx))
    with ctx.read() as s:
        procedures = {c.code: domain_procedure(current_version(s, c.code)) for c in choices}
    return Picker(choices, procedures)
