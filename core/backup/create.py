"""Take a backup: copy the configured database into one file with its manifest.

Everything is written in a temporary folder beside the destination, then renamed: a backup
that fails leaves no file under the final name.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import structlog

from core.backup.archive import checksum, write_archive
from core.backup.engines import configured_database
from core.backup.errors import BackupError
from core.backup.manifest import Engine, Manifest, essaim_version
from core.settings import Settings

log = structlog.get_logger(__name__)


def default_name(engine: Engine, now: datetime) -> str:
    """The file name a backup gets in a folder: ``essaim-sqlite-20261126T143000Z.tar``."""
    return f"essaim-{engine}-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}.tar"


def _destination(output: Path, name: str) -> Path:
    """The file to write: ``output``, or ``name`` in it when it is a folder; never one that
    exists already."""
    if output.is_dir():
        output = output / name
    if output.exists():
        raise BackupError(f"{output} already exists: choose another --output")
    output.parent.mkdir(parents=True, exist_ok=True)
    return output


def _silent(message: str) -> None:
    """Progress messages nobody reads."""


async def create_backup(
    settings: Settings,
    output: Path,
    *,
    now: datetime,
    progress: Callable[[str], None] = _silent,
) -> tuple[Path, Manifest]:
    """Back up the configured database to ``output`` (a folder gets a dated file name).

    Returns the file written and its manifest. BackupError when ``output`` exists already or
    the database cannot be copied.
    """
    database = configured_database(settings)
    output = await asyncio.to_thread(_destination, output, default_name(database.engine, now))
    progress(f"Copying {database.label}...")
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".essaim-backup-") as folder:
        data = Path(folder) / database.data_name
        migrations = await database.dump(data)
        sha256, size = await asyncio.to_thread(checksum, data)
        manifest = Manifest(
            engine=database.engine,
            created_at=now.astimezone(UTC),
            essaim_version=essaim_version(),
            migrations=migrations,
            data=database.data_name,
            size=size,
            sha256=sha256,
        )
        progress(f"Writing {output}...")
        archive = Path(folder) / "backup.tar"
        await asyncio.to_thread(write_archive, archive, manifest, data)
        os.replace(archive, output)
    log.info("backup_created", engine=database.engine, size=size)
    return output, manifest
