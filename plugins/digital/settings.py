"""DIGITAL's per-site settings, the ``[programs.digital]`` block of a site file."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from core.plugin import ProgramSettings

DEFAULT_ATTENDANCE_THRESHOLD = 0.8
DEFAULT_SESSION_MINUTES = 120
DEFAULT_SESSIONS_PER_WEEK = 2
DEFAULT_FINAL_MINIMUM = "done"

FinalMinimum = Literal["done", "mastered"]
"""The lowest result of the final practical exercise that completes (D4): ``done`` (réussi)
or, for a stricter site, ``mastered`` (très bien réussi)."""


class DigitalSettings(ProgramSettings, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """What a site chooses for DIGITAL: levels offered, capacity, weekly rhythm, and what
    completion asks (D4): the share of hours attended and the final exercise's result."""

    attendance_threshold: Annotated[
        float,
        msgspec.Meta(ge=0.5, le=1.0, description="Share of scheduled hours to attend (D4)."),
    ] = DEFAULT_ATTENDANCE_THRESHOLD
    session_minutes: Annotated[
        int,
        msgspec.Meta(ge=60, le=240, multiple_of=30, description="Length of one session."),
    ] = DEFAULT_SESSION_MINUTES
    sessions_per_week: Annotated[
        int, msgspec.Meta(ge=1, le=5, description="Sessions a cohort has each week.")
    ] = DEFAULT_SESSIONS_PER_WEEK
    final_exercise_minimum: Annotated[
        FinalMinimum,
        msgspec.Meta(
            description="Lowest result of the final practical exercise that completes (D4)."
        ),
    ] = DEFAULT_FINAL_MINIMUM


def own_settings(settings: ProgramSettings | None) -> DigitalSettings | None:
    """``settings`` as DIGITAL's type; None when core gave none, TypeError for another program's."""
    if settings is None or isinstance(settings, DigitalSettings):
        return settings
    raise TypeError(f"DIGITAL expects DigitalSettings, got {type(settings).__name__}")
