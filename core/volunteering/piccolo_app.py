"""Piccolo app for volunteers."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from core.volunteering.tables import Volunteer

APP_CONFIG = AppConfig(
    app_name="essaim_volunteering",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[Volunteer],
    migration_dependencies=["core.learners.piccolo_app"],
)
