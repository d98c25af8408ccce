"""What DIGISTART's trainers record: each week's exercises, the website and the final exercise."""

from __future__ import annotations

from core.plugin import DONE_SCALE, Assessment, AssessmentKind
from plugins.digistart.curriculum import units_of

FINAL_SCALE = ("not_validated", "validated")


def assessments(track: str) -> tuple[Assessment, ...]:
    """The exercises of every week of ``track`` (S2), the website and the final exercise (S4)."""
    weeks = tuple(
        Assessment(
            key=unit.key,
            title=f"Exercices : {unit.title}",
            kind=AssessmentKind.EXERCISE,
            scale=DONE_SCALE,
            passing=("done",),
            unit=unit.key,
        )
        for unit in units_of(track)
    )
    return (
        *weeks,
        Assessment(
            key="website",
            title="Site web personnel (adresse ou dépôt)",
            kind=AssessmentKind.DELIVERABLE,
        ),
        Assessment(
            key="final_exercise",
            title="Exercice final validé par le formateur",
            kind=AssessmentKind.FINAL,
            scale=FINAL_SCALE,
            passing=("validated",),
        ),
    )
