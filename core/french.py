"""Dates and times written the French way, independent of the system locale."""

from __future__ import annotations

from datetime import date, time

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def french_date(day: date, *, weekday: bool = False) -> str:
    """``1er octobre 2026``, or ``jeudi 1er octobre 2026`` with ``weekday``."""
    number = "1er" if day.day == 1 else str(day.day)
    text = f"{number} {_MONTHS[day.month - 1]} {day.year}"
    return f"{WEEKDAYS[day.weekday()]} {text}" if weekday else text


def french_time(moment: time) -> str:
    """``18 h`` or ``18 h 30``."""
    return f"{moment.hour} h" if moment.minute == 0 else f"{moment.hour} h {moment.minute:02d}"
