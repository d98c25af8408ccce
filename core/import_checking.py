"""A spreadsheet's rows read and checked in batches, one batch ahead of the import writing
them: in a thread for a small file, in a process of its own for a large one.

An import's checks (parsing, validation, record rules, keys) are Python, and so is most of
what the database driver does: a thread only takes turns with the writer for the
interpreter, and a 100,000-row import spent half its time checking. A process checks on the
other core while this one writes. It reads the file itself and sends each checked batch
through a pipe, which holds the checker back to a batch or two ahead; should the importer
stop or die, the checker's next send fails and it ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
from collections.abc import AsyncIterator, Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

from core.imports import batches
from core.sheets import Row, Sheet

T = TypeVar("T")

PROCESS_FROM_BYTES = 4_000_000
"""A file of this size or more (some 30,000 learners) is checked in a process: below it,
starting one (a fresh interpreter importing Essaim, about 1.7 s) costs more than it saves
(10,000 learners on SQLite: 2.0 s through a process, about 1.3 s through the thread)."""


@contextlib.asynccontextmanager
async def checked_batches(
    path: Path, check: Callable[[list[Row]], T], batch_size: int
) -> AsyncIterator[AsyncIterator[T]]:
    """The rows of the spreadsheet at ``path``, ``batch_size`` at a time, each through
    ``check``, while the caller works on the one before.

    ``check`` runs in a process for a file of ``PROCESS_FROM_BYTES`` or more, and must then
    be picklable (a module's function, or a ``functools.partial`` of one); its exceptions,
    a SheetError say, are raised here. Leaving the block stops the checking.
    """
    if (await asyncio.to_thread(path.stat)).st_size >= PROCESS_FROM_BYTES:
        batches_of = _in_process(path, check, batch_size)
    else:
        batches_of = _in_thread(path, check, batch_size)
    async with contextlib.aclosing(batches_of):
        yield batches_of


async def _ahead(receive: Callable[[], T | None]) -> AsyncIterator[T]:
    """Each value ``receive`` returns until None, the next one asked for in a thread while
    the caller uses this one."""
    upcoming = asyncio.ensure_future(asyncio.to_thread(receive))
    try:
        while (value := await upcoming) is not None:
            upcoming = asyncio.ensure_future(asyncio.to_thread(receive))
            yield value
    finally:
        await asyncio.wait([upcoming])


async def _in_thread(
    path: Path, check: Callable[[list[Row]], T], batch_size: int
) -> AsyncIterator[T]:
    with Sheet(path) as sheet:
        chunks = batches(sheet.rows(), batch_size)

        def next_checked() -> T | None:
            batch = next(chunks, None)
            return None if batch is None else check(batch)

        # The file stays open until the thread is done with it (``_ahead`` waits for it).
        async with contextlib.aclosing(_ahead(next_checked)) as checked_ones:
            async for checked in checked_ones:
                yield checked


def _check_in_process(
    path: Path, check: Callable[[list[Row]], Any], batch_size: int, sending: Connection
) -> None:
    """The checking process: each checked batch sent, then None, or the error that stopped
    it; nothing more once the importer is gone."""
    try:
        with Sheet(path) as sheet:
            for batch in batches(sheet.rows(), batch_size):
                sending.send(check(batch))
        sending.send(None)
    except BrokenPipeError:
        pass  # the importer stopped reading: it has what it wanted, or died
    except Exception as exc:
        with contextlib.suppress(BrokenPipeError):
            sending.send(exc)
    finally:
        sending.close()


async def _in_process(
    path: Path, check: Callable[[list[Row]], T], batch_size: int
) -> AsyncIterator[T]:
    # "spawn": a fresh interpreter; forking a process that runs threads and an event loop
    # copies their locks in whatever state they are.
    context = multiprocessing.get_context("spawn")
    receiving, sending = context.Pipe(duplex=False)
    checker = context.Process(
        target=_check_in_process, args=(path, check, batch_size, sending), daemon=True
    )
    checker.start()
    sending.close()

    def receive() -> T | None:
        try:
            received = receiving.recv()
        except EOFError:
            raise RuntimeError(f"the process checking {path.name} stopped") from None
        if isinstance(received, BaseException):
            raise received
        return received

    try:
        async with contextlib.aclosing(_ahead(receive)) as checked_ones:
            async for checked in checked_ones:
                yield checked
    finally:
        if checker.is_alive():
            checker.kill()  # stopped early: the checker may be waiting to send
        await asyncio.to_thread(checker.join)
        receiving.close()
