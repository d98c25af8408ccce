"""Repeated failed sign-ins slow down, then lock, the e-mail address, for every worker at once
(the failures are in the database), with a message that says how long to wait."""

from __future__ import annotations

from datetime import timedelta

import httpx
from asgi_lifespan import LifespanManager

from core.app import create_app
from core.auth.tables import LoginFailure
from tests.conftest import PASSWORD

EMAIL = "paris_manager@example.org"


async def sign_in(client, password, email=EMAIL):
    return await client.post("/api/v1/auth/login", json={"email": email, "password": password})


async def test_failures_slow_down_then_lock_and_a_success_clears_them(client, people, clock):
    for _ in range(3):
        assert (await sign_in(client, "wrong password!")).status_code == 401
    slowed = await sign_in(client, PASSWORD)
    assert slowed.status_code == 429
    assert slowed.headers["retry-after"] == "2"
    assert "try again in 2 s" in slowed.json()["detail"]
    for n in range(4, 11):
        clock.advance(timedelta(seconds=2 ** (n - 2)))
        assert (await sign_in(client, "wrong password!")).status_code == 401
    clock.advance(timedelta(hours=1) - timedelta(minutes=50))
    locked = await sign_in(client, PASSWORD)
    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) == 5 * 60
    assert "choose a new one at /mot-de-passe-oublie" in locked.json()["detail"]
    clock.advance(timedelta(minutes=5))
    assert (await sign_in(client, PASSWORD)).status_code == 200
    assert (await sign_in(client, "wrong password!")).status_code == 401
    assert (await sign_in(client, PASSWORD)).status_code == 200


async def test_another_address_is_not_slowed_and_nothing_personal_is_kept(client, people):
    for _ in range(4):
        await sign_in(client, "wrong password!")
    assert (await sign_in(client, PASSWORD, email="admin@example.org")).status_code == 200
    keys = [row["key"] for row in await LoginFailure.select(LoginFailure.key)]
    assert keys and not any("paris_manager" in key for key in keys)


async def test_every_worker_counts_the_same_failures(
    client, people, db_settings, plugin_host, clock
):
    other_worker = create_app(db_settings, host=plugin_host, clock=clock)
    async with (
        LifespanManager(other_worker),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=other_worker), base_url="http://testserver"
        ) as other,
    ):
        for worker in (client, other, client):
            assert (await sign_in(worker, "wrong password!")).status_code == 401
        assert (await sign_in(other, PASSWORD)).status_code == 429


async def test_the_form_says_how_long_to_wait_in_french_and_keeps_the_address(client, people):
    for _ in range(3):
        await sign_in(client, "wrong password!")
    form = await client.get("/connexion")
    assert form.status_code == 200
    token = client.cookies["essaim_csrf"]
    refused = await client.post(
        "/connexion",
        data={"email": EMAIL, "password": PASSWORD, "_csrf_token": token},
    )
    assert refused.status_code == 429
    assert "Trop d&#39;essais : la connexion est bloquée pour le moment." in refused.text
    assert "Attendez 1 minute, puis essayez à nouveau." in refused.text
    assert 'href="/mot-de-passe-oublie"' in refused.text
    assert f'value="{EMAIL}"' in refused.text
