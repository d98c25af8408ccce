"""A volunteer is booked once per session: the database refuses a second row."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-26T10:14:17:000000"
VERSION = "1.38.0"
DESCRIPTION = "unique volunteer per session"

_INDEXES = {
    "session_volunteer_session_volunteer": "session_volunteer (session, volunteer)",
}


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="essaim_scheduling", description=DESCRIPTION
    )

    async def create_indexes():
        engine = engine_finder()
        for name, target in _INDEXES.items():
            await engine.run_ddl(f"CREATE UNIQUE INDEX IF NOT EXISTS {name} ON {target}")

    async def drop_indexes():
        for name in _INDEXES:
            await engine_finder().run_ddl(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
