"""The ``essaim`` command, run in-process with the toy program and the test site files.

The ``essaim`` entry-point group holds the toy program alone (``tests.toy_program:plugin``), so
these tests pass whether the built-in plugins are installed or not; ``invoke`` points the
command at tests/sites, which run it. The same commands on the shipped configuration are
tested in tests/plugins/test_cli.py. See tests/cli.py for ``database_env`` and why every test
here is a plain ``def``.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import Result

from core.plugins import load_plugins
from core.sites.loader import load_sites
from tests import cli
from tests.cli import (
    _keep_logging_config,
    assert_clean_failure,
    count_rows,
    database_env,
    execute,
    lines,
)
from tests.conftest import TEST_SITES

__all__ = ["_keep_logging_config", "database_env"]

# A database connection left open when ``asyncio.run`` ends shows a real user a thread's
# traceback ("Event loop is closed") after the command's output: here it fails the test.
pytestmark = pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning")


@pytest.fixture(autouse=True)
def _toy_program(monkeypatch: pytest.MonkeyPatch) -> None:
    """The toy program is the one installed plugin, in both modes of the suite."""
    cli.install_toy_program(monkeypatch)


def invoke(args: list[str], **env: str | Path) -> Result:
    """Run ``essaim ARGS`` on the test sites unless ``env`` names other ones."""
    return cli.invoke(args, **{"ESSAIM_SITES_DIR": TEST_SITES, **env})


MAIL = """
[mail]
sender = "Essaim {name} <{slug}@example.org>"
host = "smtp.example.org"
port = 587
username = "{slug}@example.org"
password_env = "ESSAIM_MAIL_PASSWORD_{upper}"
"""


def sites_with_mail(tmp_path: Path) -> Path:
    """A copy of the test site files, each with outgoing mail whose password is a variable."""
    folder = tmp_path / "sites"
    shutil.copytree(TEST_SITES, folder)
    for slug, name in (("bordeaux", "Bordeaux"), ("paris", "Paris")):
        path = folder / f"{slug}.toml"
        path.write_text(path.read_text() + MAIL.format(name=name, slug=slug, upper=slug.upper()))
    return folder


def broken_sites(tmp_path: Path) -> Path:
    """A copy of the test site files with one problem in each."""
    folder = tmp_path / "sites"
    shutil.copytree(TEST_SITES, folder)
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
    "(installed: atelier) - at `$.programs.cuisine`",
]


# sites check


def test_sites_check_lists_valid_sites_and_warns_about_unset_secrets(tmp_path: Path) -> None:
    sites = sites_with_mail(tmp_path)
    result = invoke(["sites", "check"], ESSAIM_SITES_DIR=sites, ESSAIM_VAR_DIR=tmp_path)
    assert result.exit_code == 0, result.output
    registry = load_sites(sites, load_plugins(), environ={})
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
        ESSAIM_SITES_DIR=sites_with_mail(tmp_path),
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
    # Declared by an entry point that no distribution carries: no version to show.
    assert lines(result.stdout) == [
        "atelier unregistered (AtelierPlugin)",
        "  programs: atelier",
        "  hooks:    essaim_demo_data, essaim_indicators, essaim_register_programs",
    ]


def test_plugins_list_json_is_machine_readable(tmp_path: Path) -> None:
    result = invoke(["plugins", "list", "--json"], ESSAIM_VAR_DIR=tmp_path)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows == [
        {
            "name": "atelier",
            "module": "AtelierPlugin",
            "version": "unregistered",
            "hooks": ["essaim_demo_data", "essaim_indicators", "essaim_register_programs"],
            "programs": ["atelier"],
        }
    ]


# migrate and users create


def test_migrate_then_users_create_then_the_same_again(database_env: dict[str, str]) -> None:
    env = database_env
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
    env = database_env
    assert invoke(["migrate"], **env).exit_code == 0
    args = ["users", "create", "--email", "someone@example.org", "--name", "Someone", *options]
    result = invoke(args, **env, ESSAIM_NEW_PASSWORD=password)
    assert_clean_failure(result)
    assert lines(result.stderr) == [message]
    assert count_rows(database_env)["accounts"] == 0


# demo


def test_demo_fills_an_empty_database_once(database_env: dict[str, str]) -> None:
    env = database_env
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
    # Every demo cohort is planned in full: the toy's initiation is two 2-hour sessions, its
    # approfondissement three; Paris runs both tracks, Bordeaux initiation.
    assert int(created[1]) == 3
    assert rows["sessions"] == 2 + 3 + 2, "every demo cohort is planned"
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
    env = database_env
    result = invoke(["serve", "--port", "8123"], **env)
    assert result.exit_code == 0, result.output
    [(args, kwargs)] = calls
    assert args == ("core.app:create_app",)
    assert kwargs["factory"] is True
    assert (kwargs["host"], kwargs["port"]) == ("127.0.0.1", 8123)
    assert count_rows(database_env) == {"accounts": 0, "cohorts": 0, "learners": 0, "sessions": 0}


def test_reports_check_and_rebuild_on_a_database(database_env: dict[str, str]) -> None:
    assert invoke(["migrate"], **database_env).exit_code == 0
    checked = invoke(["reports", "check"], **database_env)
    assert checked.exit_code == 0, checked.output
    assert checked.stdout == "the report facts match the raw records\n"
    rebuilt = invoke(["reports", "rebuild"], **database_env)
    assert rebuilt.exit_code == 0, rebuilt.output
    assert rebuilt.stdout == (
        "rebuilt the facts of 0 application(s) and 0 enrolment(s), and the funnel's monthly sums\n"
    )


def test_reports_check_names_a_sum_changed_by_hand_and_rebuild_mends_it(
    database_env: dict[str, str],
) -> None:
    assert invoke(["migrate"], **database_env).exit_code == 0
    execute(
        database_env,
        "INSERT INTO report_funnel_month (site, program, month, applications, eligible, "
        "admitted, waitlisted, enrolled, withdrawn, completed, certified) "
        "VALUES ('paris', 'digital', '2026-09', 3, 0, 0, 0, 0, 0, 0, 0)",
    )
    checked = invoke(["reports", "check"], **database_env)
    assert checked.exit_code == 1
    assert "1 funnel month(s) differ: paris/digital/2026-09" in checked.stdout
    assert "essaim reports rebuild" in checked.stderr
    rebuilt = invoke(["reports", "rebuild"], **database_env)
    assert rebuilt.exit_code == 0, rebuilt.output
    assert rebuilt.stdout.startswith("found: 1 funnel month(s) differ: paris/digital/2026-09\n")
    assert invoke(["reports", "check"], **database_env).exit_code == 0


def test_retention_run_dry_run_says_what_it_would_do(database_env: dict[str, str]) -> None:
    assert invoke(["migrate"], **database_env).exit_code == 0
    result = invoke(["retention", "run", "--dry-run"], **database_env)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "0 learner(s) would be erased; 0 expired proof document(s) would be deleted\n"
    )
