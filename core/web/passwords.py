"""Choosing a password, for anyone: asking for a reset link (``/mot-de-passe-oublie``) and
the page a link opens (``/mot-de-passe/{secret}``), for an invitation or a reset. The
person lands signed in on their home."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import PathParameter, QueryParameter
from litestar.response import Redirect, Template

from core.auth import links, recovery, service
from core.auth.access import EVERYONE, access
from core.auth.api import session_cookie
from core.auth.team_api import link_base
from core.errors import InvalidField
from core.runtime import Runtime
from core.web.access import PAGE_ERRORS, current_user, home_of
from core.web.i18n import gettext as _
from core.web.team_forms import read_email

FORGOTTEN = "/mot-de-passe-oublie"
SENT = "envoye"
Secret = Annotated[str, PathParameter(max_length=100)]
NO_REFERRER = {"Referrer-Policy": "no-referrer"}
"""The link's page keeps its address to itself."""


def _password_errors(refused: InvalidField, password: str) -> dict[str, str]:
    """Where and why the new password was refused, in the reader's language."""
    if refused.field == "confirmation":
        return {"confirmation": _("The two passwords are not the same: type it again.")}
    if len(password) > links.MAX_PASSWORD_LENGTH:
        return {"mot_de_passe": _("The password is too long: 1024 characters at most.")}
    return {
        "mot_de_passe": _("Choose a password of at least %(num)s characters.")
        % {"num": links.MIN_PASSWORD_LENGTH}
    }


class PasswordPageController(Controller):
    """Pages anyone reaches to choose a password."""

    opt = access(EVERYONE)
    include_in_schema = False
    exception_handlers = PAGE_ERRORS  # type: ignore[assignment]

    @get(FORGOTTEN)
    async def forgotten(
        self,
        request: Request,
        runtime: NamedDependency[Runtime],
        sent: Annotated[str | None, QueryParameter(name=SENT, pattern=r"^1$")] = None,
    ) -> Template:
        """The form asking for the address to send a link to, or the answer once sent."""
        return Template(
            "passwords/forgotten.html",
            context={
                "user": await current_user(request, runtime),
                "sent": bool(sent),
                "email": "",
                "errors": {},
            },
        )

    @post(FORGOTTEN, status_code=303)
    async def ask(self, request: Request, runtime: NamedDependency[Runtime]) -> Response:
        """Send a link if the address has an account; the answer is the same either way."""
        posted = {key: str(value) for key, value in (await request.form()).items()}
        email, errors = read_email(posted)
        if errors:
            return Template(
                "passwords/forgotten.html",
                context={"user": None, "sent": False, "email": email, "errors": errors},
                status_code=422,
            )
        await recovery.request_reset(
            email, sites=runtime.sites, clock=runtime.clock, link_base=link_base(request, runtime)
        )
        return Redirect(f"{FORGOTTEN}?{SENT}=1", status_code=303)

    @get("/mot-de-passe/{secret:str}")
    async def choose(self, secret: Secret, runtime: NamedDependency[Runtime]) -> Template:
        """The form to choose a password, while the link works."""
        try:
            link = await links.find(secret, runtime.clock)
        except links.InvalidLink:
            return _invalid()
        return _form(secret, link, {})

    @post("/mot-de-passe/{secret:str}", status_code=303)
    async def set_password(
        self, secret: Secret, request: Request, runtime: NamedDependency[Runtime]
    ) -> Response:
        """Set the password, sign the person in and take them home; errors in place."""
        posted = {key: str(value) for key, value in (await request.form()).items()}
        password, confirmation = posted.get("mot_de_passe", ""), posted.get("confirmation", "")
        try:
            link = await links.use(secret, password, confirmation, runtime.clock)
        except links.InvalidLink:
            return _invalid()
        except InvalidField as refused:
            try:
                found = await links.find(secret, runtime.clock)
            except links.InvalidLink:
                return _invalid()
            return _form(secret, found, _password_errors(refused, password), status_code=422)
        principal = await service.principal_of(link.account_id)
        if principal is None:
            return _invalid()
        session = await service.open_session(
            principal.account_id, runtime.clock, runtime.settings.session_days
        )
        return Redirect(
            home_of(principal), status_code=303, cookies=[session_cookie(runtime, session)]
        )


def _form(
    secret: str, link: links.LinkInfo, errors: dict[str, str], status_code: int = 200
) -> Template:
    """The form to choose a password (what was typed is not shown again: it is a password)."""
    return Template(
        "passwords/choose.html",
        context={
            "user": None,
            "secret": secret,
            "invitation": link.purpose is links.Purpose.INVITATION,
            "name": link.display_name,
            "errors": errors,
            "minimum": links.MIN_PASSWORD_LENGTH,
        },
        status_code=status_code,
        headers=NO_REFERRER,
    )


def _invalid() -> Template:
    """A link unknown, used, expired or of a deactivated account: all look alike (409)."""
    return Template(
        "passwords/invalid.html", context={"user": None}, status_code=409, headers=NO_REFERRER
    )
