"""Report facts: what is expensive to derive from the raw records at report time, kept up to
date on write by ``core.reporting.facts``, in the same transaction as the change.

No personal data: ids, codes, months and yes/no milestones only.
"""

from piccolo.columns import Boolean, ForeignKey, Integer, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from core.applications.tables import Application


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
