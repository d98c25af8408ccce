"""Duplicate detection by name leads with the name key: a batch asks for many names at once.

The index on (birth_date, name_key) served one person at a time; a bulk import's batch asks
``name_key IN (...)`` for 500 names and compares birth dates itself, which only an index
leading with the name key answers without scanning the table.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-26T08:55:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "learner duplicate index leads with the name key"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="essaim_learners", description=DESCRIPTION
    )

    async def swap_index():
        engine = engine_finder()
        await engine.run_ddl(
            "CREATE INDEX IF NOT EXISTS learner_name_key_birth_date "
            "ON learner (name_key, birth_date)"
        )
        await engine.run_ddl("DROP INDEX IF EXISTS learner_birth_date_name_key")

    async def swap_back():
        engine = engine_finder()
        await engine.run_ddl(
            "CREATE INDEX IF NOT EXISTS learner_birth_date_name_key "
            "ON learner (birth_date, name_key)"
        )
        await engine.run_ddl("DROP INDEX IF EXISTS learner_name_key_birth_date")

    manager.add_raw(swap_index)
    manager.add_raw_backwards(swap_back)
    return manager
