"""The conflict check on sessions: double bookings in one pass, and each site's rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from core.scheduling.conflicts import (
    Booking,
    ConflictKind,
    Person,
    PersonKind,
    SiteRules,
    Window,
    find_conflicts,
)

DAY = date(2026, 10, 5)  # a Monday
RULES = {
    "paris": SiteRules(
        opens=time(9),
        closes=time(18),
        open_days=frozenset({1, 2, 3, 4, 5}),
        room_seats={"salle-a": 14, "salle-b": 6},
        day_off=lambda day: "Noël" if day == date(2026, 12, 25) else None,
    )
}
_ids = iter(range(1, 10_000))


def booking(
    starts: str, ends: str, *, day: date = DAY, site: str = "paris", room: str | None = "salle-a",
    trainer: int | None = None, volunteers: tuple[int, ...] = (), seats: int = 12,
) -> Booking:  # fmt: skip
    start, end = time.fromisoformat(starts), time.fromisoformat(ends)
    epoch = lambda t: int(datetime.combine(day, t, UTC).timestamp())  # noqa: E731
    people = () if trainer is None else (Person(PersonKind.ACCOUNT, trainer),)
    people += tuple(Person(PersonKind.VOLUNTEER, v) for v in volunteers)
    return Booking(
        session_id=next(_ids), cohort_id=1, site=site, day=day, starts_at=start, ends_at=end,
        start=epoch(start), end=epoch(end), room=room, people=people, seats=seats,
    )  # fmt: skip


def kinds(conflicts) -> list[tuple[str, int, int | None]]:
    return [(c.kind.value, c.session_id, c.other_session_id) for c in conflicts]


def test_a_room_taken_twice_at_once_is_one_conflict_naming_both_sessions() -> None:
    first, second = booking("09:30", "11:30"), booking("10:00", "12:00")
    [conflict] = find_conflicts([second, first], RULES)
    assert (conflict.kind, conflict.session_id, conflict.other_session_id) == (
        ConflictKind.ROOM_DOUBLE_BOOKED, first.session_id, second.session_id,
    )  # fmt: skip
    assert conflict.detail == "la salle salle-a est prise par deux séances en même temps"


def test_back_to_back_sessions_and_same_named_rooms_of_two_sites_do_not_conflict() -> None:
    sessions = [
        booking("09:00", "11:00"),
        booking("11:00", "13:00"),
        booking("09:00", "11:00", site="bordeaux"),
    ]
    assert find_conflicts(sessions, RULES) == []


def test_a_trainer_booked_twice_is_found_across_rooms_and_sites() -> None:
    first = booking("14:00", "16:00", trainer=7)
    second = booking("15:30", "17:30", room="salle-b", trainer=7, seats=6)
    elsewhere = booking("15:00", "15:45", site="bordeaux", room="salle-1", trainer=7)
    found = kinds(find_conflicts([first, second, elsewhere], RULES))
    assert sorted(found) == sorted(
        [
            ("person_double_booked", first.session_id, elsewhere.session_id),
            ("person_double_booked", first.session_id, second.session_id),
            ("person_double_booked", elsewhere.session_id, second.session_id),
        ]
    )


def test_three_sessions_in_one_room_give_every_overlapping_pair() -> None:
    a, b, c = booking("09:00", "12:00"), booking("10:00", "11:00"), booking("10:30", "11:30")
    assert sorted(kinds(find_conflicts([a, b, c], RULES))) == sorted(
        [
            ("room_double_booked", a.session_id, b.session_id),
            ("room_double_booked", a.session_id, c.session_id),
            ("room_double_booked", b.session_id, c.session_id),
        ]
    )


def test_a_room_too_small_for_the_cohort_is_reported_with_its_seats() -> None:
    small = booking("09:30", "11:30", room="salle-b", seats=10)
    [conflict] = find_conflicts([small], RULES)
    assert conflict.kind is ConflictKind.ROOM_TOO_SMALL
    assert conflict.detail == "la salle salle-b a 6 places pour un groupe de 10"


def test_sessions_outside_opening_hours_or_on_a_day_off_are_reported() -> None:
    early = booking("08:00", "10:00")
    late = booking("17:00", "19:00", room="salle-b", seats=5)
    saturday = booking("10:00", "12:00", day=date(2026, 10, 10))
    christmas = booking("10:00", "12:00", day=date(2026, 12, 25))
    found = find_conflicts([early, late, saturday, christmas], RULES)
    assert kinds(found) == [
        ("outside_opening_hours", early.session_id, None),
        ("outside_opening_hours", late.session_id, None),
        ("outside_opening_hours", saturday.session_id, None),
        ("day_off", christmas.session_id, None),
    ]
    assert found[-1].detail == "le site est fermé ce jour-là : Noël"


def test_a_session_without_room_or_trainer_has_nothing_to_collide_with() -> None:
    assert find_conflicts([booking("09:30", "11:30", room=None)] * 2, RULES) == []


def test_a_volunteer_booked_twice_is_a_person_double_booked_and_never_an_account() -> None:
    first = booking("09:30", "11:30", trainer=3, volunteers=(3,))
    second = booking("10:00", "12:00", site="bordeaux", room="salle-1", volunteers=(3, 4))
    other_account = booking("10:00", "11:00", room="salle-b", trainer=4, seats=6)
    [conflict] = find_conflicts([first, second, other_account], RULES)
    assert (conflict.kind, conflict.session_id, conflict.other_session_id) == (
        ConflictKind.PERSON_DOUBLE_BOOKED, first.session_id, second.session_id,
    )  # fmt: skip
    assert conflict.person == "volunteer:3"
    assert conflict.detail == "la personne (bénévole 3) est prévue à deux séances en même temps"


def test_a_trainer_booked_twice_names_the_account() -> None:
    first = booking("09:30", "11:30", trainer=7)
    second = booking("10:00", "12:00", room=None, trainer=7)
    [conflict] = find_conflicts([first, second], RULES)
    assert (conflict.kind, conflict.person) == (ConflictKind.PERSON_DOUBLE_BOOKED, "account:7")
    assert conflict.detail == "la personne (compte 7) est prévue à deux séances en même temps"


MONDAY_MORNINGS = [Window(1, time(9), time(12))]


def test_a_session_outside_a_persons_declared_windows_is_reported_for_that_person() -> None:
    fits = booking("09:30", "11:30", trainer=7, volunteers=(3,))
    too_late = booking("11:00", "13:00", room="salle-b", trainer=7, volunteers=(3,), seats=6)
    tuesday = booking("09:30", "11:30", day=date(2026, 10, 6), volunteers=(3,))
    availability = {Person(PersonKind.VOLUNTEER, 3): MONDAY_MORNINGS}
    found = [
        c
        for c in find_conflicts([fits, too_late, tuesday], RULES, availability)
        if c.kind is ConflictKind.OUTSIDE_AVAILABILITY
    ]
    assert [(c.session_id, c.person) for c in found] == [
        (too_late.session_id, "volunteer:3"),
        (tuesday.session_id, "volunteer:3"),
    ]
    assert (
        found[0].detail == "la personne (bénévole 3) n'a pas déclaré être disponible à ce moment-là"
    )


def test_no_declared_window_in_force_that_day_is_no_constraint() -> None:
    autumn = [Window(1, time(9), time(12), date(2026, 9, 1), date(2026, 12, 31))]
    availability = {Person(PersonKind.ACCOUNT, 7): autumn, Person(PersonKind.VOLUNTEER, 3): []}
    october = booking("14:00", "16:00", trainer=7, volunteers=(3,))
    january = booking("14:00", "16:00", day=date(2027, 1, 4), trainer=7)
    found = find_conflicts([october, january], RULES, availability)
    assert kinds(found) == [("outside_availability", october.session_id, None)]
    assert found[0].person == "account:7"
