"""Public pages: the home page, signing in and out."""

from __future__ import annotations

import math
from typing import Annotated

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, QueryParameter
from litestar.response import Redirect, Template

from core.auth import service
from core.auth.access import EVERYONE, access
from core.auth.api import session_cookie
from core.auth.middleware import SESSION_COOKIE, credentials
from core.auth.throttle import TooManyAttempts
from core.runtime import Runtime
from core.web.access import LOGIN, NEXT, PAGE_ERRORS, current_user, home_of, safe_next
from core.web.i18n import gettext as _
from core.web.i18n import ngettext


class LoginForm(msgspec.Struct, kw_only=True):
    """The login form's fields."""

    email: str = ""
    password: str = ""
    suivant: str = ""


class PageController(Controller):
    """Pages anyone reaches."""

    opt = access(EVERYONE)

    include_in_schema = False
    exception_handlers = PAGE_ERRORS  # type: ignore[assignment]

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

    @get(LOGIN)
    async def login_form(
        self, suivant: Annotated[str | None, QueryParameter(name=NEXT)] = None
    ) -> Template:
        """The login form."""
        context = {"email": "", "error": None, "user": None, "next": safe_next(suivant)}
        return Template("login.html", context=context)

    @post(LOGIN, status_code=303)
    async def login(
        self,
        data: Annotated[LoginForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
        runtime: NamedDependency[Runtime],
    ) -> Response:
        """Check the password, open a session and go on; on failure show the form again,
        with the e-mail address as typed; after repeated failures, how long to wait."""
        try:
            principal = await service.sign_in(data.email, data.password, runtime.clock)
        except TooManyAttempts as refused:
            minutes = max(1, math.ceil(refused.retry_after / 60))
            error = ngettext(
                "Too many attempts: signing in is locked for now. Wait %(num)d minute, then "
                "try again. Forgotten password? Choose a new one with the link below.",
                "Too many attempts: signing in is locked for now. Wait %(num)d minutes, then "
                "try again. Forgotten password? Choose a new one with the link below.",
                minutes,
            ) % {"num": minutes}
            return self._refused(data, error, 429, refused.retry_after)
        if principal is None:
            return self._refused(data, _("E-mail address or password incorrect."), 401, None)
        secret = await service.open_session(
            principal.account_id, runtime.clock, runtime.settings.session_days
        )
        target = safe_next(data.suivant) or home_of(principal)
        return Redirect(target, status_code=303, cookies=[session_cookie(runtime, secret)])

    @staticmethod
    def _refused(data: LoginForm, error: str, status: int, retry_after: int | None) -> Template:
        """The form again, with the e-mail address as typed and what went wrong."""
        return Template(
            "login.html",
            context={
                "email": data.email,
                "error": error,
                "user": None,
                "next": safe_next(data.suivant),
            },
            status_code=status,
            headers={"Retry-After": str(retry_after)} if retry_after else None,
        )

    @post("/deconnexion", status_code=303)
    async def logout(self, request: Request, runtime: NamedDependency[Runtime]) -> Redirect:
        """Close the session and go home."""
        found = credentials(request)
        if found:
            await service.revoke(*found, runtime.clock)
        response = Redirect("/", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response
