"""The audit trail refuses updates and deletes; index it by target and by time."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-26T07:19:31:000000"
VERSION = "1.38.0"
DESCRIPTION = "audit entries append-only (triggers); indexes by target and by time"

_MESSAGE = "audit entries are append-only"

_SQLITE = [
    f"CREATE TRIGGER IF NOT EXISTS audit_entry_no_{verb} BEFORE {verb.upper()} ON audit_entry "
    f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END"
    for verb in ("update", "delete")
]
_POSTGRES = [
    "CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger "
    f"LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{_MESSAGE}'; END $$",
    "CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry "
    "FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()",
]
_INDEXES = [
    "CREATE INDEX IF NOT EXISTS audit_entry_target ON audit_entry (target_type, target_id, at)",
    "CREATE INDEX IF NOT EXISTS audit_entry_at ON audit_entry (at, id)",
]


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="essaim_audit", description=DESCRIPTION
    )

    # The engine is looked up when the migration runs, so that one process can migrate
    # several databases (tests do).
    async def append_only_and_indexed():
        engine = engine_finder()
        statements = _POSTGRES if engine.engine_type == "postgres" else _SQLITE
        for statement in [*statements, *_INDEXES]:
            await engine.run_ddl(statement)

    async def drop():
        engine = engine_finder()
        if engine.engine_type == "postgres":
            await engine.run_ddl("DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_entry")
            await engine.run_ddl("DROP FUNCTION IF EXISTS audit_entry_append_only()")
        else:
            for verb in ("update", "delete"):
                await engine.run_ddl(f"DROP TRIGGER IF EXISTS audit_entry_no_{verb}")
        for name in ("audit_entry_target", "audit_entry_at"):
            await engine.run_ddl(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(append_only_and_indexed)
    manager.add_raw_backwards(drop)
    return manager
