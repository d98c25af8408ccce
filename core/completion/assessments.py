"""Assessment results: recorded against the program's assessments, never overwritten.

A trainer of the cohort or a manager of its site records a result; the latest result of
each assessment counts for completion, and the earlier ones stay as its history.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

import structlog

from core.audit import service as audit
from core.auth.roles import Principal
from core.completion.programs import assessments_of, owning_program
from core.completion.schemas import AssessmentRead, AssessmentSheet, ResultInput, ResultRead
from core.completion.tables import AssessmentResult
from core.db.instants import as_utc
from core.enrolment.context import (
    EnrolmentContext,
    check_learner_level,
    check_trains_or_manages,
    enrolment_context,
)
from core.errors import Conflict, InvalidField
from core.plugin import Assessment, AssessmentKind
from core.runtime import Runtime

log = structlog.get_logger(__name__)

RECORDABLE = frozenset({"enrolled"})
"""Enrolment statuses whose learners are assessed: those in the cohort."""


def _read(row: dict[str, Any], assessment: Assessment | None) -> ResultRead:
    passed = None
    if assessment is not None and assessment.kind is not AssessmentKind.DELIVERABLE:
        passed = row["value"] in assessment.passing
    return ResultRead(
        id=row["id"],
        assessment=row["assessment"],
        value=row["value"],
        passed=passed,
        score=row["score"],
        comment=row["comment"],
        assessed_on=row["assessed_on"],
        recorded_by=row["recorded_by"],
        recorded_at=as_utc(row["recorded_at"]),
    )


async def _rows(enrolment_id: int) -> list[dict[str, Any]]:
    return await (
        AssessmentResult.select()
        .where(AssessmentResult.enrolment == enrolment_id)
        .order_by(AssessmentResult.recorded_at, AssessmentResult.id)
    )


async def latest_results(
    enrolment_id: int, assessments: tuple[Assessment, ...]
) -> tuple[dict[str, str], dict[str, str]]:
    """The latest value of each of ``assessments`` with a result: on a scale, and deliverables.

    Results of assessments the program no longer declares are left out.
    """
    kinds = {assessment.key: assessment.kind for assessment in assessments}
    results: dict[str, str] = {}
    deliverables: dict[str, str] = {}
    for row in await _rows(enrolment_id):
        kind = kinds.get(row["assessment"])
        if kind is AssessmentKind.DELIVERABLE:
            deliverables[row["assessment"]] = row["value"]
        elif kind is not None:
            results[row["assessment"]] = row["value"]
    return results, deliverables


async def sheet(runtime: Runtime, principal: Principal, enrolment_id: int) -> AssessmentSheet:
    """The enrolment's assessments with their latest result and history."""
    check_learner_level(principal)
    context = await enrolment_context(principal, enrolment_id)
    assessments = assessments_of(runtime, owning_program(runtime, context), context.track)
    by_key: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in await _rows(enrolment_id):
        by_key[row["assessment"]].append(row)
    items = []
    for assessment in assessments:
        history = [_read(row, assessment) for row in by_key[assessment.key]]
        items.append(
            AssessmentRead(
                key=assessment.key,
                title=assessment.title,
                kind=assessment.kind,
                scale=assessment.scale,
                passing=assessment.passing,
                unit=assessment.unit,
                latest=history[-1] if history else None,
                history=history,
            )
        )
    return AssessmentSheet(
        enrolment=context.id,
        learner=context.learner,
        program=context.program,
        track=context.track,
        items=items,
    )


def _check_value(assessments: tuple[Assessment, ...], data: ResultInput) -> Assessment:
    """The assessment ``data`` records, its value checked against its scale."""
    assessment = next((a for a in assessments if a.key == data.assessment), None)
    if assessment is None:
        known = ", ".join(a.key for a in assessments)
        raise InvalidField(
            f"no assessment {data.assessment!r} in this track (known: {known})",
            field="assessment",
        )
    value = data.value.strip()
    if not value:
        raise InvalidField("the value is empty", field="value")
    if assessment.scale and value not in assessment.scale:
        raise InvalidField(
            f"{value!r} is not on the scale of {assessment.key!r}: {', '.join(assessment.scale)}",
            field="value",
        )
    return assessment


async def record(
    runtime: Runtime, principal: Principal, enrolment_id: int, data: ResultInput
) -> ResultRead:
    """Record a result for one of the program's assessments of the enrolment's track."""
    context = await enrolment_context(principal, enrolment_id)
    check_trains_or_manages(principal, context)
    return await record_for(runtime, principal, context, data, through_program=False)


async def record_for(
    runtime: Runtime,
    principal: Principal,
    context: EnrolmentContext,
    data: ResultInput,
    *,
    through_program: bool,
) -> ResultRead:
    """Record a result on an enrolment the caller was checked for; ``through_program`` when a
    plugin's route records it (``core.plugin.services``), the only way to record an
    assessment marked ``program_only``."""
    if context.status not in RECORDABLE:
        raise Conflict(f"enrolment {context.id} is {context.status}: no result is recorded")
    assessments = assessments_of(runtime, owning_program(runtime, context), context.track)
    assessment = _check_value(assessments, data)
    if assessment.program_only and not through_program:
        raise InvalidField(
            f"{assessment.key!r} is recorded through the program's own routes, which check it",
            field="assessment",
        )
    now = runtime.clock.now()
    site = runtime.sites.get(context.site)
    today = now.astimezone(ZoneInfo(site.config.timezone)).date() if site else now.date()
    if data.assessed_on is not None and data.assessed_on > today:
        raise InvalidField("an assessment is not recorded ahead of its day", field="assessed_on")
    row = AssessmentResult(
        enrolment=context.id,
        learner=context.learner,
        assessment=assessment.key,
        value=data.value.strip(),
        score=data.score,
        comment=data.comment.strip(),
        assessed_on=data.assessed_on or today,
        recorded_by=principal.account_id,
        recorded_at=now,
    )
    async with AssessmentResult._meta.db.transaction():
        await row.save()
        await audit.record(
            principal.account_id,
            "assessment.recorded",
            "enrolment",
            context.id,
            at=now,
            details={"assessment": assessment.key, "result": row.id},
        )
    log.info("assessment_recorded", enrolment=context.id, assessment=assessment.key)
    return _read(row.to_dict(), assessment)
