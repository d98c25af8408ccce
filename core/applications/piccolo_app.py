"""Piccolo app for applications, their history, eligibility checks and placement results."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from core.applications.tables import (
    Application,
    ApplicationEvent,
    EligibilityCheck,
    EligibilityFinding,
    PlacementResult,
)

APP_CONFIG = AppConfig(
    app_name="essaim_applications",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[
        Application,
        EligibilityCheck,
        EligibilityFinding,
        ApplicationEvent,
        PlacementResult,
    ],
    migration_dependencies=[
        "core.learners.piccolo_app",
        "core.cohorts.piccolo_app",
        "core.auth.piccolo_app",
    ],
)
