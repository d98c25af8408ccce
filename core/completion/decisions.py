"""Completion: the owning program decides on the enrolment's facts, core records why.

A decision is taken when a site manager asks for it, on the hours attended (RULES.md C4)
and the latest assessment results, and stored with its findings and the facts, so that
the record says which rule and which figure refused it. A refusal can be decided again
once results change, or overridden by a site manager with a reason (audited). Completing
gives the attestation its number, in the site's series for the year (RULES.md C5).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import msgspec
import structlog

from core.attendance.service import learner_hours
from core.audit import service as audit
from core.auth.roles import Principal
from core.cohorts.service import get_cohort
from core.completion.assessments import latest_results
from core.completion.numbering import next_attestation_number
from core.completion.programs import assessments_of, completion_of, owning_program
from core.completion.schemas import (
    CompletionFactsRead,
    CompletionPreview,
    CompletionRead,
    OverrideInput,
)
from core.completion.tables import Completion
from core.db.instants import as_utc
from core.enrolment.context import (
    EnrolmentContext,
    check_learner_level,
    check_manages,
    enrolment_context,
)
from core.errors import Conflict, InvalidField, NotFound
from core.plugin import CompletionFacts, Finding, Offer
from core.reporting.enrolment_facts import refresh_cohorts
from core.reporting.facts import refresh_applications
from core.runtime import Runtime

log = structlog.get_logger(__name__)

MIN_OVERRIDE_REASON = 10
"""Characters an override's reason needs at least: a word or two is not a reason."""


def _local_day(runtime: Runtime, site: str, now: datetime) -> date:
    found = runtime.sites.get(site)
    return now.astimezone(ZoneInfo(found.config.timezone)).date() if found else now.date()


def _json(value: Any) -> Any:
    """A JSON column's value, whichever engine read it."""
    return msgspec.json.decode(value) if isinstance(value, str | bytes) else value


def _findings(row: dict[str, Any]) -> list[Finding]:
    return msgspec.convert(_json(row["findings"]), list[Finding])


def _read(row: dict[str, Any]) -> CompletionRead:
    return CompletionRead(
        enrolment=row["enrolment"],
        learner=row["learner"],
        cohort=row["cohort"],
        site=row["site"],
        program=row["program"],
        track=row["track"],
        completed=bool(row["completed"]),
        findings=_findings(row),
        facts=msgspec.convert(_json(row["facts"]), CompletionFactsRead),
        next_offers=msgspec.convert(_json(row["next_offers"]), list[Offer]),
        decided_at=as_utc(row["decided_at"]),
        decided_by=row["decided_by"],
        overridden=bool(row["override_reason"]),
        override_reason=row["override_reason"],
        completed_on=row["completed_on"],
        attestation_number=row["attestation_number"],
    )


async def _row(enrolment_id: int) -> dict[str, Any] | None:
    return await Completion.select().where(Completion.enrolment == enrolment_id).first()


async def completion(principal: Principal, enrolment_id: int) -> CompletionRead:
    """The decision on the enrolment; NotFound until one is taken."""
    check_learner_level(principal)
    await enrolment_context(principal, enrolment_id)
    row = await _row(enrolment_id)
    if row is None:
        raise NotFound(f"no completion decision on enrolment {enrolment_id} yet")
    return _read(row)


async def _facts(
    runtime: Runtime, principal: Principal, context: EnrolmentContext
) -> CompletionFacts:
    program = owning_program(runtime, context)
    cohort = await get_cohort(principal, context.cohort)
    scheduled, attended = await learner_hours(runtime, cohort, context.learner)
    results, deliverables = await latest_results(
        context.id, assessments_of(runtime, program, context.track)
    )
    site = runtime.sites.get(context.site)
    return CompletionFacts(
        track=context.track,
        scheduled_hours=scheduled,
        attended_hours=attended,
        results=results,
        deliverables=deliverables,
        settings=site.programs.get(context.program) if site else None,
    )


def _stored_facts(facts: CompletionFacts) -> dict[str, Any]:
    return msgspec.to_builtins(
        CompletionFactsRead(
            scheduled_hours=facts.scheduled_hours,
            attended_hours=facts.attended_hours,
            attendance_rate=facts.attendance_rate,
            results=dict(facts.results),
            deliverables=sorted(facts.deliverables),
        )
    )


async def preview(runtime: Runtime, principal: Principal, enrolment_id: int) -> CompletionPreview:
    """What the owning program would decide on the enrolment's facts today, without
    recording anything: what the pages show before a site manager asks for the decision."""
    check_learner_level(principal)
    context = await enrolment_context(principal, enrolment_id)
    facts = await _facts(runtime, principal, context)
    decision = completion_of(runtime, owning_program(runtime, context), facts)
    return CompletionPreview(
        completed=decision.completed,
        findings=list(decision.findings),
        facts=msgspec.convert(_stored_facts(facts), CompletionFactsRead),
    )


async def decide(runtime: Runtime, principal: Principal, enrolment_id: int) -> CompletionRead:
    """Ask the owning program whether the learner completed, and record its answer.

    A completed enrolment stays completed: deciding again returns the same record.
    """
    context = await enrolment_context(principal, enrolment_id)
    check_manages(principal, context)
    if context.status != "enrolled":
        raise Conflict(
            f"enrolment {enrolment_id} is {context.status}: only an enrolled learner completes"
        )
    existing = await _row(enrolment_id)
    if existing is not None and existing["completed"]:
        return _read(existing)
    facts = await _facts(runtime, principal, context)
    decision = completion_of(runtime, owning_program(runtime, context), facts)
    now = runtime.clock.now()
    values: dict[str, Any] = {
        "enrolment": context.id,
        "learner": context.learner,
        "cohort": context.cohort,
        "site": context.site,
        "program": context.program,
        "track": context.track,
        "completed": decision.completed,
        "findings": msgspec.json.encode(decision.findings).decode(),
        "facts": msgspec.json.encode(_stored_facts(facts)).decode(),
        "next_offers": msgspec.json.encode(decision.next_offers).decode(),
        "decided_at": now,
        "decided_by": principal.account_id,
        "override_reason": "",
        "completed_on": None,
        "attestation_number": None,
    }
    async with Completion._meta.db.transaction():
        if decision.completed:
            values |= await _numbered(runtime, context.site, now)
        if existing is None:
            await Completion.insert(Completion(**values))
        else:
            await Completion.update(values).where(Completion.enrolment == enrolment_id)
        await refresh_applications([context.application])
        await refresh_cohorts([context.cohort])
        await audit.record(
            principal.account_id,
            "completion.decided",
            "enrolment",
            context.id,
            at=now,
            details={
                "completed": decision.completed,
                "failed_rules": sorted({f.rule.lower() for f in decision.findings if not f.ok}),
            },
        )
    log.info("completion_decided", enrolment=context.id, completed=decision.completed)
    row = await _row(enrolment_id)
    assert row is not None
    return _read(row)


async def _numbered(runtime: Runtime, site: str, now: datetime) -> dict[str, Any]:
    """The completion day and the attestation's number, inside the decision's transaction."""
    day = _local_day(runtime, site, now)
    return {
        "completed_on": day,
        "attestation_number": await next_attestation_number(site, day.year),
    }


async def override(
    runtime: Runtime, principal: Principal, enrolment_id: int, data: OverrideInput
) -> CompletionRead:
    """A site manager declares completion despite the program's refusal, saying why."""
    context = await enrolment_context(principal, enrolment_id)
    check_manages(principal, context)
    reason = data.reason.strip()
    if len(reason) < MIN_OVERRIDE_REASON:
        raise InvalidField(
            "say why completion is declared against the program's rules "
            f"(at least {MIN_OVERRIDE_REASON} characters)",
            field="reason",
        )
    existing = await _row(enrolment_id)
    if existing is None:
        raise Conflict("ask for the program's decision first: an override answers a refusal")
    if existing["completed"]:
        raise Conflict(f"enrolment {enrolment_id} has already completed")
    now = runtime.clock.now()
    async with Completion._meta.db.transaction():
        values = await _numbered(runtime, context.site, now)
        await Completion.update({**values, "completed": True, "override_reason": reason}).where(
            Completion.enrolment == enrolment_id
        )
        await refresh_applications([context.application])
        await refresh_cohorts([context.cohort])
        await audit.record(
            principal.account_id,
            "completion.overridden",
            "enrolment",
            context.id,
            at=now,
            details={
                "overridden_rules": sorted(
                    {f.rule.lower() for f in _findings(existing) if not f.ok}
                )
            },
        )
    log.info("completion_overridden", enrolment=context.id)
    row = await _row(enrolment_id)
    assert row is not None
    return _read(row)
