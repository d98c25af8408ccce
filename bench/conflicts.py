"""conflicts: the session conflict check against sorting the same sessions.

A year of sessions for N sites (rooms used in three daily slots on working days, each slot's
cohort with its trainer, and on Tuesdays and Thursdays its volunteer) is generated with a few
faults of every kind mixed in: a trainer lent to two sessions at once, a volunteer sent to
another slot or on another day, a session moved onto another's slot, a cohort too large for
its room, a session on a public holiday or before opening time. Every volunteer and half the
trainers declared when they are available. ``core.scheduling.conflicts.find_conflicts``, the
function the API and ``essaim sites conflicts`` call, checks them all; the baseline sorts the
same sessions by room then start and by person then start (a session once per person booked
for it), the two orders any one-pass check needs. Before timing, the conflicts found are
checked against a brute-force comparison of every pair of sessions of a sample of rooms and
people, and of the site rules and availability for a sample of sessions.

Ratio: check seconds divided by sort seconds (best of the repeats of each).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from itertools import combinations
from operator import itemgetter

from bench.results import BenchResult, Case
from core.scheduling.calendar import day_off, public_holiday
from core.scheduling.conflicts import (
    Booking,
    Conflict,
    ConflictKind,
    Person,
    PersonKind,
    SiteRules,
    Window,
    find_conflicts,
)

NAME = "conflicts"
YEAR = 2026
SLOTS = ((clock_time(9, 0), clock_time(11, 0)), (clock_time(11, 30), clock_time(13, 30)),
         (clock_time(14, 0), clock_time(16, 0)))  # fmt: skip
ROOMS_PER_SITE = 6
TRAINERS_PER_SITE = ROOMS_PER_SITE * len(SLOTS)
"""One trainer for each room's slot: a site's week has no double booking but the faults."""
VOLUNTEER_DAYS = (2, 4)
"""Each room's slot has one volunteer on Tuesdays and Thursdays, available exactly then."""
FAULT_RATE = 0.004
"""The share of sessions given each kind of fault."""
DEPARTMENTS = ("75", "33", "69", "13", "67", "57", "59", "31", "44", "35")


@dataclass(frozen=True, slots=True)
class Params:
    """How many sites, how many timed repeats, how large the brute-force sample."""

    sites: int
    repeats: int
    sample_resources: int
    sample_sessions: int


SIZES = {
    "quick": Params(sites=5, repeats=3, sample_resources=10, sample_sessions=2_000),
    "full": Params(sites=50, repeats=5, sample_resources=40, sample_sessions=20_000),
}


def _epoch(day: date, at: clock_time) -> int:
    return int(datetime.combine(day, at, UTC).timestamp())


def site_rules(department: str, seats: dict[str, int]) -> SiteRules:
    """A site open 9:00 to 18:00 on weekdays, with the public holidays of ``department``."""
    return SiteRules(
        opens=clock_time(9),
        closes=clock_time(18),
        open_days=frozenset({1, 2, 3, 4, 5}),
        room_seats=seats,
        day_off=lambda day: day_off(department, (), day),
    )


Availability = dict[Person, list[Window]]


def generate(
    sites: int, seed: int = 2026
) -> tuple[list[Booking], dict[str, SiteRules], Availability]:
    """A year of sessions for ``sites`` sites, with faults, each site's rules, and the
    availability people declared.

    Volunteers are drawn from a second generator, so that the sessions (and their count)
    are those the benchmark had before volunteers were added.
    """
    rng, helpers = random.Random(seed), random.Random(seed + 1)
    bookings: list[Booking] = []
    rules: dict[str, SiteRules] = {}
    availability: Availability = {}
    days = [date(YEAR, 1, 1) + timedelta(days=n) for n in range(365)]
    for s in range(sites):
        slug, department = f"site-{s:02d}", DEPARTMENTS[s % len(DEPARTMENTS)]
        seats = {f"salle-{r}": rng.choice((8, 12, 16, 20)) for r in range(ROOMS_PER_SITE)}
        rules[slug] = site_rules(department, seats)
        trainers = [s * TRAINERS_PER_SITE + t + 1 for t in range(TRAINERS_PER_SITE)]
        volunteers = [Person(PersonKind.VOLUNTEER, t) for t in trainers]
        for t in trainers[::2]:
            availability[Person(PersonKind.ACCOUNT, t)] = [
                Window(d, clock_time(9), clock_time(16)) for d in range(1, 6)
            ]
        for r, room in enumerate(seats):
            for k, (starts, ends) in enumerate(SLOTS):
                cohort = len(rules) * 100 + r * 10 + k
                trainer = trainers[(r * len(SLOTS) + k) % TRAINERS_PER_SITE]
                volunteer = volunteers[r * len(SLOTS) + k]
                availability[volunteer] = [Window(d, starts, ends) for d in VOLUNTEER_DAYS]
                for day in days:
                    holiday = public_holiday(department, day) is not None
                    if day.isoweekday() > 5 or (holiday and rng.random() > FAULT_RATE):
                        continue
                    start, end, who, size = starts, ends, trainer, min(seats[room], 12)
                    if rng.random() < FAULT_RATE:
                        who = rng.choice(trainers)  # maybe already teaching then
                    if rng.random() < FAULT_RATE:
                        start, end = clock_time(10, 0), clock_time(12, 0)  # onto the next slot
                    if rng.random() < FAULT_RATE:
                        size = seats[room] + 4
                    if rng.random() < FAULT_RATE:
                        start = clock_time(8, 0)
                    people = [Person(PersonKind.ACCOUNT, who)]
                    if day.isoweekday() in VOLUNTEER_DAYS:
                        people.append(volunteer)
                    if helpers.random() < FAULT_RATE:
                        # another slot's volunteer (maybe busy then), or any day: unavailable
                        people.append(helpers.choice([v for v in volunteers if v != volunteer]))
                    bookings.append(
                        Booking(
                            session_id=len(bookings) + 1,
                            cohort_id=cohort,
                            site=slug,
                            day=day,
                            starts_at=start,
                            ends_at=end,
                            start=_epoch(day, start),
                            end=_epoch(day, end),
                            room=room,
                            people=tuple(people),
                            seats=size,
                        )
                    )
    rng.shuffle(bookings)
    return bookings, rules, availability


def sort_only(bookings: Sequence[Booking]) -> None:
    """The baseline: the two orders a one-pass check walks, and nothing else."""
    sorted(bookings, key=lambda b: ((b.site, b.room), b.start))
    # A person as one int (id and kind): the cheapest key that keeps people apart.
    volunteer = PersonKind.VOLUNTEER
    sorted(
        [(p.id * 2 + (p.kind is volunteer), b.start, b) for b in bookings for p in b.people],
        key=itemgetter(0, 1),
    )


def _best(work: Callable[[], object], repeats: int) -> float:
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return min(timings)


def _pairs(found: list[Conflict], kind: ConflictKind) -> dict[str, set[frozenset[int]]]:
    """The pairs of sessions reported for ``kind``, by person (all under "" for rooms)."""
    pairs: dict[str, set[frozenset[int]]] = {}
    for c in found:
        if c.kind is kind:
            pairs.setdefault(c.person or "", set()).add(
                frozenset((c.session_id, c.other_session_id or 0))
            )
    return pairs


def _unavailable(booking: Booking, availability: Availability) -> set[str]:
    """The people of ``booking`` outside every window they declared in force that day."""
    outside = set()
    for person in booking.people:
        in_force = [
            w
            for w in availability.get(person, ())
            if (w.valid_from or date.min) <= booking.day <= (w.valid_until or date.max)
        ]
        fits = [
            w
            for w in in_force
            if w.weekday == booking.day.isoweekday()
            and w.starts_at <= booking.starts_at
            and booking.ends_at <= w.ends_at
        ]
        if in_force and not fits:
            outside.add(str(person))
    return outside


def brute_force_check(
    bookings: list[Booking],
    rules: dict[str, SiteRules],
    availability: Availability,
    found: list[Conflict],
    params: Params,
) -> int:
    """Compare every pair of sessions of a sample of rooms and people, and the site rules
    and availability of a sample of sessions, with what the check found; the number of
    comparisons."""
    rng = random.Random(7)
    by_room: dict[object, list[Booking]] = {}
    by_person: dict[object, list[Booking]] = {}
    for booking in bookings:
        if booking.room:
            by_room.setdefault((booking.site, booking.room), []).append(booking)
        for person in booking.people:
            by_person.setdefault(person, []).append(booking)
    compared = 0
    for groups, kind in ((by_room, ConflictKind.ROOM_DOUBLE_BOOKED),
                         (by_person, ConflictKind.PERSON_DOUBLE_BOOKED)):  # fmt: skip
        reported = _pairs(found, kind)
        for key in rng.sample(sorted(groups, key=str), params.sample_resources):
            group = groups[key]
            expected = {
                frozenset((a.session_id, b.session_id))
                for a, b in combinations(group, 2)
                if a.start < b.end and b.start < a.end
            }
            compared += len(group) * (len(group) - 1) // 2
            ids = {b.session_id for b in group}
            if kind is ConflictKind.ROOM_DOUBLE_BOOKED:
                got = {pair for pair in reported.get("", set()) if pair <= ids}
            else:
                got = reported.get(str(key), set())
            if got != expected:
                raise AssertionError(f"{kind} of {key!r} differ from the brute-force pairs")
    alone: dict[int, set[tuple[ConflictKind, str]]] = {}
    for c in found:
        if c.other_session_id is None:
            alone.setdefault(c.session_id, set()).add((c.kind, c.person or ""))
    unavailable = ConflictKind.OUTSIDE_AVAILABILITY
    for booking in rng.sample(bookings, min(params.sample_sessions, len(bookings))):
        site = rules[booking.site]
        expected = set()
        if booking.room and site.room_seats[booking.room] < booking.seats:
            expected.add((ConflictKind.ROOM_TOO_SMALL, ""))
        if booking.starts_at < site.opens or booking.ends_at > site.closes:
            expected.add((ConflictKind.OUTSIDE_OPENING_HOURS, ""))
        if site.day_off(booking.day):
            expected.add((ConflictKind.DAY_OFF, ""))
        expected |= {(unavailable, who) for who in _unavailable(booking, availability)}
        if alone.get(booking.session_id, set()) != expected:
            raise AssertionError(f"session {booking.session_id}: rules differ from brute force")
        compared += 1
    return compared


def run(size: str) -> BenchResult:
    """Generate, verify against brute force, then time the check and the sorts."""
    params = SIZES[size]
    bookings, rules, availability = generate(params.sites)
    found = find_conflicts(bookings, rules, availability)
    compared = brute_force_check(bookings, rules, availability, found, params)
    check_s = _best(lambda: find_conflicts(bookings, rules, availability), params.repeats)
    sort_s = _best(lambda: sort_only(bookings), params.repeats)
    ratio = round(check_s / sort_s, 3)
    counts = {kind.value: sum(1 for c in found if c.kind is kind) for kind in ConflictKind}
    figures = {"sessions": len(bookings), "seconds": round(check_s, 4),
               "bookings_of_people": sum(len(b.people) for b in bookings),
               "sessions_per_s": round(len(bookings) / check_s), "conflicts": len(found),
               "brute_force_comparisons": compared}  # fmt: skip
    case = Case("in memory", figures, "two sorts of the same sessions",
                {"seconds": round(sort_s, 4)}, ratio)  # fmt: skip
    return BenchResult(
        name=NAME,
        size=size,
        ratio_definition="find_conflicts seconds / sort-only seconds (best of repeats)",
        cases=[case],
        headers=["sites", "sessions", "conflicts", "check s", "sort s", "ratio"],
        rows=[
            [
                str(params.sites),
                f"{len(bookings):,}",
                f"{len(found):,}",
                f"{check_s:.3f}",
                f"{sort_s:.3f}",
                f"{ratio:.2f}",
            ]
        ],
        parameters={**asdict(params), "year": YEAR, "conflicts_by_kind": counts},
        notes=[
            "checked first against brute force: every pair of sessions of "
            f"{params.sample_resources} rooms and {params.sample_resources} people, and the "
            f"site rules and availability of {params.sample_sessions:,} sessions",
            "people are accounts (trainers) and volunteers; a session is sorted once per person",
            "the check is the pure function the API calls after loading the sessions; loading "
            "them from the database is not timed here",
        ],
    )
