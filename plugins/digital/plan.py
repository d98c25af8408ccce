"""DIGITAL's session plan: each level's units, in order, cut into sessions of the site's length."""

from __future__ import annotations

import math

from core.plugin import CohortFacts, PlannedSession
from plugins.digital.curriculum import units_of
from plugins.digital.settings import DEFAULT_SESSION_MINUTES, own_settings


def session_plan(cohort: CohortFacts) -> tuple[PlannedSession, ...]:
    """The cohort's sessions, of the site's ``session_minutes`` (two hours by default)."""
    settings = own_settings(cohort.settings)
    return plan_sessions(
        cohort.track, settings.session_minutes if settings else DEFAULT_SESSION_MINUTES
    )


def plan_sessions(track: str, session_minutes: int) -> tuple[PlannedSession, ...]:
    """Cut each unit of ``track`` into sessions of ``session_minutes``, the last one maybe shorter.

    A session never mixes two units, so that attendance and trainers follow the curriculum.
    """
    sessions: list[PlannedSession] = []
    for unit in units_of(track):
        total = round(unit.hours * 60)
        parts = math.ceil(total / session_minutes)
        for part in range(parts):
            sessions.append(
                PlannedSession(
                    sequence=len(sessions) + 1,
                    unit=unit.key,
                    title=unit.title if parts == 1 else f"{unit.title} ({part + 1}/{parts})",
                    minutes=min(session_minutes, total - part * session_minutes),
                )
            )
    return tuple(sessions)
