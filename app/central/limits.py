"""Request limits that run before FastAPI parses a body or looks a token up.

Why a plain ASGI layer: FastAPI reads and parses the JSON body before it resolves the auth
dependency, so a 50 MB body from anyone would be parsed before its 401. Here the size is
checked from Content-Length (or counted while buffering a chunked body) and the caller's
request rate is checked per bearer token, both before the application sees the request.
"""

from __future__ import annotations

import hashlib
import math
import os
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: A push batch of 1,000 ordinary events is about 1.5 MB at most; the desk sends 500.
MAX_BODY_BYTES = 1024 * 1024


@dataclass(frozen=True)
class RateLimit:
    """A token bucket per desk token: `per_second` sustained, `burst` at once."""

    per_second: float = 20.0
    burst: int = 200

    @classmethod
    def from_env(cls) -> RateLimit | None:
        """ONESTOP_CENTRAL_RATE="off" or "PER_SECOND[,BURST]"; generous by default.

        The buckets live in each worker process, so with ONESTOP_CENTRAL_WORKERS=N (the
        number given to uvicorn --workers) each worker keeps 1/N of the budget: a desk
        never gets more than the configured rate in all, and at least 1/N of it when all
        its requests land on one worker (docs/central.md, "Limits").
        """
        raw = os.environ.get("ONESTOP_CENTRAL_RATE", "").strip()
        if raw.lower() in ("off", "0", "none"):
            return None
        rate, burst = cls.per_second, cls.burst
        if raw:
            rate_text, _, burst_text = raw.partition(",")
            rate, burst = float(rate_text), int(burst_text) if burst_text else cls.burst
        workers = max(1, int(os.environ.get("ONESTOP_CENTRAL_WORKERS", "1") or 1))
        return cls(rate / workers, max(1, burst // workers))


def max_body_from_env() -> int:
    return int(os.environ.get("ONESTOP_CENTRAL_MAX_BODY", str(MAX_BODY_BYTES)))


async def _answer(send: Send, status: int, detail: str, headers: dict[str, str]) -> None:
    body = ('{"detail":"' + detail + '"}').encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.encode(), v.encode()) for k, v in headers.items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


class Limits:
    """Refuse oversized bodies (413) and too many requests per token (429, Retry-After)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body: int = MAX_BODY_BYTES,
        rate: RateLimit | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.max_body = max_body
        self.rate = rate
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def _retry_after(self, key: str) -> float:
        """0 when the request may go ahead, else the seconds until it may."""
        assert self.rate is not None
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.get(key, (float(self.rate.burst), now))
            tokens = min(float(self.rate.burst), tokens + (now - last) * self.rate.per_second)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return 0.0
            self._buckets[key] = (tokens, now)
            if len(self._buckets) > 100_000:  # forget idle callers, bounded memory
                self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < 60}
            return (1.0 - tokens) / self.rate.per_second

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                await _answer(send, 400, "Content-Length is not a number.", {})
                return
            if declared > self.max_body:
                await _answer(send, 413, self._too_big(), {"Connection": "close"})
                return
        auth = headers.get(b"authorization")
        if self.rate is not None and auth:
            key = hashlib.sha256(auth).hexdigest()
            if str(scope.get("path", "")).startswith("/v1/files/"):
                key += ":files"  # file chunks: their own bucket, not the events' allowance
            wait = self._retry_after(key)
            if wait > 0:
                await _answer(
                    send,
                    429,
                    "Too many requests from this desk; retry after the given seconds.",
                    {"Retry-After": str(max(1, math.ceil(wait)))},
                )
                return
        if length is None and scope.get("method") in ("POST", "PUT", "PATCH"):
            # A chunked body: read it here, up to the limit, and hand it on whole.
            chunks: list[bytes] = []
            size = 0
            more = True
            while more:
                message = await receive()
                if message["type"] != "http.request":
                    return  # the client went away
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > self.max_body:
                    await _answer(send, 413, self._too_big(), {"Connection": "close"})
                    return
                chunks.append(chunk)
                more = message.get("more_body", False)
            body = b"".join(chunks)
            sent = False

            async def replay() -> Message:
                nonlocal sent
                if not sent:
                    sent = True
                    return {"type": "http.request", "body": body, "more_body": False}
                return await receive()

            await self.app(scope, replay, send)
            return
        await self.app(scope, receive, send)

    def _too_big(self) -> str:
        return (
            f"The request body is larger than {self.max_body} bytes; send fewer events per batch."
        )
