"""Personal links and the satisfaction survey's answers. Only ``core.surveys`` touches them.

Personal data: every row leads to a learner through its enrolment. A link's secret is never
stored, only its SHA-256 (``secret_hash``), emptied when the learner is erased; a survey
answer's ``comment`` is free text typed by the person, kept out of every report.
"""

from piccolo.columns import Boolean, ForeignKey, Integer, SmallInt, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from core.enrolment.tables import Enrolment
from core.learners.tables import Learner


class LearnerLink(Table):
    """A personal address sent to a learner, answered once without signing in.

    ``purpose`` is ``survey`` (satisfaction at the end, RULES.md C6) or ``follow_up``
    (the outcome ``checkpoint`` months after exit, RULES.md O2; 0 for the survey). A link
    answers until ``expires_at`` and until ``answered_at`` is set; sending a new one for
    the same purpose ends the previous one (its ``expires_at`` set to that instant).
    ``created_by`` is the account that sent it, 0 for Essaim itself (the worker).
    ``secret_hash`` is NULL once the learner is erased.
    """

    enrolment = ForeignKey(
        references=Enrolment, null=False, on_delete=OnDelete.restrict, index=True
    )
    learner = ForeignKey(references=Learner, null=False, on_delete=OnDelete.restrict, index=True)
    purpose = Varchar(length=10)
    checkpoint = SmallInt(default=0)
    secret_hash = Varchar(length=64, null=True, default=None, unique=True)
    created_at = Timestamptz()
    created_by = Integer(default=0)
    expires_at = Timestamptz()
    answered_at = Timestamptz(null=True, default=None)


class SurveyAnswer(Table):
    """A learner's answer to the end-of-training satisfaction survey (RULES.md C6); one per
    enrolment (unique). ``helped`` holds code words separated by commas."""

    enrolment = ForeignKey(
        references=Enrolment, null=False, on_delete=OnDelete.restrict, unique=True
    )
    learner = ForeignKey(references=Learner, null=False, on_delete=OnDelete.restrict, index=True)
    link = ForeignKey(references=LearnerLink, null=False, on_delete=OnDelete.restrict)
    satisfaction = SmallInt()
    recommends = Boolean()
    helped = Varchar(length=120, default="")
    comment = Text(default="")
    answered_at = Timestamptz()
