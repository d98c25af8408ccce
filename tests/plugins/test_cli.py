"""The ``essaim`` command on the shipped configuration: the installed built-in plugins and the
repository's ``sites/``. Core's own CLI tests (tests/core/test_cli.py) run the same commands on the
toy program and the test sites; these check what a fresh checkout actually ships.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.cli import _keep_logging_config, count_rows, database_env, invoke, lines

from .conftest import REPO_SITES

__all__ = ["_keep_logging_config", "database_env"]

PROGRAMS = ("digistart", "digital", "digitous")

# A database connection left open when ``asyncio.run`` ends shows a real user a thread's
# traceback ("Event loop is closed") after the command's output: here it fails the test.
pytestmark = pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning")


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


# demo


def test_demo_fills_an_empty_database_once_on_the_real_sites(database_env: dict[str, str]) -> None:
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
