"""Piccolo app for the audit trail."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from core.audit.tables import AuditEntry

APP_CONFIG = AppConfig(
    app_name="essaim_audit",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[AuditEntry],
    migration_dependencies=[],
)
