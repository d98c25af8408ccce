"""What a cohort's page shows: the roster with attendance rates, the offers and the
waitlist, the share of women (C2), the calendar of its sessions and their conflicts, and
for its managers the withdrawal and transfer forms."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from litestar import Request
from litestar.response import Template

from core.attendance import service as attendance
from core.auth import service as accounts
from core.auth.roles import Principal
from core.cohorts import service as cohorts
from core.cohorts.schemas import CohortRead
from core.enrolment import service as enrolment
from core.runtime import Runtime
from core.scheduling import service as scheduling
from core.scheduling.schemas import SessionRead
from core.web.homes import OPEN


async def transfer_targets(user: Principal, cohort: CohortRead) -> list[CohortRead]:
    """The other cohorts not finished of the same program and track that ``user`` manages:
    where a transfer may go."""
    found, _ = await cohorts.list_cohorts(user, program=cohort.program, limit=200)
    return [
        other
        for other in reversed(found)
        if other.id != cohort.id
        and other.track == cohort.track
        and other.status in OPEN
        and user.can_manage_site(other.site)
    ]


def _months(sessions: list[SessionRead]) -> list[tuple[str, list[SessionRead]]]:
    """The sessions by month (``YYYY-MM``), in order."""
    return [
        (month, list(items))
        for month, items in groupby(sessions, key=lambda s: s.day.isoformat()[:7])
    ]


async def movable(user: Principal, cohort_id: int) -> tuple[set[int], set[int]]:
    """The ids of the enrolments a manager may withdraw (the enrolled) and of those they may
    transfer (the enrolled and the waitlisted)."""
    roster = await enrolment.roster(user, cohort_id)
    enrolled = {entry.enrolment for entry in roster.enrolled}
    return enrolled, enrolled | {entry.enrolment for entry in roster.waitlist}


async def cohort_page(
    request: Request[Principal, str, object],
    runtime: Runtime,
    cohort_id: int,
    *,
    errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
    done: str | None = None,
    status_code: int = 200,
) -> Template:
    """The cohort's page, with ``errors`` next to the forms as ``typed``."""
    user = request.user
    cohort = await cohorts.get_cohort(user, cohort_id)
    roster = await enrolment.roster(user, cohort_id)
    rates = await attendance.cohort_attendance(runtime, user, cohort_id, of=roster)
    sessions = await scheduling.list_sessions(runtime, user, cohort_id)
    manages = user.can_manage_site(cohort.site)
    site = runtime.sites.get(cohort.site)
    program = runtime.host.program(cohort.program)
    tracks = {track.key: track.title for track in program.tracks} if program else {}
    trainers = {s.trainer for s in sessions.items if s.trainer} | (
        {cohort.lead_trainer} if cohort.lead_trainer else set()
    )
    context: dict[str, Any] = {
        "user": user,
        "cohort": cohort,
        "site_name": site.config.name if site else cohort.site,
        "program_title": program.title if program else cohort.program,
        "track_title": tracks.get(cohort.track, cohort.track),
        "roster": roster,
        "rates": {figure.learner: figure.rate for figure in rates.learners},
        "planned": rates.planned_minutes,
        "months": _months(sessions.items),
        "held": sessions.held,
        "now": runtime.clock.now(),
        "conflicts": sessions.conflicts if manages else [],
        "by_session": {s.id: s for s in sessions.items},
        "rooms": {room.key: room.name for room in site.config.rooms} if site else {},
        "trainers": await accounts.display_names(trainers),
        "manages": manages,
        "targets": await transfer_targets(user, cohort) if manages else [],
        "errors": errors or {},
        "typed": typed or {},
        "done": done,
        "action": f"/cohortes/{cohort_id}",
    }
    return Template("cohorts/detail.html", context=context, status_code=status_code)
