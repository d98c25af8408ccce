"""The sessions API: a cohort's calendar, planned from its program and rhythm."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import PathParameter, QueryParameter

from core.auth.roles import Principal
from core.runtime import Runtime
from core.scheduling import service
from core.scheduling.schemas import ConflictList, SessionList

CohortId = Annotated[int, PathParameter(ge=1)]


class SessionController(Controller):
    """The sessions of the cohorts within the caller's scope."""

    path = "/api/v1/cohorts/{cohort_id:int}/sessions"
    tags = ["sessions"]

    @get("/", operation_id="listSessions")
    async def list_sessions(
        self,
        cohort_id: CohortId,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> SessionList:
        """Every session of the cohort, in order."""
        return await service.list_sessions(runtime, request.user, cohort_id)

    @post("/plan", operation_id="planSessions", status_code=200)
    async def plan(
        self,
        cohort_id: CohortId,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> SessionList:
        """Place the cohort's sessions on real days; again, keeping those already held."""
        return await service.plan_cohort(runtime, request.user, cohort_id)


DEFAULT_DAYS = 366
"""A site's conflicts are looked for over the coming year unless told otherwise."""


class SiteConflictController(Controller):
    """Conflicts of a site's sessions: double bookings, rooms too small, days off."""

    path = "/api/v1/sites/{slug:str}/conflicts"
    tags = ["sessions"]

    @get("/", operation_id="listSiteConflicts")
    async def list_conflicts(
        self,
        slug: Annotated[str, PathParameter(max_length=40)],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
        first: Annotated[date | None, QueryParameter(name="from")] = None,
        last: Annotated[date | None, QueryParameter(name="to")] = None,
    ) -> ConflictList:
        """Every conflict of the site's sessions from ``from`` (today) to ``to`` (a year on)."""
        start = first or runtime.clock.now().date()
        end = last or start + timedelta(days=DEFAULT_DAYS)
        items = await service.site_conflicts(runtime, request.user, slug, start, end)
        return ConflictList(site=slug, first=start, last=end, items=items)
