"""Authentication and site scope through the API."""

import pytest

from tests.conftest import PASSWORD


async def test_private_route_without_credentials_is_401_problem(client):
    response = await client.get("/api/v1/cohorts")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["status"] == 401


async def test_invalid_token_is_401(client, people):
    response = await client.get("/api/v1/cohorts", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401


async def test_bordeaux_manager_gets_404_for_a_paris_cohort(client, people):
    headers = people.auth("bordeaux_manager")
    response = await client.get(f"/api/v1/cohorts/{people.paris_cohort}", headers=headers)
    assert response.status_code == 404
    own = await client.get(f"/api/v1/cohorts/{people.bordeaux_cohort}", headers=headers)
    assert own.status_code == 200


async def test_out_of_scope_and_missing_records_answer_alike(client, people):
    headers = people.auth("bordeaux_manager")
    hidden = await client.get(f"/api/v1/cohorts/{people.paris_cohort}", headers=headers)
    missing = await client.get("/api/v1/cohorts/999999", headers=headers)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["title"] == missing.json()["title"]


async def test_lists_are_filtered_to_the_callers_scope(client, people):
    bordeaux = await client.get("/api/v1/cohorts", headers=people.auth("bordeaux_manager"))
    assert {c["site"] for c in bordeaux.json()["items"]} == {"bordeaux"}
    assert bordeaux.json()["total"] == 1
    asked_for_paris = await client.get(
        "/api/v1/cohorts", params={"site": "paris"}, headers=people.auth("bordeaux_manager")
    )
    assert asked_for_paris.json() == {"items": [], "total": 0, "limit": 50, "offset": 0}
    central = await client.get("/api/v1/cohorts", headers=people.auth("central"))
    assert {c["site"] for c in central.json()["items"]} == {"paris", "bordeaux"}


async def test_trainer_sees_only_their_cohorts(client, people):
    response = await client.get("/api/v1/cohorts", headers=people.auth("paris_trainer"))
    assert [c["id"] for c in response.json()["items"]] == [people.paris_cohort]
    other = await client.get(
        f"/api/v1/cohorts/{people.bordeaux_cohort}", headers=people.auth("paris_trainer")
    )
    assert other.status_code == 404


async def test_login_sets_a_session_cookie_that_authenticates(client, people):
    response = await client.post(
        "/api/v1/auth/login", json={"email": "paris_manager@example.org", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert response.json()["sites"] == ["paris"]
    assert "httponly" in response.headers["set-cookie"].lower()
    me = await client.get("/api/v1/auth/me")
    assert me.json()["email"] == "paris_manager@example.org"
    await client.post("/api/v1/auth/logout")
    client.cookies.clear()
    assert (await client.get("/api/v1/auth/me")).status_code == 401


async def _form_token(client) -> dict[str, str]:
    """The header a page's script would send: the form token the sign-in form sets."""
    await client.get("/connexion")
    return {"X-CSRFToken": client.cookies["essaim_csrf"]}


async def test_logged_out_session_cookie_no_longer_works(client, people):
    await client.post(
        "/api/v1/auth/login", json={"email": "admin@example.org", "password": PASSWORD}
    )
    cookie = client.cookies.get("essaim_session")
    logout = await client.post("/api/v1/auth/logout", headers=await _form_token(client))
    assert logout.status_code in (200, 204), logout.text
    client.cookies.clear()
    client.cookies.set("essaim_session", cookie)
    response = await client.get("/api/v1/auth/me")
    assert response.status_code == 401


@pytest.mark.parametrize("password", ["wrong password!", ""])
async def test_wrong_password_is_401(client, people, password):
    response = await client.post(
        "/api/v1/auth/login", json={"email": "admin@example.org", "password": password}
    )
    assert response.status_code in (400, 401)
    assert "set-cookie" not in response.headers


async def test_revoked_api_token_stops_working(client, people):
    headers = people.auth("admin")
    issued = await client.post("/api/v1/auth/tokens", json={"label": "script"}, headers=headers)
    assert issued.status_code == 201
    token_headers = {"Authorization": f"Bearer {issued.json()['token']}"}
    assert (await client.get("/api/v1/auth/me", headers=token_headers)).status_code == 200
    revoke = await client.delete(f"/api/v1/auth/tokens/{issued.json()['id']}", headers=headers)
    assert revoke.status_code == 204
    assert (await client.get("/api/v1/auth/me", headers=token_headers)).status_code == 401


async def test_an_api_write_on_the_session_cookie_alone_is_refused(client, people):
    await client.post(
        "/api/v1/auth/login", json={"email": "admin@example.org", "password": PASSWORD}
    )
    forged = await client.post("/api/v1/auth/tokens", json={"label": "volé"})
    assert forged.status_code == 401
    assert "X-CSRFToken" in forged.json()["detail"]
    listed = await client.get("/api/v1/auth/tokens")
    assert listed.status_code == 200 and "volé" not in listed.text
    guarded = await client.post(
        "/api/v1/auth/tokens", json={"label": "script"}, headers=await _form_token(client)
    )
    assert guarded.status_code == 201, guarded.text


async def test_expired_session_is_refused(client, people, clock):
    from datetime import timedelta

    await client.post(
        "/api/v1/auth/login", json={"email": "admin@example.org", "password": PASSWORD}
    )
    clock.advance(timedelta(days=15))
    assert (await client.get("/api/v1/auth/me")).status_code == 401


async def test_tokens_are_stored_hashed(client, people):
    from core.auth.tables import Credential

    stored = await Credential.select(Credential.token_hash)
    secrets = set(people.tokens.values())
    assert stored and not any(row["token_hash"] in secrets for row in stored)


async def test_a_deactivated_account_is_locked_out_at_once(client, people):
    from core.auth.tables import Account

    headers = people.auth("paris_manager")
    assert (await client.get("/api/v1/auth/me", headers=headers)).status_code == 200
    await Account.update({Account.active: False}).where(
        Account.email == "paris_manager@example.org"
    )
    assert (await client.get("/api/v1/auth/me", headers=headers)).status_code == 401


async def test_an_admin_lists_and_revokes_another_accounts_tokens(client, people):
    manager = people.auth("paris_manager")
    me = (await client.get("/api/v1/auth/me", headers=manager)).json()["id"]
    issued = await client.post("/api/v1/auth/tokens", json={"label": "export"}, headers=manager)
    token = issued.json()
    admin = people.auth("admin")
    listed = await client.get("/api/v1/auth/tokens", params={"account": me}, headers=admin)
    assert "export" in [t["label"] for t in listed.json()]
    refused = await client.get(
        "/api/v1/auth/tokens", params={"account": me}, headers=people.auth("bordeaux_manager")
    )
    assert refused.status_code == 403
    other = await client.delete(
        f"/api/v1/auth/tokens/{token['id']}", headers=people.auth("bordeaux_manager")
    )
    assert other.status_code == 404
    revoked = await client.delete(f"/api/v1/auth/tokens/{token['id']}", headers=admin)
    assert revoked.status_code == 204
    stolen = {"Authorization": f"Bearer {token['token']}"}
    assert (await client.get("/api/v1/auth/me", headers=stolen)).status_code == 401
    trail = await client.get("/api/v1/audit", params={"action": "api_token.revoked"}, headers=admin)
    [entry] = trail.json()["items"]
    assert (entry["target_id"], entry["details"]) == (me, {"token": token["id"]})
