"""Piccolo app for learner records and their consents."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from core.learners.tables import Consent, Learner

APP_CONFIG = AppConfig(
    app_name="essaim_learners",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[Learner, Consent],
    migration_dependencies=[],
)
