"""Restore a backup into the configured database, after checking everything about it.

In order: the file (an Essaim backup, of this engine, with a schema this code knows, its data
matching its checksum), then the target (empty, unless forced), then the load in one
transaction, then the steps that bring the restored data up to date, on the restored
database, in order: the migrations newer than the backup, then the erasure log replayed (the
log of the database replaced, read before the load, and the backup's own), so that an old
backup brings no erased person back (``core.privacy.replay``). Nothing is written before every
check has passed.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Callable
from pathlib import Path

import msgspec
import structlog

from core.backup.archive import extract_data, read_manifest
from core.backup.engines import Database, configured_database
from core.backup.errors import BackupError
from core.backup.manifest import ENGINE_NAMES, Manifest
from core.backup.migrations import known_migrations, pending_after_restore
from core.db.engine import connect
from core.db.migrate import migrate
from core.plugins import PluginHost
from core.privacy.replay import logged_erasures, replay
from core.settings import Settings

log = structlog.get_logger(__name__)


class Restored(msgspec.Struct, frozen=True, kw_only=True):
    """What a restore did."""

    manifest: Manifest
    migrations_applied: int
    """Migrations of the installed code that the backup did not have, applied after it."""
    erasures_replayed: int = 0
    """Learners of the erasure log the backup still held, erased again."""


def _silent(message: str) -> None:
    """Progress messages nobody reads."""


def _check_engine(archive: Path, manifest: Manifest, database: Database) -> None:
    if manifest.engine != database.engine:
        raise BackupError(
            f"{archive} is a backup of a {ENGINE_NAMES[manifest.engine]} database and the "
            f"configured database is {database.label}: restore it where Essaim runs on "
            f"{ENGINE_NAMES[manifest.engine]}"
        )
    if manifest.data != database.data_name:
        raise BackupError(f"{archive} is damaged: its manifest names no {database.data_name}")


def _describe(contents: dict[str, int]) -> str:
    return ", ".join(f"{table} ({count})" for table, count in contents.items())


async def restore_backup(
    settings: Settings,
    host: PluginHost,
    archive: Path,
    *,
    force: bool = False,
    progress: Callable[[str], None] = _silent,
) -> Restored:
    """Replace the configured database with the backup file ``archive``.

    BackupError, with the database untouched, when the file is no Essaim backup, is damaged,
    is of the other engine or of a schema this code does not know, or when the database holds
    rows and ``force`` is false.
    """
    database = configured_database(settings)
    progress(f"Checking {archive}...")
    manifest = await asyncio.to_thread(read_manifest, archive)
    _check_engine(archive, manifest, database)
    pending = pending_after_restore(manifest.migrations, known_migrations(host))
    with tempfile.TemporaryDirectory(prefix="essaim-restore-") as folder:
        data = Path(folder) / database.data_name
        await asyncio.to_thread(extract_data, archive, manifest, data)
        if not force and (contents := await database.contents()):
            raise BackupError(
                f"{database.label} is not empty, its tables hold rows: {_describe(contents)}; "
                "restoring replaces all of it: add --force to do so"
            )
        async with connect(settings, host):
            erasures = await logged_erasures()
        progress(f"Restoring the backup of {manifest.created_at:%Y-%m-%d %H:%M} UTC...")
        await database.load(data)
    async with connect(settings, host) as engine:
        if pending:
            progress(f"Applying {len(pending)} migration(s) newer than the backup...")
            await migrate(engine, host)
        replayed = await replay(host, erasures)
    if replayed:
        progress(f"Erased again {replayed} learner(s) of the erasure log.")
    log.info(
        "database_restored",
        engine=database.engine,
        migrations_applied=len(pending),
        erasures_replayed=replayed,
    )
    return Restored(manifest=manifest, migrations_applied=len(pending), erasures_replayed=replayed)
