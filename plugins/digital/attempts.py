"""ICDL module attempts and certificates of a learner, per DIGITAL enrolment (D5).

Every attempt is kept (attempts are unlimited); a certificate is recorded as the national
operator issued it, next to what the attempts would entitle to, never instead of it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import structlog

from core.plugin.services import (
    Conflict,
    EnrolmentContext,
    InvalidField,
    Principal,
    Runtime,
    audit,
    certification_changed,
    local_today,
    transaction,
)
from plugins.digital import scope
from plugins.digital.certification import MODULES, TRACK_MODULES, entitlement, passes
from plugins.digital.schemas import (
    AttemptInput,
    AttemptRead,
    CertificateInput,
    CertificateRead,
    CertificationRead,
)
from plugins.digital.tables import Certificate, ExamCandidate, ModuleAttempt

log = structlog.get_logger(__name__)


def attempt_read(row: dict[str, Any]) -> AttemptRead:
    """An attempt row as the API shows it."""
    return AttemptRead(
        id=row["id"],
        enrolment=row["enrolment"],
        module=row["module"],
        module_title=MODULES.get(row["module"], row["module"]),
        syllabus=row["syllabus"],
        taken_on=row["taken_on"],
        test_centre=row["test_centre"],
        score=row["score"],
        passed=bool(row["passed"]),
        exam_session=row["exam_session"],
        comment=row["comment"],
        recorded_by=row["recorded_by"],
        recorded_at=row["recorded_at"],
    )


def check_module(module: str, field: str = "module") -> None:
    """InvalidField unless ``module`` is an ICDL module."""
    if module not in MODULES:
        raise InvalidField(
            f"{module!r} is not an ICDL module (known: {', '.join(MODULES)})", field=field
        )


def settle_passed(score: float | None, passed: bool | None) -> bool:
    """Whether the attempt passed: from the score when known (75 %), else as given.

    InvalidField when neither is given, or when they disagree.
    """
    if score is None and passed is None:
        raise InvalidField("give the score or whether the module was passed", field="passed")
    if score is None:
        assert passed is not None
        return passed
    if passed is not None and passed != passes(score):
        raise InvalidField(
            f"a score of {score:g} % {'passes' if passes(score) else 'fails'} (75 % passes)",
            field="passed",
        )
    return passes(score)


async def find_attempt(
    enrolment: int, module: str, syllabus: str, taken_on: date, test_centre: str
) -> dict[str, Any] | None:
    """The attempt already recorded under this key, if any: one per enrolment, module,
    syllabus, day and test centre, so that a sheet imported twice adds nothing."""
    return (
        await ModuleAttempt.select()
        .where(
            (ModuleAttempt.enrolment == enrolment)
            & (ModuleAttempt.module == module)
            & (ModuleAttempt.syllabus == syllabus)
            & (ModuleAttempt.taken_on == taken_on)
            & (ModuleAttempt.test_centre == test_centre)
        )
        .first()
    )


async def record_attempt(
    runtime: Runtime, principal: Principal, enrolment_id: int, data: AttemptInput
) -> AttemptRead:
    """Record an attempt at a module for the enrolment's learner."""
    context = await scope.writing(principal, enrolment_id)
    check_module(data.module)
    passed = settle_passed(data.score, data.passed)
    if data.taken_on > local_today(runtime, context.site):
        raise InvalidField("an attempt is not recorded ahead of its day", field="taken_on")
    if data.exam_session is not None and not await _is_candidate(context, data.exam_session):
        raise InvalidField(
            f"the learner is not a candidate of exam session {data.exam_session}",
            field="exam_session",
        )
    test_centre = data.test_centre.strip()
    if await find_attempt(context.id, data.module, data.syllabus, data.taken_on, test_centre):
        raise Conflict(
            f"an attempt at {data.module!r} on {data.taken_on} at this centre is already recorded"
        )
    now = runtime.clock.now()
    row = ModuleAttempt(
        enrolment=context.id,
        learner=context.learner,
        exam_session=data.exam_session,
        module=data.module,
        syllabus=data.syllabus,
        taken_on=data.taken_on,
        test_centre=test_centre,
        score=data.score,
        passed=passed,
        comment=data.comment.strip(),
        recorded_by=principal.account_id,
        recorded_at=now,
    )
    async with transaction():
        await row.save()
        await audit(
            runtime,
            principal,
            "icdl_attempt.recorded",
            "enrolment",
            context.id,
            {"attempt": row.id, "module": data.module, "passed": passed},
        )
    log.info("icdl_attempt_recorded", enrolment=context.id, attempt=row.id)
    return attempt_read(row.to_dict())


async def _is_candidate(context: EnrolmentContext, exam_session: int) -> bool:
    return await ExamCandidate.exists().where(
        (ExamCandidate.exam_session == exam_session) & (ExamCandidate.enrolment == context.id)
    )


def certificate_read(row: dict[str, Any]) -> CertificateRead:
    """A certificate row as the API shows it."""
    return CertificateRead(
        id=row["id"],
        enrolment=row["enrolment"],
        level=row["level"],
        number=row["number"],
        issued_on=row["issued_on"],
        recorded_by=row["recorded_by"],
        recorded_at=row["recorded_at"],
    )


async def certification(principal: Principal, enrolment_id: int) -> CertificationRead:
    """The enrolment's attempts, what the learner's passed modules would entitle to, and the
    certificates the operator issued to the learner."""
    context = await scope.reading(principal, enrolment_id)
    attempts = await (
        ModuleAttempt.select()
        .where(ModuleAttempt.enrolment == context.id)
        .order_by(ModuleAttempt.taken_on)
        .order_by(ModuleAttempt.id)
    )
    passed = await ModuleAttempt.select(ModuleAttempt.module).where(
        (ModuleAttempt.learner == context.learner) & (ModuleAttempt.passed == True)  # noqa: E712
    )
    certificates = await (
        Certificate.select()
        .where(Certificate.learner == context.learner)
        .order_by(Certificate.issued_on)
        .order_by(Certificate.id)
    )
    return CertificationRead(
        enrolment=context.id,
        learner=context.learner,
        prepares_for=list(TRACK_MODULES[context.track]),
        attempts=[attempt_read(row) for row in attempts],
        entitlement=entitlement(row["module"] for row in passed),
        certificates=[certificate_read(row) for row in certificates],
    )


async def record_certificate(
    runtime: Runtime, principal: Principal, enrolment_id: int, data: CertificateInput
) -> CertificateRead:
    """Record a certificate the national operator issued to the enrolment's learner."""
    context = await scope.writing(principal, enrolment_id)
    number = data.number.strip()
    if data.issued_on > local_today(runtime, context.site):
        raise InvalidField("a certificate is not recorded ahead of its date", field="issued_on")
    if await Certificate.exists().where(Certificate.number == number):
        raise Conflict(f"certificate number {number!r} is already recorded", field="number")
    now = runtime.clock.now()
    row = Certificate(
        enrolment=context.id,
        learner=context.learner,
        level=data.level,
        number=number,
        issued_on=data.issued_on,
        recorded_by=principal.account_id,
        recorded_at=now,
    )
    async with transaction():
        await row.save()
        await certification_changed([context.id])
        await audit(
            runtime,
            principal,
            "icdl_certificate.recorded",
            "enrolment",
            context.id,
            {"certificate": row.id, "level": data.level},
        )
    log.info("icdl_certificate_recorded", enrolment=context.id, certificate=row.id)
    return certificate_read(row.to_dict())
