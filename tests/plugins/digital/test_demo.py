"""DIGITAL's demo cohorts: only the levels a site offers, around the demo date."""

from __future__ import annotations

from datetime import date

from core.plugin import ProgramSettings, SiteInfo
from plugins.digital import essaim_demo_data
from plugins.digital.settings import DigitalSettings

TODAY = date(2026, 11, 26)


def site(**programs: ProgramSettings) -> SiteInfo:
    return SiteInfo(slug="lyon", name="Lyon", timezone="Europe/Paris", programs=programs)


def test_demo_only_for_the_levels_the_site_offers() -> None:
    settings = DigitalSettings(tracks=("beginner", "advanced"), capacity=9)
    cohorts = essaim_demo_data(site(digital=settings), TODAY)
    assert {c.track for c in cohorts} == {"beginner", "advanced"}
    assert {(c.program, c.capacity) for c in cohorts} == {("digital", 9)}


def test_demo_has_a_past_a_running_and_an_upcoming_cohort_per_level() -> None:
    cohorts = essaim_demo_data(
        site(digital=DigitalSettings(tracks=("beginner",), capacity=9)), TODAY
    )
    assert len(cohorts) == 3
    past, running, upcoming = sorted(cohorts, key=lambda c: c.starts_on)
    assert past.ends_on < TODAY
    assert running.starts_on <= TODAY <= running.ends_on
    assert upcoming.starts_on > TODAY
    assert all(c.starts_on.weekday() == 0 for c in cohorts)
    # Ten two-hour sessions at two a week: five weeks.
    assert all((c.ends_on - c.starts_on).days == 34 for c in cohorts)


def test_demo_running_cohort_contains_today_on_any_weekday() -> None:
    settings = DigitalSettings(tracks=("beginner",), capacity=9, sessions_per_week=5)
    for day in range(23, 30):
        today = date(2026, 11, day)
        cohorts = essaim_demo_data(site(digital=settings), today)
        assert any(c.starts_on <= today <= c.ends_on for c in cohorts), today


def test_no_demo_when_the_site_does_not_run_digital() -> None:
    assert essaim_demo_data(site(), TODAY) == []
