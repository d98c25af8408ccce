"""Outcome tables. Only ``core.outcomes.service`` touches them.

Personal data: every row is linked to a learner, and ``employer_or_school`` is free text that
names where a person works or studies; export and erasure must cover it, and it never goes
into the audit trail or the logs.
"""

from piccolo.columns import Date, ForeignKey, Integer, SmallInt, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from core.enrolment.tables import Enrolment
from core.learners.tables import Learner


class Outcome(Table):
    """What became of a learner at one checkpoint after they left a cohort (RULES.md O1, O2).

    ``checkpoint`` counts the months after exit, 0 being the exit itself; one row per
    enrolment and checkpoint (unique index): recording it again replaces it, and the audit
    trail keeps the codes it replaced. ``status`` is an ``OutcomeStatus``, ``source`` an
    ``OutcomeSource``; ``recorded_by`` is the account that last set it.
    """

    enrolment = ForeignKey(
        references=Enrolment, null=False, on_delete=OnDelete.restrict, index=True
    )
    learner = ForeignKey(references=Learner, null=False, on_delete=OnDelete.restrict, index=True)
    checkpoint = SmallInt()
    status = Varchar(length=24, index=True)
    employer_or_school = Varchar(length=200, default="")
    starts_on = Date(null=True, default=None)
    source = Varchar(length=12)
    recorded_at = Timestamptz()
    recorded_by = Integer()
