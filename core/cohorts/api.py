"""The cohorts API: thin handlers over ``core.cohorts.service``."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get, patch, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, PathParameter, QueryParameter

from core.auth.access import COHORT_MANAGERS, COHORT_VIEWERS, SITE_MANAGERS, access, listing
from core.auth.roles import Principal
from core.cohorts import service
from core.cohorts.schemas import CohortCreate, CohortPage, CohortRead, CohortUpdate
from core.db.limits import ID_MAX
from core.plugin import PlannedSession
from core.runtime import Runtime

CohortId = Annotated[int, PathParameter(ge=1, le=ID_MAX)]


class CohortController(Controller):
    """Cohorts within the caller's scope."""

    path = "/api/v1/cohorts"
    tags = ["cohorts"]

    @get("/", operation_id="listCohorts", opt=access(listing(COHORT_VIEWERS)))
    async def list_cohorts(
        self,
        request: Request[Principal, str, object],
        site: Annotated[str | None, QueryParameter(max_length=40)] = None,
        program: Annotated[str | None, QueryParameter(max_length=32)] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
        offset: Annotated[int, QueryParameter(ge=0, le=ID_MAX)] = 0,
    ) -> CohortPage:
        """A page of the cohorts the caller reaches, filtered by site or program."""
        items, total = await service.list_cohorts(
            request.user, site=site, program=program, limit=limit, offset=offset
        )
        return CohortPage(items=items, total=total, limit=limit, offset=offset)

    @get("/{cohort_id:int}", operation_id="getCohort", opt=access(COHORT_VIEWERS))
    async def get_cohort(
        self, cohort_id: CohortId, request: Request[Principal, str, object]
    ) -> CohortRead:
        """One cohort; out of the caller's scope it is not found."""
        return await service.get_cohort(request.user, cohort_id)

    @post("/", operation_id="createCohort", opt=access(SITE_MANAGERS))
    async def create_cohort(
        self,
        data: JSONBody[CohortCreate],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> CohortRead:
        """Open a cohort at a site the caller manages."""
        return await service.create_cohort(runtime, request.user, data)

    @patch("/{cohort_id:int}", operation_id="updateCohort", opt=access(COHORT_MANAGERS))
    async def update_cohort(
        self,
        cohort_id: CohortId,
        data: JSONBody[CohortUpdate],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> CohortRead:
        """Change a cohort's title, capacity, status, room, lead trainer or weekly rhythm."""
        return await service.update_cohort(runtime, request.user, cohort_id, data)

    @get("/{cohort_id:int}/plan", operation_id="getCohortPlan", opt=access(COHORT_VIEWERS))
    async def plan(
        self,
        cohort_id: CohortId,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> list[PlannedSession]:
        """The cohort's sessions as its program plans them."""
        return list(await service.session_plan(runtime, request.user, cohort_id))
