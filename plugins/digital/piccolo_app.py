"""Piccolo app for DIGITAL's certification tables; their migrations run after core's."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from core.plugin.tables import ENROLMENT_APP, LEARNER_APP
from plugins.digital.tables import Certificate, ExamCandidate, ExamSession, ModuleAttempt

APP_CONFIG = AppConfig(
    app_name="digital",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[ExamSession, ExamCandidate, ModuleAttempt, Certificate],
    migration_dependencies=[LEARNER_APP, ENROLMENT_APP],
)
