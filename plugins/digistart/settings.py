"""DIGISTART's per-site settings, the ``[programs.digistart]`` block of a site file."""

from __future__ import annotations

from typing import Annotated

import msgspec

from core.plugin import ProgramSettings
from plugins.digistart.curriculum import UNITS

DEFAULT_ATTENDANCE_THRESHOLD = 0.8
DEFAULT_SESSION_MINUTES = 240
WEEKS = len(UNITS)
DEFAULT_EXERCISE_WEEKS = WEEKS
"""Every week's exercises by default: a missed week's exercises can be caught up from the
course material, unlike its sessions, and each one is a step that DIGITOUS builds on (S2)."""


class DigistartSettings(ProgramSettings, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """What a site chooses for DIGISTART: capacity, attendance threshold, session length,
    and how many weeks' exercises a completer has done."""

    attendance_threshold: Annotated[
        float,
        msgspec.Meta(ge=0.5, le=1.0, description="Share of scheduled hours to attend (S4)."),
    ] = DEFAULT_ATTENDANCE_THRESHOLD
    session_minutes: Annotated[
        int,
        msgspec.Meta(ge=60, le=480, multiple_of=30, description="Length of one session."),
    ] = DEFAULT_SESSION_MINUTES
    exercise_weeks_required: Annotated[
        int,
        msgspec.Meta(
            ge=0,
            le=WEEKS,
            description="Weeks whose exercises a learner must have done to complete (S2, S4).",
        ),
    ] = DEFAULT_EXERCISE_WEEKS


def own_settings(settings: ProgramSettings | None) -> DigistartSettings | None:
    """``settings`` as DIGISTART's type; None when core gave none, TypeError for another's."""
    if settings is None or isinstance(settings, DigistartSettings):
        return settings
    raise TypeError(f"DIGISTART expects DigistartSettings, got {type(settings).__name__}")
