"""The messages Essaim sends to learners, in simple French (CEFR A2 readers).

Short sentences, everyday words, ``vous``, and the facts in a block of labelled lines
(``Formation : ...``) that a reader finds again at a glance. Each template has a context
Struct that the caller fills; the learner's first name comes from their record.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec

from core.french import french_date, french_time

Line = Annotated[str, msgspec.Meta(min_length=1, max_length=80, pattern=r"^[^\r\n]*\S[^\r\n]*$")]
"""A name shown on one line (and in a subject): a program, a site, a cohort."""
Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=500, pattern=r"\S")]
"""A reason for a refusal, in plain words, as the eligibility finding states it."""


class Template(enum.StrEnum):
    """The events a learner is told about (issue 3)."""

    APPLICATION_RECEIVED = "application_received"
    APPLICATION_DECISION = "application_decision"
    WAITLIST_OFFER = "waitlist_offer"
    SURVEY_LINK = "survey_link"
    FOLLOW_UP_LINK = "follow_up_link"


class _Context(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """What every message names: the program and the site, as the learner knows them."""

    program: Line
    """The program's name, ``DIGITAL`` say."""
    site_name: Line
    """The site's name from its file, ``Paris`` say."""


class ApplicationReceived(_Context, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """An application was recorded."""


class ApplicationDecision(_Context, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The site admitted or refused an application; a refusal says why in plain words."""

    decision: Literal["admitted", "refused"]
    reasons: tuple[Reason, ...] = ()
    starts_on: date | None = None
    """The cohort's first day, when the admission names one."""

    def __post_init__(self) -> None:
        if self.decision == "refused" and not self.reasons:
            raise ValueError("a refusal gives at least one reason, in plain words")


class WaitlistOffer(_Context, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A place in a cohort is offered to the next person on its waitlist, until ``deadline``."""

    cohort: Line
    """The cohort's title."""
    deadline: datetime
    """When the offer passes to the next person; shown in the site's time zone."""
    timezone: str = "Europe/Paris"
    starts_on: date | None = None

    def __post_init__(self) -> None:
        if self.deadline.tzinfo is None:
            raise ValueError("the deadline must be timezone-aware")
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise ValueError(f"unknown time zone {self.timezone!r}") from None


Address = Annotated[str, msgspec.Meta(max_length=300, pattern=r"^https?://[^\s]+$")]
"""A personal address on Essaim's site."""


class SurveyLink(_Context, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The learner's training ended: their personal link to the satisfaction survey."""

    url: Address
    expires_on: date


class FollowUpLink(_Context, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Some months after the end: their personal link to say what they do now."""

    url: Address
    expires_on: date
    months: Annotated[int, msgspec.Meta(ge=1, le=99)]


CONTEXTS: dict[Template, type[_Context]] = {
    Template.APPLICATION_RECEIVED: ApplicationReceived,
    Template.APPLICATION_DECISION: ApplicationDecision,
    Template.WAITLIST_OFFER: WaitlistOffer,
    Template.SURVEY_LINK: SurveyLink,
    Template.FOLLOW_UP_LINK: FollowUpLink,
}
"""The context Struct each template takes."""


class Rendered(msgspec.Struct, frozen=True, kw_only=True):
    """A message ready to store and send."""

    subject: str
    body: str


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _letter(first_name: str, paragraphs: list[str], context: _Context) -> str:
    greeting = f"Bonjour {_one_line(first_name)}," if first_name.strip() else "Bonjour,"
    closing = [
        "Vous avez une question ? Répondez à ce message.",
        f"L'équipe de formation\n{context.site_name}",
    ]
    return "\n\n".join([greeting, *paragraphs, *closing]) + "\n"


def _facts(*lines: tuple[str, str | None]) -> str:
    return "\n".join(f"{label} : {value}" for label, value in lines if value)


def _received(context: ApplicationReceived, first_name: str) -> Rendered:
    body = _letter(
        first_name,
        [
            "Nous avons bien reçu votre candidature.",
            _facts(("Formation", context.program), ("Lieu", context.site_name)),
            "Nous allons étudier votre candidature.\n"
            "Ensuite, nous vous donnerons une réponse.\n"
            "Vous n'avez rien à faire pour le moment.",
        ],
        context,
    )
    return Rendered(subject=f"Formation {context.program} : candidature reçue", body=body)


def _decision(context: ApplicationDecision, first_name: str) -> Rendered:
    starts = french_date(context.starts_on, weekday=True) if context.starts_on else None
    facts = _facts(("Formation", context.program), ("Lieu", context.site_name), ("Début", starts))
    if context.decision == "admitted":
        body = _letter(
            first_name,
            [
                "Bonne nouvelle : votre candidature est acceptée.",
                facts,
                "Nous allons vous contacter pour la suite.",
            ],
            context,
        )
        return Rendered(
            subject=f"Formation {context.program} : votre candidature est acceptée", body=body
        )
    reasons = "\n".join(f"- {_one_line(reason)}" for reason in context.reasons)
    body = _letter(
        first_name,
        [
            "Nous avons étudié votre candidature.\nNous ne pouvons pas l'accepter pour le moment.",
            facts,
            f"Pourquoi ?\n{reasons}",
            "Nous pouvons en parler ensemble.",
        ],
        context,
    )
    return Rendered(subject=f"Formation {context.program} : réponse à votre candidature", body=body)


def _offer(context: WaitlistOffer, first_name: str) -> Rendered:
    local = context.deadline.astimezone(ZoneInfo(context.timezone))
    starts = french_date(context.starts_on, weekday=True) if context.starts_on else None
    body = _letter(
        first_name,
        [
            "Une place est libre pour vous dans une formation.",
            _facts(
                ("Formation", context.program),
                ("Groupe", context.cohort),
                ("Lieu", context.site_name),
                ("Début", starts),
            ),
            "Vous voulez cette place ?\n"
            f"Répondez avant le {french_date(local.date(), weekday=True)} "
            f"à {french_time(local.time())}.\n"
            "Après cette date, nous donnerons la place à une autre personne.",
            "Pour dire oui ou non, répondez à ce message.",
        ],
        context,
    )
    return Rendered(
        subject=f"Formation {context.program} : une place est libre pour vous", body=body
    )


def _survey(context: SurveyLink, first_name: str) -> Rendered:
    body = _letter(
        first_name,
        [
            "Votre formation est finie. Merci d'avoir participé !",
            _facts(("Formation", context.program), ("Lieu", context.site_name)),
            "Donnez-nous votre avis. C'est rapide : 4 questions.\n"
            f"Cliquez sur ce lien :\n{context.url}",
            f"Le lien marche jusqu'au {french_date(context.expires_on, weekday=True)}.\n"
            "Ce lien est personnel : ne le donnez à personne.",
        ],
        context,
    )
    return Rendered(subject=f"Formation {context.program} : votre avis", body=body)


def _follow_up(context: FollowUpLink, first_name: str) -> Rendered:
    body = _letter(
        first_name,
        [
            f"Votre formation est finie depuis {context.months} mois.",
            _facts(("Formation", context.program), ("Lieu", context.site_name)),
            "Que faites-vous maintenant ? Un travail, une formation, un stage ?\n"
            "Dites-le-nous. C'est rapide.\n"
            f"Cliquez sur ce lien :\n{context.url}",
            f"Le lien marche jusqu'au {french_date(context.expires_on, weekday=True)}.\n"
            "Ce lien est personnel : ne le donnez à personne.",
        ],
        context,
    )
    return Rendered(subject=f"Formation {context.program} : et maintenant ?", body=body)


_RENDERERS: dict[Template, Callable[[Any, str], Rendered]] = {
    Template.APPLICATION_RECEIVED: _received,
    Template.APPLICATION_DECISION: _decision,
    Template.WAITLIST_OFFER: _offer,
    Template.SURVEY_LINK: _survey,
    Template.FOLLOW_UP_LINK: _follow_up,
}


def context_for(template: Template, context: Mapping[str, Any] | msgspec.Struct) -> _Context:
    """``context`` checked against the template's Struct; ValueError names what is wrong."""
    expected = CONTEXTS[template]
    if isinstance(context, expected):
        return context
    if isinstance(context, msgspec.Struct):
        raise TypeError(
            f"template {template.value!r} takes {expected.__name__}, not {type(context).__name__}"
        )
    try:
        return msgspec.convert(dict(context), expected)
    except msgspec.ValidationError as exc:
        raise ValueError(f"template {template.value!r}: {exc}") from None


def render(
    template: Template, context: Mapping[str, Any] | msgspec.Struct, *, first_name: str
) -> Rendered:
    """The subject and body of ``template`` for a learner called ``first_name``."""
    return _RENDERERS[template](context_for(template, context), first_name)
