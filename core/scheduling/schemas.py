"""Bodies of the sessions API."""

from __future__ import annotations

from datetime import date, datetime, time

import msgspec

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
