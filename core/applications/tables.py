"""Application tables. Only ``core.applications``' service, reads and eligibility touch them.

Personal data: every row is linked to a learner; the free texts (``ApplicationEvent.reason``,
``EligibilityFinding.reason`` and ``referral``) and ``EligibilityCheck.facts`` (birth date,
French level, results) are personal data, so that export and erasure must cover them.
"""

from piccolo.columns import Boolean, ForeignKey, Integer, Real, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from core.auth.tables import Account
from core.cohorts.tables import Cohort
from core.learners.tables import Learner


class Application(Table):
    """A person's application (candidature) to a program, maybe a track and a cohort, at a site."""

    learner = ForeignKey(references=Learner, null=False, on_delete=OnDelete.restrict, index=True)
    site = Varchar(length=40, index=True)
    program = Varchar(length=32, index=True)
    track = Varchar(length=32, null=True, default=None)
    cohort = ForeignKey(references=Cohort, null=True, on_delete=OnDelete.restrict, index=True)
    status = Varchar(length=24, index=True)
    eligible = Boolean(null=True, default=None)
    """The verdict of the latest eligibility check, so that lists show it without a join."""
    created_by = ForeignKey(references=Account, null=False, on_delete=OnDelete.restrict)
    created_at = Timestamptz()
    updated_at = Timestamptz()
    import_key = Varchar(length=64, null=True, default=None)
    """The idempotency key of the row a bulk import created it from, unique per site."""


class EligibilityCheck(Table):
    """Eligibility checked on a snapshot of the facts, at a stage of the application.

    Stages: ``submission`` (when made), ``placement`` (after a placement result), ``admission``
    (whether admitted or refused) and ``rejection``. ``facts`` is the msgspec JSON of a
    ``FactsSnapshot``: later edits of the learner record never rewrite it.
    """

    application = ForeignKey(
        references=Application, null=False, on_delete=OnDelete.restrict, index=True
    )
    stage = Varchar(length=16)
    eligible = Boolean()
    facts = Text()
    actor = ForeignKey(references=Account, null=True, on_delete=OnDelete.restrict)
    """The account whose action ran the check; None when the system ran it."""
    checked_at = Timestamptz()


class EligibilityFinding(Table):
    """One finding of a check: the rule, whether it holds, why, and where to go instead."""

    eligibility_check = ForeignKey(
        references=EligibilityCheck, null=False, on_delete=OnDelete.restrict, index=True
    )
    ordinal = Integer()
    rule = Varchar(length=32)
    ok = Boolean()
    reason = Text()
    referral = Text(null=True, default=None)


class ApplicationEvent(Table):
    """One status change: from what, to what, who, when, why; ``decision`` for decisions.

    A move to another cohort (an enrolment transferred) is an event too: it changes no status
    unless a waitlisted person takes a free place there, so ``from_status`` may equal
    ``to_status``, and its reason says where the application went."""

    application = ForeignKey(
        references=Application, null=False, on_delete=OnDelete.restrict, index=True
    )
    from_status = Varchar(length=24, null=True, default=None)
    """None for the event that created the application."""
    to_status = Varchar(length=24)
    actor = ForeignKey(references=Account, null=True, on_delete=OnDelete.restrict)
    """The account that made the change; None when the system made it (an expired offer)."""
    at = Timestamptz()
    reason = Text(default="")
    decision = ForeignKey(references=EligibilityCheck, null=True, on_delete=OnDelete.restrict)


class PlacementResult(Table):
    """A placement test's result (an assessment of kind "placement"), for a program's track."""

    learner = ForeignKey(references=Learner, null=False, on_delete=OnDelete.restrict, index=True)
    application = ForeignKey(
        references=Application, null=True, on_delete=OnDelete.restrict, index=True
    )
    program = Varchar(length=32)
    track = Varchar(length=32)
    score = Real(null=True, default=None)
    passed = Boolean()
    assessed_at = Timestamptz()
    assessor = ForeignKey(references=Account, null=False, on_delete=OnDelete.restrict)
    """The account that recorded the result."""
    recorded_at = Timestamptz()
