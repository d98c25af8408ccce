"""One outcome per enrolment and checkpoint: the database refuses a second."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-26T11:31:56:000000"
VERSION = "1.38.0"
DESCRIPTION = "outcome unique per enrolment and checkpoint"

_INDEXES = {
    "outcome_enrolment_checkpoint": "outcome (enrolment, checkpoint)",
}


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="essaim_outcomes", description=DESCRIPTION
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
