"""Migrations: idempotent, and safe when several processes start at once."""

import asyncio

import pytest
from piccolo.apps.migrations.tables import Migration

from core.db.engine import connect
from core.db.migrate import migrate
from core.settings import Settings
from tests.databases import admin_execute, postgres_url


async def test_migrating_twice_changes_nothing(db_settings, plugin_host):
    before = await Migration.count()
    async with connect(db_settings, plugin_host) as engine:
        await migrate(engine, plugin_host)
    assert before > 0
    assert await Migration.count() == before


@pytest.mark.postgres_only("advisory locks serialise migrations across processes")
async def test_concurrent_migrations_take_turns(engine_name, plugin_host):
    name = "essaim_migrate_race"
    await admin_execute(f'DROP DATABASE IF EXISTS "{name}"')
    await admin_execute(f'CREATE DATABASE "{name}"')
    settings = Settings(database_url=postgres_url(name))
    try:
        async with (
            connect(settings, plugin_host) as first,
            connect(settings, plugin_host) as second,
        ):
            await asyncio.gather(migrate(first, plugin_host), migrate(second, plugin_host))
            rows = await Migration.select(Migration.app_name, Migration.name)
        applied = [(row["app_name"], row["name"]) for row in rows]
        assert applied and len(applied) == len(set(applied)), "each migration applied once"
    finally:
        await admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
