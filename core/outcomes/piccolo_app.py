"""Piccolo app for outcomes: what becomes of learners after they leave a cohort."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from core.outcomes.tables import Outcome

APP_CONFIG = AppConfig(
    app_name="essaim_outcomes",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[Outcome],
    migration_dependencies=[
        "core.enrolment.piccolo_app",
        "core.learners.piccolo_app",
    ],
)
