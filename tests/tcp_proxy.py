"""A TCP proxy on loopback that can drop every connection it carries and refuse new ones:
the database "going away" for one application, without touching the shared server.

It runs its own event loop in a thread, so that it keeps forwarding while the test's loop is
blocked (Piccolo asks the server's version synchronously when an engine is made)."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from concurrent.futures import Future


class DroppingProxy:
    """Forwards ``127.0.0.1:<port>`` to ``target``; ``cut`` drops every connection and
    refuses new ones until ``restore``."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.down = False
        self._writers: set[asyncio.StreamWriter] = set()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None

    def _run(self, coroutine: object) -> object:
        future: Future[object] = asyncio.run_coroutine_threadsafe(coroutine, self._loop)  # type: ignore[arg-type]
        return future.result(timeout=10)

    def start(self) -> int:
        """Listen on a free loopback port; the port."""
        self._thread.start()

        async def listen() -> asyncio.Server:
            return await asyncio.start_server(self._accept, "127.0.0.1", 0)

        self._server = self._run(listen())  # type: ignore[assignment]
        assert self._server is not None
        return self._server.sockets[0].getsockname()[1]

    async def _accept(
        self, client_reader: asyncio.StreamReader, client: asyncio.StreamWriter
    ) -> None:
        if self.down:
            client.close()
            return
        server_reader, server = await asyncio.open_connection(*self.target)
        self._writers |= {client, server}
        await asyncio.gather(self._pipe(client_reader, server), self._pipe(server_reader, client))

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()
        self._writers.discard(writer)

    async def _cut(self) -> None:
        self.down = True
        for writer in list(self._writers):
            writer.close()
        self._writers.clear()

    def cut(self) -> None:
        """Drop every connection now and refuse the next ones."""
        self._run(self._cut())

    def restore(self) -> None:
        """Accept connections again."""
        self.down = False

    def close(self) -> None:
        """Drop what is left, stop listening and stop the thread."""
        self.cut()
        if self._server is not None:
            self._server.close()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
