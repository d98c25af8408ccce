"""Piccolo app for the sessions of cohorts."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from core.scheduling.tables import CalendarFeed, TrainingSession

APP_CONFIG = AppConfig(
    app_name="essaim_scheduling",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[TrainingSession, CalendarFeed],
    migration_dependencies=["core.cohorts.piccolo_app"],
)
