"""Versioned catalogue and calendar documents: publishing them, and loading a catalogue.

The bundled files (resources/catalogue/vss.json, resources/calendar/vn-overrides.json) seed
the central service; desks download what the centre publishes. Loading a catalogue into
the shared tables is needed on the centre too: pushed dossiers are checked against it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.central.models import PublishedDocument
from app.resources import resources_dir
from app.services.catalogue_service import checksum, load_catalogue_document

CATALOGUE = "catalogue"
CALENDAR = "calendar"
BUNDLED = {
    CATALOGUE: Path("catalogue") / "vss.json",
    CALENDAR: Path("calendar") / "vn-overrides.json",
}


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
    """Load a published catalogue into the shared tables with the desks' own loader (one
    loader, one checksum: the central checks pushed dossiers against what desks hold)."""
    return load_catalogue_document(session, doc, source)
