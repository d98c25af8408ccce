"""Piccolo app for the erasure log and the restricted store of proof documents."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from core.privacy.tables import Erasure, RestrictedDocument

APP_CONFIG = AppConfig(
    app_name="essaim_privacy",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[Erasure, RestrictedDocument],
    migration_dependencies=[],
)
