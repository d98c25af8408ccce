"""Piccolo app for DIGITOUS's tables; its migrations run after core's enrolment app."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from core.plugin.tables import ENROLMENT_APP
from plugins.digitous.tables import CodeReview, Placement, TutorEvaluation

APP_CONFIG = AppConfig(
    app_name="digitous",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[CodeReview, Placement, TutorEvaluation],
    migration_dependencies=[ENROLMENT_APP],
)
