"""DIGITAL's own tables: PCIE/ICDL exam sessions, module attempts and certificates (D5).

Core's tables are named through ``core.plugin.tables``. Personal data: an attempt's comment
and a certificate's number, declared through ``essaim_personal_data``.
"""

from piccolo.columns import (
    Boolean,
    Date,
    DoublePrecision,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from core.plugin.tables import ENROLMENT, LEARNER


class ExamSession(Table, tablename="digital_exam_session"):
    """A PCIE/ICDL exam session at a test centre, for candidates of one site."""

    site = Varchar(length=40, index=True)
    test_centre = Varchar(length=120)
    held_on = Date()
    modules = Varchar(length=400, default="")
    """The module keys taken at the session, comma-separated."""
    created_by = Integer()
    created_at = Timestamptz()


class ExamCandidate(Table, tablename="digital_exam_candidate"):
    """A learner (through their enrolment) registered for an exam session."""

    exam_session = ForeignKey(
        references=ExamSession, null=False, on_delete=OnDelete.restrict, index=True
    )
    enrolment = ForeignKey(
        references=ENROLMENT, null=False, on_delete=OnDelete.restrict, index=True
    )


class ModuleAttempt(Table, tablename="digital_module_attempt"):
    """One attempt at one ICDL module; attempts are unlimited and each is kept."""

    enrolment = ForeignKey(
        references=ENROLMENT, null=False, on_delete=OnDelete.restrict, index=True
    )
    learner = ForeignKey(references=LEARNER, null=False, on_delete=OnDelete.restrict, index=True)
    exam_session = ForeignKey(
        references=ExamSession, null=True, on_delete=OnDelete.restrict, index=True
    )
    module = Varchar(length=40)
    syllabus = Varchar(length=20)
    taken_on = Date()
    test_centre = Varchar(length=120)
    score = DoublePrecision(null=True, default=None)
    """The percentage of right answers, when the centre gives it."""
    passed = Boolean(default=False)
    comment = Text(default="")
    recorded_by = Integer()
    recorded_at = Timestamptz()


class Certificate(Table, tablename="digital_certificate"):
    """A certificate as the national operator issued it: its level, number and date."""

    enrolment = ForeignKey(
        references=ENROLMENT, null=False, on_delete=OnDelete.restrict, index=True
    )
    learner = ForeignKey(references=LEARNER, null=False, on_delete=OnDelete.restrict, index=True)
    level = Varchar(length=20)
    number = Varchar(length=60)
    issued_on = Date()
    recorded_by = Integer()
    recorded_at = Timestamptz()
