"""Placing a plan on real days: the rhythm, public holidays by department, closures."""

from datetime import date, time

import pytest

from core.plugin import PlannedSession
from core.scheduling.calendar import NoRoom, Rhythm, day_off, place_sessions, public_holiday
from core.sites.schema import Closure

MONDAYS_AND_THURSDAYS = Rhythm(weekdays=(1, 4), starts_at=time(9, 30), ends_at=time(11, 30))


def plan(count: int, minutes: int = 120) -> list[PlannedSession]:
    return [
        PlannedSession(sequence=n, unit="u", title=f"Séance {n}", minutes=minutes)
        for n in range(1, count + 1)
    ]


def days(placed) -> list[date]:
    return [session.day for session in placed]


def test_ascension_and_whit_monday_are_skipped_in_paris() -> None:
    placed = place_sessions(plan(10), MONDAYS_AND_THURSDAYS, date(2026, 5, 11), department="75")
    assert days(placed) == [
        date(2026, 5, 11), date(2026, 5, 18), date(2026, 5, 21), date(2026, 5, 28),
        date(2026, 6, 1), date(2026, 6, 4), date(2026, 6, 8), date(2026, 6, 11),
        date(2026, 6, 15), date(2026, 6, 18),
    ]  # fmt: skip
    assert {(s.starts_at, s.ends_at) for s in placed} == {(time(9, 30), time(11, 30))}
    assert [s.sequence for s in placed] == list(range(1, 11))


@pytest.mark.parametrize("department", ["57", "67", "68"])
def test_alsace_moselle_also_skips_good_friday_and_26_december(department: str) -> None:
    fridays = Rhythm(weekdays=(5,), starts_at=time(14), ends_at=time(16))
    placed = place_sessions(plan(2), fridays, date(2026, 4, 3), department=department)
    assert days(placed) == [date(2026, 4, 10), date(2026, 4, 17)]
    saturdays = Rhythm(weekdays=(6,), starts_at=time(10), ends_at=time(12))
    placed = place_sessions(plan(1), saturdays, date(2026, 12, 26), department=department)
    assert days(placed) == [date(2027, 1, 2)]
    assert public_holiday(department, date(2026, 12, 26)) == "Saint-Étienne"


def test_elsewhere_good_friday_and_26_december_are_working_days() -> None:
    fridays = Rhythm(weekdays=(5,), starts_at=time(14), ends_at=time(16))
    assert days(place_sessions(plan(1), fridays, date(2026, 4, 3), department="33")) == [
        date(2026, 4, 3)
    ]
    assert public_holiday("75", date(2026, 12, 26)) is None


def test_closures_of_the_site_file_are_skipped_with_their_reason() -> None:
    summer = Closure(starts_on=date(2026, 7, 27), ends_on=date(2026, 8, 21), reason="Été")
    placed = place_sessions(
        plan(3), MONDAYS_AND_THURSDAYS, date(2026, 7, 23), department="75", closures=[summer]
    )
    assert days(placed) == [date(2026, 7, 23), date(2026, 8, 24), date(2026, 8, 27)]
    assert day_off("75", [summer], date(2026, 8, 3)) == "Été"
    assert day_off("75", [summer], date(2026, 7, 14)) == "Fête nationale"


def test_a_shorter_last_session_ends_early_and_a_longer_one_does_not_fit() -> None:
    placed = place_sessions(plan(1, 60), MONDAYS_AND_THURSDAYS, date(2026, 5, 11), department="75")
    assert (placed[0].starts_at, placed[0].ends_at) == (time(9, 30), time(10, 30))
    with pytest.raises(NoRoom, match="a session of 150 minutes does not fit the daily slot of 120"):
        place_sessions(plan(1, 150), MONDAYS_AND_THURSDAYS, date(2026, 5, 11), department="75")


def test_a_plan_that_never_finds_a_day_stops_with_an_error() -> None:
    always_closed = Closure(starts_on=date(2026, 1, 1), ends_on=date(2030, 1, 1), reason="Travaux")
    with pytest.raises(NoRoom, match="does not fit within"):
        place_sessions(
            plan(1), MONDAYS_AND_THURSDAYS, date(2026, 1, 5), department="75",
            closures=[always_closed],
        )  # fmt: skip
