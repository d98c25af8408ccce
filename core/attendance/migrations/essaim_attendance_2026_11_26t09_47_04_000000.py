"""One mark per session and learner, one signature per half-day and signer, one flag per
kind and learner of a cohort: the database refuses a second."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-26T09:47:04:000000"
VERSION = "1.38.0"
DESCRIPTION = "attendance unique marks, signatures and flags"

_INDEXES = {
    "attendance_mark_session_learner": "attendance_mark (session, learner)",
    "signature_learner_half_day": "signature (session, half_day, learner) WHERE learner IS NOT NULL",
    "signature_account_half_day": "signature (session, half_day, account) WHERE account IS NOT NULL",
    "attendance_flag_cohort_learner_kind": "attendance_flag (cohort, learner, kind)",
}


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="essaim_attendance", description=DESCRIPTION
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
