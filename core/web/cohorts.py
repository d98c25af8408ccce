"""The cohorts of a site: their list, and one cohort's page with its roster, waitlist and
calendar; its managers withdraw and transfer people there, through the service the API
uses. The cohort's trainers read its page; nobody else reaches it."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import PathParameter, QueryParameter
from litestar.response import Redirect, Template

from core.auth.access import COHORT_MANAGERS, COHORT_TEAM, SITE_SCHEDULE, access, listing, page
from core.auth.roles import Principal, Role
from core.cohorts import service as cohorts
from core.cohorts.schemas import CohortStatus
from core.enrolment import service as enrolment
from core.errors import Conflict, InvalidField, NotFound
from core.runtime import Runtime
from core.web.access import PAGE_ERRORS, home_of
from core.web.application_view import program_choices
from core.web.cohort_forms import read_transfer, read_withdrawal
from core.web.cohort_view import cohort_page, movable, transfer_targets
from core.web.i18n import gettext as _

Id = Annotated[int, PathParameter(ge=1)]
PER_PAGE = 20
LIST = "/antenne/cohortes"
DONE = "fait"
"""The query that confirms an action: ``retrait`` or ``transfert``."""


def address(cohort_id: int) -> str:
    """Where a cohort's page lives."""
    return f"/cohortes/{cohort_id}"


def _page_link(filters: dict[str, str], number: int) -> str:
    """The list's page ``number`` with the same filters."""
    kept = {"page": str(number)} | {key: value for key, value in filters.items() if value}
    return f"{LIST}?{urlencode(kept)}"


async def _posted(request: Request[Principal, str, object]) -> dict[str, str]:
    return {key: str(value) for key, value in (await request.form()).items()}


def _changed() -> str:
    """Why a change the service refused did not happen, in the reader's language."""
    return _(
        "This change is not possible now: the roster may have changed meanwhile. "
        "Reload the page and try again."
    )


class CohortListController(Controller):
    """The cohorts of the caller's sites, behind the sign-in."""

    path = LIST
    include_in_schema = False
    opt = access(page(listing(SITE_SCHEDULE)))
    exception_handlers = PAGE_ERRORS  # type: ignore[assignment]

    @get()
    async def show(
        self,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
        status: Annotated[CohortStatus | None, QueryParameter(name="statut")] = None,
        program: Annotated[str | None, QueryParameter(name="programme", max_length=32)] = None,
        number: Annotated[int, QueryParameter(name="page", ge=1, le=10_000)] = 1,
    ) -> Template | Redirect:
        """A page of cohorts, latest start first, filtered by program and status."""
        user = request.user
        if user.role is Role.TRAINER:
            return Redirect(home_of(user), status_code=303)
        items, total = await cohorts.list_cohorts(
            user,
            program=program or None,
            status=status,
            limit=PER_PAGE,
            offset=(number - 1) * PER_PAGE,
        )
        filters = {"statut": status.value if status else "", "programme": program or ""}
        pages = max(1, -(-total // PER_PAGE))
        return Template(
            "cohorts/list.html",
            context={
                "user": user,
                "items": items,
                "total": total,
                "number": number,
                "pages": pages,
                "previous": _page_link(filters, number - 1) if number > 1 else None,
                "next": _page_link(filters, number + 1) if number < pages else None,
                "filters": filters,
                "statuses": list(CohortStatus),
                "programs": program_choices(runtime, user),
                "tracks": {
                    p.key: {t.key: t.title for t in p.tracks} for p in runtime.host.programs()
                },
                "sites": {site.slug: site.config.name for site in runtime.sites},
                "several_sites": user.sees_every_site or len(user.sites) > 1,
                "linked": user.role is not Role.CENTRAL_VIEWER,
            },
        )


class CohortPageController(Controller):
    """One cohort: its roster, waitlist, calendar and conflicts, behind the sign-in."""

    path = "/cohortes/{cohort_id:int}"
    include_in_schema = False
    opt = access(page(COHORT_TEAM))
    exception_handlers = PAGE_ERRORS  # type: ignore[assignment]

    @get()
    async def show(
        self,
        cohort_id: Id,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
        done: Annotated[
            str | None, QueryParameter(name=DONE, pattern=r"^(retrait|transfert)$")
        ] = None,
    ) -> Template:
        """The cohort, with the actions its managers may take."""
        return await cohort_page(request, runtime, cohort_id, done=done)

    @post("/retrait", status_code=303, opt=access(page(COHORT_MANAGERS)))
    async def withdraw(
        self,
        cohort_id: Id,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> Template | Redirect:
        """Withdraw an enrolled person; their place is offered to the next on the waitlist."""
        await cohorts.managed_cohort(request.user, cohort_id)
        posted = await _posted(request)
        enrolled, _transferable = await movable(request.user, cohort_id)
        asked, errors = read_withdrawal(posted, enrolled)
        if asked is not None:
            enrolment_id, body = asked
            try:
                await enrolment.withdraw(
                    request.user, enrolment_id, body, clock=runtime.clock, sites=runtime.sites
                )
            except (Conflict, InvalidField, NotFound):
                errors["retrait-personne"] = _changed()
            else:
                return Redirect(f"{address(cohort_id)}?{DONE}=retrait", status_code=303)
        return await cohort_page(
            request, runtime, cohort_id, errors=errors, typed=posted, status_code=422
        )

    @post("/transfert", status_code=303, opt=access(page(COHORT_MANAGERS)))
    async def transfer(
        self,
        cohort_id: Id,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> Template | Redirect:
        """Move an enrolled or waitlisted person to another cohort of the same track."""
        cohort = await cohorts.managed_cohort(request.user, cohort_id)
        posted = await _posted(request)
        _withdrawable, people = await movable(request.user, cohort_id)
        targets = {other.id for other in await transfer_targets(request.user, cohort)}
        asked, errors = read_transfer(posted, people, targets)
        if asked is not None:
            enrolment_id, body = asked
            try:
                await enrolment.transfer(
                    request.user, enrolment_id, body, clock=runtime.clock, sites=runtime.sites
                )
            except Conflict:
                errors["transfert-promotion"] = _(
                    "This cohort has no free place for an enrolled person: the people on its "
                    "waitlist come first. Choose another cohort."
                )
            except (InvalidField, NotFound):
                errors["transfert-personne"] = _changed()
            else:
                return Redirect(f"{address(cohort_id)}?{DONE}=transfert", status_code=303)
        return await cohort_page(
            request, runtime, cohort_id, errors=errors, typed=posted, status_code=422
        )
