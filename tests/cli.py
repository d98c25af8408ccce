"""Running the ``essaim`` command in-process, for core's CLI tests and the plugins' ones.

CliRunner runs the command in this process and the CLI calls ``asyncio.run``, so every test that
uses ``invoke`` is a plain ``def``: an event loop already running would refuse it. Database
tests run on both engines (``engine_name``) against an empty database made by ``database_env``,
since ``migrate`` and ``demo`` are about an empty one.
"""

from __future__ import annotations

import asyncio
import importlib.metadata
import os
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import asyncpg
import pytest
import structlog
from click.testing import CliRunner, Result

from core.cli import main
from core.settings import Settings
from tests.databases import admin_execute, postgres_url

TOY_ENTRY_POINT = importlib.metadata.EntryPoint(
    name="atelier", value="tests.toy_program:plugin", group="essaim"
)
"""The toy program, declared as an installed package would declare its plugin."""


@pytest.fixture(autouse=True)
def _keep_logging_config() -> Iterator[None]:
    """The CLI points structlog at the runner's stderr; give the next test the config back."""
    config = structlog.get_config()
    yield
    structlog.configure(**config)


def install_toy_program(patch: Any = None) -> None:
    """Make the ``essaim`` entry-point group hold the toy program, and it alone.

    The lookup is replaced where core's modules hold it, as ``hide_installed_plugins`` does;
    ``patch`` is a ``pytest.MonkeyPatch`` to undo it after a test, or None for the whole process
    (a subprocess started by a test).
    """
    import core.plugin.testing
    import core.plugins

    real = importlib.metadata.entry_points

    def entry_points(**params: Any) -> importlib.metadata.EntryPoints:
        if params.get("group") == core.plugins.ENTRY_POINT_GROUP:
            return importlib.metadata.EntryPoints((TOY_ENTRY_POINT,))
        return real(**params)

    for module in (importlib.metadata, core.plugins, core.plugin.testing):
        if patch is None:
            module.entry_points = entry_points  # type: ignore[attr-defined]
        else:
            patch.setattr(module, "entry_points", entry_points)


def main_with_toy_program() -> None:
    """``essaim`` in a subprocess that sees the toy program as its only installed plugin."""
    install_toy_program()
    main()


def invoke(args: list[str], **env: str | Path) -> Result:
    """Run ``essaim ARGS`` with only the ESSAIM_* variables given (others unset)."""
    environ: dict[str, str | None] = {
        name: None for name in os.environ if name.startswith("ESSAIM_")
    }
    environ["ESSAIM_LOG_LEVEL"] = "error"
    environ.update({name: str(value) for name, value in env.items()})
    return CliRunner().invoke(main, args, env=environ)


def lines(text: str) -> list[str]:
    return text.splitlines()


def assert_clean_failure(result: Result) -> None:
    """Exit code 1, a message, no traceback."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


@pytest.fixture
def database_env(engine_name: str, tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment of an empty database (no table yet) on the engine under test."""
    var_dir = tmp_path / "var"
    if engine_name == "sqlite":
        yield {"ESSAIM_VAR_DIR": str(var_dir)}
        return
    name = f"essaim_cli_{uuid.uuid4().hex[:12]}"
    asyncio.run(admin_execute(f'CREATE DATABASE "{name}"'))
    try:
        yield {"ESSAIM_VAR_DIR": str(var_dir), "ESSAIM_DATABASE_URL": postgres_url(name)}
    finally:
        asyncio.run(admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def execute(env: dict[str, str], statement: str) -> None:
    """Run ``statement`` on the database ``env`` names with the bare driver (no engine bound,
    no connection left open): a change made by hand."""
    if "ESSAIM_DATABASE_URL" in env:

        async def run() -> None:
            connection = await asyncpg.connect(env["ESSAIM_DATABASE_URL"], timeout=5)
            try:
                await connection.execute(statement)
            finally:
                await connection.close()

        asyncio.run(run())
        return
    path = Settings(var_dir=Path(env["ESSAIM_VAR_DIR"])).sqlite_path
    with closing(sqlite3.connect(path)) as connection:
        connection.execute(statement)
        connection.commit()


def count_rows(env: dict[str, str]) -> dict[str, int]:
    """Rows in the demo's tables of the database ``env`` names, read with the bare driver.

    The bare driver, so that reading leaves no engine bound and no connection open.
    """
    tables = ("account", "cohort", "learner", "training_session")
    queries = [f"SELECT COUNT(*) FROM {table}" for table in tables]
    if "ESSAIM_DATABASE_URL" in env:

        async def count() -> list[int]:
            connection = await asyncpg.connect(env["ESSAIM_DATABASE_URL"], timeout=5)
            try:
                return [await connection.fetchval(query) for query in queries]
            finally:
                await connection.close()

        numbers = asyncio.run(count())
    else:
        path = Settings(var_dir=Path(env["ESSAIM_VAR_DIR"])).sqlite_path
        with closing(sqlite3.connect(path)) as connection:
            numbers = [connection.execute(query).fetchone()[0] for query in queries]
    return {
        "accounts": numbers[0],
        "cohorts": numbers[1],
        "learners": numbers[2],
        "sessions": numbers[3],
    }
