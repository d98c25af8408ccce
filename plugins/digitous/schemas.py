"""Request and response bodies of DIGITOUS's routes: code reviews (T1) and placements (T3).

Shapes and lengths are checked here, at the edge (400 with the field's path); the rules
of each legal frame are checked by ``frames`` (422 naming the field).
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Annotated

import msgspec

from plugins.digitous.rules import Grade
from plugins.digitous.settings import LegalFrame

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
Comments = Annotated[str, msgspec.Meta(max_length=4000)]
Email = Annotated[str, msgspec.Meta(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]


class Stage(enum.StrEnum):
    """When the tutor evaluates: half-way through the placement, or at its end (T3)."""

    MIDTERM = "midterm"
    FINAL = "final"


class WorkStudyContract(enum.StrEnum):
    """The contract of a work-study placement."""

    APPRENTICESHIP = "apprenticeship"
    """Contrat d'apprentissage."""
    PROFESSIONALISATION = "professionalisation"
    """Contrat de professionnalisation."""


class SignatoryRole(enum.StrEnum):
    """Who signs a placement agreement."""

    LEARNER = "learner"
    COMPANY = "company"
    """The host company or employer."""
    TRAINING_BODY = "training_body"
    """The organisation itself, which runs DIGITOUS."""
    PRESCRIBER = "prescriber"
    """The public employment service (France Travail, a Mission locale, Cap emploi)."""
    TUTOR = "tutor"


class CodeReviewInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A code review of a bootcamp learner (T1)."""

    reviewer: Name
    repository: Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
    commit: Annotated[str, msgspec.Meta(pattern=r"^[0-9a-f]{7,40}$")]
    reviewed_on: date
    grade: Grade
    comments: Comments = ""


class CodeReviewRead(msgspec.Struct, kw_only=True):
    """A recorded code review; ``passed`` is true at ``meets`` or better."""

    id: int
    enrolment: int
    reviewer: str
    repository: str
    commit: str
    reviewed_on: date
    grade: Grade
    passed: bool
    comments: str
    recorded_by: int
    recorded_at: datetime


class CodeReviewList(msgspec.Struct, kw_only=True):
    """An enrolment's code reviews, oldest first."""

    enrolment: int
    items: list[CodeReviewRead]


class PlacementInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A placement in a host company under a legal frame (T3).

    ``prescriber`` is a PMSMP's, ``hire_months`` a POEI's and ``contract`` a work-study
    placement's; each is required by its own frame and refused by the others.
    """

    frame: LegalFrame
    company: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    tutor_name: Name
    tutor_email: Email
    starts_on: date
    ends_on: date
    weekly_hours: float
    objectives: Annotated[str, msgspec.Meta(min_length=1, max_length=4000)]
    prescriber: Annotated[str, msgspec.Meta(max_length=120)] = ""
    hire_months: int | None = None
    contract: WorkStudyContract | None = None


class RenewalInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A PMSMP's one renewal, to a new end."""

    ends_on: date


class SignatoryInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One party who signed the agreement."""

    role: SignatoryRole
    name: Name


class AgreementInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The signed agreement: its reference, the day it was signed and who signed it."""

    reference: Annotated[str, msgspec.Meta(min_length=1, max_length=60)]
    signed_on: date
    signatories: Annotated[list[SignatoryInput], msgspec.Meta(min_length=1, max_length=10)]


class EvaluationInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The tutor's evaluation, as the site manager records it."""

    stage: Stage
    grade: Grade
    evaluated_on: date
    comments: Comments = ""


class AgreementRead(msgspec.Struct, kw_only=True):
    """The signed agreement."""

    reference: str
    signed_on: date
    signatories: list[SignatoryInput]


class EvaluationRead(msgspec.Struct, kw_only=True):
    """One of the tutor's evaluations."""

    stage: Stage
    grade: Grade
    passed: bool
    evaluated_on: date
    comments: str
    recorded_by: int
    recorded_at: datetime


class PlacementRead(msgspec.Struct, kw_only=True):
    """A placement with its agreement (None until signed) and the tutor's evaluations."""

    id: int
    enrolment: int
    frame: LegalFrame
    company: str
    tutor_name: str
    tutor_email: str
    starts_on: date
    ends_on: date
    renewed_until: date | None
    weekly_hours: float
    objectives: str
    prescriber: str
    hire_months: int | None
    contract: WorkStudyContract | None
    agreement: AgreementRead | None
    evaluations: list[EvaluationRead]
    created_by: int
    created_at: datetime
