"""Request and response bodies of DIGISTART's routes."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Annotated

import msgspec

from plugins.digistart.exercises import Week
from plugins.digistart.tables import ADDRESS_MAX_LENGTH


class WebsiteKind(enum.StrEnum):
    """What a submitted address points to."""

    URL = "url"
    """The website online."""
    REPOSITORY = "repository"
    """The repository holding its code."""


class ReviewDecision(enum.StrEnum):
    """A trainer's decision on a submitted website, as on the ``website_review`` scale."""

    CHANGES_REQUESTED = "changes_requested"
    ACCEPTED = "accepted"


class WebsiteStatus(enum.StrEnum):
    """Where an enrolment's website stands: the latest submission's latest review."""

    MISSING = "missing"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    ACCEPTED = "accepted"


class SubmissionInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A website handed in: an http or https address of the site or of its repository."""

    address: Annotated[str, msgspec.Meta(min_length=1, max_length=ADDRESS_MAX_LENGTH)]
    kind: WebsiteKind = WebsiteKind.URL
    submitted_on: date | None = None
    """The day the learner handed it in; today at the site when left out."""


class ReviewInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A trainer's review; asking for changes says which in ``comment``."""

    decision: ReviewDecision
    comment: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    reviewed_on: date | None = None
    """The day of the review; today at the site when left out."""


class ReviewRead(msgspec.Struct, kw_only=True):
    """A recorded review."""

    id: int
    submission: int
    reviewer: int
    decision: ReviewDecision
    comment: str
    reviewed_on: date
    recorded_at: datetime


class SubmissionRead(msgspec.Struct, kw_only=True):
    """A recorded submission with its reviews, oldest first."""

    id: int
    enrolment: int
    address: str
    kind: WebsiteKind
    submitted_on: date
    recorded_by: int
    recorded_at: datetime
    reviews: list[ReviewRead]


class WebsiteRead(msgspec.Struct, kw_only=True):
    """An enrolment's website: every submission, oldest first, and where it stands."""

    enrolment: int
    status: WebsiteStatus
    submissions: list[SubmissionRead]


class WeeksRead(msgspec.Struct, kw_only=True):
    """DIGISTART's weeks with their exercises, in teaching order."""

    items: tuple[Week, ...]
