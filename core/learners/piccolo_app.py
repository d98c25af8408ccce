"""Piccolo app for learner records."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from core.learners.tables import Learner

APP_CONFIG = AppConfig(
    app_name="essaim_learners",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[Learner],
    migration_dependencies=[],
)
