"""DIGISTART's demo cohorts: one past, one running and one upcoming nine-week cohort."""

from __future__ import annotations

from datetime import date, timedelta

from core.plugin import DemoCohort, SiteInfo
from plugins.digistart.curriculum import KEY, UNITS
from plugins.digistart.settings import own_settings

WEEKS = len(UNITS)


def demo_cohorts(site: SiteInfo, today: date) -> list[DemoCohort]:
    """Cohorts starting on Mondays around ``today``; none when the site does not run DIGISTART."""
    settings = own_settings(site.programs.get(KEY))
    if settings is None:
        return []
    monday = today - timedelta(days=today.weekday())
    return [
        DemoCohort(
            program=KEY,
            track=track,
            title=f"DIGISTART · {site.name} · {starts:%d/%m/%Y}",
            starts_on=starts,
            ends_on=starts + timedelta(weeks=WEEKS, days=-1),
            capacity=settings.capacity,
        )
        for track in settings.tracks
        # Past (ended two weeks ago), running (half done), upcoming (in two weeks).
        for starts in (monday + timedelta(weeks=n) for n in (-(WEEKS + 2), -(WEEKS // 2), 2))
    ]
