"""The funnel's monthly summary: one row per site, program and month, filled from the
application facts already there."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-26T14:39:24:000000"
VERSION = "1.38.0"
DESCRIPTION = "funnel monthly summary: unique key and backfill"

_COUNTS = ("eligible", "admitted", "waitlisted", "enrolled", "withdrawn", "completed", "certified")


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="essaim_reporting", description=DESCRIPTION
    )

    async def create_key_and_fill():
        engine = engine_finder()
        await engine.run_ddl(
            "CREATE UNIQUE INDEX IF NOT EXISTS report_funnel_month_key "
            "ON report_funnel_month (site, program, month)"
        )
        sums = ", ".join(f"SUM(CASE WHEN {name} THEN 1 ELSE 0 END)" for name in _COUNTS)
        await engine.run_ddl(
            f"INSERT INTO report_funnel_month (site, program, month, applications, "
            f"{', '.join(_COUNTS)}) SELECT site, program, month, COUNT(*), {sums} "
            "FROM report_application GROUP BY site, program, month"
        )

    async def drop_key():
        await engine_finder().run_ddl("DROP INDEX IF EXISTS report_funnel_month_key")

    manager.add_raw(create_key_and_fill)
    manager.add_raw_backwards(drop_key)
    return manager
