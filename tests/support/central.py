"""Harness for tests and the bench: a real server on loopback, PostgreSQL scratch
databases, desks with realistic dossiers, and a fault-injecting TCP proxy.

Nothing here is mocked: the server is uvicorn on a real socket, the proxy forwards real
bytes and breaks them on purpose.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import socket
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import uvicorn

PG_HOST, PG_PORT = "127.0.0.1", 5432
OFFICE_A = "000.00.31.H56"
OFFICE_B = "000.00.31.H57"
PROCEDURE = "BHXH-A01"


_office_numbers = iter(range(10**6))
_office_rng = random.Random()


def unique_office_code() -> str:
    """A QCVN 102-shaped office code no other test run used (tests share one server)."""
    head = "".join(_office_rng.choices("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ", k=3))
    return f"{head}.{next(_office_numbers) % 100:02d}.31.H{_office_rng.randint(10, 99)}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def postgres_reachable() -> bool:
    try:
        with socket.create_connection((PG_HOST, PG_PORT), timeout=1):
            return True
    except OSError:
        return False


@contextlib.contextmanager
def scratch_postgres(prefix: str = "onestop_t") -> Iterator[str]:
    """A fresh database on the local server, dropped afterwards; yields its SQLAlchemy URL."""
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = f"host={PG_HOST} port={PG_PORT} user=postgres dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@{PG_HOST}:{PG_PORT}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class ServerThread:
    """uvicorn serving `app` on 127.0.0.1:<free port> in a daemon thread."""

    def __init__(self, app: Any, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan="off",
            access_log=False,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("central service did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


# --- desks and dossiers ------------------------------------------------------------------


def new_desk(data_dir: Path, *, slot: int = 1, office_code: str = OFFICE_A) -> Any:
    """A stand-alone desk (bundled catalogue, its office, itself), as the first start makes."""
    from app.services.bootstrap import open_desk
    from app.services.setup import setup_desk

    ctx = open_desk(data_dir, synchronous="NORMAL")
    setup_desk(
        ctx,
        office_code=office_code,
        office_name="Bộ phận Một cửa BHXH",
        desk_name=f"Quầy {slot}",
        slot=slot,
    )
    return ctx


def received_payload(
    code: str,
    n: int,
    *,
    catalogue_version: str,
    procedure_code: str = PROCEDURE,
    when: datetime | None = None,
) -> dict[str, Any]:
    when = when or datetime.now(UTC)
    return {
        "code": code,
        "procedure_code": procedure_code,
        "catalogue_version": catalogue_version,
        "applicant": {
            "full_name": "Nguyễn Thị Hoa",
            "id_number": f"0011900{n % 100000:05d}",
            "date_of_birth": "1990-05-17",
            "sex": "F",
            "phone": "0912345678",
            "address": "Số 5 phố Kim Mã, phường Ba Đình, Hà Nội",
        },
        "components": [
            {
                "component_code": f"{procedure_code}-01",
                "name_vi": "Thẻ BHYT",
                "form_code": None,
                "copy_kind": "photocopy",
                "quantity": 1,
            },
        ],
        "channel": "desk",
        "return_method": "desk",
        "sets_count": 1,
        "received_at": when.isoformat(),
        "effective_receipt_date": when.date().isoformat(),
        "due_date": (when.date() + timedelta(days=40)).isoformat(),
        "log_book": {"year": when.year, "volume": 1, "entry": n},
    }


def current_catalogue_version(session: Any, procedure_code: str = PROCEDURE) -> str:
    from sqlalchemy import select

    from app.models import Procedure, ProcedureVersion

    pv = session.scalar(
        select(ProcedureVersion)
        .join(Procedure, Procedure.id == ProcedureVersion.procedure_id)
        .where(
            Procedure.code == procedure_code, Procedure.current_version_id == ProcedureVersion.id
        )
    )
    assert pv is not None, "catalogue not loaded"
    return str(pv.catalogue_version)


def receive_dossiers(ctx: Any, count: int, *, day: date | None = None) -> list[str]:
    """`count` dossiers received on this desk, one transaction each, numbered the real way."""
    from zoneinfo import ZoneInfo

    from app.models import new_id
    from app.services.codes import allocate_code
    from app.services.event_log import is_paired, record_event
    from app.services.setup import current_desk

    ids = []
    now = datetime.now(UTC)
    day = day or now.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    for _ in range(count):
        with ctx.transaction() as s:
            desk = current_desk(s)
            code = allocate_code(
                s, agency=desk.office_code, day=day, slot=desk.slot, paired=is_paired(s)
            )
            dossier_id = new_id()
            n = int(code[-4:])
            record_event(
                s,
                desk_id=desk.desk_id,
                office_id=desk.office_id,
                dossier_id=dossier_id,
                type="received",
                payload=received_payload(code, n, catalogue_version=current_catalogue_version(s)),
                officer_id=None,
                occurred_at=now,
            )
            ids.append(dossier_id)
    return ids


def act(
    ctx: Any,
    dossier_id: str,
    event_type: str,
    payload: dict[str, Any] | None = None,
    *,
    strict: bool = True,
) -> bool:
    """A follow-up event on a dossier; False when the local lifecycle refuses it."""
    from app.domain.errors import DomainError
    from app.services.event_log import record_event
    from app.services.setup import current_desk

    try:
        with ctx.transaction() as s:
            desk = current_desk(s)
            record_event(
                s,
                desk_id=desk.desk_id,
                office_id=desk.office_id,
                dossier_id=dossier_id,
                type=event_type,
                payload=payload or {},
                officer_id=None,
                occurred_at=ctx.now(),
            )
    except DomainError:
        if strict:
            raise
        return False
    return True


# --- fault-injecting proxy ---------------------------------------------------------------


@dataclass
class FaultPlan:
    """Probabilities per new connection; the rest pass through untouched."""

    drop: float = 0.0  # close the client connection before forwarding anything
    cut: float = 0.0  # forward the request, pass part of the answer, then close
    delay: float = 0.0  # add 20-200 ms before forwarding
    error_5xx: float = 0.0  # answer 503 without forwarding
    error_after: float = 0.0  # forward (the server commits), answer 502 instead
    stall: float = 0.0  # forward, then hold the answer 1 s (a kill lands after the commit)


class FaultProxy:
    """A TCP proxy on loopback that breaks connections on purpose and counts what it did."""

    def __init__(self, upstream_port: int, plan: FaultPlan | None = None, seed: int = 1) -> None:
        self.upstream_port = upstream_port
        self.plan = plan or FaultPlan()
        self.rng = random.Random(seed)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.offline = False
        self.counts: Counter[str] = Counter()
        #: Bytes sent from clients to the server so far (request bodies included).
        self.bytes_up = 0
        #: Cut the connection once, when the bytes sent upstream pass this total (a
        #: transfer cut midway); None: never.
        self.cut_up_at: int | None = None
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.base_events.Server | None = None

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        fut = asyncio.run_coroutine_threadsafe(self._start(), self._loop)
        fut.result(10)
        return self

    def __exit__(self, *exc: object) -> None:
        async def _stop() -> None:
            assert self._server is not None
            self._server.close()

        asyncio.run_coroutine_threadsafe(_stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    async def _start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)

    def _choose(self) -> str:
        if self.offline:
            return "offline"
        r = self.rng.random()
        for name in ("drop", "cut", "delay", "error_5xx", "error_after", "stall"):
            p = getattr(self.plan, name)
            if r < p:
                return name
            r -= p
        return "pass"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        mode = self._choose()
        self.counts[mode] += 1
        try:
            if mode in ("offline", "drop"):
                return
            if mode == "error_5xx":
                await reader.read(65536)
                writer.write(
                    b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
                    b"Connection: close\r\n\r\n"
                )
                await writer.drain()
                return
            if mode == "delay":
                await asyncio.sleep(self.rng.uniform(0.02, 0.2))
            up_r, up_w = await asyncio.open_connection("127.0.0.1", self.upstream_port)
            try:
                if mode == "cut":
                    limit: int | None = self.rng.randint(1, 400)
                elif mode == "error_after":
                    limit = 0
                else:
                    limit = None
                await asyncio.gather(
                    self._pipe(reader, up_w, None, upstream=True),
                    self._answer(up_r, writer, limit, mode),
                )
            finally:
                up_w.close()
        except (ConnectionError, OSError, asyncio.IncompleteReadError):
            pass
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    async def _pipe(
        self,
        src: asyncio.StreamReader,
        dst: asyncio.StreamWriter,
        limit: int | None,
        *,
        upstream: bool = False,
    ) -> None:
        with contextlib.suppress(ConnectionError, OSError):
            while True:
                data = await src.read(65536)
                if not data:
                    break
                if upstream and self.cut_up_at is not None:
                    room = self.cut_up_at - self.bytes_up
                    if room < len(data):
                        dst.write(data[: max(room, 0)])
                        await dst.drain()
                        self.bytes_up += max(room, 0)
                        self.cut_up_at = None
                        self.counts["cut_up"] += 1
                        dst.close()
                        return
                if upstream:
                    self.bytes_up += len(data)
                dst.write(data)
                await dst.drain()
            dst.write_eof() if dst.can_write_eof() else None

    async def _answer(
        self, src: asyncio.StreamReader, dst: asyncio.StreamWriter, limit: int | None, mode: str
    ) -> None:
        if mode == "stall":
            data = await src.read(65536)
            await asyncio.sleep(1.0)
            dst.write(data)
            await dst.drain()
            await self._pipe(src, dst, None)
            return
        if limit is None:
            await self._pipe(src, dst, None)
            return
        data = await src.read(65536)  # the server has handled the request by now
        if mode == "error_after":
            dst.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        else:
            dst.write(data[:limit])
        await dst.drain()
        dst.close()


def env_is_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")
