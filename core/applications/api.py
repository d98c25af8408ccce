"""The applications API: thin handlers over ``core.applications``' service and reads."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, PathParameter, QueryParameter

from core.applications import reads, service
from core.applications.pipeline import ApplicationStatus
from core.applications.schemas import (
    ApplicationCreate,
    ApplicationHistory,
    ApplicationPage,
    ApplicationRead,
    PlacementOutcome,
    PlacementResultCreate,
    TransitionCreate,
)
from core.auth.access import SITE_MANAGERS, access, listing
from core.auth.roles import Principal
from core.db.limits import ID_MAX
from core.errors import problem
from core.runtime import Runtime

ApplicationId = Annotated[int, PathParameter(ge=1, le=ID_MAX)]


def handle_ineligible(request: Request, exc: service.Ineligible) -> Response[dict[str, Any]]:
    """A refused admission: the problem names the rules, and carries every finding in words."""
    return problem(
        exc.status_code,
        exc.detail,
        [{"field": "to", "message": exc.detail}],
        findings=msgspec.to_builtins(exc.findings),
    )


class ApplicationController(Controller):
    """Applications within the caller's sites."""

    path = "/api/v1/applications"
    tags = ["applications"]
    exception_handlers = {service.Ineligible: handle_ineligible}

    @get("/", operation_id="listApplications", opt=access(listing(SITE_MANAGERS)))
    async def list_applications(
        self,
        request: Request[Principal, str, object],
        site: Annotated[str | None, QueryParameter(max_length=40)] = None,
        program: Annotated[str | None, QueryParameter(max_length=32)] = None,
        status: Annotated[ApplicationStatus | None, QueryParameter()] = None,
        learner: Annotated[int | None, QueryParameter(ge=1, le=ID_MAX)] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
        offset: Annotated[int, QueryParameter(ge=0, le=ID_MAX)] = 0,
    ) -> ApplicationPage:
        """A page of the applications the caller reaches, newest first."""
        items, total = await reads.list_applications(
            request.user,
            site=site,
            program=program,
            status=status,
            learner=learner,
            limit=limit,
            offset=offset,
        )
        return ApplicationPage(items=items, total=total, limit=limit, offset=offset)

    @post("/", operation_id="createApplication", opt=access(SITE_MANAGERS))
    async def create_application(
        self,
        data: JSONBody[ApplicationCreate],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> ApplicationRead:
        """Record an application; its eligibility findings come back with it."""
        return await service.create_application(runtime, request.user, data)

    @get("/{application_id:int}", operation_id="getApplication", opt=access(SITE_MANAGERS))
    async def get_application(
        self, application_id: ApplicationId, request: Request[Principal, str, object]
    ) -> ApplicationRead:
        """One application with its latest findings; out of the caller's scope it is not found."""
        return await reads.get_application(request.user, application_id)

    @post(
        "/{application_id:int}/transitions",
        operation_id="transitionApplication",
        opt=access(SITE_MANAGERS),
    )
    async def transition(
        self,
        application_id: ApplicationId,
        data: JSONBody[TransitionCreate],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> ApplicationRead:
        """Change the status; 409 with the reason when the pipeline or the findings refuse."""
        return await service.transition(runtime, request.user, application_id, data)

    @post(
        "/{application_id:int}/placement-results",
        operation_id="recordPlacementResult",
        opt=access(SITE_MANAGERS),
    )
    async def record_placement_result(
        self,
        application_id: ApplicationId,
        data: JSONBody[PlacementResultCreate],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> PlacementOutcome:
        """Record a placement test's result; the program says which tracks it opens."""
        return await service.record_placement_result(runtime, request.user, application_id, data)

    @get(
        "/{application_id:int}/history",
        operation_id="getApplicationHistory",
        opt=access(SITE_MANAGERS),
    )
    async def history(
        self, application_id: ApplicationId, request: Request[Principal, str, object]
    ) -> ApplicationHistory:
        """Every status change and eligibility check, with the facts each decision kept."""
        return await reads.history(request.user, application_id)
