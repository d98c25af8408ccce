"""DIGITOUS's session plan: each phase's units, in order, in sessions of the site's length."""

from __future__ import annotations

import math

from core.plugin import CohortFacts, PlannedSession
from plugins.digitous.curriculum import units_of
from plugins.digitous.settings import DEFAULT_SESSION_MINUTES, own_settings


def session_plan(cohort: CohortFacts) -> tuple[PlannedSession, ...]:
    """The cohort's sessions, of the site's ``session_minutes`` (a half-day by default)."""
    settings = own_settings(cohort.settings)
    minutes = settings.session_minutes if settings else DEFAULT_SESSION_MINUTES
    sessions: list[PlannedSession] = []
    # A session never mixes two units, so that each module ends on its own checkpoint (T1).
    for unit in units_of(cohort.track):
        total = round(unit.hours * 60)
        parts = math.ceil(total / minutes)
        for part in range(parts):
            sessions.append(
                PlannedSession(
                    sequence=len(sessions) + 1,
                    unit=unit.key,
                    title=unit.title if parts == 1 else f"{unit.title} ({part + 1}/{parts})",
                    minutes=min(minutes, total - part * minutes),
                )
            )
    return tuple(sessions)
