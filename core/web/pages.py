"""Server-rendered pages: the home page and the login form, in French."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from core.auth import service
from core.auth.access import EVERYONE, access
from core.auth.api import session_cookie
from core.auth.middleware import SESSION_COOKIE, credentials
from core.runtime import Runtime


class LoginForm(msgspec.Struct, kw_only=True):
    """The login form's fields."""

    email: str = ""
    password: str = ""


async def current_user(request: Request, runtime: Runtime) -> object | None:
    """The signed-in principal on a public page, or None."""
    found = credentials(request)
    return await service.principal_for(*found, runtime.clock) if found else None


class PageController(Controller):
    """Public pages."""

    opt = access(EVERYONE)

    include_in_schema = False

    @get("/")
    async def home(self, request: Request, runtime: NamedDependency[Runtime]) -> Template:
        """The home page: sites and programs."""
        programs = {program.key: program for program in runtime.host.programs()}
        return Template(
            "home.html",
            context={
                "sites": list(runtime.sites),
                "programs": programs,
                "user": await current_user(request, runtime),
            },
        )

    @get("/connexion")
    async def login_form(self) -> Template:
        """The login form."""
        return Template("login.html", context={"email": "", "error": None, "user": None})

    @post("/connexion", status_code=303)
    async def login(
        self,
        data: Annotated[LoginForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
        runtime: NamedDependency[Runtime],
    ) -> Response:
        """Check the password, open a session and go home; on failure show the form again."""
        account_id = await service.authenticate(data.email, data.password)
        if account_id is None:
            return Template(
                "login.html",
                context={
                    "email": data.email,
                    "error": "Adresse e-mail ou mot de passe incorrect.",
                    "user": None,
                },
                status_code=401,
            )
        secret = await service.open_session(
            account_id, runtime.clock, runtime.settings.session_days
        )
        return Redirect("/", status_code=303, cookies=[session_cookie(runtime, secret)])

    @post("/deconnexion", status_code=303)
    async def logout(self, request: Request, runtime: NamedDependency[Runtime]) -> Redirect:
        """Close the session and go home."""
        found = credentials(request)
        if found:
            await service.revoke(*found, runtime.clock)
        response = Redirect("/", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response
