"""The links that fall due, sent by Essaim itself once a day (the ``surveys.send_due`` job).

At each site, in its time zone: the survey to the people who went through a cohort that
ended or who withdrew from one (RULES.md C6), and each follow-up (``[outcomes]
follow_up_months`` of the site file, RULES.md O2) to the people whose follow-up fell due and
whose outcome the team has not recorded. Each learner gets one link per purpose from this
job; a manager sends another on request (the API). Only what fell due in the last
``WINDOW_DAYS`` days is sent, so that the first run after an upgrade never writes to years
of former learners.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import structlog

from core.enrolment import service as enrolments
from core.errors import ServiceError
from core.jobs import service as jobs
from core.jobs.registry import JobRegistry
from core.outcomes import service as outcomes
from core.outcomes.rules import latest_exit_due_by
from core.runtime import Runtime
from core.surveys.links import ESSAIM, send_link
from core.surveys.schemas import LinkPurpose
from core.surveys.tables import LearnerLink

log = structlog.get_logger(__name__)

DUE_JOB = "surveys.send_due"
EVERY = timedelta(days=1)
WINDOW_DAYS = 30
"""How far back a link that fell due is still sent."""
_PAGE = 200


async def _finished(
    site: str, purpose: LinkPurpose, checkpoint: int, ended_from: date, ended_by: date
) -> list[int]:
    """The enrolments of ``site``'s cohorts that ended between the two days, with no link
    for ``purpose`` at ``checkpoint`` yet."""
    excluding = LearnerLink.select(LearnerLink.enrolment).where(
        LearnerLink.purpose == purpose.value, LearnerLink.checkpoint == checkpoint
    )
    found: list[int] = []
    while True:
        page, total = await enrolments.finished_enrolments(
            site,
            ended_by,
            excluding=excluding,
            limit=_PAGE,
            offset=len(found),
            ended_from=ended_from,
        )
        found += [entry.enrolment for entry in page]
        if not page or len(found) >= total:
            return found


async def due_links(runtime: Runtime, slug: str) -> list[tuple[int, LinkPurpose, int]]:
    """The links due at a site today: (enrolment, purpose, checkpoint)."""
    site = runtime.sites.get(slug)
    if site is None:
        return []
    today = outcomes.site_today(runtime, slug)
    since = today - timedelta(days=WINDOW_DAYS)
    surveyed = LearnerLink.select(LearnerLink.enrolment).where(
        LearnerLink.purpose == LinkPurpose.SURVEY.value
    )
    left = await enrolments.withdrawn_since(
        slug, runtime.clock.now() - timedelta(days=WINDOW_DAYS), excluding=surveyed
    )
    ended = await _finished(slug, LinkPurpose.SURVEY, 0, since, today)
    due = [(enrolment, LinkPurpose.SURVEY, 0) for enrolment in (*ended, *left)]
    for months in site.config.outcomes.follow_up_months:
        ended_by = latest_exit_due_by(today, months)
        ended_from = latest_exit_due_by(since, months) + timedelta(days=1)
        waiting = await _finished(slug, LinkPurpose.FOLLOW_UP, months, ended_from, ended_by)
        recorded = await outcomes.recorded_among(waiting, months)
        due += [(e, LinkPurpose.FOLLOW_UP, months) for e in waiting if e not in recorded]
    return due


async def send_due_links(runtime: Runtime) -> int:
    """Send every link due at every site; how many were sent. A link refused (the learner
    answered meanwhile, say) is skipped and logged by id."""
    sent = 0
    for site in runtime.sites:
        for enrolment, purpose, checkpoint in await due_links(runtime, site.slug):
            try:
                await send_link(runtime, ESSAIM, enrolment, purpose, checkpoint)
            except ServiceError as refused:
                log.warning(
                    "learner_link_skipped",
                    enrolment=enrolment,
                    purpose=purpose.value,
                    status=refused.status_code,
                )
                continue
            sent += 1
    log.info("learner_links_due_sent", sent=sent)
    return sent


def register(registry: JobRegistry, runtime: Runtime) -> None:
    """Add the daily job that sends the links due to ``registry``."""

    async def run(payload: dict[str, Any]) -> None:
        await send_due_links(runtime)
        await jobs.ensure_scheduled(
            DUE_JOB, payload, run_at=runtime.clock.now() + EVERY, clock=runtime.clock
        )

    registry.register(DUE_JOB, run)


async def schedule(runtime: Runtime) -> None:
    """Make sure the daily job has a run waiting; called when a worker starts."""
    await jobs.ensure_scheduled(DUE_JOB, {}, run_at=runtime.clock.now(), clock=runtime.clock)
