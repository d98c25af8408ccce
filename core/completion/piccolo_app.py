"""Piccolo app for completion: assessment results, decisions and attestation numbers."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from core.completion.tables import AssessmentResult, AttestationCounter, Completion

APP_CONFIG = AppConfig(
    app_name="essaim_completion",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[AssessmentResult, Completion, AttestationCounter],
    migration_dependencies=[
        "core.enrolment.piccolo_app",
        "core.learners.piccolo_app",
        "core.cohorts.piccolo_app",
    ],
)
