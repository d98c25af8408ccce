"""The shape of a site file, ``sites/<slug>.toml``; program blocks are validated by their plugin."""

from __future__ import annotations

import enum
from datetime import date, time
from itertools import pairwise
from typing import Annotated, Any

import msgspec

Slug = Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9-]{1,39}$")]
EnvVarName = Annotated[str, msgspec.Meta(pattern=r"^[A-Z][A-Z0-9_]{2,63}$")]
NonEmpty = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class _Config(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Base for every block of a site file: frozen, keyword-only, strict about unknown fields."""


class SiteStatus(enum.StrEnum):
    """Where a site stands: opening, active, or paused (no new applications)."""

    OPENING = "opening"
    ACTIVE = "active"
    PAUSED = "paused"


class PartnerKind(enum.StrEnum):
    """What a partner does for the site."""

    REFERRAL = "referral"
    HOST_COMPANY = "host_company"
    FUNDER = "funder"
    LANGUAGE = "language"
    VOLUNTEERING = "volunteering"


class Room(_Config):
    """A training room and what it holds."""

    key: Slug
    name: NonEmpty
    capacity: Annotated[int, msgspec.Meta(ge=1, le=500)]
    laptops: Annotated[int, msgspec.Meta(ge=0, le=500)] = 0


class Partner(_Config):
    """A referral, host-company, funder, language or volunteering partner."""

    key: Slug
    name: NonEmpty
    kinds: Annotated[tuple[PartnerKind, ...], msgspec.Meta(min_length=1)]
    contact: str = ""


class Closure(_Config):
    """Days the site is closed (inclusive)."""

    starts_on: date
    ends_on: date
    reason: NonEmpty

    def __post_init__(self) -> None:
        if self.ends_on < self.starts_on:
            raise ValueError("ends_on is before starts_on")


class OpeningHours(_Config):
    """When the site is open on weekdays, in the site's time zone."""

    opens: time = time(9, 0)
    closes: time = time(18, 0)
    days: tuple[Annotated[int, msgspec.Meta(ge=1, le=7)], ...] = (1, 2, 3, 4, 5)

    def __post_init__(self) -> None:
        if self.closes <= self.opens:
            raise ValueError("closes is not after opens")


class Mail(_Config):
    """Outgoing mail; the password is never in the file, only the variable that holds it."""

    sender: NonEmpty
    host: NonEmpty
    port: Annotated[int, msgspec.Meta(ge=1, le=65535)] = 587
    username: str = ""
    password_env: EnvVarName | None = None


class Contact(_Config):
    """A person to reach at the site (role and work address, never a learner)."""

    role: NonEmpty
    name: NonEmpty
    email: str = ""


class EnrolmentSettings(_Config):
    """How the site runs its cohorts' waitlists."""

    offer_hours: Annotated[int, msgspec.Meta(ge=1, le=336)] = 48
    """How long a freed place is held for the person it is offered to: 1 hour to two weeks."""


class AttendanceSettings(_Config):
    """How the site follows attendance."""

    absence_alert: Annotated[int, msgspec.Meta(ge=2, le=20)] = 3
    """After this many absences in a row (excused ones aside), the learner is flagged."""


class OutcomesSettings(_Config):
    """When the site follows up what became of its learners (RULES.md O2)."""

    follow_up_months: Annotated[
        tuple[Annotated[int, msgspec.Meta(ge=1, le=36)], ...],
        msgspec.Meta(min_length=1, max_length=6),
    ] = (3, 6)
    """The follow-ups after the one at exit, in months after it: 1 to 6 of them, increasing."""

    def __post_init__(self) -> None:
        if any(a >= b for a, b in pairwise(self.follow_up_months)):
            raise ValueError("follow_up_months are not in increasing order")


class RetentionSettings(_Config):
    """How long the site keeps a learner's record once its purpose is over (RULES.md,
    Privacy), after which ``essaim retention run`` erases it (docs/privacy.md)."""

    applicant_months: Annotated[int, msgspec.Meta(ge=1, le=60)] = 12
    """A person who never took a place: months after their applications' last change."""
    after_follow_up_months: Annotated[int, msgspec.Meta(ge=0, le=60)] = 0
    """A learner who took a place: months after the last follow-up of their last cohort
    (its last day plus the last of ``[outcomes] follow_up_months``)."""


class SiteFile(_Config):
    """A whole site file. ``programs`` maps a program key to that program's settings block."""

    slug: Slug
    name: NonEmpty
    status: SiteStatus
    department: str
    timezone: str
    locale: str = "fr_FR"
    address: str = ""
    opening_hours: OpeningHours = OpeningHours()
    rooms: tuple[Room, ...] = ()
    partners: tuple[Partner, ...] = ()
    closures: tuple[Closure, ...] = ()
    contacts: tuple[Contact, ...] = ()
    mail: Mail | None = None
    enrolment: EnrolmentSettings = EnrolmentSettings()
    attendance: AttendanceSettings = AttendanceSettings()
    outcomes: OutcomesSettings = OutcomesSettings()
    retention: RetentionSettings = RetentionSettings()
    programs: dict[str, dict[str, Any]] = msgspec.field(default_factory=dict)
