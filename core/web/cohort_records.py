"""What the cohort's record pages (assessments, completion) share: the cohort with its
program's and track's titles, its enrolled learners, and the site's today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from core.auth.roles import Principal
from core.cohorts import service as cohorts
from core.cohorts.schemas import CohortRead
from core.enrolment import service as enrolment
from core.enrolment.schemas import RosterEntry
from core.runtime import Runtime


@dataclass(frozen=True, slots=True)
class CohortRecords:
    """A cohort as its record pages show it, with the learners enrolled in it."""

    cohort: CohortRead
    program_title: str
    track_title: str
    learners: list[RosterEntry]
    today: date


async def cohort_records(runtime: Runtime, user: Principal, cohort_id: int) -> CohortRecords:
    """The cohort ``user`` reaches and its enrolled learners (NotFound out of reach,
    Forbidden for the central team, as the roster answers)."""
    cohort = await cohorts.get_cohort(user, cohort_id)
    roster = await enrolment.roster(user, cohort_id)
    program = runtime.host.program(cohort.program)
    track = next((t for t in program.tracks if t.key == cohort.track), None) if program else None
    site = runtime.sites.get(cohort.site)
    zone = ZoneInfo(site.config.timezone if site else "UTC")
    return CohortRecords(
        cohort=cohort,
        program_title=program.title if program else cohort.program,
        track_title=track.title if track else cohort.track,
        learners=roster.enrolled,
        today=runtime.clock.now().astimezone(zone).date(),
    )
