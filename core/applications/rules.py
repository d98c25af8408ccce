"""Core's own eligibility rules, C1 (age) and C3 (entry positioning), in plain French. Pure.

A program's rules come from its ``eligibility(facts)``; these are the ones every program
shares, so core checks them itself and names the rule in each refusal.
"""

from __future__ import annotations

from datetime import date

from core.french import french_date
from core.plugin import Finding

ADULT_AGE = 18


def age_on(birth_date: date, day: date) -> int:
    """Full years of age on ``day``; someone born on 29 February turns a year older on 1 March."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def age_finding(birth_date: date | None, on: date, *, cohort_start: bool) -> Finding:
    """C1: 18 or older on ``on``, the cohort's start date (or the application's date)."""
    when = (
        f"au début de la formation, le {french_date(on)}"
        if cohort_start
        else f"à la date de la candidature, le {french_date(on)}"
    )
    if birth_date is None:
        return Finding(
            rule="C1",
            ok=False,
            reason=f"Il faut avoir {ADULT_AGE} ans ou plus {when}. Votre date de naissance "
            "n'est pas encore connue : l'équipe doit la noter (règle C1).",
        )
    age = age_on(birth_date, on)
    if age < ADULT_AGE:
        return Finding(
            rule="C1",
            ok=False,
            reason=f"Il faut avoir {ADULT_AGE} ans ou plus {when}. "
            f"Âge ce jour-là : {age} ans (règle C1).",
        )
    return Finding(rule="C1", ok=True, reason=f"Âge {when} : {age} ans. C'est bon.")


def positioning_finding(
    *, french_level: str | None, placements_taken: int, completed_in_program: bool
) -> Finding:
    """C3: an entry positioning is recorded before admission.

    A placement test taken (passed or not) for the program, a recorded French level, or a track
    of the same program completed (its assessments position the person) each count.
    """
    if placements_taken:
        return Finding(rule="C3", ok=True, reason="Votre test de positionnement est enregistré.")
    if completed_in_program:
        return Finding(
            rule="C3", ok=True, reason="Votre parcours précédent dans ce programme vous positionne."
        )
    if french_level:
        return Finding(
            rule="C3",
            ok=True,
            reason=f"Votre niveau de français ({french_level}) est enregistré.",
        )
    return Finding(
        rule="C3",
        ok=False,
        reason="Avant l'admission, il faut un positionnement d'entrée : un test de "
        "positionnement ou un niveau de français enregistré (règle C3).",
    )
