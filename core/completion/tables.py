"""Completion tables. Only the services of ``core.completion`` write them.

Personal data: results and decisions are about one learner; a deliverable's text (a
website's address) and comments may name them.
"""

from piccolo.columns import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Real,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from core.cohorts.tables import Cohort
from core.enrolment.tables import Enrolment
from core.learners.tables import Learner


class AssessmentResult(Table):
    """One result of one assessment for one enrolment. Never updated: a new result for the
    same assessment supersedes the previous one, which stays as history."""

    enrolment = ForeignKey(
        references=Enrolment, null=False, on_delete=OnDelete.restrict, index=True
    )
    learner = ForeignKey(references=Learner, null=False, on_delete=OnDelete.restrict, index=True)
    assessment = Varchar(length=32)
    """The program's assessment key."""
    value = Text()
    """A value on the assessment's scale, or a deliverable's text."""
    score = Real(null=True, default=None)
    """A mark out of 100, when the assessment has one."""
    comment = Text(default="")
    assessed_on = Date()
    recorded_by = Integer()
    recorded_at = Timestamptz()


class Completion(Table):
    """The completion decision on one enrolment: the program's findings, the facts they were
    taken on, a site manager's override, and the attestation's number once completed."""

    enrolment = ForeignKey(
        references=Enrolment, null=False, on_delete=OnDelete.restrict, unique=True
    )
    learner = ForeignKey(references=Learner, null=False, on_delete=OnDelete.restrict, index=True)
    cohort = ForeignKey(references=Cohort, null=False, on_delete=OnDelete.restrict, index=True)
    site = Varchar(length=40, index=True)
    program = Varchar(length=32, index=True)
    track = Varchar(length=32)
    completed = Boolean(default=False, index=True)
    findings = JSON(default="[]")
    """The program's findings, ``[{"rule", "ok", "reason"}]``, as decided."""
    facts = JSON(default="{}")
    """The hours and results the decision was taken on."""
    next_offers = JSON(default="[]")
    decided_at = Timestamptz()
    decided_by = Integer()
    override_reason = Text(default="")
    """Why a site manager declared completion against a refusal; empty otherwise."""
    completed_on = Date(null=True, default=None)
    attestation_number = Varchar(length=64, null=True, default=None, unique=True)


class AttestationCounter(Table):
    """The last attestation number given at a site in a year: numbers run 1, 2, 3..."""

    site = Varchar(length=40)
    year = Integer()
    last = Integer(default=0)
