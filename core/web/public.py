"""The public forms, without signing in: applying to a program at a site, and signing up as a
volunteer. Each is guarded (``core.web.guard``): a limit per client address and a honeypot.

They call one service entry point each (``core.applications.public.submit``,
``core.volunteering.public.sign_up``), which acts as the public form's principal through
the services the API uses.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote, unquote

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import PathParameter
from litestar.response import Redirect, Template

from core.applications import public as applications
from core.auth.access import EVERYONE, access
from core.errors import InvalidField, NotFound, ServiceError
from core.learners.schemas import (
    ConsentPurpose,
    EmploymentStatus,
    Gender,
    Qualification,
    RefugeeStatus,
)
from core.plugin import CefrLevel
from core.runtime import Runtime
from core.volunteering import public as volunteering
from core.web.access import PAGE_ERRORS
from core.web.guard import HONEYPOT, Guard, TooManySubmissions, caught, too_many
from core.web.i18n import gettext as _
from core.web.i18n import ngettext
from core.web.public_forms import (
    FIELDS,
    HALF_DAYS,
    SKILLS,
    WEEKDAYS,
    read_application,
    read_volunteer,
)

APPLY = "/postuler"
RECEIVED = "/candidature-recue"
VOLUNTEER = "/benevolat"
VOLUNTEER_DONE = "/benevolat/merci"
FIRST_NAME_COOKIE = "essaim_prenom"
"""The first name the receipt greets, kept in the person's own browser for a few minutes:
never in the address, so that it stays out of logs and history."""
RECEIPT_SECONDS = 600

APPLICATIONS = Guard(form="application")
VOLUNTEERS = Guard(form="volunteer")
Slug = Annotated[str, PathParameter(pattern=r"^[a-z][a-z0-9_-]{0,39}$")]


def _service_errors(refused: ServiceError) -> dict[str, str]:
    """A service's refusal next to the input it names, in the reader's language."""
    if isinstance(refused, applications.Underage):
        return {
            "naissance": ngettext(
                "You must be %(adult)s or older to apply (rule C1). Today you are %(num)s year "
                "old.",
                "You must be %(adult)s or older to apply (rule C1). Today you are %(num)s years "
                "old.",
                refused.age,
            )
            % {"adult": applications.ADULT_AGE, "num": refused.age}
        }
    name = FIELDS.get(refused.field or "", "prenom")
    return {name: _("Check this answer: it cannot be recorded as it is.")}


def _choices() -> dict[str, Any]:
    """The answers the application form offers, in order."""
    return {
        "genders": list(Gender),
        "levels": list(CefrLevel),
        "qualifications": list(Qualification),
        "situations": list(EmploymentStatus),
        "statuses": list(RefugeeStatus),
        "purposes": list(ConsentPurpose),
    }


class PublicFormController(Controller):
    """Forms anyone may send, without signing in."""

    opt = access(EVERYONE)
    include_in_schema = False
    exception_handlers = {**PAGE_ERRORS, TooManySubmissions: too_many}  # type: ignore[dict-item]

    @get(APPLY)
    async def programs(self, runtime: NamedDependency[Runtime]) -> Template:
        """The sites taking applications and their programs, each a link to its form."""
        return Template(
            "public/apply_index.html",
            context={"user": None, "sites": applications.offers(runtime)},
        )

    @get(APPLY + "/{site:str}/{program:str}")
    async def form(self, site: Slug, program: Slug, runtime: NamedDependency[Runtime]) -> Template:
        """What the program asks, then the form."""
        return self._form(applications.offer(runtime, site, program), {}, {}, 200)

    @post(APPLY + "/{site:str}/{program:str}", status_code=303)
    async def apply(
        self, site: Slug, program: Slug, request: Request, runtime: NamedDependency[Runtime]
    ) -> Response:
        """Record the application; errors in place with what was typed; the receipt then."""
        offered = applications.offer(runtime, site, program)
        await APPLICATIONS.check(runtime.clock)
        form = await request.form()
        typed = {key: str(value) for key, value in form.items()}
        typed["accord"] = form.getall("accord", [])  # type: ignore[assignment]
        if caught(form):
            await APPLICATIONS.count(runtime.clock)
            return Redirect(f"{RECEIVED}/0", status_code=303)
        data, errors = read_application(form, site, program, runtime.clock.now().date())
        if data is not None:
            try:
                receipt = await applications.submit(runtime, data)
            except (InvalidField, NotFound) as refused:
                errors = _service_errors(refused)
            else:
                await APPLICATIONS.count(runtime.clock)
                response = Redirect(f"{RECEIVED}/{receipt.reference}", status_code=303)
                response.set_cookie(
                    FIRST_NAME_COOKIE,
                    quote(receipt.first_name),
                    path=RECEIVED,
                    max_age=RECEIPT_SECONDS,
                    httponly=True,
                    samesite="lax",
                )
                return response
        return self._form(offered, typed, errors, 422)

    @staticmethod
    def _form(
        offered: applications.ProgramOffer,
        typed: dict[str, Any],
        errors: dict[str, str],
        status: int,
    ) -> Template:
        return Template(
            "public/apply.html",
            context={
                "user": None,
                "offer": offered,
                "typed": typed,
                "errors": errors,
                "trap_name": HONEYPOT,
                "action": f"{APPLY}/{offered.site}/{offered.program}",
                **_choices(),
            },
            status_code=status,
        )

    @get(RECEIVED + "/{reference:int}")
    async def received(
        self, reference: Annotated[int, PathParameter(ge=0)], request: Request
    ) -> Template:
        """The receipt: the reference, what happens next, the first name if this browser
        just sent the form."""
        first_name = unquote(request.cookies.get(FIRST_NAME_COOKIE, ""))[:100]
        return Template(
            "public/received.html",
            context={"user": None, "reference": reference, "first_name": first_name},
        )

    @get(VOLUNTEER)
    async def volunteer_form(self, runtime: NamedDependency[Runtime]) -> Template:
        """The volunteer sign-up form."""
        return self._volunteer(runtime, {}, {}, 200)

    @post(VOLUNTEER, status_code=303)
    async def volunteer(self, request: Request, runtime: NamedDependency[Runtime]) -> Response:
        """Record a pending volunteer; errors in place with what was typed."""
        await VOLUNTEERS.check(runtime.clock)
        form = await request.form()
        typed: dict[str, Any] = {key: str(value) for key, value in form.items()}
        for name in ("competences", "disponibilites", "accord"):
            typed[name] = form.getall(name, [])
        if caught(form):
            await VOLUNTEERS.count(runtime.clock)
            return Redirect(VOLUNTEER_DONE, status_code=303)
        site = str(form.get("antenne", ""))
        if site and runtime.sites.get(site) is None:
            return self._volunteer(runtime, typed, {"antenne": _("Choose a site.")}, 422)
        data, errors = read_volunteer(form, volunteering.lending_partners(runtime, site))
        if data is not None:
            try:
                await volunteering.sign_up(runtime, data)
            except (InvalidField, NotFound) as refused:
                errors = _service_errors(refused)
            else:
                await VOLUNTEERS.count(runtime.clock)
                return Redirect(VOLUNTEER_DONE, status_code=303)
        return self._volunteer(runtime, typed, errors, 422)

    @staticmethod
    def _volunteer(
        runtime: Runtime, typed: dict[str, Any], errors: dict[str, str], status: int
    ) -> Template:
        sites = [site for site in runtime.sites if site.accepts_applications]
        companies: dict[str, str] = {}
        for site in sites:
            companies |= volunteering.lending_partners(runtime, site.slug)
        return Template(
            "public/volunteer.html",
            context={
                "user": None,
                "sites": sites,
                "companies": companies,
                "skills": SKILLS,
                "weekdays": list(WEEKDAYS),
                "half_days": list(HALF_DAYS),
                "typed": typed,
                "errors": errors,
                "trap_name": HONEYPOT,
            },
            status_code=status,
        )

    @get(VOLUNTEER_DONE)
    async def volunteer_done(self) -> Template:
        """The sign-up's confirmation: what happens next."""
        return Template("public/volunteer_done.html", context={"user": None})
