"""DIGISTART's decisions: admission (S3) and completion (S4), in plain French for the learner."""

from __future__ import annotations

from core.plugin import (
    AdmissionStep,
    CefrLevel,
    CompletionDecision,
    CompletionFacts,
    EligibilityFacts,
    Finding,
    Offer,
    attendance_finding,
)
from plugins.digistart.curriculum import KEY, WEB, units_of
from plugins.digistart.settings import DEFAULT_ATTENDANCE_THRESHOLD, own_settings

# Completing DIGITAL advanced implies the intermediate level that S3 asks for.
DIGITAL_LEVELS = frozenset({("digital", "intermediate"), ("digital", "advanced")})
FINAL_EXERCISE_VALIDATED = frozenset({"validated", "passed"})
NEXT_OFFERS = (Offer(program="digitous", track="bootcamp"),)


def admission_steps(track: str) -> tuple[AdmissionStep, ...]:
    """A placement test, for applicants who have not completed DIGITAL intermediate (S3)."""
    units_of(track)
    return (AdmissionStep(key="placement_web", title="Test de positionnement DIGISTART"),)


def eligibility(facts: EligibilityFacts) -> list[Finding]:
    """S3: French A2 or better, and DIGITAL intermediate completed or the placement test passed."""
    units_of(facts.track)
    return [_french_level(facts.french_level), _digital_or_placement(facts)]


def _french_level(level: CefrLevel | None) -> Finding:
    if level is None:
        return Finding(
            rule="S3",
            ok=False,
            reason="Nous ne connaissons pas encore votre niveau de français. "
            "Vous devez d'abord passer le test de français.",
        )
    if not level.at_least(CefrLevel.A2):
        return Finding(
            rule="S3",
            ok=False,
            reason=f"Votre niveau de français est {level}. "
            "Pour DIGISTART, il faut le niveau A2 ou plus.",
        )
    return Finding(rule="S3", ok=True, reason=f"Votre niveau de français est {level} : c'est bon.")


def _digital_or_placement(facts: EligibilityFacts) -> Finding:
    if DIGITAL_LEVELS & facts.completions:
        return Finding(rule="S3", ok=True, reason="Vous avez terminé DIGITAL intermédiaire.")
    if (KEY, WEB) in facts.passed_placements:
        return Finding(
            rule="S3", ok=True, reason="Vous avez réussi le test de positionnement DIGISTART."
        )
    return Finding(
        rule="S3",
        ok=False,
        reason="Pour DIGISTART, il faut réussir le test de positionnement "
        "ou terminer d'abord DIGITAL intermédiaire.",
    )


def completion(facts: CompletionFacts) -> CompletionDecision:
    """S4: attendance threshold, the website delivered, the final exercise validated."""
    units_of(facts.track)
    settings = own_settings(facts.settings)
    threshold = settings.attendance_threshold if settings else DEFAULT_ATTENDANCE_THRESHOLD
    website_ok = bool(facts.deliverables.get("website", "").strip())
    exercise_ok = facts.results.get("final_exercise") in FINAL_EXERCISE_VALIDATED
    findings = (
        attendance_finding(facts, threshold, "S4"),
        Finding(
            rule="S4",
            ok=website_ok,
            reason="Vous avez rendu votre site web."
            if website_ok
            else "Votre site web n'est pas encore rendu (son adresse ou son dépôt).",
        ),
        Finding(
            rule="S4",
            ok=exercise_ok,
            reason="Le formateur a validé votre exercice final."
            if exercise_ok
            else "Le formateur n'a pas encore validé votre exercice final.",
        ),
    )
    completed = all(finding.ok for finding in findings)
    return CompletionDecision(
        completed=completed,
        findings=findings,
        next_offers=NEXT_OFFERS if completed else (),
    )
