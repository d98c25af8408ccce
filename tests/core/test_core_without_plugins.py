"""Core stands on its own: with no plugin at all it migrates, starts and serves.

This module replaces the toy program with an empty plugin host and the test sites with one
site that runs no program, so that anything in core that assumes a program is installed fails
here, on both engines.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import httpx
import pytest
from piccolo.apps.migrations.tables import Migration

from core.app import create_app
from core.auth import service as auth
from core.auth.roles import Role
from core.clock import FrozenClock
from core.cohorts.tables import Cohort
from core.db.engine import CORE_APPS, app_modules
from core.plugins import PluginHost, load_plugins
from core.settings import Settings
from core.sites.loader import SiteConfigError, load_sites

LYON = """\
slug = "lyon"
name = "Lyon"
status = "opening"
department = "69"
timezone = "Europe/Paris"
"""


@pytest.fixture
def plugin_host() -> PluginHost:
    """No plugin: not the toy program, not the installed entry points."""
    return load_plugins(load_entrypoints=False)


@pytest.fixture
def sites_dir(tmp_path: Path) -> Path:
    """One site file that names no program."""
    directory = tmp_path / "sites"
    directory.mkdir()
    (directory / "lyon.toml").write_text(LYON, encoding="utf-8")
    return directory


def test_the_host_is_empty(plugin_host: PluginHost) -> None:
    plugin_host.validate()
    assert plugin_host.info() == []
    assert plugin_host.programs() == []
    assert plugin_host.routes() == []
    assert app_modules(plugin_host) == list(CORE_APPS)


async def test_core_migrations_run_without_any_plugin(db_settings: Settings) -> None:
    core_apps = {importlib.import_module(module).APP_CONFIG.app_name for module in CORE_APPS}
    applied = await Migration.select(Migration.app_name).distinct()
    assert {row["app_name"] for row in applied} == core_apps
    assert await Cohort.count() == 0


async def test_the_app_serves_without_any_plugin(
    client: httpx.AsyncClient, clock: FrozenClock
) -> None:
    health = await client.get("/health")
    assert health.status_code == 200
    assert health.json()["status"] == "ok"

    programs = await client.get("/api/v1/programs")
    assert programs.status_code == 200
    assert programs.json() == []

    sites = await client.get("/api/v1/sites")
    assert sites.status_code == 200
    assert [(site["slug"], site["programs"]) for site in sites.json()] == [("lyon", [])]

    account = await auth.create_account(
        email="admin@example.org",
        password="correct horse battery",
        display_name="admin",
        role=Role.ADMIN,
    )
    _, token = await auth.issue_api_token(account, "tests", clock)
    headers = {"Authorization": f"Bearer {token}"}
    plugins = await client.get("/api/v1/plugins", headers=headers)
    assert plugins.status_code == 200
    assert plugins.json() == []

    refused = await client.post(
        "/api/v1/cohorts",
        json={
            "site": "lyon",
            "program": "digital",
            "track": "debutant",
            "title": "Débutants",
            "starts_on": "2027-01-11",
            "ends_on": "2027-02-12",
        },
        headers=headers,
    )
    assert refused.status_code == 422
    assert [error["field"] for error in refused.json()["errors"]] == ["program"]


def test_the_factory_honours_load_entrypoints_false(tmp_path: Path, sites_dir: Path) -> None:
    # No host given: create_app builds it from the settings, which say "no entry points".
    settings = Settings(sites_dir=sites_dir, var_dir=tmp_path / "var", load_entrypoints=False)
    app = create_app(settings)
    host = app.state.runtime.host
    assert host.info() == []
    assert [site.slug for site in app.state.runtime.sites] == ["lyon"]


def test_a_site_file_naming_a_program_fails_without_that_plugin(
    tmp_path: Path, plugin_host: PluginHost, sites_dir: Path
) -> None:
    (sites_dir / "lyon.toml").write_text(
        LYON + "\n[programs.digital]\ntracks = ['debutant']\ncapacity = 12\n", encoding="utf-8"
    )
    with pytest.raises(SiteConfigError) as raised:
        load_sites(sites_dir, plugin_host)
    assert len(raised.value.errors) == 1
    message = raised.value.errors[0]
    assert "lyon.toml" in message
    assert "unknown program 'digital' (installed: none)" in message
    assert "$.programs.digital" in message

    settings = Settings(sites_dir=sites_dir, var_dir=tmp_path / "var", load_entrypoints=False)
    with pytest.raises(SiteConfigError, match="unknown program 'digital'"):
        create_app(settings, host=plugin_host)
