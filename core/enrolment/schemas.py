"""Request and response bodies of the enrolment API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec

from core.db.limits import ID_MAX

Reason = Annotated[str, msgspec.Meta(max_length=500)]


class EnrolmentCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Enrol an admitted application into the cohort of the URL."""

    application_id: Annotated[int, msgspec.Meta(ge=1, le=ID_MAX)]


class ReasonBody(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Why: told to the person or counted in the dropout figures."""

    reason: Reason = ""


class TransferCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Move an enrolment to another cohort of the same program and track."""

    cohort_id: Annotated[int, msgspec.Meta(ge=1, le=ID_MAX)]
    reason: Reason = ""


class EnrolmentRead(msgspec.Struct, kw_only=True):
    """An enrolment as the API shows it."""

    id: int
    cohort: int
    learner: int
    application: int
    status: str
    position: int | None
    offer_deadline: datetime | None
    transferred_from: int | None
    created_at: datetime
    updated_at: datetime


class FinishedEnrolment(msgspec.Struct, kw_only=True):
    """A person who went through a cohort that has ended, and the cohort's last day."""

    enrolment: int
    learner: int
    first_name: str
    last_name: str
    cohort: int
    cohort_title: str
    ended_on: date


class RosterEntry(msgspec.Struct, kw_only=True):
    """One person in a cohort's roster."""

    enrolment: int
    application: int
    learner: int
    first_name: str
    last_name: str
    gender: str
    position: int | None = None
    offer_deadline: datetime | None = None


class Roster(msgspec.Struct, kw_only=True):
    """Who is enrolled, who holds an offer, the waitlist in order, and the shares of women and
    of priority-neighbourhood residents.

    RULES.md C2: the share of women among the enrolled is shown against the 50% target, with a
    warning under it; a site's local target for residents of priority neighbourhoods is shown
    the same way. Neither ever refuses anyone.
    """

    cohort: int
    capacity: int
    enrolled: list[RosterEntry]
    offered: list[RosterEntry]
    waitlist: list[RosterEntry]
    places_left: int
    women_share: float | None
    """Women among the enrolled, 0 to 1; None while nobody is enrolled."""
    women_target: float
    women_warning: bool
    priority_neighbourhood_share: float | None
    """Residents of priority neighbourhoods (QPV) among the enrolled; None while nobody is."""
    priority_neighbourhood_target: float | None
    """The site's local target for the program, if it sets one."""
    priority_neighbourhood_warning: bool
