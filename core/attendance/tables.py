"""Attendance tables. Only ``core.attendance`` services touch them.

Personal data: every row is linked to a learner. Signatures are the proof funders and
auditors ask for (RULES.md C4): rows are added, never edited; a corrected mark keeps the
signatures it had, and a change after the trainer signed is audited.
"""

from piccolo.columns import Date, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from core.cohorts.tables import Cohort
from core.learners.tables import Learner
from core.scheduling.tables import TrainingSession


class AttendanceMark(Table):
    """A learner at a session: present, late, absent or excused, and the minutes attended.

    One per session and learner (unique index). ``recorded_by`` is the account that last
    set it.
    """

    session = ForeignKey(
        references=TrainingSession, null=False, on_delete=OnDelete.restrict, index=True
    )
    learner = ForeignKey(references=Learner, null=False, on_delete=OnDelete.restrict, index=True)
    status = Varchar(length=12)
    minutes = Integer()
    recorded_by = Integer()
    recorded_at = Timestamptz()


class Signature(Table):
    """A signature event for one half-day of a session: a learner's (``learner`` set) or the
    trainer's (``account`` set), on the paper sheet, recorded by the trainer, or on a tablet."""

    session = ForeignKey(
        references=TrainingSession, null=False, on_delete=OnDelete.restrict, index=True
    )
    half_day = Varchar(length=12)
    learner = ForeignKey(references=Learner, null=True, on_delete=OnDelete.restrict, index=True)
    account = Integer(null=True, default=None)
    method = Varchar(length=12)
    signed_at = Timestamptz()
    recorded_by = Integer()


class AttendanceFlag(Table):
    """A learner the site manager should look at, raised the day the reason appeared:
    absences in a row, or a completion threshold out of reach. One per kind and learner
    of a cohort."""

    cohort = ForeignKey(references=Cohort, null=False, on_delete=OnDelete.restrict, index=True)
    learner = ForeignKey(references=Learner, null=False, on_delete=OnDelete.restrict, index=True)
    kind = Varchar(length=32)
    reason = Text()
    raised_on = Date()
    raised_at = Timestamptz()
