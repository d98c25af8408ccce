"""DIGITAL's session plan: each level's units, in order, cut into sessions of the site's length."""

from __future__ import annotations

from core.plugin import CohortFacts, PlannedSession, plan_sessions
from plugins.digital.curriculum import units_of
from plugins.digital.settings import DEFAULT_SESSION_MINUTES, own_settings


def session_plan(cohort: CohortFacts) -> tuple[PlannedSession, ...]:
    """The cohort's sessions, of the site's ``session_minutes`` (two hours by default).

    A session never mixes two units, so that attendance and trainers follow the curriculum.
    """
    settings = own_settings(cohort.settings)
    minutes = settings.session_minutes if settings else DEFAULT_SESSION_MINUTES
    return plan_sessions(units_of(cohort.track), minutes)
