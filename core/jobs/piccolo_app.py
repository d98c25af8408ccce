"""Piccolo app for timed jobs."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from core.jobs.tables import Job

APP_CONFIG = AppConfig(
    app_name="essaim_jobs",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[Job],
    migration_dependencies=[],
)
