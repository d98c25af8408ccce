"""What DIGISTART's trainers record: each week's exercises, the website and its review, and
the final exercise."""

from __future__ import annotations

from core.plugin import DONE_SCALE, Assessment, AssessmentKind
from plugins.digistart.curriculum import units_of

WEBSITE = "website"
WEBSITE_REVIEW = "website_review"
FINAL_EXERCISE = "final_exercise"
FINAL_SCALE = ("not_validated", "validated")
REVIEW_SCALE = ("changes_requested", "accepted")
"""A trainer's review of the website: changes asked for, or accepted as delivered (S4)."""


def week_assessments(track: str) -> tuple[Assessment, ...]:
    """One checkpoint a week (S2): the week's exercises, done or not, keyed by its unit."""
    return tuple(
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


WEBSITE_ASSESSMENT = Assessment(
    key=WEBSITE,
    title="Site web personnel (adresse ou dépôt)",
    kind=AssessmentKind.DELIVERABLE,
    program_only=True,
)
REVIEW_ASSESSMENT = Assessment(
    key=WEBSITE_REVIEW,
    title="Relecture du site web par le formateur",
    kind=AssessmentKind.CHECKPOINT,
    scale=REVIEW_SCALE,
    passing=("accepted",),
    program_only=True,
)
FINAL_ASSESSMENT = Assessment(
    key=FINAL_EXERCISE,
    title="Exercice final validé par le formateur",
    kind=AssessmentKind.FINAL,
    scale=FINAL_SCALE,
    passing=("validated",),
)


def assessments(track: str) -> tuple[Assessment, ...]:
    """The exercises of every week of ``track`` (S2), the website and its review, and the
    final exercise (S4). The website and its review are recorded through the plugin's
    website routes, which keep every submission and review."""
    return (*week_assessments(track), WEBSITE_ASSESSMENT, REVIEW_ASSESSMENT, FINAL_ASSESSMENT)
