"""The assessment entry form of a cohort: one assessment at a time, a result per learner,
read back as typed and checked with messages in the reader's language naming the learner and
the field, then turned into the ``ResultInput`` each learner's result is recorded with.

Field names: ``evaluation`` (the assessment's key), ``date`` (the day it was assessed),
``valeur-<enrolment>`` and ``commentaire-<enrolment>``. A learner left without a value gets
no new result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from core.completion.schemas import ResultInput
from core.enrolment.schemas import RosterEntry
from core.plugin import Assessment, AssessmentKind
from core.web.i18n import gettext as _

ASSESSMENT = "evaluation"
DAY = "date"
LONGEST_VALUE = 500
LONGEST_COMMENT = 2000
"""The longest value and comment the service keeps (``ResultInput``)."""


def value_field(enrolment: int) -> str:
    """The name of a learner's value field."""
    return f"valeur-{enrolment}"


def comment_field(enrolment: int) -> str:
    """The name of a learner's comment field."""
    return f"commentaire-{enrolment}"


@dataclass(slots=True)
class ResultsForm:
    """What the form shows: the assessment, the day, each learner's value and comment as
    typed, and the errors by field name."""

    assessment: str
    day: str
    values: dict[int, str] = field(default_factory=dict)
    comments: dict[int, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_post(cls, learners: list[RosterEntry], posted: Mapping[str, str]) -> ResultsForm:
        """The values posted for the cohort's learners, kept as typed."""
        return cls(
            assessment=posted.get(ASSESSMENT, "").strip(),
            day=posted.get(DAY, "").strip(),
            values={
                e.enrolment: posted.get(value_field(e.enrolment), "").strip() for e in learners
            },
            comments={
                e.enrolment: posted.get(comment_field(e.enrolment), "").strip() for e in learners
            },
        )


def _name(entry: RosterEntry) -> str:
    return f"{entry.first_name} {entry.last_name}"


def check(
    form: ResultsForm,
    learners: list[RosterEntry],
    assessment: Assessment | None,
    today: date,
) -> list[tuple[RosterEntry, ResultInput]] | None:
    """The results to record, by learner, or None with ``form.errors`` filled."""
    errors = form.errors
    if assessment is None:
        errors[ASSESSMENT] = _("Assessment: choose one of the assessments offered.")
        return None
    try:
        day = date.fromisoformat(form.day)
    except ValueError:
        errors[DAY] = _("Day of the assessment: a date such as %(example)s.") % {
            "example": today.isoformat()
        }
        day = None
    if day is not None and day > today:
        errors[DAY] = _("Day of the assessment: a result is not recorded ahead of its day.")
    results = []
    for entry in learners:
        value = form.values.get(entry.enrolment, "")
        comment = form.comments.get(entry.enrolment, "")
        if len(comment) > LONGEST_COMMENT:
            errors[comment_field(entry.enrolment)] = _(
                "Comment on %(name)s: %(most)s characters at most."
            ) % {"name": _name(entry), "most": LONGEST_COMMENT}
        if not value:
            if comment:
                errors[value_field(entry.enrolment)] = _(
                    "Result of %(name)s: give the result that goes with the comment."
                ) % {"name": _name(entry)}
            continue
        if assessment.kind is AssessmentKind.DELIVERABLE:
            if len(value) > LONGEST_VALUE:
                errors[value_field(entry.enrolment)] = _(
                    "Result of %(name)s: %(most)s characters at most."
                ) % {"name": _name(entry), "most": LONGEST_VALUE}
                continue
        elif value not in assessment.scale:
            errors[value_field(entry.enrolment)] = _(
                "Result of %(name)s: choose one of the values offered."
            ) % {"name": _name(entry)}
            continue
        results.append(
            (
                entry,
                ResultInput(
                    assessment=assessment.key, value=value, comment=comment, assessed_on=day
                ),
            )
        )
    if not results and not errors:
        errors["resultats-vides"] = _("Give at least one learner's result.")
    if errors:
        return None
    return results
