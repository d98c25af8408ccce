"""Every conflict in a set of sessions, found in one pass over them sorted, not pairwise.

A room or a person booked for two sessions at once, a room with fewer seats than the cohort,
a session outside the site's opening hours, a session on a day off (a public holiday or a
closure added after it was planned), a session outside the declared availability of one of
its people. Pure: the service loads the sessions, this finds what is wrong with them, a year
of sessions for fifty sites in one call (bench/conflicts.py).
"""

from __future__ import annotations

import enum
import heapq
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, time
from operator import itemgetter
from typing import NamedTuple, TypeVar

import msgspec


class ConflictKind(enum.StrEnum):
    """What is wrong."""

    ROOM_DOUBLE_BOOKED = "room_double_booked"
    PERSON_DOUBLE_BOOKED = "person_double_booked"
    ROOM_TOO_SMALL = "room_too_small"
    OUTSIDE_OPENING_HOURS = "outside_opening_hours"
    DAY_OFF = "day_off"
    OUTSIDE_AVAILABILITY = "outside_availability"


class PersonKind(enum.StrEnum):
    """Who a person booked for a session is: a staff account (the trainer) or a volunteer."""

    ACCOUNT = "account"
    VOLUNTEER = "volunteer"


class Person(NamedTuple):
    """A person as a resource: an account id and a volunteer id never collide, since the
    kind comes first."""

    kind: PersonKind
    id: int

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.id}"


class Booking(NamedTuple):
    """A session as the check needs it: instants as UTC epoch seconds for the overlaps,
    local day and times for the site's rules and people's availability, and the people
    booked for it (its trainer's account, its volunteers)."""

    session_id: int
    cohort_id: int
    site: str
    day: date
    starts_at: time
    ends_at: time
    start: int
    end: int
    room: str | None
    people: tuple[Person, ...]
    seats: int


class SiteRules(NamedTuple):
    """What a site allows: its opening hours and days, its rooms' seats, its days off."""

    opens: time
    closes: time
    open_days: frozenset[int]
    room_seats: Mapping[str, int]
    day_off: Callable[[date], str | None]


class Window(NamedTuple):
    """A weekly window a person declared themselves available in: an ISO weekday and local
    times, in force from ``valid_from`` to ``valid_until`` (inclusive, open when None)."""

    weekday: int
    starts_at: time
    ends_at: time
    valid_from: date | None = None
    valid_until: date | None = None

    def in_force(self, day: date) -> bool:
        """True when the window applies to ``day``'s week."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )


class Conflict(msgspec.Struct, frozen=True, kw_only=True):
    """One thing wrong with a session, or with two sessions together. ``person`` names
    who is double-booked or unavailable, as ``account:<id>`` or ``volunteer:<id>``."""

    kind: ConflictKind
    session_id: int
    other_session_id: int | None = None
    site: str
    day: date
    detail: str
    person: str | None = None


Resource = TypeVar("Resource")

_by_resource_then_start = itemgetter(0, 1)


def _overlaps(
    keyed: list[tuple[Resource, int, Booking]],
) -> Iterator[tuple[Resource, Booking, Booking]]:
    """Every pair of bookings of the same resource whose times overlap, with the resource.

    ``keyed`` holds (resource, start, booking) entries, a booking once per resource it
    uses. Sorted by resource then start, each booking is compared only with the bookings of
    its resource still running when it starts (a heap by end): n log n plus the pairs found.
    """
    keyed.sort(key=_by_resource_then_start)
    current: object = None
    running: list[tuple[int, int, Booking]] = []
    for key, start, booking in keyed:
        if key != current:
            current, running = key, []
        while running and running[0][0] <= start:
            heapq.heappop(running)
        for _, _, other in running:
            yield key, other, booking
        heapq.heappush(running, (booking.end, booking.session_id, booking))


_KINDS = tuple(PersonKind)
_KIND_RANK = {kind: rank for rank, kind in enumerate(_KINDS)}


def _rank(person: Person) -> int:
    """The person as one int, distinct for every kind and id: ints sort faster than
    tuples, and the person order is the larger of the two sorts."""
    return person.id * len(_KINDS) + _KIND_RANK[person.kind]


def _unrank(rank: int) -> Person:
    return Person(_KINDS[rank % len(_KINDS)], rank // len(_KINDS))


def _who(person: Person) -> str:
    kind = "compte" if person.kind is PersonKind.ACCOUNT else "bénévole"
    return f"la personne ({kind} {person.id})"


def _pair(
    kind: ConflictKind, first: Booking, second: Booking, detail: str, person: Person | None = None
) -> Conflict:
    return Conflict(
        kind=kind,
        session_id=first.session_id,
        other_session_id=second.session_id,
        site=first.site,
        day=first.day,
        detail=detail,
        person=None if person is None else str(person),
    )


def _alone(
    kind: ConflictKind, booking: Booking, detail: str, person: Person | None = None
) -> Conflict:
    return Conflict(
        kind=kind,
        session_id=booking.session_id,
        site=booking.site,
        day=booking.day,
        detail=detail,
        person=None if person is None else str(person),
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


def available(windows: Sequence[Window], day: date, starts_at: time, ends_at: time) -> bool:
    """True when a session on ``day`` from ``starts_at`` to ``ends_at`` fits one of the
    windows in force that day, or when none is in force (nothing declared for that time
    is no constraint)."""
    in_force = [w for w in windows if w.in_force(day)]
    if not in_force:
        return True
    weekday = day.isoweekday()
    return any(
        w.weekday == weekday and w.starts_at <= starts_at and ends_at <= w.ends_at for w in in_force
    )


class _Declared(NamedTuple):
    """A person's windows, and for the usual case (no window has dates, so every one is
    always in force) the slots of each weekday, so that a session costs one lookup."""

    windows: Sequence[Window]
    always: bool
    by_weekday: Mapping[int, Sequence[tuple[time, time]]]

    @classmethod
    def of(cls, windows: Sequence[Window]) -> _Declared:
        by_weekday: dict[int, list[tuple[time, time]]] = {}
        for w in windows:
            by_weekday.setdefault(w.weekday, []).append((w.starts_at, w.ends_at))
        always = all(w.valid_from is None and w.valid_until is None for w in windows)
        return cls(windows, always, by_weekday)

    def fits(self, booking: Booking) -> bool:
        if not self.always:
            return available(self.windows, booking.day, booking.starts_at, booking.ends_at)
        slots = self.by_weekday.get(booking.day.isoweekday(), ())
        return any(s <= booking.starts_at and booking.ends_at <= e for s, e in slots)


def find_conflicts(
    bookings: Sequence[Booking],
    rules: Mapping[str, SiteRules],
    availability: Mapping[Person, Sequence[Window]] | None = None,
) -> list[Conflict]:
    """Every conflict among ``bookings``; ``rules`` by site slug (a site without rules is
    checked for double bookings only); ``availability`` the windows each person declared
    (a person without any is available whenever booked). Ordered by day, then session."""
    rooms = [((b.site, b.room), b.start, b) for b in bookings if b.room]
    found = [
        _pair(
            ConflictKind.ROOM_DOUBLE_BOOKED,
            first,
            second,
            f"la salle {first.room} est prise par deux séances en même temps",
        )
        for _, first, second in _overlaps(rooms)
    ]
    people = [(_rank(p), b.start, b) for b in bookings for p in b.people]
    found.extend(
        _pair(
            ConflictKind.PERSON_DOUBLE_BOOKED,
            first,
            second,
            f"{_who(person)} est prévue à deux séances en même temps",
            person,
        )
        for person, first, second in ((_unrank(r), f, s) for r, f, s in _overlaps(people))
    )
    declared = {p: _Declared.of(windows) for p, windows in (availability or {}).items() if windows}
    for booking in bookings:
        if site_rules := rules.get(booking.site):
            found.extend(_site_rule_conflicts(booking, site_rules))
        for person in booking.people if declared else ():
            windows = declared.get(person)
            if windows is not None and not windows.fits(booking):
                found.append(
                    _alone(
                        ConflictKind.OUTSIDE_AVAILABILITY,
                        booking,
                        f"{_who(person)} n'a pas déclaré être disponible à ce moment-là",
                        person,
                    )
                )
    found.sort(key=lambda c: (c.day, c.session_id, c.kind, c.other_session_id or 0, c.person or ""))
    return found
