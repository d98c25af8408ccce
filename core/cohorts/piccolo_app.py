"""Piccolo app for cohorts."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from core.cohorts.tables import Cohort

APP_CONFIG = AppConfig(
    app_name="essaim_cohorts",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[Cohort],
    migration_dependencies=[],
)
