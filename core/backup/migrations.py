"""A backup's schema against the installed code's: what to apply after a restore, or refuse."""

from __future__ import annotations

from piccolo.apps.migrations.commands.base import BaseMigrationManager
from piccolo.apps.migrations.tables import Migration

from core.backup.errors import BackupError
from core.backup.manifest import Migrations
from core.db.engine import app_config_of, app_modules
from core.plugins import PluginHost

MIGRATION_TABLE: str = Migration._meta.tablename
"""Piccolo's record of applied migrations: in every migrated database, and not data."""
_SHOWN = 3


def known_migrations(host: PluginHost) -> Migrations:
    """Every migration of core's apps and of the installed plugins' apps, by app name."""
    finder = BaseMigrationManager()
    known: Migrations = {}
    for module in app_modules(host):
        config = app_config_of(module)
        known[config.app_name] = sorted(finder.get_migration_modules(config.migrations_folder_path))
    return known


def pending_after_restore(backup: Migrations, known: Migrations) -> list[tuple[str, str]]:
    """The (app, migration) pairs the code has and the backup lacks, applied after a restore.

    A backup with a migration the code does not know (a newer Essaim, a plugin not installed
    here) is refused: its schema cannot be brought back to this code's.
    """
    unknown = [
        f"{app} {name}"
        for app, names in sorted(backup.items())
        for name in names
        if name not in known.get(app, ())
    ]
    if unknown:
        more = f" and {len(unknown) - _SHOWN} more" if len(unknown) > _SHOWN else ""
        raise BackupError(
            "the backup was made by a newer Essaim or with plugins not installed here: "
            f"unknown migration(s) {', '.join(unknown[:_SHOWN])}{more}; install that version "
            "and those plugins, then restore"
        )
    return [
        (app, name)
        for app, names in sorted(known.items())
        for name in names
        if name not in backup.get(app, ())
    ]
