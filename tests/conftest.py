"""Fixtures shared by every test: databases on both engines, the plugin host, sites."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from argon2 import profiles
from asgi_lifespan import LifespanManager
from litestar import Litestar

from core.app import create_app
from core.auth.hashing import use_profile
from core.clock import FrozenClock
from core.db.engine import app_modules, bind, make_engine
from core.db.sqlite_pool import PooledSQLiteEngine
from core.plugins import PluginHost, load_plugins
from core.settings import Settings
from tests.databases import ENGINES, TemplateCache, postgres_unreachable_reason
from tests.toy_program import AtelierPlugin

TEST_SITES = Path(__file__).parent / "sites"


WITHOUT_PLUGINS = "--without-installed-plugins"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        WITHOUT_PLUGINS,
        action="store_true",
        help="hide every plugin of the essaim entry-point group, as in an environment where "
        "Essaim is installed without its built-in plugins (run it on tests/core)",
    )


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption(WITHOUT_PLUGINS):
        hide_installed_plugins()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption(WITHOUT_PLUGINS):
        return
    for item in items:
        marker = item.get_closest_marker("installed_plugins")
        if marker is not None:
            item.add_marker(pytest.mark.skip(reason=f"{WITHOUT_PLUGINS}: {marker.args[0]}"))


def hide_installed_plugins() -> None:
    """Make the ``essaim`` entry-point group empty in this process, for the whole session.

    Core looks its plugins up through ``importlib.metadata.entry_points``: the function is
    replaced where core's modules hold it, so that every host, command and app built in this
    process sees no installed plugin. Subprocesses still see them: their tests carry the
    ``installed_plugins`` marker and are skipped.
    """
    import importlib.metadata

    import core.plugin.testing
    import core.plugins

    real = importlib.metadata.entry_points

    def entry_points(**params: Any) -> importlib.metadata.EntryPoints:
        found = real(**params)
        if params.get("group") == core.plugins.ENTRY_POINT_GROUP:
            return importlib.metadata.EntryPoints(())
        return found

    for module in (importlib.metadata, core.plugins, core.plugin.testing):
        module.entry_points = entry_points  # type: ignore[attr-defined]


def pytest_sessionstart(session: pytest.Session) -> None:
    # Password hashing at production cost would dominate the run; its strength is not under test.
    use_profile(profiles.CHEAPEST)
    reason = postgres_unreachable_reason()
    session.config.stash[_POSTGRES_REASON] = reason
    if reason and os.environ.get("ESSAIM_REQUIRE_POSTGRES") == "1":
        raise pytest.UsageError(f"ESSAIM_REQUIRE_POSTGRES=1 but {reason}")


_POSTGRES_REASON = pytest.StashKey[str | None]()


@pytest.fixture(scope="session")
def template_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TemplateCache]:
    cache = TemplateCache(tmp_path_factory.mktemp("databases"))
    yield cache
    cache.drop_templates()


@pytest.fixture(params=ENGINES)
def engine_name(request: pytest.FixtureRequest) -> str:
    """The database engine under test; every database test runs once per engine."""
    if request.param == "postgres":
        reason = request.config.stash[_POSTGRES_REASON]
        if reason:
            pytest.skip(reason)
    elif request.node.get_closest_marker("postgres_only"):
        pytest.skip("needs PostgreSQL: " + request.node.get_closest_marker("postgres_only").args[0])
    return request.param


@pytest.fixture
def plugin_host() -> PluginHost:
    """Core's tests run with the toy program only; plugin tests override this."""
    return load_plugins(load_entrypoints=False, plugins=[("atelier", AtelierPlugin())])


@pytest.fixture
def sites_dir() -> Path:
    """The site files the tests load; plugin tests override this."""
    return TEST_SITES


@pytest.fixture
def db_settings(
    engine_name: str, plugin_host: PluginHost, template_cache: TemplateCache, sites_dir: Path
) -> Iterator[Settings]:
    """Settings on a fresh, migrated database, with every table bound to it."""
    apps = tuple(app_modules(plugin_host))
    fresh = template_cache.fresh(engine_name, plugin_host, apps)
    settings = Settings(
        database_url=fresh.database_url,
        var_dir=fresh.var_dir,
        sites_dir=sites_dir,
        load_entrypoints=False,
    )
    engine = make_engine(settings)
    bind(engine, plugin_host)
    yield settings
    # Tests that use the tables without the app leave pooled connections open; their
    # threads would keep the interpreter from exiting.
    if isinstance(engine, PooledSQLiteEngine):
        asyncio.run(engine.close_connection_pool())
    template_cache.drop(fresh)


@pytest.fixture
def clock() -> FrozenClock:
    """A clock standing at a fixed instant; tests move it."""
    return FrozenClock(datetime(2026, 9, 1, 8, 0, tzinfo=UTC))


@pytest.fixture
def app(db_settings: Settings, plugin_host: PluginHost, clock: FrozenClock) -> Litestar:
    """The whole application on the test database."""
    return create_app(db_settings, host=plugin_host, clock=clock)


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client talking to ``app`` in-process on the test's event loop, lifespan included."""
    # The app itself, not ``manager.app``: asgi-lifespan shares one state dict between
    # requests, where Litestar keeps per-request state.
    async with (
        LifespanManager(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        ) as test_client,
    ):
        yield test_client
        await check_report_facts(app)


async def check_report_facts(app: Litestar) -> None:
    """After every test that went through the app, the report facts equal the raw records
    (DESIGN: facts kept up to date on write never drift): a write path that forgot to
    refresh them fails the test that took it."""
    from core.reporting.rebuild import drift

    found = await drift(app.state.runtime.sites.timezones())
    assert not found.applications, (
        f"report facts differ from the raw records of applications {found.applications}"
    )
    assert not found.months, f"the funnel's monthly sums differ from its facts for {found.months}"
    assert not found.cohorts, f"report facts differ from the raw records of cohorts {found.cohorts}"


@dataclass(frozen=True)
class People:
    """One account per role, with an API token each, for authorization tests."""

    tokens: dict[str, str]
    paris_cohort: int
    bordeaux_cohort: int

    def auth(self, who: str) -> dict[str, str]:
        """Headers that authenticate as ``who``."""
        return {"Authorization": f"Bearer {self.tokens[who]}"}


PASSWORD = "correct horse battery"


@pytest.fixture
async def people(client: httpx.AsyncClient, clock: FrozenClock) -> People:
    """Admin, central viewer, managers of Paris and of Bordeaux, a trainer of a Paris cohort."""
    from core.auth import service as auth
    from core.auth.roles import Role
    from core.cohorts.tables import Cohort

    cohorts = {}
    for site in ("paris", "bordeaux"):
        rows = await Cohort.insert(
            Cohort(
                site=site,
                program="atelier",
                track="initiation",
                title=f"Initiation {site}",
                starts_on=date(2026, 10, 5),
                ends_on=date(2026, 11, 5),
                capacity=10,
            )
        ).returning(Cohort.id)
        cohorts[site] = rows[0]["id"]
    known = ("paris", "bordeaux")
    specs = {
        "admin": (Role.ADMIN, (), ()),
        "central": (Role.CENTRAL_VIEWER, (), ()),
        "paris_manager": (Role.SITE_MANAGER, ("paris",), ()),
        "bordeaux_manager": (Role.SITE_MANAGER, ("bordeaux",), ()),
        "paris_trainer": (Role.TRAINER, (), (cohorts["paris"],)),
    }
    tokens = {}
    for name, (role, sites, cohort_ids) in specs.items():
        account_id = await auth.create_account(
            email=f"{name}@example.org",
            password=PASSWORD,
            display_name=name,
            role=role,
            sites=sites,
            cohorts=cohort_ids,
            known_sites=known,
        )
        _, tokens[name] = await auth.issue_api_token(account_id, "tests", clock)
    return People(tokens=tokens, paris_cohort=cohorts["paris"], bordeaux_cohort=cohorts["bordeaux"])
