"""Piccolo app for DIGISTART's website submissions and reviews; runs after core's enrolments."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from core.plugin.tables import ENROLMENT_APP
from plugins.digistart.tables import WebsiteReview, WebsiteSubmission

APP_CONFIG = AppConfig(
    app_name="digistart",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[WebsiteSubmission, WebsiteReview],
    migration_dependencies=[ENROLMENT_APP],
)
