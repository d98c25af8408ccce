"""DIGISTART's nine weekly units (S1) and its session plan."""

from __future__ import annotations

from datetime import date

import msgspec
import pytest

from core.plugin import CohortFacts
from plugins.digistart.exercises import WEEKS
from plugins.digistart.program import Digistart
from plugins.digistart.settings import DigistartSettings

DIGISTART = Digistart()


def plan(**settings: object):
    return DIGISTART.session_plan(
        CohortFacts(
            track="web",
            starts_on=date(2027, 1, 11),
            ends_on=date(2027, 3, 12),
            capacity=12,
            settings=DigistartSettings(tracks=("web",), capacity=12, **settings),
        )
    )


def test_s1_nine_weekly_units_html_css_then_javascript() -> None:
    [track] = DIGISTART.tracks
    units = DIGISTART.curriculum
    assert track.key == "web"
    assert [u.title.split(" :")[0] for u in units] == [f"Semaine {n}" for n in range(1, 10)]
    assert all(not u.key.startswith("js_") for u in units[:5])
    assert all(u.key.startswith("js_") for u in units[5:])
    assert "exercice final" in units[-1].title
    assert sum(u.hours for u in units) == track.hours
    assert len({u.key for u in units}) == 9


@pytest.mark.parametrize("minutes", [240, 180, 120])
def test_plan_sums_to_the_track_hours_and_keeps_weeks_apart(minutes: int) -> None:
    sessions = plan(session_minutes=minutes)
    assert sum(s.minutes for s in sessions) == DIGISTART.tracks[0].hours * 60
    assert max(s.minutes for s in sessions) == minutes
    assert list(dict.fromkeys(s.unit for s in sessions)) == [u.key for u in DIGISTART.curriculum]
    assert [s.sequence for s in sessions] == list(range(1, len(sessions) + 1))


def test_default_plan_is_two_half_days_a_week() -> None:
    sessions = plan()
    assert len(sessions) == 18
    assert sessions[0].title == "Semaine 1 : la structure d'une page (1/2)"


def test_settings_defaults_and_bounds() -> None:
    settings = msgspec.convert({"tracks": ["web"], "capacity": 12}, DigistartSettings)
    assert (settings.attendance_threshold, settings.session_minutes) == (0.8, 240)
    for bad in ({"attendance_threshold": 1.5}, {"session_minutes": 500}, {"weeks": 10}):
        with pytest.raises(msgspec.ValidationError):
            msgspec.convert({"tracks": ["web"], "capacity": 12, **bad}, DigistartSettings)


def test_s2_each_week_ships_its_exercises_and_its_checkpoint() -> None:
    assert [w.unit for w in WEEKS] == [u.key for u in DIGISTART.curriculum]
    assert [w.number for w in WEEKS] == list(range(1, 10))
    for week in WEEKS:
        assert len(week.exercises) >= 2
        assert len({e.key for e in week.exercises}) == len(week.exercises)
        assert all(e.title and e.practises for e in week.exercises)
    checkpoints = [a for a in DIGISTART.assessments("web") if a.unit]
    assert [a.key for a in checkpoints] == [w.unit for w in WEEKS]
    assert all(a.passing == ("done",) for a in checkpoints)


def test_the_website_its_review_and_the_final_exercise_are_assessed() -> None:
    tail = {a.key: a for a in DIGISTART.assessments("web")[9:]}
    assert list(tail) == ["website", "website_review", "final_exercise"]
    assert tail["website"].scale == ()
    assert tail["website_review"].scale == ("changes_requested", "accepted")
    assert tail["website_review"].passing == ("accepted",)
    assert tail["final_exercise"].passing == ("validated",)


def test_exercise_weeks_required_defaults_to_all_nine_and_is_bounded() -> None:
    settings = msgspec.convert({"tracks": ["web"], "capacity": 12}, DigistartSettings)
    assert settings.exercise_weeks_required == 9
    for bad in (-1, 10):
        with pytest.raises(msgspec.ValidationError, match="exercise_weeks_required"):
            msgspec.convert(
                {"tracks": ["web"], "capacity": 12, "exercise_weeks_required": bad},
                DigistartSettings,
            )
