"""The site manager's applications: the site's list, one application with its findings and
history, its status changes and its enrolment into a cohort, each through the service the
API uses."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import PathParameter, QueryParameter
from litestar.response import Redirect, Template

from core.applications import reads, service
from core.applications.pipeline import ApplicationStatus
from core.auth.access import SITE_MANAGERS, access, listing, page
from core.auth.roles import Principal, Role
from core.enrolment import service as enrolment
from core.enrolment.schemas import EnrolmentCreate
from core.errors import Conflict, InvalidField
from core.learners import service as learners
from core.plugin import Finding
from core.runtime import Runtime
from core.web.access import PAGE_ERRORS, home_of
from core.web.application_forms import read_change, read_cohort
from core.web.application_view import application_page, program_choices
from core.web.i18n import gettext as _

Id = Annotated[int, PathParameter(ge=1)]
PER_PAGE = 20
LIST = "/antenne/candidatures"
DONE = "fait"
"""The query that confirms a status change, with the status reached."""
ENROLLED = "inscription"
"""The query that confirms an enrolment: ``inscrit``, or the waitlist position."""


def address(application_id: int) -> str:
    """Where an application's page lives."""
    return f"/candidatures/{application_id}"


def _page_link(filters: dict[str, str], number: int) -> str:
    """The list's page ``number`` with the same filters."""
    kept = {"page": str(number)} | {key: value for key, value in filters.items() if value}
    return f"{LIST}?{urlencode(kept)}"


def _change_refused(refused: Conflict | InvalidField, to: ApplicationStatus) -> dict[str, str]:
    """Where and why a status change was refused, in the reader's language."""
    if refused.field == "track":
        return {f"parcours-{to.value}": _("Choose the track: it is set before admission.")}
    return {
        "actions": _(
            "This change is not possible now: the application may have changed "
            "meanwhile. Reload the page and try again."
        )
    }


class ApplicationListController(Controller):
    """The applications of the manager's sites, behind the sign-in."""

    path = LIST
    include_in_schema = False
    opt = access(page(listing(SITE_MANAGERS)))
    exception_handlers = PAGE_ERRORS  # type: ignore[assignment]

    @get()
    async def show(
        self,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
        status: Annotated[ApplicationStatus | None, QueryParameter(name="statut")] = None,
        program: Annotated[str | None, QueryParameter(name="programme", max_length=32)] = None,
        number: Annotated[int, QueryParameter(name="page", ge=1)] = 1,
    ) -> Template | Redirect:
        """A page of applications, newest first, with their learners and findings."""
        user = request.user
        if user.role is Role.TRAINER:
            return Redirect(home_of(user), status_code=303)
        items, total = await reads.list_applications(
            user,
            status=status,
            program=program or None,
            limit=PER_PAGE,
            offset=(number - 1) * PER_PAGE,
        )
        people = await learners.summaries(user, [item.learner for item in items])
        filters = {"statut": status.value if status else "", "programme": program or ""}
        pages = max(1, -(-total // PER_PAGE))
        return Template(
            "applications/list.html",
            context={
                "user": user,
                "items": items,
                "people": people,
                "total": total,
                "number": number,
                "pages": pages,
                "previous": _page_link(filters, number - 1) if number > 1 else None,
                "next": _page_link(filters, number + 1) if number < pages else None,
                "filters": filters,
                "statuses": list(ApplicationStatus),
                "programs": program_choices(runtime, user),
                "tracks": {
                    p.key: {t.key: t.title for t in p.tracks} for p in runtime.host.programs()
                },
            },
        )


class ApplicationPageController(Controller):
    """One application, its status changes and its enrolment, behind the sign-in."""

    path = "/candidatures/{application_id:int}"
    include_in_schema = False
    opt = access(page(SITE_MANAGERS))
    exception_handlers = PAGE_ERRORS  # type: ignore[assignment]

    @get()
    async def show(
        self,
        application_id: Id,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
        done: Annotated[ApplicationStatus | None, QueryParameter(name=DONE)] = None,
        enrolled: Annotated[
            str | None, QueryParameter(name=ENROLLED, pattern=r"^(inscrit|[1-9][0-9]{0,5})$")
        ] = None,
    ) -> Template:
        """The application with the actions its status allows."""
        return await application_page(
            request, runtime, application_id, done=done, enrolled=enrolled
        )

    @post(status_code=303)
    async def change(
        self,
        application_id: Id,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> Template | Redirect:
        """Change the status as the form asks; a refusal shows its reason in place."""
        await reads.managed_row(request.user, application_id)
        posted = {key: str(value) for key, value in (await request.form()).items()}
        data, errors = read_change(posted)
        findings: list[Finding] = []
        if data is not None:
            try:
                await service.transition(runtime, request.user, application_id, data)
            except service.Ineligible as refused:
                findings = [finding for finding in refused.findings if not finding.ok]
                errors["actions"] = _("The admission was refused: the rules below are not met.")
            except (Conflict, InvalidField) as refused:
                errors.update(_change_refused(refused, data.to))
            else:
                return Redirect(
                    f"{address(application_id)}?{DONE}={data.to.value}", status_code=303
                )
        return await application_page(
            request,
            runtime,
            application_id,
            errors=errors,
            typed=posted,
            refused=findings,
            status_code=422,
        )

    @post("/inscription", status_code=303)
    async def enrol(
        self,
        application_id: Id,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> Template | Redirect:
        """Enrol the admitted application into the chosen cohort, or its waitlist if full."""
        await reads.managed_row(request.user, application_id)
        posted = {key: str(value) for key, value in (await request.form()).items()}
        cohort, errors = read_cohort(posted)
        if cohort is not None:
            try:
                placed = await enrolment.enrol(
                    request.user,
                    cohort,
                    EnrolmentCreate(application_id=application_id),
                    clock=runtime.clock,
                )
            except (Conflict, InvalidField):
                errors["promotion"] = _(
                    "This cohort cannot take this application: check that it is admitted "
                    "and that the cohort teaches its track."
                )
            else:
                outcome = "inscrit" if placed.position is None else str(placed.position)
                return Redirect(f"{address(application_id)}?{ENROLLED}={outcome}", status_code=303)
        return await application_page(
            request, runtime, application_id, errors=errors, typed=posted, status_code=422
        )
