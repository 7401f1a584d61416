"""HTTP client of the central service (httpx), with errors the sync loop can act on."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
import orjson

API = "/v1"


class SyncError(Exception):
    """Base of sync failures."""


class SyncUnavailable(SyncError):
    """The central service could not be reached or did not answer properly: retry later."""


class CentralError(SyncUnavailable):
    """The central service answered, with a server error (5xx) or "too many requests" (429).

    It is reachable, so this is not "offline": the status says "central error" and the
    round goes on with the steps that may still work (a failing push must not stop pulls).
    """

    def __init__(self, status_code: int, message: str, retry_after_s: float | None = None):
        super().__init__(message)
        self.status_code = status_code
        self.retry_after_s = retry_after_s


class SyncRefused(SyncError):
    """The central service refused this desk (token revoked or wrong office): re-pair."""

    def __init__(self, status_code: int, message: str) -> None:
        super().__init__(message)
        self.status_code = status_code


class CursorGone(SyncError):
    """410: the pull cursor expired; the desk re-syncs its office from the start."""


def _detail(resp: httpx.Response) -> str:
    try:
        data = resp.json()
        return str(data.get("detail", data))
    except ValueError:
        return resp.text[:200]


def _retry_after(resp: httpx.Response) -> float | None:
    try:
        return max(0.0, float(resp.headers.get("Retry-After", "")))
    except ValueError:
        return None


def _check(resp: httpx.Response) -> None:
    """The error an answer means, as the sync loop acts on it (nothing when it is good)."""
    if resp.status_code in (401, 403):
        raise SyncRefused(resp.status_code, _detail(resp))
    if resp.status_code >= 500 or resp.status_code in (408, 429):
        raise CentralError(
            resp.status_code,
            f"central service answered {resp.status_code}: {_detail(resp)}"[:300],
            _retry_after(resp),
        )
    if resp.status_code >= 400:
        raise SyncError(
            f"central service refused the request ({resp.status_code}): {_detail(resp)}"
        )


class CentralClient:
    """One desk's connection to the central service."""

    def __init__(
        self,
        url: str,
        token: str,
        *,
        timeout: float = 30.0,
        verify: bool | str = True,
        keepalive: bool | None = None,
        clock: Any = None,
    ) -> None:
        if keepalive is None:  # ONESTOP_SYNC_KEEPALIVE=0: one connection per request
            keepalive = os.environ.get("ONESTOP_SYNC_KEEPALIVE", "1") != "0"
        self.url = url.rstrip("/")
        self._http = httpx.Client(
            base_url=self.url,
            headers={"Authorization": f"Bearer {token}", "User-Agent": "onestop-desk/1"},
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            verify=verify,
            limits=httpx.Limits(max_keepalive_connections=None if keepalive else 0),
        )
        #: central − desk, seconds, from the last answer (None before any answer).
        self.last_skew_s: float | None = None
        #: Where it came from: "date" (the HTTP header) or "server_time" (finer).
        self.last_skew_source: str | None = None
        #: The desk's clock (injectable: the clock guard is tested with a wrong one).
        self.clock = clock or (lambda: datetime.now(UTC))

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> CentralClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def raw(self, method: str, path: str, *, ok: tuple[int, ...] = (), **kw: Any) -> httpx.Response:
        """A request whose answer is not parsed here (digitised files); errors as for the
        others, except the status codes in `ok`, handed back for the caller to read."""
        try:
            resp = self._http.request(method, API + path, **kw)
        except httpx.HTTPError as exc:
            raise SyncUnavailable(
                f"central service unreachable: {type(exc).__name__}: {exc}"
            ) from exc
        if resp.status_code not in ok:
            _check(resp)
        return resp

    @contextmanager
    def stream(self, path: str, headers: dict[str, str]) -> Iterator[httpx.Response]:
        """A streamed GET (a file's bytes); a cut while reading is SyncUnavailable."""
        try:
            with self._http.stream("GET", API + path, headers=headers) as resp:
                if resp.status_code >= 400:
                    resp.read()
                    _check(resp)
                yield resp
        except httpx.HTTPError as exc:
            raise SyncUnavailable(
                f"central service unreachable: {type(exc).__name__}: {exc}"
            ) from exc

    def _request(self, method: str, path: str, **kw: Any) -> dict[str, Any]:
        sent = self.clock()
        try:
            resp = self._http.request(method, API + path, **kw)
        except httpx.HTTPError as exc:  # connect/read/write errors, timeouts, cut responses
            raise SyncUnavailable(
                f"central service unreachable: {type(exc).__name__}: {exc}"
            ) from exc
        got = self.clock()
        # Every answer measures the central's clock, errors included (a refused or failing
        # desk must still learn that its clock is a day off): the HTTP Date header first,
        # then the JSON `server_time` of a good answer, which is finer (below).
        self._measure_date(resp, sent, got)
        if resp.status_code in (401, 403):
            raise SyncRefused(resp.status_code, _detail(resp))
        if resp.status_code == 410:
            raise CursorGone(_detail(resp))
        if resp.status_code >= 500 or resp.status_code in (408, 429):
            raise CentralError(
                resp.status_code,
                f"central service answered {resp.status_code}: {_detail(resp)}"[:300],
                _retry_after(resp),
            )
        if resp.status_code >= 400:
            raise SyncError(
                f"central service refused the request ({resp.status_code}): {_detail(resp)}"
            )
        try:
            # orjson in C (a pull page is megabytes); what it does not read (a lone
            # surrogate escape, NaN, a huge integer) the standard parser reads as before.
            data: dict[str, Any] = orjson.loads(resp.content)
        except ValueError:
            try:
                data = resp.json()
            except ValueError as exc:
                raise SyncUnavailable("central service answer was not complete JSON") from exc
        if not isinstance(data, dict):
            raise SyncUnavailable("central service answer was not a JSON object")
        server_time = data.get("server_time")
        if isinstance(server_time, str):
            try:
                st = datetime.fromisoformat(server_time)
            except ValueError:
                st = None
            if st is not None and st.tzinfo is not None:
                self.last_skew_s = (st - (sent + (got - sent) / 2)).total_seconds()
                self.last_skew_source = "server_time"
        return data

    def _measure_date(self, resp: httpx.Response, sent: datetime, got: datetime) -> None:
        """central − desk from the answer's Date header (RFC 9110: whole seconds, so the
        central's time is taken as the middle of that second)."""
        try:
            at = parsedate_to_datetime(resp.headers.get("date", ""))
        except (TypeError, ValueError, IndexError):
            return
        if at is None or at.tzinfo is None:
            return
        at += timedelta(seconds=0.5)
        self.last_skew_s = (at - (sent + (got - sent) / 2)).total_seconds()
        self.last_skew_source = "date"

    def health(self) -> dict[str, Any]:
        return self._request("GET", "/health")

    def desk(self) -> dict[str, Any]:
        return self._request("GET", "/desk")

    def push(self, events: list[dict[str, Any]]) -> dict[str, Any]:
        body = {"events": events, "sent_at": datetime.now(UTC).isoformat()}
        return self._request("POST", "/events", json=body)

    def pull(self, cursor: str | None, limit: int = 1000) -> dict[str, Any]:
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["after"] = cursor
        return self._request("GET", "/events", params=params)

    def document(self, kind: str, have: str | None = None) -> dict[str, Any] | None:
        """The latest published document, None if nothing is published."""
        try:
            return self._request("GET", f"/{kind}", params={"have": have} if have else None)
        except SyncError as exc:
            if "404" in str(exc):
                return None
            raise

    def code_blocks(
        self,
        days: list[date],
        *,
        size: int = 50,
        in_use: dict[date, int] | None = None,
        held: dict[date, list[tuple[int, int]]] | None = None,
    ) -> dict[str, Any]:
        """New blocks (`blocks`) and held blocks another desk also holds (`conflicts`)."""
        body = {
            "days": [d.isoformat() for d in days],
            "size": size,
            "in_use": {d.isoformat(): n for d, n in (in_use or {}).items()},
            "held": {d.isoformat(): [list(b) for b in bs] for d, bs in (held or {}).items()},
        }
        return self._request("POST", "/code-blocks", json=body)
