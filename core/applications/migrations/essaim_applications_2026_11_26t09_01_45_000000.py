"""An application's import key is unique per site: importing the same row twice adds nothing."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-26T09:01:45:000000"
VERSION = "1.38.0"
DESCRIPTION = "application import key unique per site"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="essaim_applications", description=DESCRIPTION
    )

    # Several NULLs (applications not imported) are allowed by a unique index on both engines.
    async def create_index():
        await engine_finder().run_ddl(
            "CREATE UNIQUE INDEX IF NOT EXISTS application_site_import_key "
            "ON application (site, import_key)"
        )

    async def drop_index():
        await engine_finder().run_ddl("DROP INDEX IF EXISTS application_site_import_key")

    manager.add_raw(create_index)
    manager.add_raw_backwards(drop_index)
    return manager
