"""The sessions API: a cohort's calendar, planned from its program and rhythm."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import PathParameter

from core.auth.roles import Principal
from core.runtime import Runtime
from core.scheduling import service
from core.scheduling.schemas import SessionList

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
        return await service.list_sessions(request.user, cohort_id, runtime.clock.now())

    @post("/plan", operation_id="planSessions", status_code=200)
    async def plan(
        self,
        cohort_id: CohortId,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> SessionList:
        """Place the cohort's sessions on real days; again, keeping those already held."""
        return await service.plan_cohort(runtime, request.user, cohort_id)
