"""Piccolo app for enrolments into cohorts, their waitlists and offers."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from core.enrolment.tables import Enrolment

APP_CONFIG = AppConfig(
    app_name="essaim_enrolment",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[Enrolment],
    migration_dependencies=[
        "core.cohorts.piccolo_app",
        "core.learners.piccolo_app",
        "core.applications.piccolo_app",
    ],
)
