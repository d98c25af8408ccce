"""DIGITOUS's decisions: admission to each phase, the phase 1 gate (T2), completion (T4)."""

from __future__ import annotations

import enum

from core.plugin import (
    AdmissionStep,
    CompletionDecision,
    CompletionFacts,
    EligibilityFacts,
    Finding,
    Offer,
    attendance_finding,
)
from plugins.digitous.curriculum import BOOTCAMP, CHECKPOINTS, KEY, PLACEMENT, UNITS, track_by_key
from plugins.digitous.settings import DEFAULT_ATTENDANCE_THRESHOLD, LegalFrame, own_settings


class Grade(enum.StrEnum):
    """The four-level checkpoint and evaluation scale (T1)."""

    BELOW = "below"
    APPROACHING = "approaching"
    MEETS = "meets"
    ABOVE = "above"


GRADES = frozenset(Grade)
PASSING = frozenset({Grade.MEETS, Grade.ABOVE})
FRAME_NAMES = {
    LegalFrame.PMSMP: "PMSMP",
    LegalFrame.POEI: "POEI",
    LegalFrame.WORK_STUDY: "alternance",
}
EVALUATIONS = {"midterm_evaluation": "à mi-parcours", "final_evaluation": "finale"}
"""The tutor's evaluations that phase 2 records (T3), by result key."""
UNIT_TITLES = {unit.key: unit.title for unit in UNITS}


def admission_steps(track: str) -> tuple[AdmissionStep, ...]:
    """Bootcamp: a placement test. Phase 2: the agreement with the host company (T3)."""
    if track_by_key(track).key == BOOTCAMP:
        return (AdmissionStep(key="placement_bootcamp", title="Test de positionnement DIGITOUS"),)
    return (
        AdmissionStep(
            key="placement_agreement",
            title="Convention signée avec l'entreprise d'accueil et le tuteur",
            kind="agreement",
        ),
    )


def eligibility(facts: EligibilityFacts) -> list[Finding]:
    """Bootcamp: DIGISTART completed (S4) or the placement test passed. Phase 2: the T2 gate."""
    if track_by_key(facts.track).key == BOOTCAMP:
        return [_digistart_or_placement(facts)]
    if (KEY, BOOTCAMP) in facts.completions:
        return [Finding(rule="T2", ok=True, reason="Vous avez réussi la phase 1 (le bootcamp).")]
    return [
        Finding(
            rule="T2",
            ok=False,
            reason="Pour aller en entreprise, il faut d'abord réussir la phase 1 (le bootcamp).",
        )
    ]


def _digistart_or_placement(facts: EligibilityFacts) -> Finding:
    if ("digistart", "web") in facts.completions:
        return Finding(rule="S4", ok=True, reason="Vous avez terminé DIGISTART.")
    if (KEY, BOOTCAMP) in facts.passed_placements:
        return Finding(
            rule="S4", ok=True, reason="Vous avez réussi le test de positionnement DIGITOUS."
        )
    return Finding(
        rule="S4",
        ok=False,
        reason="Pour DIGITOUS, il faut terminer d'abord DIGISTART "
        "ou réussir le test de positionnement DIGITOUS.",
    )


def completion(facts: CompletionFacts) -> CompletionDecision:
    """Bootcamp: the phase 1 gate (T2). Phase 2: finished and evaluated by the tutor (T3, T4).

    Results hold a checkpoint grade under each checkpoint unit's key, ``legal_frame``,
    ``midterm_evaluation`` and ``final_evaluation``; deliverables hold ``project_repository``
    (bootcamp) and ``agreement`` (phase 2), as ``assessments`` declares them.
    """
    settings = own_settings(facts.settings)
    threshold = settings.attendance_threshold if settings else DEFAULT_ATTENDANCE_THRESHOLD
    if track_by_key(facts.track).key == BOOTCAMP:
        findings = [attendance_finding(facts, threshold, "T2"), *_gate(facts)]
        offers: tuple[Offer, ...] = (Offer(program=KEY, track=PLACEMENT),)
    else:
        frames = settings.legal_frames if settings else tuple(LegalFrame)
        findings = [attendance_finding(facts, threshold, "T4"), *_placement(facts, frames)]
        offers = ()
    completed = all(finding.ok for finding in findings)
    return CompletionDecision(
        completed=completed,
        findings=tuple(findings),
        next_offers=offers if completed else (),
    )


def _gate(facts: CompletionFacts) -> list[Finding]:
    failed = [UNIT_TITLES[key] for key in CHECKPOINTS if facts.results.get(key) not in PASSING]
    presented = bool(facts.deliverables.get("project_repository", "").strip())
    return [
        Finding(
            rule="T2",
            ok=not failed,
            reason="Tous les points d'étape sont validés."
            if not failed
            else "Ces points d'étape ne sont pas encore validés : " + ", ".join(failed) + ".",
        ),
        Finding(
            rule="T2",
            ok=presented,
            reason="Vous avez présenté votre projet final."
            if presented
            else "Votre projet final n'est pas encore présenté.",
        ),
    ]


def _placement(facts: CompletionFacts, frames: tuple[LegalFrame, ...]) -> list[Finding]:
    frame = facts.results.get("legal_frame")
    frame_ok = frame in frames
    agreement = bool(facts.deliverables.get("agreement", "").strip())
    missing = [name for key, name in EVALUATIONS.items() if facts.results.get(key) not in GRADES]
    allowed = ", ".join(FRAME_NAMES[f] for f in frames)
    return [
        Finding(
            rule="T3",
            ok=frame_ok,
            reason=f"Le cadre de la période en entreprise est : {FRAME_NAMES[frame]}."
            if frame_ok
            else "Le cadre de la période en entreprise manque ou n'est pas possible ici "
            f"(possibles : {allowed}).",
        ),
        Finding(
            rule="T3",
            ok=agreement,
            reason="La convention avec l'entreprise est signée."
            if agreement
            else "La convention signée avec l'entreprise manque.",
        ),
        Finding(
            rule="T4",
            ok=not missing,
            reason="Le tuteur a fait ses évaluations."
            if not missing
            else "Il manque l'évaluation du tuteur : " + " et ".join(missing) + ".",
        ),
    ]
