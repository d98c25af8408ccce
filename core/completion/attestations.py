"""The completion attestation of a completed enrolment, as the learner receives it (C5)."""

from __future__ import annotations

from core.auth.roles import Principal
from core.completion.decisions import completion
from core.completion.documents import AttestationFacts, completion_attestation
from core.errors import Conflict
from core.learners.tables import Learner
from core.runtime import Runtime
from core.scheduling import service as scheduling


async def attestation_pdf(runtime: Runtime, principal: Principal, enrolment_id: int) -> bytes:
    """The numbered attestation; Conflict until the enrolment is completed."""
    decision = await completion(principal, enrolment_id)
    if not decision.completed or decision.attestation_number is None:
        raise Conflict("the attestation is issued once the training is completed")
    program = runtime.host.program(decision.program)
    if program is None:
        raise Conflict(f"program {decision.program!r} is not installed: no attestation to print")
    track = next(t for t in program.tracks if t.key == decision.track)
    learner = (
        await Learner.select(Learner.first_name, Learner.last_name)
        .where(Learner.id == decision.learner)
        .first()
    )
    assert learner is not None
    sessions = await scheduling.sessions_of(decision.cohort)
    site = runtime.sites.get(decision.site)
    facts = AttestationFacts(
        number=decision.attestation_number,
        first_name=learner["first_name"],
        last_name=learner["last_name"],
        program=program.title,
        track=track.title,
        site=site.config.name if site else decision.site,
        first_day=sessions[0].day if sessions else None,
        last_day=sessions[-1].day if sessions else None,
        objectives=tuple(
            outcome
            for unit in program.curriculum
            if unit.track == track.key
            for outcome in unit.outcomes
        ),
        scheduled_hours=decision.facts.scheduled_hours,
        attended_hours=decision.facts.attended_hours,
        results=tuple(f.reason for f in decision.findings if f.ok),
        override_reason=decision.override_reason,
        issued_on=decision.completed_on or runtime.clock.now().date(),
    )
    return completion_attestation(facts, created_at=decision.decided_at)
