"""Piccolo app for the web pages' own table: the public forms' guard."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from core.web.tables import FormSubmission

APP_CONFIG = AppConfig(
    app_name="essaim_web",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[FormSubmission],
    migration_dependencies=[],
)
