"""DIGITOUS's session plan: each phase's units, in order, in sessions of the site's length."""

from __future__ import annotations

from core.plugin import CohortFacts, PlannedSession, plan_sessions
from plugins.digitous.curriculum import units_of
from plugins.digitous.settings import DEFAULT_SESSION_MINUTES, own_settings


def session_plan(cohort: CohortFacts) -> tuple[PlannedSession, ...]:
    """The cohort's sessions, of the site's ``session_minutes`` (a half-day by default).

    A session never mixes two units, so that each module ends on its own checkpoint (T1).
    """
    settings = own_settings(cohort.settings)
    minutes = settings.session_minutes if settings else DEFAULT_SESSION_MINUTES
    return plan_sessions(units_of(cohort.track), minutes)
