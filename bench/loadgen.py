"""A small HTTP/1.1 keep-alive load generator on asyncio streams, for loopback benchmarks.

httpx spent about 3 ms of client CPU a request on the 2-core benchmark machine, several times
what a bare Litestar endpoint costs the server, so an httpx-driven benchmark measured httpx:
the bare endpoint "served" about 300 requests/s through httpx and about 1,300 through this.
This client writes a prepared request and reads the status line, the headers and a
``Content-Length`` body, nothing more (no chunked bodies: Litestar does not send them here).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

HOST = "127.0.0.1"


class LoadError(Exception):
    """A request failed or answered something other than 200."""


@dataclass(frozen=True, slots=True)
class Endpoint:
    """A GET request to send again and again."""

    label: str
    port: int
    path: str
    headers: tuple[tuple[str, str], ...] = ()

    def request(self) -> bytes:
        """The request bytes, keep-alive."""
        lines = [
            f"GET {self.path} HTTP/1.1",
            f"Host: {HOST}:{self.port}",
            "User-Agent: essaim-bench",
            "Accept: application/json",
            *(f"{name}: {value}" for name, value in self.headers),
        ]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


@dataclass(slots=True)
class Sample:
    """Latencies (seconds) and the wall time spent driving one endpoint."""

    latencies: list[float] = field(default_factory=list)
    elapsed: float = 0.0

    def figures(self) -> dict[str, float]:
        """Requests, requests per second and latency percentiles in milliseconds."""
        ordered = sorted(self.latencies)
        rps = len(ordered) / self.elapsed if self.elapsed else 0.0
        return {
            "requests": len(ordered),
            "seconds": round(self.elapsed, 3),
            "rps": round(rps, 1),
            "p50_ms": round(percentile(ordered, 50) * 1000, 3),
            "p95_ms": round(percentile(ordered, 95) * 1000, 3),
            "p99_ms": round(percentile(ordered, 99) * 1000, 3),
        }


def percentile(ordered: list[float], pct: float) -> float:
    """Nearest-rank percentile of an ascending list; 0 when empty."""
    if not ordered:
        return 0.0
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


class _Connection:
    """One keep-alive connection, reopened when the server has closed it."""

    def __init__(self, port: int, timeout: float) -> None:
        self._port = port
        self._timeout = timeout
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def fetch(self, request: bytes) -> int:
        """Send ``request``, read the whole answer, return its status."""
        for attempt in range(2):
            if self._reader is None or self._reader.at_eof():
                await self._open()
            try:
                return await self._exchange(request)
            except (asyncio.IncompleteReadError, ConnectionError) as exc:
                self.close()
                if attempt:
                    raise LoadError(f"port {self._port}: connection lost: {exc!r}") from exc
        raise AssertionError("unreachable")

    async def _open(self) -> None:
        async with asyncio.timeout(self._timeout):
            self._reader, self._writer = await asyncio.open_connection(HOST, self._port)

    async def _exchange(self, request: bytes) -> int:
        assert self._reader is not None and self._writer is not None
        self._writer.write(request)
        async with asyncio.timeout(self._timeout):
            head = await self._reader.readuntil(b"\r\n\r\n")
            status, length, close = _parse_head(head)
            await self._reader.readexactly(length)
        if close:
            self.close()
        return status

    def close(self) -> None:
        """Close the socket; the next fetch reopens it."""
        if self._writer is not None:
            self._writer.close()
        self._reader = self._writer = None


def _parse_head(head: bytes) -> tuple[int, int, bool]:
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    status = int(status_line.split(" ", 2)[1])
    length: int | None = None
    close = False
    for line in header_lines:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "connection":
            close = value.strip().lower() == "close"
        elif name == "transfer-encoding":
            raise LoadError(f"unsupported transfer-encoding {value.strip()!r}")
    if length is None:
        raise LoadError(f"status {status}: answer without Content-Length")
    return status, length, close


class Driver:
    """A few persistent connections to one endpoint, driven for bounded slices."""

    def __init__(self, endpoint: Endpoint, connections: int, timeout: float = 10.0) -> None:
        self.endpoint = endpoint
        self._request = endpoint.request()
        self._connections = [_Connection(endpoint.port, timeout) for _ in range(connections)]

    async def run_slice(self, max_requests: int, max_seconds: float, sample: Sample | None) -> None:
        """Send at most ``max_requests`` requests, for at most about ``max_seconds``.

        Every connection sends its next request as soon as its previous answer is read.
        Latencies and elapsed time go to ``sample`` unless it is None (a warm-up).
        """
        started = time.perf_counter()
        deadline = started + max_seconds
        budget = [max_requests]

        async def worker(connection: _Connection) -> None:
            while budget[0] > 0 and time.perf_counter() < deadline:
                budget[0] -= 1
                sent = time.perf_counter()
                status = await connection.fetch(self._request)
                if status != 200:
                    raise LoadError(f"{self.endpoint.label}: status {status}")
                if sample is not None:
                    sample.latencies.append(time.perf_counter() - sent)

        await asyncio.gather(*(worker(connection) for connection in self._connections))
        if sample is not None:
            sample.elapsed += time.perf_counter() - started

    def close(self) -> None:
        """Close every connection."""
        for connection in self._connections:
            connection.close()
