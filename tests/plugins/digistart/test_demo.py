"""DIGISTART's demo cohorts: nine weeks each, around the demo date, only where it runs."""

from __future__ import annotations

from datetime import date

from core.plugin import SiteInfo
from plugins.digistart import essaim_demo_data
from plugins.digistart.settings import DigistartSettings

TODAY = date(2026, 11, 28)


def test_demo_past_running_and_upcoming_nine_week_cohorts() -> None:
    site = SiteInfo(
        slug="lyon",
        name="Lyon",
        timezone="Europe/Paris",
        programs={"digistart": DigistartSettings(tracks=("web",), capacity=10)},
    )
    cohorts = essaim_demo_data(site, TODAY)
    past, running, upcoming = sorted(cohorts, key=lambda c: c.starts_on)
    assert past.ends_on < TODAY
    assert running.starts_on <= TODAY <= running.ends_on
    assert upcoming.starts_on > TODAY
    assert all((c.ends_on - c.starts_on).days == 9 * 7 - 1 for c in cohorts)
    assert {(c.program, c.track, c.capacity) for c in cohorts} == {("digistart", "web", 10)}


def test_no_demo_when_the_site_does_not_run_digistart() -> None:
    site = SiteInfo(slug="lyon", name="Lyon", timezone="Europe/Paris", programs={})
    assert essaim_demo_data(site, TODAY) == []
