"""The sessions API: a cohort's calendar, planned from its program and rhythm, and the
calendar feeds that calendar apps subscribe to."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from typing import Annotated

from litestar import Controller, Request, Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import JSONBody, PathParameter, QueryParameter

from core.auth.access import (
    COHORT_MANAGERS,
    COHORT_TEAM,
    COHORT_VIEWERS,
    EVERYONE,
    SITE_MANAGERS,
    SITE_SCHEDULE,
    TRAINER_AVAILABILITY,
    access,
    listing,
)
from core.auth.roles import Principal
from core.db.limits import ID_MAX
from core.errors import NotFound
from core.runtime import Runtime
from core.scheduling import availability, feeds, service
from core.scheduling.schemas import (
    AvailabilityInput,
    AvailabilityRead,
    ConflictList,
    FeedCreate,
    FeedIssued,
    FeedPage,
    SessionList,
)

CohortId = Annotated[int, PathParameter(ge=1, le=ID_MAX)]


class SessionController(Controller):
    """The sessions of the cohorts within the caller's scope."""

    path = "/api/v1/cohorts/{cohort_id:int}/sessions"
    tags = ["sessions"]

    @get("/", operation_id="listSessions", opt=access(COHORT_VIEWERS))
    async def list_sessions(
        self,
        cohort_id: CohortId,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> SessionList:
        """Every session of the cohort, in order."""
        return await service.list_sessions(runtime, request.user, cohort_id)

    @post("/plan", operation_id="planSessions", opt=access(COHORT_MANAGERS), status_code=200)
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

    @get("/", operation_id="listSiteConflicts", opt=access(SITE_SCHEDULE))
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


class AccountAvailabilityController(Controller):
    """When trainers are available: weekly windows the conflict check holds sessions to."""

    path = "/api/v1/accounts/{account_id:int}/availability"
    tags = ["availability"]

    @get("/", operation_id="getAccountAvailability", opt=access(TRAINER_AVAILABILITY))
    async def get_availability(
        self,
        account_id: Annotated[int, PathParameter(ge=1, le=ID_MAX)],
        request: Request[Principal, str, object],
    ) -> AvailabilityRead:
        """The weekly windows a trainer declared: one's own, or a trainer of one's sites."""
        return await availability.account_availability(request.user, account_id)

    @put("/", operation_id="setAccountAvailability", opt=access(TRAINER_AVAILABILITY))
    async def set_availability(
        self,
        account_id: Annotated[int, PathParameter(ge=1, le=ID_MAX)],
        data: JSONBody[AvailabilityInput],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> AvailabilityRead:
        """Replace a trainer's weekly windows; an empty list declares none."""
        return await availability.set_account_availability(runtime, request.user, account_id, data)


class CalendarFeedController(Controller):
    """Calendar feeds of cohorts, rooms and trainers: their secret addresses, issued once."""

    path = "/api/v1/calendar-feeds"
    tags = ["calendar feeds"]

    @post("/", operation_id="createCalendarFeed", opt=access(COHORT_TEAM), status_code=201)
    async def create_feed(
        self,
        data: JSONBody[FeedCreate],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> FeedIssued:
        """A new feed; its address holds a secret and is shown this once."""
        feed, secret = await feeds.create_feed(runtime, request.user, data)
        url = str(request.base_url).rstrip("/") + feeds.feed_path(secret)
        return FeedIssued(**{name: getattr(feed, name) for name in feed.__struct_fields__}, url=url)

    @get("/", operation_id="listCalendarFeeds", opt=access(listing(SITE_MANAGERS)))
    async def list_feeds(
        self,
        request: Request[Principal, str, object],
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
        offset: Annotated[int, QueryParameter(ge=0, le=ID_MAX)] = 0,
    ) -> FeedPage:
        """The feeds the caller reaches, newest first, without their addresses."""
        items, total = await feeds.list_feeds(request.user, limit=limit, offset=offset)
        return FeedPage(items=items, total=total, limit=limit, offset=offset)

    @delete(
        "/{feed_id:int}",
        operation_id="revokeCalendarFeed",
        opt=access(SITE_MANAGERS),
        status_code=204,
    )
    async def revoke_feed(
        self,
        feed_id: Annotated[int, PathParameter(ge=1, le=ID_MAX)],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> None:
        """Revoke a feed: its address answers 404 from now on."""
        await feeds.revoke_feed(runtime, request.user, feed_id)


ICALENDAR = "text/calendar"
"""Litestar adds ``; charset=utf-8`` to a text media type."""


class PublicCalendarController(Controller):
    """Feeds as calendar apps read them: no login, the secret address is the credential."""

    path = feeds.PATH
    tags = ["calendar feeds"]

    @get("/{file_name:str}", operation_id="readCalendarFeed", opt=access(EVERYONE))
    async def read_feed(
        self,
        file_name: Annotated[str, PathParameter(max_length=100)],
        request: Request,
        runtime: NamedDependency[Runtime],
    ) -> Response[bytes]:
        """The feed at ``<secret>.ics``; 404 for an unknown or revoked address alike.

        The same sessions make the same bytes, so the ETag lets apps that poll skip a
        download when nothing changed."""
        secret = file_name.removesuffix(feeds.SUFFIX)
        if secret == file_name or not secret:
            raise NotFound("no such calendar")
        body = await feeds.render_feed(runtime, secret)
        etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
        headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
        if etag in request.headers.get("if-none-match", ""):
            return Response(b"", status_code=304, headers=headers, media_type=ICALENDAR)
        return Response(body, headers=headers, media_type=ICALENDAR)
