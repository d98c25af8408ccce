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
