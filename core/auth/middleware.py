"""Authentication: a bearer API token or the session cookie; a route whose access rule is
public (``core.auth.access``) answers without either."""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult

from core.auth import service
from core.runtime import Runtime

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
        runtime: Runtime = connection.app.state.runtime
        principal = await service.principal_for(found[0], found[1], runtime.clock)
        if principal is None:
            raise NotAuthorizedException("The session or token is invalid, expired or revoked.")
        return AuthenticationResult(user=principal, auth=found[1])
