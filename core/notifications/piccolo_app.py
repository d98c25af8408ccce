"""Piccolo app for the messages sent to learners."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from core.notifications.tables import AccountMessage, Message

APP_CONFIG = AppConfig(
    app_name="essaim_notifications",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[Message, AccountMessage],
    migration_dependencies=["core.learners.piccolo_app", "core.auth.piccolo_app"],
)
