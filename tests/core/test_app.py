"""The application shell: public and private routes, health, OpenAPI, request ids, logs."""

import re

import httpx
import pytest
import structlog
from asgi_lifespan import LifespanManager
from litestar import Litestar
from structlog.testing import capture_logs

from core.app import create_app
from core.settings import Settings
from tests.web import post_form

PUBLIC_ROUTES = {
    "/",
    "/connexion",
    "/deconnexion",
    "/postuler",
    "/postuler/{site:str}/{program:str}",
    "/candidature-recue/{reference:int}",
    "/benevolat",
    "/benevolat/merci",
    "/mot-de-passe-oublie",
    "/mot-de-passe/{secret:str}",
    "/health",
    "/api/v1/auth/login",
    "/api/v1/sites",
    "/api/v1/sites/{slug:str}",
    "/api/v1/programs",
    "/api/v1/programs/{key:str}",
    "/calendar/{file_name:str}",
    "/suivi/{secret:str}",
    "/static/{file_path:path}",
    "/static/swagger/{file_path:path}",
}


def _routes(app: Litestar) -> dict[str, tuple[set[str], bool]]:
    """Each route path with its methods and whether every handler on it is public."""
    found: dict[str, tuple[set[str], bool]] = {}
    for route in app.routes:
        if route.path.startswith("/schema"):
            continue
        for handler in getattr(route, "route_handlers", []):
            own_methods = set(handler.http_methods) - {"HEAD", "OPTIONS"}
            if not own_methods:  # Litestar's automatic OPTIONS handler
                continue
            methods, public = found.get(route.path, (set(), True))
            methods |= own_methods
            found[route.path] = (methods, public and bool(handler.opt.get("public")))
    return found


def test_public_routes_are_exactly_the_declared_ones(app):
    public = {path for path, (_, is_public) in _routes(app).items() if is_public}
    assert public == PUBLIC_ROUTES


async def test_every_other_route_answers_401_or_the_sign_in_form_without_credentials(app, client):
    private = {path: methods for path, (methods, public) in _routes(app).items() if not public}
    assert private, "the app has private routes"
    for path, methods in private.items():
        url = re.sub(r"\{[^}]+:int\}", "1", path)
        for method in methods:
            response = await client.request(method, url, json={})
            if path.startswith("/api/"):
                assert response.status_code == 401, (method, path)
                assert response.headers["content-type"].startswith("application/problem+json")
            else:  # a page: the sign-in form, coming back to the page
                assert response.status_code == 303, (method, path)
                assert response.headers["location"] == f"/connexion?suivant={url}"


async def test_health_checks_the_database(client):
    response = await client.get("/health")
    assert response.json() == {"status": "ok", "database": "ok"}


async def test_health_is_503_when_the_database_is_not_usable(tmp_path, plugin_host):
    settings = Settings(var_dir=tmp_path, sites_dir=Settings().sites_dir.parent / "tests/sites")
    app = create_app(settings, host=plugin_host)  # never migrated: no table answers
    async with (
        LifespanManager(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client,
    ):
        response = await client.get("/health")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


async def test_openapi_page_loads_only_local_assets(client):
    page = await client.get("/schema")
    assert page.status_code == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert assets and all(url.startswith("/static/swagger/") for url in assets)
    for url in assets:
        assert (await client.get(url)).status_code == 200
    spec = (await client.get("/schema/openapi.json")).json()
    operation_ids = {op["operationId"] for path in spec["paths"].values() for op in path.values()}
    assert {"listSites", "listCohorts", "createCohort", "login", "health"} <= operation_ids


async def test_every_response_carries_a_request_id_that_is_logged(client):
    with capture_logs(processors=[structlog.contextvars.merge_contextvars]) as logs:
        ok = await client.get("/api/v1/sites")
        refused = await client.get("/api/v1/cohorts?site=paris")
    ids = [ok.headers["x-request-id"], refused.headers["x-request-id"]]
    assert len(set(ids)) == 2
    requests = [entry for entry in logs if entry["event"] == "request"]
    assert [(e["request_id"], e["status"]) for e in requests] == [(ids[0], 200), (ids[1], 401)]
    assert all("?" not in e["route"] for e in requests), "query strings may hold names"


@pytest.mark.parametrize("path", ["/nulle-part", "/api/v1/cohorts/abc"])
async def test_unknown_routes_are_problem_json(client, people, path):
    response = await client.get(path, headers=people.auth("admin"))
    assert response.status_code in (404, 400)
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_home_page_is_french_and_lists_sites_and_programs(client):
    page = await client.get("/")
    assert page.status_code == 200
    assert '<html lang="fr">' in page.text
    assert "Nos antennes" in page.text
    assert "Paris" in page.text and "Bordeaux" in page.text
    assert "Atelier" in page.text


async def test_login_form_keeps_the_email_and_explains_in_french(client, people):
    response = await post_form(
        client, "/connexion", {"email": "admin@example.org", "password": "mauvais"}
    )
    assert response.status_code == 401
    assert "Adresse e-mail ou mot de passe incorrect." in response.text
    assert 'value="admin@example.org"' in response.text


async def test_login_form_opens_a_session(client, people):
    from tests.conftest import PASSWORD

    response = await post_form(
        client, "/connexion", {"email": "paris_manager@example.org", "password": PASSWORD}
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/antenne"
    home = await client.get("/")
    assert "paris_manager" in home.text
    assert "Se déconnecter" in home.text
