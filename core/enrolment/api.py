"""The enrolment API: thin handlers over ``core.enrolment.service``."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, PathParameter

from core.auth.access import COHORT_MANAGERS, COHORT_TEAM, SITE_MANAGERS, access
from core.auth.roles import Principal
from core.db.limits import ID_MAX
from core.enrolment import service
from core.enrolment.schemas import (
    EnrolmentCreate,
    EnrolmentRead,
    ReasonBody,
    Roster,
    TransferCreate,
)
from core.runtime import Runtime

CohortId = Annotated[int, PathParameter(ge=1, le=ID_MAX)]
EnrolmentId = Annotated[int, PathParameter(ge=1, le=ID_MAX)]


class EnrolmentController(Controller):
    """Enrolments into the cohorts of the caller's sites, their waitlists and offers."""

    path = "/api/v1"
    tags = ["enrolment"]

    @post("/cohorts/{cohort_id:int}/enrolments", operation_id="enrol", opt=access(COHORT_MANAGERS))
    async def enrol(
        self,
        cohort_id: CohortId,
        data: JSONBody[EnrolmentCreate],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> EnrolmentRead:
        """Enrol an admitted application; a full cohort puts it on the waitlist, in order."""
        return await service.enrol(request.user, cohort_id, data, clock=runtime.clock)

    @get("/cohorts/{cohort_id:int}/roster", operation_id="getCohortRoster", opt=access(COHORT_TEAM))
    async def roster(
        self,
        cohort_id: CohortId,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> Roster:
        """Enrolled, offered and waitlisted people, the share of women against 50%, and of
        priority-neighbourhood residents against the site's target if it sets one."""
        return await service.roster(request.user, cohort_id, sites=runtime.sites)

    @post(
        "/enrolments/{enrolment_id:int}/withdraw",
        operation_id="withdrawEnrolment",
        opt=access(SITE_MANAGERS),
    )
    async def withdraw(
        self,
        enrolment_id: EnrolmentId,
        data: JSONBody[ReasonBody],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> EnrolmentRead:
        """An enrolled person leaves; the place is offered to the next on the waitlist."""
        return await service.withdraw(
            request.user, enrolment_id, data, clock=runtime.clock, sites=runtime.sites
        )

    @post(
        "/enrolments/{enrolment_id:int}/accept",
        operation_id="acceptOffer",
        opt=access(SITE_MANAGERS),
    )
    async def accept(
        self,
        enrolment_id: EnrolmentId,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> EnrolmentRead:
        """The person offered a place takes it before the offer's deadline."""
        return await service.accept(request.user, enrolment_id, clock=runtime.clock)

    @post(
        "/enrolments/{enrolment_id:int}/decline",
        operation_id="declineOffer",
        opt=access(SITE_MANAGERS),
    )
    async def decline(
        self,
        enrolment_id: EnrolmentId,
        data: JSONBody[ReasonBody],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> EnrolmentRead:
        """The person offered a place declines it; the next on the waitlist is offered it."""
        return await service.decline(
            request.user, enrolment_id, data, clock=runtime.clock, sites=runtime.sites
        )

    @post(
        "/enrolments/{enrolment_id:int}/leave",
        operation_id="leaveWaitlist",
        opt=access(SITE_MANAGERS),
    )
    async def leave(
        self,
        enrolment_id: EnrolmentId,
        data: JSONBody[ReasonBody],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> EnrolmentRead:
        """The person leaves the waitlist; those behind move up."""
        return await service.leave_waitlist(
            request.user, enrolment_id, data, clock=runtime.clock, sites=runtime.sites
        )

    @post(
        "/enrolments/{enrolment_id:int}/transfer",
        operation_id="transferEnrolment",
        opt=access(SITE_MANAGERS),
    )
    async def transfer(
        self,
        enrolment_id: EnrolmentId,
        data: JSONBody[TransferCreate],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> EnrolmentRead:
        """Move the person to another cohort of the same track; the old enrolment is kept."""
        return await service.transfer(
            request.user, enrolment_id, data, clock=runtime.clock, sites=runtime.sites
        )

    @get(
        "/applications/{application_id:int}/enrolments",
        operation_id="listApplicationEnrolments",
        opt=access(SITE_MANAGERS),
    )
    async def enrolments_of(
        self,
        application_id: Annotated[int, PathParameter(ge=1, le=ID_MAX)],
        request: Request[Principal, str, object],
    ) -> list[EnrolmentRead]:
        """Every enrolment of an application, oldest first, transfers included."""
        return await service.enrolments_of(request.user, application_id)
