"""Authentication: a bearer API token or the session cookie; a route whose access rule is
public (``core.auth.access``) answers without either.

A write to the API on the session cookie alone must also carry the pages' form token in the
``X-CSRFToken`` header (double submit: the same value as the ``essaim_csrf`` cookie), since a
forged cross-site request carries the cookie but cannot read it; scripts use bearer tokens."""

from __future__ import annotations

import secrets

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult

from core.auth import service
from core.runtime import Runtime

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "x-csrftoken"
CSRF_COOKIE = "essaim_csrf"
"""The form token's cookie, which the pages' CSRF protection sets (``core.web.security``)."""

SESSION_COOKIE = "essaim_session"


def credentials(connection: ASGIConnection) -> tuple[str, str] | None:
    """The secret the request carries and its kind, from the header first, then the cookie."""
    header = connection.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip(), service.API_TOKEN
    cookie = connection.cookies.get(SESSION_COOKIE)
    if cookie:
        return cookie, service.SESSION
    return None


class AuthenticationMiddleware(AbstractAuthenticationMiddleware):
    """Resolves the caller to a Principal, or answers 401."""

    async def authenticate_request(self, connection: ASGIConnection) -> AuthenticationResult:
        found = credentials(connection)
        if found is None:
            raise NotAuthorizedException("Authentication required.")
        if found[1] == service.SESSION and _unguarded_api_write(connection):
            raise NotAuthorizedException(
                "An API write on the session cookie needs the X-CSRFToken header; "
                "scripts use an API token."
            )
        runtime: Runtime = connection.app.state.runtime
        principal = await service.principal_for(found[0], found[1], runtime.clock)
        if principal is None:
            raise NotAuthorizedException("The session or token is invalid, expired or revoked.")
        return AuthenticationResult(user=principal, auth=found[1])


def _unguarded_api_write(connection: ASGIConnection) -> bool:
    """True for an unsafe API request whose form token header does not match its cookie."""
    if connection.scope["method"] in SAFE_METHODS or not connection.url.path.startswith("/api/"):
        return False
    cookie = connection.cookies.get(CSRF_COOKIE, "")
    header = connection.headers.get(CSRF_HEADER, "")
    return not (cookie and secrets.compare_digest(cookie, header))
