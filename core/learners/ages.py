"""Ages the rules and the reports count in: under 26 on a given day."""

from __future__ import annotations

from datetime import date


def under_26(birth_date: date | None, today: date) -> bool | None:
    """Whether someone born on ``birth_date`` is under 26 on ``today``; None when unknown."""
    if birth_date is None:
        return None
    try:
        birthday = birth_date.replace(year=birth_date.year + 26)
    except ValueError:  # born on 29 February
        birthday = date(birth_date.year + 26, 3, 1)
    return today < birthday


AGE_BANDS = ((18, "18-25"), (26, "26-35"), (36, "36-45"), (46, "46-55"), (56, "56+"))
"""The bands an erased record keeps in place of its birth date: wide enough that a band,
a gender and a site never single a person out."""


def age_on(birth_date: date, today: date) -> int:
    """Full years of someone born on ``birth_date``, on ``today``."""
    return (
        today.year
        - birth_date.year
        - ((today.month, today.day) < (birth_date.month, birth_date.day))
    )


def age_band(birth_date: date | None, today: date) -> str:
    """The ``AGE_BANDS`` label of someone's age on ``today``; empty when unknown or under 18."""
    if birth_date is None:
        return ""
    age = age_on(birth_date, today)
    labels = [label for lowest, label in AGE_BANDS if age >= lowest]
    return labels[-1] if labels else ""
