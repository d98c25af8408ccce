"""One mid-term and one final evaluation per placement: the database refuses a second, so
that two concurrent requests never record the same evaluation twice."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-26T11:44:15:000000"
VERSION = "1.38.0"
DESCRIPTION = "tutor evaluation unique per placement and stage"

_INDEXES = {
    "digitous_tutor_evaluation_placement_stage": "digitous_tutor_evaluation (placement, stage)",
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="digitous", description=DESCRIPTION)

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
