"""Who may see a page: the sign-in redirect for those not signed in, each role's home, and
the pages shown when a record is out of reach.

Pages behind the sign-in are private routes like the API's: the authentication middleware
refuses them, and ``PAGE_ERRORS`` turns its refusal into the sign-in form."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from litestar import Request, Response
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.response import Redirect, Template

from core.auth import service
from core.auth.middleware import credentials
from core.auth.roles import Principal, Role
from core.errors import Forbidden, NotFound
from core.runtime import Runtime

LOGIN = "/connexion"
NEXT = "suivant"
HOMES = {
    Role.TRAINER: "/mes-seances",
    Role.SITE_MANAGER: "/antenne",
    Role.CENTRAL_VIEWER: "/central",
    Role.ADMIN: "/central",
}
"""The page each role lands on after signing in."""


async def current_user(request: Request, runtime: Runtime) -> Principal | None:
    """The signed-in principal on a public page, or None."""
    found = credentials(request)
    return await service.principal_for(*found, runtime.clock) if found else None


def home_of(principal: Principal) -> str:
    """Where ``principal`` lands."""
    return HOMES[principal.role]


def safe_next(target: str | None) -> str | None:
    """``target`` when it is a path on this site (never another host), else None."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def to_sign_in(request: Request, _: NotAuthorizedException) -> Response:
    """The sign-in form, coming back to the page asked for once signed in (the
    authentication middleware refused the request)."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return Redirect(f"{LOGIN}?{NEXT}={quote(target, safe='/')}", status_code=303)


def not_found(request: Request, _: NotFound) -> Response:
    """A page out of reach looks like one that does not exist (DESIGN: out of scope is 404)."""
    return Template(
        "errors/not_found.html", context={"user": request.scope.get("user")}, status_code=404
    )


def forbidden(request: Request, _: Forbidden) -> Response:
    """A page the role may not use."""
    return Template(
        "errors/forbidden.html", context={"user": request.scope.get("user")}, status_code=403
    )


def expired_form(request: Request, _: PermissionDeniedException) -> Response:
    """A form posted without a valid anti-forgery token (an old tab, say): load it again."""
    return Template(
        "errors/expired_form.html", context={"user": request.scope.get("user")}, status_code=403
    )


PAGE_ERRORS = {
    NotAuthorizedException: to_sign_in,
    NotFound: not_found,
    Forbidden: forbidden,
    PermissionDeniedException: expired_form,
}
"""Exception handlers of the pages behind the sign-in: HTML pages, never problem+json."""
