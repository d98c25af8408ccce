"""The configured database, as the backup and the restore see it, whichever its engine."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from core.backup.manifest import Engine, Migrations
from core.backup.postgres import PostgresDatabase
from core.backup.sqlite import SQLiteDatabase
from core.settings import Settings


class Database(Protocol):
    """One engine's way to copy and to load a whole database."""

    engine: Engine
    data_name: str
    """The file name of the copy inside a backup."""
    label: str
    """Which database, for messages: never a password."""

    async def dump(self, destination: Path) -> Migrations:
        """Copy the database to ``destination``; the migrations applied in the copy."""
        ...

    async def contents(self) -> dict[str, int]:
        """Rows in each table that has any, Piccolo's migration table aside."""
        ...

    async def load(self, source: Path) -> None:
        """Replace the database with the copy at ``source``: all of it, or nothing."""
        ...


def configured_database(settings: Settings) -> Database:
    """The database ``settings`` name: PostgreSQL when a URL is set, else the SQLite file."""
    if settings.uses_postgres:
        return PostgresDatabase(settings.database_url)
    return SQLiteDatabase(settings.sqlite_path)
