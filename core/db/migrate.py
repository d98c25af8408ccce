"""Apply core's and every plugin's migrations, in dependency order, one process at a time."""

from __future__ import annotations

import contextlib
import io
from collections.abc import AsyncIterator

import asyncpg
import structlog
from piccolo.apps.migrations.commands.base import BaseMigrationManager
from piccolo.apps.migrations.commands.forwards import run_forwards
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine

from core.db.engine import CORE_APPS, app_config_of, bind
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


def migration_order() -> list[str]:
    """The bound registry's apps in Piccolo's dependency order, every core app before any plugin's.

    A plugin's migrations may then rely on all of core's tables, whichever core apps its
    ``migration_dependencies`` happen to name.
    """
    core = {app_config_of(module).app_name for module in CORE_APPS}
    ordered = BaseMigrationManager().get_sorted_app_names()
    return [name for name in ordered if name in core] + [
        name for name in ordered if name not in core
    ]


async def migrate(engine: Engine, host: PluginHost, *, verbose: bool = False) -> None:
    """Run every migration not yet applied, core's apps first, then every plugin's."""
    bind(engine, host)
    output = io.StringIO()
    async with _exclusive(engine):
        for app_name in migration_order():
            try:
                with contextlib.redirect_stdout(output):
                    result = await run_forwards(app_name=app_name)
            except Exception as exc:
                raise MigrationError(
                    f"a migration of {app_name} failed: {type(exc).__name__}: {exc}"
                ) from exc
            if not result.success:
                raise MigrationError(result.message or output.getvalue())
    if verbose:
        print(output.getvalue(), end="")
    log.info("migrations_applied")
