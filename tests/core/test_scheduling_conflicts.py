"""The conflict check on sessions: double bookings in one pass, and each site's rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from core.scheduling.conflicts import Booking, ConflictKind, SiteRules, find_conflicts

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
    trainer: int | None = None, seats: int = 12,
) -> Booking:  # fmt: skip
    start, end = time.fromisoformat(starts), time.fromisoformat(ends)
    epoch = lambda t: int(datetime.combine(day, t, UTC).timestamp())  # noqa: E731
    return Booking(
        session_id=next(_ids), cohort_id=1, site=site, day=day, starts_at=start, ends_at=end,
        start=epoch(start), end=epoch(end), room=room, trainer=trainer, seats=seats,
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
