"""Piccolo app for accounts and credentials."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from core.auth.tables import (
    Account,
    AccountCohort,
    AccountLink,
    AccountSite,
    Credential,
    LoginFailure,
)

APP_CONFIG = AppConfig(
    app_name="essaim_auth",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[Account, AccountSite, AccountCohort, Credential, LoginFailure, AccountLink],
    migration_dependencies=["core.cohorts.piccolo_app"],
)
