"""The volunteers API: volunteers of a site and their availability, the volunteers booked
for a session, and the volunteering report of the central team."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, Request, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import JSONBody, PathParameter, QueryParameter

from core.auth.access import REPORTS, SITE_VOLUNTEERS, access, listing
from core.auth.roles import Principal
from core.db.limits import ID_MAX
from core.runtime import Runtime
from core.scheduling.schemas import AvailabilityInput, AvailabilityRead
from core.volunteering import report, service
from core.volunteering.schemas import (
    SessionVolunteerCreate,
    SessionVolunteers,
    VolunteerCreate,
    VolunteeringReport,
    VolunteerPage,
    VolunteerRead,
    VolunteerUpdate,
)

VolunteerId = Annotated[int, PathParameter(ge=1, le=ID_MAX)]
SessionId = Annotated[int, PathParameter(ge=1, le=ID_MAX)]
SiteQuery = Annotated[str | None, QueryParameter(max_length=40)]


class VolunteerController(Controller):
    """Volunteers of the sites the caller manages."""

    path = "/api/v1/volunteers"
    tags = ["volunteers"]

    @get("/", operation_id="listVolunteers", opt=access(listing(SITE_VOLUNTEERS)))
    async def list_volunteers(
        self,
        request: Request[Principal, str, object],
        site: SiteQuery = None,
        partner: Annotated[str | None, QueryParameter(max_length=40)] = None,
        active: Annotated[bool | None, QueryParameter()] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
        offset: Annotated[int, QueryParameter(ge=0, le=ID_MAX)] = 0,
    ) -> VolunteerPage:
        """A page of volunteers, by site, lending partner or whether they are active."""
        items, total = await service.list_volunteers(
            request.user, site=site, partner=partner, active=active, limit=limit, offset=offset
        )
        return VolunteerPage(items=items, total=total, limit=limit, offset=offset)

    @post("/", operation_id="createVolunteer", opt=access(SITE_VOLUNTEERS))
    async def create_volunteer(
        self,
        data: JSONBody[VolunteerCreate],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> VolunteerRead:
        """Record a volunteer: a former learner by their learner id, anyone else by name."""
        return await service.create_volunteer(runtime, request.user, data)

    @get("/{volunteer_id:int}", operation_id="getVolunteer", opt=access(SITE_VOLUNTEERS))
    async def get_volunteer(
        self, volunteer_id: VolunteerId, request: Request[Principal, str, object]
    ) -> VolunteerRead:
        """One volunteer; out of the caller's sites it is not found."""
        return await service.get_volunteer(request.user, volunteer_id)

    @patch("/{volunteer_id:int}", operation_id="updateVolunteer", opt=access(SITE_VOLUNTEERS))
    async def update_volunteer(
        self,
        volunteer_id: VolunteerId,
        data: JSONBody[VolunteerUpdate],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> VolunteerRead:
        """Change a volunteer; ``active: false`` deactivates them and takes them off the
        sessions that have not started."""
        return await service.update_volunteer(runtime, request.user, volunteer_id, data)

    @get(
        "/{volunteer_id:int}/availability",
        operation_id="getVolunteerAvailability",
        opt=access(SITE_VOLUNTEERS),
    )
    async def get_availability(
        self, volunteer_id: VolunteerId, request: Request[Principal, str, object]
    ) -> AvailabilityRead:
        """The weekly windows the volunteer declared."""
        return await service.volunteer_availability(request.user, volunteer_id)

    @put(
        "/{volunteer_id:int}/availability",
        operation_id="setVolunteerAvailability",
        opt=access(SITE_VOLUNTEERS),
    )
    async def set_availability(
        self,
        volunteer_id: VolunteerId,
        data: JSONBody[AvailabilityInput],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> AvailabilityRead:
        """Replace the volunteer's weekly windows; an empty list declares none."""
        return await service.set_volunteer_availability(runtime, request.user, volunteer_id, data)


class SessionVolunteerController(Controller):
    """The volunteers booked for a session, besides its trainer."""

    path = "/api/v1/sessions/{session_id:int}/volunteers"
    tags = ["volunteers", "sessions"]

    @get("/", operation_id="listSessionVolunteers", opt=access(SITE_VOLUNTEERS))
    async def list_booked(
        self, session_id: SessionId, request: Request[Principal, str, object]
    ) -> SessionVolunteers:
        """The volunteers booked for the session."""
        return await service.session_volunteers(request.user, session_id)

    @post("/", operation_id="bookSessionVolunteer", opt=access(SITE_VOLUNTEERS))
    async def book(
        self,
        session_id: SessionId,
        data: JSONBody[SessionVolunteerCreate],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> SessionVolunteers:
        """Book a volunteer for the session; the cohort's sessions list shows any conflict."""
        return await service.book_volunteer(runtime, request.user, session_id, data.volunteer)

    @delete(
        "/{volunteer_id:int}",
        operation_id="unbookSessionVolunteer",
        opt=access(SITE_VOLUNTEERS),
        status_code=204,
    )
    async def unbook(
        self,
        session_id: SessionId,
        volunteer_id: VolunteerId,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> None:
        """Take a volunteer off the session."""
        await service.unbook_volunteer(runtime, request.user, session_id, volunteer_id)


class VolunteeringReportController(Controller):
    """Volunteer hours per site and per lending company, for the central team."""

    path = "/api/v1/reports/volunteering"
    tags = ["reports"]

    @get("/", operation_id="volunteeringReport", opt=access(REPORTS))
    async def volunteering(
        self,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
        first: Annotated[date, QueryParameter(name="from")],
        last: Annotated[date, QueryParameter(name="to")],
        site: SiteQuery = None,
    ) -> VolunteeringReport:
        """Hours given over the period (local days, inclusive): the minutes of the sessions
        volunteers were booked for that have ended, per site and company."""
        return await report.volunteering_report(runtime, request.user, first, last, site)
