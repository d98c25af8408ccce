"""The homes of the trainer (their sessions) and of the site manager (their day and
cohorts); the central team's is the dashboard (``core.web.dashboard``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.response import Redirect, Template

from core.applications.pipeline import ApplicationStatus
from core.applications.reads import list_applications
from core.attendance import service as attendance
from core.auth.access import ANY_ACCOUNT, access, page
from core.auth.roles import Principal, Role
from core.cohorts import service as cohorts
from core.cohorts.schemas import CohortRead, CohortStatus
from core.enrolment.schemas import Roster
from core.enrolment.service import roster
from core.runtime import Runtime
from core.scheduling import service as scheduling
from core.scheduling.schemas import SessionRead
from core.web.access import PAGE_ERRORS, home_of

WINDOW = timedelta(days=14)
"""How far back and ahead the trainer's list of sessions reaches."""
_DAY = timedelta(days=1)
"""Around today in UTC: a site's local day can be the day before or after."""
OPEN = (CohortStatus.PLANNED, CohortStatus.OPEN, CohortStatus.RUNNING)


@dataclass(frozen=True, slots=True)
class SessionLine:
    """A session as the lists show it: with its cohort, whether it has started, and
    whether its attendance is recorded."""

    session: SessionRead
    cohort: CohortRead
    started: bool
    marked: bool


async def session_lines(
    runtime: Runtime, user: Principal, first: date, last: date
) -> list[SessionLine]:
    """The sessions ``user`` reaches from ``first`` to ``last``, ready to list."""
    sessions = await scheduling.sessions_between(user, first, last)
    known = {}
    for cohort_id in {s.cohort for s in sessions}:
        known[cohort_id] = await cohorts.get_cohort(user, cohort_id)
    marked = await attendance.marked_sessions([s.id for s in sessions])
    now = runtime.clock.now()
    return [
        SessionLine(
            session=s, cohort=known[s.cohort], started=s.start <= now, marked=s.id in marked
        )
        for s in sessions
    ]


def local_today(runtime: Runtime, timezone: str) -> date:
    """Today's date in ``timezone``."""
    return runtime.clock.now().astimezone(ZoneInfo(timezone)).date()


class HomeController(Controller):
    """The homes, behind the sign-in; each role's home sends the others to their own."""

    include_in_schema = False
    opt = access(page(ANY_ACCOUNT))
    exception_handlers = PAGE_ERRORS  # type: ignore[assignment]

    @get("/espace")
    async def space(self, request: Request[Principal, str, object]) -> Redirect:
        """The signed-in person's home, which depends on their role."""
        return Redirect(home_of(request.user), status_code=303)

    @get("/mes-seances")
    async def trainer(
        self, request: Request[Principal, str, object], runtime: NamedDependency[Runtime]
    ) -> Template | Redirect:
        """The trainer's sessions: today's, those to come, and the recent ones."""
        user = request.user
        if user.role is not Role.TRAINER:
            return Redirect(home_of(user), status_code=303)
        today = runtime.clock.now().date()
        lines = await session_lines(runtime, user, today - WINDOW, today + WINDOW)
        days = {line.session.id: local_today(runtime, line.session.timezone) for line in lines}
        return Template(
            "homes/trainer.html",
            context={
                "user": user,
                "today": [line for line in lines if line.session.day == days[line.session.id]],
                "upcoming": [line for line in lines if line.session.day > days[line.session.id]],
                "past": [
                    line for line in reversed(lines) if line.session.day < days[line.session.id]
                ],
            },
        )

    @get("/antenne")
    async def site_manager(
        self, request: Request[Principal, str, object], runtime: NamedDependency[Runtime]
    ) -> Template | Redirect:
        """The site manager's day: today's sessions, the applications to screen, and the open
        cohorts with their places, waitlists and share of women."""
        user = request.user
        if user.role is not Role.SITE_MANAGER:
            return Redirect(home_of(user), status_code=303)
        today = runtime.clock.now().date()
        around = await session_lines(runtime, user, today - _DAY, today + _DAY)
        lines = [
            line
            for line in around
            if line.session.day == local_today(runtime, line.session.timezone)
        ]
        found, _ = await cohorts.list_cohorts(user, limit=50)
        rosters: list[tuple[CohortRead, Roster]] = [
            (cohort, await roster(user, cohort.id)) for cohort in found if cohort.status in OPEN
        ]
        _, to_screen = await list_applications(user, status=ApplicationStatus.SUBMITTED, limit=1)
        return Template(
            "homes/site_manager.html",
            context={"user": user, "today": lines, "cohorts": rosters, "to_screen": to_screen},
        )
