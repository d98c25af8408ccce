"""What an application's page shows: the learner, the findings, the placement results, the
history, the actions its status allows and the cohorts it may join."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from litestar import Request
from litestar.response import Template

from core.applications import reads
from core.applications.pipeline import ApplicationStatus
from core.applications.schemas import ApplicationRead
from core.applications.service import TRACK_SETTABLE
from core.auth import service as accounts
from core.auth.roles import Principal
from core.cohorts import service as cohorts
from core.cohorts.schemas import CohortRead
from core.enrolment import service as enrolment
from core.enrolment.schemas import EnrolmentRead
from core.errors import NotFound
from core.learners import service as learners
from core.plugin import Finding
from core.runtime import Runtime
from core.web.homes import OPEN


def program_choices(runtime: Runtime, user: Principal) -> list[tuple[str, str]]:
    """The programs run at the sites ``user`` sees, as (key, title), by title."""
    keys = {key for site in runtime.sites if user.can_see_site(site.slug) for key in site.programs}
    found = [(key, program.title) for key in keys if (program := runtime.host.program(key))]
    return sorted(found, key=lambda choice: choice[1])


async def open_cohorts(user: Principal, application: ApplicationRead) -> list[CohortRead]:
    """The cohorts not finished that ``application`` may join: its site, program and track
    (and its cohort, when it asked for one)."""
    found, _ = await cohorts.list_cohorts(
        user, site=application.site, program=application.program, limit=200
    )
    return [
        cohort
        for cohort in reversed(found)
        if cohort.status in OPEN
        and application.track in (None, cohort.track)
        and application.cohort in (None, cohort.id)
    ]


def _track_choices(
    runtime: Runtime, application: ApplicationRead, titles: dict[str, str]
) -> list[tuple[str, str]]:
    """The tracks the site offers for the application's program, as (key, title), when the
    application has none yet: screening or admission sets it."""
    site = runtime.sites.get(application.site)
    settings = site.programs.get(application.program) if site else None
    if application.track is not None or settings is None:
        return []
    return [(key, titles.get(key, key)) for key in settings.tracks]


async def _places(user: Principal, application_id: int) -> list[EnrolmentRead]:
    try:
        return await enrolment.enrolments_of(user, application_id)
    except NotFound:  # never enrolled
        return []


async def application_page(
    request: Request[Principal, str, object],
    runtime: Runtime,
    application_id: int,
    *,
    errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
    refused: list[Finding] | None = None,
    done: ApplicationStatus | None = None,
    enrolled: str | None = None,
    status_code: int = 200,
) -> Template:
    """The application's page, with ``errors`` next to the forms as ``typed``."""
    user = request.user
    application = await reads.get_application(user, application_id)
    learner = await learners.get_learner(user, application.learner, runtime.clock)
    history = await reads.history(user, application_id)
    actors = await accounts.display_names(e.actor for e in history.events if e.actor)
    places = await _places(user, application_id)
    joined = {p.cohort: await cohorts.get_cohort(user, p.cohort) for p in places}
    program = runtime.host.program(application.program)
    tracks = {track.key: track.title for track in program.tracks} if program else {}
    site = runtime.sites.get(application.site)
    zone = ZoneInfo(site.config.timezone if site else "UTC")
    can_enrol = application.status is ApplicationStatus.ADMITTED
    context: dict[str, Any] = {
        "user": user,
        "application": application,
        "learner": learner,
        "program_title": program.title if program else application.program,
        "track_title": tracks.get(application.track or "", application.track),
        "tracks": tracks,
        "track_choices": _track_choices(runtime, application, tracks),
        "track_settable": [status.value for status in TRACK_SETTABLE],
        "placements": await reads.placement_results(user, application_id),
        "events": [(event, event.at.astimezone(zone)) for event in history.events],
        "actors": actors,
        "places": [(place, joined[place.cohort]) for place in places],
        "cohorts": await open_cohorts(user, application) if can_enrol else [],
        "can_enrol": can_enrol,
        "errors": errors or {},
        "typed": typed or {},
        "refused": refused or [],
        "done": done,
        "enrolled": enrolled,
        "action": f"/candidatures/{application_id}",
    }
    return Template("applications/detail.html", context=context, status_code=status_code)
