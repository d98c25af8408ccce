"""Phase 2 placements (T3): created under a legal frame, renewed, their agreement signed and
the tutor's evaluations recorded.

Site managers write, the cohort's trainers and the site's managers read; the central team
sees no learner's record (403) and another site's enrolment does not exist (404). Each write
is audited and, when it changes what completion is decided on, records core's result in
the same transaction: ``legal_frame`` at creation, ``agreement`` when it is signed,
``midterm_evaluation`` and ``final_evaluation`` (see ``assessments``), so that completion
stays a pure function of ``CompletionFacts``.
"""

from __future__ import annotations

from typing import Any

import msgspec
import structlog

from core.plugin.services import (
    Conflict,
    EnrolmentContext,
    InvalidField,
    NotFound,
    Principal,
    Runtime,
    audit,
    check_learner_level,
    check_manages,
    local_today,
    program_enrolment,
    program_settings,
    record_result,
    transaction,
)
from plugins.digitous import frames
from plugins.digitous.curriculum import KEY, PLACEMENT
from plugins.digitous.instants import as_utc
from plugins.digitous.rules import PASSING
from plugins.digitous.schemas import (
    AgreementInput,
    AgreementRead,
    EvaluationInput,
    EvaluationRead,
    PlacementInput,
    PlacementRead,
    RenewalInput,
    SignatoryInput,
    Stage,
)
from plugins.digitous.settings import LegalFrame, own_settings
from plugins.digitous.tables import Placement, TutorEvaluation

log = structlog.get_logger(__name__)

RESULT_OF_STAGE = {Stage.MIDTERM: "midterm_evaluation", Stage.FINAL: "final_evaluation"}
"""The core result each of the tutor's evaluations records."""


def _json(value: Any) -> Any:
    """A JSON column's value, whichever engine read it."""
    return msgspec.json.decode(value) if isinstance(value, str | bytes) else value


async def _context(principal: Principal, enrolment_id: int) -> EnrolmentContext:
    """The enrolment of a DIGITOUS placement cohort within the caller's scope."""
    context = await program_enrolment(principal, enrolment_id, KEY)
    if context.track != PLACEMENT:
        raise Conflict(
            f"enrolment {enrolment_id} is in the {context.track} track: placements belong "
            f"to the {PLACEMENT} track",
            field="enrolment",
        )
    return context


async def _writable(principal: Principal, enrolment_id: int) -> EnrolmentContext:
    context = await _context(principal, enrolment_id)
    check_manages(principal, context)
    if context.status != "enrolled":
        raise Conflict(f"enrolment {enrolment_id} is {context.status}: its placement is closed")
    return context


async def _row(enrolment_id: int) -> dict[str, Any]:
    row = await Placement.select().where(Placement.enrolment == enrolment_id).first()
    if row is None:
        raise NotFound(f"no placement for enrolment {enrolment_id} yet")
    return row


async def _read(enrolment_id: int) -> PlacementRead:
    row = await _row(enrolment_id)
    evaluations = await (
        TutorEvaluation.select()
        .where(TutorEvaluation.placement == row["id"])
        .order_by(TutorEvaluation.evaluated_on, TutorEvaluation.id)
    )
    agreement = None
    if row["agreement_signed_on"] is not None:
        agreement = AgreementRead(
            reference=row["agreement_reference"],
            signed_on=row["agreement_signed_on"],
            signatories=msgspec.convert(_json(row["signatories"]), list[SignatoryInput]),
        )
    return PlacementRead(
        id=row["id"],
        enrolment=row["enrolment"],
        frame=LegalFrame(row["frame"]),
        company=row["company"],
        tutor_name=row["tutor_name"],
        tutor_email=row["tutor_email"],
        starts_on=row["starts_on"],
        ends_on=row["ends_on"],
        renewed_until=row["renewed_until"],
        weekly_hours=row["weekly_hours"],
        objectives=row["objectives"],
        prescriber=row["prescriber"],
        hire_months=row["hire_months"],
        contract=row["contract"] or None,
        agreement=agreement,
        evaluations=[
            EvaluationRead(
                stage=Stage(e["stage"]),
                grade=e["grade"],
                passed=e["grade"] in PASSING,
                evaluated_on=e["evaluated_on"],
                comments=e["comments"],
                recorded_by=e["recorded_by"],
                recorded_at=as_utc(e["recorded_at"]),
            )
            for e in evaluations
        ],
        created_by=row["created_by"],
        created_at=as_utc(row["created_at"]),
    )


async def placement(principal: Principal, enrolment_id: int) -> PlacementRead:
    """The enrolment's placement, for its cohort's trainers and its site's managers."""
    check_learner_level(principal)
    await _context(principal, enrolment_id)
    return await _read(enrolment_id)


async def create(
    runtime: Runtime, principal: Principal, enrolment_id: int, data: PlacementInput
) -> PlacementRead:
    """Create the enrolment's placement under a frame the site signs, and record the frame."""
    context = await _writable(principal, enrolment_id)
    settings = own_settings(program_settings(runtime, context.site, KEY))
    frames.check_placement(data, settings.legal_frames if settings else tuple(LegalFrame))
    if await Placement.exists().where(Placement.enrolment == enrolment_id):
        raise Conflict(f"enrolment {enrolment_id} already has a placement")
    row = Placement(
        enrolment=enrolment_id,
        frame=data.frame.value,
        company=data.company.strip(),
        tutor_name=data.tutor_name.strip(),
        tutor_email=data.tutor_email.strip(),
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        weekly_hours=data.weekly_hours,
        objectives=data.objectives.strip(),
        prescriber=data.prescriber.strip(),
        hire_months=data.hire_months,
        contract=data.contract.value if data.contract else "",
        created_by=principal.account_id,
        created_at=runtime.clock.now(),
    )
    async with transaction():
        await row.save()
        await record_result(
            runtime, principal, context, assessment="legal_frame", value=data.frame.value
        )
        await audit(
            runtime,
            principal,
            "digitous.placement_created",
            "enrolment",
            enrolment_id,
            {"placement": row.id, "frame": data.frame.value},
        )
    log.info("digitous_placement_created", enrolment=enrolment_id, frame=data.frame.value)
    return await _read(enrolment_id)


async def renew(
    runtime: Runtime, principal: Principal, enrolment_id: int, data: RenewalInput
) -> PlacementRead:
    """Renew a PMSMP once, for at most a month after its end."""
    await _writable(principal, enrolment_id)
    row = await _row(enrolment_id)
    frames.check_renewal(
        LegalFrame(row["frame"]), row["ends_on"], row["renewed_until"] is not None, data.ends_on
    )
    async with transaction():
        await Placement.update({Placement.renewed_until: data.ends_on}).where(
            Placement.id == row["id"]
        )
        await audit(
            runtime,
            principal,
            "digitous.placement_renewed",
            "enrolment",
            enrolment_id,
            {"placement": row["id"]},
        )
    log.info("digitous_placement_renewed", enrolment=enrolment_id)
    return await _read(enrolment_id)


async def sign(
    runtime: Runtime, principal: Principal, enrolment_id: int, data: AgreementInput
) -> PlacementRead:
    """Record the signed agreement and its signatories, and the agreement on core's record."""
    context = await _writable(principal, enrolment_id)
    row = await _row(enrolment_id)
    if row["agreement_signed_on"] is not None:
        raise Conflict("the agreement is already recorded as signed")
    frame = LegalFrame(row["frame"])
    if data.signed_on > local_today(runtime, context.site):
        raise InvalidField("an agreement is not recorded ahead of its day", field="signed_on")
    if data.signed_on > row["starts_on"]:
        raise InvalidField("the agreement is signed before the placement starts", field="signed_on")
    frames.check_signatories(frame, (s.role for s in data.signatories))
    signatories = [{"role": s.role.value, "name": s.name.strip()} for s in data.signatories]
    reference = data.reference.strip()
    async with transaction():
        await Placement.update(
            {
                Placement.agreement_reference: reference,
                Placement.agreement_signed_on: data.signed_on,
                Placement.signatories: msgspec.json.encode(signatories).decode(),
            }
        ).where(Placement.id == row["id"])
        await record_result(
            runtime,
            principal,
            context,
            assessment="agreement",
            value=reference,
            assessed_on=data.signed_on,
        )
        await audit(
            runtime,
            principal,
            "digitous.agreement_recorded",
            "enrolment",
            enrolment_id,
            {"placement": row["id"], "signatories": sorted(s["role"] for s in signatories)},
        )
    log.info("digitous_agreement_recorded", enrolment=enrolment_id)
    return await _read(enrolment_id)


async def evaluate(
    runtime: Runtime, principal: Principal, enrolment_id: int, data: EvaluationInput
) -> PlacementRead:
    """Record the tutor's mid-term or final evaluation, once each, the mid-term first."""
    context = await _writable(principal, enrolment_id)
    row = await _row(enrolment_id)
    if row["agreement_signed_on"] is None:
        raise Conflict("record the signed agreement before the tutor's evaluations")
    done = {
        e["stage"]: e["evaluated_on"]
        for e in await TutorEvaluation.select(
            TutorEvaluation.stage, TutorEvaluation.evaluated_on
        ).where(TutorEvaluation.placement == row["id"])
    }
    if data.stage.value in done:
        raise Conflict(f"the tutor's {data.stage.value} evaluation is already recorded")
    if data.stage is Stage.FINAL and Stage.MIDTERM.value not in done:
        raise Conflict("record the tutor's mid-term evaluation before the final one")
    earliest = done.get(Stage.MIDTERM.value, row["starts_on"])
    if data.evaluated_on < earliest:
        raise InvalidField(
            "an evaluation follows the placement's start and the mid-term evaluation",
            field="evaluated_on",
        )
    if data.evaluated_on > local_today(runtime, context.site):
        raise InvalidField("an evaluation is not recorded ahead of its day", field="evaluated_on")
    evaluation = TutorEvaluation(
        enrolment=enrolment_id,
        placement=row["id"],
        stage=data.stage.value,
        grade=data.grade.value,
        comments=data.comments.strip(),
        evaluated_on=data.evaluated_on,
        recorded_by=principal.account_id,
        recorded_at=runtime.clock.now(),
    )
    async with transaction():
        await evaluation.save()
        await record_result(
            runtime,
            principal,
            context,
            assessment=RESULT_OF_STAGE[data.stage],
            value=data.grade.value,
            assessed_on=data.evaluated_on,
        )
        await audit(
            runtime,
            principal,
            "digitous.evaluation_recorded",
            "enrolment",
            enrolment_id,
            {"placement": row["id"], "evaluation": evaluation.id, "stage": data.stage.value},
        )
    log.info("digitous_evaluation_recorded", enrolment=enrolment_id, stage=data.stage.value)
    return await _read(enrolment_id)
