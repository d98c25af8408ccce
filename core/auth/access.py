"""Who may call a route: the rule every route declares next to its handler.

Services enforce access (DESIGN: roles are scoped in the service layer, so that no query can
forget the scope); a route's rule states, for everyone who may call it, what it answers, so
that a reader finds it where the route is defined and the access matrix test
(``tests/access_matrix.py``) can call every route as every audience and hold the services
to it. A route declares its rule with ``opt=access(RULE)``, on the handler or on its
controller; a route without one fails that test.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

ACCESS = "access"
"""Route option holding the route's ``Access`` rule."""
PUBLIC = "public"
"""Route option the authentication middleware reads: true lets a route answer anonymously.
Set by ``access`` from the rule, never by hand."""


class Audience(enum.Enum):
    """Who calls, said relative to the record the route acts on (the one in its path, or the
    one its list or report would show)."""

    ADMIN = "admin"
    CENTRAL = "central viewer"
    MANAGER = "site manager of the record's site"
    OTHER_MANAGER = "site manager of another site"
    TRAINER = "trainer of the record's cohort"
    OTHER_TRAINER = "trainer of another cohort"
    ANONYMOUS = "anonymous"


SIGNED_IN = tuple(audience for audience in Audience if audience is not Audience.ANONYMOUS)


class Answer(enum.Enum):
    """What a route answers an audience."""

    ALLOWED = "allowed"
    """Past the access check: a success, or a refusal of the request's content or of the
    record's state (409, 422), never 401, 403 or 404."""
    FILTERED = "filtered"
    """A list or report that answers, leaving out what is out of the caller's scope."""
    FORBIDDEN = "403"
    """The caller's role may not do this at all."""
    HIDDEN = "404"
    """The record is out of the caller's scope: not found, as if it did not exist."""
    UNAUTHENTICATED = "401"
    """No credentials."""
    SIGN_IN = "303"
    """No credentials, on a page: sent to the sign-in form, to come back after it."""


@dataclass(frozen=True, slots=True)
class Access:
    """A route's rule: the answer of each audience, and one line saying who may call it."""

    summary: str
    answers: Mapping[Audience, Answer]

    def __deepcopy__(self, memo: dict[int, Any]) -> Access:
        # Litestar deep-copies route options; a rule is immutable, so the copy is itself.
        return self

    @property
    def public(self) -> bool:
        """True when the route answers without credentials."""
        return self.answers[Audience.ANONYMOUS] is Answer.ALLOWED

    def answer(self, audience: Audience) -> Answer:
        """What the route answers ``audience``."""
        return self.answers[audience]


def rule(
    summary: str,
    *,
    allowed: Iterable[Audience] = (),
    filtered: Iterable[Audience] = (),
    forbidden: Iterable[Audience] = (),
    public: bool = False,
) -> Access:
    """A rule: the audiences named get their answer, every other signed-in one HIDDEN, and
    the anonymous caller UNAUTHENTICATED, or ALLOWED when ``public``."""
    answers = dict.fromkeys(SIGNED_IN, Answer.HIDDEN)
    named: dict[Audience, Answer] = {}
    for audiences, answer in (
        (allowed, Answer.ALLOWED),
        (filtered, Answer.FILTERED),
        (forbidden, Answer.FORBIDDEN),
    ):
        for audience in audiences:
            if audience in named or audience is Audience.ANONYMOUS:
                raise ValueError(f"{summary!r}: {audience.name} named twice or anonymous")
            named[audience] = answer
    answers |= named
    answers[Audience.ANONYMOUS] = Answer.ALLOWED if public else Answer.UNAUTHENTICATED
    return Access(summary=summary, answers=MappingProxyType(answers))


def listing(declared: Access) -> Access:
    """The rule of a list or report of the records ``declared`` guards: whoever would not
    find one record gets the list without it (FILTERED) instead of a 404."""
    answers = {
        audience: Answer.FILTERED if answer is Answer.HIDDEN else answer
        for audience, answer in declared.answers.items()
    }
    return Access(
        summary=f"{declared.summary}; others get the list without them",
        answers=MappingProxyType(answers),
    )


def page(declared: Access) -> Access:
    """The rule of a page behind the sign-in: ``declared``, but the anonymous visitor is sent
    to the sign-in form instead of getting a 401."""
    answers = dict(declared.answers)
    if answers[Audience.ANONYMOUS] is Answer.UNAUTHENTICATED:
        answers[Audience.ANONYMOUS] = Answer.SIGN_IN
    return Access(summary=f"{declared.summary}; a page", answers=MappingProxyType(answers))


def access(declared: Access) -> dict[str, Any]:
    """The route options that declare ``declared``: ``opt=access(RULE)``."""
    return {ACCESS: declared, PUBLIC: declared.public}


A = Audience
EVERYONE = rule("anyone, signed in or not", allowed=SIGNED_IN, public=True)
ANY_ACCOUNT = rule("any signed-in account, on its own behalf", allowed=SIGNED_IN)
ADMINS = rule("admins only", allowed=[A.ADMIN], forbidden=set(SIGNED_IN) - {A.ADMIN})
COHORT_VIEWERS = rule(
    "admins, the central team, the site's managers and the cohort's trainers",
    allowed=[A.ADMIN, A.CENTRAL, A.MANAGER, A.TRAINER],
)
COHORT_TEAM = rule(
    "admins, the site's managers and the cohort's trainers; the central team sees "
    "aggregates only (403)",
    allowed=[A.ADMIN, A.MANAGER, A.TRAINER],
    forbidden=[A.CENTRAL],
)
COHORT_MANAGERS = rule(
    "admins and the site's managers; the central team and the cohort's trainers see the "
    "record but may not do this (403)",
    allowed=[A.ADMIN, A.MANAGER],
    forbidden=[A.CENTRAL, A.TRAINER],
)
SITE_MANAGERS = rule(
    "admins and the site's managers; the central team sees aggregates only (403); "
    "trainers do not reach the record (404)",
    allowed=[A.ADMIN, A.MANAGER],
    forbidden=[A.CENTRAL],
)
SITE_SCHEDULE = rule(
    "admins, the central team and the site's managers",
    allowed=[A.ADMIN, A.CENTRAL, A.MANAGER],
)
SITE_VOLUNTEERS = rule(
    "admins and the site's managers; the central team sees aggregated hours only and "
    "trainers do not manage volunteers (403)",
    allowed=[A.ADMIN, A.MANAGER],
    forbidden=[A.CENTRAL, A.TRAINER, A.OTHER_TRAINER],
)
TRAINER_AVAILABILITY = rule(
    "the trainer themself, admins and the managers of a site they train at; the central "
    "team and other trainers may not (403)",
    allowed=[A.ADMIN, A.MANAGER, A.TRAINER],
    forbidden=[A.CENTRAL, A.OTHER_TRAINER],
)
DUPLICATE_CHECK = rule(
    "admins and every site manager (a person may already be recorded at another site, "
    "shown as a minimal match); the central team and trainers may not (403)",
    allowed=[A.ADMIN, A.MANAGER, A.OTHER_MANAGER],
    forbidden=[A.CENTRAL, A.TRAINER, A.OTHER_TRAINER],
)
SITE_MANAGEMENT = rule(
    "admins and every site manager, each over the sites they manage (another site's record "
    "is refused in place); the central team and trainers may not (403)",
    allowed=[A.ADMIN, A.MANAGER, A.OTHER_MANAGER],
    forbidden=[A.CENTRAL, A.TRAINER, A.OTHER_TRAINER],
)
REPORTS = rule(
    "admins, the central team and site managers, each over the sites they reach; "
    "trainers may not (403)",
    allowed=[A.ADMIN, A.CENTRAL, A.MANAGER],
    filtered=[A.OTHER_MANAGER],
    forbidden=[A.TRAINER, A.OTHER_TRAINER],
)
