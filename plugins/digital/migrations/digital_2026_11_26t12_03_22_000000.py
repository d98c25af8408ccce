"""One candidacy per session and enrolment, one attempt per enrolment, module, syllabus, day
and test centre (so that a result sheet imported twice adds nothing), one certificate per
number: the database refuses a second."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-26T12:03:22:000000"
VERSION = "1.38.0"
DESCRIPTION = "unique candidates, attempts and certificate numbers"

_INDEXES = {
    "digital_exam_candidate_session_enrolment": "digital_exam_candidate (exam_session, enrolment)",
    "digital_module_attempt_key": (
        "digital_module_attempt (enrolment, module, syllabus, taken_on, test_centre)"
    ),
    "digital_certificate_number": "digital_certificate (number)",
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="digital", description=DESCRIPTION)

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
