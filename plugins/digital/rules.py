"""DIGITAL's decisions: admission (D1, D2) and completion (D4), in plain French for the learner."""

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
from plugins.digital.assessments import FINAL_KEY, FINAL_LABELS, FINAL_SCALE
from plugins.digital.curriculum import (
    ADVANCED,
    BEGINNER,
    INTERMEDIATE,
    KEY,
    LEVEL_ORDER,
    track_by_key,
)
from plugins.digital.settings import (
    DEFAULT_ATTENDANCE_THRESHOLD,
    DEFAULT_FINAL_MINIMUM,
    own_settings,
)

LANGUAGE_REFERRAL = (
    "Un partenaire de l'antenne propose des cours de français. "
    "L'équipe vous donne son adresse et vous aide à vous inscrire."
)

DIGISTART = Offer(program="digistart", track="web")
NEXT_OFFERS = {
    BEGINNER: (Offer(program=KEY, track=INTERMEDIATE),),
    # S3: DIGISTART admits DIGITAL intermediate completers, so both are offered.
    INTERMEDIATE: (Offer(program=KEY, track=ADVANCED), DIGISTART),
    ADVANCED: (DIGISTART,),
}


def admission_steps(track: str) -> tuple[AdmissionStep, ...]:
    """Beginner: a French test (D1, C3). Higher levels: a placement test at that level (D2)."""
    title = track_by_key(track).title.lower()
    if track == BEGINNER:
        return (AdmissionStep(key="french_level", title="Test de français", kind="language_test"),)
    return (
        AdmissionStep(
            key=f"placement_{track}",
            title=f"Test de positionnement, niveau {title}",
        ),
    )


def eligibility(facts: EligibilityFacts) -> list[Finding]:
    """D1 for the beginner level, D2 for the levels above it."""
    if facts.track == BEGINNER:
        return [_french_level(facts.french_level, facts.language_partners)]
    return [_level_below_or_placement(facts)]


def language_referral(partners: tuple[str, ...]) -> str:
    """D1's referral: the site's French-language partners by name, else the generic sentence."""
    if not partners:
        return LANGUAGE_REFERRAL
    if len(partners) == 1:
        return (
            f"{partners[0]}, partenaire de l'antenne, propose des cours de français. "
            "L'équipe vous donne son adresse et vous aide à vous inscrire."
        )
    names = ", ".join(partners[:-1]) + f" et {partners[-1]}"
    return (
        f"{names}, partenaires de l'antenne, proposent des cours de français. "
        "L'équipe vous donne leurs adresses et vous aide à vous inscrire."
    )


def _french_level(level: CefrLevel | None, partners: tuple[str, ...] = ()) -> Finding:
    if level is None:
        return Finding(
            rule="D1",
            ok=False,
            reason="Nous ne connaissons pas encore votre niveau de français. "
            "Vous devez d'abord passer le test de français.",
        )
    if not level.at_least(CefrLevel.A2):
        return Finding(
            rule="D1",
            ok=False,
            reason=f"Votre niveau de français est {level}. "
            "Pour ce parcours, il faut le niveau A2 ou plus.",
            referral=language_referral(partners),
        )
    return Finding(rule="D1", ok=True, reason=f"Votre niveau de français est {level} : c'est bon.")


def _level_below_or_placement(facts: EligibilityFacts) -> Finding:
    title = track_by_key(facts.track).title.lower()
    below = LEVEL_ORDER[LEVEL_ORDER.index(facts.track) - 1]
    below_title = track_by_key(below).title.lower()
    if (KEY, below) in facts.completions:
        return Finding(rule="D2", ok=True, reason=f"Vous avez terminé le niveau {below_title}.")
    if (KEY, facts.track) in facts.passed_placements:
        return Finding(
            rule="D2",
            ok=True,
            reason=f"Vous avez réussi le test de positionnement du niveau {title}.",
        )
    return Finding(
        rule="D2",
        ok=False,
        reason=f"Pour le niveau {title}, il faut réussir le test de positionnement "
        f"ou terminer d'abord le niveau {below_title}.",
    )


def completion(facts: CompletionFacts) -> CompletionDecision:
    """D4: enough of the scheduled hours attended and the final practical exercise passed
    at the result the site asks (``done`` by default); the next level offered to completers."""
    track_by_key(facts.track)
    settings = own_settings(facts.settings)
    threshold = settings.attendance_threshold if settings else DEFAULT_ATTENDANCE_THRESHOLD
    minimum = settings.final_exercise_minimum if settings else DEFAULT_FINAL_MINIMUM
    findings = (
        attendance_finding(facts, threshold, "D4"),
        final_exercise_finding(facts.results.get(FINAL_KEY), minimum),
    )
    completed = all(finding.ok for finding in findings)
    return CompletionDecision(
        completed=completed,
        findings=findings,
        next_offers=NEXT_OFFERS[facts.track] if completed else (),
    )


def final_exercise_finding(result: str | None, minimum: str) -> Finding:
    """D4's final exercise: ``result`` (the latest, None when none is recorded) at or above
    ``minimum`` on the exercise's scale, with both named when it falls short."""
    if result is None or result == "not_done":
        return Finding(
            rule="D4", ok=False, reason="L'exercice pratique final n'est pas encore fait."
        )
    # A value off today's scale (recorded under an older one) never completes.
    label = FINAL_LABELS.get(result, result)
    if result in FINAL_SCALE and FINAL_SCALE.index(result) >= FINAL_SCALE.index(minimum):
        return Finding(rule="D4", ok=True, reason=f"Exercice pratique final : {label}.")
    return Finding(
        rule="D4",
        ok=False,
        reason=f"Exercice pratique final : {label}. Il faut au moins « {FINAL_LABELS[minimum]} ».",
    )
