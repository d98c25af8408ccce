"""The helpers that ``core.plugin`` offers every program: attendance and session plans."""

from __future__ import annotations

import pytest

from core import plugin
from core.plugin import CompletionFacts, PlannedSession, Unit, attendance_reason, plan_sessions


def facts(attended: float, scheduled: float) -> CompletionFacts:
    return CompletionFacts(track="web", scheduled_hours=scheduled, attended_hours=attended)


def unit(key: str, hours: float, title: str | None = None) -> Unit:
    return Unit(key=key, track="web", title=title or key.capitalize(), hours=hours)


# Attendance rate and threshold


@pytest.mark.parametrize(
    ("attended", "scheduled", "rate"), [(16, 20, 0.8), (0, 20, 0.0), (20, 20, 1.0), (3, 0, 0.0)]
)
def test_attendance_rate_is_attended_over_scheduled_and_0_without_hours(
    attended: float, scheduled: float, rate: float
) -> None:
    assert facts(attended, scheduled).attendance_rate == pytest.approx(rate)


def test_exactly_eighty_percent_meets_an_eighty_percent_threshold() -> None:
    assert facts(16, 20).meets_attendance(0.8)
    assert not facts(15.9, 20).meets_attendance(0.8)


def test_the_threshold_is_met_exactly_despite_float_rounding() -> None:
    assert 0.8 * 3 > 2.4  # what a naive comparison would refuse
    assert facts(2.4, 3).meets_attendance(0.8)
    assert facts(57.6, 72).meets_attendance(0.8)


def test_the_tolerance_is_far_below_anything_attendance_records() -> None:
    """A second short is still short: the tolerance only absorbs float rounding."""
    assert not facts(16 - 1 / 3600, 20).meets_attendance(0.8)


@pytest.mark.parametrize("threshold", [0.0, 0.5, 0.8, 1.0])
def test_no_scheduled_hours_never_meets_the_threshold(threshold: float) -> None:
    assert not facts(0, 0).meets_attendance(threshold)
    assert not facts(4, 0).meets_attendance(threshold)


def test_attendance_helpers_do_not_travel_as_fields() -> None:
    assert "attendance_rate" not in CompletionFacts.__struct_fields__


# The French attendance sentence


def test_attendance_reason_at_exactly_eighty_percent() -> None:
    assert attendance_reason(facts(16, 20), 0.8) == (
        "Vous avez suivi 16 h sur 20 h (80 %). Il faut au moins 80 %."
    )


def test_attendance_reason_uses_a_decimal_comma_and_rounds_the_share_down() -> None:
    """79.5 % reads 79 %: a share under the threshold never reads as the threshold."""
    assert attendance_reason(facts(15.9, 20), 0.8) == (
        "Vous avez suivi 15,9 h sur 20 h (79 %). Il faut au moins 80 %."
    )
    assert "(99 %)" in attendance_reason(facts(19.99, 20), 0.8)


def test_attendance_reason_is_not_fooled_by_float_division() -> None:
    assert 2.9 / 5 * 100 < 58  # 57.99999999999999
    assert "(58 %)" in attendance_reason(facts(2.9, 5), 0.8)
    assert "(80 %)" in attendance_reason(facts(2.4, 3), 0.8)


def test_attendance_reason_with_no_scheduled_hours_says_0_percent() -> None:
    assert attendance_reason(facts(0, 0), 0.8) == (
        "Vous avez suivi 0 h sur 0 h (0 %). Il faut au moins 80 %."
    )


@pytest.mark.parametrize(("threshold", "percent"), [(0.7, "70 %"), (0.75, "75 %"), (1.0, "100 %")])
def test_attendance_reason_states_the_threshold_as_a_whole_percent(
    threshold: float, percent: str
) -> None:
    assert attendance_reason(facts(20, 20), threshold).endswith(f"Il faut au moins {percent}.")


# Session plans


def test_a_unit_that_fits_is_one_session_with_its_own_title() -> None:
    assert plan_sessions([unit("mouse", 2, "La souris")], 120) == (
        PlannedSession(sequence=1, unit="mouse", title="La souris", minutes=120),
    )


def test_a_longer_unit_is_split_with_a_shorter_last_session_and_numbered_titles() -> None:
    sessions = plan_sessions([unit("mouse", 5, "La souris")], 120)
    assert [(s.title, s.minutes) for s in sessions] == [
        ("La souris (1/3)", 120),
        ("La souris (2/3)", 120),
        ("La souris (3/3)", 60),
    ]


def test_sessions_are_numbered_from_1_across_units_and_never_mix_two() -> None:
    sessions = plan_sessions([unit("files", 1.5), unit("usb", 3), unit("web", 0.5)], 60)
    assert [s.sequence for s in sessions] == [1, 2, 3, 4, 5, 6]
    assert [(s.unit, s.minutes) for s in sessions] == [
        ("files", 60),
        ("files", 30),
        ("usb", 60),
        ("usb", 60),
        ("usb", 60),
        ("web", 30),
    ]
    assert [s.title for s in sessions] == [
        "Files (1/2)",
        "Files (2/2)",
        "Usb (1/3)",
        "Usb (2/3)",
        "Usb (3/3)",
        "Web",
    ]


def test_unit_hours_are_rounded_to_the_minute() -> None:
    [session] = plan_sessions([unit("quiz", 1 / 3)], 60)
    assert session.minutes == 20


def test_no_units_and_units_of_no_hours_plan_no_session() -> None:
    assert plan_sessions([], 120) == ()
    assert plan_sessions([unit("empty", 0), unit("mouse", 1)], 120) == (
        PlannedSession(sequence=1, unit="mouse", title="Mouse", minutes=60),
    )


def test_plan_sessions_takes_any_iterable_of_units() -> None:
    units = (unit(key, 1) for key in ("mouse", "keys"))
    assert [s.unit for s in plan_sessions(units, 90)] == ["mouse", "keys"]


@pytest.mark.parametrize("minutes", [0, -60])
def test_plan_sessions_refuses_sessions_of_no_length(minutes: int) -> None:
    with pytest.raises(ValueError, match="at least one minute"):
        plan_sessions([unit("mouse", 1)], minutes)


def test_the_helpers_are_public() -> None:
    assert {"attendance_reason", "plan_sessions"} <= set(plugin.__all__)
    assert all(hasattr(plugin, name) for name in plugin.__all__)
