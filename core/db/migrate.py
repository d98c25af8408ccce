"""Apply core's and every plugin's migrations, in dependency order."""

from __future__ import annotations

import contextlib
import io

import structlog
from piccolo.apps.migrations.commands.forwards import run_forwards
from piccolo.engine.base import Engine

from core.db.engine import bind
from core.plugins import PluginHost

log = structlog.get_logger(__name__)


class MigrationError(Exception):
    """A migration failed; the database is left at the last migration that succeeded."""


async def migrate(engine: Engine, host: PluginHost, *, verbose: bool = False) -> None:
    """Run every migration not yet applied, for core's apps and every plugin's."""
    bind(engine, host)
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        result = await run_forwards(app_name="all")
    if verbose:
        print(output.getvalue(), end="")
    if not result.success:
        raise MigrationError(result.message or output.getvalue())
    log.info("migrations_applied")
