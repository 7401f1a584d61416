"""A minimal HTTP/1.1 keep-alive client for the load benches (asyncio streams, orjson).

Why not httpx: its AsyncClient spent about 6 ms of CPU per request here, more than the
server's own cost for the no-op endpoint, so a generator built on it measured itself. This
speaks just what the central answers (Content-Length bodies, keep-alive) over real sockets;
anything else it gets (chunked, a closed connection) is an error the bench counts.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlsplit

import orjson


class HTTPError(Exception):
    """The connection failed or the answer was not one this client understands."""


class _Conn:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    def close(self) -> None:
        self.writer.close()


class RawClient:
    """Up to `max_connections` keep-alive connections to one host; a request waits for a
    free one (that wait counts in the caller's latency, as a desk's would)."""

    def __init__(self, base_url: str, max_connections: int = 100, timeout: float = 120) -> None:
        parts = urlsplit(base_url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.timeout = timeout
        self._idle: list[_Conn] = []
        self._slots = asyncio.Semaphore(max_connections)
        self._host_header = f"{self.host}:{self.port}".encode()

    async def __aenter__(self) -> RawClient:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        for c in self._idle:
            c.close()
        self._idle.clear()

    async def request(
        self,
        method: str,
        path: str,
        *,
        headers: dict[str, str] | None = None,
        json: Any = None,
    ) -> tuple[int, bytes]:
        """(status, body) of one request."""
        body = orjson.dumps(json) if json is not None else b""
        head = [f"{method} {path} HTTP/1.1".encode(), b"Host: " + self._host_header]
        for k, v in (headers or {}).items():
            head.append(f"{k}: {v}".encode())
        if json is not None:
            head.append(b"Content-Type: application/json")
        head.append(b"Content-Length: " + str(len(body)).encode())
        raw = b"\r\n".join(head) + b"\r\n\r\n" + body
        async with self._slots:
            conn = self._idle.pop() if self._idle else None
            try:
                if conn is None:
                    r, w = await asyncio.wait_for(
                        asyncio.open_connection(self.host, self.port), self.timeout
                    )
                    conn = _Conn(r, w)
                conn.writer.write(raw)
                status, answer, keep = await asyncio.wait_for(self._read(conn), self.timeout)
            except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError) as exc:
                if conn is not None:
                    conn.close()
                raise HTTPError(type(exc).__name__) from exc
            if keep:
                self._idle.append(conn)
            else:
                conn.close()
            return status, answer

    @staticmethod
    async def _read(conn: _Conn) -> tuple[int, bytes, bool]:
        head = await conn.reader.readuntil(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        length = None
        keep = True
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection" and value.strip().lower() == b"close":
                keep = False
            elif name == b"transfer-encoding":
                raise ValueError("chunked answers are not expected from the central")
        if length is None:
            raise ValueError("an answer without Content-Length")
        return status, await conn.reader.readexactly(length), keep

    async def get(
        self, path: str, *, params: dict[str, str] | None = None, headers: dict[str, str]
    ) -> tuple[int, bytes]:
        if params:
            path += "?" + "&".join(f"{k}={v}" for k, v in params.items())
        return await self.request("GET", path, headers=headers)

    async def post(self, path: str, *, json: Any, headers: dict[str, str]) -> tuple[int, bytes]:
        return await self.request("POST", path, json=json, headers=headers)
