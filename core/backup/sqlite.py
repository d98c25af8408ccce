"""Copy and load a SQLite database through SQLite's online backup API.

The backup API copies a consistent snapshot while Essaim runs, and writes into the target in
one transaction: a load that fails leaves the previous database as it was.
"""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from pathlib import Path

from core.backup.errors import BackupError
from core.backup.manifest import Engine, Migrations
from core.backup.migrations import MIGRATION_TABLE
from core.db.sqlite_pool import BUSY_TIMEOUT_SECONDS


def applied_migrations(connection: sqlite3.Connection, label: str) -> Migrations:
    """The migrations recorded in the database of ``connection``, by app."""
    try:
        rows = connection.execute(
            f"SELECT app_name, name FROM {MIGRATION_TABLE} ORDER BY app_name, name"
        ).fetchall()
    except sqlite3.OperationalError:
        raise BackupError(
            f"{label} has no Essaim tables: run `essaim migrate` first, or check ESSAIM_VAR_DIR"
        ) from None
    migrations: Migrations = {}
    for app, name in rows:
        migrations.setdefault(app, []).append(name)
    return migrations


class SQLiteDatabase:
    """The SQLite file Essaim uses when no database URL is set."""

    engine: Engine = "sqlite"
    data_name = "essaim.sqlite3"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.label = f"the SQLite database {path}"

    async def dump(self, destination: Path) -> Migrations:
        """Copy the database to ``destination``; the migrations applied in the copy."""
        return await asyncio.to_thread(self._dump, destination)

    def _dump(self, destination: Path) -> Migrations:
        if not self.path.is_file():
            raise BackupError(f"no SQLite database at {self.path}: check ESSAIM_VAR_DIR")
        with (
            closing(sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS)) as source,
            closing(sqlite3.connect(destination)) as copy,
        ):
            source.backup(copy)
            # The copy inherits WAL mode; a backup is one self-contained file.
            copy.execute("PRAGMA journal_mode=DELETE")
            return applied_migrations(copy, self.label)

    async def contents(self) -> dict[str, int]:
        """Rows in each table that has any, Piccolo's migration table aside."""
        return await asyncio.to_thread(self._contents)

    def _contents(self) -> dict[str, int]:
        if not self.path.is_file():
            return {}
        with closing(sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS)) as connection:
            tables = [
                name
                for (name,) in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%' ORDER BY name"
                )
                if name != MIGRATION_TABLE
            ]
            counts = {
                table: connection.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
                for table in tables
            }
        return {table: count for table, count in counts.items() if count}

    async def load(self, source: Path) -> None:
        """Replace the whole database with the copy at ``source``, in one transaction."""
        await asyncio.to_thread(self._load, source)

    def _load(self, source: Path) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with (
            closing(sqlite3.connect(source)) as copy,
            closing(sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS)) as target,
        ):
            target.execute("PRAGMA journal_mode=WAL")
            try:
                copy.backup(target)
            except sqlite3.DatabaseError as exc:
                raise BackupError(
                    f"SQLite could not load the backup: {exc}; nothing was restored"
                ) from None
