"""Enrolment tables. Only ``core.enrolment.service`` touches them.

Personal data: every row is linked to a learner and to the application it serves.
"""

from piccolo.columns import Boolean, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from core.applications.tables import Application
from core.cohorts.tables import Cohort
from core.learners.tables import Learner


class Enrolment(Table):
    """A person's place in a cohort, on its waitlist, or offered a place freed by another.

    ``status``: ``enrolled``, ``waitlisted`` (with ``position``, 1..n without gaps),
    ``offered`` (a freed place held until ``offer_deadline``), or a closed one: ``withdrawn``,
    ``declined``, ``left`` (the waitlist), ``expired`` (an offer not answered in time),
    ``transferred`` (to another cohort, whose enrolment row names this one in ``transferred_from``).
    """

    cohort = ForeignKey(references=Cohort, null=False, on_delete=OnDelete.restrict, index=True)
    learner = ForeignKey(references=Learner, null=False, on_delete=OnDelete.restrict, index=True)
    application = ForeignKey(
        references=Application, null=False, on_delete=OnDelete.restrict, index=True
    )
    status = Varchar(length=16, index=True)
    position = Integer(null=True, default=None)
    offer_deadline = Timestamptz(null=True, default=None)
    transferred_from = Integer(null=True, default=None)
    """The id of the enrolment this one continues, after a transfer between cohorts."""
    reason = Text(default="")
    created_at = Timestamptz()
    updated_at = Timestamptz()
    under_26_kept = Boolean(null=True, default=None)
    """Whether the learner was under 26 on the cohort's start, kept when an erasure removes
    their birth date, so that the reports count them as before (``core.privacy``)."""
