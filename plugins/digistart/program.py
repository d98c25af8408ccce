"""The DIGISTART program object that the plugin registers."""

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
from plugins.digistart import assessments, plan, rules
from plugins.digistart.curriculum import KEY, TRACKS, UNITS
from plugins.digistart.settings import DigistartSettings


class Digistart:
    """DIGISTART: nine weeks of HTML, CSS and JavaScript, ending with the learner's own website."""

    __slots__ = ()

    key = KEY
    title = "DIGISTART"
    summary = (
        "Neuf semaines pour découvrir le code (HTML, CSS et JavaScript) "
        "et créer son propre site web."
    )
    tracks = TRACKS
    curriculum = UNITS
    settings_schema = DigistartSettings

    def eligibility(self, facts: EligibilityFacts) -> list[Finding]:
        """S3: French A2, and DIGITAL intermediate completed or the placement test passed."""
        return rules.eligibility(facts)

    def admission_steps(self, track: str) -> tuple[AdmissionStep, ...]:
        """The DIGISTART placement test."""
        return rules.admission_steps(track)

    def session_plan(self, cohort: CohortFacts) -> tuple[PlannedSession, ...]:
        """One unit a week, in sessions of the site's length."""
        return plan.session_plan(cohort)

    def assessments(self, track: str) -> tuple[Assessment, ...]:
        """What the trainers record for a learner of ``track``."""
        return assessments.assessments(track)

    def completion(self, facts: CompletionFacts) -> CompletionDecision:
        """S4: attendance, the weeks' exercises, the website accepted, the final exercise
        validated; DIGITOUS offered."""
        return rules.completion(facts)
