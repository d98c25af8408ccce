"""DIGISTART's session plan: one unit a week, cut into sessions of the site's length."""

from __future__ import annotations

from core.plugin import CohortFacts, PlannedSession, plan_sessions
from plugins.digistart.curriculum import units_of
from plugins.digistart.settings import DEFAULT_SESSION_MINUTES, own_settings


def session_plan(cohort: CohortFacts) -> tuple[PlannedSession, ...]:
    """The cohort's sessions, of the site's ``session_minutes`` (a half-day by default).

    A session never mixes two weeks' units, so that each week ends on its checkpoint (S2).
    """
    settings = own_settings(cohort.settings)
    minutes = settings.session_minutes if settings else DEFAULT_SESSION_MINUTES
    return plan_sessions(units_of(cohort.track), minutes)
