"""DIGITAL's demo cohorts: for each level a site offers, one past, one running, one upcoming."""

from __future__ import annotations

import math
from datetime import date, timedelta

from core.plugin import DemoCohort, SiteInfo, plan_sessions
from plugins.digital.curriculum import KEY, track_by_key, units_of
from plugins.digital.settings import own_settings


def demo_cohorts(site: SiteInfo, today: date) -> list[DemoCohort]:
    """Cohorts starting on Mondays around ``today``; none when the site does not run DIGITAL."""
    settings = own_settings(site.programs.get(KEY))
    if settings is None:
        return []
    monday = today - timedelta(days=today.weekday())
    cohorts = []
    for key in settings.tracks:
        sessions = len(plan_sessions(units_of(key), settings.session_minutes))
        weeks = math.ceil(sessions / settings.sessions_per_week)
        # Past (ended two weeks ago), running (half done), upcoming (in two weeks).
        for offset in (-(weeks + 2), -(weeks // 2), 2):
            starts = monday + timedelta(weeks=offset)
            cohorts.append(
                DemoCohort(
                    program=KEY,
                    track=key,
                    title=f"DIGITAL {track_by_key(key).title} · {site.name} · {starts:%d/%m/%Y}",
                    starts_on=starts,
                    ends_on=starts + timedelta(weeks=weeks, days=-1),
                    capacity=settings.capacity,
                )
            )
    return cohorts
