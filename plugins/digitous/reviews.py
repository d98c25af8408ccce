"""Code reviews of bootcamp learners (T1): reviewer, repository and commit, day, grade on the
four-level scale and comments. Never updated; each one is audited.

The cohort's trainers and the site's managers record and read them; the central team sees
no learner's record (403) and another site's enrolment does not exist (404).
"""

from __future__ import annotations

from typing import Any

import structlog

from core.plugin.services import (
    Conflict,
    EnrolmentContext,
    InvalidField,
    Principal,
    Runtime,
    audit,
    check_learner_level,
    check_trains_or_manages,
    local_today,
    program_enrolment,
    transaction,
)
from plugins.digitous.curriculum import BOOTCAMP, KEY
from plugins.digitous.instants import as_utc
from plugins.digitous.rules import PASSING
from plugins.digitous.schemas import CodeReviewInput, CodeReviewList, CodeReviewRead
from plugins.digitous.tables import CodeReview

log = structlog.get_logger(__name__)


async def _context(principal: Principal, enrolment_id: int) -> EnrolmentContext:
    context = await program_enrolment(principal, enrolment_id, KEY)
    if context.track != BOOTCAMP:
        raise Conflict(
            f"enrolment {enrolment_id} is in the {context.track} track: code reviews belong "
            f"to the {BOOTCAMP}",
            field="enrolment",
        )
    return context


def _read(row: dict[str, Any]) -> CodeReviewRead:
    return CodeReviewRead(
        id=row["id"],
        enrolment=row["enrolment"],
        reviewer=row["reviewer"],
        repository=row["repository"],
        commit=row["commit_sha"],
        reviewed_on=row["reviewed_on"],
        grade=row["grade"],
        passed=row["grade"] in PASSING,
        comments=row["comments"],
        recorded_by=row["recorded_by"],
        recorded_at=as_utc(row["recorded_at"]),
    )


async def reviews(principal: Principal, enrolment_id: int) -> CodeReviewList:
    """The enrolment's code reviews, oldest first."""
    check_learner_level(principal)
    await _context(principal, enrolment_id)
    rows = await (
        CodeReview.select()
        .where(CodeReview.enrolment == enrolment_id)
        .order_by(CodeReview.reviewed_on)
        .order_by(CodeReview.id)
    )
    return CodeReviewList(enrolment=enrolment_id, items=[_read(row) for row in rows])


async def record(
    runtime: Runtime, principal: Principal, enrolment_id: int, data: CodeReviewInput
) -> CodeReviewRead:
    """Record a code review of an enrolled bootcamp learner."""
    context = await _context(principal, enrolment_id)
    check_trains_or_manages(principal, context)
    if context.status != "enrolled":
        raise Conflict(f"enrolment {enrolment_id} is {context.status}: no review is recorded")
    if data.reviewed_on > local_today(runtime, context.site):
        raise InvalidField("a review is not recorded ahead of its day", field="reviewed_on")
    for field in ("reviewer", "repository"):
        if not getattr(data, field).strip():
            raise InvalidField(f"the {field} is empty", field=field)
    row = CodeReview(
        enrolment=enrolment_id,
        reviewer=data.reviewer.strip(),
        repository=data.repository.strip(),
        commit_sha=data.commit,
        reviewed_on=data.reviewed_on,
        grade=data.grade.value,
        comments=data.comments.strip(),
        recorded_by=principal.account_id,
        recorded_at=runtime.clock.now(),
    )
    async with transaction():
        await row.save()
        await audit(
            runtime,
            principal,
            "digitous.code_review_recorded",
            "enrolment",
            enrolment_id,
            {"code_review": row.id},
        )
    log.info("digitous_code_review_recorded", enrolment=enrolment_id)
    return _read(row.to_dict())
