"""The outcomes API: an enrolment's follow-ups, and the follow-ups due at a site."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, Request, get, put
from litestar.di import NamedDependency
from litestar.params import JSONBody, PathParameter, QueryParameter

from core.auth.access import COHORT_MANAGERS, SITE_MANAGERS, access
from core.auth.roles import Principal
from core.db.limits import ID_MAX
from core.outcomes import service
from core.outcomes.schemas import (
    CheckpointRead,
    DueFollowUpPage,
    EnrolmentOutcomes,
    OutcomeInput,
)
from core.runtime import Runtime

EnrolmentId = Annotated[int, PathParameter(ge=1, le=ID_MAX)]


class OutcomeController(Controller):
    """What became of the learners of the caller's sites after they left (RULES.md O1, O2)."""

    path = "/api/v1"
    tags = ["outcomes"]

    @put(
        "/enrolments/{enrolment_id:int}/outcomes/{checkpoint:str}",
        operation_id="recordOutcome",
        opt=access(COHORT_MANAGERS),
    )
    async def record(
        self,
        enrolment_id: EnrolmentId,
        checkpoint: Annotated[str, PathParameter(max_length=10)],
        data: JSONBody[OutcomeInput],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> CheckpointRead:
        """Record the outcome at ``exit`` or a number of months after it; a second record for
        the same checkpoint replaces the first."""
        return await service.record(runtime, request.user, enrolment_id, checkpoint, data)

    @get(
        "/enrolments/{enrolment_id:int}/outcomes",
        operation_id="getEnrolmentOutcomes",
        opt=access(COHORT_MANAGERS),
    )
    async def outcomes_of(
        self,
        enrolment_id: EnrolmentId,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> EnrolmentOutcomes:
        """Every checkpoint of the enrolment: when it is due, its outcome, whether positive."""
        return await service.outcomes_of(runtime, request.user, enrolment_id)

    @get(
        "/sites/{slug:str}/outcomes/due", operation_id="listDueFollowUps", opt=access(SITE_MANAGERS)
    )
    async def due(
        self,
        slug: Annotated[str, PathParameter(max_length=40)],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
        on: Annotated[date | None, QueryParameter()] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
        offset: Annotated[int, QueryParameter(ge=0, le=ID_MAX)] = 0,
    ) -> DueFollowUpPage:
        """Follow-ups due at the site on ``on`` (today there by default) and not yet recorded."""
        return await service.due_follow_ups(
            runtime, request.user, slug, on, limit=limit, offset=offset
        )
