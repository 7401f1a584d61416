"""The HTTP API of the central service (FastAPI); the OpenAPI schema is at /openapi.json."""

import logging
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

import orjson
from fastapi import Depends, FastAPI, HTTPException, Query, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from prometheus_client import CollectorRegistry
from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app.central import blobs, documents, metrics
from app.central.db import open_central, read_engine
from app.central.limits import Limits, RateLimit, max_body_from_env
from app.central.service import (
    BlocksRefused,
    Caller,
    CentralBusy,
    CursorExpired,
    CursorInvalid,
    authenticate,
    current_epoch,
    decode_cursor,
    desk_codes,
    desk_sequence,
    desks_to_report,
    encode_cursor,
    pull_events,
    push_batch,
    reserve_blocks,
    server_now,
)
from app.models import Office
from app.models.db import make_session_factory

API_VERSION = "1"
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
log = logging.getLogger(__name__)
MAX_BATCH = 1000
bearer = HTTPBearer(auto_error=False, description="The desk token from `onestop-central add-desk`.")


class PushIn(BaseModel):
    events: list[Any] = Field(
        max_length=MAX_BATCH,
        description="Events in desk order, each as `WireEvent`; each is judged on its own, "
        "so one malformed event is refused with a reason and the rest still get in.",
    )
    sent_at: datetime | None = Field(default=None, description="Desk clock when sending.")


class EventResult(BaseModel):
    id: str
    status: Literal["accepted", "already_known", "rejected"]
    server_seq: int | None = None
    reason: str | None = Field(None, description="Why it was refused, in English.")
    reason_vi: str | None = Field(None, description="Why it was refused, in Vietnamese.")
    reason_code: str | None = None
    field: str | None = Field(None, description="The offending field, dotted path.")
    conflict: bool = False


class PushOut(BaseModel):
    results: list[EventResult]
    held_seq: int = Field(
        0,
        description="Every event of this desk up to this desk_seq has been judged here; "
        "if it goes down, the central was restored: send again what came after.",
    )
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


class DayCodes(BaseModel):
    day: date
    blocks: list[tuple[int, int]]
    used: int


class DeskOut(BaseModel):
    desk_id: str
    desk_name: str
    slot: int
    office: OfficeOut
    server_time: datetime
    api_version: str = API_VERSION
    held_seq: int = Field(0, description="See PushOut.held_seq.")
    max_desk_seq: int = Field(0, description="The highest desk_seq of this desk held here.")
    report_blocks: bool = Field(
        False,
        description="The central was restored: send the code blocks held (POST "
        "/v1/code-blocks with `held`) before any desk of the office gets a new block.",
    )
    codes: list[DayCodes] = Field(
        default_factory=list,
        description="From yesterday on: blocks issued to this desk and the highest number "
        "it used, so a desk re-paired after losing its database starts above them.",
    )


class DocumentOut(BaseModel):
    kind: str
    version: str
    checksum: str
    unchanged: bool = False
    document: dict[str, Any] | None = None


class CodeBlocksIn(BaseModel):
    days: list[date] = Field(
        max_length=31, description="Days to reserve a block for (none: only report `held`)."
    )
    size: int = Field(default=50, ge=1, le=500)
    in_use: dict[date, Annotated[int, Field(ge=0, le=9999)]] = Field(
        default_factory=dict,
        max_length=31,
        description="Highest number this desk used per day outside central blocks (its "
        "stand-alone share); beyond that share and its blocks it is refused (422).",
    )
    held: dict[date, Annotated[list[tuple[int, int]], Field(max_length=50)]] = Field(
        default_factory=dict,
        max_length=31,
        description="Protocol 2: the central blocks this desk holds per day (first, last). "
        "A central restored from a backup learns them again before it plans new blocks.",
    )


class CodeBlockOut(BaseModel):
    agency_code: str
    day: date
    first: int
    last: int


class HeldBlockOut(BaseModel):
    day: date
    first: int
    last: int


class CodeBlocksOut(BaseModel):
    blocks: list[CodeBlockOut]
    conflicts: list[HeldBlockOut] = Field(
        default_factory=list,
        description="Held blocks that overlap another desk's: stop drawing on them.",
    )


class WhoAmIOut(BaseModel):
    desk_id: str
    office_id: str
    office_code: str
    server_time: datetime
    api_version: str = API_VERSION


class HealthOut(BaseModel):
    status: str
    database: str
    server_time: datetime
    api_version: str = API_VERSION


_FROM_ENV = RateLimit(-1.0, -1)


def create_app(
    db_url: str,
    *,
    seed: bool = True,
    rate_limit: RateLimit | None = _FROM_ENV,
    max_body: int | None = None,
    files: blobs.FileStore | None = None,
) -> FastAPI:
    """The ASGI app over `db_url` (migrated at start-up, bundled documents published).

    `rate_limit` per desk token (None: off, as in the load benches; default: from
    ONESTOP_CENTRAL_RATE, generous); `max_body` in bytes (default ONESTOP_CENTRAL_MAX_BODY,
    1 MiB), checked before the body is parsed and before the token is looked up; `files`
    where digitised files go (default: app.central.blobs.store_from_env).
    """
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
    readers = make_session_factory(reader)
    _routes(app, sessions, readers)
    blobs.mount(app, sessions, files or blobs.store_from_env(db_url))
    _metrics(app, readers)
    _errors(app)
    app.add_middleware(
        Limits,
        max_body=max_body or max_body_from_env(),
        rate=RateLimit.from_env() if rate_limit is _FROM_ENV else rate_limit,
    )
    app.add_middleware(metrics.MetricsMiddleware)  # outermost: refusals are counted too
    return app


def _metrics(app: FastAPI, readers: sessionmaker[Session]) -> None:
    """GET /metrics: Prometheus text for the operator's scraper (no personal data; keep
    it reachable from the monitoring network only, like the rest of the admin side)."""

    def read() -> dict[str, float]:
        with readers() as s:
            return {"desks_to_report_blocks": float(len(desks_to_report(s, None)))}

    extra = CollectorRegistry(auto_describe=False)
    extra.register(metrics.DatabaseGauges(read))

    @app.get("/metrics", include_in_schema=False)
    def scrape() -> Response:
        return Response(metrics.scrape(extra), media_type=metrics.CONTENT_TYPE)


def _errors(app: FastAPI) -> None:
    """No database error reaches a desk as a 500, nor the log with its parameters."""

    @app.exception_handler(SQLAlchemyError)
    def _database(_request: Request, exc: SQLAlchemyError) -> JSONResponse:
        orig = getattr(exc, "orig", None)
        # The class and SQLSTATE only: the message of a driver error can quote values.
        log.error(
            "database error %s (%s)", type(exc).__name__, getattr(orig, "sqlstate", None) or "-"
        )
        return JSONResponse(
            {"detail": "The central database could not complete the request; retry later."},
            status_code=503,
            headers={"Retry-After": "5"},
        )

    @app.exception_handler(CentralBusy)
    def _busy(_request: Request, _exc: CentralBusy) -> JSONResponse:
        return JSONResponse(
            {"detail": "The central service is busy with the same dossiers; retry later."},
            status_code=503,
            headers={"Retry-After": "1"},
        )


def _routes(app: FastAPI, sessions: sessionmaker[Session], readers: sessionmaker[Session]) -> None:
    def db() -> Iterator[Session]:
        with readers() as s:
            yield s

    def unauthorized() -> HTTPException:
        return HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "A valid desk token is required (it may have been revoked); pair the desk again.",
            headers={"WWW-Authenticate": "Bearer"},
        )

    def token_of(creds: HTTPAuthorizationCredentials | None) -> str:
        if creds is None or not creds.credentials or len(creds.credentials) > 200:
            raise unauthorized()
        return creds.credentials

    def caller(
        creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> Caller:
        token = token_of(creds)
        # Its own short session: a request must never hold one connection for auth while
        # it waits for a second one to write (a pool deadlock under load).
        with readers() as s:
            who = authenticate(s, token)
        if who is None:
            raise unauthorized()
        return who

    Who = Annotated[Caller, Depends(caller)]
    forbidden: dict[int | str, dict[str, Any]] = {
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

    def authenticated(s: Session, creds: HTTPAuthorizationCredentials | None) -> Caller:
        who = authenticate(s, token_of(creds))
        if who is None:
            raise unauthorized()
        return who

    @app.get("/v1/whoami", response_model=WhoAmIOut, responses=forbidden)
    async def whoami(
        creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> WhoAmIOut:
        """The token check alone (one indexed query): a desk's cheapest call, and the
        load bench's floor under every other endpoint. One trip to a worker thread (a sync
        dependency and a sync endpoint were two, each a thread wake-up)."""

        def check() -> Caller:
            with readers() as s:
                return authenticated(s, creds)

        who = await run_in_threadpool(check)
        return WhoAmIOut(
            desk_id=who.desk_id,
            office_id=who.office_id,
            office_code=who.office_code,
            server_time=server_now(),
        )

    @app.get("/v1/desk", response_model=DeskOut, responses=forbidden)
    def desk(who: Who, s: Annotated[Session, Depends(db)]) -> DeskOut:
        office = s.get(Office, who.office_id)
        assert office is not None
        held, top = desk_sequence(s, who.desk_id)
        since = datetime.now(ZONE).date() - timedelta(days=1)
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
            held_seq=held,
            max_desk_seq=top,
            codes=[DayCodes(**c) for c in desk_codes(s, who, since)],
            report_blocks=who.desk_id in desks_to_report(s, who.office_id),
        )

    @app.post("/v1/events", response_model=PushOut, responses=forbidden)
    def push(
        body: PushIn,
        creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> Any:
        # Auth in the push's own transaction: one connection from the pool per push.
        pushed = push_batch(sessions, token_of(creds), body.events)
        if pushed is None:
            raise unauthorized()
        _who, results, held = pushed
        metrics.count_verdicts(results)
        now = server_now()
        skew = (
            (now - body.sent_at).total_seconds() if body.sent_at and body.sent_at.tzinfo else None
        )
        return JSONResponse(  # PushOut, built directly (no second validation pass)
            {
                "results": [r.as_dict() for r in results],
                "held_seq": held,
                "server_time": now.isoformat(),
                "clock_skew_s": skew,
            }
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
    async def pull(
        creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
        after: Annotated[str | None, Query(max_length=200)] = None,
        limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
        office: Annotated[str | None, Query(max_length=40)] = None,
    ) -> Any:
        token_of(creds)
        # The token check and the page on one connection, in one trip to a worker thread
        # (the auth and session dependencies and the endpoint were four trips, two checkouts).
        return await run_in_threadpool(page, creds, after, limit, office)

    def page(
        creds: HTTPAuthorizationCredentials | None,
        after: str | None,
        limit: int,
        office: str | None,
    ) -> Response:
        with readers() as s:
            who = authenticated(s, creds)
            check_office(who, office)
            epoch = current_epoch(s)
            try:
                seq = decode_cursor(after, epoch)
            except CursorExpired as exc:
                raise HTTPException(status.HTTP_410_GONE, str(exc)) from None
            except CursorInvalid as exc:
                raise HTTPException(status.HTTP_400_BAD_REQUEST, str(exc)) from None
            events, last, more = pull_events(s, who, seq, limit)
        metrics.EVENTS_PULLED.inc(len(events))
        return Response(  # PullOut, serialised by orjson (payloads pass through as text)
            orjson.dumps(
                {
                    "events": events,
                    "next_cursor": encode_cursor(epoch, last),
                    "has_more": more,
                    "server_time": server_now().isoformat(),
                }
            ),
            media_type="application/json",
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
        for d in [*body.in_use, *body.held]:
            if not 2000 <= d.year <= 2099:
                raise HTTPException(422, "days must be in 2000-2099")
        try:
            with sessions.begin() as s:
                blocks, conflicts = reserve_blocks(
                    s, who, body.days, body.size, body.in_use, body.held
                )
        except BlocksRefused as exc:
            raise HTTPException(422, str(exc)) from None
        metrics.BLOCKS_ISSUED.inc(len(blocks))
        return CodeBlocksOut(
            blocks=[CodeBlockOut(**b) for b in blocks],
            conflicts=[HeldBlockOut(**c) for c in conflicts],
        )

    @app.exception_handler(OverflowError)
    def _overflow(_request: Request, exc: OverflowError) -> JSONResponse:
        return JSONResponse({"detail": f"value out of range: {exc}"}, status_code=422)
