"""What DIGITOUS records: module checkpoints and the final project (phase 1), the tutor's
evaluations and the agreement (phase 2)."""

from __future__ import annotations

from core.plugin import Assessment, AssessmentKind
from plugins.digitous.curriculum import BOOTCAMP, CHECKPOINTS, track_by_key, units_of
from plugins.digitous.settings import LegalFrame

GRADE_SCALE = ("below", "approaching", "meets", "above")
"""T1's four levels, lowest first: below, approaching, meets and above expectations."""
PASSING_GRADES = ("meets", "above")
FRAMES = tuple(frame.value for frame in LegalFrame)


def assessments(track: str) -> tuple[Assessment, ...]:
    """Phase 1: a checkpoint per graded module and the final project's repository (T1, T2).
    Phase 2: the legal frame, the agreement and the tutor's two evaluations (T3, T4)."""
    if track_by_key(track).key == BOOTCAMP:
        checkpoints = tuple(
            Assessment(
                key=unit.key,
                title=f"Point d'étape : {unit.title}",
                kind=AssessmentKind.CHECKPOINT,
                scale=GRADE_SCALE,
                passing=PASSING_GRADES,
                unit=unit.key,
            )
            for unit in units_of(track)
            if unit.key in CHECKPOINTS
        )
        project = Assessment(
            key="project_repository",
            title="Projet final présenté (dépôt)",
            kind=AssessmentKind.DELIVERABLE,
        )
        return (*checkpoints, project)
    return (
        Assessment(
            key="legal_frame",
            title="Cadre de la période en entreprise",
            kind=AssessmentKind.EVALUATION,
            scale=FRAMES,
            passing=FRAMES,
            program_only=True,
        ),
        Assessment(
            key="agreement",
            title="Convention signée (référence)",
            kind=AssessmentKind.DELIVERABLE,
            program_only=True,
        ),
        Assessment(
            key="midterm_evaluation",
            title="Évaluation du tuteur à mi-parcours",
            kind=AssessmentKind.EVALUATION,
            scale=GRADE_SCALE,
            passing=PASSING_GRADES,
            program_only=True,
        ),
        Assessment(
            key="final_evaluation",
            title="Évaluation finale du tuteur",
            kind=AssessmentKind.EVALUATION,
            scale=GRADE_SCALE,
            passing=PASSING_GRADES,
            program_only=True,
        ),
    )
