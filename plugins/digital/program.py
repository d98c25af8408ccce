"""The DIGITAL program object that the plugin registers."""

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
from plugins.digital import assessments, plan, rules
from plugins.digital.curriculum import KEY, TRACKS, UNITS
from plugins.digital.settings import DigitalSettings


class Digital:
    """DIGITAL: everyday computing in three 20-hour levels, in person, up to ICDL Base."""

    __slots__ = ()

    key = KEY
    title = "DIGITAL"
    summary = (
        "Trois niveaux de 20 heures en présentiel : débutant, intermédiaire et avancé, "
        "des bases de l'ordinateur jusqu'à Excel pour le travail."
    )
    tracks = TRACKS
    curriculum = UNITS
    settings_schema = DigitalSettings

    def eligibility(self, facts: EligibilityFacts) -> list[Finding]:
        """D1 (French A2 for beginners) or D2 (placement test or level below completed)."""
        return rules.eligibility(facts)

    def admission_steps(self, track: str) -> tuple[AdmissionStep, ...]:
        """A French test for beginners, a placement test for the levels above."""
        return rules.admission_steps(track)

    def session_plan(self, cohort: CohortFacts) -> tuple[PlannedSession, ...]:
        """The level's units in order, in sessions of the site's length."""
        return plan.session_plan(cohort)

    def assessments(self, track: str) -> tuple[Assessment, ...]:
        """What the trainers record for a learner of ``track``."""
        return assessments.assessments(track)

    def completion(self, facts: CompletionFacts) -> CompletionDecision:
        """D4: attendance and the final exercise at the site's thresholds; next level offered."""
        return rules.completion(facts)
