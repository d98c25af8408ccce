"""Index the cohort list: a site's cohorts, newest start first (the order the API pages in)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-26T07:05:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "cohort list index by site and start date"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="essaim_cohorts", description=DESCRIPTION)

    # The engine is looked up when the migration runs, so that one process can migrate
    # several databases (tests do); a module-level Table would keep the first one.
    async def create_index():
        await engine_finder().run_ddl(
            "CREATE INDEX IF NOT EXISTS cohort_site_starts_on ON cohort (site, starts_on, id)"
        )

    async def drop_index():
        await engine_finder().run_ddl("DROP INDEX IF EXISTS cohort_site_starts_on")

    manager.add_raw(create_index)
    manager.add_raw_backwards(drop_index)
    return manager
