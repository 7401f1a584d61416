"""The HTTP API of the central service (FastAPI); the OpenAPI schema is at /openapi.json."""

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Query, Request, status
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from app.central import documents
from app.central.db import open_central, read_engine
from app.central.service import (
    Caller,
    CursorExpired,
    CursorInvalid,
    authenticate,
    current_epoch,
    decode_cursor,
    encode_cursor,
    pull_events,
    push_events,
    reserve_blocks,
    server_now,
    valid_uuid,
)
from app.models import Office
from app.models.db import make_session_factory

API_VERSION = "1"
MAX_BATCH = 1000
bearer = HTTPBearer(auto_error=False, description="The desk token from `onestop-central add-desk`.")


class EventIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str = Field(
        min_length=36, max_length=36, description="Client-generated UUID: the idempotency key."
    )
    desk_id: str = Field(min_length=1, max_length=36)
    desk_seq: int = Field(ge=1, le=2**62)
    office_id: str = Field(min_length=1, max_length=36)
    dossier_id: str = Field(min_length=1, max_length=36)
    type: str = Field(min_length=1, max_length=32)
    payload: dict[str, Any]
    officer_id: str | None = Field(default=None, max_length=36)
    occurred_at: datetime = Field(description="Device time, kept for the audit trail only.")
    recorded_at: datetime | None = None

    @field_validator("id")
    @classmethod
    def _uuid(cls, v: str) -> str:
        if not valid_uuid(v):
            raise ValueError("id must be a UUID")
        return v.lower()

    @field_validator("occurred_at", "recorded_at")
    @classmethod
    def _aware(cls, v: datetime | None) -> datetime | None:
        if v is None:
            return None
        if v.tzinfo is None:
            raise ValueError("times must carry a UTC offset")
        if not 2000 <= v.year <= 2100:
            raise ValueError("time out of range")
        return v.astimezone(UTC)


class PushIn(BaseModel):
    events: list[EventIn] = Field(max_length=MAX_BATCH)
    sent_at: datetime | None = Field(default=None, description="Desk clock when sending.")


class EventResult(BaseModel):
    id: str
    status: Literal["accepted", "already_known", "rejected"]
    server_seq: int | None = None
    reason: str | None = None
    reason_code: str | None = None
    conflict: bool = False


class PushOut(BaseModel):
    results: list[EventResult]
    server_time: datetime
    clock_skew_s: float | None = Field(None, description="Server time minus the desk's sent_at.")


class EventOut(BaseModel):
    id: str
    desk_id: str
    desk_seq: int
    office_id: str
    dossier_id: str
    type: str
    payload: dict[str, Any]
    officer_id: str | None
    occurred_at: datetime
    recorded_at: datetime
    server_seq: int
    server_received_at: datetime


class PullOut(BaseModel):
    events: list[EventOut]
    next_cursor: str
    has_more: bool
    server_time: datetime


class OfficeOut(BaseModel):
    id: str
    code: str
    name: str
    parent_name: str
    address: str
    phone: str
    hotline: str
    place_name: str
    province_code: str


class DeskOut(BaseModel):
    desk_id: str
    desk_name: str
    slot: int
    office: OfficeOut
    server_time: datetime
    api_version: str = API_VERSION


class DocumentOut(BaseModel):
    kind: str
    version: str
    checksum: str
    unchanged: bool = False
    document: dict[str, Any] | None = None


class CodeBlocksIn(BaseModel):
    days: list[date] = Field(min_length=1, max_length=31)
    size: int = Field(default=50, ge=1, le=500)
    in_use: dict[date, int] = Field(
        default_factory=dict,
        description="Highest number this desk already used per day from its own blocks.",
    )


class CodeBlockOut(BaseModel):
    agency_code: str
    day: date
    first: int
    last: int


class CodeBlocksOut(BaseModel):
    blocks: list[CodeBlockOut]


class HealthOut(BaseModel):
    status: str
    database: str
    server_time: datetime
    api_version: str = API_VERSION


def create_app(db_url: str, *, seed: bool = True) -> FastAPI:
    """The ASGI app over `db_url` (migrated at start-up, bundled documents published)."""
    engine, sessions = open_central(db_url)
    if seed:
        with sessions.begin() as s:
            documents.seed_bundled(s)
    app = FastAPI(
        title="onestop central service",
        version=API_VERSION,
        description="Receives desk events, serves the commit-ordered change feed, publishes "
        "the catalogue and calendar, reserves dossier-code blocks.",
    )
    reader = read_engine(engine)
    app.state.engine = engine
    app.state.read_engine = reader
    app.state.sessions = sessions
    _routes(app, sessions, make_session_factory(reader))
    return app


def _routes(app: FastAPI, sessions: sessionmaker[Session], readers: sessionmaker[Session]) -> None:
    def db() -> Iterator[Session]:
        with readers() as s:
            yield s

    def caller(
        creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> Caller:
        unauthorized = HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "A valid desk token is required (it may have been revoked); pair the desk again.",
            headers={"WWW-Authenticate": "Bearer"},
        )
        if creds is None or not creds.credentials or len(creds.credentials) > 200:
            raise unauthorized
        # Its own short session: a request must never hold one connection for auth while
        # it waits for a second one to write (a pool deadlock under load).
        with readers() as s:
            who = authenticate(s, creds.credentials)
        if who is None:
            raise unauthorized
        return who

    Who = Annotated[Caller, Depends(caller)]
    forbidden = {
        403: {"description": "Another office's data"},
        401: {"description": "No valid token"},
    }

    def check_office(who: Caller, office: str | None) -> None:
        if office and office not in (who.office_id, who.office_code):
            raise HTTPException(
                status.HTTP_403_FORBIDDEN,
                "This desk may only read and write its own office's dossiers.",
            )

    @app.get("/v1/health", response_model=HealthOut)
    def health() -> HealthOut:
        with readers() as s:
            s.execute(text("SELECT 1"))
            name = s.get_bind().dialect.name
        return HealthOut(status="ok", database=name, server_time=server_now())

    @app.get("/v1/desk", response_model=DeskOut, responses=forbidden)
    def desk(who: Who, s: Annotated[Session, Depends(db)]) -> DeskOut:
        office = s.get(Office, who.office_id)
        assert office is not None
        return DeskOut(
            desk_id=who.desk_id,
            desk_name=who.desk_name,
            slot=who.slot,
            office=OfficeOut(
                id=office.id,
                code=office.code,
                name=office.name,
                parent_name=office.parent_name,
                address=office.address,
                phone=office.phone,
                hotline=office.hotline,
                place_name=office.place_name,
                province_code=office.province_code,
            ),
            server_time=server_now(),
        )

    @app.post("/v1/events", response_model=PushOut, responses=forbidden)
    def push(body: PushIn, who: Who) -> PushOut:
        for ev in body.events:
            if ev.office_id != who.office_id:
                raise HTTPException(
                    status.HTTP_403_FORBIDDEN,
                    "This desk may only write its own office's dossiers "
                    f"(office id {who.office_id}).",
                )
        items = [e.model_dump() for e in body.events]
        with sessions.begin() as s:
            results = push_events(s, who, items)
        now = server_now()
        skew = (
            (now - body.sent_at).total_seconds() if body.sent_at and body.sent_at.tzinfo else None
        )
        return PushOut(
            results=[EventResult(**r.as_dict()) for r in results],
            server_time=now,
            clock_skew_s=skew,
        )

    @app.get(
        "/v1/events",
        response_model=PullOut,
        responses={
            **forbidden,
            410: {"description": "Cursor expired: sync from the start"},
            400: {"description": "Not a cursor of this service"},
        },
    )
    def pull(
        who: Who,
        s: Annotated[Session, Depends(db)],
        after: Annotated[str | None, Query(max_length=200)] = None,
        limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
        office: Annotated[str | None, Query(max_length=40)] = None,
    ) -> Any:
        check_office(who, office)
        epoch = current_epoch(s)
        try:
            seq = decode_cursor(after, epoch)
        except CursorExpired as exc:
            raise HTTPException(status.HTTP_410_GONE, str(exc)) from None
        except CursorInvalid as exc:
            raise HTTPException(status.HTTP_400_BAD_REQUEST, str(exc)) from None
        events, last, more = pull_events(s, who, seq, limit)
        return JSONResponse(
            {
                "events": events,
                "next_cursor": encode_cursor(epoch, last),
                "has_more": more,
                "server_time": server_now().isoformat(),
            }
        )

    def _document(kind: str, have: str | None, s: Session) -> DocumentOut:
        doc = documents.latest_document(s, kind)
        if doc is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"No {kind} has been published yet.")
        if have and have == doc.version:
            return DocumentOut(
                kind=kind, version=doc.version, checksum=doc.checksum, unchanged=True
            )
        return DocumentOut(kind=kind, version=doc.version, checksum=doc.checksum, document=doc.body)

    @app.get(
        "/v1/catalogue",
        response_model=DocumentOut,
        responses={**forbidden, 404: {"description": "Nothing published"}},
    )
    def catalogue(
        who: Who,
        s: Annotated[Session, Depends(db)],
        have: Annotated[str | None, Query(max_length=40)] = None,
    ) -> DocumentOut:
        return _document(documents.CATALOGUE, have, s)

    @app.get(
        "/v1/calendar",
        response_model=DocumentOut,
        responses={**forbidden, 404: {"description": "Nothing published"}},
    )
    def calendar(
        who: Who,
        s: Annotated[Session, Depends(db)],
        have: Annotated[str | None, Query(max_length=40)] = None,
    ) -> DocumentOut:
        return _document(documents.CALENDAR, have, s)

    @app.post("/v1/code-blocks", response_model=CodeBlocksOut, responses=forbidden)
    def code_blocks(body: CodeBlocksIn, who: Who) -> CodeBlocksOut:
        for d in body.days:
            if not 2000 <= d.year <= 2099:
                raise HTTPException(422, "days must be in 2000-2099")
        with sessions.begin() as s:
            blocks = reserve_blocks(s, who, body.days, body.size, body.in_use)
        return CodeBlocksOut(blocks=[CodeBlockOut(**b) for b in blocks])

    @app.exception_handler(OverflowError)
    def _overflow(_request: Request, exc: OverflowError) -> JSONResponse:
        return JSONResponse({"detail": f"value out of range: {exc}"}, status_code=422)
