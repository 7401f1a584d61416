"""Digitised files between a desk and the central (issue 16; protocol in app.central.blobs).

Upload, a step of every sync round after the push: each file made here whose naming event
the central already has goes up in chunks from the offset the central reports, so a cut
transfer resumes and a file already there is not sent again. Download, on demand when a
dossier is opened on another desk of the office: into a partial file that a later try
continues (HTTP Range), checked against its SHA-256 before it takes its name.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app import credentials
from app.domain.errors import DomainError
from app.domain.lifecycle import EventType
from app.domain.messages import tr
from app.models import Event, StoredFile
from app.models.events import SYNC_LOCAL, SYNC_QUEUED
from app.services.context import DeskContext
from app.services.digitise import FILES_DIRNAME, FileStore, dossier_files, sha256_file
from app.sync.client import CentralClient, SyncError

log = logging.getLogger(__name__)

#: Bytes per request: inside the central's 1 MiB body limit (app.central.limits).
CHUNK = 512 * 1024


class FileDamaged(DomainError):
    """Bytes that do not hash to their name (a damaged local file or a bad download)."""


def _store(sessions: sessionmaker[Session]) -> FileStore:
    data_dir = credentials.data_dir_of(sessions)
    if data_dir is None:
        raise SyncError("the desk database has no data folder")
    return FileStore(data_dir / FILES_DIRNAME)


def pending_uploads(session: Session) -> list[StoredFile]:
    """Files made here, not yet confirmed at the central, whose events have gone out."""
    rows = list(
        session.scalars(
            select(StoredFile)
            .where(
                StoredFile.origin == "local",
                StoredFile.uploaded_at.is_(None),
                StoredFile.present.is_(True),
            )
            .order_by(StoredFile.created_at)
        )
    )
    if not rows:
        return []
    waiting = {
        e.payload.get("sha256")
        for e in session.scalars(
            select(Event).where(
                Event.type == EventType.COMPONENT_DIGITISED.value,
                Event.sync_state.in_([SYNC_QUEUED, SYNC_LOCAL]),
            )
        )
    }
    return [r for r in rows if r.sha256 not in waiting]


def upload_file(
    client: CentralClient,
    path: Path,
    sha: str,
    size: int,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Send the rest of one file; returns the bytes sent. SyncError on refusal/cut."""
    status = client.raw("GET", f"/files/{sha}/status").json()
    if status.get("complete"):
        return 0
    offset = int(status.get("received") or 0) if status.get("size") == size else 0
    sent = 0
    with path.open("rb") as f:
        while offset < size:
            f.seek(offset)
            data = f.read(CHUNK)
            if not data:
                raise FileDamaged("digitise.damaged", tr("digitise.damaged", sha=sha[:12]))
            resp = client.raw(
                "PUT",
                f"/files/{sha}",
                ok=(409,),
                params={"offset": offset, "size": size},
                content=data,
                headers={"Content-Type": "application/octet-stream"},
            )
            answer = resp.json()
            if resp.status_code == 409:  # the central is elsewhere: go on from there
                offset = int(answer.get("received") or 0)
                continue
            sent += len(data)
            offset = int(answer.get("received", offset + len(data)))
            if progress is not None:
                progress(offset)
            if answer.get("complete"):
                break
    return sent


def upload_pending(sessions: sessionmaker[Session], client: CentralClient, report: Any) -> None:
    """The sync round's file step: every pending file, oldest first.

    A local file that no longer hashes to its name is not sent (the central would refuse
    it): it is counted in `report.files_damaged` and logged by its hash only.
    """
    store = _store(sessions)
    with sessions() as s:
        todo = [(r.sha256, r.size) for r in pending_uploads(s)]
    for sha, size in todo:
        path = store.path_for(sha)
        if not store.verify(sha):
            log.error("digitised file %s is damaged or missing; not sent", sha[:12])
            report.files_damaged += 1
            continue
        sent = upload_file(client, path, sha, size)
        report.files_sent += 1
        report.file_bytes_sent += sent
        with sessions.begin() as s:
            row = s.get(StoredFile, sha)
            if row is not None:
                row.uploaded_at = datetime.now(UTC)


def fetch_file(
    ctx: DeskContext,
    client: CentralClient,
    sha: str,
    progress: Callable[[int], None] | None = None,
) -> Path:
    """The local file of `sha`, fetched from the central if it is not here (resuming a cut
    download). FileDamaged when the bytes that arrived do not hash to `sha`."""
    store = _store(ctx.sessions)
    final = store.path_for(sha)
    if final.is_file():
        if store.verify(sha):
            return final
        log.error("digitised file %s is damaged here; fetching it again", sha[:12])
        final.unlink()
    (store.root / "tmp").mkdir(parents=True, exist_ok=True)
    part = store.root / "tmp" / f"{sha}.download"
    have = part.stat().st_size if part.exists() else 0
    headers = {"Range": f"bytes={have}-"} if have else {}
    with client.stream(f"/files/{sha}", headers) as resp:
        mode = "ab" if resp.status_code == 206 else "wb"
        got = have if mode == "ab" else 0
        with part.open(mode) as f:
            for chunk in resp.iter_bytes(CHUNK):
                f.write(chunk)
                got += len(chunk)
                if progress is not None:
                    progress(got)
    if sha256_file(part) != sha:
        part.unlink(missing_ok=True)
        raise FileDamaged("digitise.damaged", tr("digitise.damaged", sha=sha[:12]))
    store.put(part, sha)
    with ctx.transaction() as s:
        row = s.get(StoredFile, sha)
        if row is None:
            s.add(
                StoredFile(
                    sha256=sha,
                    size=final.stat().st_size,
                    origin="remote",
                    present=True,
                    uploaded_at=datetime.now(UTC),
                )
            )
        else:
            row.present = True
    return final


def fetch_dossier_files(ctx: DeskContext, client: CentralClient, dossier_id: str) -> list[Path]:
    """Every digitised component of the dossier on this desk (what opening it fetches)."""
    with ctx.read() as s:
        wanted = [f.sha256 for f in dossier_files(s, dossier_id)]
    return [fetch_file(ctx, client, sha) for sha in wanted]


def fetch_for_dossier(ctx: DeskContext, dossier_id: str, timeout: float = 30.0) -> int:
    """What opening a dossier does: fetch its components' files this desk lacks (a paired
    desk only); returns how many were fetched. SyncError when the central is unreachable."""
    from app.services.event_log import is_paired
    from app.sync.commands import _client_for

    with ctx.read() as s:
        if not is_paired(s):
            return 0
        missing = [f.sha256 for f in dossier_files(s, dossier_id) if f.state == "remote"]
    if not missing:
        return 0
    client = _client_for(ctx.sessions, timeout)
    try:
        for sha in missing:
            fetch_file(ctx, client, sha)
    finally:
        client.close()
    return len(missing)
