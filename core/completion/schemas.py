"""Request and response bodies of the assessment and completion API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec

from core.plugin import AssessmentKind, Finding, Offer

Comment = Annotated[str, msgspec.Meta(max_length=2000)]


class ResultInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A result to record for one of the program's assessments."""

    assessment: Annotated[str, msgspec.Meta(min_length=1, max_length=32)]
    value: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
    """A value on the assessment's scale, or a deliverable's address or reference."""
    score: Annotated[float, msgspec.Meta(ge=0, le=100)] | None = None
    comment: Comment = ""
    assessed_on: date | None = None
    """The day it was assessed; today at the site when left out."""


class ResultRead(msgspec.Struct, kw_only=True):
    """A recorded result."""

    id: int
    assessment: str
    value: str
    passed: bool | None
    """Whether the value is a passing one; None for a deliverable."""
    score: float | None
    comment: str
    assessed_on: date
    recorded_by: int
    recorded_at: datetime


class AssessmentRead(msgspec.Struct, kw_only=True):
    """One of the program's assessments for the enrolment's track, with its results."""

    key: str
    title: str
    kind: AssessmentKind
    scale: tuple[str, ...]
    passing: tuple[str, ...]
    unit: str | None
    latest: ResultRead | None
    history: list[ResultRead]
    """Every result, oldest first; the last one counts."""


class AssessmentSheet(msgspec.Struct, kw_only=True):
    """An enrolment's assessments, in the order the program teaches them."""

    enrolment: int
    learner: int
    program: str
    track: str
    items: list[AssessmentRead]


class CompletionFactsRead(msgspec.Struct, kw_only=True):
    """What a completion decision was taken on."""

    scheduled_hours: float
    attended_hours: float
    attendance_rate: float
    results: dict[str, str]
    deliverables: list[str]
    """The deliverables handed in, by assessment key (their text is not repeated here)."""


class CompletionRead(msgspec.Struct, kw_only=True):
    """The completion decision on an enrolment."""

    enrolment: int
    learner: int
    cohort: int
    site: str
    program: str
    track: str
    completed: bool
    findings: list[Finding]
    facts: CompletionFactsRead
    next_offers: list[Offer]
    decided_at: datetime
    decided_by: int
    overridden: bool
    override_reason: str
    completed_on: date | None
    attestation_number: str | None


class CompletionPreview(msgspec.Struct, kw_only=True):
    """What the program would decide on the enrolment's facts today; recorded nowhere."""

    completed: bool
    findings: list[Finding]
    facts: CompletionFactsRead


class OverrideInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A site manager declares completion despite the program's refusal, and says why."""

    reason: Annotated[str, msgspec.Meta(max_length=1000)]
