"""Request and response bodies of the volunteers API and of the volunteering report."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec
from msgspec import UNSET, UnsetType

from core.db.limits import ID_MAX
from core.learners.schemas import Email, LearnerId, Name, PartnerKey, Phone

Skill = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")]
"""A skill as a short code word ("excel", "javascript", "accompagnement-emploi"): never a
sentence, so that nothing about another person can be written in it."""
Skills = Annotated[list[Skill], msgspec.Meta(max_length=20)]
SiteSlug = Annotated[str, msgspec.Meta(min_length=1, max_length=40)]


class VolunteerCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A new volunteer at a site.

    A former learner is given by ``learner`` (their learner record's id), and then neither
    names nor contact: those are read from the learner record. Anyone else is given by
    ``first_name`` and ``last_name``, and optionally ``email`` and ``phone``. ``partner`` is
    the partner key of the site's file whose company lends the volunteer.
    """

    site: SiteSlug
    learner: LearnerId | None = None
    first_name: Name | None = None
    last_name: Name | None = None
    email: Email | None = None
    phone: Phone | None = None
    skills: Skills = msgspec.field(default_factory=list)
    partner: PartnerKey | None = None


class VolunteerUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The fields to change; absent ones keep their value, ``partner: null`` clears it.

    A former learner's names and contact are changed on their learner record. ``active:
    false`` deactivates the volunteer, which also takes them off the sessions that have not
    started yet; ``active: true`` brings them back, and accepts a volunteer who signed up on
    the public page.
    """

    first_name: Name | UnsetType = UNSET
    last_name: Name | UnsetType = UNSET
    email: Email | UnsetType = UNSET
    phone: Phone | UnsetType = UNSET
    skills: Skills | UnsetType = UNSET
    partner: PartnerKey | UnsetType | None = UNSET
    active: bool | UnsetType = UNSET


class VolunteerRead(msgspec.Struct, kw_only=True):
    """A volunteer. ``learner`` is the id of their learner record when they are a former
    learner, whose names and contact these are."""

    id: int
    site: str
    learner: int | None
    first_name: str
    last_name: str
    email: str
    phone: str
    skills: list[str]
    partner: str | None
    active: bool
    pending: bool
    """Signed up on the public page, not yet accepted: inactive until a manager sets
    ``active``."""
    created_at: datetime


class VolunteerPage(msgspec.Struct, kw_only=True):
    """One page of volunteers, with the total under the same filters."""

    items: list[VolunteerRead]
    total: int
    limit: int
    offset: int


class SessionVolunteerCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The volunteer to book for a session."""

    volunteer: Annotated[int, msgspec.Meta(ge=1, le=ID_MAX)]


class SessionVolunteers(msgspec.Struct, kw_only=True):
    """The volunteers booked for a session."""

    session: int
    volunteers: list[VolunteerRead]


class CompanyHours(msgspec.Struct, kw_only=True):
    """Hours given at a site by the volunteers one company lends, or (``partner`` null) by
    volunteers no company lends."""

    partner: str | None
    name: str | None
    volunteers: int
    minutes: int
    hours: float


class SiteHours(msgspec.Struct, kw_only=True):
    """Hours given by a site's volunteers, and by company."""

    site: str
    volunteers: int
    minutes: int
    hours: float
    companies: list[CompanyHours]


class VolunteeringReport(msgspec.Struct, kw_only=True):
    """Volunteer hours over a period (local days, inclusive), per site and company: the
    minutes of the sessions volunteers were booked for that have ended. No person is named."""

    first: date
    last: date
    volunteers: int
    minutes: int
    hours: float
    sites: list[SiteHours]
