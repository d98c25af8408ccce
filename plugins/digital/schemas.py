"""Request and response bodies of DIGITAL's certification API (D5)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

import msgspec

from core.plugin import ID_MAX, Key
from plugins.digital.certification import Entitlement

Syllabus = Annotated[str, msgspec.Meta(pattern=r"^[0-9A-Za-z][0-9A-Za-z._-]{0,19}$")]
"""A syllabus version as the operator writes it: ``6.0``, ``2019``."""
TestCentre = Annotated[str, msgspec.Meta(min_length=2, max_length=120)]
Score = Annotated[float, msgspec.Meta(ge=0, le=100, description="Percentage of right answers.")]


class AttemptInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One attempt at an ICDL module. ``passed`` may be left out when the score is known
    (75 % passes); when both are given they must agree."""

    module: Key
    syllabus: Syllabus
    taken_on: date
    test_centre: TestCentre
    score: Score | None = None
    passed: bool | None = None
    exam_session: Annotated[int, msgspec.Meta(ge=1, le=ID_MAX)] | None = None
    comment: Annotated[str, msgspec.Meta(max_length=1000)] = ""


class AttemptRead(msgspec.Struct, kw_only=True):
    """A recorded attempt."""

    id: int
    enrolment: int
    module: str
    module_title: str
    syllabus: str
    taken_on: date
    test_centre: str
    score: float | None
    passed: bool
    exam_session: int | None
    comment: str
    recorded_by: int
    recorded_at: datetime


class CertificateInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A certificate as the national operator issued it."""

    level: Literal["base", "standard"]
    number: Annotated[str, msgspec.Meta(min_length=3, max_length=60)]
    issued_on: date


class CertificateRead(msgspec.Struct, kw_only=True):
    """A recorded certificate, as the operator issued it."""

    id: int
    enrolment: int
    level: str
    number: str
    issued_on: date
    recorded_by: int
    recorded_at: datetime


class CertificationRead(msgspec.Struct, kw_only=True):
    """A learner's certification record, from one of their DIGITAL enrolments.

    ``attempts`` are those recorded for this enrolment; ``entitlement`` counts every module
    the learner passed in DIGITAL and only says what the operator should issue, while
    ``certificates`` are what it did issue.
    """

    enrolment: int
    learner: int
    prepares_for: list[str]
    """The ICDL modules the enrolment's level prepares for (D3)."""
    attempts: list[AttemptRead]
    entitlement: Entitlement
    certificates: list[CertificateRead]


class ExamSessionInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """An exam session at a test centre, with its candidates (DIGITAL enrolments of the site)."""

    site: Annotated[str, msgspec.Meta(min_length=1, max_length=40)]
    test_centre: TestCentre
    held_on: date
    modules: Annotated[list[Key], msgspec.Meta(min_length=1, max_length=14)]
    candidates: Annotated[
        list[Annotated[int, msgspec.Meta(ge=1, le=ID_MAX)]], msgspec.Meta(max_length=100)
    ]


class CandidateRead(msgspec.Struct, kw_only=True):
    """A candidate of an exam session; ``enrolment`` is the reference a result sheet gives."""

    enrolment: int
    learner: int
    first_name: str
    last_name: str
    track: str


class ExamSessionRead(msgspec.Struct, kw_only=True):
    """An exam session with its candidate list."""

    id: int
    site: str
    test_centre: str
    held_on: date
    modules: list[str]
    candidates: list[CandidateRead]


class RowError(msgspec.Struct, frozen=True, kw_only=True):
    """Why one line of a result sheet cannot be imported."""

    line: int
    field: str
    message: str


class ImportReport(msgspec.Struct, kw_only=True):
    """What importing a result sheet did or, in a dry run, would do: attempts created,
    updated (a corrected score) and already there, and every invalid row."""

    dry_run: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid: list[RowError] = msgspec.field(default_factory=list)
