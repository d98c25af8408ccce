"""``essaim backup`` and ``essaim restore``, run in-process on both engines with the toy program
(see tests/cli.py for ``database_env`` and why every test here is a plain ``def``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import Result

from tests import cli
from tests.cli import _keep_logging_config, assert_clean_failure, count_rows, database_env, lines
from tests.conftest import TEST_SITES

__all__ = ["_keep_logging_config", "database_env"]

pytestmark = pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning")


@pytest.fixture(autouse=True)
def _toy_program(monkeypatch: pytest.MonkeyPatch) -> None:
    cli.install_toy_program(monkeypatch)


def invoke(args: list[str], **env: str | Path) -> Result:
    return cli.invoke(args, **{"ESSAIM_SITES_DIR": TEST_SITES, **env})


def create_user(env: dict[str, str], email: str) -> None:
    args = ["users", "create", "--email", email, "--name", "Admin", "--role", "admin"]
    result = invoke(args, **env, ESSAIM_NEW_PASSWORD="correct horse battery")
    assert result.exit_code == 0, result.output


def described(env: dict[str, str]) -> str:
    """How the commands name the database ``env`` configures."""
    if "ESSAIM_DATABASE_URL" in env:
        name = env["ESSAIM_DATABASE_URL"].rpartition("/")[2]
        return f"the PostgreSQL database {name} on 127.0.0.1"
    return f"the SQLite database {Path(env['ESSAIM_VAR_DIR']) / 'essaim.sqlite3'}"


def test_backup_then_restore_over_a_database_that_moved_on(
    database_env: dict[str, str], tmp_path: Path
) -> None:
    env = database_env
    engine = "PostgreSQL" if "ESSAIM_DATABASE_URL" in env else "SQLite"
    assert invoke(["migrate"], **env).exit_code == 0
    create_user(env, "first@example.org")
    path = tmp_path / "backups" / "monday.tar"

    backed = invoke(["backup", "--output", str(path)], **env)
    assert backed.exit_code == 0, backed.output
    assert re.fullmatch(
        rf"Backup written to {re.escape(str(path))} "
        rf"\(\d+ bytes of data, sha256 [0-9a-f]{{64}}\)\.",
        backed.stdout.strip(),
    )
    assert lines(backed.stderr) == [f"Copying {described(env)}...", f"Writing {path}..."]

    create_user(env, "second@example.org")
    refused = invoke(["restore", str(path)], **env)
    assert_clean_failure(refused)
    assert lines(refused.stderr) == [
        f"Checking {path}...",
        f"essaim: {described(env)} is not empty, its tables hold rows: account (2); "
        "restoring replaces all of it: add --force to do so",
    ]
    assert count_rows(env)["accounts"] == 2

    restored = invoke(["restore", str(path), "--force"], **env)
    assert restored.exit_code == 0, restored.output
    assert re.fullmatch(
        rf"Restored the {engine} backup of \d{{4}}-\d\d-\d\d \d\d:\d\d UTC from "
        rf"{re.escape(str(path))}; 0 newer migration\(s\) applied\.",
        restored.stdout.strip(),
    )
    assert count_rows(env)["accounts"] == 1


def test_backup_of_a_database_never_migrated_fails_cleanly(
    database_env: dict[str, str], tmp_path: Path
) -> None:
    result = invoke(["backup", "--output", str(tmp_path)], **database_env)
    assert_clean_failure(result)
    if "ESSAIM_DATABASE_URL" in database_env:
        expected = (
            f"essaim: {described(database_env)} has no Essaim tables: run `essaim migrate` "
            "first, or check ESSAIM_DATABASE_URL"
        )
    else:
        sqlite_path = Path(database_env["ESSAIM_VAR_DIR"]) / "essaim.sqlite3"
        expected = f"essaim: no SQLite database at {sqlite_path}: check ESSAIM_VAR_DIR"
    assert lines(result.stderr)[-1] == expected
    assert list(tmp_path.glob("*.tar")) == []
