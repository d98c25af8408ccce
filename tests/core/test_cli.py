"""The ``essaim`` command, run in-process with the installed plugins and the real site files.

CliRunner runs the command in this process and the CLI calls ``asyncio.run``, so every test here
is a plain ``def``: an event loop already running would refuse it. Database tests run on both
engines (``engine_name``) against an empty database made here, since ``migrate`` and ``demo``
are about an empty one; the environment carries ESSAIM_VAR_DIR or ESSAIM_DATABASE_URL to it.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import asyncpg
import pytest
import structlog
from click.testing import CliRunner, Result

from core.cli import main
from core.plugins import load_plugins
from core.settings import Settings
from core.sites.loader import load_sites
from tests.databases import POSTGRES_ADMIN_URL, postgres_url

REPO_SITES = Path(__file__).resolve().parents[2] / "sites"
PROGRAMS = ("digistart", "digital", "digitous")

# A database connection left open when ``asyncio.run`` ends shows a real user a thread's
# traceback ("Event loop is closed") after the command's output: here it fails the test.
pytestmark = [
    pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning"),
    pytest.mark.installed_plugins(
        "runs essaim's commands on the repository's sites/, which name the built-in programs"
    ),
]


@pytest.fixture(autouse=True)
def _keep_logging_config() -> Iterator[None]:
    """The CLI points structlog at the runner's stderr; give the next test the config back."""
    config = structlog.get_config()
    yield
    structlog.configure(**config)


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


async def _admin(statement: str) -> None:
    connection = await asyncpg.connect(POSTGRES_ADMIN_URL, timeout=5)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@pytest.fixture
def database_env(engine_name: str, tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment of an empty database (no table yet) on the engine under test."""
    var_dir = tmp_path / "var"
    if engine_name == "sqlite":
        yield {"ESSAIM_VAR_DIR": str(var_dir)}
        return
    name = f"essaim_cli_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    try:
        yield {"ESSAIM_VAR_DIR": str(var_dir), "ESSAIM_DATABASE_URL": postgres_url(name)}
    finally:
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


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


def broken_sites(tmp_path: Path) -> Path:
    """A copy of the real site files with one problem in each."""
    folder = tmp_path / "sites"
    shutil.copytree(REPO_SITES, folder)
    bordeaux = folder / "bordeaux.toml"
    text = re.sub(r"^department = .*$", 'department = "20"', bordeaux.read_text(), flags=re.M)
    bordeaux.write_text(text)
    paris = folder / "paris.toml"
    paris.write_text(paris.read_text() + '\n[programs.cuisine]\ntracks = ["a"]\ncapacity = 3\n')
    return folder


BROKEN_SITES_ERRORS = [
    "essaim: sites/bordeaux.toml: unknown department '20' "
    "(a French department code such as '75' or '2A') - at `$.department`",
    "essaim: sites/paris.toml: unknown program 'cuisine' "
    "(installed: digistart, digital, digitous) - at `$.programs.cuisine`",
]


# sites check


def test_sites_check_lists_valid_sites_and_warns_about_unset_secrets(tmp_path: Path) -> None:
    result = invoke(["sites", "check"], ESSAIM_SITES_DIR=REPO_SITES, ESSAIM_VAR_DIR=tmp_path)
    assert result.exit_code == 0, result.output
    registry = load_sites(REPO_SITES, load_plugins(), environ={})
    assert [site.slug for site in registry] == ["bordeaux", "paris"]
    assert lines(result.stdout) == [
        *(f"{s.slug}: ok ({s.config.status}, {', '.join(s.programs)})" for s in registry),
        f"{len(registry)} site(s) valid.",
    ]
    assert lines(result.stderr) == [
        "warning: sites/bordeaux.toml: environment variable ESSAIM_MAIL_PASSWORD_BORDEAUX "
        "is not set - at `$.mail.password_env`",
        "warning: sites/paris.toml: environment variable ESSAIM_MAIL_PASSWORD_PARIS "
        "is not set - at `$.mail.password_env`",
    ]


def test_sites_check_is_quiet_on_stderr_when_secrets_are_set(tmp_path: Path) -> None:
    result = invoke(
        ["sites", "check"],
        ESSAIM_SITES_DIR=REPO_SITES,
        ESSAIM_VAR_DIR=tmp_path,
        ESSAIM_MAIL_PASSWORD_PARIS="x",
        ESSAIM_MAIL_PASSWORD_BORDEAUX="x",
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_sites_check_prints_every_error_with_file_and_field_and_exits_1(tmp_path: Path) -> None:
    result = invoke(
        ["sites", "check"], ESSAIM_SITES_DIR=broken_sites(tmp_path), ESSAIM_VAR_DIR=tmp_path
    )
    assert_clean_failure(result)
    assert lines(result.stderr) == BROKEN_SITES_ERRORS
    assert result.stdout == ""


def test_a_bad_environment_variable_fails_cleanly(tmp_path: Path) -> None:
    result = invoke(["sites", "check"], ESSAIM_VAR_DIR=tmp_path, ESSAIM_SESSION_DAYS="two")
    assert_clean_failure(result)
    assert lines(result.stderr) == [
        "Error: environment: Expected `int`, got `str` - at ESSAIM_SESSION_DAYS"
    ]


# plugins list


def test_plugins_list_shows_each_plugin_with_its_programs_and_hooks(tmp_path: Path) -> None:
    result = invoke(["plugins", "list"], ESSAIM_VAR_DIR=tmp_path)
    assert result.exit_code == 0, result.output
    out = lines(result.stdout)
    for name in PROGRAMS:
        header = next(i for i, line in enumerate(out) if line.startswith(f"{name} "))
        assert out[header].endswith(f"(plugins.{name})")
        assert out[header + 1] == f"  programs: {name}"
        assert out[header + 2].startswith("  hooks:    ")
        assert "essaim_register_programs" in out[header + 2]


def test_plugins_list_json_is_machine_readable(tmp_path: Path) -> None:
    result = invoke(["plugins", "list", "--json"], ESSAIM_VAR_DIR=tmp_path)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [row["name"] for row in rows] == list(PROGRAMS)
    for row in rows:
        assert row["module"] == f"plugins.{row['name']}"
        assert row["programs"] == [row["name"]]
        assert "essaim_register_programs" in row["hooks"]
        assert row["hooks"] == sorted(row["hooks"])
        assert row["version"]


# migrate and users create


def test_migrate_then_users_create_then_the_same_again(database_env: dict[str, str]) -> None:
    env = {**database_env, "ESSAIM_SITES_DIR": str(REPO_SITES)}
    migrated = invoke(["migrate"], **env)
    assert migrated.exit_code == 0, migrated.output
    again = invoke(["migrate"], **env)
    assert again.exit_code == 0, again.output

    args = ["users", "create", "--email", "Chef.Paris@example.org", "--name", "Chef"]
    args += ["--role", "site_manager", "--site", "paris"]
    created = invoke(args, **env, ESSAIM_NEW_PASSWORD="correct horse battery")
    assert created.exit_code == 0, created.output
    assert re.fullmatch(
        r"account \d+ created for chef\.paris@example\.org \(site_manager\)\n", created.stdout
    )
    assert count_rows(database_env)["accounts"] == 1

    twice = invoke(args, **env, ESSAIM_NEW_PASSWORD="correct horse battery")
    assert_clean_failure(twice)
    assert lines(twice.stderr) == ["Error: email: an account already uses chef.paris@example.org"]
    assert count_rows(database_env)["accounts"] == 1


@pytest.mark.parametrize(
    ("options", "password", "message"),
    [
        pytest.param(
            ["--role", "site_manager"],
            "correct horse battery",
            "Error: sites: a site manager needs at least one site",
            id="site-manager-without-site",
        ),
        pytest.param(
            ["--role", "site_manager", "--site", "lyon"],
            "correct horse battery",
            "Error: sites: unknown site 'lyon'",
            id="unknown-site",
        ),
        pytest.param(
            ["--role", "trainer"],
            "correct horse battery",
            "Error: cohorts: a trainer needs at least one cohort",
            id="trainer-without-cohort",
        ),
        pytest.param(
            ["--role", "admin"],
            "short",
            "Error: password: the password needs at least 10 characters",
            id="short-password",
        ),
    ],
)
def test_users_create_names_the_field_it_refuses(
    database_env: dict[str, str], options: list[str], password: str, message: str
) -> None:
    env = {**database_env, "ESSAIM_SITES_DIR": str(REPO_SITES)}
    assert invoke(["migrate"], **env).exit_code == 0
    args = ["users", "create", "--email", "someone@example.org", "--name", "Someone", *options]
    result = invoke(args, **env, ESSAIM_NEW_PASSWORD=password)
    assert_clean_failure(result)
    assert lines(result.stderr) == [message]
    assert count_rows(database_env)["accounts"] == 0


# demo


def test_demo_fills_an_empty_database_once(database_env: dict[str, str]) -> None:
    env = {**database_env, "ESSAIM_SITES_DIR": str(REPO_SITES)}
    first = invoke(["demo", "--today", "2026-11-26"], **env)
    assert first.exit_code == 0, first.output
    out = lines(first.stdout)
    created = re.fullmatch(r"Demo created: (\d+) cohorts, (\d+) learners\.", out[0])
    assert created, out[0]
    assert out[1] == "Demo accounts (password for all: essaim-demo-2026):"
    accounts = [line.split() for line in out[2:]]
    assert accounts == [
        ["admin@example.org", "admin"],
        ["equipe.centrale@example.org", "central_viewer"],
        ["responsable.bordeaux@example.org", "site_manager"],
        ["formateur.bordeaux@example.org", "trainer"],
        ["responsable.paris@example.org", "site_manager"],
        ["formateur.paris@example.org", "trainer"],
    ]
    rows = count_rows(database_env)
    assert rows == {
        "accounts": len(accounts),
        "cohorts": int(created[1]),
        "learners": int(created[2]),
        "sessions": rows["sessions"],
    }
    assert rows["sessions"] >= 10 * int(created[1]), "every demo cohort is planned"
    assert rows["cohorts"] > 0
    assert rows["learners"] > 0

    second = invoke(["demo", "--today", "2026-11-26"], **env)
    assert second.exit_code == 0, second.output
    assert lines(second.stdout) == [
        "The database already holds data; the demo was left as it is.",
        "Demo accounts (password for all: essaim-demo-2026):",
        *out[2:],
    ], "a rerun lists the same accounts, trainers included"
    assert count_rows(database_env) == rows


# serve


def test_serve_refuses_invalid_sites_before_anything_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    def no_server(*args: object, **kwargs: object) -> None:
        raise AssertionError("serve started a server on invalid sites")

    monkeypatch.setattr(uvicorn, "run", no_server)
    var_dir = tmp_path / "var"
    result = invoke(["serve"], ESSAIM_SITES_DIR=broken_sites(tmp_path), ESSAIM_VAR_DIR=var_dir)
    assert_clean_failure(result)
    assert lines(result.stderr) == BROKEN_SITES_ERRORS
    assert not var_dir.exists(), "no database is touched either"


def test_serve_migrates_then_hands_the_app_factory_to_uvicorn(
    database_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    calls: list[tuple[tuple[object, ...], dict[str, object]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: calls.append((args, kwargs)))
    env = {**database_env, "ESSAIM_SITES_DIR": str(REPO_SITES)}
    result = invoke(["serve", "--port", "8123"], **env)
    assert result.exit_code == 0, result.output
    [(args, kwargs)] = calls
    assert args == ("core.app:create_app",)
    assert kwargs["factory"] is True
    assert (kwargs["host"], kwargs["port"]) == ("127.0.0.1", 8123)
    assert count_rows(database_env) == {"accounts": 0, "cohorts": 0, "learners": 0, "sessions": 0}
