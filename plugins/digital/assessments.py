"""What DIGITAL's trainers record for each learner: a check per unit and the final exercise.

Each level ends with a unit of practical work (``<level>_final``); its assessment is the
final exercise that completion asks for (D4), graded on its own scale so that a site can
ask for more than a pass (``final_exercise_minimum``).
"""

from __future__ import annotations

from core.plugin import Assessment, AssessmentKind
from plugins.digital.curriculum import units_of

UNIT_SCALE = ("not_acquired", "in_progress", "acquired")
"""A unit's learning outcomes: not acquired, in progress, acquired."""

FINAL_KEY = "final_exercise"
FINAL_SCALE = ("not_done", "to_redo", "done", "mastered")
"""The final practical exercise: not done yet, to redo, passed (réussi), passed well."""
FINAL_PASSING = ("done", "mastered")

FINAL_LABELS = {
    "not_done": "pas encore fait",
    "to_redo": "à refaire",
    "done": "réussi",
    "mastered": "très bien réussi",
}
"""The final exercise's results as a learner reads them."""


def final_unit(track: str) -> str:
    """The key of the unit of ``track`` that the final exercise closes."""
    return f"{track}_final"


def assessments(track: str) -> tuple[Assessment, ...]:
    """A check at the end of each taught unit of ``track``, then the final exercise (D4)."""
    final = final_unit(track)
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
        if unit.key != final
    )
    exercise = Assessment(
        key=FINAL_KEY,
        title="Exercice pratique final",
        kind=AssessmentKind.FINAL,
        scale=FINAL_SCALE,
        passing=FINAL_PASSING,
        unit=final,
    )
    return (*checks, exercise)
