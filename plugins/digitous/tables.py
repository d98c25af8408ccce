"""DIGITOUS's own tables: code reviews (T1), placements and the tutor's evaluations (T3).

Each row hangs on core's enrolment through ``core.plugin.tables``; only the services of
this plugin (``reviews``, ``placements``) write them. The columns that hold personal data
are declared in ``PERSONAL_COLUMNS`` so that core's export and erasure reach them.
"""

from __future__ import annotations

from piccolo.columns import JSON, Date, ForeignKey, Integer, Real, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from core.plugin import PersonalColumn, PersonalKind
from core.plugin.tables import ENROLMENT


class CodeReview(Table, tablename="digitous_code_review"):
    """A review of a learner's code during the bootcamp (T1). Never updated."""

    enrolment = ForeignKey(
        references=ENROLMENT, null=False, on_delete=OnDelete.restrict, index=True
    )
    reviewer = Varchar(length=120)
    """Who reviewed: a trainer, a volunteer developer or a peer."""
    repository = Varchar(length=300)
    commit_sha = Varchar(length=40)
    """The reviewed commit's hash, 7 to 40 hexadecimal digits."""
    reviewed_on = Date()
    grade = Varchar(length=12)
    """On the four-level scale of T1."""
    comments = Text(default="")
    recorded_by = Integer()
    recorded_at = Timestamptz()


class Placement(Table, tablename="digitous_placement"):
    """A learner's period in a host company under a legal frame (T3), one per enrolment.

    The agreement's reference, day and signatories are empty until it is recorded signed.
    """

    enrolment = ForeignKey(
        references=ENROLMENT, null=False, on_delete=OnDelete.restrict, unique=True
    )
    frame = Varchar(length=16)
    company = Varchar(length=200)
    tutor_name = Varchar(length=120)
    tutor_email = Varchar(length=254)
    starts_on = Date()
    ends_on = Date()
    """The end of the first period, as agreed."""
    renewed_until = Date(null=True, default=None)
    """The end of the one renewal a work-placement period (PMSMP) may have."""
    weekly_hours = Real()
    objectives = Text()
    prescriber = Varchar(length=120, default="")
    """PMSMP: the public employment service that prescribed it."""
    hire_months = Integer(null=True, default=None)
    """POEI: the months of employment the employer commits to afterwards."""
    contract = Varchar(length=20, default="")
    """Work-study: ``apprenticeship`` or ``professionalisation``."""
    agreement_reference = Varchar(length=60, default="")
    agreement_signed_on = Date(null=True, default=None)
    signatories = JSON(default="[]")
    """``[{"role", "name", "signed_on"}]``, one per party who signed the agreement."""
    created_by = Integer()
    created_at = Timestamptz()


class TutorEvaluation(Table, tablename="digitous_tutor_evaluation"):
    """The tutor's mid-term or final evaluation of a placement (T3, T4), one of each."""

    enrolment = ForeignKey(
        references=ENROLMENT, null=False, on_delete=OnDelete.restrict, index=True
    )
    placement = ForeignKey(
        references=Placement, null=False, on_delete=OnDelete.restrict, index=True
    )
    stage = Varchar(length=12)
    """``midterm`` or ``final``."""
    grade = Varchar(length=12)
    comments = Text(default="")
    evaluated_on = Date()
    recorded_by = Integer()
    recorded_at = Timestamptz()


def _personal(table: type[Table], column: str, kind: PersonalKind) -> PersonalColumn:
    return PersonalColumn(
        table=table._meta.tablename, column=column, kind=kind, learner="enrolment"
    )


PERSONAL_COLUMNS = (
    _personal(CodeReview, "reviewer", PersonalKind.IDENTITY),
    _personal(CodeReview, "repository", PersonalKind.LINK),
    _personal(CodeReview, "commit_sha", PersonalKind.LINK),
    _personal(CodeReview, "comments", PersonalKind.FREE_TEXT),
    _personal(Placement, "company", PersonalKind.IDENTITY),
    _personal(Placement, "tutor_name", PersonalKind.IDENTITY),
    _personal(Placement, "tutor_email", PersonalKind.CONTACT),
    _personal(Placement, "objectives", PersonalKind.FREE_TEXT),
    _personal(Placement, "agreement_reference", PersonalKind.IDENTITY),
    _personal(Placement, "signatories", PersonalKind.IDENTITY),
    _personal(TutorEvaluation, "comments", PersonalKind.FREE_TEXT),
)
"""Every column of DIGITOUS's tables that holds personal data about a learner: with the
dates, a host company's name, an agreement's reference or a commit's hash (searchable in
public repositories) leads back to the person as surely as a name."""
