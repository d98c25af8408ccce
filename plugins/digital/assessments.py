"""What DIGITAL's trainers record for each learner: a check per unit and the final exercise."""

from __future__ import annotations

from core.plugin import DONE_SCALE, Assessment, AssessmentKind
from plugins.digital.curriculum import units_of

UNIT_SCALE = ("not_acquired", "in_progress", "acquired")
"""A unit's learning outcomes: not acquired, in progress, acquired."""


def assessments(track: str) -> tuple[Assessment, ...]:
    """A check at the end of each unit of ``track``, then the final practical exercise (D4)."""
    checks = tuple(
        Assessment(
            key=unit.key,
            title=unit.title,
            kind=AssessmentKind.UNIT,
            scale=UNIT_SCALE,
            passing=("acquired",),
            unit=unit.key,
        )
        for unit in units_of(track)
    )
    final = Assessment(
        key="final_exercise",
        title="Exercice pratique final",
        kind=AssessmentKind.FINAL,
        scale=DONE_SCALE,
        passing=("done",),
    )
    return (*checks, final)
