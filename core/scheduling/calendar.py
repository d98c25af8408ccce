"""Where a cohort's sessions fall: the days of its weekly rhythm, less the site's days off.

Pure functions over dates and wall-clock times: a session is planned as a local date and
local times in the site's time zone, as people read a timetable; instants follow from them.
Days off are the French public holidays of the site's department (the ``holidays`` library,
with Alsace-Moselle's Good Friday and 26 December and the overseas departments' own days)
and the closures of the site's file.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from functools import cache

import holidays
import msgspec

from core.plugin import PlannedSession
from core.sites.schema import Closure

MAX_PLANNED_DAYS = 3 * 366
"""A plan that finds no room for its sessions within three years stops with an error."""

_SUBDIVISIONS = {"57": "57", "67": "6AE", "68": "6AE"} | {
    code: code for code in ("971", "972", "973", "974", "976")
}
"""Departments whose public holidays differ from the rest of France, as ``holidays`` names
them: Moselle, the two departments of Alsace, and the overseas departments."""


class Rhythm(msgspec.Struct, frozen=True, kw_only=True):
    """A cohort's week: the ISO weekdays it meets (1 is Monday) and its daily slot."""

    weekdays: tuple[int, ...]
    starts_at: time
    ends_at: time

    @property
    def slot_minutes(self) -> int:
        """How long the daily slot lasts."""
        start = datetime.combine(date.min, self.starts_at)
        return int((datetime.combine(date.min, self.ends_at) - start).total_seconds() // 60)


class PlacedSession(msgspec.Struct, frozen=True, kw_only=True):
    """A planned session on its local day and times."""

    sequence: int
    unit: str
    title: str
    day: date
    starts_at: time
    ends_at: time


class NoRoom(ValueError):
    """The rhythm leaves no room for the plan (a session longer than the slot, no days)."""


@cache
def _holidays_of(department: str, year: int) -> dict[date, str]:
    found = holidays.France(subdiv=_SUBDIVISIONS.get(department), years=year, language="fr")
    return dict(found.items())


def public_holiday(department: str, day: date) -> str | None:
    """The name of the public holiday ``day`` is in ``department``, in French, or None."""
    return _holidays_of(department, day.year).get(day)


def closure_reason(closures: Iterable[Closure], day: date) -> str | None:
    """Why the site is closed on ``day`` according to its file, or None."""
    return next((c.reason for c in closures if c.starts_on <= day <= c.ends_on), None)


def day_off(department: str, closures: Sequence[Closure], day: date) -> str | None:
    """Why no session can be held on ``day`` at the site: a holiday or a closure; or None."""
    return public_holiday(department, day) or closure_reason(closures, day)


def _end(start: time, minutes: int) -> time:
    return (datetime.combine(date.min, start) + timedelta(minutes=minutes)).time()


def place_sessions(
    plan: Sequence[PlannedSession],
    rhythm: Rhythm,
    first_day: date,
    *,
    department: str,
    closures: Sequence[Closure] = (),
) -> list[PlacedSession]:
    """Each session of ``plan``, in order, on the next day of ``rhythm`` from ``first_day``
    that is not a day off, at the start of the day's slot.

    Raises NoRoom when a session is longer than the slot, when the rhythm names no day, or
    when the plan would run past ``MAX_PLANNED_DAYS``.
    """
    if not rhythm.weekdays:
        raise NoRoom("the rhythm names no weekday")
    longest = max((session.minutes for session in plan), default=0)
    if longest > rhythm.slot_minutes:
        raise NoRoom(
            f"a session of {longest} minutes does not fit the daily slot of "
            f"{rhythm.slot_minutes} minutes"
        )
    placed: list[PlacedSession] = []
    day = first_day
    pending = iter(plan)
    session = next(pending, None)
    while session is not None:
        if (day - first_day).days > MAX_PLANNED_DAYS:
            raise NoRoom(f"the plan does not fit within {MAX_PLANNED_DAYS} days")
        if day.isoweekday() in rhythm.weekdays and day_off(department, closures, day) is None:
            placed.append(
                PlacedSession(
                    sequence=session.sequence,
                    unit=session.unit,
                    title=session.title,
                    day=day,
                    starts_at=rhythm.starts_at,
                    ends_at=_end(rhythm.starts_at, session.minutes),
                )
            )
            session = next(pending, None)
        day += timedelta(days=1)
    return placed
