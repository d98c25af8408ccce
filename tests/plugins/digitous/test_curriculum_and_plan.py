"""DIGITOUS's two phases (T1, T3) and their session plans."""

from __future__ import annotations

from datetime import date

import msgspec
import pytest

from core.plugin import CohortFacts
from plugins.digitous.program import Digitous
from plugins.digitous.settings import DigitousSettings, LegalFrame

DIGITOUS = Digitous()


def plan(track: str, **settings: object):
    return DIGITOUS.session_plan(
        CohortFacts(
            track=track,
            starts_on=date(2027, 1, 11),
            ends_on=date(2027, 4, 2),
            capacity=16,
            settings=DigitousSettings(tracks=("bootcamp", "placement"), capacity=16, **settings),
        )
    )


def test_t1_bootcamp_modules_in_order() -> None:
    keys = [u.key for u in DIGITOUS.curriculum if u.track == "bootcamp"]
    modules = [k for k in keys if not k.startswith("soft_skills")]
    assert modules == ["javascript", "dom", "frontend", "mobile", "backend", "sql", "final_project"]
    assert keys[-1] == "final_project"


@pytest.mark.parametrize("track", ["bootcamp", "placement"])
def test_units_sum_to_the_track_hours(track: str) -> None:
    [hours] = [t.hours for t in DIGITOUS.tracks if t.key == track]
    assert sum(u.hours for u in DIGITOUS.curriculum if u.track == track) == hours


@pytest.mark.parametrize("track", ["bootcamp", "placement"])
@pytest.mark.parametrize("minutes", [210, 240])
def test_plan_sums_to_the_track_hours(track: str, minutes: int) -> None:
    [hours] = [t.hours for t in DIGITOUS.tracks if t.key == track]
    sessions = plan(track, session_minutes=minutes)
    assert sum(s.minutes for s in sessions) == hours * 60
    assert max(s.minutes for s in sessions) == minutes
    units = [u.key for u in DIGITOUS.curriculum if u.track == track]
    assert list(dict.fromkeys(s.unit for s in sessions)) == units


def test_default_plan_is_full_time_half_days() -> None:
    assert len(plan("bootcamp")) == 12 * 10


def test_settings_defaults_and_bounds() -> None:
    settings = msgspec.convert({"tracks": ["bootcamp"], "capacity": 16}, DigitousSettings)
    assert settings.legal_frames == tuple(LegalFrame)
    assert settings.session_minutes == 210
    for bad in ({"legal_frames": []}, {"legal_frames": ["stage"]}, {"session_minutes": 45}):
        with pytest.raises(msgspec.ValidationError):
            msgspec.convert({"tracks": ["bootcamp"], "capacity": 16, **bad}, DigitousSettings)
