"""CI's guarantee: with ESSAIM_REQUIRE_POSTGRES=1 a run without PostgreSQL fails, never skips."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEAD_SERVER = "postgresql://postgres@127.0.0.1:9/postgres"  # the discard port: nothing answers


def _pytest(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/core/test_database.py",
        ],
        cwd=ROOT,
        env={**os.environ, "ESSAIM_TEST_POSTGRES_URL": DEAD_SERVER, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_without_a_server_postgres_runs_skip_with_a_message():
    result = _pytest(ESSAIM_REQUIRE_POSTGRES="0")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "skipped" in result.stdout
    assert "PostgreSQL at postgresql://postgres@127.0.0.1:9/postgres is unreachable" in (
        result.stdout
    )


def test_when_postgres_is_required_a_missing_server_fails_the_run():
    result = _pytest(ESSAIM_REQUIRE_POSTGRES="1")
    assert result.returncode != 0
    assert "ESSAIM_REQUIRE_POSTGRES=1 but PostgreSQL" in result.stdout + result.stderr
