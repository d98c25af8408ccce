"""Request and response bodies of the cohorts API."""

from __future__ import annotations

import enum
from datetime import date, time
from typing import Annotated

import msgspec

from core.db.limits import ID_MAX
from core.plugin import Key

Weekday = Annotated[int, msgspec.Meta(ge=1, le=7)]
"""An ISO weekday: 1 is Monday, 7 is Sunday."""
Title = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Capacity = Annotated[int, msgspec.Meta(ge=1, le=200)]


class CohortStatus(enum.StrEnum):
    """Where a cohort stands."""

    PLANNED = "planned"
    OPEN = "open"
    RUNNING = "running"
    FINISHED = "finished"
    CANCELLED = "cancelled"


NEXT_STATUSES: dict[CohortStatus, frozenset[CohortStatus]] = {
    CohortStatus.PLANNED: frozenset({CohortStatus.OPEN, CohortStatus.CANCELLED}),
    CohortStatus.OPEN: frozenset(
        {CohortStatus.PLANNED, CohortStatus.RUNNING, CohortStatus.CANCELLED}
    ),
    CohortStatus.RUNNING: frozenset({CohortStatus.FINISHED, CohortStatus.CANCELLED}),
    CohortStatus.FINISHED: frozenset(),
    CohortStatus.CANCELLED: frozenset(),
}
"""The statuses a cohort may move to from each status ("open" means open for applications)."""


class CohortCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A new cohort; ``capacity`` defaults to the site's setting for the program."""

    site: Annotated[str, msgspec.Meta(min_length=1, max_length=40)]
    program: Key
    track: Key
    title: Title
    starts_on: date
    ends_on: date
    capacity: Capacity | None = None


class CohortUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The fields of a cohort to change; the rhythm's three fields are given together."""

    title: Title | msgspec.UnsetType = msgspec.UNSET
    capacity: Capacity | msgspec.UnsetType = msgspec.UNSET
    status: CohortStatus | msgspec.UnsetType = msgspec.UNSET
    room: Annotated[str, msgspec.Meta(max_length=40)] | msgspec.UnsetType | None = msgspec.UNSET
    lead_trainer: Annotated[int, msgspec.Meta(ge=1, le=ID_MAX)] | msgspec.UnsetType | None = (
        msgspec.UNSET
    )
    weekdays: (
        Annotated[list[Weekday], msgspec.Meta(min_length=1, max_length=7)] | msgspec.UnsetType
    ) = msgspec.UNSET
    day_starts: time | msgspec.UnsetType = msgspec.UNSET
    day_ends: time | msgspec.UnsetType = msgspec.UNSET


class CohortRead(msgspec.Struct, kw_only=True):
    """A cohort as the API shows it; the rhythm is empty until it is set."""

    id: int
    site: str
    program: str
    track: str
    title: str
    starts_on: date
    ends_on: date
    capacity: int
    status: CohortStatus
    room: str | None
    lead_trainer: int | None
    weekdays: list[int]
    day_starts: time | None
    day_ends: time | None


class CohortPage(msgspec.Struct, kw_only=True):
    """One page of cohorts, with the total under the same filters."""

    items: list[CohortRead]
    total: int
    limit: int
    offset: int
