"""What a learner's record shows: identity and contact, French level, audience attributes,
consents, the notes (to the site's staff), and what became of each application: its
history, its enrolments with their attendance, assessments and outcomes. Each piece comes
from the service the API uses, with the signed-in principal."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from litestar import Request
from litestar.response import Template

from core.applications import reads
from core.applications.schemas import ApplicationRead
from core.attendance.service import learner_hours
from core.auth import service as accounts
from core.auth.roles import Principal
from core.cohorts import service as cohorts
from core.cohorts.schemas import CohortRead, CohortStatus
from core.completion import assessments
from core.completion.schemas import AssessmentSheet
from core.enrolment import service as enrolment
from core.enrolment.schemas import EnrolmentRead
from core.errors import Conflict, NotFound
from core.learners import consent
from core.learners import service as learners
from core.learners.schemas import LearnerRead
from core.outcomes import service as outcomes
from core.outcomes.schemas import EnrolmentOutcomes
from core.runtime import Runtime
from core.sites.schema import PartnerKind


@dataclass(frozen=True, slots=True)
class Place:
    """One enrolment of the learner, with its cohort and, while enrolled, its figures."""

    enrolment: EnrolmentRead
    cohort: CohortRead
    hours: tuple[float, float] | None
    """The planned hours and those attended, for an enrolled person."""
    sheet: AssessmentSheet | None
    outcomes: EnrolmentOutcomes | None


@dataclass(frozen=True, slots=True)
class Journey:
    """One application of the learner, its history and its enrolments."""

    application: ApplicationRead
    events: list[tuple[Any, Any]]
    places: list[Place]


async def _place(runtime: Runtime, user: Principal, found: EnrolmentRead) -> Place:
    cohort = await cohorts.get_cohort(user, found.cohort)
    if found.status != enrolment.EnrolmentStatus.ENROLLED:
        return Place(enrolment=found, cohort=cohort, hours=None, sheet=None, outcomes=None)
    followed = sheet = None
    if cohort.status != CohortStatus.CANCELLED:
        try:
            followed = await outcomes.outcomes_of(runtime, user, found.id)
        except Conflict:  # not followed: the service says why
            followed = None
    try:
        sheet = await assessments.sheet(runtime, user, found.id)
    except Conflict:  # its program is no longer installed: no assessment to show
        sheet = None
    return Place(
        enrolment=found,
        cohort=cohort,
        hours=await learner_hours(runtime, cohort, found.learner),
        sheet=sheet,
        outcomes=followed,
    )


async def _paths(
    runtime: Runtime, user: Principal, learner_id: int, zone: ZoneInfo
) -> tuple[list[Journey], set[int]]:
    """Every application of the learner, newest first, and the accounts that acted on them."""
    found, _ = await reads.list_applications(user, learner=learner_id, limit=100)
    paths, actors = [], set()
    for application in found:
        history = await reads.history(user, application.id)
        actors |= {event.actor for event in history.events if event.actor}
        try:
            places = await enrolment.enrolments_of(user, application.id)
        except NotFound:  # never enrolled
            places = []
        paths.append(
            Journey(
                application=application,
                events=[(event, event.at.astimezone(zone)) for event in history.events],
                places=[await _place(runtime, user, place) for place in places],
            )
        )
    return paths, actors


def partner_choices(runtime: Runtime, learner: LearnerRead) -> list[tuple[str, str]]:
    """The site's referral partners, as (key, name)."""
    site = runtime.sites.get(learner.site)
    partners = site.config.partners if site else ()
    return [(p.key, p.name) for p in partners if PartnerKind.REFERRAL in p.kinds]


async def learner_page(
    request: Request[Principal, str, object],
    runtime: Runtime,
    learner_id: int,
    *,
    done: bool = False,
    erased: bool = False,
) -> Template:
    """The learner's record, its read audited as the API's; ``erased`` says the record
    was erased and can no longer change (409)."""
    user = request.user
    learner = await learners.get_learner(user, learner_id, runtime.clock)
    site = runtime.sites.get(learner.site)
    zone = ZoneInfo(site.config.timezone if site else "UTC")
    paths, actors = await _paths(runtime, user, learner_id, zone)
    programs = {
        p.key: (p.title, {t.key: t.title for t in p.tracks}) for p in runtime.host.programs()
    }
    context: dict[str, Any] = {
        "user": user,
        "learner": learner,
        "site_name": site.config.name if site else learner.site,
        "partners": dict(partner_choices(runtime, learner)),
        "consents": await consent.list_consents(user, learner_id, runtime.clock),
        "paths": paths,
        "actors": await accounts.display_names(actors),
        "programs": programs,
        "done": done,
        "erased": erased,
    }
    return Template("learners/record.html", context=context, status_code=409 if erased else 200)
