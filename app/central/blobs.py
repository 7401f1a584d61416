"""Digitised files at the central: chunked, resumable uploads checked by SHA-256, and
downloads scoped to the office (issue 16).

The protocol, beside the events (a desk sends a file only after the event that names it):

- ``GET /v1/files/{sha256}/status``: how many bytes of it this office's desks have sent
  (``received``) and whether the whole arrived and hashed right (``complete``);
- ``PUT /v1/files/{sha256}?offset=N&size=S`` with raw bytes: one chunk, at most
  ``CHUNK_MAX`` (inside the 1 MiB request limit). A chunk not at ``received`` gets 409 with
  the right offset, so a cut transfer resumes where the central stopped, never twice; the
  last chunk makes the central hash the whole file: a mismatch throws it away (422);
- ``GET /v1/files/{sha256}``: the bytes (``Range: bytes=N-`` resumes a cut download), only
  for an office that has the file complete; any other gets 404, as for a file unknown.

Where the bytes live is a `FileStore`: the central's file system by default (one host);
several workers on several hosts share an S3-compatible object store (`S3Store`), see
docs/digitising.md. Chunk requests have their own rate bucket (app.central.limits), so a
large file never eats the desk's allowance for events.
"""

import hashlib
import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Protocol

from fastapi import Depends, FastAPI, HTTPException, Query, Request, status
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from app.central.models import CentralFile
from app.central.service import Caller, authenticate

CHUNK_MAX = 768 * 1024
READ = 1024 * 1024
SHA = re.compile(r"^[0-9a-f]{64}$")
MAX_FILE = 2**40
ENV_FILES = "ONESTOP_CENTRAL_FILES"
ENV_S3 = "ONESTOP_CENTRAL_S3"  # endpoint URL,bucket (credentials from the AWS_* variables)


class FileStore(Protocol):
    """Where the central keeps partial and finished files."""

    def append(self, key: str, offset: int, data: bytes) -> None:
        """Write `data` at `offset` of the partial file `key` (cutting anything after)."""

    def finish(self, key: str, sha: str) -> bool:
        """Hash the partial `key`; if it is `sha`, keep it as the file `sha` (True)."""

    def discard(self, key: str) -> None: ...

    def exists(self, sha: str) -> bool: ...

    def read(self, sha: str, start: int) -> Iterator[bytes]: ...


class LocalStore:
    """Files on the central's own disk: `<root>/partial/<office>/<sha>` then `<root>/ab/<sha>`."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _partial(self, key: str) -> Path:
        return self.root / "partial" / key

    def _final(self, sha: str) -> Path:
        return self.root / sha[:2] / sha

    def append(self, key: str, offset: int, data: bytes) -> None:
        path = self._partial(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("r+b" if path.exists() else "wb") as f:
            f.seek(offset)
            f.write(data)
            f.truncate()

    def finish(self, key: str, sha: str) -> bool:
        path = self._partial(key)
        h = hashlib.sha256()
        with path.open("rb") as f:
            while chunk := f.read(READ):
                h.update(chunk)
        if h.hexdigest() != sha:
            path.unlink(missing_ok=True)
            return False
        final = self._final(sha)
        final.parent.mkdir(parents=True, exist_ok=True)
        with path.open("rb+") as f:
            os.fsync(f.fileno())
        os.replace(path, final)
        return True

    def discard(self, key: str) -> None:
        self._partial(key).unlink(missing_ok=True)

    def exists(self, sha: str) -> bool:
        return self._final(sha).is_file()

    def read(self, sha: str, start: int) -> Iterator[bytes]:
        with self._final(sha).open("rb") as f:
            f.seek(start)
            while chunk := f.read(READ):
                yield chunk


class S3Store:
    """Files in an S3-compatible bucket (MinIO, Ceph, AWS, or moto in the tests).

    Chunks arrive smaller than S3's 5 MiB multipart minimum, so each is its own object
    under `partial/<key>/<offset>`; the last one makes the central read them in order,
    hash them, and write the file as `files/<sha>` (a streamed multipart upload), then
    delete the chunks.
    """

    def __init__(self, endpoint_url: str, bucket: str, client: Any = None) -> None:
        if client is None:
            import boto3

            client = boto3.client("s3", endpoint_url=endpoint_url)
        self.s3 = client
        self.bucket = bucket

    def _chunks(self, key: str) -> list[tuple[int, str]]:
        out = []
        pager = self.s3.get_paginator("list_objects_v2")
        for page in pager.paginate(Bucket=self.bucket, Prefix=f"partial/{key}/"):
            for obj in page.get("Contents", []):
                out.append((int(obj["Key"].rsplit("/", 1)[1]), obj["Key"]))
        return sorted(out)

    def append(self, key: str, offset: int, data: bytes) -> None:
        for at, name in self._chunks(key):
            if at >= offset:  # a resend from an earlier offset replaces what came after
                self.s3.delete_object(Bucket=self.bucket, Key=name)
        self.s3.put_object(Bucket=self.bucket, Key=f"partial/{key}/{offset:015d}", Body=data)

    def finish(self, key: str, sha: str) -> bool:
        chunks = self._chunks(key)
        h = hashlib.sha256()
        for _at, name in chunks:
            body = self.s3.get_object(Bucket=self.bucket, Key=name)["Body"]
            while part := body.read(READ):
                h.update(part)
        ok = h.hexdigest() == sha
        if ok:
            self.s3.upload_fileobj(_Joined(self, chunks), self.bucket, f"files/{sha}")
        self.discard(key)
        return ok

    def discard(self, key: str) -> None:
        for _at, name in self._chunks(key):
            self.s3.delete_object(Bucket=self.bucket, Key=name)

    def exists(self, sha: str) -> bool:
        try:
            self.s3.head_object(Bucket=self.bucket, Key=f"files/{sha}")
        except Exception:  # botocore ClientError 404, without importing botocore here
            return False
        return True

    def read(self, sha: str, start: int) -> Iterator[bytes]:
        kw = {"Range": f"bytes={start}-"} if start else {}
        body = self.s3.get_object(Bucket=self.bucket, Key=f"files/{sha}", **kw)["Body"]
        while chunk := body.read(READ):
            yield chunk


class _Joined:
    """The chunk objects read one after another as one file object (for upload_fileobj)."""

    def __init__(self, store: S3Store, chunks: list[tuple[int, str]]) -> None:
        self.store, self.names = store, [n for _a, n in chunks]
        self.body: Any = None

    def read(self, n: int = -1) -> bytes:
        """Up to `n` bytes (all when n < 0), short only at the end: s3transfer takes a
        short read for the end of the file."""
        out = bytearray()
        while n < 0 or len(out) < n:
            if self.body is None:
                if not self.names:
                    break
                name = self.names.pop(0)
                self.body = self.store.s3.get_object(Bucket=self.store.bucket, Key=name)["Body"]
            want = READ if n < 0 else min(READ, n - len(out))
            data: bytes = self.body.read(want)
            if not data:
                self.body = None
                continue
            out += data
        return bytes(out)


def store_from_env(db_url: str) -> FileStore:
    """ONESTOP_CENTRAL_S3 (endpoint,bucket), else ONESTOP_CENTRAL_FILES, else a folder
    beside a SQLite database, else `central-files` in the working folder."""
    s3 = os.environ.get(ENV_S3, "").strip()
    if s3:
        endpoint, _, bucket = s3.partition(",")
        return S3Store(endpoint or "", bucket or "onestop-files")
    folder = os.environ.get(ENV_FILES, "").strip()
    if folder:
        return LocalStore(Path(folder))
    if db_url.startswith("sqlite:///") and len(db_url) > len("sqlite:///"):
        return LocalStore(Path(db_url[len("sqlite:///") :]).parent / "central-files")
    return LocalStore(Path("central-files").resolve())


class FileStatusOut(BaseModel):
    sha256: str
    size: int | None = None
    received: int = 0
    complete: bool = False


def mount(app: FastAPI, sessions: sessionmaker[Session], store: FileStore) -> None:
    """Add the file endpoints to the central's app."""
    bearer = HTTPBearer(auto_error=False)
    app.state.file_store = store

    def caller(
        creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> Caller:
        if creds is None or not creds.credentials or len(creds.credentials) > 200:
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, "A valid desk token is required.")
        with sessions() as s:
            who = authenticate(s, creds.credentials)
        if who is None:
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, "A valid desk token is required.")
        return who

    Who = Annotated[Caller, Depends(caller)]

    def check_sha(sha: str) -> str:
        if not SHA.match(sha):
            raise HTTPException(422, "The file name must be a SHA-256 in lower-case hex.")
        return sha

    def key(who: Caller, sha: str) -> str:
        return f"{who.office_id}/{sha}"

    @app.get("/v1/files/{sha}/status", response_model=FileStatusOut)
    def file_status(sha: str, who: Who) -> FileStatusOut:
        check_sha(sha)
        with sessions() as s:
            row = s.get(CentralFile, (who.office_id, sha))
            if row is None:
                return FileStatusOut(sha256=sha)
            return FileStatusOut(
                sha256=sha, size=row.size, received=row.received, complete=row.complete
            )

    @app.put(
        "/v1/files/{sha}",
        response_model=FileStatusOut,
        responses={409: {"description": "Not at the expected offset"}, 422: {}},
    )
    async def put_chunk(
        sha: str,
        request: Request,
        who: Who,
        offset: Annotated[int, Query(ge=0, le=MAX_FILE)],
        size: Annotated[int, Query(ge=1, le=MAX_FILE)],
    ) -> Any:
        check_sha(sha)
        data = await request.body()
        if len(data) > CHUNK_MAX:
            raise HTTPException(413, f"A chunk is at most {CHUNK_MAX} bytes.")
        if not data:
            raise HTTPException(422, "An empty chunk.")
        if offset + len(data) > size:
            raise HTTPException(422, "The chunk goes past the file's size.")
        out = await run_in_threadpool(
            _put, sessions, store, who, sha, offset, size, data, key(who, sha)
        )
        if out is None:
            raise HTTPException(422, "The file's bytes do not match its SHA-256; send it again.")
        return out

    @app.get("/v1/files/{sha}", responses={404: {"description": "Not held for this office"}})
    def get_file(sha: str, who: Who, request: Request) -> Any:
        check_sha(sha)
        with sessions() as s:
            row = s.get(CentralFile, (who.office_id, sha))
            size = row.size if row is not None and row.complete else None
        if size is None or not store.exists(sha):
            raise HTTPException(404, "No such file for this office.")
        start = 0
        rng = request.headers.get("range", "")
        m = re.fullmatch(r"bytes=(\d{1,15})-", rng.strip())
        if m:
            start = int(m.group(1))
            if start >= size:
                raise HTTPException(416, "Range not satisfiable.")
        headers = {"Content-Length": str(size - start), "Accept-Ranges": "bytes"}
        code = 200
        if start:
            headers["Content-Range"] = f"bytes {start}-{size - 1}/{size}"
            code = 206
        return StreamingResponse(
            store.read(sha, start),
            status_code=code,
            media_type="application/pdf",
            headers=headers,
        )


def _put(
    sessions: sessionmaker[Session],
    store: FileStore,
    who: Caller,
    sha: str,
    offset: int,
    size: int,
    data: bytes,
    key: str,
) -> Any:
    """One chunk under the row's lock, at the right offset or 409 telling where to go on.

    None: the whole file arrived but hashed wrong (thrown away)."""
    with sessions.begin() as s:
        row = s.get(CentralFile, (who.office_id, sha), with_for_update=True)
        if row is None:
            row = CentralFile(
                office_id=who.office_id, sha256=sha, size=size, received=0, desk_id=who.desk_id
            )
            s.add(row)
            s.flush()
        if row.complete:
            return FileStatusOut(sha256=sha, size=row.size, received=row.size, complete=True)
        if row.size != size:
            if row.received:
                raise HTTPException(422, "The size differs from the one this upload began with.")
            row.size = size
        if offset != row.received:
            return JSONResponse(
                FileStatusOut(sha256=sha, size=row.size, received=row.received).model_dump(),
                status_code=409,
            )
        store.append(key, offset, data)
        row.received = offset + len(data)
        row.desk_id = who.desk_id
        if row.received == row.size:
            if not store.finish(key, sha):
                row.received = 0  # thrown away: the next upload starts from the top
                return None
            row.complete = True
            row.completed_at = datetime.now(UTC)
        return FileStatusOut(
            sha256=sha, size=row.size, received=row.received, complete=row.complete
        )
