"""Report facts: what is expensive to derive from the raw records at report time, kept up to
date on write by ``core.reporting.facts``, in the same transaction as the change.

No personal data: ids, codes, months and yes/no milestones only.
"""

from piccolo.columns import Boolean, Date, ForeignKey, Integer, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from core.applications.tables import Application
from core.enrolment.tables import Enrolment


class ApplicationFact(Table, tablename="report_application"):
    """One application's place in the funnel: where and when it was made, and the
    milestones it reached."""

    application = ForeignKey(
        references=Application, null=False, on_delete=OnDelete.cascade, unique=True
    )
    site = Varchar(length=40, index=True)
    program = Varchar(length=32, index=True)
    track = Varchar(length=32, null=True, default=None)
    cohort = Integer(null=True, default=None, index=True)
    month = Varchar(length=7, index=True)
    """The month the application was made, ``YYYY-MM``, in its site's time zone."""
    eligible = Boolean(null=True, default=None)
    """The latest eligibility verdict."""
    admitted = Boolean(default=False)
    waitlisted = Boolean(default=False)
    enrolled = Boolean(default=False)
    withdrawn = Boolean(default=False)
    completed = Boolean(default=False)
    certified = Boolean(default=False)
    """A certificate a program records (``ProgramIndicators.certified``) for its enrolment."""


class FunnelMonth(Table, tablename="report_funnel_month"):
    """The funnel's counts of one site, program and month: ``ApplicationFact`` summed, kept
    on write with it (``core.reporting.facts``), so that the reports that group and filter by
    site, program and month only read a row per group. Unique on (site, program, month)."""

    site = Varchar(length=40)
    program = Varchar(length=32)
    month = Varchar(length=7)
    applications = Integer(default=0)
    eligible = Integer(default=0)
    admitted = Integer(default=0)
    waitlisted = Integer(default=0)
    enrolled = Integer(default=0)
    withdrawn = Integer(default=0)
    completed = Integer(default=0)
    certified = Integer(default=0)


class EnrolmentFact(Table, tablename="report_enrolment"):
    """One enrolment's figures for the indicators on learners: where and when (the cohort's
    start month), the audience attributes at its start, hours planned and attended, and
    whether the learner entered (attended a session), completed or dropped out."""

    enrolment = ForeignKey(
        references=Enrolment, null=False, on_delete=OnDelete.cascade, unique=True
    )
    site = Varchar(length=40, index=True)
    program = Varchar(length=32, index=True)
    track = Varchar(length=32)
    cohort = Integer(index=True)
    month = Varchar(length=7, index=True)
    """The month the cohort starts, ``YYYY-MM``."""
    status = Varchar(length=16)
    woman = Boolean(default=False)
    qpv = Boolean(null=True, default=None)
    low_qualified = Boolean(null=True, default=None)
    job_seeker = Boolean(null=True, default=None)
    refugee = Boolean(null=True, default=None)
    under_26 = Boolean(null=True, default=None)
    scheduled_minutes = Integer(default=0)
    attended_minutes = Integer(default=0)
    entered = Boolean(default=False)
    completed = Boolean(default=False)
    follow_up_3 = Date(null=True, default=None)
    """When the 3-month follow-up is due, for a learner who went to the end of the cohort."""
    outcome_3 = Varchar(length=24, null=True, default=None)
    follow_up_6 = Date(null=True, default=None)
    outcome_6 = Varchar(length=24, null=True, default=None)
