"""The databases a benchmark runs on: a PostgreSQL database of its own, an engine's pool."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import AsyncIterator

import asyncpg
from piccolo.engine.base import Engine

POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


async def postgres_unreachable() -> str | None:
    """Why PostgreSQL cannot be used (the benchmark skips it then), or None."""
    try:
        connection = await asyncpg.connect(POSTGRES_ADMIN_URL, timeout=3)
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        return f"PostgreSQL at {POSTGRES_ADMIN_URL} is unreachable: {exc}"
    await connection.close()
    return None


async def _admin(statement: str) -> None:
    connection = await asyncpg.connect(POSTGRES_ADMIN_URL, timeout=5)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@contextlib.asynccontextmanager
async def postgres_database() -> AsyncIterator[str]:
    """The URL of a database ``essaim_bench_<random>`` created for the block, dropped after."""
    name = f"essaim_bench_{secrets.token_hex(4)}"
    await _admin(f'CREATE DATABASE "{name}"')
    try:
        yield f"{POSTGRES_ADMIN_URL.rpartition('/')[0]}/{name}"
    finally:
        await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.asynccontextmanager
async def pool_of(engine: Engine) -> AsyncIterator[None]:
    """Open the engine's pool for the block when its class has one (as the app's lifespan)."""
    pooled = type(engine).start_connection_pool is not Engine.start_connection_pool
    if pooled:
        await engine.start_connection_pool()
    try:
        yield
    finally:
        if pooled:
            await engine.close_connection_pool()
