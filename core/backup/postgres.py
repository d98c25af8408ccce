"""Copy and load a PostgreSQL database with pg_dump, pg_restore and psql.

The copy is ``pg_dump --format=custom`` of a snapshot whose migrations are read in the same
transaction. The load runs in one transaction through psql: every table of the schema is
dropped, then pg_restore's script recreates the backup's; psql stops at the first error and
the transaction commits only when pg_restore wrote its whole script, so that a failed load
leaves the previous database as it was.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg

from core.backup.errors import BackupError
from core.backup.manifest import Engine, Migrations
from core.backup.migrations import MIGRATION_TABLE
from core.backup.pgtools import describe, failure, find_programs, libpq_target, run

CONNECT_TIMEOUT = 10
_CHUNK = 1 << 16

_EMPTY_THE_SCHEMA = b"""\
SET client_min_messages = warning;
BEGIN;
DO $$
DECLARE item record;
BEGIN
  FOR item IN SELECT schemaname, tablename FROM pg_tables WHERE schemaname = current_schema()
  LOOP
    EXECUTE format('DROP TABLE IF EXISTS %I.%I CASCADE', item.schemaname, item.tablename);
  END LOOP;
END $$;
"""
"""Opens the load's transaction and drops every table, those the backup does not have too
(a newer migration's, a plugin's installed since): the database becomes the backup's."""


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class PostgresDatabase:
    """The PostgreSQL database ``ESSAIM_DATABASE_URL`` names."""

    engine: Engine = "postgresql"
    data_name = "essaim.pgdump"

    def __init__(self, url: str) -> None:
        self.url = url
        self.label = describe(url)

    async def dump(self, destination: Path) -> Migrations:
        """Copy the database to ``destination``; the migrations applied in the copy."""
        [pg_dump] = find_programs("pg_dump")
        dsn, environment = libpq_target(self.url)
        connection = await asyncpg.connect(self.url, timeout=CONNECT_TIMEOUT)
        try:
            async with connection.transaction(isolation="repeatable_read", readonly=True):
                snapshot = await connection.fetchval("SELECT pg_export_snapshot()")
                migrations = await self._migrations(connection)
                await run(
                    pg_dump,
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    f"--file={destination}",
                    f"--dbname={dsn}",
                    environment=environment,
                )
        finally:
            await connection.close()
        return migrations

    async def _migrations(self, connection: asyncpg.Connection) -> Migrations:
        if await connection.fetchval("SELECT to_regclass($1)", MIGRATION_TABLE) is None:
            raise BackupError(
                f"{self.label} has no Essaim tables: run `essaim migrate` first, "
                "or check ESSAIM_DATABASE_URL"
            )
        rows = await connection.fetch(
            f"SELECT app_name, name FROM {MIGRATION_TABLE} ORDER BY app_name, name"
        )
        migrations: Migrations = {}
        for row in rows:
            migrations.setdefault(row["app_name"], []).append(row["name"])
        return migrations

    async def contents(self) -> dict[str, int]:
        """Rows in each table that has any, Piccolo's migration table aside."""
        connection = await asyncpg.connect(self.url, timeout=CONNECT_TIMEOUT)
        try:
            tables = await connection.fetch(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                "ORDER BY tablename"
            )
            counts = {
                row["tablename"]: await connection.fetchval(
                    f"SELECT count(*) FROM {_quoted(row['tablename'])}"
                )
                for row in tables
                if row["tablename"] != MIGRATION_TABLE
            }
        finally:
            await connection.close()
        return {table: count for table, count in counts.items() if count}

    async def load(self, source: Path) -> None:
        """Replace every table with the copy at ``source``, in one transaction."""
        pg_restore, psql = find_programs("pg_restore", "psql")
        dsn, environment = libpq_target(self.url)
        # --clean drops what the tables' drop left: the functions the backup recreates.
        script = await asyncio.create_subprocess_exec(
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-acl",
            "--file=-",
            str(source),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        apply = await asyncio.create_subprocess_exec(
            psql,
            "--no-psqlrc",
            "--quiet",
            "--set=ON_ERROR_STOP=1",
            f"--dbname={dsn}",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
            env=environment,
        )
        try:
            _, script_errors, apply_errors = await asyncio.gather(
                _feed(script, apply), _read(script.stderr), _read(apply.stderr)
            )
            await apply.wait()
        finally:
            for process in (script, apply):
                if process.returncode is None:
                    process.kill()
                    await process.wait()
        if apply.returncode:
            raise BackupError(f"{failure(psql, apply_errors)}; nothing was restored")
        if script.returncode:
            raise BackupError(f"{failure(pg_restore, script_errors)}; nothing was restored")


async def _read(stream: asyncio.StreamReader | None) -> bytes:
    return await stream.read() if stream is not None else b""


async def _feed(script: asyncio.subprocess.Process, apply: asyncio.subprocess.Process) -> None:
    """Pass pg_restore's script to psql inside the load's transaction; COMMIT only when
    pg_restore wrote it whole. psql ending the session without COMMIT rolls it all back."""
    assert script.stdout is not None and apply.stdin is not None
    try:
        apply.stdin.write(_EMPTY_THE_SCHEMA)
        while chunk := await script.stdout.read(_CHUNK):
            apply.stdin.write(chunk)
            await apply.stdin.drain()
        if await script.wait() == 0:
            apply.stdin.write(b"COMMIT;\n")
            await apply.stdin.drain()
    except (BrokenPipeError, ConnectionResetError):
        # psql stopped at an error (ON_ERROR_STOP); what it had done is rolled back.
        script.kill()
    finally:
        apply.stdin.close()
