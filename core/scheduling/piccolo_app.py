"""Piccolo app for the sessions of cohorts."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from core.scheduling.tables import Availability, CalendarFeed, SessionVolunteer, TrainingSession

APP_CONFIG = AppConfig(
    app_name="essaim_scheduling",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[TrainingSession, CalendarFeed, SessionVolunteer, Availability],
    migration_dependencies=["core.cohorts.piccolo_app", "core.volunteering.piccolo_app"],
)
