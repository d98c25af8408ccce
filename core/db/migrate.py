"""Apply core's and every plugin's migrations, in dependency order, one process at a time."""

from __future__ import annotations

import contextlib
import io
from collections.abc import AsyncIterator

import asyncpg
import structlog
from piccolo.apps.migrations.commands.forwards import run_forwards
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine

from core.db.engine import bind
from core.plugins import PluginHost

log = structlog.get_logger(__name__)

MIGRATION_LOCK = 7_301_924_001
"""PostgreSQL advisory lock key held while migrating, so that app servers started together
take turns instead of creating the same tables twice."""


class MigrationError(Exception):
    """A migration failed; the database is left at the last migration that succeeded."""


@contextlib.asynccontextmanager
async def _exclusive(engine: Engine) -> AsyncIterator[None]:
    """Hold the migration lock on PostgreSQL; SQLite serialises writers by itself."""
    if not isinstance(engine, PostgresEngine):
        yield
        return
    connection = await asyncpg.connect(**engine.config)
    try:
        await connection.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK)
        yield
    finally:
        await connection.close()  # ends the session, which releases the lock


async def migrate(engine: Engine, host: PluginHost, *, verbose: bool = False) -> None:
    """Run every migration not yet applied, for core's apps and every plugin's."""
    bind(engine, host)
    output = io.StringIO()
    async with _exclusive(engine):
        try:
            with contextlib.redirect_stdout(output):
                result = await run_forwards(app_name="all")
        except Exception as exc:
            raise MigrationError(f"a migration failed: {type(exc).__name__}: {exc}") from exc
    if verbose:
        print(output.getvalue(), end="")
    if not result.success:
        raise MigrationError(result.message or output.getvalue())
    log.info("migrations_applied")
