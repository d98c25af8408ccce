"""Build the database engine from settings and bind every table to it."""

from __future__ import annotations

import importlib
import os
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from piccolo.apps.migrations.tables import Migration
from piccolo.conf.apps import AppConfig, AppRegistry
from piccolo.engine.base import Engine

from core.db import piccolo_conf
from core.db.postgres import PooledConnection, ReleasingPostgresEngine
from core.db.sqlite_pool import PooledSQLiteEngine
from core.plugins import PluginHost
from core.reporting.facts import use_certifications
from core.settings import Settings

# Piccolo finds its configuration module through this variable.
os.environ.setdefault("PICCOLO_CONF", "core.db.piccolo_conf")

CORE_APPS = (
    "core.cohorts.piccolo_app",
    "core.learners.piccolo_app",
    "core.auth.piccolo_app",
    "core.jobs.piccolo_app",
    "core.audit.piccolo_app",
    "core.applications.piccolo_app",
    "core.notifications.piccolo_app",
    "core.enrolment.piccolo_app",
    "core.volunteering.piccolo_app",
    "core.scheduling.piccolo_app",
    "core.attendance.piccolo_app",
    "core.completion.piccolo_app",
    "core.reporting.piccolo_app",
    "core.outcomes.piccolo_app",
    "core.privacy.piccolo_app",
    "core.web.piccolo_app",
    "core.surveys.piccolo_app",
)
"""Core's Piccolo apps; plugins' apps come after them, from the ``essaim_piccolo_apps`` hook."""


def make_engine(settings: Settings) -> Engine:
    """PostgreSQL when the settings name one, else the SQLite file (WAL mode)."""
    if settings.uses_postgres:
        return ReleasingPostgresEngine(
            config={"dsn": settings.database_url, "connection_class": PooledConnection}
        )
    return sqlite_engine(settings.sqlite_path)


def sqlite_engine(path: Path) -> PooledSQLiteEngine:
    """A SQLite engine on ``path``, created in WAL mode so that readers never wait for writers."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
    # Piccolo turns foreign keys on for every connection it opens.
    return PooledSQLiteEngine(path=str(path))


@asynccontextmanager
async def connect(settings: Settings, host: PluginHost) -> AsyncIterator[Engine]:
    """The engine for ``settings``, bound to every table, its pool open for the block."""
    engine = make_engine(settings)
    bind(engine, host)
    await engine.start_connection_pool()
    try:
        yield engine
    finally:
        await engine.close_connection_pool()


def app_config_of(module: str) -> AppConfig:
    """The ``APP_CONFIG`` of a ``piccolo_app`` module."""
    return importlib.import_module(module).APP_CONFIG


def app_modules(host: PluginHost) -> list[str]:
    """Core's Piccolo apps followed by every installed plugin's."""
    return [*CORE_APPS, *host.piccolo_apps()]


def bind(engine: Engine, host: PluginHost) -> AppRegistry:
    """Point Piccolo's configuration and every table of every app at ``engine``, and the
    report facts at the programs' certificates."""
    registry = AppRegistry(apps=app_modules(host))
    piccolo_conf.DB = engine  # type: ignore[attr-defined]
    piccolo_conf.APP_REGISTRY = registry  # type: ignore[attr-defined]
    Migration._meta.db = engine
    for app_config in registry.app_configs.values():
        for table in app_config.table_classes:
            table._meta.db = engine
    use_certifications([item.certified for item in host.indicators() if item.certified])
    return registry
