"""Bodies of the sessions API."""

from __future__ import annotations

import enum
from datetime import date, datetime, time
from typing import Annotated

import msgspec

from core.db.limits import ID_MAX
from core.scheduling.conflicts import Conflict


class SessionRead(msgspec.Struct, kw_only=True):
    """A session: its local day and times in ``timezone``, and the instants they make."""

    id: int
    cohort: int
    sequence: int
    unit: str
    title: str
    day: date
    starts_at: time
    ends_at: time
    timezone: str
    start: datetime
    end: datetime
    room: str | None
    trainer: int | None


class SessionList(msgspec.Struct, kw_only=True):
    """Every session of a cohort, in order, how many have already ended, and every conflict
    one of them is in (with sessions of other cohorts too)."""

    items: list[SessionRead]
    held: int
    conflicts: list[Conflict]


class ConflictList(msgspec.Struct, kw_only=True):
    """The conflicts of a site's sessions over a period."""

    site: str
    first: date
    last: date
    items: list[Conflict]


class WindowInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A weekly window of availability: an ISO weekday (1 is Monday), local times, and
    optionally the first and last days it applies to."""

    weekday: Annotated[int, msgspec.Meta(ge=1, le=7)]
    starts_at: time
    ends_at: time
    valid_from: date | None = None
    valid_until: date | None = None


class AvailabilityInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Every window of a person's availability, replacing those they had; an empty list
    declares none (the person is then never outside their availability)."""

    windows: Annotated[list[WindowInput], msgspec.Meta(max_length=50)]


class AvailabilityRead(msgspec.Struct, kw_only=True):
    """A person's declared availability: ``person`` is ``account:<id>`` or
    ``volunteer:<id>``."""

    person: str
    windows: list[WindowInput]


class FeedKind(enum.StrEnum):
    """What a calendar feed follows: a cohort, a room of a site, or a trainer."""

    COHORT = "cohort"
    ROOM = "room"
    TRAINER = "trainer"


class FeedCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A new feed: ``cohort`` for a cohort, ``site`` and ``room`` for a room, ``trainer``
    (an account id) for a trainer; nothing else."""

    kind: FeedKind
    cohort: Annotated[int, msgspec.Meta(ge=1, le=ID_MAX)] | None = None
    site: Annotated[str, msgspec.Meta(min_length=1, max_length=40)] | None = None
    room: Annotated[str, msgspec.Meta(min_length=1, max_length=40)] | None = None
    trainer: Annotated[int, msgspec.Meta(ge=1, le=ID_MAX)] | None = None


class FeedRead(msgspec.Struct, kw_only=True):
    """A calendar feed, without its secret address."""

    id: int
    kind: FeedKind
    cohort: int | None
    site: str | None
    room: str | None
    trainer: int | None
    created_by: int
    created_at: datetime
    revoked_at: datetime | None


class FeedIssued(FeedRead, kw_only=True):
    """A new feed and its secret address, shown this once: only its hash is stored."""

    url: str


class FeedPage(msgspec.Struct, kw_only=True):
    """One page of the feeds the caller reaches, newest first, with their total."""

    items: list[FeedRead]
    total: int
    limit: int
    offset: int
