"""Piccolo app for the learners' personal links and the satisfaction survey."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from core.surveys.tables import LearnerLink, SurveyAnswer

APP_CONFIG = AppConfig(
    app_name="essaim_surveys",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[LearnerLink, SurveyAnswer],
    migration_dependencies=[
        "core.enrolment.piccolo_app",
        "core.learners.piccolo_app",
    ],
)
