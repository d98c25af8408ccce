"""The SQLite connection pool: bounded, reused, safe under cancellation, pinned to Piccolo."""

import asyncio
import inspect
import subprocess
import sys
import threading
from importlib.metadata import version

import aiosqlite
import pytest
from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction

from core.cohorts.tables import Cohort
from core.db.sqlite_pool import PooledSQLiteEngine, PooledSQLiteTransaction

pytestmark = pytest.mark.usefixtures("db_settings")


def _sqlite_only(engine_name: str) -> None:
    if engine_name != "sqlite":
        pytest.skip("the pool is SQLite's; PostgreSQL uses asyncpg's")


def test_piccolo_internals_the_pool_overrides_are_unchanged():
    """Fails when a Piccolo upgrade changes what core/db/sqlite_pool.py overrides."""
    assert version("piccolo") == "1.38.0", "re-read core/db/sqlite_pool.py against this Piccolo"
    assert list(inspect.signature(SQLiteEngine._run_in_new_connection).parameters) == [
        "self",
        "query",
        "args",
        "query_type",
        "table",
    ]
    for name in ("_parent", "_committed", "_rolled_back", "connection", "context"):
        assert name in SQLiteTransaction.__slots__
    assert issubclass(PooledSQLiteTransaction, SQLiteTransaction)
    assert version("aiosqlite") == "0.22.1", "re-check the daemon thread in get_connection"
    pending = aiosqlite.connect(":memory:")
    assert isinstance(pending._thread, threading.Thread) and not pending._thread.is_alive()


def test_a_forgotten_pool_does_not_keep_the_process_alive(tmp_path):
    script = (
        "import asyncio, pathlib, sys\n"
        "from core.db.engine import sqlite_engine\n"
        "engine = sqlite_engine(pathlib.Path(sys.argv[1]))\n"
        "asyncio.run(engine.run_ddl('SELECT 1'))\n"  # leaves an idle pooled connection
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "db.sqlite3")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def _threads() -> int:
    return sum(1 for t in threading.enumerate() if "_connection_worker_thread" in t.name)


async def test_queries_reuse_a_bounded_set_of_connections(engine_name):
    _sqlite_only(engine_name)
    engine = Cohort._meta.db
    assert isinstance(engine, PooledSQLiteEngine)
    before = _threads()
    await asyncio.gather(*(Cohort.count() for _ in range(50)))
    assert _threads() - before <= 4


async def test_a_failed_transaction_rolls_back_and_frees_its_connection(engine_name):
    _sqlite_only(engine_name)
    engine = Cohort._meta.db
    with pytest.raises(RuntimeError):
        async with engine.transaction():
            await Cohort.insert(_cohort())
            raise RuntimeError("boom")
    assert await Cohort.count() == 0
    async with engine.transaction():
        await Cohort.insert(_cohort())
    assert await Cohort.count() == 1


async def test_cancelled_transactions_leak_no_connection(engine_name):
    _sqlite_only(engine_name)
    engine = Cohort._meta.db
    before = _threads()
    started = asyncio.Event()

    async def write() -> None:
        async with engine.transaction():
            await Cohort.insert(_cohort())
            started.set()
            await asyncio.Event().wait()  # the client goes away here

    for _ in range(50):
        started.clear()
        task = asyncio.create_task(write())
        await started.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert await Cohort.count() == 0
    assert _threads() - before <= 4


async def test_concurrent_writers_all_commit(engine_name):
    _sqlite_only(engine_name)
    engine = Cohort._meta.db

    async def write(n: int) -> None:
        async with engine.transaction():
            await Cohort.insert(_cohort(title=f"c{n}"))

    await asyncio.gather(*(write(n) for n in range(20)))
    assert await Cohort.count() == 20


def _cohort(title: str = "c") -> Cohort:
    from datetime import date

    return Cohort(
        site="paris",
        program="atelier",
        track="initiation",
        title=title,
        starts_on=date(2027, 1, 4),
        ends_on=date(2027, 2, 4),
        capacity=10,
    )
