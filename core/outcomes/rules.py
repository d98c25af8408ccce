"""What counts as a positive outcome (RULES.md O1) and when follow-ups are due (O2). Pure.

A checkpoint is a whole number of months after the learner's exit, 0 being the exit itself:
the follow-ups of a site are at its exit and at each of its ``[outcomes] follow_up_months``
(3 and 6 by default). Counting months rather than naming "month 3" keeps a record true to
what was measured when a site follows up at other months.
"""

from __future__ import annotations

import calendar
import enum
from collections.abc import Iterable
from datetime import date

from core.errors import InvalidField

EXIT = 0
"""The checkpoint of the exit itself."""


class OutcomeStatus(enum.StrEnum):
    """What became of a learner at a checkpoint."""

    PERMANENT_JOB = "permanent_job"
    """A job on a permanent contract (CDI)."""
    FIXED_TERM_JOB = "fixed_term_job"
    """A job on a fixed-term contract (CDD)."""
    WORK_STUDY = "work_study"
    """An apprenticeship or another work-study contract (alternance)."""
    BUSINESS_CREATION = "business_creation"
    QUALIFYING_TRAINING = "qualifying_training"
    """Further training that leads to a qualification."""
    INTERNSHIP = "internship"
    """An internship or a work placement: not a positive outcome under RULES.md O1."""
    STILL_SEARCHING = "still_searching"
    UNKNOWN = "unknown"
    """The learner could not be reached: reported apart, never counted as positive."""
    OTHER = "other"

    @property
    def positive(self) -> bool:
        """RULES.md O1: a job (permanent or fixed-term), a work-study contract, a business
        started or qualifying training. The one definition every report uses."""
        return self in POSITIVE

    @property
    def known(self) -> bool:
        """False when the learner was not reached: such outcomes are counted apart."""
        return self is not OutcomeStatus.UNKNOWN

    @property
    def has_destination(self) -> bool:
        """Whether the status names somewhere the learner went (an employer or a school,
        a start date); "still searching" and "unknown" do not."""
        return self not in (OutcomeStatus.STILL_SEARCHING, OutcomeStatus.UNKNOWN)


POSITIVE = frozenset(
    {
        OutcomeStatus.PERMANENT_JOB,
        OutcomeStatus.FIXED_TERM_JOB,
        OutcomeStatus.WORK_STUDY,
        OutcomeStatus.BUSINESS_CREATION,
        OutcomeStatus.QUALIFYING_TRAINING,
    }
)
"""The positive outcomes of RULES.md O1."""


def is_positive(status: OutcomeStatus) -> bool:
    """RULES.md O1: whether ``status`` is a positive outcome (``OutcomeStatus.positive``)."""
    return status.positive


class OutcomeSource(enum.StrEnum):
    """How the outcome was learnt: by the site team, or from the learner's own answer."""

    PHONE = "phone"
    EMAIL = "email"
    SURVEY = "survey"
    """A questionnaire the site team ran and read (on paper, a form of its own)."""
    IN_PERSON = "in_person"
    LEARNER_LINK = "learner_link"
    """The learner answered themselves, on their personal follow-up link (``core.surveys``)."""


def checkpoints(follow_up_months: Iterable[int]) -> tuple[int, ...]:
    """A site's checkpoints in months after exit: the exit, then each follow-up."""
    return (EXIT, *follow_up_months)


def parse_checkpoint(text: str) -> int:
    """A checkpoint as the API names it: ``exit`` or a number of months after it."""
    if text == "exit":
        return EXIT
    if text.isascii() and text.isdigit() and len(text) <= 2:
        return int(text)
    raise InvalidField(
        f"{text!r} is not a checkpoint: say 'exit' or the number of months after it, such as 3",
        field="checkpoint",
    )


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months, kept within the month it lands in
    (30 November plus 3 months is the last day of February)."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_on(exit_on: date, checkpoint: int) -> date:
    """RULES.md O2: the day a checkpoint's follow-up is due, ``checkpoint`` months after exit."""
    return add_months(exit_on, checkpoint)


def latest_exit_due_by(day: date, checkpoint: int) -> date:
    """The latest exit day whose ``checkpoint`` follow-up is due on or before ``day``.

    ``due_on`` never decreases with the exit day, so the follow-ups due by ``day`` are
    exactly those of exits on or before this one: a bound a query can use.
    """
    year, month = divmod(day.month - 1 - checkpoint, 12)
    year += day.year
    month += 1
    last = calendar.monthrange(year, month)[1]
    if day.day == calendar.monthrange(day.year, day.month)[1]:
        # Every exit of that month lands on or before the last day of ``day``'s month.
        return date(year, month, last)
    return date(year, month, min(day.day, last))
