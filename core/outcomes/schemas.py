"""Bodies of the outcomes API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec

from core.outcomes.rules import OutcomeSource, OutcomeStatus


class OutcomeInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """What became of the learner at the checkpoint of the URL, and how the team learnt it.

    ``employer_or_school`` and ``starts_on`` say where the learner went and from when; a
    learner still searching or not reached has neither.
    """

    status: OutcomeStatus
    source: OutcomeSource
    employer_or_school: Annotated[str, msgspec.Meta(max_length=200)] = ""
    starts_on: date | None = None


class OutcomeRead(msgspec.Struct, kw_only=True):
    """An outcome as recorded."""

    status: OutcomeStatus
    source: OutcomeSource
    employer_or_school: str
    starts_on: date | None
    recorded_at: datetime
    recorded_by: int


class CheckpointRead(msgspec.Struct, kw_only=True):
    """One follow-up of an enrolment: when it is due and, once recorded, its outcome."""

    checkpoint: int
    """Months after exit; 0 is the exit itself."""
    due_on: date
    positive: bool | None
    """RULES.md O1; None while nothing is recorded."""
    outcome: OutcomeRead | None


class EnrolmentOutcomes(msgspec.Struct, kw_only=True):
    """Every follow-up of an enrolment: the site's checkpoints, and any recorded at another
    checkpoint before the site changed its follow-up months."""

    enrolment: int
    learner: int
    cohort: int
    exit_on: date
    """The cohort's last day."""
    checkpoints: list[CheckpointRead]


class DueFollowUp(msgspec.Struct, kw_only=True):
    """A follow-up to make: the person, the cohort they left, the checkpoint and its day."""

    enrolment: int
    learner: int
    first_name: str
    last_name: str
    cohort: int
    cohort_title: str
    exit_on: date
    checkpoint: int
    due_on: date


class DueFollowUpPage(msgspec.Struct, kw_only=True):
    """One page of the follow-ups due at a site on a day, with their total."""

    on: date
    items: list[DueFollowUp]
    total: int
    limit: int
    offset: int
