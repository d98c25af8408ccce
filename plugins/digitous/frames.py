"""The rules of each legal frame of phase 2 (T3), as pure checks of a request's facts.

Each check raises ``InvalidField`` naming the field that breaks a rule:

- every frame: one the site signs, dates in order, weekly hours within the legal week;
- PMSMP (période de mise en situation en milieu professionnel): prescribed by the public
  employment service, at most one month, renewed once for at most one month more;
- POEI (préparation opérationnelle à l'emploi individuelle): the employer commits to hire
  for at least six months;
- work-study: an apprenticeship or professionalisation contract, which lasts at least six
  months (Code du travail L6222-7-1, L6325-11).
"""

from __future__ import annotations

import calendar
from collections.abc import Collection, Iterable
from datetime import date, timedelta

from core.plugin.services import Conflict, InvalidField
from plugins.digitous.rules import FRAME_NAMES
from plugins.digitous.schemas import PlacementInput, SignatoryRole
from plugins.digitous.settings import LegalFrame

MIN_WEEKLY_HOURS = 1.0
MAX_WEEKLY_HOURS = 48.0
"""The absolute weekly maximum of working time (Code du travail L3121-20)."""
MIN_HIRE_MONTHS = 6
"""A POEI's employer hires for at least six months afterwards (RULES.md T3)."""
MIN_CONTRACT_MONTHS = 6
"""An apprenticeship or professionalisation contract lasts six months or more."""
PMSMP_MONTHS = 1
"""A PMSMP lasts at most a month, and so does its one renewal."""

SIGNATORIES: dict[LegalFrame, frozenset[SignatoryRole]] = {
    LegalFrame.PMSMP: frozenset(
        {
            SignatoryRole.LEARNER,
            SignatoryRole.COMPANY,
            SignatoryRole.TRAINING_BODY,
            SignatoryRole.PRESCRIBER,
        }
    ),
    LegalFrame.POEI: frozenset(
        {
            SignatoryRole.LEARNER,
            SignatoryRole.COMPANY,
            SignatoryRole.TRAINING_BODY,
            SignatoryRole.PRESCRIBER,
        }
    ),
    LegalFrame.WORK_STUDY: frozenset(
        {SignatoryRole.LEARNER, SignatoryRole.COMPANY, SignatoryRole.TRAINING_BODY}
    ),
}
"""The parties who must sign each frame's agreement; the prescriber is the public employment
service, which prescribes a PMSMP and funds a POEI."""


def add_months(day: date, months: int) -> date:
    """``day`` moved ``months`` later, on the month's last day when it has no such day."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def last_day_within(start: date, months: int) -> date:
    """The last day of a period of at most ``months`` months that begins on ``start``."""
    return add_months(start, months) - timedelta(days=1)


def check_placement(data: PlacementInput, allowed: Collection[LegalFrame]) -> None:
    """The placement's frame is one the site signs and its facts keep the frame's rules."""
    if data.frame not in allowed:
        names = ", ".join(FRAME_NAMES[frame] for frame in allowed)
        raise InvalidField(
            f"this site does not sign a {FRAME_NAMES[data.frame]} (it signs: {names})",
            field="frame",
        )
    if data.ends_on < data.starts_on:
        raise InvalidField("the placement ends before it starts", field="ends_on")
    if not MIN_WEEKLY_HOURS <= data.weekly_hours <= MAX_WEEKLY_HOURS:
        raise InvalidField(
            f"weekly hours must be between {MIN_WEEKLY_HOURS:g} and {MAX_WEEKLY_HOURS:g}",
            field="weekly_hours",
        )
    _only_for_own_frame(data)
    if data.frame is LegalFrame.PMSMP:
        _check_pmsmp(data)
    elif data.frame is LegalFrame.POEI:
        _check_poei(data)
    else:
        _check_work_study(data)


def _only_for_own_frame(data: PlacementInput) -> None:
    owners = (
        ("prescriber", bool(data.prescriber.strip()), LegalFrame.PMSMP),
        ("hire_months", data.hire_months is not None, LegalFrame.POEI),
        ("contract", data.contract is not None, LegalFrame.WORK_STUDY),
    )
    for field, given, frame in owners:
        if given and data.frame is not frame:
            raise InvalidField(
                f"{field} belongs to a {FRAME_NAMES[frame]}, not a {FRAME_NAMES[data.frame]}",
                field=field,
            )


def _check_pmsmp(data: PlacementInput) -> None:
    if not data.prescriber.strip():
        raise InvalidField(
            "a PMSMP is prescribed by the public employment service: name it", field="prescriber"
        )
    if data.ends_on > last_day_within(data.starts_on, PMSMP_MONTHS):
        raise InvalidField(
            "a PMSMP lasts at most one month; renew it once for more", field="ends_on"
        )


def _check_poei(data: PlacementInput) -> None:
    if data.hire_months is None or data.hire_months < MIN_HIRE_MONTHS:
        raise InvalidField(
            f"in a POEI the employer commits to hire for at least {MIN_HIRE_MONTHS} months",
            field="hire_months",
        )


def _check_work_study(data: PlacementInput) -> None:
    if data.contract is None:
        raise InvalidField(
            "name the contract: apprenticeship or professionalisation", field="contract"
        )
    if data.ends_on < last_day_within(data.starts_on, MIN_CONTRACT_MONTHS):
        raise InvalidField(
            f"a work-study contract lasts at least {MIN_CONTRACT_MONTHS} months", field="ends_on"
        )


def check_renewal(frame: LegalFrame, current_end: date, renewed: bool, new_end: date) -> None:
    """A PMSMP is renewed once, for at most one month from the day after its end."""
    if frame is not LegalFrame.PMSMP:
        raise Conflict(f"only a PMSMP is renewed, not a {FRAME_NAMES[frame]}", field="frame")
    if renewed:
        raise Conflict("a PMSMP is renewed at most once", field="renewed_until")
    if new_end <= current_end:
        raise InvalidField("the renewal ends after the current end", field="ends_on")
    if new_end > last_day_within(current_end + timedelta(days=1), PMSMP_MONTHS):
        raise InvalidField("a PMSMP is renewed for at most one month", field="ends_on")


def check_signatories(frame: LegalFrame, roles: Iterable[SignatoryRole]) -> None:
    """Every party the frame's agreement needs has signed it."""
    missing = SIGNATORIES[frame] - set(roles)
    if missing:
        raise InvalidField(
            f"the {FRAME_NAMES[frame]} agreement is also signed by: " + ", ".join(sorted(missing)),
            field="signatories",
        )
