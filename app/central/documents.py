"""Versioned catalogue and calendar documents: publishing them, and loading a catalogue.

The bundled files (resources/catalogue/vss.json, resources/calendar/vn-overrides.json) seed
the central service; desks download what the centre publishes. Loading a catalogue into
the shared tables is needed on the centre too: pushed dossiers are checked against it.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.central.models import PublishedDocument
from app.domain.text import fold
from app.models import CatalogueRelease, Component, Procedure, ProcedureVersion
from app.resources import resources_dir

CATALOGUE = "catalogue"
CALENDAR = "calendar"
BUNDLED = {
    CATALOGUE: Path("catalogue") / "vss.json",
    CALENDAR: Path("calendar") / "vn-overrides.json",
}


def checksum(body: dict[str, Any]) -> str:
    raw = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def document_version(kind: str, body: dict[str, Any]) -> str:
    key = "catalogue_version" if kind == CATALOGUE else "version"
    return str(body.get(key) or body.get("version") or checksum(body)[:12])


def latest_document(session: Session, kind: str) -> PublishedDocument | None:
    return session.scalar(
        select(PublishedDocument)
        .where(PublishedDocument.kind == kind)
        .order_by(PublishedDocument.published_at.desc(), PublishedDocument.version.desc())
        .limit(1)
    )


def publish(session: Session, kind: str, body: dict[str, Any]) -> tuple[str, bool]:
    """Publish a document version (idempotent); returns (version, newly published)."""
    version = document_version(kind, body)
    if session.get(PublishedDocument, (kind, version)) is not None:
        return version, False
    session.add(PublishedDocument(kind=kind, version=version, checksum=checksum(body), body=body))
    if kind == CATALOGUE:
        load_catalogue(session, body, source="central")
    session.flush()
    return version, True


def seed_bundled(session: Session) -> list[str]:
    """Publish the bundled documents when present and not yet published."""
    done = []
    for kind, rel in BUNDLED.items():
        path = resources_dir() / rel
        if not path.is_file():
            continue
        body = json.loads(path.read_text(encoding="utf-8"))
        version, new = publish(session, kind, body)
        if new:
            done.append(f"{kind} {version}")
    return done


def load_catalogue(session: Session, doc: dict[str, Any], *, source: str) -> bool:
    """Load a catalogue document's procedures as a new release; False if already loaded.

    Minimal loader with the bundled format (catalogue_version, procedures[] with
    time_limit and components[]); releases are never edited, only added.
    """
    version = document_version(CATALOGUE, doc)
    if session.get(CatalogueRelease, version) is not None:
        return False
    effective = date.fromisoformat(str(doc.get("effective_from") or "2000-01-01"))
    session.add(
        CatalogueRelease(
            version=version,
            effective_from=effective,
            publisher=str(doc.get("publisher", ""))[:200],
            source=source,
            checksum=checksum(doc),
        )
    )
    session.flush()
    for p in doc.get("procedures", []):
        proc = session.scalar(select(Procedure).where(Procedure.code == p["code"]))
        if proc is None:
            proc = Procedure(
                code=p["code"],
                national_code=p.get("national_code"),
                field=str(p.get("field", ""))[:8],
                group=str(p.get("group", ""))[:8],
                name_vi=p["name_vi"],
                name_en=p.get("name_en", ""),
                name_fold=fold(p["name_vi"]),
            )
            session.add(proc)
            session.flush()
        tl = p.get("time_limit") or {}
        pv = ProcedureVersion(
            procedure_id=proc.id,
            catalogue_version=version,
            effective_from=effective,
            name_vi=p["name_vi"],
            name_en=p.get("name_en", ""),
            time_limit_value=int(tl.get("value", 0) or 0),
            time_limit_unit=str(tl.get("unit", "working_days")),
            same_day=bool(tl.get("same_day", False)),
            time_limit_confidence=str(tl.get("confidence", "M"))[:1],
            time_limit_source=str(tl.get("source", "")),
            legal_basis=str(p.get("legal_basis", "")),
            source=str(p.get("source", "")),
            confidence=str(p.get("confidence", "M"))[:1],
            components_confirmed=bool(p.get("components_confirmed", False)),
            document=p,
        )
        pv.components = [
            Component(
                code=c["code"],
                position=i,
                name_vi=c["name_vi"],
                name_en=c.get("name_en", ""),
                form_code=c.get("form_code"),
                copy_kind=c.get("copy_kind", "original"),
                quantity=int(c.get("quantity", 1)),
                requirement=c.get("requirement", "required"),
                condition_vi=c.get("condition_vi"),
                one_of=c.get("one_of"),
                confidence=str(c.get("confidence", "M"))[:1],
            )
            for i, c in enumerate(p.get("components", []))
        ]
        session.add(pv)
        session.flush()
        proc.current_version_id = pv.id
    return True
