"""Index the learner list: a site's learners by name (the order the API pages in)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-26T07:05:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "learner list index by site and name"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="essaim_learners", description=DESCRIPTION
    )

    # The engine is looked up when the migration runs, so that one process can migrate
    # several databases (tests do); a module-level Table would keep the first one.
    async def create_index():
        await engine_finder().run_ddl(
            "CREATE INDEX IF NOT EXISTS learner_site_name "
            "ON learner (site, last_name, first_name, id)"
        )

    async def drop_index():
        await engine_finder().run_ddl("DROP INDEX IF EXISTS learner_site_name")

    manager.add_raw(create_index)
    manager.add_raw_backwards(drop_index)
    return manager
