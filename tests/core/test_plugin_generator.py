"""``essaim plugins new NAME``: the generated plugin installs beside Essaim without the network,
is listed, runs at a site, and passes its own tests (the contract kit among them) as generated.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from core.cli import main
from core.plugin.template import PluginNameError, check_name, render_plugin
from tests.installing import environment, essaim, install

NAME = "atelier_web"

SITE = """\
slug = "lyon"
name = "Lyon"
status = "opening"
department = "69"
timezone = "Europe/Paris"

[programs.atelier_web]
tracks = ["decouverte", "approfondissement"]
capacity = 10
session_minutes = 120
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The plugin, written by the command as a developer runs it."""
    folder = tmp_path_factory.mktemp("generated") / "essaim-atelier-web"
    result = CliRunner().invoke(main, ["plugins", "new", NAME, "--into", str(folder)])
    assert result.exit_code == 0, result.output
    assert f"Plugin {NAME!r} written in {folder}:" in result.output
    return folder


@pytest.fixture(scope="module")
def installed_env(generated: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An environment where the generated plugin is installed (in a folder of its own)."""
    target = tmp_path_factory.mktemp("installed")
    install(generated, target)
    sites = tmp_path_factory.mktemp("sites")
    (sites / "lyon.toml").write_text(SITE, encoding="utf-8")
    return environment(
        PYTHONPATH=str(target), ESSAIM_SITES_DIR=str(sites), ESSAIM_VAR_DIR=str(target / "var")
    )


def test_the_generated_package_has_its_project_code_and_tests(generated: Path) -> None:
    files = sorted(p.relative_to(generated).as_posix() for p in generated.rglob("*") if p.is_file())
    assert files == [
        "README.md",
        "pyproject.toml",
        "src/essaim_atelier_web/__init__.py",
        "src/essaim_atelier_web/curriculum.py",
        "src/essaim_atelier_web/demo.py",
        "src/essaim_atelier_web/program.py",
        "src/essaim_atelier_web/routes.py",
        "src/essaim_atelier_web/settings.py",
        "tests/test_completion.py",
        "tests/test_contract.py",
    ]
    pyproject = (generated / "pyproject.toml").read_text(encoding="utf-8")
    assert '[project.entry-points.essaim]\natelier_web = "essaim_atelier_web"' in pyproject
    assert "$" not in "".join(p.read_text(encoding="utf-8") for p in generated.rglob("*.py"))


def test_the_generated_plugin_is_listed(installed_env: dict[str, str]) -> None:
    listed = essaim(installed_env, "plugins", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = {row["name"]: row for row in json.loads(listed.stdout)}
    assert rows[NAME] == {
        "name": NAME,
        "module": "essaim_atelier_web",
        "version": "0.1.0",
        "hooks": ["essaim_demo_data", "essaim_register_programs", "essaim_register_routes"],
        "programs": [NAME],
    }


def test_a_site_file_runs_the_generated_program(installed_env: dict[str, str]) -> None:
    checked = essaim(installed_env, "sites", "check")
    assert checked.returncode == 0, checked.stderr
    assert "lyon: ok (opening, atelier_web)" in checked.stdout
    shown = essaim(installed_env, "sites", "show", "lyon")
    assert shown.returncode == 0, shown.stderr
    assert "ATELIER WEB" in shown.stdout or NAME in shown.stdout

    # Its own setting is checked by its own schema.
    broken = Path(installed_env["ESSAIM_SITES_DIR"]).parent / "broken-sites"
    broken.mkdir()
    (broken / "lyon.toml").write_text(SITE.replace("= 120", "= 100"), encoding="utf-8")
    failed = essaim(installed_env | {"ESSAIM_SITES_DIR": str(broken)}, "sites", "check")
    assert failed.returncode == 1
    assert "$.programs.atelier_web.session_minutes" in failed.stderr


def test_the_generated_tests_pass_as_generated(
    generated: Path, installed_env: dict[str, str]
) -> None:
    ran = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:logging"],
        cwd=generated,
        env=installed_env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "14 passed" in ran.stdout, ran.stdout


@pytest.mark.parametrize("name", ["Atelier", "a", "atelier-web", "9lives", "x" * 33])
def test_a_name_that_is_not_a_program_key_is_refused(name: str, tmp_path: Path) -> None:
    with pytest.raises(PluginNameError, match="is not a plugin name: a lowercase letter"):
        check_name(name)
    result = CliRunner().invoke(main, ["plugins", "new", name, "--into", str(tmp_path / "p")])
    assert result.exit_code == 1
    assert f"Error: {name!r} is not a plugin name" in result.output
    assert not (tmp_path / "p").exists()


def test_a_folder_that_holds_files_is_not_overwritten(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError):
        render_plugin(NAME, tmp_path)
    result = CliRunner().invoke(main, ["plugins", "new", NAME, "--into", str(tmp_path)])
    assert result.exit_code == 1
    assert "already exists and is not empty" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
