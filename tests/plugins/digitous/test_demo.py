"""DIGITOUS's demo cohorts: only the phases a site runs, around the demo date."""

from __future__ import annotations

from datetime import date

from core.plugin import SiteInfo
from plugins.digitous import essaim_demo_data
from plugins.digitous.settings import DigitousSettings

TODAY = date(2026, 11, 26)


def site(*tracks: str) -> SiteInfo:
    programs = {"digitous": DigitousSettings(tracks=tracks, capacity=16)} if tracks else {}
    return SiteInfo(slug="lyon", name="Lyon", timezone="Europe/Paris", programs=programs)


def test_demo_only_for_the_phases_the_site_runs() -> None:
    cohorts = essaim_demo_data(site("bootcamp"), TODAY)
    assert {(c.program, c.track) for c in cohorts} == {("digitous", "bootcamp")}
    past, running, upcoming = sorted(cohorts, key=lambda c: c.starts_on)
    assert past.ends_on < TODAY
    assert running.starts_on <= TODAY <= running.ends_on
    assert upcoming.starts_on > TODAY
    assert all((c.ends_on - c.starts_on).days == 12 * 7 - 1 for c in cohorts)


def test_demo_placement_cohorts_last_four_weeks() -> None:
    cohorts = essaim_demo_data(site("bootcamp", "placement"), TODAY)
    placements = [c for c in cohorts if c.track == "placement"]
    assert len(placements) == 3
    assert all((c.ends_on - c.starts_on).days == 4 * 7 - 1 for c in placements)


def test_no_demo_when_the_site_does_not_run_digitous() -> None:
    assert essaim_demo_data(site(), TODAY) == []
