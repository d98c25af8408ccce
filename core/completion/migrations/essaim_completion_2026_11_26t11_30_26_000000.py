"""One attestation counter per site and year: the database refuses a second, so that two
concurrent completions never share a number."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-26T11:30:26:000000"
VERSION = "1.38.0"
DESCRIPTION = "attestation counter unique per site and year"

_INDEXES = {
    "attestation_counter_site_year": "attestation_counter (site, year)",
}


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="essaim_completion", description=DESCRIPTION
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
