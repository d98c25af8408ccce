"""The learner's forms behind a personal link: the survey and the follow-up, read back from
what was posted, kept as typed, checked with messages in the reader's language, and turned
into what ``core.surveys.answers`` records.

Field names: ``note``, ``recommande``, ``aide`` (several), ``commentaire`` for the survey;
``situation``, ``contrat``, ``employeur`` for the follow-up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from core.outcomes.rules import OutcomeSource, OutcomeStatus
from core.outcomes.schemas import OutcomeInput
from core.surveys.schemas import COMMENT_MAX, Helped, SurveyInput
from core.web.i18n import gettext as _

PLACE_MAX = 200
"""The width of an outcome's employer or school."""
MARKS = ("1", "2", "3", "4", "5")
ANSWERS = {"oui": True, "non": False}
HELPED = tuple(helped.value for helped in Helped)
SITUATIONS = ("emploi", "formation", "stage", "recherche", "autre")
CONTRACTS = {
    "cdi": OutcomeStatus.PERMANENT_JOB,
    "cdd": OutcomeStatus.FIXED_TERM_JOB,
    "alternance": OutcomeStatus.WORK_STUDY,
    "entreprise": OutcomeStatus.BUSINESS_CREATION,
}
"""A job's contract, and the outcome it records."""
_OTHER_SITUATIONS = {
    "formation": OutcomeStatus.QUALIFYING_TRAINING,
    "stage": OutcomeStatus.INTERNSHIP,
    "recherche": OutcomeStatus.STILL_SEARCHING,
    "autre": OutcomeStatus.OTHER,
}
FORM = "formulaire"
"""The error key of what concerns the whole form (a link that no longer answers)."""

Posted = Callable[[str], list[str]]
"""Every value posted for a field name."""


def _one(posted: Posted, name: str) -> str:
    values = posted(name)
    return values[0].strip() if values else ""


@dataclass(slots=True)
class SurveyForm:
    """The survey as typed, and its errors by field name."""

    mark: str = ""
    recommends: str = ""
    helped: list[str] = field(default_factory=list)
    comment: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_post(cls, posted: Posted) -> SurveyForm:
        """The values posted, kept as typed."""
        return cls(
            mark=_one(posted, "note"),
            recommends=_one(posted, "recommande"),
            helped=[value.strip() for value in posted("aide")],
            comment=posted("commentaire")[0] if posted("commentaire") else "",
        )

    def check(self) -> SurveyInput | None:
        """The answer to record, or None with ``errors`` filled."""
        if self.mark not in MARKS:
            self.errors["note"] = _("Choose a mark from 1 to 5.")
        if self.recommends not in ANSWERS:
            self.errors["recommande"] = _("Answer yes or no.")
        if any(value not in HELPED for value in self.helped):
            self.errors["aide"] = _("Choose only from the list.")
        if len(self.comment.strip()) > COMMENT_MAX:
            self.errors["commentaire"] = _(
                "Your comment is too long: %(max)s characters at most."
            ) % {"max": COMMENT_MAX}
        if self.errors:
            return None
        return SurveyInput(
            satisfaction=int(self.mark),
            recommends=ANSWERS[self.recommends],
            helped=tuple(Helped(value) for value in self.helped),
            comment=self.comment.strip(),
        )


@dataclass(slots=True)
class FollowUpForm:
    """The follow-up as typed, and its errors by field name."""

    situation: str = ""
    contract: str = ""
    place: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_post(cls, posted: Posted) -> FollowUpForm:
        """The values posted, kept as typed."""
        return cls(
            situation=_one(posted, "situation"),
            contract=_one(posted, "contrat"),
            place=_one(posted, "employeur"),
        )

    def check(self) -> OutcomeInput | None:
        """The outcome to record (its source: the learner's link), or None with ``errors``."""
        status = _OTHER_SITUATIONS.get(self.situation)
        if self.situation not in SITUATIONS:
            self.errors["situation"] = _("Choose your situation.")
        elif self.situation == "emploi":
            status = CONTRACTS.get(self.contract)
            if status is None:
                self.errors["contrat"] = _("You have a job: choose your type of contract.")
        if len(self.place) > PLACE_MAX:
            self.errors["employeur"] = _("The name is too long: %(max)s characters at most.") % {
                "max": PLACE_MAX
            }
        if self.errors or status is None:
            return None
        return OutcomeInput(
            status=status, source=OutcomeSource.LEARNER_LINK, employer_or_school=self.place
        )

    def refused(self, field_name: str | None) -> None:
        """Show the outcome service's refusal of a field next to it."""
        if field_name == "employer_or_school":
            self.errors["employeur"] = _(
                "Leave the name empty: in this situation there is no employer or school."
            )
        else:
            self.errors[FORM] = _(
                "Your answer could not be recorded. Contact the team of your training."
            )
