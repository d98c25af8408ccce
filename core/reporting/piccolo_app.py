"""Piccolo app for report facts."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from core.reporting.tables import ApplicationFact, EnrolmentFact, FunnelMonth

APP_CONFIG = AppConfig(
    app_name="essaim_reporting",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[ApplicationFact, EnrolmentFact, FunnelMonth],
    migration_dependencies=["core.applications.piccolo_app", "core.enrolment.piccolo_app"],
)
