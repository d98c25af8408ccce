"""DIGITAL's levels and units (D3) and its session plan."""

from __future__ import annotations

from datetime import date

import msgspec
import pytest

from core.plugin import CohortFacts, ProgramSettings
from plugins.digital.program import Digital
from plugins.digital.settings import DigitalSettings

DIGITAL = Digital()
TRACKS = ("beginner", "intermediate", "advanced")


def plan(track: str, **settings: object):
    cohort = CohortFacts(
        track=track,
        starts_on=date(2027, 1, 11),
        ends_on=date(2027, 2, 12),
        capacity=12,
        settings=DigitalSettings(tracks=TRACKS, capacity=12, **settings),
    )
    return DIGITAL.session_plan(cohort)


def test_d3_three_levels_of_twenty_hours_whose_units_sum_to_twenty() -> None:
    assert [t.key for t in DIGITAL.tracks] == list(TRACKS)
    for track in DIGITAL.tracks:
        units = [u for u in DIGITAL.curriculum if u.track == track.key]
        assert track.hours == 20
        assert sum(u.hours for u in units) == 20
        assert all(u.outcomes for u in units)


def test_d3_units_follow_the_source() -> None:
    titles = {t: [u.title for u in DIGITAL.curriculum if u.track == t] for t in TRACKS}
    assert titles["beginner"][:5] == [
        "L'ordinateur",
        "La souris et le clavier",
        "Les fichiers et les dossiers",
        "La clé USB",
        "Naviguer sur Internet",
    ]
    assert "Découvrir Word" in titles["intermediate"]
    assert [u.key for u in DIGITAL.curriculum if u.track == "advanced"] == [
        "excel_basics",
        "excel_formulas",
        "excel_formatting",
        "excel_data",
        "advanced_final",
    ]


def test_unit_keys_are_unique_across_the_program() -> None:
    keys = [u.key for u in DIGITAL.curriculum]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("track", TRACKS)
def test_default_plan_is_two_hour_sessions_summing_to_the_track_hours(track: str) -> None:
    sessions = plan(track)
    assert [s.sequence for s in sessions] == list(range(1, len(sessions) + 1))
    assert all(s.minutes == 120 for s in sessions)
    assert sum(s.minutes for s in sessions) == 20 * 60


@pytest.mark.parametrize("track", TRACKS)
def test_plan_follows_the_units_in_order_and_never_mixes_two(track: str) -> None:
    sessions = plan(track, session_minutes=90)
    units = [u for u in DIGITAL.curriculum if u.track == track]
    assert list(dict.fromkeys(s.unit for s in sessions)) == [u.key for u in units]
    for unit in units:
        assert sum(s.minutes for s in sessions if s.unit == unit.key) == unit.hours * 60
    assert max(s.minutes for s in sessions) == 90
    assert sum(s.minutes for s in sessions) == 20 * 60


def test_a_split_unit_numbers_its_sessions() -> None:
    titles = [s.title for s in plan("beginner", session_minutes=180) if s.unit == "computer"]
    assert titles == ["L'ordinateur (1/2)", "L'ordinateur (2/2)"]


def test_plan_refuses_another_program_s_settings() -> None:
    cohort = CohortFacts(
        track="beginner",
        starts_on=date(2027, 1, 11),
        ends_on=date(2027, 2, 12),
        capacity=12,
        settings=ProgramSettings(tracks=("beginner",), capacity=12),
    )
    with pytest.raises(TypeError, match="DigitalSettings"):
        DIGITAL.session_plan(cohort)


def test_settings_defaults_and_bounds() -> None:
    settings = msgspec.convert({"tracks": ["beginner"], "capacity": 12}, DigitalSettings)
    assert (settings.attendance_threshold, settings.session_minutes) == (0.8, 120)
    assert settings.sessions_per_week == 2
    for bad in (
        {"attendance_threshold": 0.3},
        {"session_minutes": 100},
        {"sessions_per_week": 0},
        {"sesion_minutes": 120},
    ):
        with pytest.raises(msgspec.ValidationError):
            msgspec.convert({"tracks": ["beginner"], "capacity": 12, **bad}, DigitalSettings)
