"""Every conflict in a set of sessions, found in one pass over them sorted, not pairwise.

A room or a person booked for two sessions at once, a room with fewer seats than the cohort,
a session outside the site's opening hours, a session on a day off (a public holiday or a
closure added after it was planned). Pure: the service loads the sessions, this finds what
is wrong with them, a year of sessions for fifty sites in one call (bench/conflicts.py).
"""

from __future__ import annotations

import enum
import heapq
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, time
from typing import NamedTuple

import msgspec


class ConflictKind(enum.StrEnum):
    """What is wrong."""

    ROOM_DOUBLE_BOOKED = "room_double_booked"
    PERSON_DOUBLE_BOOKED = "person_double_booked"
    ROOM_TOO_SMALL = "room_too_small"
    OUTSIDE_OPENING_HOURS = "outside_opening_hours"
    DAY_OFF = "day_off"


class Booking(NamedTuple):
    """A session as the check needs it: instants as UTC epoch seconds for the overlaps,
    local day and times for the site's rules."""

    session_id: int
    cohort_id: int
    site: str
    day: date
    starts_at: time
    ends_at: time
    start: int
    end: int
    room: str | None
    trainer: int | None
    seats: int


class SiteRules(NamedTuple):
    """What a site allows: its opening hours and days, its rooms' seats, its days off."""

    opens: time
    closes: time
    open_days: frozenset[int]
    room_seats: Mapping[str, int]
    day_off: Callable[[date], str | None]


class Conflict(msgspec.Struct, frozen=True, kw_only=True):
    """One thing wrong with a session, or with two sessions together."""

    kind: ConflictKind
    session_id: int
    other_session_id: int | None = None
    site: str
    day: date
    detail: str


def _overlaps(
    bookings: Iterable[Booking], resource: Callable[[Booking], object | None]
) -> Iterator[tuple[Booking, Booking]]:
    """Every pair of bookings of the same resource whose times overlap.

    Sorted by resource then start, each booking is compared only with the bookings of its
    resource still running when it starts (a heap by end): n log n plus the pairs found.
    """
    keyed = sorted(
        ((key, booking.start, booking) for booking in bookings if (key := resource(booking))),
        key=lambda item: (item[0], item[1]),
    )
    current: object = None
    running: list[tuple[int, int, Booking]] = []
    for key, start, booking in keyed:
        if key != current:
            current, running = key, []
        while running and running[0][0] <= start:
            heapq.heappop(running)
        for _, _, other in running:
            yield other, booking
        heapq.heappush(running, (booking.end, booking.session_id, booking))


def _room(booking: Booking) -> tuple[str, str] | None:
    return (booking.site, booking.room) if booking.room else None


def _person(booking: Booking) -> int | None:
    return booking.trainer


def _pair(kind: ConflictKind, first: Booking, second: Booking, detail: str) -> Conflict:
    return Conflict(
        kind=kind,
        session_id=first.session_id,
        other_session_id=second.session_id,
        site=first.site,
        day=first.day,
        detail=detail,
    )


def _alone(kind: ConflictKind, booking: Booking, detail: str) -> Conflict:
    return Conflict(
        kind=kind, session_id=booking.session_id, site=booking.site, day=booking.day, detail=detail
    )


def _site_rule_conflicts(booking: Booking, rules: SiteRules) -> Iterator[Conflict]:
    seats = rules.room_seats.get(booking.room) if booking.room else None
    if seats is not None and seats < booking.seats:
        yield _alone(
            ConflictKind.ROOM_TOO_SMALL,
            booking,
            f"la salle {booking.room} a {seats} places pour un groupe de {booking.seats}",
        )
    if (
        booking.day.isoweekday() not in rules.open_days
        or booking.starts_at < rules.opens
        or booking.ends_at > rules.closes
    ):
        yield _alone(
            ConflictKind.OUTSIDE_OPENING_HOURS,
            booking,
            "la séance est en dehors des heures d'ouverture du site",
        )
    if reason := rules.day_off(booking.day):
        yield _alone(ConflictKind.DAY_OFF, booking, f"le site est fermé ce jour-là : {reason}")


def find_conflicts(bookings: Sequence[Booking], rules: Mapping[str, SiteRules]) -> list[Conflict]:
    """Every conflict among ``bookings``; ``rules`` by site slug (a site without rules is
    checked for double bookings only). Ordered by day, then session."""
    found = [
        _pair(
            ConflictKind.ROOM_DOUBLE_BOOKED,
            first,
            second,
            f"la salle {first.room} est prise par deux séances en même temps",
        )
        for first, second in _overlaps(bookings, _room)
    ]
    found.extend(
        _pair(
            ConflictKind.PERSON_DOUBLE_BOOKED,
            first,
            second,
            f"la personne (compte {first.trainer}) est prévue à deux séances en même temps",
        )
        for first, second in _overlaps(bookings, _person)
    )
    for booking in bookings:
        if site_rules := rules.get(booking.site):
            found.extend(_site_rule_conflicts(booking, site_rules))
    found.sort(key=lambda c: (c.day, c.session_id, c.kind, c.other_session_id or 0))
    return found
