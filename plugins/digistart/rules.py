"""DIGISTART's decisions: admission (S3) and completion (S2, S4), in plain French for the
learner."""

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
from plugins.digistart.assessments import (
    FINAL_ASSESSMENT,
    FINAL_EXERCISE,
    REVIEW_ASSESSMENT,
    WEBSITE,
    WEBSITE_REVIEW,
    week_assessments,
)
from plugins.digistart.curriculum import KEY, WEB, units_of
from plugins.digistart.settings import (
    DEFAULT_ATTENDANCE_THRESHOLD,
    DEFAULT_EXERCISE_WEEKS,
    own_settings,
)

# Completing DIGITAL advanced implies the intermediate level that S3 asks for.
DIGITAL_LEVELS = frozenset({("digital", "intermediate"), ("digital", "advanced")})
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
    """S4: attendance threshold, the weeks' exercises (S2), the website delivered and accepted
    by a trainer, the final exercise validated; the completer is offered DIGITOUS."""
    settings = own_settings(facts.settings)
    threshold = settings.attendance_threshold if settings else DEFAULT_ATTENDANCE_THRESHOLD
    required = settings.exercise_weeks_required if settings else DEFAULT_EXERCISE_WEEKS
    findings = (
        attendance_finding(facts, threshold, "S4"),
        _exercises(facts, required),
        _website(facts),
        _final_exercise(facts),
    )
    completed = all(finding.ok for finding in findings)
    return CompletionDecision(
        completed=completed,
        findings=findings,
        next_offers=NEXT_OFFERS if completed else (),
    )


def _exercises(facts: CompletionFacts, required: int) -> Finding:
    weeks = week_assessments(facts.track)
    missing = [
        number
        for number, week in enumerate(weeks, start=1)
        if facts.results.get(week.key) not in week.passing
    ]
    done = len(weeks) - len(missing)
    weeks_done = f"{done} semaine" + ("s" if done > 1 else "")  # French: 0 and 1 are singular
    figures = f"Vous avez fait les exercices de {weeks_done} sur {len(weeks)}."
    if required == 0:
        return Finding(rule="S2", ok=True, reason=f"{figures} Ils ne sont pas obligatoires ici.")
    ok = done >= required
    reason = f"{figures} Il en faut au moins {required}."
    if not ok:
        reason += " Semaines à faire : " + ", ".join(str(n) for n in missing) + "."
    return Finding(rule="S2", ok=ok, reason=reason)


def _website(facts: CompletionFacts) -> Finding:
    delivered = bool(facts.deliverables.get(WEBSITE, "").strip())
    review = facts.results.get(WEBSITE_REVIEW)
    if not delivered:
        reason = "Votre site web n'est pas encore rendu (son adresse ou son dépôt)."
    elif review is None:
        reason = "Vous avez rendu votre site web. Le formateur ne l'a pas encore relu."
    elif review not in REVIEW_ASSESSMENT.passing:
        reason = (
            "Le formateur a demandé des changements sur votre site web. "
            "Il ne l'a pas encore accepté."
        )
    else:
        return Finding(
            rule="S4", ok=True, reason="Vous avez rendu votre site web et le formateur l'a accepté."
        )
    return Finding(rule="S4", ok=False, reason=reason)


def _final_exercise(facts: CompletionFacts) -> Finding:
    if facts.results.get(FINAL_EXERCISE) in FINAL_ASSESSMENT.passing:
        return Finding(rule="S4", ok=True, reason="Le formateur a validé votre exercice final.")
    return Finding(
        rule="S4", ok=False, reason="Le formateur n'a pas encore validé votre exercice final."
    )
