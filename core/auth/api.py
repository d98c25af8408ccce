"""The auth API: log in and out, who am I, API tokens."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, Response, delete, get, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.exceptions import NotAuthorizedException
from litestar.params import JSONBody, PathParameter, QueryParameter

from core.auth import service
from core.auth.access import ANY_ACCOUNT, EVERYONE, access
from core.auth.middleware import SESSION_COOKIE, credentials
from core.auth.roles import Principal
from core.auth.schemas import AccountRead, LoginRequest, TokenCreate, TokenIssued, TokenRead
from core.db.limits import ID_MAX
from core.openapi import problem_response
from core.runtime import Runtime


def account_read(principal: Principal) -> AccountRead:
    """The API view of a principal."""
    return AccountRead(
        id=principal.account_id,
        email=principal.email,
        display_name=principal.display_name,
        role=principal.role,
        sites=sorted(principal.sites),
        cohorts=sorted(principal.cohorts),
    )


def session_cookie(runtime: Runtime, secret: str) -> Cookie:
    """The cookie that carries a login session: HTTP-only, same-site, secure in production."""
    return Cookie(
        key=SESSION_COOKIE,
        value=secret,
        httponly=True,
        samesite="lax",
        secure=runtime.settings.cookie_secure,
        max_age=runtime.settings.session_days * 86400,
        path="/",
    )


class AuthController(Controller):
    """Sessions for the UI and tokens for scripts."""

    path = "/api/v1/auth"
    tags = ["auth"]

    @post(
        "/login",
        opt=access(EVERYONE),
        operation_id="login",
        status_code=200,
        # Wrong credentials, and too many of them, though the route is public.
        responses={401: problem_response(401), 429: problem_response(429)},
    )
    async def login(
        self, data: JSONBody[LoginRequest], runtime: NamedDependency[Runtime]
    ) -> Response[AccountRead]:
        """Open a session; the answer sets the session cookie. Repeated failures slow down,
        then lock, the e-mail address (429 with Retry-After)."""
        principal = await service.sign_in(data.email, data.password, runtime.clock)
        if principal is None:
            raise NotAuthorizedException("Wrong e-mail or password.")
        secret = await service.open_session(
            principal.account_id, runtime.clock, runtime.settings.session_days
        )
        return Response(account_read(principal), cookies=[session_cookie(runtime, secret)])

    @post("/logout", operation_id="logout", opt=access(ANY_ACCOUNT), status_code=204)
    async def logout(self, request: Request, runtime: NamedDependency[Runtime]) -> Response[None]:
        """Revoke the credential this request carries and clear the cookie."""
        found = credentials(request)
        if found:
            await service.revoke(found[0], found[1], runtime.clock)
        response: Response[None] = Response(None, status_code=204)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    @get("/me", operation_id="whoAmI", opt=access(ANY_ACCOUNT))
    async def me(self, request: Request[Principal, str, object]) -> AccountRead:
        """The signed-in account and its scope."""
        return account_read(request.user)

    @post("/tokens", operation_id="createApiToken", opt=access(ANY_ACCOUNT), status_code=201)
    async def create_token(
        self,
        data: JSONBody[TokenCreate],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> TokenIssued:
        """Issue an API token for scripts; its secret is shown once."""
        token_id, secret = await service.issue_api_token(
            request.user.account_id, data.label, runtime.clock
        )
        return TokenIssued(id=token_id, label=data.label, token=secret)

    @get("/tokens", operation_id="listApiTokens", opt=access(ANY_ACCOUNT))
    async def list_tokens(
        self,
        request: Request[Principal, str, object],
        account: Annotated[int | None, QueryParameter(ge=1, le=ID_MAX)] = None,
    ) -> list[TokenRead]:
        """The caller's API tokens, or an admin's view of ``account``'s, without secrets."""
        rows = await service.api_tokens(request.user, account)
        return [TokenRead(**row) for row in rows]

    @delete(
        "/tokens/{token_id:int}",
        operation_id="revokeApiToken",
        opt=access(ANY_ACCOUNT),
        status_code=204,
    )
    async def revoke_token(
        self,
        token_id: Annotated[int, PathParameter(ge=1, le=ID_MAX)],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> None:
        """Revoke one of the caller's API tokens; an admin revokes anyone's (audited)."""
        await service.revoke_api_token(request.user, token_id, runtime.clock)
