"""The DIGITOUS program object that the plugin registers."""

from __future__ import annotations

from core.plugin import (
    AdmissionStep,
    Assessment,
    CohortFacts,
    CompletionDecision,
    CompletionFacts,
    EligibilityFacts,
    Finding,
    PlannedSession,
)
from plugins.digitous import assessments, plan, rules
from plugins.digitous.curriculum import KEY, TRACKS, UNITS
from plugins.digitous.settings import DigitousSettings


class Digitous:
    """DIGITOUS: a full-stack developer bootcamp (phase 1), then time in a company (phase 2)."""

    __slots__ = ()

    key = KEY
    title = "DIGITOUS"
    summary = (
        "Devenir développeur web full-stack : un bootcamp à temps plein avec des ateliers "
        "de savoir-être, puis une première expérience en entreprise."
    )
    tracks = TRACKS
    curriculum = UNITS
    settings_schema = DigitousSettings

    def eligibility(self, facts: EligibilityFacts) -> list[Finding]:
        """Bootcamp: DIGISTART completed or placement test passed. Phase 2: the T2 gate."""
        return rules.eligibility(facts)

    def admission_steps(self, track: str) -> tuple[AdmissionStep, ...]:
        """Bootcamp: a placement test. Phase 2: the signed agreement with the host company."""
        return rules.admission_steps(track)

    def session_plan(self, cohort: CohortFacts) -> tuple[PlannedSession, ...]:
        """The phase's units in order, in sessions of the site's length."""
        return plan.session_plan(cohort)

    def assessments(self, track: str) -> tuple[Assessment, ...]:
        """What the trainers record for a learner of ``track``."""
        return assessments.assessments(track)

    def completion(self, facts: CompletionFacts) -> CompletionDecision:
        """Bootcamp: the T2 gate, phase 2 offered. Phase 2: T4, evaluated by the tutor."""
        return rules.completion(facts)
