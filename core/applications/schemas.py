"""Request and response bodies of the applications API, and the snapshot a decision keeps."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec

from core.applications.pipeline import ApplicationStatus
from core.db.limits import ID_MAX
from core.plugin import Finding, Key

Id = Annotated[int, msgspec.Meta(ge=1, le=ID_MAX)]
Reason = Annotated[str, msgspec.Meta(max_length=2000)]


class ApplicationCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A new application; with a cohort, the track is the cohort's and may be left out."""

    learner: Id
    site: Annotated[str, msgspec.Meta(min_length=1, max_length=40)]
    program: Key
    track: Key | None = None
    cohort: Id | None = None


class TransitionCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A status change asked for; ``reason`` is required to reject or withdraw.

    ``track`` sets the application's track on the way to screening, a placement test or
    admission, for an application made without one or whose screening chose another.
    """

    to: ApplicationStatus
    reason: Reason = ""
    track: Key | None = None


class PlacementResultCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A placement test's result; ``track`` defaults to the application's."""

    passed: bool
    track: Key | None = None
    score: Annotated[float, msgspec.Meta(ge=0, le=1000)] | None = None
    assessed_at: Annotated[datetime, msgspec.Meta(tz=True)] | None = None
    """When the test was taken; defaults to now. Never in the future."""


class ApplicationRead(msgspec.Struct, kw_only=True):
    """An application with the findings of its latest eligibility check.

    ``next_statuses`` lists what ``POST /{id}/transitions`` accepts from here.
    """

    id: int
    learner: int
    site: str
    program: str
    track: str | None
    cohort: int | None
    status: ApplicationStatus
    eligible: bool | None
    findings: list[Finding]
    next_statuses: list[ApplicationStatus]
    created_at: datetime
    updated_at: datetime


class ApplicationPage(msgspec.Struct, kw_only=True):
    """One page of applications, with the total under the same filters."""

    items: list[ApplicationRead]
    total: int
    limit: int
    offset: int


class PlacementSnapshot(msgspec.Struct, frozen=True, kw_only=True):
    """A placement result as a decision saw it."""

    program: str
    track: str
    passed: bool
    score: float | None
    assessed_at: datetime


class FactsSnapshot(msgspec.Struct, frozen=True, kw_only=True):
    """The facts an eligibility check was taken on, stored as JSON with the check.

    ``age_reference`` is the day C1 was checked on: the cohort's start, else the application's
    date. Pairs are ``(program_key, track_key)``, sorted, so that equal facts encode equally.
    """

    learner: int
    birth_date: date | None
    french_level: str | None
    program: str
    track: str | None
    cohort: int | None
    cohort_start: date | None
    age_reference: date
    completions: tuple[tuple[str, str], ...]
    placements: tuple[PlacementSnapshot, ...]
    language_partners: tuple[str, ...]


class DecisionRead(msgspec.Struct, kw_only=True):
    """An eligibility check: its stage, verdict, findings and the facts it was taken on."""

    id: int
    stage: str
    eligible: bool
    findings: list[Finding]
    facts: FactsSnapshot
    actor: int | None
    checked_at: datetime


class EventRead(msgspec.Struct, kw_only=True):
    """One status change; ``decision`` names the check an admission or rejection was taken on.

    A transfer to another cohort is an event whose reason says where to; its ``from_status``
    equals its ``to_status`` unless a waitlisted person took a free place there."""

    id: int
    from_status: ApplicationStatus | None
    to_status: ApplicationStatus
    actor: int | None
    at: datetime
    reason: str
    decision: int | None


class ApplicationHistory(msgspec.Struct, kw_only=True):
    """Every status change and every eligibility check of an application, oldest first."""

    application: int
    events: list[EventRead]
    decisions: list[DecisionRead]


class PlacementResultRead(msgspec.Struct, kw_only=True):
    """A recorded placement result."""

    id: int
    application: int | None
    learner: int
    program: str
    track: str
    score: float | None
    passed: bool
    assessed_at: datetime
    assessor: int
    recorded_at: datetime


class PlacementOutcome(msgspec.Struct, kw_only=True):
    """A recorded result, the application after it, and the tracks the program now opens.

    ``opened_tracks``: the site's tracks of the program for which the program's own findings
    all hold on the facts as they now stand (core's C1 and C3 apart).
    """

    result: PlacementResultRead
    application: ApplicationRead
    opened_tracks: list[str]
