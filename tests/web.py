"""Helpers for the page tests: forms posted as a browser posts them, with the anti-forgery
token of the page they come from, and signing in through the login form."""

from __future__ import annotations

import re
from typing import Any

import httpx

_TOKEN = re.compile(r'name="_csrf_token" value="([^"]+)"')


async def form_token(client: httpx.AsyncClient, page: str) -> str:
    """The anti-forgery token of the form on ``page`` (the client keeps its cookie)."""
    response = await client.get(page)
    found = _TOKEN.search(response.text)
    assert found, f"no form token on {page} ({response.status_code})"
    return found.group(1)


async def post_form(
    client: httpx.AsyncClient, action: str, data: dict[str, Any], *, page: str | None = None
) -> httpx.Response:
    """Post ``data`` to ``action`` from the form on ``page`` (``action`` by default)."""
    token = await form_token(client, page or action)
    return await client.post(action, data={**data, "_csrf_token": token})


async def sign_in(client: httpx.AsyncClient, who: str) -> None:
    """Sign in as one of the ``people`` fixture's accounts, through the login form."""
    from tests.conftest import PASSWORD

    response = await post_form(
        client, "/connexion", {"email": f"{who}@example.org", "password": PASSWORD}
    )
    assert response.status_code == 303, response.text


PSEUDO = "xx"
OPEN, CLOSE = "⟦", "⟧"


def pseudo_catalogs():
    """The app's catalogs plus ``xx``: the French catalog with every message wrapped in
    ⟦ ⟧, so that text which did not come from a catalog shows unwrapped."""
    from core.web.i18n import Catalogs, compile_catalog, language_of, read_catalog

    catalog = read_catalog("fr")
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.string, tuple):
            message.string = tuple(f"{OPEN}{text}{CLOSE}" for text in message.string)
        else:
            message.string = f"{OPEN}{message.string}{CLOSE}"
    return Catalogs.load().with_language(
        language_of(PSEUDO, compile_catalog(catalog), formats="fr")
    )
