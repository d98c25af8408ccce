"""Outcomes: what became of learners at their exit and at the follow-ups after it.

The only module that touches the outcome table. Follow-up is the site team's job: the site's
managers and admins record and read outcomes; a trainer of the cohort (who reaches it) and the
central team (who sees aggregated figures only) are refused (403); an enrolment or a site out
of the caller's reach is not found (404).

RULES.md O2: the exit is the cohort's last day (``ends_on``); follow-ups are due that day and
``follow_up_months`` of the site file later. Only a person who went through the cohort
(``enrolled``) has outcomes. A checkpoint is recorded from its due day, in the site's time
zone, so that a "6 months" figure never holds what was known at 2.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import structlog

from core.audit import service as audit
from core.audit.service import SYSTEM_ACTOR, Detail
from core.auth.roles import Principal, Role
from core.cohorts import service as cohorts
from core.cohorts.schemas import CohortRead, CohortStatus
from core.db.instants import as_utc
from core.enrolment import service as enrolments
from core.enrolment.schemas import EnrolmentRead
from core.enrolment.service import EnrolmentStatus
from core.errors import Conflict, Forbidden, InvalidField, NotFound
from core.outcomes.rules import (
    OutcomeSource,
    OutcomeStatus,
    checkpoints,
    due_on,
    latest_exit_due_by,
    parse_checkpoint,
)
from core.outcomes.schemas import (
    CheckpointRead,
    DueFollowUp,
    DueFollowUpPage,
    EnrolmentOutcomes,
    OutcomeInput,
    OutcomeRead,
)
from core.outcomes.tables import Outcome
from core.reporting.enrolment_facts import refresh_cohorts
from core.runtime import Runtime
from core.sites.schema import OutcomesSettings

log = structlog.get_logger(__name__)

_COLUMNS = (
    Outcome.id,
    Outcome.checkpoint,
    Outcome.status,
    Outcome.source,
    Outcome.employer_or_school,
    Outcome.starts_on,
    Outcome.recorded_at,
    Outcome.recorded_by,
)


def _check_role(principal: Principal, site: str) -> None:
    if principal.role is Role.CENTRAL_VIEWER:
        raise Forbidden("the central team sees aggregated figures, not learners' outcomes")
    if not principal.can_manage_site(site):
        raise Forbidden(
            "follow-up after exit is the site team's: only the site's managers and admins "
            "record and read outcomes"
        )


def site_checkpoints(runtime: Runtime, site: str) -> tuple[int, ...]:
    """The site's checkpoints; the default ones for a site no longer in the folder."""
    found = runtime.sites.get(site)
    settings = found.config.outcomes if found is not None else OutcomesSettings()
    return checkpoints(settings.follow_up_months)


def site_today(runtime: Runtime, site: str) -> date:
    """The site's local date now."""
    found = runtime.sites.get(site)
    now = runtime.clock.now()
    return now.astimezone(ZoneInfo(found.config.timezone)).date() if found else now.date()


def _label(checkpoint: int) -> str:
    return "exit" if checkpoint == 0 else f"{checkpoint}-month"


async def _followed(principal: Principal, enrolment_id: int) -> tuple[EnrolmentRead, CohortRead]:
    """The enrolment and its cohort, when the caller follows its outcomes; else the error."""
    enrolment = await enrolments.get_enrolment(principal, enrolment_id)
    cohort = await cohorts.get_cohort(principal, enrolment.cohort)
    _check_role(principal, cohort.site)
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise Conflict(
            f"enrolment {enrolment_id} is {enrolment.status}: outcomes are followed for the "
            "people who went through the cohort (enrolled)"
        )
    if cohort.status == CohortStatus.CANCELLED:
        raise Conflict(f"cohort {cohort.id} was cancelled: nobody left it with an outcome")
    return enrolment, cohort


def _read(row: dict[str, Any]) -> OutcomeRead:
    return OutcomeRead(
        status=OutcomeStatus(row["status"]),
        source=OutcomeSource(row["source"]),
        employer_or_school=row["employer_or_school"],
        starts_on=row["starts_on"],
        recorded_at=as_utc(row["recorded_at"]),
        recorded_by=row["recorded_by"],
    )


def _checkpoint(checkpoint: int, exit_on: date, row: dict[str, Any] | None) -> CheckpointRead:
    outcome = _read(row) if row is not None else None
    return CheckpointRead(
        checkpoint=checkpoint,
        due_on=due_on(exit_on, checkpoint),
        positive=outcome.status.positive if outcome is not None else None,
        outcome=outcome,
    )


async def outcomes_of(
    runtime: Runtime, principal: Principal, enrolment_id: int
) -> EnrolmentOutcomes:
    """Every checkpoint of an enrolment, due or not, with its outcome once recorded."""
    enrolment, cohort = await _followed(principal, enrolment_id)
    rows = await Outcome.select(*_COLUMNS).where(Outcome.enrolment == enrolment_id)
    recorded = {int(row["checkpoint"]): row for row in rows}
    wanted = sorted(set(site_checkpoints(runtime, cohort.site)) | set(recorded))
    return EnrolmentOutcomes(
        enrolment=enrolment.id,
        learner=enrolment.learner,
        cohort=cohort.id,
        exit_on=cohort.ends_on,
        checkpoints=[_checkpoint(c, cohort.ends_on, recorded.get(c)) for c in wanted],
    )


def _check_input(data: OutcomeInput) -> tuple[str, date | None]:
    """The destination as stored; InvalidField when the status has none to give."""
    place = data.employer_or_school.strip()
    if not data.status.has_destination:
        if place:
            raise InvalidField(
                f"a learner who is {data.status} has no employer or school",
                field="employer_or_school",
            )
        if data.starts_on is not None:
            raise InvalidField(
                f"a learner who is {data.status} has nothing that starts", field="starts_on"
            )
    return place, data.starts_on


async def record(
    runtime: Runtime,
    principal: Principal,
    enrolment_id: int,
    checkpoint_name: str,
    data: OutcomeInput,
    *,
    audit_details: Mapping[str, Detail] | None = None,
) -> CheckpointRead:
    """Record the outcome of an enrolment at a checkpoint (``exit`` or months after it);
    a second record for the same checkpoint replaces the first. ``audit_details`` adds to
    the audit entry (who answered, through what), as ``core.surveys`` does for a learner's
    own answer.

    Refused for a checkpoint the site does not follow up (422), before it is due or for a
    person who did not go through the cohort (409).
    """
    checkpoint = parse_checkpoint(checkpoint_name)
    if data.source is OutcomeSource.LEARNER_LINK and principal.account_id != SYSTEM_ACTOR:
        raise InvalidField(
            "learner_link is the source of the learner's own answers on their personal link: "
            "say how the team learnt it (phone, email, survey, in_person)",
            field="source",
        )
    enrolment, cohort = await _followed(principal, enrolment_id)
    followed = site_checkpoints(runtime, cohort.site)
    if checkpoint not in followed:
        months = ", ".join(str(c) for c in followed[1:])
        raise InvalidField(
            f"sites/{cohort.site}.toml follows up at exit and at {months} months after it, "
            f"not at {checkpoint}",
            field="checkpoint",
        )
    place, starts_on = _check_input(data)
    due = due_on(cohort.ends_on, checkpoint)
    if site_today(runtime, cohort.site) < due:
        raise Conflict(
            f"the {_label(checkpoint)} follow-up of enrolment {enrolment_id} is due on "
            f"{due.isoformat()}: it is recorded from that day"
        )
    values = {
        "status": data.status.value,
        "source": data.source.value,
        "employer_or_school": place,
        "starts_on": starts_on,
    }
    work = _store(
        principal, enrolment, checkpoint, values, now=runtime.clock.now(), extra=audit_details
    )
    # Run the write transaction to its end even when the client goes away (DESIGN.md).
    row = await asyncio.shield(asyncio.ensure_future(work))
    return _checkpoint(checkpoint, cohort.ends_on, row)


async def _store(
    principal: Principal,
    enrolment: EnrolmentRead,
    checkpoint: int,
    values: dict[str, Any],
    *,
    now: datetime,
    extra: Mapping[str, Detail] | None = None,
) -> dict[str, Any]:
    """Insert or replace the checkpoint's row and audit it (codes and ids only); the row."""
    async with Outcome._meta.db.transaction():
        current = (
            await Outcome.select(*_COLUMNS)
            .where(Outcome.enrolment == enrolment.id, Outcome.checkpoint == checkpoint)
            .first()
        )
        details: dict[str, Any] = {
            "checkpoint": checkpoint,
            "status": values["status"],
            "source": values["source"],
            **(extra or {}),
        }
        if current is None:
            rows = await Outcome.insert(
                Outcome(
                    enrolment=enrolment.id,
                    learner=enrolment.learner,
                    checkpoint=checkpoint,
                    recorded_at=now,
                    recorded_by=principal.account_id,
                    **values,
                )
            ).returning(*_COLUMNS)
            action = "outcome.recorded"
        else:
            changed = sorted(name for name, value in values.items() if current[name] != value)
            if not changed:
                return current
            rows = (
                await Outcome.update(
                    {
                        **{getattr(Outcome, name): value for name, value in values.items()},
                        Outcome.recorded_at: now,
                        Outcome.recorded_by: principal.account_id,
                    }
                )
                .where(Outcome.id == current["id"])
                .returning(*_COLUMNS)
            )
            action = "outcome.replaced"
            details |= {
                "fields": changed,
                "replaced_status": current["status"],
                "replaced_source": current["source"],
                "replaced_recorded_by": current["recorded_by"],
            }
        details["outcome"] = rows[0]["id"]
        await refresh_cohorts([enrolment.cohort])
        await audit.record(
            principal.account_id, action, "enrolment", enrolment.id, at=now, details=details
        )
    log.info(action.replace(".", "_"), enrolment_id=enrolment.id, checkpoint=checkpoint)
    return rows[0]


async def due_follow_ups(
    runtime: Runtime,
    principal: Principal,
    slug: str,
    on: date | None,
    *,
    limit: int,
    offset: int,
) -> DueFollowUpPage:
    """A page of the follow-ups due at a site on ``on`` (the site's today by default) and not
    yet recorded, and their total: the exits first, then each follow-up in turn, each by the
    day its cohort ended."""
    site = runtime.sites.get(slug)
    if site is None or not principal.can_see_site(slug):
        raise NotFound(f"no site {slug!r}")
    _check_role(principal, slug)
    day = on or site_today(runtime, slug)
    items: list[DueFollowUp] = []
    total = 0
    for checkpoint in checkpoints(site.config.outcomes.follow_up_months):
        page, count = await enrolments.finished_enrolments(
            slug,
            latest_exit_due_by(day, checkpoint),
            # Narrowed to the site, so that the subquery reads its outcomes, not the network's.
            excluding=Outcome.select(Outcome.enrolment).where(
                Outcome.checkpoint == checkpoint, Outcome.enrolment.cohort.site == slug
            ),
            limit=limit - len(items),
            offset=max(0, offset - total),
        )
        items += [
            DueFollowUp(
                enrolment=entry.enrolment,
                learner=entry.learner,
                first_name=entry.first_name,
                last_name=entry.last_name,
                cohort=entry.cohort,
                cohort_title=entry.cohort_title,
                exit_on=entry.ended_on,
                checkpoint=checkpoint,
                due_on=due_on(entry.ended_on, checkpoint),
            )
            for entry in page
        ]
        total += count
    await audit.record_reads(principal, [item.learner for item in items], "follow_ups")
    return DueFollowUpPage(on=day, items=items, total=total, limit=limit, offset=offset)


async def recorded_among(enrolment_ids: list[int], checkpoint: int) -> set[int]:
    """The enrolments among ``enrolment_ids`` with an outcome at ``checkpoint``. Unscoped:
    for Essaim's own follow-up links, which skip what the team already recorded."""
    if not enrolment_ids:
        return set()
    rows = await Outcome.select(Outcome.enrolment).where(
        Outcome.enrolment.is_in(enrolment_ids), Outcome.checkpoint == checkpoint
    )
    return {int(row["enrolment"]) for row in rows}


async def move_outcomes(source_id: int, into_id: int) -> None:
    """Give the outcomes of a learner record being merged away to the record kept.

    A ``MergeStep`` for ``core.learners.merge.merge_learners``, like the enrolments they follow.
    """
    await Outcome.update({Outcome.learner: into_id}).where(Outcome.learner == source_id)
