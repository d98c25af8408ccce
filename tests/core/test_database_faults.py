"""The database going away mid-service: every request answers 503 with a time to retry and
an event is logged; the health endpoint says so; when the database returns, the same
process serves again. PostgreSQL, through a proxy the test cuts (never the shared server)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest
from asgi_lifespan import LifespanManager
from structlog.testing import capture_logs

from core.app import create_app
from core.auth import service as auth
from core.auth.roles import Role
from core.settings import Settings
from tests.conftest import PASSWORD
from tests.tcp_proxy import DroppingProxy

pytestmark = pytest.mark.postgres_only("the fault is a lost PostgreSQL connection")


def _through(url: str, port: int) -> str:
    parts = urlsplit(url)
    user = f"{parts.username}@" if parts.username else ""
    return urlunsplit(parts._replace(netloc=f"{user}127.0.0.1:{port}"))


@pytest.fixture
async def proxied(db_settings: Settings, plugin_host, clock) -> AsyncIterator[tuple]:
    """The app on the test database through a proxy, a client, and a manager's headers."""
    account = await auth.create_account(
        email="manager@example.org",
        password=PASSWORD,
        display_name="Responsable",
        role=Role.SITE_MANAGER,
        sites=("paris",),
        known_sites=("paris", "bordeaux"),
    )
    _, token = await auth.issue_api_token(account, "tests", clock)
    target = urlsplit(db_settings.database_url)
    proxy = DroppingProxy(target.hostname or "127.0.0.1", target.port or 5432)
    port = proxy.start()
    settings = Settings(
        database_url=_through(db_settings.database_url, port),
        var_dir=db_settings.var_dir,
        sites_dir=db_settings.sites_dir,
        load_entrypoints=False,
    )
    app = create_app(settings, host=plugin_host, clock=clock)
    try:
        async with (
            LifespanManager(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://testserver", timeout=10
            ) as client,
        ):
            yield proxy, client, {"Authorization": f"Bearer {token}"}
    finally:
        proxy.close()


async def test_a_lost_database_answers_503_then_the_service_recovers(proxied):
    proxy, client, manager = proxied
    assert (await client.get("/api/v1/cohorts", headers=manager)).status_code == 200

    proxy.cut()
    with capture_logs() as logs:
        cohorts = await client.get("/api/v1/cohorts", headers=manager)
        health = await client.get("/health")
    assert cohorts.status_code == 503
    assert cohorts.headers["content-type"].startswith("application/problem+json")
    assert cohorts.headers["retry-after"] == "5"
    assert "database is unavailable" in cohorts.json()["detail"]
    assert health.status_code == 503
    assert health.json() == {"status": "degraded", "database": "unavailable"}
    assert "database_unavailable" in [entry["event"] for entry in logs]

    proxy.restore()
    assert (await client.get("/health")).json() == {"status": "ok", "database": "ok"}
    again = await client.get("/api/v1/cohorts", headers=manager)
    assert again.status_code == 200, again.text


async def test_a_write_cut_mid_way_leaves_nothing_half_written(proxied, db_settings):
    proxy, client, manager = proxied
    proxy.cut()
    refused = await client.post(
        "/api/v1/cohorts",
        json={
            "site": "paris",
            "program": "atelier",
            "track": "initiation",
            "title": "Atelier coupé",
            "starts_on": "2026-10-05",
            "ends_on": "2026-11-13",
        },
        headers=manager,
    )
    assert refused.status_code == 503
    proxy.restore()
    listed = await client.get("/api/v1/cohorts", headers=manager)
    assert listed.status_code == 200
    assert "Atelier coupé" not in listed.text
