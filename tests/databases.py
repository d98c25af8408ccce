"""Fresh test databases on either engine: migrate once into a template, then copy it per test."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg

from core.db.engine import connect
from core.db.migrate import migrate
from core.plugins import PluginHost
from core.settings import Settings

ENGINES = ("sqlite", "postgres")
POSTGRES_ADMIN_URL = os.environ.get(
    "ESSAIM_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def postgres_url(database: str) -> str:
    """The URL of ``database`` on the test server."""
    base, _, _ = POSTGRES_ADMIN_URL.rpartition("/")
    return f"{base}/{database}"


async def admin_execute(statement: str) -> None:
    """Run ``statement`` on the test server's maintenance database."""
    connection = await asyncpg.connect(POSTGRES_ADMIN_URL, timeout=5)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def _migrate(settings: Settings, host: PluginHost) -> None:
    async with connect(settings, host) as engine:
        await migrate(engine, host)


def postgres_unreachable_reason() -> str | None:
    """None when the test server answers, else why it does not."""
    try:
        asyncio.run(admin_execute("SELECT 1"))
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        return f"PostgreSQL at {POSTGRES_ADMIN_URL} is unreachable: {exc}"
    return None


@dataclass
class TemplateCache:
    """Migrated template databases, one per engine and set of Piccolo apps, made on first use."""

    root: Path
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    _made: dict[tuple[str, tuple[str, ...]], str] = field(default_factory=dict)
    _counter: int = 0

    def template(self, engine_name: str, host: PluginHost, apps: tuple[str, ...]) -> str:
        """The template for this engine and app set: a file path or a database name."""
        key = (engine_name, apps)
        if key not in self._made:
            index = len(self._made)
            if engine_name == "sqlite":
                path = self.root / f"template-{index}" / "essaim.sqlite3"
                settings = Settings(var_dir=path.parent)
                asyncio.run(_migrate(settings, host))
                self._made[key] = str(path)
            else:
                name = f"essaim_tpl_{self.run_id}_{index}"
                asyncio.run(admin_execute(f'CREATE DATABASE "{name}"'))
                settings = Settings(database_url=postgres_url(name))
                asyncio.run(_migrate(settings, host))
                self._made[key] = name
        return self._made[key]

    def fresh(self, engine_name: str, host: PluginHost, apps: tuple[str, ...]) -> Settings:
        """Settings pointing at a new copy of the template."""
        template = self.template(engine_name, host, apps)
        self._counter += 1
        if engine_name == "sqlite":
            target = self.root / f"db-{self._counter}" / "essaim.sqlite3"
            target.parent.mkdir(parents=True)
            with sqlite3.connect(template) as source, sqlite3.connect(target) as copy:
                source.backup(copy)
            return Settings(var_dir=target.parent)
        name = f"essaim_test_{self.run_id}_{self._counter}"
        asyncio.run(admin_execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
        return Settings(database_url=postgres_url(name))

    def drop(self, settings: Settings) -> None:
        """Remove a copy made by ``fresh``."""
        if settings.uses_postgres:
            name = settings.database_url.rpartition("/")[2]
            asyncio.run(admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        else:
            for path in settings.var_dir.glob("essaim.sqlite3*"):
                path.unlink()

    def drop_templates(self) -> None:
        """Remove every PostgreSQL template this run made."""
        for (engine_name, _), name in self._made.items():
            if engine_name == "postgres":
                asyncio.run(admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
